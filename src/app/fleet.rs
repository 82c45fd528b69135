//! The Fleet screen's state and keys: with fleet flags (`--all-envs`, `--regions`,
//! `--profiles`, `--accounts`) the dashboard reads every target once, lists them, and opens
//! one in the panes with Enter; Esc (or `t`) from the panes comes back, `r` reads the fleet
//! again. An opened target shows the data of that read, as a snapshot file would.

use super::list::{moved, tabs_only};
use super::{Action, App, Command};
use crate::fleet::Entry;
use crate::panes::fleet::{FleetRow, rows};

/// The Fleet screen, once the dashboard runs over a fleet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetView {
    /// The last fleet read: audited targets, then the failed ones.
    pub entries: Vec<Entry>,
    /// True while a read is under way.
    pub loading: bool,
    /// Why the last read failed as a whole, if it did.
    pub error: Option<String>,
    /// True to list the worst targets first (`s`).
    pub by_worst: bool,
    /// The selected row.
    pub selected: usize,
    /// True while the Fleet screen is on screen (not a target's panes).
    pub on_screen: bool,
    /// The target open in the panes, by [`Entry::key`].
    pub open: Option<[String; 4]>,
}

impl App {
    /// Started with fleet flags: the Fleet screen, whose targets are read in the background.
    pub fn start_fleet(&mut self) -> Vec<Command> {
        self.live = false;
        self.fleet = Some(FleetView {
            loading: true,
            on_screen: true,
            ..FleetView::default()
        });
        vec![Command::FetchFleet]
    }

    /// True while the Fleet screen is on screen.
    pub fn on_fleet_screen(&self) -> bool {
        self.fleet.as_ref().is_some_and(|f| f.on_screen)
    }

    /// The Fleet screen's rows, filtered and ordered.
    pub fn fleet_rows(&self) -> Vec<FleetRow> {
        self.fleet
            .as_ref()
            .map(|f| rows(&f.entries, &self.filter, f.by_worst))
            .unwrap_or_default()
    }

    /// Opens the selected target in the panes, or says why it cannot be opened.
    fn open_target(&mut self) {
        let rows = self.fleet_rows();
        let Some(fleet) = &self.fleet else { return };
        let Some(row) = rows.get(fleet.selected.min(rows.len().saturating_sub(1))) else {
            return;
        };
        match &fleet.entries[row.entry] {
            Entry::Audited { snapshot, .. } => {
                let snapshot = (**snapshot).clone();
                let key = fleet.entries[row.entry].key();
                self.clear_target();
                self.loaded(true, snapshot);
                if let Some(fleet) = &mut self.fleet {
                    fleet.open = key;
                    fleet.on_screen = false;
                }
            }
            Entry::Failed(failed) => {
                self.notice = Some(format!("not audited: {}", failed.reason));
            }
        }
    }

    /// A new fleet read: the open target, if it is still there, shows its new data.
    fn fleet_read(&mut self, entries: Vec<Entry>) {
        let Some(fleet) = &mut self.fleet else { return };
        fleet.loading = false;
        fleet.error = None;
        let open = fleet.open.clone().and_then(|key| {
            entries
                .iter()
                .find(|e| e.key().as_ref() == Some(&key))
                .map(|e| match e {
                    Entry::Audited { snapshot, .. } => (**snapshot).clone(),
                    Entry::Failed(_) => unreachable!("a failed entry has no key"),
                })
        });
        fleet.entries = entries;
        if let Some(snapshot) = open {
            self.loaded(true, snapshot);
        }
    }
}

/// The fleet's share of [`super::update`]: a read arriving; on the Fleet screen its own
/// keys; in an opened target, the keys that lead back or read again. `None` for what the
/// rest of `update` handles.
pub(super) fn intercept(app: &mut App, action: &Action) -> Option<Vec<Command>> {
    let fleet = app.fleet.as_mut()?;
    match action {
        Action::FleetRead(Ok(entries)) => {
            app.fleet_read(entries.clone());
            return Some(Vec::new());
        }
        Action::FleetRead(Err(message)) => {
            fleet.loading = false;
            fleet.error = Some(message.clone());
            return Some(Vec::new());
        }
        Action::Refresh => {
            fleet.loading = true;
            return Some(vec![Command::FetchFleet]);
        }
        _ => {}
    }
    if !fleet.on_screen {
        return match action {
            Action::Back
                if !app.help && !app.details && !app.filtering && app.filter.is_empty() =>
            {
                fleet.on_screen = true;
                Some(Vec::new())
            }
            Action::OpenPicker => {
                fleet.on_screen = true;
                app.filter.clear();
                app.filtering = false;
                app.details = false;
                Some(Vec::new())
            }
            Action::CycleWindow => {
                app.notice = Some("the fleet is read with a 3h metrics window".into());
                Some(Vec::new())
            }
            _ => None,
        };
    }
    let count = app.fleet_rows().len();
    let fleet = app.fleet.as_mut()?;
    if moved(&mut fleet.selected, count, action) || tabs_only(action) {
        return Some(Vec::new());
    }
    match action {
        Action::SortByWorst => {
            fleet.by_worst = !fleet.by_worst;
            fleet.selected = 0;
        }
        Action::Open => app.open_target(),
        // Esc with no filter goes back to the target that was open, if there is one.
        Action::Back if app.filter.is_empty() && !app.filtering && !app.help => {
            fleet.on_screen = fleet.open.is_none() || app.snapshot.is_none();
        }
        Action::FilterChar(_) | Action::FilterBackspace => {
            fleet.selected = 0;
            return None;
        }
        _ => return None,
    }
    Some(Vec::new())
}
