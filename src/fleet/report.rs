//! One target's report (`linkscope.audit/v1`) as typed data: what `linkscope audit --format
//! json` prints for one target, what a fleet report holds for each of its targets, and what
//! `linkscope merge` reads back. Built from the typed audit ([`TargetReport::new`]) or
//! deserialised; a fleet's rows, exit code and SARIF results are judged from it, never from
//! text read back by hand.

use serde::{Deserialize, Serialize};

use crate::checks::changes::Timeline;
use crate::checks::probe::NameProbe;
use crate::checks::shared::by_fix;
use crate::checks::{
    Audit, ChecklistItem, Evidence, Finding, Readiness, Severity, Status, Subject,
};
use crate::model::Snapshot;

/// The schema of a one-target report.
pub const AUDIT_SCHEMA: &str = "linkscope.audit/v1";

/// A one-target report. Its fields, in order, are the JSON document's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetReport {
    /// [`AUDIT_SCHEMA`].
    pub schema: String,
    /// The Region.
    pub region: String,
    /// The VPC.
    pub vpc_id: String,
    /// The environment's name, when there is one.
    #[serde(default)]
    pub environment: Option<String>,
    /// The environment's status (`GetEnvironment`), when known.
    #[serde(default)]
    pub environment_status: Option<String>,
    /// The caller's account (`sts:GetCallerIdentity`), or the one the fleet flags name.
    #[serde(default)]
    pub account: Option<String>,
    /// The workload the audit follows, in words.
    #[serde(default)]
    pub workload: String,
    /// True when a source could not be read (some checks are `unknown`).
    #[serde(default)]
    pub partial: bool,
    /// Every finding.
    pub checks: Vec<Check>,
    /// The CloudTrail change timeline, when read (`--changes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Timeline>,
    /// The `--probe` evidence, when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<NameProbe>,
    /// The counts.
    #[serde(default)]
    pub summary: Totals,
}

/// One finding as a report holds it: a [`Finding`] with its rule and documentation owned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// The check id.
    pub id: String,
    /// The id of its rule.
    pub rule: String,
    /// The verdict.
    pub status: Status,
    /// The rule's severity.
    pub severity: Severity,
    /// What the rule expects.
    #[serde(default)]
    pub title: String,
    /// What the finding is about.
    pub subject: Subject,
    /// The checklist row, for findings that are one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<ChecklistItem>,
    /// Every resource the verdict rests on.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Configuration entries the verdict names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Why.
    #[serde(default)]
    pub detail: String,
    /// The fix.
    #[serde(default)]
    pub remediation: Option<String>,
    /// The documentation, as one line.
    #[serde(default)]
    pub source: String,
    /// The documentation, page by page.
    #[serde(default)]
    pub docs: Vec<Doc>,
}

/// A page of AWS documentation a check cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Doc {
    pub title: String,
    pub section: String,
    pub url: String,
}

/// A report's counts: findings by status, the checklist's readiness, the distinct fixes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Findings that pass.
    pub pass: usize,
    /// Findings that fail.
    pub fail: usize,
    /// Findings that warn.
    pub warn: usize,
    /// Findings that are context.
    pub info: usize,
    /// Findings that could not be judged.
    pub unknown: usize,
    /// The MWAA checklist's requirements: pass, failing, unknown and required.
    pub readiness: Readiness,
    /// How many distinct fixes the `fail` and `warn` findings need.
    pub fixes: usize,
}

impl From<&Finding> for Check {
    fn from(f: &Finding) -> Self {
        Self {
            id: f.id.clone(),
            rule: f.rule.to_string(),
            status: f.status,
            severity: f.severity,
            title: f.title.clone(),
            subject: f.subject.clone(),
            checklist: f.checklist.clone(),
            resources: f.resources.clone(),
            evidence: f.evidence.clone(),
            detail: f.detail.clone(),
            remediation: f.remediation.clone(),
            source: f.source.clone(),
            docs: f
                .docs
                .iter()
                .map(|cite| Doc {
                    title: cite.page.title.into(),
                    section: cite.section.into(),
                    url: cite.page.url.into(),
                })
                .collect(),
        }
    }
}

impl TargetReport {
    /// The report of `audit` over `snapshot`.
    pub fn new(snapshot: &Snapshot, audit: &Audit) -> Self {
        let environment = snapshot.environment.as_ref();
        Self {
            schema: AUDIT_SCHEMA.into(),
            region: snapshot.region.clone(),
            vpc_id: snapshot.vpc.id.clone(),
            environment: environment.map(|e| e.name.clone()),
            environment_status: environment
                .and_then(|e| e.status.as_ref())
                .map(|s| s.as_str().to_string()),
            account: snapshot.caller_account.clone(),
            workload: audit.workload.description.clone(),
            partial: snapshot.is_partial(),
            checks: audit.findings.iter().map(Check::from).collect(),
            changes: audit.timeline.clone(),
            probes: audit.probes.clone(),
            summary: Totals {
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

    /// The environment's name, else the VPC id: how a row names the target.
    pub fn target(&self) -> &str {
        self.environment.as_deref().unwrap_or(&self.vpc_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::input::demo;

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        for scenario in [
            DemoScenario::Troubled,
            DemoScenario::Healthy,
            DemoScenario::Spoke,
            DemoScenario::Setup,
        ] {
            let snapshot = demo(scenario);
            let report = TargetReport::new(&snapshot, &crate::checks::audit(&snapshot));
            let text = serde_json::to_string(&report).unwrap();
            let read: TargetReport = serde_json::from_str(&text).unwrap();
            assert_eq!(read, report, "{scenario:?}");
        }
    }
}
