//! What the checklist's S3 route rows and the gateway routing rules must agree on, since both
//! read the one S3 path judgement. The tests hold every demo, seeded and moto case to it.

use super::gateway::{GATEWAY_MISSING, ROUTE_MISSING, ROUTE_SHADOWED, TABLE_NOT_ASSOCIATED};
use crate::checks::{Audit, ChecklistItem, Status};

/// Every S3 route row whose status differs from the worst gateway routing finding on its
/// subnet or route table (a pass when there is none), as one line each. Empty when they agree.
pub fn s3_routing_disagreements(audit: &Audit) -> Vec<String> {
    let rules = [
        GATEWAY_MISSING.id,
        TABLE_NOT_ASSOCIATED.id,
        ROUTE_MISSING.id,
        ROUTE_SHADOWED.id,
    ];
    let mut out = Vec::new();
    for row in audit.checklist() {
        let Some(ChecklistItem::S3Route(subnet)) = &row.checklist else {
            continue;
        };
        if row.status == Status::Unknown {
            continue;
        }
        let table = row.resources.get(1);
        let related: Vec<_> = audit
            .findings
            .iter()
            .filter(|f| rules.contains(&f.rule) && f.status.is_problem())
            .filter(|f| {
                f.rule == GATEWAY_MISSING.id
                    || f.involves(subnet)
                    || table.is_some_and(|t| f.involves(t))
            })
            .collect();
        let expected = related
            .iter()
            .map(|f| f.status)
            .max_by_key(|s| s.rank())
            .unwrap_or(Status::Pass);
        if row.status != expected {
            let by: Vec<String> = related
                .iter()
                .map(|f| format!("{} {}", f.id, f.status))
                .collect();
            out.push(format!(
                "{} is {} but the gateway rules say {expected} ({})",
                row.id,
                row.status,
                by.join(", ")
            ));
        }
    }
    out
}
