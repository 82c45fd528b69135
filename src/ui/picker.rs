//! The start screen: the Region's MWAA environments and VPCs, a filter, and Enter to open one.
//! Its first frame draws at once; the lists fill in when they arrive.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::{fit, list};
use crate::app::App;
use crate::panes::{Col, Theme};
use crate::show::{clean, truncate};

/// Draws the start screen in `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(choices) = &app.choices else {
        let text = match &app.error {
            Some(error) => format!(
                "Could not list what to open: {}  (r retry, q quit)",
                clean(error)
            ),
            None => "Listing the Region's MWAA environments and VPCs…".to_string(),
        };
        let style = if app.error.is_some() {
            theme.error
        } else {
            theme.muted
        };
        list::message(frame, area, list::block(" Open ", area, theme), text, style);
        return;
    };
    let rows = app.choice_rows();
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut title = format!(
        " Open · {} · {}, {} ",
        clean(&choices.region),
        count(choices.environments.len(), "environment", "environments"),
        count(choices.vpcs.len(), "VPC", "VPCs")
    );
    for error in &choices.errors {
        title.push_str(&format!("· {} ", clean(error)));
    }
    let block = list::block(&title, area, theme);
    if rows.is_empty() {
        let why = match app.filter.is_empty() {
            true => "No MWAA environment and no VPC in this Region.".to_string(),
            false => format!("Nothing matches /{}", clean(&app.filter)),
        };
        list::message(frame, area, block, why, theme.muted);
        return;
    }
    let table_rows = rows.iter().map(|r| {
        Row::new(vec![
            Cell::from(Span::styled(r.kind, theme.accent)),
            Cell::from(truncate(&r.name, 40)),
            Cell::from(r.id.clone()),
            Cell::from(truncate(&r.about, 40)),
            Cell::from(r.endpoints.clone()),
        ])
    });
    let widths = fit(
        &[Col(4, 4), Col(32, 12), Col(21, 12), Col(30, 10), Col(13, 0)],
        area.width.saturating_sub(4),
    );
    let table = Table::new(table_rows, widths)
        .header(Row::new(vec!["", "NAME", "ID", "", "ENDPOINTS"]).style(theme.muted))
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ");
    let selected = app.choice_selected.min(rows.len() - 1);
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}
