//! What the two list screens (the start screen and the Fleet screen) draw alike: the framed
//! block with its title, the table of rows with its header and selection, and a message in it
//! when there are no rows to show.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState, Wrap};

use super::table_row;
use crate::panes::Theme;
use crate::show::truncate;

/// The frame of a list screen, its title cut to fit `area`.
pub(super) fn block<'a>(title: &str, area: Rect, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            truncate(title, usize::from(area.width).saturating_sub(4)),
            theme.title,
        ))
        .border_style(theme.muted)
}

/// A message in place of the rows (loading, an error, nothing matches), wrapped.
pub(super) fn message(frame: &mut Frame, area: Rect, block: Block, text: String, style: Style) {
    frame.render_widget(
        Paragraph::new(Span::styled(text, style))
            .block(block)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The rows as a table under `header`, the `selected` one (kept within the rows) highlighted.
pub(super) fn table<'a, const N: usize>(
    frame: &mut Frame,
    area: Rect,
    (block, header): (Block<'a>, [&'a str; N]),
    (rows, widths): (Vec<Row<'a>>, Vec<Constraint>),
    selected: usize,
    theme: &Theme,
) {
    let selected = selected.min(rows.len().saturating_sub(1));
    let header = table_row(header.map(Line::from), &widths).style(theme.muted);
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}
