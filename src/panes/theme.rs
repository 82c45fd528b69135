//! The semantic theme: ok / warn / error / muted / accent, with a monochrome variant used
//! when `NO_COLOR` is set.

use ratatui::style::{Color, Modifier, Style};

use crate::checks::Status;
use crate::model::EndpointState;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub muted: Style,
    pub accent: Style,
    pub selected: Style,
    pub title: Style,
}

impl Theme {
    pub fn color() -> Self {
        Self {
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            muted: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Cyan),
            selected: Style::new()
                .bg(Color::Rgb(40, 44, 52))
                .add_modifier(Modifier::BOLD),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }

    /// No colors: meaning is carried by icons, bold, underline and dim.
    pub fn mono() -> Self {
        Self {
            ok: Style::new(),
            warn: Style::new().add_modifier(Modifier::UNDERLINED),
            error: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            muted: Style::new().add_modifier(Modifier::DIM),
            accent: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// `NO_COLOR` (any value) selects the monochrome theme.
    pub fn from_env() -> Self {
        if std::env::var_os("NO_COLOR").is_some() {
            Self::mono()
        } else {
            Self::color()
        }
    }

    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::Pass => self.ok,
            Status::Fail => self.error,
            Status::Warn => self.warn,
            Status::Info => self.accent,
            Status::Unknown => self.muted,
        }
    }

    /// An endpoint that is not `available` cannot carry traffic: error style.
    pub fn state(&self, state: &EndpointState) -> Style {
        if *state == EndpointState::Available {
            self.ok
        } else {
            self.error
        }
    }
}
