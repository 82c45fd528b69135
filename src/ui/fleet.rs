//! The Fleet screen: one row per target of the fleet read, its checklist as a ✔✘ strip and
//! its worst finding; a filter, `s` to sort worst first, Enter to open a target. Its first
//! frame draws at once; the rows fill in as the targets arrive, and while the read is under
//! way its last lines say how far it is in each account and Region.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::chrome::SPINNER;
use super::{fit, list, table_row};
use crate::app::{App, FleetView};
use crate::checks::Status;
use crate::lists::fleet::FleetRow;
use crate::panes::{Col, Theme};
use crate::show::{clean, icon, truncate};

/// The most lines of progress the screen gives up, and the fewest it keeps for the list.
const PROGRESS_LINES: usize = 4;
const LIST_LINES: u16 = 6;

/// Draws the progress of the read under way at the bottom of `area`, and returns what is
/// left above it (all of `area` when no read is under way or there is no room).
fn progress(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) -> Rect {
    let Some(fleet) = app.fleet.as_ref().filter(|f| f.loading) else {
        return area;
    };
    let mut lines = fleet.progress.lines();
    let room = usize::from(area.height.saturating_sub(LIST_LINES)).min(PROGRESS_LINES);
    // One line cannot say "and N more": it shows a single account and Region, or nothing.
    if lines.is_empty() || room == 0 || (room == 1 && lines.len() > 1) {
        return area;
    }
    if lines.len() > room {
        let more = lines.len() - (room - 1);
        lines.truncate(room - 1);
        lines.push(format!("… and {more} more account and Region pairs"));
    }
    let [list, below] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(lines.len() as u16)]).areas(area);
    let width = usize::from(below.width).saturating_sub(1);
    let text: Vec<Line> = lines
        .iter()
        .map(|l| Line::styled(format!(" {}", truncate(l, width)), theme.muted))
        .collect();
    frame.render_widget(Paragraph::new(text), below);
    list
}

/// Draws the Fleet screen in `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(fleet) = &app.fleet else { return };
    let area = progress(app, frame, area, theme);
    let spinner = match fleet.loading {
        true => format!("{} ", SPINNER[(app.now_ms / 100) as usize % SPINNER.len()]),
        false => String::new(),
    };
    if fleet.entries.is_empty() {
        return nothing_yet(fleet, &spinner, frame, area, theme);
    }
    let rows = app.fleet_rows();
    let block = list::block(&title(fleet, &rows, &spinner), area, theme);
    if rows.is_empty() {
        let why = format!("Nothing matches /{}", clean(&app.filter));
        list::message(frame, area, block, why, theme.muted);
        return;
    }
    let widths = widths(&rows, area);
    let table_rows = rows
        .iter()
        .map(|r| row(r, &widths, theme))
        .collect::<Vec<_>>();
    let header = [
        "",
        "TARGET",
        "REGION",
        "CHECKLIST",
        "WORST",
        "STATUS",
        "ACCOUNT",
    ];
    let selected = fleet.selected;
    list::table(
        frame,
        area,
        (block, header),
        (table_rows, widths),
        selected,
        theme,
    );
}

/// The screen before any target arrived: the read's error, that it is under way, or that
/// the flags found no target.
fn nothing_yet(fleet: &FleetView, spinner: &str, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (text, style) = match (&fleet.error, fleet.loading) {
        (Some(error), _) => (
            format!(
                "Could not read the fleet: {}  (r retry, q quit)",
                clean(error)
            ),
            theme.error,
        ),
        (None, true) => (
            format!("{spinner}Auditing every target of the fleet, as `linkscope audit` would…"),
            theme.accent,
        ),
        (None, false) => ("The fleet flags found no target.".into(), theme.muted),
    };
    list::message(
        frame,
        area,
        list::block(" Fleet ", area, theme),
        text,
        style,
    );
}

/// The list's title: how many targets (so far), how many failing, and the order.
fn title(fleet: &FleetView, rows: &[FleetRow], spinner: &str) -> String {
    let failing = rows.iter().filter(|r| r.tone == Status::Fail).count();
    let order = match fleet.by_worst {
        true => "worst first",
        false => "by account, Region, name",
    };
    let so_far = if fleet.loading && !fleet.read_once {
        " so far"
    } else {
        ""
    };
    format!(
        " {spinner}Fleet · {} targets{so_far} · {failing} failing · {order} (s) ",
        fleet.entries.len()
    )
}

/// The columns' widths in `area`.
fn widths(rows: &[FleetRow], area: Rect) -> Vec<Constraint> {
    let strip_width = rows.iter().map(|r| r.strip.len()).max().unwrap_or(0) as u16;
    // Narrow terminals lose the account, then the status, before the strip and the worst
    // finding. The strip is followed by the readiness count (`10/12 pass`).
    let count_width = rows.iter().map(|r| r.checklist.chars().count()).max();
    let strip_width = strip_width + 1 + count_width.unwrap_or(0) as u16;
    fit(
        &[
            Col(1, 1),
            Col(20, 12),
            Col(14, 9),
            Col(strip_width, strip_width),
            Col(28, 20),
            Col(14, 0),
            Col(12, 0),
        ],
        area.width.saturating_sub(4),
    )
}

/// One target's row: its tone, name, Region, checklist strip, worst finding, status and
/// account.
fn row(r: &FleetRow, widths: &[Constraint], theme: &Theme) -> Row<'static> {
    let mut strip: Vec<Span> = r
        .strip
        .iter()
        .map(|s| Span::styled(icon(*s), theme.status(*s)))
        .collect();
    strip.push(Span::raw(format!(" {}", r.checklist)));
    let partial = if r.partial { " (partial)" } else { "" };
    let cells = [
        Line::styled(icon(r.tone), theme.status(r.tone)),
        Line::from(r.target.clone()),
        Line::from(r.region.clone()),
        Line::from(strip),
        Line::styled(format!("{}{partial}", r.worst), theme.status(r.tone)),
        Line::from(r.status.clone()),
        Line::from(r.account.clone()),
    ];
    table_row(cells, widths)
}
