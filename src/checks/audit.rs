//! The result of auditing one snapshot: every finding, and the derived facts the faces show
//! beside them (the workload the audit followed, the route table each subnet uses, whether
//! each endpoint group admits the workload's HTTPS), so that no face derives them again.

use std::collections::BTreeMap;

use super::context::Ctx;
use super::dns::names::DnsName;
use super::endpoints::security_groups::admits_https;
use super::finding::{Finding, Status};
use super::network::path::{Destination, Step};
use super::readiness::Readiness;
use super::{FAMILIES, changes, mwaa, probe, shell};
use crate::model::{ProbeReport, Snapshot};

/// The workload the audit followed.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditedWorkload {
    /// One sentence for reports: where the workload came from.
    pub description: String,
    /// True when no workload was named and every private subnet was assumed.
    pub assumed: bool,
    /// The workload's subnets.
    pub subnet_ids: Vec<String>,
    /// The workload's security groups.
    pub security_group_ids: Vec<String>,
}

/// The route table a subnet uses.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetTable {
    /// The table.
    pub table_id: String,
    /// True for an explicit association, false for the main table used implicitly.
    pub explicit: bool,
}

/// Whether a security group of an endpoint admits the workload's HTTPS, as the checks
/// judged it (`vpce-sg-no-https-inbound` in the VPC, the way there for a hub's endpoints).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupVerdict {
    /// `pass`, `fail` or `unknown`.
    pub status: Status,
    /// The evidence.
    pub text: String,
}

/// The result of auditing one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Which workload the audit followed, and whether it was assumed.
    pub workload: AuditedWorkload,
    /// The route table each subnet of the VPC uses, by subnet id.
    pub subnet_tables: BTreeMap<String, SubnetTable>,
    /// Whether each endpoint's security group admits the workload's HTTPS, by group id.
    pub groups: BTreeMap<String, GroupVerdict>,
    /// Every finding, the checklist rows first.
    pub findings: Vec<Finding>,
    /// The names in scope of the DNS path, each with its path and verdict.
    pub names: Vec<DnsName>,
    /// Evidence from `linkscope probe` runs, per name.
    pub probes: Vec<probe::NameProbe>,
    /// The CloudTrail change timeline, when changes were read (`--changes`).
    pub timeline: Option<changes::Timeline>,
}

impl Audit {
    /// The MWAA checklist rows, in order.
    pub fn checklist(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.checklist.is_some())
    }

    /// The checklist's readiness. Context rows (`info`: an endpoint MWAA manages, or one
    /// public routing makes optional) are not requirements.
    pub fn readiness(&self) -> Readiness {
        Readiness::of(self.checklist().map(|f| f.status))
    }

    /// How many findings have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }

    /// Findings whose verdict rests on `resource`.
    pub fn involving<'a>(&'a self, resource: &'a str) -> impl Iterator<Item = &'a Finding> {
        self.findings.iter().filter(move |f| f.involves(resource))
    }

    /// The worst finding ([`Status::rank`]) whose subject or resources name `id`; the first
    /// of equals in report order. `None` when no finding names it.
    pub fn worst_naming(&self, id: &str) -> Option<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.subject.id == id || f.involves(id))
            .rev()
            .max_by_key(|f| f.status.rank())
    }

    /// The worst problem status (`fail`, then `warn`) of the findings resting on `resource`.
    pub fn worst_for(&self, resource: &str) -> Option<Status> {
        self.involving(resource)
            .map(|f| f.status)
            .filter(|s| s.is_problem())
            .max_by_key(|s| s.rank())
    }
}

/// Runs every rule.
pub fn audit(snapshot: &Snapshot) -> Audit {
    audit_with(snapshot, &[])
}

/// Audits a snapshot with evidence from `linkscope probe` runs folded into the checklist.
pub fn audit_with(snapshot: &Snapshot, probes: &[ProbeReport]) -> Audit {
    let ctx = Ctx::new(snapshot);
    let mut findings: Vec<Finding> = FAMILIES.iter().flat_map(|f| f.audit(&ctx)).collect();
    let probes = probe::evidence(probes);
    probe::merge(&ctx, &mut findings, &probes);
    mwaa::environment::point_at_causes(&mut findings, snapshot);
    shell::scope(&mut findings, &snapshot.region, snapshot.profile.as_deref());
    let timeline = changes::timeline(snapshot.changes.as_ref(), &findings);
    Audit {
        workload: workload(&ctx),
        subnet_tables: subnet_tables(&ctx),
        groups: group_verdicts(&ctx),
        findings,
        names: ctx.names.iter().map(DnsName::from).collect(),
        probes,
        timeline,
    }
}

fn workload(ctx: &Ctx) -> AuditedWorkload {
    let w = &ctx.workload;
    AuditedWorkload {
        description: w.description.clone(),
        assumed: w.assumed,
        subnet_ids: w.subnets.iter().map(|s| s.id.clone()).collect(),
        security_group_ids: w.security_group_ids.iter().map(|g| g.to_string()).collect(),
    }
}

fn subnet_tables(ctx: &Ctx) -> BTreeMap<String, SubnetTable> {
    ctx.snap
        .subnets
        .iter()
        .filter_map(|s| {
            let table = ctx.effective_route_table(&s.id)?;
            let explicit = table
                .associations
                .iter()
                .any(|a| a.subnet_id.as_deref() == Some(s.id.as_str()));
            Some((
                s.id.clone(),
                SubnetTable {
                    table_id: table.id.clone(),
                    explicit,
                },
            ))
        })
        .collect()
}

/// Every group of an available interface endpoint of the VPC, with whether the endpoint's
/// groups admit the workload's HTTPS; then every hub endpoint group the way there crosses.
fn group_verdicts(ctx: &Ctx) -> BTreeMap<String, GroupVerdict> {
    let mut verdicts: BTreeMap<String, GroupVerdict> = BTreeMap::new();
    let mut put = |id: &str, status: Status, text: &str| {
        let entry = verdicts.entry(id.to_string()).or_insert(GroupVerdict {
            status,
            text: text.to_string(),
        });
        if status.rank() > entry.status.rank() {
            *entry = GroupVerdict {
                status,
                text: text.to_string(),
            };
        }
    };
    let groups_known = ctx.missing(&[crate::model::Source::SecurityGroups]);
    for endpoint in ctx.available_interfaces() {
        let admission = admits_https(ctx, endpoint);
        for group in &endpoint.security_group_ids {
            match (&groups_known, admission.admitted) {
                (Some(reason), _) => put(group, Status::Unknown, reason),
                (None, true) if admission.groups.contains(group) => {
                    put(group, Status::Pass, &admission.text)
                }
                // Another group of the endpoint admits it: this one needs not.
                (None, true) => {}
                (None, false) => put(group, Status::Fail, &admission.text),
            }
        }
    }
    for reach in ctx.names.iter().filter_map(|n| n.reach.as_ref()) {
        if !matches!(reach.destination, Destination::Hub { .. }) {
            continue;
        }
        for hop in reach.legs.iter().flat_map(|l| &l.hops) {
            if hop.step == Step::SecurityGroup && !hop.resource.is_empty() {
                put(&hop.resource, hop.status, &hop.text);
            }
        }
    }
    verdicts
}
