//! Terminal set-up and restore. [`super::panic`] restores the terminal before a panic report
//! prints; `Session` restores it on every other exit.

use std::io::{self, stdout};

use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;

/// The raw-mode, alternate-screen terminal for the lifetime of the dashboard.
pub struct Session {
    pub terminal: DefaultTerminal,
}

impl Session {
    pub fn start() -> io::Result<Self> {
        super::panic::install(ratatui::restore);
        enable_raw_mode()?;
        // From here on, `Drop` restores the terminal whatever fails next.
        let mut session = Self {
            terminal: ratatui::Terminal::new(CrosstermBackend::new(stdout()))?,
        };
        execute!(session.terminal.backend_mut(), EnterAlternateScreen)?;
        session.terminal.clear()?;
        Ok(session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
