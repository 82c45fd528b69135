//! What changed between two snapshots of one VPC: the findings whose status changed (new
//! failures first), then the resources (endpoints, route tables, security groups, network
//! ACLs, the VPC's DNS attributes, the DNS path). Pure: two snapshots and their audits in,
//! a [`Diff`] out; `linkscope diff` renders it and the dashboard's `--baseline` marks rows
//! with it.

mod findings;
mod resources;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::checks::{Audit, Status, Subject};
use crate::model::Snapshot;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// When the snapshot was captured.
    pub captured_at: String,
    /// Its Region.
    pub region: String,
    /// Its VPC.
    pub vpc_id: String,
}

impl Side {
    fn of(snapshot: &Snapshot) -> Self {
        Self {
            captured_at: snapshot.captured_at.clone(),
            region: snapshot.region.clone(),
            vpc_id: snapshot.vpc.id.clone(),
        }
    }
}

/// A finding whose status differs between the two audits (or that exists in one only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingChange {
    /// The finding's key (id and subject), as the checklist tab keys its rows.
    pub key: String,
    /// The finding's id.
    pub id: String,
    /// What it is about.
    pub subject: Subject,
    /// Its status before; `None` when it did not exist.
    pub before: Option<Status>,
    /// Its status now; `None` when it no longer exists.
    pub after: Option<Status>,
    /// Its detail now (or before, when it is gone).
    pub detail: String,
    /// The resources its verdict rests on.
    pub resources: Vec<String>,
}

impl FindingChange {
    /// A failure that was not one before.
    pub fn is_new_failure(&self) -> bool {
        self.after == Some(Status::Fail) && self.before != Some(Status::Fail)
    }

    /// `pass → fail`, `absent → fail`, …
    pub fn transition(&self) -> String {
        let word = |s: Option<Status>| s.map_or_else(|| "absent".to_string(), |s| s.to_string());
        format!("{} → {}", word(self.before), word(self.after))
    }

    /// A failure that is one no longer.
    pub fn is_fixed(&self) -> bool {
        self.before == Some(Status::Fail) && self.after != Some(Status::Fail)
    }
}

/// The kind of resource a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A VPC endpoint.
    Endpoint,
    /// A route table.
    RouteTable,
    /// A security group.
    SecurityGroup,
    /// A network ACL.
    NetworkAcl,
    /// The VPC's own attributes.
    Vpc,
    /// DHCP options, Resolver rules, private hosted zones and their records.
    DnsPath,
    /// The path a service name takes, as the audit decides it.
    DnsName,
}

impl Kind {
    /// A heading for reports.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Endpoint => "Endpoints",
            Self::RouteTable => "Route tables",
            Self::SecurityGroup => "Security groups",
            Self::NetworkAcl => "Network ACLs",
            Self::Vpc => "VPC",
            Self::DnsPath => "DNS path",
            Self::DnsName => "Service names",
        }
    }
}

/// Whether a resource appeared, disappeared or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    /// Only in the new snapshot.
    Added,
    /// Only in the old snapshot.
    Removed,
    /// In both, different.
    Changed,
}

/// One line of a change: `+` added, `-` removed, `~` a value that changed (`a → b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// `+`, `-` or `~`.
    pub sign: char,
    /// What the line says.
    pub text: String,
}

/// A resource that changed, with what changed in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The kind of resource.
    pub kind: Kind,
    /// Its id (a name, for DNS names).
    pub id: String,
    /// A few words that say which one it is (`sqs`, `main`), when there are any.
    pub label: String,
    /// Added, removed or changed.
    pub what: What,
    /// The lines that changed.
    pub lines: Vec<Line>,
}

/// Everything that changed from `old` to `new`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The old snapshot.
    pub old: Side,
    /// The new snapshot.
    pub new: Side,
    /// Findings whose status changed: new failures, then fixed failures, then the rest.
    pub findings: Vec<FindingChange>,
    /// Resources that changed, by kind.
    pub changes: Vec<Change>,
}

impl Diff {
    /// How many failures are new.
    pub fn new_failures(&self) -> usize {
        self.findings.iter().filter(|f| f.is_new_failure()).count()
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.changes.is_empty()
    }

    /// Every id a dashboard row may carry that changed: resource ids, DNS names, and the
    /// keys of findings whose status changed.
    pub fn changed_ids(&self) -> BTreeSet<String> {
        self.changes
            .iter()
            .map(|c| c.id.clone())
            .chain(self.findings.iter().map(|f| f.key.clone()))
            .collect()
    }
}

/// Compares two snapshots and their audits.
pub fn compare(old: &Snapshot, old_audit: &Audit, new: &Snapshot, new_audit: &Audit) -> Diff {
    let mut changes = resources::changes(old, new);
    changes.extend(findings::names(old_audit, new_audit));
    Diff {
        old: Side::of(old),
        new: Side::of(new),
        findings: findings::changes(old_audit, new_audit),
        changes,
    }
}
