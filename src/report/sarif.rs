//! SARIF 2.1.0: one rule per check (with the AWS documentation as `helpUri`), one result per
//! finding that is not a pass, with every resource it rests on as a logical location.

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

fn result(finding: &Finding, snapshot: &Snapshot, index: Option<usize>) -> Value {
    let (kind, level) = match finding.status {
        Status::Fail | Status::Warn => ("fail", level(finding.severity)),
        Status::Info => ("informational", "none"),
        _ => ("review", "none"),
    };
    // A finding about a service with no resource yet (a missing endpoint) is located at it.
    let resources = if finding.resources.is_empty() {
        std::slice::from_ref(&finding.subject.id)
    } else {
        finding.resources.as_slice()
    };
    let locations: Vec<Value> = resources
        .iter()
        .map(|id| json!({"logicalLocations": [{"name": id, "fullyQualifiedName": format!("{}/{}/{id}", snapshot.region, snapshot.vpc.id), "kind": "resource"}]}))
        .collect();
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
        "properties": {"region": snapshot.region, "vpcId": snapshot.vpc.id, "workload": audit.workload, "partial": snapshot.is_partial()},
        "results": results,
    }))
}
