//! Rendering only: `render(&App, &mut Frame)` reads the state and draws it. One file per pane.

mod checklist;
mod chrome;
mod endpoints;
mod metrics;
mod routes;
mod security;
pub mod spark;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState, Wrap};

use crate::app::{App, Tab, rows};
use crate::checks::Audit;
use crate::model::{MetricName, MetricSeries, Snapshot, VpcEndpoint};
pub use theme::Theme;

/// Smallest terminal the dashboard draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Everything a pane reads, with the lookups one frame needs computed once.
pub struct View<'a> {
    pub app: &'a App,
    pub snapshot: &'a Snapshot,
    pub audit: &'a Audit,
    pub theme: &'a Theme,
    /// The current tab's visible rows.
    pub rows: Vec<rows::Row>,
    pub selection: Option<usize>,
}

impl<'a> View<'a> {
    fn new(app: &'a App, snapshot: &'a Snapshot, audit: &'a Audit, theme: &'a Theme) -> Self {
        let rows = rows::visible(app.tab, snapshot, audit, &app.filter);
        Self {
            selection: app.selection_among(rows.len()),
            rows,
            app,
            snapshot,
            audit,
            theme,
        }
    }

    pub fn endpoint(&self, id: &str) -> Option<&'a VpcEndpoint> {
        self.app.index.endpoint(self.snapshot, id)
    }

    /// `custom` or `invalid` for endpoints whose policy is not full access.
    pub fn policy_class(&self, endpoint_id: &str) -> Option<&'static str> {
        self.app.index.policy_class(endpoint_id)
    }

    pub fn series(&self, endpoint_id: &str, metric: MetricName) -> Option<&'a MetricSeries> {
        self.app.index.series(self.snapshot, endpoint_id, metric)
    }

    fn selected_id(&self) -> Option<String> {
        self.selection
            .and_then(|i| self.rows.get(i))
            .map(|r| r.id.clone())
    }
}

/// A pane's table: header, rows and column widths, in the order of `App::rows`.
pub struct Listing<'a> {
    pub header: Vec<&'static str>,
    pub rows: Vec<Row<'a>>,
    pub widths: Vec<Col>,
}

/// A column's preferred and smallest width.
#[derive(Debug, Clone, Copy)]
pub struct Col(pub u16, pub u16);

/// Exact widths that fit `available`: columns shrink right to left down to their minimum,
/// then the rightmost are dropped; slack goes to the last column. Only `Length`s that sum
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
    let slack = available.saturating_sub(total(&widths));
    if let Some(last) = widths.last_mut() {
        *last += slack;
    }
    widths.into_iter().map(Constraint::Length).collect()
}

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
    chrome::footer(app, frame, footer, theme);
    match (&app.snapshot, &app.audit) {
        (Some(snapshot), Some(audit)) => {
            body_pane(&View::new(app, snapshot, audit, theme), frame, body)
        }
        _ => chrome::waiting(app, frame, body, theme),
    }
    if app.help {
        chrome::help(frame, body, theme);
    }
}

fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
    match view.app.tab {
        Tab::Checklist => checklist::listing(view, shown),
        Tab::Endpoints => endpoints::listing(view, shown),
        Tab::Routes => routes::listing(view, shown),
        Tab::Security => security::listing(view, shown),
        Tab::Metrics => metrics::listing(view, shown),
    }
}

fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    match view.app.tab {
        Tab::Checklist => checklist::details(view, id),
        Tab::Endpoints => endpoints::details(view, id),
        Tab::Routes => routes::details(view, id),
        Tab::Security => security::details(view, id),
        Tab::Metrics => metrics::details(view, id),
    }
}

fn body_pane(view: &View, frame: &mut Frame, area: Rect) {
    let selected = view.selected_id();
    if view.app.details
        && let Some(id) = &selected
    {
        return details_pane(view, frame, area, id, true);
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
    table_pane(view, frame, table_area);
    if view.app.tab == Tab::Metrics {
        if let (Some(area), Some(id)) = (details_area, &selected) {
            metrics::chart(view, frame, area, id);
        }
    } else if let (Some(area), Some(id)) = (details_area, &selected) {
        details_pane(view, frame, area, id, false);
    }
}

fn table_pane(view: &View, frame: &mut Frame, area: Rect) {
    // Only the rows on screen are built: the selection scrolls into view from the top, as
    // ratatui's own table state would do it.
    let count = view.rows.len();
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = view.selection.map_or(0, |s| s.saturating_sub(height - 1));
    let shown = &view.rows[offset.min(count)..(offset + height).min(count)];
    let listing = listing(view, shown);
    let title = format!(" {} ({count}) ", view.app.tab.title());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, view.theme.title))
        .border_style(view.theme.muted);
    if count == 0 {
        let why = if view.app.filter.is_empty() {
            "Nothing here.".to_string()
        } else {
            format!("No row matches /{}", view.app.filter)
        };
        frame.render_widget(
            Paragraph::new(Span::styled(why, view.theme.muted)).block(block),
            area,
        );
        return;
    }
    let header = Row::new(listing.header).style(view.theme.muted);
    // Borders and the highlight symbol take four columns.
    let widths = fit(&listing.widths, area.width.saturating_sub(4));
    let table = Table::new(listing.rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(view.theme.selected)
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(view.selection.map(|s| s - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

fn details_pane(view: &View, frame: &mut Frame, area: Rect, id: &str, open: bool) {
    let hint = if open {
        " Details · Esc to close · ↑↓ scroll "
    } else {
        " Details · Enter to open "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(hint, view.theme.title))
        .border_style(view.theme.muted);
    let scroll = if open { view.app.details_scroll } else { 0 };
    let paragraph = Paragraph::new(details(view, id))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}

/// A labelled line for details panes.
pub fn field<'a>(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), theme.muted),
        Span::raw(value.into()),
    ])
}

/// A section heading in a details pane.
pub fn heading<'a>(text: impl Into<String>, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(text.into(), theme.title))
}

/// Findings that name a resource, as detail lines.
pub fn findings_for<'a>(view: &View, resource: &str) -> Vec<Line<'a>> {
    use crate::checks::Status;
    use crate::report::text::icon;
    let mut lines = Vec::new();
    for f in view
        .audit
        .findings
        .iter()
        .filter(|f| f.resources.iter().any(|r| r == resource) && f.status != Status::Pass)
    {
        let style = view.theme.status(f.status);
        lines.push(Line::from(vec![Span::styled(
            format!("{} {}", icon(f.status), f.id),
            style,
        )]));
        lines.push(Line::from(format!("  {}", f.detail)));
        if let Some(fix) = &f.remediation {
            for fix_line in fix.lines() {
                lines.push(Line::from(Span::styled(
                    format!("  $ {fix_line}"),
                    view.theme.accent,
                )));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("✔ no findings", view.theme.ok)));
    }
    lines
}

#[cfg(test)]
mod tests;
