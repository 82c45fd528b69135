//! The Markdown report, for pasting into an incident ticket.

use std::fmt::Write;

use super::text::{checklist_label, headline, summary};
use crate::checks::{Audit, Finding, Status};
use crate::model::Snapshot;

fn emoji(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Warn => "⚠️",
        Status::Info => "ℹ️",
        Status::Unknown => "❔",
    }
}

/// Table cells cannot hold pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## linkscope audit: {}\n", headline(snapshot));
    let _ = writeln!(out, "**Result:** {}\n", summary(audit));
    let _ = writeln!(out, "> {}\n", audit.workload);
    for (source, error) in snapshot.failed_sources() {
        let _ = writeln!(
            out,
            "> **Partial data:** `{}` failed: {}\n",
            source.api(),
            cell(&error.to_string())
        );
    }
    let _ = writeln!(
        out,
        "### MWAA checklist\n\n| | Check | Resource | Detail |\n|---|---|---|---|"
    );
    for f in audit.checklist() {
        let resource = f
            .resources
            .first()
            .map(|r| format!("`{r}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {resource} | {} |",
            emoji(f.status),
            cell(&checklist_label(f)),
            cell(&f.detail)
        );
    }
    let problems: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown))
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "\n### Findings");
    }
    for f in problems {
        let _ = writeln!(
            out,
            "\n#### {} `{}` ({})\n",
            emoji(f.status),
            f.id,
            f.severity.as_str()
        );
        if !f.resources.is_empty() {
            let ids: Vec<String> = f.resources.iter().map(|r| format!("`{r}`")).collect();
            let _ = writeln!(out, "Resources: {}\n", ids.join(", "));
        }
        let _ = writeln!(out, "{}\n", f.detail);
        if let Some(fix) = &f.remediation {
            let _ = writeln!(out, "```sh\n{fix}\n```\n");
        }
        let _ = writeln!(
            out,
            "<sub>Expected: {}. Source: {}</sub>",
            f.title, f.source
        );
    }
    out
}
