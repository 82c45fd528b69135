//! The JSON report (`linkscope.audit/v1`): every finding with its subject, the resources its
//! verdict rests on, and the documentation it cites, as the typed report of one target
//! ([`TargetReport`]) that a fleet report holds and `linkscope merge` reads back.
//! `docs/audit.md` documents the shape.

use crate::checks::Audit;
use crate::fleet::report::TargetReport;
use crate::model::Snapshot;
use crate::show::json_safe;

/// Renders the audit as pretty JSON, with control characters escaped inside strings.
pub fn render(snapshot: &Snapshot, audit: &Audit) -> String {
    let report = TargetReport::new(snapshot, audit);
    json_safe(&serde_json::to_string_pretty(&report).expect("reports always serialize")) + "\n"
}
