//! SARIF 2.1.0: one rule per check (with the AWS documentation as `helpUri`), one result per
//! finding that is not a pass, located at every resource it rests on. GitHub code scanning
//! needs a file for each result: a resource's location is the repository-relative path
//! `aws/ACCOUNT/REGION/VPC/RESOURCE` (stable across runs, like the result's
//! `partialFingerprints`), and the resource itself is its logical location.

use serde_json::{Value, json};

use crate::checks::{Audit, Finding, Rule, Severity, Status, rules};
use crate::model::Snapshot;
use crate::show::json_safe;

pub(super) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

/// A path segment with everything but unreserved URI characters percent-encoded.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a target is: its account (`unknown-account` when not known), Region and VPC.
pub(super) struct Place<'a> {
    /// The account, when known.
    pub account: Option<&'a str>,
    /// The Region.
    pub region: &'a str,
    /// The VPC.
    pub vpc: &'a str,
}

impl Place<'_> {
    /// `ACCOUNT/REGION/VPC`, the prefix of every name.
    pub fn prefix(&self) -> String {
        format!(
            "{}/{}/{}",
            self.account.unwrap_or("unknown-account"),
            self.region,
            self.vpc
        )
    }

    /// A resource as a result's location: the path `aws/ACCOUNT/REGION/VPC/RESOURCE` and the
    /// resource as a logical location, then `extra` logical locations (the fleet's target).
    pub fn location(&self, resource: &str, extra: &[Value]) -> Value {
        let uri = format!(
            "aws/{}/{}/{}/{}",
            segment(self.account.unwrap_or("unknown-account")),
            segment(self.region),
            segment(self.vpc),
            segment(resource)
        );
        let mut logical = vec![json!({
            "name": resource,
            "fullyQualifiedName": format!("{}/{resource}", self.prefix()),
            "kind": "resource",
        })];
        logical.extend(extra.iter().cloned());
        json!({
            "physicalLocation": {"artifactLocation": {"uri": uri}},
            "logicalLocations": logical,
        })
    }

    /// What identifies a result across runs, for code scanning to keep one alert per
    /// finding: the check, its subject, the resources it rests on (which tell apart the
    /// findings of one rule on one subject) and the place.
    pub fn fingerprints(&self, check_id: &str, subject: &str, resources: &[&str]) -> Value {
        json!({"linkscopeFinding/v1": format!(
            "{check_id}|{subject}|{}|{}",
            resources.join(","),
            self.prefix()
        )})
    }
}

fn result(finding: &Finding, snapshot: &Snapshot, index: Option<usize>) -> Value {
    let (kind, level) = match finding.status {
        Status::Fail | Status::Warn => ("fail", level(finding.severity)),
        Status::Info => ("informational", "none"),
        _ => ("review", "none"),
    };
    // A finding about a service with no resource yet (a missing endpoint) is located at it.
    let resources: Vec<&str> = if finding.resources.is_empty() {
        vec![&finding.subject.id]
    } else {
        finding.resources.iter().map(String::as_str).collect()
    };
    let place = Place {
        account: snapshot.caller_account.as_deref(),
        region: &snapshot.region,
        vpc: &snapshot.vpc.id,
    };
    let locations: Vec<Value> = resources.iter().map(|id| place.location(id, &[])).collect();
    let mut message = finding.detail.clone();
    if let Some(fix) = &finding.remediation {
        message.push_str("\nFix: ");
        message.push_str(fix);
    }
    let mut result = json!({
        "ruleId": finding.id,
        "kind": kind,
        "level": level,
        "message": {"text": message},
        "locations": locations,
        "partialFingerprints": place.fingerprints(&finding.id, &finding.subject.id, &resources),
        "properties": {
            "status": finding.status.as_str(),
            "checkId": finding.id,
            "subject": finding.subject,
        },
    });
    if let Some(index) = index {
        result["ruleIndex"] = json!(index);
    }
    result
}

pub(super) fn descriptor(rule: &Rule) -> Value {
    let mut descriptor = json!({
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": format!("{}. Source: {}", rule.title, rule.source())},
        "help": {
            "text": format!("Expected: {}. Source: {}. Each result carries the exact fix with the real ids.", rule.title, rule.source()),
            "markdown": format!("Expected: {}. Source: {}.", rule.title, rule.docs.iter().map(|d| format!("[{}]({})", d.text(), d.page.url)).collect::<Vec<_>>().join("; ")),
        },
        "defaultConfiguration": {"level": level(rule.severity)},
    });
    if let Some(doc) = rule.docs.first() {
        descriptor["helpUri"] = json!(doc.page.url);
    }
    descriptor
}

/// A SARIF 2.1.0 log of one run: linkscope as the tool with every rule as a descriptor,
/// then the fields of `run` (its results, properties, invocations), rendered with control
/// characters escaped.
pub(super) fn log(run: Value) -> String {
    let descriptors: Vec<Value> = rules().map(descriptor).collect();
    let mut full = json!({"tool": {"driver": {
        "name": "linkscope",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": descriptors,
    }}});
    if let Value::Object(fields) = run {
        for (key, value) in fields {
            full[key] = value;
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [full],
    });
    json_safe(&serde_json::to_string_pretty(&log).expect("SARIF always serializes")) + "\n"
}

/// Renders the audit as one SARIF run.
pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let rules: Vec<&Rule> = rules().collect();
    let results: Vec<Value> = audit
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .map(|f| {
            // Per-subnet checklist ids share their rule; SARIF names the rule.
            let index = rules.iter().position(|r| r.id == f.rule);
            let mut value = result(f, snapshot, index);
            value["ruleId"] = json!(f.rule);
            value
        })
        .collect();
    log(json!({
        "properties": {"region": snapshot.region, "vpcId": snapshot.vpc.id, "workload": audit.workload.description, "partial": snapshot.is_partial()},
        "results": results,
    }))
}
