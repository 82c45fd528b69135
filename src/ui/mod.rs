//! Rendering only: `render(&App, &mut Frame)` reads the state and draws the header, the
//! current pane (table and details, laid out for the terminal's size) and the footer.

mod chrome;
mod fleet;
mod list;
mod picker;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table, TableState, Wrap};

use crate::app::App;
use crate::checks::Audit;
use crate::model::Snapshot;
pub use crate::panes::Theme;
use crate::panes::cut::{cut, wrap_all};
use crate::panes::{Col, Pane, View, visible};
use crate::show::is_unsafe;

/// Smallest terminal the dashboard draws in.
pub const MIN_WIDTH: u16 = 40;
/// Smallest terminal the dashboard draws in.
pub const MIN_HEIGHT: u16 = 10;

/// Exact widths that fit `available`: columns shrink right to left down to their minimum,
/// then the rightmost are dropped; slack goes to the last column shown. Only `Length`s that sum
/// to at most the space, so the layout has one solution.
fn fit(cols: &[Col], available: u16) -> Vec<Constraint> {
    let spacing = cols.len().saturating_sub(1) as u16;
    let mut widths: Vec<u16> = cols.iter().map(|c| c.0).collect();
    let total = |w: &[u16]| w.iter().sum::<u16>() + spacing;
    for i in (0..cols.len()).rev() {
        let excess = total(&widths).saturating_sub(available);
        widths[i] -= excess.min(widths[i] - cols[i].1);
    }
    for i in (0..cols.len()).rev() {
        if total(&widths) > available {
            widths[i] = 0;
        }
    }
    // Slack goes to the last column still shown; a dropped column stays dropped.
    let slack = available.saturating_sub(total(&widths));
    if let Some(last) = widths.iter_mut().rev().find(|w| **w > 0) {
        *last += slack;
    }
    widths.into_iter().map(Constraint::Length).collect()
}

/// A table row whose every cell is cut to its column's width, a cut marked by `…`.
fn table_row<'a>(
    cells: impl IntoIterator<Item = Line<'a>>,
    widths: &[Constraint],
) -> TableRow<'static> {
    TableRow::new(cells.into_iter().enumerate().map(|(i, line)| {
        let width = match widths.get(i) {
            Some(Constraint::Length(w)) => usize::from(*w),
            _ => 0,
        };
        Cell::from(cut(line, width))
    }))
}

/// The view of the current tab for one frame.
fn view<'a>(app: &'a App, snapshot: &'a Snapshot, audit: &'a Audit, theme: &'a Theme) -> View<'a> {
    let data = app.data();
    let rows = data
        .map(|d| visible(app.tab.pane(), &d, &app.filter))
        .unwrap_or_default();
    View {
        snapshot,
        audit,
        index: &app.index,
        changed: app.baseline.as_ref().map(|_| &app.changed),
        changes_reading: app.changes_reading,
        theme,
        window_seconds: app.window.seconds(),
        window_label: app.window.label(),
        metric: app.metric(),
        selection: app.selection_among(rows.len()),
        rows,
    }
}

/// Draws the dashboard.
pub fn render(app: &App, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let message = format!(
            "linkscope needs {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {}×{}",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(app, frame, header, theme);
    match (&app.snapshot, &app.audit) {
        _ if app.on_fleet_screen() => fleet::render(app, frame, body, theme),
        _ if app.choosing => picker::render(app, frame, body, theme),
        (Some(snapshot), Some(audit)) => {
            body_pane(app, &view(app, snapshot, audit, theme), frame, body)
        }
        _ => chrome::waiting(app, frame, body, theme),
    }
    if app.help {
        chrome::help(app, frame, body, theme);
    }
    // After the body, whose drawing tells whether the details scroll.
    chrome::footer(app, frame, footer, theme);
    defuse(frame.buffer_mut());
}

/// The last guard against strings from AWS that were not escaped where they were drawn: no
/// control or bidirectional character reaches the terminal.
fn defuse(buffer: &mut Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.symbol().chars().any(is_unsafe) {
            cell.set_symbol("?");
        }
    }
}

fn body_pane(app: &App, view: &View, frame: &mut Frame, area: Rect) {
    let pane = app.tab.pane();
    let selected = view.selected_id();
    if app.details
        && let Some(id) = &selected
    {
        return details_pane(app, pane, view, frame, area, id, true);
    }
    // Wide: table left, details right. Tall: details below. Small: the table only.
    let split = if area.width >= 160 {
        Some((
            Direction::Horizontal,
            [Constraint::Percentage(60), Constraint::Percentage(40)],
        ))
    } else if area.height >= 20 {
        Some((
            Direction::Vertical,
            [Constraint::Percentage(55), Constraint::Percentage(45)],
        ))
    } else {
        None
    };
    let (table_area, details_area) = match split {
        Some((direction, constraints)) => {
            let [a, b] = Layout::default()
                .direction(direction)
                .constraints(constraints)
                .areas(area);
            (a, Some(b))
        }
        None => (area, None),
    };
    table_pane(app, pane, view, frame, table_area);
    if let (Some(area), Some(id)) = (details_area, &selected)
        && !pane.side(view, frame, area, id)
    {
        details_pane(app, pane, view, frame, area, id, false);
    }
}

/// The lines above a tab's table: its banner, and what could not be read of the sources its
/// rows come from, wrapped to `width`.
fn notes(pane: &dyn Pane, view: &View, width: u16) -> Vec<Line<'static>> {
    let mut notes: Vec<Line> = pane.banner(view).into_iter().collect();
    notes.extend(
        view.unread(pane.sources())
            .into_iter()
            .map(|unread| Line::styled(format!("✘ could not read {unread}"), view.theme.error)),
    );
    wrap_all(&notes, usize::from(width))
}

/// At most `room` of `lines`; when some are left out, the last one shown ends in `…`.
fn at_most(mut lines: Vec<Line<'static>>, room: usize, width: u16) -> Vec<Line<'static>> {
    if lines.len() > room {
        lines.truncate(room);
        if let Some(mut last) = lines.pop() {
            last.spans.push(Span::raw("…"));
            lines.push(cut(last, usize::from(width)));
        }
    }
    lines
}

fn table_pane(app: &App, pane: &dyn Pane, view: &View, frame: &mut Frame, area: Rect) {
    // Notes take the lines above the table they need, up to half of it.
    let notes = notes(pane, view, area.width);
    let area = if notes.is_empty() || area.height < 6 {
        area
    } else {
        let room = (usize::from(area.height) / 2).min(notes.len());
        let notes = at_most(notes, room, area.width);
        let [top, rest] =
            Layout::vertical([Constraint::Length(notes.len() as u16), Constraint::Min(0)])
                .areas(area);
        frame.render_widget(Paragraph::new(notes), top);
        rest
    };
    // Only the rows on screen are built: the selection scrolls into view from the top, as
    // ratatui's own table state would do it.
    let count = view.rows.len();
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = view.selection.map_or(0, |s| s.saturating_sub(height - 1));
    let shown = &view.rows[offset.min(count)..(offset + height).min(count)];
    let mut listing = pane.listing(view, shown);
    if let Some(changed) = view.changed {
        // The ∆ column: rows that changed since the baseline.
        listing.header.insert(0, "∆");
        listing.widths.insert(0, Col(1, 1));
        for (cells, row) in listing.rows.iter_mut().zip(shown) {
            let mark = match changed.contains(&row.id) {
                true => Line::styled("∆", view.theme.accent),
                false => Line::default(),
            };
            cells.insert(0, mark);
        }
    }
    let title = cut(
        Line::styled(format!(" {} ({count}) ", pane.title()), view.theme.title),
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(view.theme.muted);
    if count == 0 {
        let unread = !view.unread(pane.sources()).is_empty();
        let why = match app.filter.as_str() {
            "" if unread => "Nothing to list: what could not be read is said above.".to_string(),
            "" => "Nothing here.".to_string(),
            crate::panes::CHANGED_FILTER if app.baseline.is_none() => {
                "No baseline: start linkscope with --baseline FILE to mark changed rows.".into()
            }
            crate::panes::CHANGED_FILTER => "No row here changed since the baseline.".into(),
            filter => format!("No row matches /{}", crate::show::clean(filter)),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(why, view.theme.muted))
                .block(block)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    // Borders and the highlight symbol take four columns.
    let widths = fit(&listing.widths, area.width.saturating_sub(4));
    let header =
        table_row(listing.header.into_iter().map(Line::from), &widths).style(view.theme.muted);
    let rows: Vec<TableRow> = listing
        .rows
        .into_iter()
        .map(|cells| table_row(cells, &widths))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(view.theme.selected)
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(view.selection.map(|s| s - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

fn details_pane(
    app: &App,
    pane: &dyn Pane,
    view: &View,
    frame: &mut Frame,
    area: Rect,
    id: &str,
    open: bool,
) {
    let hint = if open {
        " Details · Esc close · ↑↓ PgUp PgDn g G scroll "
    } else {
        " Details · Enter to open "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(cut(
            Line::styled(hint, view.theme.title),
            usize::from(area.width.saturating_sub(2)),
        ))
        .border_style(view.theme.muted);
    let mut lines = since_baseline(app, view, id);
    lines.extend(pane.details(view, id));
    let inner = block.inner(area);
    let lines = wrap_all(&lines, usize::from(inner.width));
    // The furthest the details scroll: their last line at the bottom of the pane.
    let bottom = lines.len().saturating_sub(usize::from(inner.height));
    let bottom = u16::try_from(bottom).unwrap_or(u16::MAX);
    let scroll = match open {
        true => {
            app.details_bottom.set(bottom);
            app.details_scroll.min(bottom)
        }
        false => 0,
    };
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// What changed in a row since the baseline, for the top of its details.
fn since_baseline<'a>(app: &App, view: &View, id: &str) -> Vec<Line<'a>> {
    let Some(diff) = &app.diff else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for change in diff.changes.iter().filter(|c| c.id == id) {
        lines.extend(change.lines.iter().map(|l| {
            Line::from(Span::styled(
                format!("  {} {}", l.sign, crate::show::clean(&l.text)),
                view.theme.accent,
            ))
        }));
    }
    for f in diff.findings.iter().filter(|f| f.key == id) {
        lines.push(Line::from(Span::styled(
            format!("  {}", f.transition()),
            view.theme.accent,
        )));
    }
    if lines.is_empty() {
        return lines;
    }
    lines.insert(
        0,
        Line::from(Span::styled(
            format!(
                "∆ since the baseline of {}",
                crate::show::clean(&diff.old.captured_at)
            ),
            view.theme.title,
        )),
    );
    lines.push(Line::default());
    lines
}

#[cfg(test)]
mod every_width;
#[cfg(test)]
mod tests;
