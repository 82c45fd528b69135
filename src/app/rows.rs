//! The rows each tab lists, with the text `/` filters on. Shared by `update` (to move the
//! selection) and the UI (to draw the same rows in the same order).

use crate::checks::{Audit, Finding, Status};
use crate::model::{EndpointType, Snapshot};

use super::Tab;

/// One selectable row: a stable id (kept across refreshes) and its searchable text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub search: String,
}

fn tags_text(tags: &crate::model::Tags) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The row id of a finding: its check id and resources (checklist ids alone repeat).
pub fn finding_key(finding: &Finding) -> String {
    format!("{} {}", finding.id, finding.resources.join(","))
}

/// Every row of a tab, unfiltered.
pub fn all(tab: Tab, snapshot: &Snapshot, audit: &Audit) -> Vec<Row> {
    match tab {
        Tab::Checklist => {
            let checklist = audit.checklist();
            let others = audit
                .findings
                .iter()
                .filter(|f| {
                    !f.id.starts_with("mwaa.endpoint.") && !f.id.starts_with("mwaa.s3-route.")
                })
                .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown));
            checklist
                .chain(others)
                .map(|f| Row {
                    id: finding_key(f),
                    search: format!(
                        "{} {} {} {}",
                        f.id,
                        f.status,
                        f.resources.join(" "),
                        f.title
                    ),
                })
                .collect()
        }
        Tab::Endpoints => snapshot
            .endpoints
            .iter()
            .map(|e| Row {
                id: e.id.clone(),
                search: format!(
                    "{} {} {} {} {}",
                    e.id,
                    e.service_name,
                    e.endpoint_type,
                    e.state,
                    tags_text(&e.tags)
                ),
            })
            .collect(),
        Tab::Routes => snapshot
            .route_tables
            .iter()
            .map(|t| {
                let subnets: Vec<&str> = t
                    .associations
                    .iter()
                    .filter_map(|a| a.subnet_id.as_deref())
                    .collect();
                Row {
                    id: t.id.clone(),
                    search: format!("{} {} {}", t.id, subnets.join(" "), tags_text(&t.tags)),
                }
            })
            .collect(),
        Tab::Security => snapshot
            .security_groups
            .iter()
            .map(|g| Row {
                id: g.id.clone(),
                search: format!("{} {} {}", g.id, g.name, tags_text(&g.tags)),
            })
            .chain(snapshot.network_acls.iter().map(|a| {
                let subnets: Vec<&str> = a
                    .associations
                    .iter()
                    .map(|s| s.subnet_id.as_str())
                    .collect();
                Row {
                    id: a.id.clone(),
                    search: format!("{} {} {}", a.id, subnets.join(" "), tags_text(&a.tags)),
                }
            }))
            .collect(),
        Tab::Metrics => snapshot
            .endpoints
            .iter()
            .map(|e| {
                let kind = if e.endpoint_type == EndpointType::Gateway {
                    "gateway"
                } else {
                    ""
                };
                Row {
                    id: e.id.clone(),
                    search: format!("{} {} {} {kind}", e.id, e.service_name, e.state),
                }
            })
            .collect(),
    }
}

/// The rows whose text contains `filter` (case-insensitive); all rows when it is empty.
pub fn visible(tab: Tab, snapshot: &Snapshot, audit: &Audit, filter: &str) -> Vec<Row> {
    let needle = filter.to_lowercase();
    all(tab, snapshot, audit)
        .into_iter()
        .filter(|r| needle.is_empty() || r.search.to_lowercase().contains(&needle))
        .collect()
}
