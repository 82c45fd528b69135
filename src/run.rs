//! Runs a parsed command line.

use std::io::{IsTerminal, Write};

use crate::checks::Severity;
use crate::cli::{AuditArgs, Cli, Command, FailOn, Format, SnapshotArgs};
use crate::failure::Failure;
use crate::input::Input;
use crate::model::Snapshot;
use crate::report::{inventory, json, markdown, sarif, text};

/// Runs the command and returns its exit code.
pub async fn run(cli: Cli) -> Result<u8, Failure> {
    let input = Input::from_args(&cli.global);
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if cli.command.is_none() && interactive {
        return crate::runtime::run(input).await;
    }
    crate::aws::set_verbose(cli.global.verbose);
    let snapshot = input.load().await?;
    warn_if_partial(&snapshot);
    match cli.command {
        // Without a terminal (piped, CI) the dashboard prints the inventory instead.
        None => print(&inventory::render(&snapshot)),
        Some(Command::Audit(args)) => audit(&snapshot, &args),
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
fn audit(snapshot: &Snapshot, args: &AuditArgs) -> Result<u8, Failure> {
    let audit = crate::checks::audit(snapshot);
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
