//! The start screen: the Region's MWAA environments and VPCs, a filter, and Enter to open one.
//! Its first frame draws at once; the lists fill in when they arrive.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{fit, list, table_row};
use crate::app::App;
use crate::model::Choices;
use crate::panes::cut::wrap_all;
use crate::panes::{Col, Theme};
use crate::show::clean;

/// `1 environment`, `3 VPCs`; `? VPCs` when the list could not be read.
fn count(n: usize, read: bool, one: &str, many: &str) -> String {
    match (read, n) {
        (false, _) => format!("? {many}"),
        (true, 1) => format!("1 {one}"),
        (true, n) => format!("{n} {many}"),
    }
}

/// Draws the start screen in `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(choices) = &app.choices else {
        return not_read(app, frame, area, theme);
    };
    let rows = app.choice_rows();
    let title = title(choices);
    let block = list::block(&title, area, theme);
    // What could not be read, in the body, above whatever could.
    let unread: Vec<Line> = choices
        .errors()
        .map(|e| Line::styled(format!("✘ could not read {}", clean(e)), theme.error))
        .collect();
    let inner = block.inner(area);
    let unread = wrap_all(&unread, usize::from(inner.width));
    if rows.is_empty() {
        return nothing_to_open(app, unread, block, frame, area, theme);
    }
    let area = match unread.len() {
        0 => area,
        n => {
            let height = (n as u16).min(area.height.saturating_sub(4) / 2);
            let [top, rest] =
                Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
            let lines: Vec<Line> = unread.into_iter().take(usize::from(top.height)).collect();
            frame.render_widget(Paragraph::new(lines), top);
            rest
        }
    };
    let block = list::block(&title, area, theme);
    let widths = fit(
        &[Col(4, 4), Col(32, 12), Col(21, 21), Col(30, 10), Col(13, 0)],
        area.width.saturating_sub(4),
    );
    let table_rows = rows
        .iter()
        .map(|r| {
            let cells = [
                Line::styled(r.kind, theme.accent),
                Line::from(r.name.clone()),
                Line::from(r.id.clone()),
                Line::from(r.about.clone()),
                Line::from(r.endpoints.clone()),
            ];
            table_row(cells, &widths)
        })
        .collect::<Vec<_>>();
    let header = ["", "NAME", "ID", "", "ENDPOINTS"];
    let selected = app.choice_selected;
    list::table(
        frame,
        area,
        (block, header),
        (table_rows, widths),
        selected,
        theme,
    );
}

/// The screen before the lists arrived, or when they could not be read at all.
fn not_read(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = match &app.choices_error {
        Some(error) => format!(
            "Could not list what to open: {}  (r retry, q quit)",
            clean(error)
        ),
        None => "Listing the Region's MWAA environments and VPCs…".to_string(),
    };
    let style = if app.choices_error.is_some() {
        theme.error
    } else {
        theme.muted
    };
    list::message(frame, area, list::block(" Open ", area, theme), text, style);
}

/// The list's title: the Region and how many environments and VPCs it has.
fn title(choices: &Choices) -> String {
    format!(
        " Open · {} · {}, {} ",
        clean(&choices.region),
        count(
            choices.environments.len(),
            choices.environments_error.is_none(),
            "environment",
            "environments"
        ),
        count(
            choices.vpcs.len(),
            choices.vpcs_error.is_none(),
            "VPC",
            "VPCs"
        ),
    )
}

/// No row to show: what could not be read, then why the list is empty.
fn nothing_to_open(
    app: &App,
    mut lines: Vec<Line<'static>>,
    block: Block,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let why = match (app.filter.is_empty(), lines.is_empty()) {
        (true, true) => "No MWAA environment and no VPC in this Region.".to_string(),
        (true, false) => {
            "Nothing to open: what could not be read is said above. r reads again.".into()
        }
        (false, _) => format!("Nothing matches /{}", clean(&app.filter)),
    };
    lines.push(Line::styled(why, theme.muted));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
