//! The Markdown report, for pasting into an incident ticket.

use std::fmt::Write;

use super::text::{fixes_needed, headline, shared_line, summary};
use crate::checks::probe::status as probe_status;
use crate::checks::shared;
use crate::checks::{Audit, Finding, Status};
use crate::model::Snapshot;
use crate::show::{clean, label, resource};

/// The status as the Markdown reports show it.
pub(super) fn emoji(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Warn => "⚠️",
        Status::Info => "ℹ️",
        Status::Unknown => "❔",
    }
}

/// Table cells cannot hold pipes or line breaks; control characters are escaped.
pub(super) fn cell(text: &str) -> String {
    clean(&text.replace('\n', " ")).replace('|', "\\|")
}

/// The finding's documentation as Markdown links.
fn sources(f: &Finding) -> String {
    f.docs
        .iter()
        .map(|d| format!("[{}]({})", d.text(), d.page.url))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Renders the audit as a Markdown report.
pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## linkscope audit: {}\n", headline(snapshot));
    let _ = writeln!(out, "**Result:** {}\n", summary(audit));
    let _ = writeln!(out, "> {}\n", cell(&audit.workload.description));
    for (source, error) in snapshot.failed_sources() {
        let _ = writeln!(
            out,
            "> **Partial data:** `{}` failed: {}\n",
            source.api(),
            cell(&error.to_string())
        );
    }
    checklist(&mut out, audit);
    changes(&mut out, audit);
    probes(&mut out, audit);
    network_paths(&mut out, snapshot, audit);
    findings(&mut out, audit);
    out
}

/// The checklist as a table.
fn checklist(out: &mut String, audit: &Audit) {
    let _ = writeln!(
        out,
        "### MWAA checklist: {}\n\n| | Check | Resource | Detail |\n|---|---|---|---|",
        audit.readiness()
    );
    for f in audit.checklist() {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} |",
            emoji(f.status),
            cell(&label(f)),
            cell(resource(f)),
            cell(&f.detail)
        );
    }
}

/// The CloudTrail timeline, when changes were read.
fn changes(out: &mut String, audit: &Audit) {
    let Some(timeline) = &audit.timeline else {
        return;
    };
    let _ = writeln!(
        out,
        "\n### Changes (CloudTrail, {} → {})\n",
        cell(&timeline.since),
        cell(&timeline.until)
    );
    if let Some(note) = &timeline.note {
        let _ = writeln!(out, "> {} {}\n", emoji(timeline.status), cell(note));
    }
    if !timeline.events.is_empty() {
        let _ = writeln!(
            out,
            "| Time | Event | Who | What, and what fails now |\n|---|---|---|---|"
        );
    }
    for e in &timeline.events {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            cell(&e.event.time),
            cell(&e.event.event_name),
            cell(e.event.actor.as_deref().unwrap_or("-")),
            cell(&e.sentence)
        );
    }
}

/// The `--probe` evidence, per name.
fn probes(out: &mut String, audit: &Audit) {
    if audit.probes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n### Evidence from inside the VPC\n\n| | Name | Resolver | From | Explanation |\n|---|---|---|---|---|"
    );
    for p in &audit.probes {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            emoji(probe_status(p.result.verdict)),
            cell(&p.result.name),
            cell(&p.result.resolver),
            cell(&p.ran_on),
            cell(&p.result.explanation)
        );
    }
}

/// The findings that need attention, after how many fixes they need.
fn findings(out: &mut String, audit: &Audit) {
    let problems: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| f.status.needs_attention())
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "\n### Findings");
    }
    let groups = shared::by_fix(&audit.findings);
    if let Some(needed) = fixes_needed(&groups) {
        let _ = writeln!(out, "\n{needed}.");
        let several: Vec<_> = groups.iter().filter(|g| g.findings.len() > 1).collect();
        if !several.is_empty() {
            let _ = writeln!(out, "One fix clears several findings:\n");
        }
        for group in several {
            let _ = writeln!(out, "- {}", cell(&shared_line(group)));
        }
    }
    for f in problems {
        finding(out, f);
    }
}

/// One finding: its id, resources, detail, fix and sources.
fn finding(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "\n#### {} `{}` ({})\n",
        emoji(f.status),
        f.id,
        f.severity.as_str()
    );
    if !f.resources.is_empty() {
        let ids: Vec<String> = f
            .resources
            .iter()
            .map(|r| format!("`{}`", clean(r)))
            .collect();
        let _ = writeln!(out, "Resources: {}\n", ids.join(", "));
    }
    let _ = writeln!(out, "{}\n", clean(&f.detail));
    if let Some(fix) = &f.remediation {
        let lines: Vec<_> = fix.lines().map(clean).collect();
        let _ = writeln!(out, "```sh\n{}\n```\n", lines.join("\n"));
    }
    let _ = writeln!(
        out,
        "<sub>Expected: {}. Source: {}</sub>",
        f.title,
        sources(f)
    );
}

/// Each name whose way there and back fails or cannot be judged: the hop that decides, and
/// the Reachability Analyzer commands that would prove it (printed, never run).
fn network_paths(out: &mut String, snapshot: &Snapshot, audit: &Audit) {
    let troubled: Vec<_> = audit
        .names
        .iter()
        .filter_map(|n| n.reach.as_ref().map(|r| (n, r)))
        .filter(|(_, r)| r.status != Status::Pass)
        .collect();
    if troubled.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Network paths (TCP 443, there and back)");
    for (name, reach) in troubled {
        let _ = writeln!(
            out,
            "\n#### {} `{}`\n\n{}\n",
            emoji(reach.status),
            clean(&name.name),
            cell(&reach.summary())
        );
        if let Some(commands) = reach.analyzer(&snapshot.region) {
            let lines: Vec<_> = commands.lines().map(clean).collect();
            let _ = writeln!(out, "```sh\n{}\n```", lines.join("\n"));
        }
    }
}
