//! A fleet audit's progress on stderr, one line per account and Region redrawn in place, only
//! when stderr is a terminal: piped or redirected, nothing is written, and the block is
//! cleared before anything else is (a warning, the end of the run).

use std::io::Write;
use std::time::{Duration, Instant};

use crate::fleet::Progress;

/// Redraws at most this often.
const EVERY: Duration = Duration::from_millis(100);

/// The progress block on stderr.
pub struct Shown {
    terminal: bool,
    /// Lines drawn and not cleared.
    lines: usize,
    drawn: Option<Instant>,
}

impl Shown {
    /// A block that draws only when `terminal` (stderr is one).
    pub fn new(terminal: bool) -> Self {
        Self {
            terminal,
            lines: 0,
            drawn: None,
        }
    }

    /// Draws `progress` in place of the block, unless it was drawn less than [`EVERY`] ago.
    pub fn show(&mut self, progress: &Progress) {
        if !self.terminal || self.drawn.is_some_and(|d| d.elapsed() < EVERY) {
            return;
        }
        let width = crossterm::terminal::size().map_or(80, |(w, _)| w as usize);
        let mut text = self.erase();
        let lines = progress.lines();
        for line in &lines {
            let line = format!("linkscope: {line}");
            text.push_str(&crate::show::truncate(
                &line,
                width.saturating_sub(1).max(10),
            ));
            text.push('\n');
        }
        self.lines = lines.len();
        self.drawn = Some(Instant::now());
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// Clears the block (before a warning, or at the end).
    pub fn clear(&mut self) {
        if self.lines > 0 {
            let text = self.erase();
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            self.lines = 0;
            self.drawn = None;
        }
    }

    /// The escape sequence that moves to the block's first line and clears to the end of
    /// the screen (nothing when no line is drawn).
    fn erase(&self) -> String {
        match self.lines {
            0 => String::new(),
            n => format!("\x1b[{n}F\x1b[J"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_nothing_is_drawn_and_a_drawn_block_is_erased_whole() {
        let mut off = Shown::new(false);
        off.show(&Progress::default());
        assert_eq!((off.lines, off.erase().as_str()), (0, ""));
        let on = Shown {
            terminal: true,
            lines: 3,
            drawn: None,
        };
        assert_eq!(on.erase(), "\x1b[3F\x1b[J");
    }
}
