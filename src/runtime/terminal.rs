//! Terminal set-up and restore. `ratatui::try_init` installs a panic hook that restores
//! the terminal before the report prints; `Session` restores it on every other exit.

use std::io;

use ratatui::DefaultTerminal;

/// The raw-mode, alternate-screen terminal for the lifetime of the dashboard.
pub struct Session {
    pub terminal: DefaultTerminal,
}

impl Session {
    pub fn start() -> io::Result<Self> {
        Ok(Self {
            terminal: ratatui::try_init()?,
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
