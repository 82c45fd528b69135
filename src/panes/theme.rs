//! The semantic theme: ok / warn / error / muted / accent, with a monochrome variant used
//! when `NO_COLOR` is set.

use ratatui::style::{Color, Modifier, Style};

use crate::checks::Status;
use crate::model::EndpointState;

/// The styles the UI gives each meaning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Passes and healthy states.
    pub ok: Style,
    /// Warnings.
    pub warn: Style,
    /// Failures, and endpoints that cannot carry traffic.
    pub error: Style,
    /// Secondary text, borders, and unknown status.
    pub muted: Style,
    /// Highlights and informational status.
    pub accent: Style,
    /// The selected table row.
    pub selected: Style,
    /// Titles and the current tab.
    pub title: Style,
}

impl Theme {
    /// The default theme, in color.
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

    /// The style of a check status.
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
