//! The JSON report (`linkscope.audit/v1`): every finding with its subject, the resources its
//! verdict rests on, and the documentation it cites. `docs/audit.md` documents the shape.

use serde::Serialize;

use crate::checks::changes::Timeline;
use crate::checks::probe::NameProbe;
use crate::checks::shared::by_fix;
use crate::checks::{Audit, Finding, Readiness, Status};
use crate::model::Snapshot;
use crate::show::json_safe;

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    region: &'a str,
    vpc_id: &'a str,
    environment: Option<&'a str>,
    /// The environment's status (`GetEnvironment`), when known.
    environment_status: Option<&'a str>,
    /// The caller's account (`sts:GetCallerIdentity`), when known.
    account: Option<&'a str>,
    workload: &'a str,
    partial: bool,
    checks: &'a [Finding],
    /// The CloudTrail change timeline, when read (`--changes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<&'a Timeline>,
    /// The `--probe` evidence, when given.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    probes: &'a [NameProbe],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    pass: usize,
    fail: usize,
    warn: usize,
    info: usize,
    unknown: usize,
    /// The MWAA checklist's requirements: pass, failing, unknown and required.
    readiness: Readiness,
    /// How many distinct fixes the `fail` and `warn` findings need (one fix often clears a
    /// checklist row and the rules that see the same resource).
    fixes: usize,
}

/// Renders the audit as pretty JSON, with control characters escaped inside strings.
pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let report = report(snapshot, audit);
    json_safe(&serde_json::to_string_pretty(&report).expect("reports always serialize")) + "\n"
}

/// The report as a JSON value, for a document that holds many (a fleet report escapes its
/// strings when it renders them).
pub fn value(snapshot: &Snapshot, audit: &Audit) -> serde_json::Value {
    serde_json::to_value(report(snapshot, audit)).expect("reports always serialize")
}

fn report<'a>(snapshot: &'a Snapshot, audit: &'a Audit) -> Report<'a> {
    Report {
        schema: "linkscope.audit/v1",
        region: &snapshot.region,
        vpc_id: &snapshot.vpc.id,
        environment: snapshot.environment.as_ref().map(|e| e.name.as_str()),
        environment_status: snapshot
            .environment
            .as_ref()
            .and_then(|e| e.status.as_ref())
            .map(|s| s.as_str()),
        account: snapshot.caller_account.as_deref(),
        workload: &audit.workload.description,
        partial: snapshot.is_partial(),
        checks: &audit.findings,
        changes: audit.timeline.as_ref(),
        probes: &audit.probes,
        summary: Summary {
            pass: audit.count(Status::Pass),
            fail: audit.count(Status::Fail),
            warn: audit.count(Status::Warn),
            info: audit.count(Status::Info),
            unknown: audit.count(Status::Unknown),
            readiness: audit.readiness(),
            fixes: by_fix(&audit.findings).len(),
        },
    }
}
