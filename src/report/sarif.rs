//! SARIF 2.1.0: one rule per check, one result per finding that is not a pass, with the
//! resource id as the logical location.

use serde_json::{Value, json};

use crate::checks::{Audit, Finding, Severity, Status, rule_of, rules};
use crate::model::Snapshot;

fn level(severity: Severity) -> &'static str {
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
    let resources = if finding.resources.is_empty() {
        vec![snapshot.vpc.id.clone()]
    } else {
        finding.resources.clone()
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
        "properties": {"status": finding.status.as_str(), "checkId": finding.id},
    });
    if let Some(index) = index {
        result["ruleIndex"] = json!(index);
    }
    result
}

pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let rules = rules();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": format!("{}. Source: {}", r.title, r.source)},
                "help": {"text": format!("Expected: {}. Source: {}. Each result carries the exact fix with the real ids.", r.title, r.source)},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = audit
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .map(|f| {
            let index = rule_of(f).and_then(|rule| rules.iter().position(|r| r.id == rule.id));
            // Per-subnet checklist ids share the pattern rule; SARIF needs the rule's id.
            let mut value = result(f, snapshot, index);
            if let Some(i) = index {
                value["ruleId"] = json!(rules[i].id);
            }
            value
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "linkscope",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "properties": {"region": snapshot.region, "vpcId": snapshot.vpc.id, "workload": audit.workload, "partial": snapshot.is_partial()},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("SARIF always serializes") + "\n"
}
