//! Keys to actions, the habits of k9s, gitui and less: arrows and `j`/`k`, `Tab` and the
//! digits, `/` to filter (`:changed` for the rows changed since `--baseline`), `Enter`/`Esc`,
//! `?` for help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, App, Tab};
use crate::panes::PANES;

/// The key map, as the help overlay lists it.
pub fn help() -> Vec<(String, &'static str)> {
    let mut rows = vec![
        (
            "↑ ↓  j k".to_string(),
            "move; in details or this help, scroll",
        ),
        (
            "PgUp PgDn  g G".to_string(),
            "page, first, last; in details or this help, scroll",
        ),
        (format!("Tab  Shift-Tab  1-{}", PANES.len()), "switch tab"),
    ];
    rows.extend(KEYS.iter().map(|(k, v)| (k.to_string(), *v)));
    rows
}

const KEYS: [(&str, &str); 17] = [
    ("Enter", "open details"),
    (
        "Esc",
        "close details, clear filter; back to the Fleet or start screen",
    ),
    ("/", "filter the table (id, service, state, tag)"),
    (":changed", "only rows changed since --baseline (∆)"),
    ("r", "refresh now (live data; a snapshot does not change)"),
    (
        "t",
        "start screen: open another environment or VPC (live data; the Fleet screen with fleet flags)",
    ),
    ("s", "Fleet screen: worst targets first, or by name"),
    (
        "a",
        "pause/resume auto-refresh (live data: 30 s; metrics 60 s)",
    ),
    (
        "w",
        "metrics window 1h / 3h / 24h (a snapshot: only the windows it holds)",
    ),
    ("m", "next metric in the chart"),
    (
        "y",
        "copy the id or fix command: sent to the terminal's clipboard (OSC 52)",
    ),
    (
        "e",
        "export the snapshot and an audit report to new files here",
    ),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
    ("", ""),
    ("Status icons", "✔ pass  ✘ fail  ▲ warn  ● info  ? unknown"),
    ("Colors", "NO_COLOR=1 for the monochrome theme"),
];

/// The action a key means in the current state, if any.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if app.filtering {
        return match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::FilterDone),
            KeyCode::Backspace => Some(Action::FilterBackspace),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Char(c) => Some(Action::FilterChar(c)),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Tab | KeyCode::Right | KeyCode::Char('l') => Action::NextTab,
        KeyCode::BackTab | KeyCode::Left | KeyCode::Char('h') => Action::PrevTab,
        KeyCode::Char(c @ '1'..='9') => Action::SelectTab(Tab(c as usize - '1' as usize)),
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char(':') => Action::StartCommand,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('t') => Action::OpenPicker,
        KeyCode::Char('s') => Action::SortByWorst,
        KeyCode::Char('a') => Action::ToggleAutoRefresh,
        KeyCode::Char('y') => Action::Copy,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('w') => Action::CycleWindow,
        KeyCode::Char('m') => Action::CycleMetric,
        _ => return None,
    })
}
