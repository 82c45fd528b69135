//! The rows each tab lists, with the text `/` filters on. Shared by `update` (to move the
//! selection) and the UI (to draw the same rows in the same order).

use crate::checks::{Audit, Finding, Status};
use crate::model::{EndpointType, NetworkAcl, RouteTable, SecurityGroup, Snapshot, VpcEndpoint};

use super::Tab;

/// One selectable row: a stable id, kept across refreshes.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
}

/// What a row shows. Its search text is made only when a filter is set: on a big VPC,
/// formatting text nobody searches was most of a frame.
enum Item<'a> {
    Finding(&'a Finding),
    Endpoint(&'a VpcEndpoint),
    RouteTable(&'a RouteTable),
    Group(&'a SecurityGroup),
    Acl(&'a NetworkAcl),
    Metrics(&'a VpcEndpoint),
}

impl Item<'_> {
    fn id(&self) -> String {
        match self {
            Item::Finding(f) => finding_key(f),
            Item::Endpoint(e) | Item::Metrics(e) => e.id.clone(),
            Item::RouteTable(t) => t.id.clone(),
            Item::Group(g) => g.id.clone(),
            Item::Acl(a) => a.id.clone(),
        }
    }

    fn search(&self) -> String {
        match self {
            Item::Finding(f) => format!(
                "{} {} {} {}",
                f.id,
                f.status,
                f.resources.join(" "),
                f.title
            ),
            Item::Endpoint(e) => format!(
                "{} {} {} {} {}",
                e.id,
                e.service_name,
                e.endpoint_type,
                e.state,
                tags_text(&e.tags)
            ),
            Item::RouteTable(t) => {
                let subnets: Vec<&str> = t
                    .associations
                    .iter()
                    .filter_map(|a| a.subnet_id.as_deref())
                    .collect();
                format!("{} {} {}", t.id, subnets.join(" "), tags_text(&t.tags))
            }
            Item::Group(g) => format!("{} {} {}", g.id, g.name, tags_text(&g.tags)),
            Item::Acl(a) => {
                let subnets: Vec<&str> = a
                    .associations
                    .iter()
                    .map(|s| s.subnet_id.as_str())
                    .collect();
                format!("{} {} {}", a.id, subnets.join(" "), tags_text(&a.tags))
            }
            Item::Metrics(e) => {
                let kind = if e.endpoint_type == EndpointType::Gateway {
                    "gateway"
                } else {
                    ""
                };
                format!("{} {} {} {kind}", e.id, e.service_name, e.state)
            }
        }
    }
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

/// Every item of a tab, unfiltered, in display order.
fn items<'a>(tab: Tab, snapshot: &'a Snapshot, audit: &'a Audit) -> Vec<Item<'a>> {
    match tab {
        Tab::Checklist => {
            let others = audit
                .findings
                .iter()
                .filter(|f| {
                    !f.id.starts_with("mwaa.endpoint.") && !f.id.starts_with("mwaa.s3-route.")
                })
                .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown));
            audit.checklist().chain(others).map(Item::Finding).collect()
        }
        Tab::Endpoints => snapshot.endpoints.iter().map(Item::Endpoint).collect(),
        Tab::Routes => snapshot.route_tables.iter().map(Item::RouteTable).collect(),
        Tab::Security => snapshot
            .security_groups
            .iter()
            .map(Item::Group)
            .chain(snapshot.network_acls.iter().map(Item::Acl))
            .collect(),
        Tab::Metrics => snapshot.endpoints.iter().map(Item::Metrics).collect(),
    }
}

/// The rows whose text contains `filter` (case-insensitive); all rows when it is empty.
pub fn visible(tab: Tab, snapshot: &Snapshot, audit: &Audit, filter: &str) -> Vec<Row> {
    let needle = filter.to_lowercase();
    items(tab, snapshot, audit)
        .into_iter()
        .filter(|item| needle.is_empty() || item.search().to_lowercase().contains(&needle))
        .map(|item| Row { id: item.id() })
        .collect()
}
