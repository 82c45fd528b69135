//! What the two list screens (the start screen and the Fleet screen) draw alike: the framed
//! block with its title, and a message in it when there are no rows to show.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

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
