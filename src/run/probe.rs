//! `linkscope probe`: the plan from the command line, the run, the report.

use super::output;
use crate::cli::{ProbeArgs, ProbeFormat};
use crate::failure::Failure;
use crate::model::ProbeVerdict;
use crate::probe::{self as probing, Plan};
use crate::report::probe_text;

/// The probe's default per-step timeout.
const PROBE_TIMEOUT: f64 = 3.0;

/// Runs `linkscope probe`; exit code 1 when a name fails.
pub async fn run(args: &ProbeArgs) -> Result<u8, Failure> {
    let region = args
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
    let public_roots = match &args.public_roots {
        Some(path) => Some(probing::read_roots(path).map_err(Failure::BadInput)?),
        None => None,
    };
    let roots = [
        Some(args.public_roots.as_ref().map_or_else(
            || "webpki".to_string(),
            |p| format!("{} (--public-roots)", p.display()),
        )),
        args.ca_file
            .as_ref()
            .map(|p| format!("{} (--ca-file)", p.display())),
    ];
    let plan = Plan {
        roots: roots.into_iter().flatten().collect::<Vec<_>>().join(", "),
        names,
        public_roots,
        system_resolver: !args.no_system_resolver,
        dns_server: args.dns_server,
        dns_only: args.dns_only,
        port: args.port,
        extra_roots,
        timeout: std::time::Duration::from_secs_f64(args.timeout.unwrap_or(PROBE_TIMEOUT)),
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
    output(&text, args.output.as_ref())?;
    let failed = report
        .results
        .iter()
        .any(|r| r.verdict == ProbeVerdict::Fail);
    Ok(u8::from(failed))
}
