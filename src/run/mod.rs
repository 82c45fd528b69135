//! Runs a parsed command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::checks::Severity;
use crate::cli::{AuditArgs, Cli, Command, FailOn, Format, SnapshotArgs};
use crate::failure::Failure;
use crate::input::{FleetFlags, Input, read_probes};
use crate::model::{ProbeReport, Snapshot};
use crate::report::{inventory, json, markdown, sarif, text};

mod completions;
mod diff;
pub mod fleet;
mod probe;
mod progress;

/// Runs the command and returns its exit code.
pub async fn run(cli: Cli) -> Result<u8, Failure> {
    if let Some(Command::Completions(args)) = &cli.command {
        return print(&completions::script(args.shell));
    }
    if let Some(Command::Probe(args)) = &cli.command {
        // No AWS call: the probe runs where there may be neither credentials nor internet.
        return probe::run(args).await;
    }
    let global = cli.global();
    if let Some(Command::Diff(args)) = &cli.command {
        crate::aws::set_verbose(global.verbose);
        return diff::run(&global, args).await;
    }
    if let Some(Command::Merge(args)) = &cli.command {
        return fleet::merge(args);
    }
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if let Some(flags) = FleetFlags::from_args(&global) {
        return match &cli.command {
            Some(Command::Audit(args)) => fleet::audit(&global, &flags, args).await,
            // Without a terminal the dashboard prints the fleet's table instead.
            None if !interactive => fleet::audit(&global, &flags, &AuditArgs::text())
                .await
                .map(|_| 0),
            None => {
                // The plan refuses --probe, --changes and --baseline: they are for one target.
                let plan = crate::fleet::plan(&flags)?;
                let input = Input::from_args(&global);
                crate::runtime::run(input, Vec::new(), None, None, Some(plan)).await
            }
            Some(_) => unreachable!("only the dashboard and `audit` take the fleet options"),
        };
    }
    let input = Input::from_args(&global);
    let probes = read_probes(&global.probe)?;
    if cli.command.is_none() && interactive {
        let baseline = match &global.baseline {
            Some(path) => Some(crate::input::read_file(path)?),
            None => None,
        };
        return crate::runtime::run(input, probes, baseline, global.changes, None).await;
    }
    crate::aws::set_verbose(global.verbose);
    let mut snapshot = input.load().await?;
    warn_if_partial(&snapshot);
    if let Some(window) = global.changes
        && let Some(changes) = input.changes(&snapshot, window, &mut |_| {}).await?
    {
        if let Some(error) = &changes.error {
            eprintln!(
                "linkscope: partial data: cloudtrail:LookupEvents failed: {}",
                crate::show::clean(&error.to_string())
            );
        }
        snapshot.changes = Some(changes);
    }
    match cli.command {
        // Without a terminal (piped, CI) the dashboard prints the inventory instead.
        None => print(&inventory::render(&snapshot)),
        Some(Command::Audit(args)) => audit(&snapshot, &probes, &args),
        Some(Command::Snapshot(args)) => write_snapshot(&snapshot, &args),
        Some(
            Command::Probe(_) | Command::Diff(_) | Command::Merge(_) | Command::Completions(_),
        ) => {
            unreachable!("handled above")
        }
    }
}

/// Writes to stdout.
fn print(text: &str) -> Result<u8, Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`linkscope | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    Ok(0)
}

/// Writes a report to `path` (saying so on stderr), or to stdout (no path, or `-`).
fn output(text: &str, path: Option<&PathBuf>) -> Result<(), Failure> {
    match path.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| Failure::BadInput(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("linkscope: wrote {}", path.display());
        }
        None => {
            print(text)?;
        }
    }
    Ok(())
}

/// Says on stderr which sources failed.
fn warn_if_partial(snapshot: &Snapshot) {
    for (source, error) in snapshot.failed_sources() {
        eprintln!(
            "linkscope: partial data: {} failed: {}",
            source.api(),
            crate::show::clean(&error.to_string())
        );
    }
}

fn write_snapshot(snapshot: &Snapshot, args: &SnapshotArgs) -> Result<u8, Failure> {
    let json = snapshot.to_json();
    if args.output.as_os_str() == "-" {
        return print(&json);
    }
    std::fs::write(&args.output, json)
        .map_err(|e| Failure::BadInput(format!("cannot write {}: {e}", args.output.display())))?;
    eprintln!(
        "linkscope: wrote {} ({} endpoints, {} metric series)",
        args.output.display(),
        snapshot.endpoints.len(),
        snapshot.metrics.series.len()
    );
    Ok(0)
}

/// Prints the report and returns 1 when a finding is at or above `--fail-on`.
fn audit(snapshot: &Snapshot, probes: &[ProbeReport], args: &AuditArgs) -> Result<u8, Failure> {
    let audit = crate::checks::audit_with(snapshot, probes);
    let report = match args.format {
        Format::Text => {
            let color = std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
            text::render(snapshot, &audit, color)
        }
        Format::Json => json::render(snapshot, &audit),
        Format::Markdown => markdown::render(snapshot, &audit),
        Format::Sarif => sarif::render(snapshot, &audit),
    };
    print(&report)?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warn => Severity::Warn,
    };
    Ok(u8::from(
        audit.findings.iter().any(|f| f.is_problem_at(threshold)),
    ))
}
