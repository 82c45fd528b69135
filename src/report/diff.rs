//! `linkscope diff` reports: text, Markdown and JSON (`linkscope.diff/v1`), the findings
//! whose status changed first, new failures at the top.

use std::fmt::Write;

use serde::Serialize;

use crate::checks::Status;
use crate::diff::{Change, Diff, FindingChange, Kind, What};
use crate::show::{clean, icon, json_safe};

/// `NEW FAIL`, `FIXED` or nothing.
fn tag(f: &FindingChange) -> &'static str {
    match (f.is_new_failure(), f.is_fixed()) {
        (true, _) => "NEW FAIL",
        (_, true) => "FIXED",
        _ => "",
    }
}

fn headline(diff: &Diff) -> String {
    let vpc = match diff.old.vpc_id == diff.new.vpc_id {
        true => diff.new.vpc_id.clone(),
        false => format!("{} → {}", diff.old.vpc_id, diff.new.vpc_id),
    };
    format!(
        "{} · {vpc} · {} → {}",
        diff.new.region, diff.old.captured_at, diff.new.captured_at
    )
}

fn summary(diff: &Diff) -> String {
    format!(
        "{} new failure{}, {} finding{} changed, {} resource{} changed",
        diff.new_failures(),
        if diff.new_failures() == 1 { "" } else { "s" },
        diff.findings.len(),
        if diff.findings.len() == 1 { "" } else { "s" },
        diff.changes.len(),
        if diff.changes.len() == 1 { "" } else { "s" },
    )
}

fn what_sign(what: What) -> char {
    match what {
        What::Added => '+',
        What::Removed => '-',
        What::Changed => '~',
    }
}

fn title(change: &Change) -> String {
    match change.label.is_empty() {
        true => clean(&change.id).into_owned(),
        false => format!("{} ({})", clean(&change.id), clean(&change.label)),
    }
}

/// The kinds in report order, with their changes.
fn by_kind(diff: &Diff) -> Vec<(Kind, Vec<&Change>)> {
    let mut kinds: Vec<Kind> = diff.changes.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| (k, diff.changes.iter().filter(|c| c.kind == k).collect()))
        .collect()
}

/// Plain text.
pub fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "linkscope diff {}\n", clean(&headline(diff)));
    if diff.is_empty() {
        let _ = writeln!(out, "No change.");
        return out;
    }
    if !diff.findings.is_empty() {
        let _ = writeln!(out, "Findings");
        for f in &diff.findings {
            let now = f.after.or(f.before).unwrap_or(Status::Info);
            let _ = writeln!(
                out,
                "  {} {:<8}  {}  {}  {}",
                icon(now),
                tag(f),
                f.id,
                clean(&f.subject.id),
                f.transition()
            );
            if f.is_new_failure() {
                let _ = writeln!(out, "      {}", clean(&f.detail));
            }
        }
        let _ = writeln!(out);
    }
    for (kind, changes) in by_kind(diff) {
        let _ = writeln!(out, "{}", kind.heading());
        for c in changes {
            let _ = writeln!(out, "  {} {}", what_sign(c.what), title(c));
            for l in &c.lines {
                let _ = writeln!(out, "      {} {}", l.sign, clean(&l.text));
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}", summary(diff));
    out
}

fn cell(text: &str) -> String {
    clean(text).replace('|', "\\|").replace('\n', " ")
}

/// Markdown, for a ticket or a pull request.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## linkscope diff: {}\n", cell(&headline(diff)));
    let _ = writeln!(out, "**{}**\n", summary(diff));
    if !diff.findings.is_empty() {
        let _ = writeln!(
            out,
            "### Findings\n\n| | Finding | Subject | Change |\n|---|---|---|---|"
        );
        for f in &diff.findings {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} |",
                tag(f),
                f.id,
                cell(&f.subject.id),
                f.transition()
            );
        }
        let _ = writeln!(out);
    }
    for (kind, changes) in by_kind(diff) {
        let _ = writeln!(out, "### {}\n", kind.heading());
        for c in changes {
            let _ = writeln!(out, "`{}` {}\n", what_sign(c.what), cell(&title(c)));
            let lines: Vec<String> = c
                .lines
                .iter()
                .map(|l| format!("{} {}", l.sign, clean(&l.text)))
                .collect();
            let _ = writeln!(out, "```diff\n{}\n```\n", lines.join("\n"));
        }
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    new_failures: usize,
    #[serde(flatten)]
    diff: &'a Diff,
}

/// JSON (`linkscope.diff/v1`; `docs/diff.md` documents the shape).
pub fn json(diff: &Diff) -> String {
    let document = Document {
        schema: "linkscope.diff/v1",
        new_failures: diff.new_failures(),
        diff,
    };
    json_safe(&serde_json::to_string_pretty(&document).expect("diffs always serialize")) + "\n"
}
