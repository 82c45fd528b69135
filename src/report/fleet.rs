//! The fleet report (`linkscope audit` over many targets, `linkscope merge`): a summary table
//! of every target, then the targets that could not be audited, in text, JSON
//! (`linkscope.fleet/v1`), Markdown and SARIF (one run). It displays the judgements of
//! [`crate::fleet::fleet_report`] and makes none.

use std::fmt::Write;

use serde_json::{Value, json};

use super::markdown::{cell, emoji};
use super::sarif::{self, Place, level};
use super::table;
use crate::checks::{Rule, Status, rules};
use crate::fleet::fleet_report::{Failed, Fleet, Row, SCHEMA, Summary};
use crate::fleet::report::{Check, TargetReport};
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
        reports: Vec<&'a TargetReport>,
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
        let problems: Vec<&Check> = a
            .report
            .checks
            .iter()
            .filter(|c| c.status.needs_attention())
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
                emoji(check.status),
                cell(&check.id),
                cell(&check.detail)
            );
        }
    }
    out
}

/// One SARIF result of a target's check: located at every resource it rests on, each named
/// `account/region/vpc/resource`, with the target in its properties.
fn sarif_result(row: &Row, check: &Check, rules: &[&Rule]) -> Value {
    let (kind, level) = match check.status {
        Status::Fail | Status::Warn => ("fail", level(check.severity)),
        Status::Info => ("informational", "none"),
        _ => ("review", "none"),
    };
    let mut resources: Vec<&str> = check.resources.iter().map(String::as_str).collect();
    if resources.is_empty() {
        resources.push(&check.subject.id);
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
    let mut message = check.detail.clone();
    if let Some(fix) = &check.remediation {
        message.push_str("\nFix: ");
        message.push_str(fix);
    }
    let rule = check.rule.as_str();
    let mut result = json!({
        "ruleId": rule,
        "kind": kind,
        "level": level,
        "message": {"text": message},
        "locations": locations,
        "partialFingerprints": place.fingerprints(&check.id, &check.subject.id, &resources),
        "properties": {
            "status": check.status.as_str(),
            "checkId": check.id,
            "subject": check.subject,
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
            a.report
                .checks
                .iter()
                .filter(|c| c.status != Status::Pass)
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
