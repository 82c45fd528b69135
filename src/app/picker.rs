//! The start screen's state changes and keys: with no target the dashboard lists the
//! Region's environments and VPCs; Enter opens one as the new target, `t` comes back.

use super::list::{moved, not_on_a_list, tabs_only};
use super::{Action, App, Command};
use crate::lists;

impl App {
    /// Started without a target: the start screen, whose lists load in the background.
    pub fn start_picking(&mut self) -> Vec<Command> {
        self.choosing = true;
        vec![Command::FetchChoices]
    }

    /// The start screen's rows, filtered.
    pub fn choice_rows(&self) -> Vec<lists::picker::ChoiceRow> {
        self.choices
            .as_ref()
            .map(|c| lists::picker::rows(c, &self.filter))
            .unwrap_or_default()
    }

    /// Opens the selected row of the start screen: a new target, fetched from scratch.
    fn choose(&mut self) -> Vec<Command> {
        let rows = self.choice_rows();
        let Some(row) = rows.get(self.choice_selected.min(rows.len().saturating_sub(1))) else {
            return Vec::new();
        };
        let choice = row.choice.clone();
        self.choosing = false;
        self.clear_target();
        self.choice = Some(choice.clone());
        vec![Command::Target(choice), self.fetch(true)]
    }
}

/// The start screen's own keys: moving, opening, reloading the lists and leaving; `None`
/// for the actions it shares with the dashboard (filter, help, quit, results arriving).
pub(super) fn picking(app: &mut App, action: &Action) -> Option<Vec<Command>> {
    let count = app.choice_rows().len();
    if tabs_only(action) {
        app.notice = not_on_a_list(action);
        return Some(Vec::new());
    }
    if moved(&mut app.choice_selected, count, action) {
        return Some(Vec::new());
    }
    match action {
        Action::Open => return Some(app.choose()),
        Action::Refresh => {
            app.choices = None;
            app.choices_error = None;
            return Some(vec![Command::FetchChoices]);
        }
        // Esc with no filter goes back to the target on screen, if there is one.
        Action::Back if app.filter.is_empty() && !app.filtering && app.snapshot.is_some() => {
            app.choosing = false;
        }
        Action::FilterChar(_) | Action::FilterBackspace => {
            app.choice_selected = 0;
            return None;
        }
        _ => return None,
    }
    Some(Vec::new())
}
