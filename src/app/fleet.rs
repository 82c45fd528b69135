//! The Fleet screen's state and keys: with fleet flags (`--all-envs`, `--regions`,
//! `--profiles`, `--accounts`) the dashboard reads every target once, lists each as it
//! arrives, and opens one in the panes with Enter; Esc (or `t`) from the panes comes back,
//! `r` reads the fleet again (the list changes once that read ends). An opened target shows
//! the data of its read, as a snapshot file would.

use super::list::{moved, not_on_a_list, tabs_only};
use super::{Action, App, Command};
use crate::fleet::{Entry, Progress, sort};
use crate::lists::fleet::{FleetRow, rows};

/// The Fleet screen, once the dashboard runs over a fleet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetView {
    /// The targets listed: audited ones, then the failed ones ([`sort`]).
    pub entries: Vec<Entry>,
    /// The targets of a read again (`r`) so far, listed once it ends.
    pub incoming: Vec<Entry>,
    /// Numbers the reads; results of an older one are dropped.
    pub generation: u64,
    /// True once a read has ended.
    pub read_once: bool,
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
    /// How far the read under way is in each account and Region.
    pub progress: Progress,
}

impl App {
    /// Started with fleet flags: the Fleet screen, whose targets are read in the background.
    pub fn start_fleet(&mut self) -> Vec<Command> {
        self.live = false;
        self.fleet = Some(FleetView {
            on_screen: true,
            ..FleetView::default()
        });
        self.read_fleet().into_iter().collect()
    }

    /// A new read of every target.
    fn read_fleet(&mut self) -> Option<Command> {
        let fleet = self.fleet.as_mut()?;
        fleet.generation += 1;
        fleet.loading = true;
        fleet.incoming.clear();
        fleet.progress = Progress::default();
        Some(Command::FetchFleet {
            generation: fleet.generation,
        })
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
                let key = fleet.entries[row.entry]
                    .key()
                    .map(|k| k.map(str::to_string));
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

    /// A target of the read under way: listed at once during the first read, kept until
    /// the read ends during a later one.
    fn fleet_target(&mut self, generation: u64, entry: Entry) {
        let Some(fleet) = self.fleet.as_mut().filter(|f| f.generation == generation) else {
            return;
        };
        match fleet.read_once {
            false => {
                fleet.entries.push(entry);
                sort(&mut fleet.entries);
            }
            true => fleet.incoming.push(entry),
        }
    }

    /// The read ended: a later read's targets replace the list, and the open target, if it
    /// is still there, shows its new data. A read that failed keeps the list it had.
    fn fleet_read(&mut self, generation: u64, result: &Result<(), String>) {
        let Some(fleet) = self.fleet.as_mut().filter(|f| f.generation == generation) else {
            return;
        };
        fleet.loading = false;
        if let Err(message) = result {
            fleet.error = Some(message.clone());
            fleet.incoming.clear();
            fleet.read_once = true;
            return;
        }
        fleet.error = None;
        if fleet.read_once {
            fleet.entries = std::mem::take(&mut fleet.incoming);
            sort(&mut fleet.entries);
        }
        fleet.read_once = true;
        let open = fleet.open.as_ref().and_then(|key| {
            fleet.entries.iter().find_map(|e| match e {
                Entry::Audited { snapshot, .. } if e.key().is_some_and(|k| k == *key) => {
                    Some((**snapshot).clone())
                }
                _ => None,
            })
        });
        if let Some(snapshot) = open {
            self.loaded(true, snapshot);
        }
    }
}

/// The fleet's share of [`super::update`]: a read arriving; on the Fleet screen its own
/// keys; in an opened target, the keys that lead back or read again. `None` for what the
/// rest of `update` handles.
pub(super) fn intercept(app: &mut App, action: &Action) -> Option<Vec<Command>> {
    app.fleet.as_ref()?;
    match action {
        Action::FleetTarget { generation, entry } => {
            app.fleet_target(*generation, (**entry).clone());
            return Some(Vec::new());
        }
        Action::FleetProgress {
            generation,
            progress,
        } => {
            if let Some(fleet) = app.fleet.as_mut().filter(|f| f.generation == *generation) {
                fleet.progress = (**progress).clone();
            }
            return Some(Vec::new());
        }
        Action::FleetRead { generation, result } => {
            app.fleet_read(*generation, result);
            return Some(Vec::new());
        }
        Action::Refresh => return Some(app.read_fleet().into_iter().collect()),
        _ => {}
    }
    let fleet = app.fleet.as_mut()?;
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
            _ => None,
        };
    }
    let count = app.fleet_rows().len();
    if tabs_only(action) {
        app.notice = not_on_a_list(action);
        return Some(Vec::new());
    }
    let fleet = app.fleet.as_mut()?;
    if moved(&mut fleet.selected, count, action) {
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
