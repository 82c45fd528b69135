//! The text report: the MWAA checklist as a compact table, then findings grouped by
//! severity with their fixes. Colored unless `NO_COLOR` is set or stdout is not a terminal.

use std::fmt::Write;

use super::table;
use crate::checks::probe::status as probe_status;
use crate::checks::shared::{self, SharedFix};
use crate::checks::{Audit, Finding, Status};
use crate::model::Snapshot;
use crate::show::{clean, icon, label, resource, truncate};

/// ANSI styling that collapses to plain text when color is off.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn status(&self, status: Status, text: &str) -> String {
        let code = match status {
            Status::Pass => "32",
            Status::Fail => "1;31",
            Status::Warn => "33",
            Status::Info => "36",
            Status::Unknown => "35",
        };
        self.wrap(code, text)
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// The header line shared by the text and Markdown reports.
pub fn headline(snapshot: &Snapshot) -> String {
    let name = snapshot
        .vpc_name()
        .map(|n| format!(" ({})", truncate(n, 40)))
        .unwrap_or_default();
    let env = snapshot
        .environment
        .as_ref()
        .map(|e| {
            format!(
                " · MWAA {} ({})",
                clean(&e.name),
                clean(e.status.as_ref().map_or("status unknown", |s| s.as_str()))
            )
        })
        .unwrap_or_default();
    format!(
        "{} · {}{name}{env} · captured {}",
        clean(&snapshot.region),
        clean(&snapshot.vpc.id),
        clean(&snapshot.captured_at)
    )
}

/// The one-line tally.
pub fn summary(audit: &Audit) -> String {
    [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Info,
        Status::Unknown,
    ]
    .iter()
    .map(|s| format!("{} {s}", audit.count(*s)))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// How many fixes the problems need: `13 fail and 4 warn findings need 10 fixes`, or `None`
/// without a problem.
pub fn fixes_needed(groups: &[SharedFix]) -> Option<String> {
    let (fail, warn) = (
        shared::count(groups, Status::Fail),
        shared::count(groups, Status::Warn),
    );
    let findings = match (fail, warn) {
        (0, 0) => return None,
        (n, 0) => format!("{n} fail finding{}", plural(n)),
        (0, n) => format!("{n} warn finding{}", plural(n)),
        (f, w) => format!("{f} fail and {w} warn findings"),
    };
    let fixes = groups.len();
    let verb = if fail + warn == 1 { "needs" } else { "need" };
    Some(format!("{findings} {verb} {fixes} fix{}", plural_es(fixes)))
}

/// A group of findings one fix clears: `4 on sg-…: mwaa.endpoint.sqs, …`.
pub fn shared_line(group: &SharedFix) -> String {
    let on = match group.resources.as_slice() {
        [] => String::new(),
        resources => format!(" on {}", resources.join(", ")),
    };
    clean(&format!(
        "{}{on}: {}",
        group.findings.len(),
        group.ids().join(", ")
    ))
    .into_owned()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn plural_es(n: usize) -> &'static str {
    if n == 1 { "" } else { "es" }
}

/// Renders the audit as text, with ANSI colors when `color` is true.
pub fn render(snapshot: &Snapshot, audit: &Audit, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        paint.bold("linkscope audit"),
        headline(snapshot)
    );
    let _ = writeln!(out, "{}\n", paint.dim(&clean(&audit.workload.description)));
    checklist(&mut out, paint, audit);
    shared_fixes(&mut out, paint, audit);
    findings(&mut out, paint, audit);
    changes(&mut out, paint, audit);
    probes(&mut out, paint, audit);
    let _ = writeln!(out, "\n{}", summary(audit));
    for (source, error) in snapshot.failed_sources() {
        let line = format!(
            "PARTIAL: {} failed: {}",
            source.api(),
            clean(&error.to_string())
        );
        let _ = writeln!(out, "{}", paint.status(Status::Unknown, &line));
    }
    out
}

/// The checklist as a table, each row in its status's colour.
fn checklist(out: &mut String, paint: Paint, audit: &Audit) {
    let rows: Vec<&Finding> = audit.checklist().collect();
    let _ = writeln!(
        out,
        "{}  {}",
        paint.bold("MWAA checklist"),
        audit.readiness()
    );
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|f| {
            vec![
                icon(f.status).into(),
                label(f),
                f.status.to_string(),
                resource(f).to_string(),
            ]
        })
        .collect();
    // Color is applied after layout so that escape codes do not skew the columns.
    for (line, finding) in table::render(&["", "CHECK", "STATUS", "RESOURCE"], &cells, 60)
        .lines()
        .zip(std::iter::once(None).chain(rows.iter().map(Some)))
    {
        let line = match finding {
            Some(f) => paint.status(f.status, line),
            None => paint.dim(line),
        };
        let _ = writeln!(out, "  {line}");
    }
}

/// How many fixes the problems need, and the fixes that clear several findings.
fn shared_fixes(out: &mut String, paint: Paint, audit: &Audit) {
    let groups = shared::by_fix(&audit.findings);
    let Some(needed) = fixes_needed(&groups) else {
        return;
    };
    let _ = writeln!(out, "\n{}", paint.bold(&format!("Problems: {needed}")));
    let several: Vec<&SharedFix> = groups.iter().filter(|g| g.findings.len() > 1).collect();
    if !several.is_empty() {
        let _ = writeln!(out, "  {}", paint.dim("one fix clears several findings:"));
    }
    for group in several {
        let _ = writeln!(out, "  {}", shared_line(group));
    }
}

/// Every finding that is not a pass, grouped by status, with its fix and sources.
fn findings(out: &mut String, paint: Paint, audit: &Audit) {
    for (status, heading) in [
        (Status::Fail, "FAIL"),
        (Status::Warn, "WARN"),
        (Status::Unknown, "UNKNOWN"),
        (Status::Info, "INFO"),
    ] {
        let group: Vec<&Finding> = audit
            .findings
            .iter()
            .filter(|f| f.status == status)
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{heading} ({})", group.len());
        let _ = writeln!(out, "\n{}", paint.status(status, &heading));
        for f in group {
            finding(out, paint, f);
        }
    }
}

/// One finding: its id and resources, the detail, the fix, the documentation.
fn finding(out: &mut String, paint: Paint, f: &Finding) {
    let resources = if f.resources.is_empty() {
        String::new()
    } else {
        format!("  {}", clean(&f.resources.join(", ")))
    };
    let _ = writeln!(
        out,
        "  {} {}{}",
        paint.status(f.status, icon(f.status)),
        paint.bold(&f.id),
        paint.dim(&resources)
    );
    let _ = writeln!(out, "    {}", clean(&f.detail));
    if let Some(fix) = &f.remediation {
        for (i, line) in fix.lines().enumerate() {
            let lead = if i == 0 { "fix:" } else { "    " };
            let _ = writeln!(out, "    {lead} {}", clean(line));
        }
    }
    for doc in f.docs {
        let source = format!("source: {} {}", doc.text(), doc.page.url);
        let _ = writeln!(out, "    {}", paint.dim(&source));
    }
}

/// The CloudTrail timeline, when changes were read.
fn changes(out: &mut String, paint: Paint, audit: &Audit) {
    let Some(timeline) = &audit.timeline else {
        return;
    };
    let _ = writeln!(
        out,
        "\n{}  {}",
        paint.bold("Changes (CloudTrail)"),
        paint.dim(&format!("{} → {}", timeline.since, timeline.until))
    );
    if let Some(note) = &timeline.note {
        let _ = writeln!(out, "  {}", paint.status(timeline.status, &clean(note)));
    }
    if timeline.events.is_empty() && timeline.status != Status::Unknown {
        let _ = writeln!(out, "  no change to the resources in scope");
    }
    for e in &timeline.events {
        let status = e.status();
        let _ = writeln!(
            out,
            "  {} {}",
            paint.status(status, icon(status)),
            clean(&e.sentence)
        );
    }
}

/// The `--probe` evidence, per name.
fn probes(out: &mut String, paint: Paint, audit: &Audit) {
    if audit.probes.is_empty() {
        return;
    }
    let heading = paint.bold("Evidence from inside the VPC (--probe)");
    let _ = writeln!(out, "\n{heading}");
    for p in &audit.probes {
        let status = probe_status(p.result.verdict);
        let from = format!("{} resolver, from {}", p.result.resolver, p.ran_on);
        let _ = writeln!(
            out,
            "  {} {}  {}",
            paint.status(status, icon(status)),
            paint.bold(&clean(&p.result.name)),
            paint.dim(&clean(&from))
        );
        let _ = writeln!(out, "    {}", clean(&p.result.explanation));
    }
}
