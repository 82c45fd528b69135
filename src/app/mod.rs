//! The dashboard's state and its pure `update`, TEA style: input and fetch results arrive
//! as [`Action`]s; `update` changes the [`App`] and returns the [`Command`]s the runtime
//! must carry out. Nothing here does I/O.

mod fleet;
mod keymap;
mod list;
mod picker;

pub use fleet::FleetView;
pub use keymap::{action_for, help};

use std::cell::Cell;
use std::collections::BTreeSet;
use std::time::Duration;

use crate::checks::{Audit, audit_with};
use crate::fleet::{Entry, Progress};
use crate::model::{Changes, Choice, Choices, MetricName, ProbeReport, Snapshot, Source};
use crate::panes::{self, Data, Index, PANES, Pane, Row};

/// A tab: a position in [`PANES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tab(pub usize);

impl Tab {
    /// The first tab, the checklist.
    pub const FIRST: Tab = Tab(0);

    /// The pane this tab shows.
    pub fn pane(self) -> &'static dyn Pane {
        PANES[self.0 % PANES.len()]
    }

    /// The tab whose pane has this title.
    pub fn named(title: &str) -> Option<Tab> {
        PANES.iter().position(|p| p.title() == title).map(Tab)
    }

    /// Every tab, in order.
    pub fn all() -> impl Iterator<Item = Tab> {
        (0..PANES.len()).map(Tab)
    }

    fn next(self) -> Tab {
        Tab((self.0 + 1) % PANES.len())
    }

    fn previous(self) -> Tab {
        Tab((self.0 + PANES.len() - 1) % PANES.len())
    }
}

/// The metrics time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The last hour.
    OneHour,
    /// The last three hours (the default).
    ThreeHours,
    /// The last 24 hours.
    OneDay,
}

impl Window {
    /// The window's length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Window::OneHour => 3600,
            Window::ThreeHours => 3 * 3600,
            Window::OneDay => 24 * 3600,
        }
    }

    /// The short label shown in the UI, e.g. `3h`.
    pub fn label(self) -> &'static str {
        match self {
            Window::OneHour => "1h",
            Window::ThreeHours => "3h",
            Window::OneDay => "24h",
        }
    }

    /// Every window, shortest first.
    pub const ALL: [Window; 3] = [Window::OneHour, Window::ThreeHours, Window::OneDay];

    /// The next window of at most `longest` seconds, from this one, round again; `None`
    /// when no other window fits.
    fn next_within(self, longest: i64) -> Option<Self> {
        let fitting: Vec<Window> = Self::ALL
            .into_iter()
            .filter(|w| w.seconds() <= longest)
            .collect();
        let at = fitting.iter().position(|w| *w == self);
        let next = match at {
            Some(i) => fitting[(i + 1) % fitting.len()],
            None => *fitting.first()?,
        };
        (next != self).then_some(next)
    }
}

/// Describes refresh every 30 s; metrics are one-minute data, refreshed every 60 s.
pub const DESCRIBE_EVERY_MS: u64 = 30_000;
/// How often metrics refresh, in milliseconds.
pub const METRICS_EVERY_MS: u64 = 60_000;

/// Something that happened: a key, a tick of the clock, a finished fetch.
#[derive(Debug, Clone)]
pub enum Action {
    /// Leave the dashboard.
    Quit,
    /// Switch to the next tab.
    NextTab,
    /// Switch to the previous tab.
    PrevTab,
    /// Switch to this tab.
    SelectTab(Tab),
    /// Select the row above, or scroll the open details up.
    Up,
    /// Select the row below, or scroll the open details down.
    Down,
    /// Move the selection ten rows up, or scroll the open details or help a page up.
    PageUp,
    /// Move the selection ten rows down, or scroll the open details or help a page down.
    PageDown,
    /// Select the first row, or scroll the open details or help to their top.
    Top,
    /// Select the last row, or scroll the open details or help to their end.
    Bottom,
    /// Open the details of the selected row.
    Open,
    /// Close the help or the details, else clear the filter.
    Back,
    /// Start editing the filter.
    StartFilter,
    /// Start a `:` filter (`:changed`), replacing the current one.
    StartCommand,
    /// Append a character to the filter.
    FilterChar(char),
    /// Delete the filter's last character.
    FilterBackspace,
    /// Stop editing the filter and keep it.
    FilterDone,
    /// Fetch now, metrics included.
    Refresh,
    /// Pause or resume auto-refresh.
    ToggleAutoRefresh,
    /// Copy the selected row's id or fix command to the clipboard.
    Copy,
    /// Write the snapshot and an audit report to files.
    Export,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Switch to the next metrics window and fetch again.
    CycleWindow,
    /// Chart the next metric.
    CycleMetric,
    /// The clock, in milliseconds since the dashboard started.
    Tick(u64),
    /// A fetch finished. Results of an older generation than the latest request are dropped.
    Loaded {
        /// The generation of the request this answers.
        generation: u64,
        /// True when the fetch included metrics.
        with_metrics: bool,
        /// The snapshot, or the error message.
        result: Result<Box<Snapshot>, String>,
    },
    /// An export or copy finished, with a message for the footer.
    Notice(String),
    /// Open the start screen (the list of environments and VPCs to open).
    OpenPicker,
    /// The start screen's lists arrived, or why they could not be read.
    ChoicesLoaded(Result<Box<Choices>, String>),
    /// A target of a fleet read, audited or not, as soon as it is known.
    FleetTarget {
        /// The read it belongs to ([`Command::FetchFleet`]).
        generation: u64,
        /// The target.
        entry: Box<Entry>,
    },
    /// How far a fleet read is in each account and Region.
    FleetProgress {
        /// The read ([`Command::FetchFleet`]).
        generation: u64,
        /// Its progress.
        progress: Box<Progress>,
    },
    /// A fleet read ended, or why it could not run to its end.
    FleetRead {
        /// The read ([`Command::FetchFleet`]).
        generation: u64,
        /// `Err` when the read failed as a whole (the worker panicked).
        result: Result<(), String>,
    },
    /// On the Fleet screen: list the worst targets first, or back in name order.
    SortByWorst,
    /// CloudTrail changes read so far (after each page), or all of them (`done`).
    ChangesRead {
        /// The request they answer ([`Command::FetchChanges`]).
        generation: u64,
        /// What has been read.
        changes: Box<Changes>,
        /// True once the read ended.
        done: bool,
    },
}

impl Action {
    /// True for what the user pressed (as opposed to the clock and results arriving).
    pub fn is_key(&self) -> bool {
        !matches!(
            self,
            Action::Tick(_)
                | Action::Loaded { .. }
                | Action::Notice(_)
                | Action::ChoicesLoaded(_)
                | Action::FleetTarget { .. }
                | Action::FleetProgress { .. }
                | Action::FleetRead { .. }
                | Action::ChangesRead { .. }
        )
    }
}

/// Lines a page key scrolls the details or the help.
const PAGE: u16 = 10;

/// A scroll position moved by `delta` lines, kept between the top and `bottom`.
fn scrolled(at: u16, delta: i32, bottom: u16) -> u16 {
    let at = i32::from(at.min(bottom)) + delta;
    at.clamp(0, i32::from(bottom)) as u16
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Collect a snapshot; without metrics, the previous series are kept.
    Fetch {
        /// Numbers the request; the answering [`Action::Loaded`] carries it back.
        generation: u64,
        /// False for a describes-only refresh.
        with_metrics: bool,
        /// The metrics window, in seconds.
        window_seconds: i64,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Write the snapshot and an audit report to files.
    Export(Box<Snapshot>),
    /// Read the start screen's lists.
    FetchChoices,
    /// From now on, fetch this target (the next [`Command::Fetch`] and every refresh).
    Target(Choice),
    /// Read and audit every target of the fleet flags, each reported as it arrives.
    FetchFleet {
        /// Numbers the read; its [`Action::FleetTarget`]s and [`Action::FleetRead`] carry it.
        generation: u64,
    },
    /// Read the CloudTrail changes of `window` on the snapshot's resources, page by page.
    FetchChanges {
        /// Numbers the request; each [`Action::ChangesRead`] carries it back.
        generation: u64,
        /// The snapshot whose resources are in scope.
        snapshot: Box<Snapshot>,
        /// How far back to read.
        window: Duration,
    },
}

/// The dashboard state. The UI only reads it.
#[derive(Debug, Clone)]
pub struct App {
    /// The snapshot on screen.
    pub snapshot: Option<Snapshot>,
    /// Its audit.
    pub audit: Option<Audit>,
    /// Evidence from `linkscope probe` runs (`--probe`), folded into every audit.
    pub probes: Vec<ProbeReport>,
    /// The `--baseline` snapshot and its audit, which rows are compared with.
    pub baseline: Option<Box<(Snapshot, Audit)>>,
    /// What changed since the baseline, recomputed with every snapshot.
    pub diff: Option<crate::diff::Diff>,
    /// The row ids changed since the baseline (from `diff`).
    pub changed: BTreeSet<String>,
    /// True while the start screen is on screen.
    pub choosing: bool,
    /// The start screen's lists, once read.
    pub choices: Option<Choices>,
    /// Why the start screen's lists could not be read at all.
    pub choices_error: Option<String>,
    /// The selected row of the start screen.
    pub choice_selected: usize,
    /// What was opened from the start screen, if anything.
    pub choice: Option<Choice>,
    /// The Fleet screen, when the dashboard runs over a fleet.
    pub fleet: Option<FleetView>,
    /// `--changes`: how far back CloudTrail is read (live data only).
    pub changes_window: Option<Duration>,
    /// The CloudTrail changes read so far; every snapshot of the session carries them.
    pub changes: Option<Changes>,
    /// True while CloudTrail is being read.
    pub changes_reading: bool,
    /// The generation of the latest CloudTrail read; older pages are dropped.
    pub changes_generation: u64,
    /// Lookups into `snapshot`, rebuilt with it.
    pub index: Index,
    /// True for live AWS data (refreshed); false for a snapshot file or a demo.
    pub live: bool,
    /// The tab on screen.
    pub tab: Tab,
    /// Selected row per tab, as an index into the visible rows.
    pub selected: Vec<usize>,
    /// The filter text; rows that do not match it are hidden.
    pub filter: String,
    /// True while the filter is being edited.
    pub filtering: bool,
    /// True while the selected row's details are open.
    pub details: bool,
    /// Scroll offset of the opened details.
    pub details_scroll: u16,
    /// The furthest the open details can scroll, as last drawn (`u16::MAX` before that):
    /// the drawing, which knows how the lines wrap, tells the keys where the end is.
    pub details_bottom: Cell<u16>,
    /// True while the help overlay is shown.
    pub help: bool,
    /// Scroll offset of the help overlay.
    pub help_scroll: u16,
    /// The furthest the help can scroll, as last drawn (`u16::MAX` before that).
    pub help_bottom: Cell<u16>,
    /// True when live data refreshes on its own.
    pub auto_refresh: bool,
    /// The metrics time window.
    pub window: Window,
    /// Which of the five metrics the Metrics tab charts.
    pub metric: usize,
    /// True while a fetch is under way.
    pub loading: bool,
    /// The last fetch error, shown in the footer and the affected pane.
    pub error: Option<String>,
    /// The latest message for the footer (a copy, an export, what a key does here); the
    /// next key clears it.
    pub notice: Option<String>,
    /// The generation of the latest fetch request; results of older ones are dropped.
    pub generation: u64,
    /// The clock, in milliseconds since the dashboard started.
    pub now_ms: u64,
    /// When the last fetch finished, successful or not, on the `now_ms` clock.
    pub loaded_at_ms: Option<u64>,
    /// When metrics were last loaded, on the `now_ms` clock.
    pub metrics_at_ms: Option<u64>,
    /// True once the user quits; the runtime then exits.
    pub quit: bool,
}

impl Default for App {
    fn default() -> Self {
        Self {
            snapshot: None,
            audit: None,
            probes: Vec::new(),
            baseline: None,
            diff: None,
            changed: BTreeSet::new(),
            choosing: false,
            choices: None,
            choices_error: None,
            choice_selected: 0,
            choice: None,
            fleet: None,
            changes_window: None,
            changes: None,
            changes_reading: false,
            changes_generation: 0,
            index: Index::default(),
            live: false,
            tab: Tab::FIRST,
            selected: vec![0; PANES.len()],
            filter: String::new(),
            filtering: false,
            details: false,
            details_scroll: 0,
            details_bottom: Cell::new(u16::MAX),
            help: false,
            help_scroll: 0,
            help_bottom: Cell::new(u16::MAX),
            auto_refresh: true,
            window: Window::ThreeHours,
            metric: 0,
            loading: false,
            error: None,
            notice: None,
            generation: 0,
            now_ms: 0,
            loaded_at_ms: None,
            metrics_at_ms: None,
            quit: false,
        }
    }
}

impl App {
    /// The dashboard compared with a baseline snapshot (audited with the same probes).
    pub fn with_baseline(mut self, baseline: Option<Snapshot>) -> Self {
        self.baseline = baseline.map(|snapshot| {
            let audit = audit_with(&snapshot, &self.probes);
            Box::new((snapshot, audit))
        });
        self
    }

    /// A CloudTrail read for the snapshot on screen, when `--changes` asks for one and the
    /// data is live.
    fn fetch_changes(&mut self) -> Option<Command> {
        let window = self.changes_window.filter(|_| self.live)?;
        let snapshot = self.snapshot.clone()?;
        self.changes_generation += 1;
        self.changes_reading = true;
        Some(Command::FetchChanges {
            generation: self.changes_generation,
            snapshot: Box::new(snapshot),
            window,
        })
    }

    /// Audits the snapshot on screen again (new probe or change evidence), keeping the
    /// baseline comparison current.
    fn reaudit(&mut self) {
        let Some(snapshot) = self.snapshot.take() else {
            return;
        };
        self.audit = Some(audit_with(&snapshot, &self.probes));
        if let (Some(baseline), Some(audit)) = (&self.baseline, &self.audit) {
            let (old, old_audit) = baseline.as_ref();
            let diff = crate::diff::compare(old, old_audit, &snapshot, audit);
            self.changed = diff.changed_ids();
            self.diff = Some(diff);
        }
        self.snapshot = Some(snapshot);
    }

    /// Forgets the target on screen before another is opened.
    fn clear_target(&mut self) {
        self.filter.clear();
        self.filtering = false;
        self.details = false;
        self.snapshot = None;
        self.audit = None;
        self.index = Index::default();
        self.changes = None;
        self.changes_reading = false;
        self.diff = None;
        self.changed.clear();
        self.selected = vec![0; PANES.len()];
        self.tab = Tab::FIRST;
        self.error = None;
        self.loaded_at_ms = None;
        self.metrics_at_ms = None;
    }

    /// The first fetch, issued before any data exists.
    pub fn start(&mut self) -> Vec<Command> {
        vec![self.fetch(true)]
    }

    fn fetch(&mut self, with_metrics: bool) -> Command {
        self.generation += 1;
        self.loading = true;
        Command::Fetch {
            generation: self.generation,
            with_metrics,
            window_seconds: self.window.seconds(),
        }
    }

    /// What the panes list rows from, once a snapshot is loaded.
    pub fn data(&self) -> Option<Data<'_>> {
        Some(Data {
            snapshot: self.snapshot.as_ref()?,
            audit: self.audit.as_ref()?,
            index: &self.index,
            changed: self.baseline.as_ref().map(|_| &self.changed),
        })
    }

    /// The rows a tab shows.
    pub fn rows_of(&self, tab: Tab) -> Vec<Row> {
        self.data()
            .map(|data| panes::visible(tab.pane(), &data, &self.filter))
            .unwrap_or_default()
    }

    /// The rows the current tab shows.
    pub fn rows(&self) -> Vec<Row> {
        self.rows_of(self.tab)
    }

    /// The metric the chart shows (`m` cycles).
    pub fn metric(&self) -> MetricName {
        MetricName::ALL[self.metric % MetricName::ALL.len()]
    }

    /// The selected row of the current tab, clamped to the visible rows.
    pub fn selection(&self) -> Option<usize> {
        self.selection_among(self.rows().len())
    }

    /// The selected row when the current tab shows `count` rows.
    pub fn selection_among(&self, count: usize) -> Option<usize> {
        (count > 0).then(|| self.selected[self.tab.0].min(count - 1))
    }

    /// The id of the selected row.
    pub fn selected_id(&self) -> Option<String> {
        let rows = self.rows();
        let index = self.selection_among(rows.len())?;
        rows.get(index).map(|r| r.id.clone())
    }

    fn move_selection(&mut self, delta: isize) {
        let count = self.rows().len();
        if count == 0 {
            return;
        }
        let current = self.selection_among(count).unwrap_or(0) as isize;
        self.selected[self.tab.0] = (current + delta).clamp(0, count as isize - 1) as usize;
    }

    /// The text `y` copies, as the current pane chooses it (a finding's fix, else the id).
    fn copy_text(&self) -> Option<String> {
        let id = self.selected_id()?;
        Some(self.tab.pane().copy_text(&self.data()?, &id))
    }

    /// The metrics windows `w` offers: every one on live data; on a snapshot, those the
    /// snapshot's metrics span.
    fn windows(&self) -> Vec<Window> {
        let span = match (&self.snapshot, self.live) {
            (Some(s), false) => s.metrics.end - s.metrics.start,
            _ => i64::MAX,
        };
        Window::ALL
            .into_iter()
            .filter(|w| w.seconds() <= span)
            .collect()
    }

    /// `w`: the next window, fetched again on live data; on a snapshot, the next window it
    /// holds, or why there is none.
    fn cycle_window(&mut self) -> Vec<Command> {
        let longest = self.windows().last().map_or(0, |w| w.seconds());
        let Some(next) = self.window.next_within(longest) else {
            self.notice = Some(match self.snapshot.as_ref() {
                Some(s) => format!(
                    "this snapshot holds {} of metrics: no other window to show",
                    hours(s.metrics.end - s.metrics.start)
                ),
                None => "no metrics loaded yet".into(),
            });
            return Vec::new();
        };
        self.window = next;
        match self.live {
            true => vec![self.fetch(true)],
            false => Vec::new(),
        }
    }

    fn loaded(&mut self, with_metrics: bool, mut snapshot: Snapshot) {
        // Keep what the user was looking at: remember the selected ids, restore after.
        let kept: Vec<Option<String>> = Tab::all()
            .map(|tab| {
                let rows = self.rows_of(tab);
                rows.get(self.selected[tab.0]).map(|r| r.id.clone())
            })
            .collect();
        if !with_metrics && let Some(previous) = &self.snapshot {
            snapshot.metrics = previous.metrics.clone();
            match previous.sources.get(&Source::Metrics) {
                Some(status) => snapshot.sources.insert(Source::Metrics, status.clone()),
                None => snapshot.sources.remove(&Source::Metrics),
            };
        }
        if snapshot.changes.is_none() {
            snapshot.changes = self.changes.clone();
        }
        if let Some((old, _)) = self.baseline.as_deref()
            && old.vpc.id != snapshot.vpc.id
        {
            self.notice = Some(format!(
                "the baseline is {}, not {}: ∆ compares two VPCs",
                old.vpc.id, snapshot.vpc.id
            ));
        }
        self.index = Index::new(&snapshot);
        self.snapshot = Some(snapshot);
        self.reaudit();
        for (tab, id) in Tab::all().zip(kept) {
            let rows = self.rows_of(tab);
            if let Some(index) = id.and_then(|id| rows.iter().position(|r| r.id == id)) {
                self.selected[tab.0] = index;
            }
        }
    }
}

/// While the help is shown: its keys scroll it, `?` and Esc close it, `q` quits; results
/// keep arriving; other keys wait.
fn in_help(app: &mut App, action: &Action) -> Option<Vec<Command>> {
    let bottom = app.help_bottom.get();
    let at = app.help_scroll;
    app.help_scroll = match action {
        Action::Up => scrolled(at, -1, bottom),
        Action::Down => scrolled(at, 1, bottom),
        Action::PageUp => scrolled(at, -i32::from(PAGE), bottom),
        Action::PageDown => scrolled(at, i32::from(PAGE), bottom),
        Action::Top => 0,
        Action::Bottom => bottom,
        Action::ToggleHelp | Action::Back | Action::Quit => return None,
        action if action.is_key() => return Some(Vec::new()),
        _ => return None,
    };
    Some(Vec::new())
}

/// The open details' keys: arrows, pages, top and end scroll them.
fn in_details(app: &mut App, action: &Action) -> bool {
    let bottom = app.details_bottom.get();
    let at = app.details_scroll;
    app.details_scroll = match action {
        Action::Up => scrolled(at, -1, bottom),
        Action::Down => scrolled(at, 1, bottom),
        Action::PageUp => scrolled(at, -i32::from(PAGE), bottom),
        Action::PageDown => scrolled(at, i32::from(PAGE), bottom),
        Action::Top => 0,
        Action::Bottom => bottom,
        _ => return false,
    };
    true
}

/// What a key that only live data has does on a snapshot (a file, a demo, a fleet
/// target): nothing but say so. `None` for the keys that work the same on both.
fn on_snapshot(app: &App, action: &Action) -> Option<String> {
    let captured = || {
        app.snapshot
            .as_ref()
            .map(|s| format!(" (captured {})", s.captured_at))
            .unwrap_or_default()
    };
    Some(match action {
        Action::Refresh if app.snapshot.is_some() => format!(
            "r reads live AWS again; a snapshot{} does not change",
            captured()
        ),
        Action::ToggleAutoRefresh => {
            "a pauses the refresh of live data; a snapshot does not refresh".into()
        }
        Action::OpenPicker => "t opens the start screen, which lists live AWS: start linkscope \
             without a target or snapshot for it"
            .into(),
        _ => return None,
    })
}

/// `3h`, `24h`, or minutes below an hour.
fn hours(seconds: i64) -> String {
    match seconds {
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s => format!("{}min", s / 60),
    }
}

/// Applies one action. Pure: the returned commands are the only effects.
pub fn update(app: &mut App, action: Action) -> Vec<Command> {
    if action.is_key() {
        app.notice = None;
    }
    if let Some(commands) = intercepted(app, &action) {
        return commands;
    }
    match action {
        Action::Tick(now) => tick(app, now),
        Action::Loaded {
            generation,
            with_metrics,
            result,
        } => loaded(app, generation, with_metrics, result),
        Action::ChangesRead {
            generation,
            changes,
            done,
        } => changes_read(app, generation, *changes, done),
        Action::ChoicesLoaded(result) => {
            match result {
                Ok(choices) => app.choices = Some(*choices),
                Err(message) => app.choices_error = Some(message),
            }
            Vec::new()
        }
        Action::Notice(message) => {
            app.notice = Some(message);
            Vec::new()
        }
        other if navigate(app, &other) || filter(app, &other) => Vec::new(),
        other => act(app, other),
    }
}

/// What the screen on top takes before the tabs see it: the help, the Fleet screen, the
/// start screen, open details, and on a snapshot the keys that only live data honours.
fn intercepted(app: &mut App, action: &Action) -> Option<Vec<Command>> {
    if app.help
        && let Some(commands) = in_help(app, action)
    {
        return Some(commands);
    }
    if let Some(commands) = fleet::intercept(app, action) {
        return Some(commands);
    }
    if app.choosing
        && let Some(commands) = picker::picking(app, action)
    {
        return Some(commands);
    }
    if app.details && in_details(app, action) {
        return Some(Vec::new());
    }
    if !app.live
        && let Some(notice) = on_snapshot(app, action)
    {
        app.notice = Some(notice);
        return Some(Vec::new());
    }
    None
}

/// Tabs, selection, details and the way back; false for any other action.
fn navigate(app: &mut App, action: &Action) -> bool {
    let tab_index = app.tab.0;
    match action {
        Action::Quit => app.quit = true,
        Action::NextTab => app.tab = app.tab.next(),
        Action::PrevTab => app.tab = app.tab.previous(),
        Action::SelectTab(tab) if tab.0 < PANES.len() => app.tab = *tab,
        Action::SelectTab(_) => {}
        Action::Up => app.move_selection(-1),
        Action::Down => app.move_selection(1),
        Action::PageUp => app.move_selection(-10),
        Action::PageDown => app.move_selection(10),
        Action::Top => app.selected[tab_index] = 0,
        Action::Bottom => app.move_selection(isize::MAX / 2),
        Action::Open => {
            app.details = app.selection().is_some();
            app.details_scroll = 0;
            app.details_bottom.set(u16::MAX);
        }
        Action::Back if app.help => app.help = false,
        Action::Back if app.details => app.details = false,
        Action::ToggleHelp => {
            app.help = !app.help;
            app.help_scroll = 0;
            app.help_bottom.set(u16::MAX);
        }
        _ => return false,
    }
    true
}

/// The filter (`/`) and the commands (`:`); false for any other action.
fn filter(app: &mut App, action: &Action) -> bool {
    match action {
        Action::Back => {
            app.filter.clear();
            app.filtering = false;
        }
        Action::StartFilter => {
            app.filtering = true;
            app.details = false;
        }
        Action::StartCommand => {
            app.filter = ":".into();
            app.filtering = true;
            app.details = false;
        }
        Action::FilterChar(c) => {
            app.filter.push(*c);
            app.selected[app.tab.0] = 0;
        }
        Action::FilterBackspace => {
            app.filter.pop();
        }
        Action::FilterDone => app.filtering = false,
        _ => return false,
    }
    true
}

/// The keys that do something beyond the screen: fetch, copy, export, windows, lists.
fn act(app: &mut App, action: Action) -> Vec<Command> {
    match action {
        Action::Refresh => {
            let mut commands = vec![app.fetch(true)];
            commands.extend(app.fetch_changes());
            return commands;
        }
        Action::ToggleAutoRefresh => {
            app.auto_refresh = !app.auto_refresh;
            app.notice = Some(match app.auto_refresh {
                true => "auto-refresh on: describes every 30 s, metrics every 60 s".into(),
                false => "auto-refresh paused: r refreshes, a resumes".into(),
            });
        }
        Action::Copy => return app.copy_text().map(Command::Copy).into_iter().collect(),
        Action::Export => {
            let snapshot = app.snapshot.clone();
            return snapshot
                .map(|s| Command::Export(Box::new(s)))
                .into_iter()
                .collect();
        }
        Action::CycleWindow => return app.cycle_window(),
        Action::CycleMetric => app.metric = (app.metric + 1) % MetricName::ALL.len(),
        Action::OpenPicker => return open_picker(app),
        Action::SortByWorst => {
            app.notice = Some(match app.fleet {
                Some(_) => "s sorts the Fleet screen: Esc goes back to it".into(),
                None => "s sorts the Fleet screen, which fleet flags open (--all-envs, \
                         --regions, --profiles, --accounts)"
                    .into(),
            });
        }
        // Without fleet flags there is no Fleet screen to fill; the other actions are
        // handled before this.
        _ => {}
    }
    Vec::new()
}

/// `t`: the start screen, its lists read once.
fn open_picker(app: &mut App) -> Vec<Command> {
    app.choosing = true;
    app.filter.clear();
    app.filtering = false;
    app.details = false;
    if app.choices.is_none() {
        app.choices_error = None;
        return vec![Command::FetchChoices];
    }
    Vec::new()
}

/// The clock: only live data refreshes, describes every 30 s and metrics every 60 s.
fn tick(app: &mut App, now: u64) -> Vec<Command> {
    app.now_ms = now;
    if app.live && app.auto_refresh && !app.loading {
        let describes = app
            .loaded_at_ms
            .is_some_and(|at| now.saturating_sub(at) >= DESCRIBE_EVERY_MS);
        // Metrics never fetched yet come with the next describe refresh.
        let metrics = app
            .metrics_at_ms
            .map_or(describes, |at| now.saturating_sub(at) >= METRICS_EVERY_MS);
        if metrics || describes {
            return vec![app.fetch(metrics)];
        }
    }
    Vec::new()
}

/// A fetch came back; a stale one (a newer request is under way) is dropped.
fn loaded(
    app: &mut App,
    generation: u64,
    with_metrics: bool,
    result: Result<Box<Snapshot>, String>,
) -> Vec<Command> {
    if generation != app.generation {
        return Vec::new();
    }
    app.loading = false;
    app.loaded_at_ms = Some(app.now_ms);
    match result {
        Ok(snapshot) => {
            if with_metrics {
                app.metrics_at_ms = Some(app.now_ms);
            }
            app.error = None;
            app.loaded(with_metrics, *snapshot);
            if app.changes.is_none() && !app.changes_reading {
                return app.fetch_changes().into_iter().collect();
            }
        }
        Err(message) => app.error = Some(message),
    }
    Vec::new()
}

/// A page of CloudTrail changes came back: the audit is made again with them.
fn changes_read(app: &mut App, generation: u64, changes: Changes, done: bool) -> Vec<Command> {
    if generation != app.changes_generation {
        return Vec::new();
    }
    app.changes_reading = !done;
    app.changes = Some(changes);
    if let Some(snapshot) = app.snapshot.as_mut() {
        snapshot.changes = app.changes.clone();
    }
    app.reaudit();
    Vec::new()
}

#[cfg(test)]
mod tests;
