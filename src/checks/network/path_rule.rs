//! The way to each name's interfaces as a rule: one finding per hop that drops TCP 443 (or
//! cannot be judged), naming the hop's resource and every name and subnet it cuts off.
//! Within the VPC, endpoint security groups and network ACLs have rules of their own
//! (`vpce-sg-no-https-inbound`, `nacl-blocks-endpoint-traffic`), so only routes are reported
//! here; for an endpoint in another VPC, every hop is.

use super::path::{Destination, PathHop, Reach, Step};
use crate::checks::context::Ctx;
use crate::checks::dns::names::NamePath;
use crate::checks::docs::{
    CENTRALIZED_ENDPOINTS, PEERING_GROUPS, PEERING_ROUTING, TGW_ROUTE_TABLES, TGW_VPC_ATTACHMENTS,
    cite,
};
use crate::checks::finding::{Finding, Severity, Status, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::Source;

/// The way to each name's interfaces and back.
pub const PATH: Rule = Rule {
    id: "network-path-to-endpoint",
    severity: Severity::Error,
    title: "TCP 443 gets from every workload subnet to the interfaces each name resolves to, and back",
    docs: &[
        cite(CENTRALIZED_ENDPOINTS, ""),
        cite(PEERING_ROUTING, ""),
        cite(PEERING_GROUPS, "Requirements"),
        cite(TGW_ROUTE_TABLES, ""),
        cite(TGW_VPC_ATTACHMENTS, "Limits"),
    ],
    needs: &[Source::VpcEndpoints, Source::Subnets],
    reads: &[],
};

/// The way to each name's interfaces.
pub const FAMILY: Family = Family {
    name: "network paths",
    rules: &[PATH],
    run,
};

/// True when this rule, not another, reports the hop.
fn reported_here(reach: &Reach, hop: &PathHop) -> bool {
    match reach.destination {
        Destination::Hub { .. } => true,
        Destination::Home { .. } => matches!(hop.step, Step::Route | Step::RouteBack),
    }
}

/// One hop that cuts names off, with everything it cuts off.
struct Cut<'h> {
    hop: &'h PathHop,
    names: Vec<String>,
    subnets: Vec<String>,
    endpoints: Vec<String>,
    fixes: Vec<String>,
}

fn push(list: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// The names in scope whose way fails or cannot be judged, with the verdict.
fn troubled<'c, 'a>(ctx: &'c Ctx<'a>) -> impl Iterator<Item = (&'c NamePath<'a>, &'c Reach)> {
    ctx.names
        .iter()
        .filter_map(|n| n.reach.as_ref().map(|r| (n, r)))
        .filter(|(_, r)| r.status != Status::Pass)
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut cuts: Vec<Cut> = Vec::new();
    for (name, reach) in troubled(ctx) {
        for leg in &reach.legs {
            let Some(hop) = leg.blocking().filter(|h| reported_here(reach, h)) else {
                continue;
            };
            let index = match cuts.iter().position(|c| {
                c.hop.status == hop.status
                    && c.hop.step == hop.step
                    && c.hop.resource == hop.resource
                    && (hop.status == Status::Fail || c.hop.text == hop.text)
            }) {
                Some(index) => index,
                None => {
                    cuts.push(Cut {
                        hop,
                        names: vec![],
                        subnets: vec![],
                        endpoints: vec![],
                        fixes: vec![],
                    });
                    cuts.len() - 1
                }
            };
            let cut = &mut cuts[index];
            push(&mut cut.names, &name.scoped.name);
            push(&mut cut.subnets, &leg.subnet_id);
            push(&mut cut.endpoints, reach.endpoint_id());
            if let Some(fix) = &hop.fix {
                push(&mut cut.fixes, fix);
            }
        }
    }
    let findings = cuts.into_iter().map(|cut| finding(ctx, cut)).collect();
    PATH.or_pass(
        findings,
        ctx.vpc(),
        "Routes, peering connections and transit gateways carry TCP 443 from every workload subnet to each name's interfaces and back, and a hub's groups and ACLs admit it.",
    )
}

fn finding(ctx: &Ctx, cut: Cut) -> Finding {
    let hop = cut.hop;
    let subject = match hop.resource.is_empty() {
        true => ctx.vpc(),
        false => Subject::new(hop.step.subject_kind(), &hop.resource),
    };
    let shown = |list: &[String]| match list.len() {
        0..=3 => list.join(", "),
        n => format!("{} and {} more", list[..3].join(", "), n - 3),
    };
    let detail = format!(
        "{} ({}), so {} cannot reach {} from {}.",
        hop.text,
        hop.step.label(),
        shown(&cut.names),
        shown(&cut.endpoints),
        shown(&cut.subnets)
    );
    let resources = cut.endpoints.iter().chain(&cut.subnets).cloned();
    match hop.status {
        Status::Fail => {
            let finding = PATH
                .violated(subject, detail)
                .involving(resources)
                .with_evidence(hop.evidence.clone());
            match cut.fixes.is_empty() {
                true => finding,
                false => finding.fix(cut.fixes.join("\n")),
            }
        }
        _ => PATH
            .unknown(
                subject,
                format!(
                    "Not evaluated: {} ({}), for {} from {}.",
                    hop.text,
                    hop.step.label(),
                    shown(&cut.names),
                    shown(&cut.subnets)
                ),
            )
            .involving(resources),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{Status, SubjectKind, audit};

    /// The spoke demo with every way repaired: the logs endpoint in the shared group, hub
    /// endpoints and records for kms and the operations name, and no Resolver rule.
    fn healthy_spoke() -> Fixture {
        let mut snap = Fixture::spoke();
        let shared = snap.hub_endpoint("sqs").security_group_ids.clone();
        snap.hub_endpoint("logs").security_group_ids = shared;
        snap.0.dns.resolver_rules.clear();
        for (suffix, name) in [
            ("kms", "kms.us-east-1.amazonaws.com"),
            ("airflow.ops", "ops.airflow.us-east-1.amazonaws.com"),
        ] {
            let mut endpoint = snap.hub_endpoint("sqs").clone();
            endpoint.id = format!("vpce-0hub{}", suffix.replace('.', ""));
            endpoint.service_name = format!("com.amazonaws.us-east-1.{suffix}");
            let target = format!("{}-abcd1234.{name}", endpoint.id)
                .replace(".amazonaws.com", ".vpce.amazonaws.com");
            endpoint.dns_entries[0].dns_name = target.clone();
            snap.0.dns.hub_endpoints.push(endpoint.clone());
            snap.0.endpoints_elsewhere.push(endpoint);
            let zone = match snap.dns.hosted_zones.iter().find(|z| z.name == name) {
                Some(zone) => zone.id.clone(),
                None => {
                    let id = format!("Z0{}", suffix.replace('.', "").to_uppercase());
                    snap.0.dns.hosted_zones.push(hosted_zone(&id, name));
                    id
                }
            };
            snap.0.dns.records.push(alias(&zone, name, &target));
        }
        snap
    }

    #[test]
    fn one_finding_per_hop_that_cuts_names_off() {
        let snap = Fixture::spoke();
        let found = findings(&snap, "network-path-to-endpoint");
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.subject.kind, SubjectKind::SecurityGroup);
        let logs = snap.clone().hub_endpoint("logs").id.clone();
        assert!(f.involves(&logs), "{f:#?}");
        for i in 0..2 {
            assert!(
                f.involves(&snap.workload_subnet(i)),
                "both subnets are cut off"
            );
        }
        assert!(
            f.detail.contains("logs.us-east-1.amazonaws.com"),
            "{}",
            f.detail
        );
        assert_eq!(
            f.remediation.as_deref().unwrap().lines().count(),
            2,
            "one rule per subnet"
        );
        assert_pass(&Fixture::healthy(), "network-path-to-endpoint");
    }

    #[test]
    fn within_the_vpc_groups_and_acls_are_left_to_their_own_rules() {
        let troubled = Fixture::troubled();
        assert!(
            findings(&troubled, "vpce-sg-no-https-inbound")
                .iter()
                .any(|f| f.status == Status::Fail)
        );
        assert_pass(&troubled, "network-path-to-endpoint");
        // A route that takes an endpoint's subnet elsewhere is this rule's.
        let mut middlebox = Fixture::healthy();
        let table = middlebox.private_table_id();
        let eni_subnet = middlebox.endpoint_enis[0].subnet_id.clone();
        let cidr = middlebox
            .subnets
            .iter()
            .find(|s| s.id == eni_subnet)
            .unwrap()
            .cidr_block
            .clone()
            .unwrap();
        middlebox
            .table(&table)
            .routes
            .push(route(&cidr, "eni-0appliance"));
        assert_flags(
            &middlebox,
            "network-path-to-endpoint",
            Status::Unknown,
            &table,
        );
    }

    #[test]
    fn a_healthy_hub_and_spoke_vpc_has_no_failure() {
        for mut snap in [healthy_spoke(), {
            let mut tgw = healthy_spoke();
            tgw.via_transit_gateway();
            tgw
        }] {
            let audit = audit(&snap);
            let failed: Vec<_> = audit
                .findings
                .iter()
                .filter(|f| f.status == Status::Fail)
                .collect();
            assert!(failed.is_empty(), "{failed:#?}");
            let placed = only(&snap, "mwaa-endpoint-wrong-vpc-or-region");
            assert_eq!(placed.status, Status::Pass);
            assert!(placed.detail.contains("centralised"), "{}", placed.detail);
            // An endpoint of a required service that no name leads to is still misplaced.
            let mut stray = snap.hub_endpoint("sqs").clone();
            stray.id = "vpce-0stray000000000".into();
            stray.service_name = "com.amazonaws.us-east-1.kms".into();
            snap.0
                .dns
                .hub_endpoints
                .retain(|e| !e.service_name.ends_with(".kms"));
            snap.0
                .endpoints_elsewhere
                .retain(|e| !e.service_name.ends_with(".kms"));
            snap.0.endpoints_elsewhere.push(stray);
            assert_flags(
                &snap,
                "mwaa-endpoint-wrong-vpc-or-region",
                Status::Fail,
                "vpce-0stray000000000",
            );
        }
    }
}
