//! The fleet report (`linkscope audit` over many targets, `linkscope merge`): a summary table
//! of every target, then the targets that could not be audited, in text, JSON
//! (`linkscope.fleet/v1`), Markdown and SARIF (one run). It displays the judgements of
//! [`crate::fleet::summary`] and makes none.

use std::fmt::Write;

use serde_json::{Value, json};

use super::markdown::{cell, emoji};
use super::sarif::{self, Place, level};
use super::table;
use crate::checks::{Rule, Severity, Status, rules};
use crate::fleet::summary::{Failed, Fleet, Row, SCHEMA, Summary};
use crate::show::{clean, icon, json_safe};

fn dash(value: Option<&str>) -> String {
    value.map_or_else(|| "-".into(), |v| clean(v).into_owned())
}

/// The worst finding of a row: its icon and id, or `-` when nothing is wrong.
fn worst(row: &Row) -> String {
    row.worst.as_ref().map_or_else(
        || "-".into(),
        |w| format!("{} {}", icon(w.status), clean(&w.id)),
    )
}

/// The summary line: how many targets, audited and not.
fn headline(fleet: &Fleet) -> String {
    let summary = fleet.summary();
    let mut line = format!(
        "{} targets · {} audited · {} could not be audited",
        summary.targets, summary.audited, summary.failed
    );
    if let Some(worst) = summary.worst {
        let _ = write!(
            line,
            " · worst: {worst} · {} with failures · {} with warnings",
            summary.with_failures, summary.with_warnings
        );
    }
    line
}

/// Renders the fleet as plain text: the table of targets, then the failed ones with reasons.
pub fn text(fleet: &Fleet) -> String {
    let mut out = format!("linkscope fleet audit: {}\n\n", headline(fleet));
    let rows: Vec<Vec<String>> = fleet
        .audited
        .iter()
        .map(|a| {
            let r = &a.row;
            vec![
                clean(&r.target).into_owned(),
                clean(&r.region).into_owned(),
                dash(r.account.as_deref()),
                dash(r.environment_status.as_deref()),
                r.checklist(),
                worst(r),
            ]
        })
        .collect();
    if !rows.is_empty() {
        out.push_str(&table::render(
            &[
                "ENVIRONMENT/VPC",
                "REGION",
                "ACCOUNT",
                "STATUS",
                "CHECKLIST",
                "WORST FINDING",
            ],
            &rows,
            48,
        ));
    }
    if !fleet.failed.is_empty() {
        out.push_str("\nCould not audit:\n");
        for f in &fleet.failed {
            let _ = writeln!(
                out,
                "  {} {}  {}  {}: {}",
                icon(Status::Fail),
                clean(&f.target),
                dash(f.region.as_deref()),
                dash(f.account.as_deref()),
                clean(&f.reason)
            );
        }
    }
    out
}

/// Renders the fleet as JSON (`linkscope.fleet/v1`).
pub fn json(fleet: &Fleet) -> String {
    /// The document, serialized from the reports where they are: a `json!` value would
    /// copy every report first (a quarter of the peak heap of a 150-target audit).
    #[derive(serde::Serialize)]
    struct Document<'a> {
        schema: &'a str,
        reports: Vec<&'a Value>,
        failed: &'a [Failed],
        summary: Summary,
    }
    let document = Document {
        schema: SCHEMA,
        reports: fleet.audited.iter().map(|a| &a.report).collect(),
        failed: &fleet.failed,
        summary: fleet.summary(),
    };
    let pretty = serde_json::to_string_pretty(&document).expect("reports always serialize");
    json_safe(&pretty) + "\n"
}

fn status_of(check: &Value) -> Option<Status> {
    let text = check.get("status")?.as_str()?;
    [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Info,
        Status::Unknown,
    ]
    .into_iter()
    .find(|s| s.as_str() == text)
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Renders the fleet as Markdown: the summary table, the failed targets, then each target's
/// problems (`fail`, `warn`, `unknown`).
pub fn markdown(fleet: &Fleet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## linkscope fleet audit\n");
    let _ = writeln!(out, "**Result:** {}\n", headline(fleet));
    if !fleet.audited.is_empty() {
        let _ = writeln!(
            out,
            "| | Environment or VPC | Region | Account | Status | Checklist | Worst finding |\n|---|---|---|---|---|---|---|"
        );
    }
    for a in &fleet.audited {
        let r = &a.row;
        let status = r.worst.as_ref().map_or(Status::Pass, |w| w.status);
        let worst = r.worst.as_ref().map_or_else(
            || "-".into(),
            |w| format!("{} `{}`", emoji(w.status), cell(&w.id)),
        );
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} |",
            emoji(status),
            cell(&r.target),
            cell(&r.region),
            cell(&dash(r.account.as_deref())),
            cell(&dash(r.environment_status.as_deref())),
            r.checklist(),
            worst
        );
    }
    if !fleet.failed.is_empty() {
        let _ = writeln!(
            out,
            "\n### Could not be audited\n\n| Target | Region | Account | Reason |\n|---|---|---|---|"
        );
        for f in &fleet.failed {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                cell(&f.target),
                cell(&dash(f.region.as_deref())),
                cell(&dash(f.account.as_deref())),
                cell(&f.reason)
            );
        }
    }
    for a in &fleet.audited {
        let problems: Vec<&Value> = a.report["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| {
                matches!(
                    status_of(c),
                    Some(Status::Fail | Status::Warn | Status::Unknown)
                )
            })
            .collect();
        if problems.is_empty() {
            continue;
        }
        let r = &a.row;
        let _ = writeln!(
            out,
            "\n### `{}` ({}, {}, `{}`)\n\n| | Check | Detail |\n|---|---|---|",
            cell(&r.target),
            cell(&r.region),
            cell(&dash(r.account.as_deref())),
            cell(&r.vpc_id)
        );
        for check in problems {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} |",
                status_of(check).map_or("", emoji),
                cell(str_of(check, "id")),
                cell(str_of(check, "detail"))
            );
        }
    }
    out
}

fn parse_severity(text: &str) -> Severity {
    [Severity::Error, Severity::Warn]
        .into_iter()
        .find(|s| s.as_str() == text)
        .unwrap_or(Severity::Info)
}

/// One SARIF result of a target's check: located at every resource it rests on, each named
/// `account/region/vpc/resource`, with the target in its properties.
fn sarif_result(row: &Row, check: &Value, rules: &[&Rule]) -> Value {
    let status = status_of(check).unwrap_or(Status::Unknown);
    let (kind, level) = match status {
        Status::Fail | Status::Warn => ("fail", level(parse_severity(str_of(check, "severity")))),
        Status::Info => ("informational", "none"),
        _ => ("review", "none"),
    };
    let mut resources: Vec<&str> = check["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if resources.is_empty() {
        resources.push(str_of(&check["subject"], "id"));
    }
    let place = Place {
        account: row.account.as_deref(),
        region: &row.region,
        vpc: &row.vpc_id,
    };
    let module = json!({
        "name": row.target,
        "fullyQualifiedName": place.prefix(),
        "kind": "module",
    });
    let locations: Vec<Value> = resources
        .iter()
        .map(|id| place.location(id, std::slice::from_ref(&module)))
        .collect();
    let mut message = str_of(check, "detail").to_string();
    if let Some(fix) = check.get("remediation").and_then(Value::as_str) {
        message.push_str("\nFix: ");
        message.push_str(fix);
    }
    let rule = str_of(check, "rule");
    let mut result = json!({
        "ruleId": rule,
        "kind": kind,
        "level": level,
        "message": {"text": message},
        "locations": locations,
        "partialFingerprints": place.fingerprints(str_of(check, "id"), str_of(&check["subject"], "id"), &resources),
        "properties": {
            "status": status.as_str(),
            "checkId": str_of(check, "id"),
            "subject": check.get("subject"),
            "target": row.target,
            "region": row.region,
            "account": row.account,
            "vpcId": row.vpc_id,
        },
    });
    if let Some(index) = rules.iter().position(|r| r.id == rule) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// Renders the fleet as one SARIF 2.1.0 run: every target's results (not the passes), and
/// each target that could not be audited as an error notification of the invocation.
pub fn sarif(fleet: &Fleet) -> String {
    let rules: Vec<&Rule> = rules().collect();
    let results: Vec<Value> = fleet
        .audited
        .iter()
        .flat_map(|a| {
            let rules = &rules;
            a.report["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| status_of(c) != Some(Status::Pass))
                .map(move |c| sarif_result(&a.row, c, rules))
        })
        .collect();
    let notifications: Vec<Value> = fleet
        .failed
        .iter()
        .map(|f| {
            json!({
                "level": "error",
                "message": {"text": format!("{} ({}, {}) could not be audited: {}", f.target, dash(f.region.as_deref()), dash(f.account.as_deref()), f.reason)},
            })
        })
        .collect();
    let summary = fleet.summary();
    sarif::log(json!({
        "invocations": [{
            "executionSuccessful": fleet.failed.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "properties": {"fleet": summary},
        "results": results,
    }))
}
