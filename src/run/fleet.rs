//! `linkscope audit` over a fleet (`--all-envs`, `--regions`, `--profiles`, `--accounts`) and
//! `linkscope merge REPORT.json…`: one fleet report, and the worst exit code of its targets.

use std::io::IsTerminal;

use super::print;
use super::progress::Shown;
use crate::checks::Severity;
use crate::cli::{AuditArgs, FailOn, Format, GlobalArgs, MergeArgs};
use crate::failure::Failure;
use crate::fleet::{self, Event, Fleet, Outcome, Progress};
use crate::input::FleetFlags;
use crate::report::fleet as render;

fn threshold(fail_on: FailOn) -> Severity {
    match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warn => Severity::Warn,
    }
}

/// Prints the fleet report and returns its exit code.
fn report(fleet: &Fleet, format: Format, fail_on: FailOn) -> Result<u8, Failure> {
    let text = match format {
        Format::Text => render::text(fleet),
        Format::Json => render::json(fleet),
        Format::Markdown => render::markdown(fleet),
        Format::Sarif => render::sarif(fleet),
    };
    print(&text)?;
    Ok(fleet.exit_code(threshold(fail_on)))
}

/// Audits every target of the fleet flags, each as soon as it is collected (its snapshot is
/// then dropped: only its report is kept), showing the progress of each account and Region
/// on stderr when it is a terminal.
pub async fn audit(
    global: &GlobalArgs,
    flags: &FleetFlags,
    args: &AuditArgs,
) -> Result<u8, Failure> {
    let plan = fleet::plan(flags)?;
    crate::aws::set_verbose(global.verbose);
    let (mut audited, mut failed) = (Vec::new(), Vec::new());
    let mut progress = Progress::default();
    let mut shown = Shown::new(std::io::stderr().is_terminal());
    fleet::collect_each(&plan, |event| {
        progress.step(&event);
        if let Event::Done { place, outcome } = event {
            match outcome {
                Outcome::Collected { account, snapshot } => {
                    if snapshot.is_partial() {
                        shown.clear();
                    }
                    warn_if_partial(&snapshot);
                    audited.push(fleet::audited::audited(&snapshot, account, &[]));
                    if let Some(place) = &place {
                        progress.audited(place);
                    }
                }
                Outcome::Failed(f) => failed.push(f),
            }
        }
        shown.show(&progress);
    })
    .await;
    shown.clear();
    report(&Fleet::new(audited, failed), args.format, args.fail_on)
}

/// Says on stderr which sources of a target failed.
fn warn_if_partial(snapshot: &crate::model::Snapshot) {
    for (source, error) in snapshot.failed_sources() {
        eprintln!(
            "linkscope: partial data: {} ({}): {} failed: {}",
            crate::show::clean(
                snapshot
                    .environment
                    .as_ref()
                    .map_or(&snapshot.vpc.id, |e| &e.name)
            ),
            snapshot.region,
            source.api(),
            crate::show::clean(&error.to_string())
        );
    }
}

/// Combines reports made by separate processes; an unreadable or foreign file is bad input.
pub fn merge(args: &MergeArgs) -> Result<u8, Failure> {
    let fleets = args
        .reports
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::BadInput(format!("cannot read {}: {e}", path.display())))?;
            Fleet::from_json(&text)
                .map_err(|e| Failure::BadInput(format!("{}: {e}", path.display())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    report(&Fleet::merge(fleets), args.format, args.fail_on)
}
