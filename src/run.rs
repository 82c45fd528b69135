//! Runs a parsed command line.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::checks::Severity;
use crate::cli::{
    AuditArgs, Cli, Command, FailOn, Format, GlobalArgs, ProbeArgs, ProbeFormat, SnapshotArgs,
};
use crate::failure::Failure;
use crate::input::{Input, read_probes};
use crate::model::{ProbeReport, ProbeVerdict, Snapshot};
use crate::probe::{self as probing, Plan};
use crate::report::{inventory, json, markdown, probe_text, sarif, text};

/// Runs the command and returns its exit code.
pub async fn run(cli: Cli) -> Result<u8, Failure> {
    if let Some(Command::Probe(args)) = &cli.command {
        // No AWS call: the probe runs where there may be neither credentials nor internet.
        return probe(&cli.global, args).await;
    }
    let input = Input::from_args(&cli.global);
    let probes = read_probes(&cli.global.probe)?;
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if cli.command.is_none() && interactive {
        return crate::runtime::run(input, probes).await;
    }
    crate::aws::set_verbose(cli.global.verbose);
    let snapshot = input.load().await?;
    warn_if_partial(&snapshot);
    match cli.command {
        // Without a terminal (piped, CI) the dashboard prints the inventory instead.
        None => print(&inventory::render(&snapshot)),
        Some(Command::Audit(args)) => audit(&snapshot, &probes, &args),
        Some(Command::Snapshot(args)) => write_snapshot(&snapshot, &args),
        Some(Command::Probe(_)) => unreachable!("handled above"),
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

/// The probe's default per-step timeout.
const PROBE_TIMEOUT: f64 = 3.0;

/// Runs `linkscope probe`; exit code 1 when a name fails.
async fn probe(global: &GlobalArgs, args: &ProbeArgs) -> Result<u8, Failure> {
    let region = global
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| Failure::BadInput("no Region: pass --region (or set AWS_REGION)".into()))?;
    let names =
        probing::names::names(&region, &args.services, &args.names).map_err(Failure::BadInput)?;
    let extra_roots = match &args.ca_file {
        Some(path) => probing::read_roots(path).map_err(Failure::BadInput)?,
        None => Vec::new(),
    };
    // As OpenSSL and curl do, SSL_CERT_FILE replaces the bundled public roots.
    let public_roots = match std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
        Some(path) => Some(probing::read_roots(Path::new(&path)).map_err(Failure::BadInput)?),
        None => None,
    };
    let plan = Plan {
        names,
        public_roots,
        system_resolver: !args.no_system_resolver,
        dns_server: args.dns_server,
        dns_only: args.dns_only,
        port: args.port,
        extra_roots,
        timeout: std::time::Duration::from_secs_f64(global.timeout.unwrap_or(PROBE_TIMEOUT)),
        http: args.http,
    };
    let report = probing::run(plan).await.map_err(Failure::BadInput)?;
    let text = match args.format {
        ProbeFormat::Text => probe_text::render(&report),
        ProbeFormat::Json => {
            crate::show::json_safe(
                &serde_json::to_string_pretty(&report).expect("probe reports always serialize"),
            ) + "\n"
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| Failure::BadInput(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("linkscope: wrote {}", path.display());
        }
        None => {
            print(&text)?;
        }
    }
    let failed = report
        .results
        .iter()
        .any(|r| r.verdict == ProbeVerdict::Fail);
    Ok(u8::from(failed))
}
