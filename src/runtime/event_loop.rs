//! The event loop: input, worker results and a clock, merged with `tokio::select!`. The
//! first frame is drawn before the first fetch is even started.

use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc;

use super::terminal::Session;
use super::worker::Worker;
use crate::app::{Action, App, action_for, update};
use crate::failure::Failure;
use crate::fleet::Plan;
use crate::input::Input;
use crate::model::{ProbeReport, Snapshot};
use crate::ui::{self, Theme};

/// How often the clock ticks (spinner, refresh age, auto-refresh).
const TICK: Duration = Duration::from_millis(200);

/// Reads terminal events on a thread of its own, so that the async loop never blocks on input.
fn spawn_input() -> mpsc::UnboundedReceiver<Event> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        loop {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {
                    let sent = event::read().ok().is_some_and(|ev| tx.send(ev).is_ok());
                    if !sent {
                        return;
                    }
                }
                Ok(false) if tx.is_closed() => return,
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
    rx
}

/// Runs the dashboard until the user quits.
pub async fn run(
    input: Input,
    probes: Vec<ProbeReport>,
    baseline: Option<Snapshot>,
    changes: Option<Duration>,
    fleet: Option<Plan>,
) -> Result<u8, Failure> {
    let theme = Theme::from_env();
    let mut session = Session::start()
        .map_err(|e| Failure::Terminal(format!("cannot start the terminal: {e}")))?;
    let draw_error = |e: std::io::Error| Failure::Terminal(format!("cannot draw: {e}"));
    let started = Instant::now();
    let mut app = App {
        live: input.is_live(),
        probes: probes.clone(),
        changes_window: changes,
        ..App::default()
    }
    .with_baseline(baseline);
    session
        .terminal
        .draw(|frame| ui::render(&app, frame, &theme))
        .map_err(draw_error)?;

    let (actions_tx, mut actions) = mpsc::unbounded_channel();
    // A fleet opens on the Fleet screen; no target, on the start screen. Both fill in the
    // background.
    let first = match (&fleet, input.lacks_target()) {
        (Some(_), _) => app.start_fleet(),
        (None, true) => app.start_picking(),
        (None, false) => app.start(),
    };
    let mut worker = Worker::new(input, probes, actions_tx);
    if let Some(plan) = fleet {
        worker = worker.with_fleet(plan);
    }
    for command in first {
        worker.execute(command);
    }
    let mut keys = spawn_input();
    let mut clock = tokio::time::interval(TICK);
    while !app.quit {
        let action = tokio::select! {
            event = keys.recv() => match event {
                Some(Event::Key(key)) if key.kind != KeyEventKind::Release => action_for(&app, key),
                Some(_) => None, // a resize redraws below
                None => return Err(Failure::Terminal("the terminal stopped sending input".into())),
            },
            Some(action) = actions.recv() => Some(action),
            _ = clock.tick() => Some(Action::Tick(started.elapsed().as_millis() as u64)),
        };
        if let Some(action) = action {
            for command in update(&mut app, action) {
                worker.execute(command);
            }
        }
        session
            .terminal
            .draw(|frame| ui::render(&app, frame, &theme))
            .map_err(draw_error)?;
    }
    Ok(0)
}
