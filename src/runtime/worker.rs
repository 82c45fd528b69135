//! Carries out [`Command`]s off the UI path and reports back as [`Action`]s. A panic in a
//! fetch becomes an error message, not a torn-down dashboard.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::sync::{OnceCell, mpsc};

use super::panic::caught;
use crate::app::{Action, Command};
use crate::aws::{self, Clients};
use crate::failure::Failure;
use crate::fleet::{self, Plan};
use crate::input::Input;
use crate::model::{Changes, Choice, Choices, FetchError, ProbeReport, Snapshot};

/// Executes commands; cheap to clone into tasks.
#[derive(Clone)]
pub struct Worker {
    input: Input,
    /// The target opened from the start screen, which replaces the command line's.
    choice: Arc<Mutex<Option<Choice>>>,
    /// The fleet flags' plan, when the dashboard runs over a fleet.
    fleet: Option<Arc<Plan>>,
    probes: Arc<Vec<ProbeReport>>,
    clients: Arc<OnceCell<Clients>>,
    actions: mpsc::UnboundedSender<Action>,
}

impl Worker {
    /// A worker that loads from `input`, audits with `probes` and reports on `actions`.
    pub fn new(
        input: Input,
        probes: Vec<ProbeReport>,
        actions: mpsc::UnboundedSender<Action>,
    ) -> Self {
        Self {
            input,
            choice: Arc::default(),
            fleet: None,
            probes: Arc::new(probes),
            clients: Arc::new(OnceCell::new()),
            actions,
        }
    }

    /// A worker that also reads the fleet of `plan` ([`Command::FetchFleet`]).
    pub fn with_fleet(mut self, plan: Plan) -> Self {
        self.fleet = Some(Arc::new(plan));
        self
    }

    /// Starts a command; never blocks.
    pub fn execute(&self, command: Command) {
        match command {
            Command::Fetch {
                generation,
                with_metrics,
                window_seconds,
            } => self.spawn_fetch(generation, with_metrics, window_seconds),
            Command::Copy(text) => self.copy(&text),
            Command::Target(choice) => {
                if let Ok(mut current) = self.choice.lock() {
                    *current = Some(choice);
                }
            }
            Command::FetchFleet { generation } => self.spawn_fleet_read(generation),
            Command::FetchChoices => self.spawn_choices(),
            Command::FetchChanges {
                generation,
                snapshot,
                window,
            } => self.spawn_changes(generation, snapshot, window),
            Command::Export(snapshot) => self.export_here(&snapshot),
        }
    }

    /// Loads a snapshot in a task, then reports [`Action::Loaded`].
    fn spawn_fetch(&self, generation: u64, with_metrics: bool, window_seconds: i64) {
        let worker = self.clone();
        tokio::spawn(async move {
            let fetch = {
                let worker = worker.clone();
                async move { worker.fetch(with_metrics, window_seconds).await }
            };
            let result = match caught(fetch).await {
                Ok(Ok(snapshot)) => Ok(Box::new(snapshot)),
                Ok(Err(failure)) => Err(failure.to_string()),
                Err(panic) => Err(format!("{panic}; the last data stays on screen")),
            };
            let _ = worker.actions.send(Action::Loaded {
                generation,
                with_metrics,
                result,
            });
        });
    }

    /// Puts `text` on the terminal's clipboard and says what was done.
    fn copy(&self, text: &str) {
        // OSC 52: the terminal puts the text on the system clipboard, over SSH too.
        let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        let mut out = std::io::stdout();
        let written = write!(out, "\x1b]52;c;{encoded}\x07").and_then(|_| out.flush());
        // Whether the terminal passed it on cannot be known: say what was done.
        let message = match written {
            Ok(()) => format!(
                "sent to the terminal's clipboard (OSC 52): {}",
                crate::show::truncate(text, 60)
            ),
            Err(error) => format!("copy failed: {error}"),
        };
        let _ = self.actions.send(Action::Notice(message));
    }

    /// Reads the fleet in a task: each target as [`Action::FleetTarget`], the progress as
    /// [`Action::FleetProgress`], the end as [`Action::FleetRead`].
    fn spawn_fleet_read(&self, generation: u64) {
        let worker = self.clone();
        tokio::spawn(async move {
            let result = match worker.fleet.clone() {
                Some(plan) => {
                    let each = fleet_events(generation, &worker.actions, &worker.probes);
                    caught(async move { fleet::collect_each(&plan, each).await }).await
                }
                None => Err("no fleet flags were given".into()),
            };
            let _ = worker
                .actions
                .send(Action::FleetRead { generation, result });
        });
    }

    /// Reads the start screen's lists in a task, then reports [`Action::ChoicesLoaded`].
    fn spawn_choices(&self) {
        let worker = self.clone();
        tokio::spawn(async move {
            let read = {
                let worker = worker.clone();
                async move { worker.choices().await }
            };
            let result = match caught(read).await {
                Ok(Ok(choices)) => Ok(Box::new(choices)),
                Ok(Err(failure)) => Err(failure.to_string()),
                Err(panic) => Err(panic),
            };
            let _ = worker.actions.send(Action::ChoicesLoaded(result));
        });
    }

    /// Reads the CloudTrail changes of `window` in a task, each page as
    /// [`Action::ChangesRead`], the last one `done`.
    fn spawn_changes(&self, generation: u64, snapshot: Box<Snapshot>, window: Duration) {
        let worker = self.clone();
        tokio::spawn(async move {
            let actions = worker.actions.clone();
            let read = {
                let worker = worker.clone();
                async move {
                    let mut on_page = |changes: &Changes| {
                        let _ = actions.send(Action::ChangesRead {
                            generation,
                            changes: Box::new(changes.clone()),
                            done: false,
                        });
                    };
                    worker.input.changes(&snapshot, window, &mut on_page).await
                }
            };
            // A read that could not start (no credentials) or panicked still ends,
            // with its reason in the tab.
            let changes = match caught(read).await {
                Ok(Ok(changes)) => changes.unwrap_or_default(),
                Ok(Err(failure)) => unread(failure.to_string()),
                Err(panic) => unread(panic),
            };
            let _ = worker.actions.send(Action::ChangesRead {
                generation,
                changes: Box::new(changes),
                done: true,
            });
        });
    }

    /// Writes the snapshot (and the probes) to the working directory and says where.
    fn export_here(&self, snapshot: &Snapshot) {
        let message =
            match std::env::current_dir().and_then(|dir| export(&dir, snapshot, &self.probes)) {
                Ok(files) => format!("exported {files}"),
                Err(error) => format!("export failed: {error}"),
            };
        let _ = self.actions.send(Action::Notice(message));
    }

    /// The start screen's lists (live AWS only).
    async fn choices(&self) -> Result<Choices, Failure> {
        let Input::Live { connect, .. } = &self.input else {
            return Err(Failure::BadInput(
                "the start screen lists live AWS resources; pass a target instead".into(),
            ));
        };
        let clients = self
            .clients
            .get_or_try_init(|| Clients::connect(connect))
            .await?;
        Ok(aws::choices(clients).await)
    }

    /// One snapshot: live AWS reuses its clients across refreshes; files and demos reload.
    pub async fn fetch(
        &self,
        with_metrics: bool,
        window_seconds: i64,
    ) -> Result<Snapshot, Failure> {
        match &self.input {
            Input::Live { connect, target } => {
                let clients = self
                    .clients
                    .get_or_try_init(|| Clients::connect(connect))
                    .await?;
                let mut target = aws::Target {
                    metrics_window: Duration::from_secs(window_seconds.max(60) as u64),
                    collect_metrics: with_metrics,
                    ..target.clone()
                };
                let choice = self.choice.lock().ok().and_then(|c| c.clone());
                if let Some(choice) = choice {
                    (target.vpc_id, target.mwaa_env) = match choice {
                        Choice::Vpc(id) => (Some(id), None),
                        Choice::Environment(name) => (None, Some(name)),
                    };
                    target.subnet_ids.clear();
                    target.security_group_ids.clear();
                }
                aws::collect_paced(clients, &target, &aws::Pace::given(&connect.rates)).await
            }
            other => other.load().await,
        }
    }
}

/// What a fleet read does with each of its events: sends each target, audited with
/// `probes`, as [`Action::FleetTarget`], and the progress so far as [`Action::FleetProgress`].
fn fleet_events(
    generation: u64,
    actions: &mpsc::UnboundedSender<Action>,
    probes: &Arc<Vec<ProbeReport>>,
) -> impl FnMut(fleet::Event) + use<> {
    let (actions, probes) = (actions.clone(), probes.clone());
    let mut progress = fleet::Progress::default();
    move |event| {
        progress.step(&event);
        if let fleet::Event::Done { place, outcome } = event {
            let collected = matches!(outcome, fleet::Outcome::Collected { .. });
            let entry = Box::new(fleet::audited::entry(outcome, &probes));
            if let Some(place) = place.filter(|_| collected) {
                progress.audited(&place);
            }
            let _ = actions.send(Action::FleetTarget { generation, entry });
        }
        let progress = Box::new(progress.clone());
        let _ = actions.send(Action::FleetProgress {
            generation,
            progress,
        });
    }
}

/// Changes that could not be read, and why.
fn unread(message: String) -> Changes {
    Changes {
        error: Some(FetchError {
            code: None,
            message,
        }),
        ..Changes::default()
    }
}

/// Writes the snapshot and a Markdown audit report next to each other in `dir`, under names
/// no file has yet (`-2`, `-3`… after the first); returns their full paths.
pub fn export(
    dir: &std::path::Path,
    snapshot: &Snapshot,
    probes: &[ProbeReport],
) -> std::io::Result<String> {
    let stamp: String = snapshot
        .captured_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let stem = format!("linkscope-{}-{stamp}", snapshot.vpc.id);
    let audit = crate::checks::audit_with(snapshot, probes);
    let report = crate::report::markdown::render(snapshot, &audit);
    for n in 1..1000 {
        let base = match n {
            1 => dir.join(&stem),
            n => dir.join(format!("{stem}-{n}")),
        };
        let (json, md) = (base.with_extension("json"), base.with_extension("md"));
        if json.exists() || md.exists() {
            continue;
        }
        // create_new: a file that appeared meanwhile is never overwritten.
        let create = |path: &std::path::Path, text: &str| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut file| file.write_all(text.as_bytes()))
        };
        create(&json, &snapshot.to_json())?;
        create(&md, &report)?;
        return Ok(format!("{} and {}", json.display(), md.display()));
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} already holds 999 exports of this snapshot",
            dir.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::input::demo;

    #[test]
    fn export_names_full_paths_and_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("linkscope-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let snapshot = demo(DemoScenario::Healthy);
        let first = export(&dir, &snapshot, &[]).unwrap();
        let second = export(&dir, &snapshot, &[]).unwrap();
        assert!(first.starts_with(&dir.display().to_string()), "{first}");
        assert_ne!(first, second);
        assert!(
            second.contains("-2.json") && second.contains("-2.md"),
            "{second}"
        );
        let files = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, 4, "two exports, two files each");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
