//! Runs a parsed command line.

use std::io::Write;

use crate::cli::{Cli, Command, Format, SnapshotArgs};
use crate::failure::Failure;
use crate::input::Input;
use crate::model::Snapshot;
use crate::report::inventory;

/// Runs the command and returns its exit code.
pub async fn run(cli: Cli) -> Result<u8, Failure> {
    let snapshot = Input::from_args(&cli.global).load().await?;
    warn_if_partial(&snapshot);
    match cli.command {
        // The interactive dashboard is not built yet: show the inventory instead.
        None => print(&inventory::render(&snapshot)),
        Some(Command::Audit(args)) => {
            if args.format != Format::Text {
                return Err(Failure::BadInput(
                    "the audit engine is not built yet: only the text inventory is available"
                        .into(),
                ));
            }
            eprintln!("linkscope: no checks are run yet; this is the collected inventory");
            print(&inventory::render(&snapshot))
        }
        Some(Command::Snapshot(args)) => write_snapshot(&snapshot, &args),
    }
}

fn print(text: &str) -> Result<u8, Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`linkscope | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    Ok(0)
}

fn warn_if_partial(snapshot: &Snapshot) {
    for (source, error) in snapshot.failed_sources() {
        eprintln!("linkscope: partial data: {} failed: {error}", source.api());
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
