//! Network ACLs on the paths to endpoints and to S3 (*Access an AWS service using an interface VPC
//! endpoint › Prerequisites*; *Gateway endpoints › Security*): every leg of every flow, both
//! directions, evaluated as AWS does ([`super::nacl_eval`]).

use super::nacl_eval::{
    EPHEMERAL, Flow, Verdict, describe, entry_fix, entry_key, evaluate, free_number,
};
use crate::checks::context::Ctx;
use crate::checks::docs::{GATEWAY_ENDPOINTS, INTERFACE_ENDPOINTS, MWAA_SECURITY, cite};
use crate::checks::finding::{Evidence, Finding, Severity, Subject};
use crate::checks::net::{IpNet, net};
use crate::checks::rule::{Family, Rule};
use crate::model::{NaclEntry, NetworkAcl, Protocol, RuleAction, Source};

/// An ACL that drops HTTPS between the workload and an endpoint's interfaces, either way
/// (*Access an AWS service using an interface VPC endpoint › Prerequisites*).
pub const ENDPOINT_TRAFFIC: Rule = Rule {
    id: "nacl-blocks-endpoint-traffic",
    severity: Severity::Error,
    title: "Network ACLs allow HTTPS between the workload and endpoint network interfaces, both ways",
    docs: &[cite(INTERFACE_ENDPOINTS, "Prerequisites")],
    needs: &[
        Source::NetworkAcls,
        Source::VpcEndpoints,
        Source::NetworkInterfaces,
        Source::Subnets,
    ],
    reads: &[],
};
/// A workload ACL that drops HTTPS to the S3 prefix list, or its return (*Gateway endpoints ›
/// Security*).
pub const S3_TRAFFIC: Rule = Rule {
    id: "nacl-blocks-s3-gateway",
    severity: Severity::Error,
    title: "Workload network ACLs allow HTTPS to the S3 prefix list CIDRs and the return traffic",
    docs: &[cite(GATEWAY_ENDPOINTS, "Security")],
    needs: &[Source::NetworkAcls, Source::PrefixLists, Source::Subnets],
    reads: &[],
};
/// A workload ACL that differs from MWAA's allow-all example (*Security in your VPC on Amazon
/// MWAA › (Recommended) Example ACLs*).
pub const NOT_RECOMMENDED: Rule = Rule {
    id: "nacl-not-mwaa-recommended",
    severity: Severity::Info,
    title: "Workload network ACLs match MWAA's recommended allow-all table",
    docs: &[cite(MWAA_SECURITY, "(Recommended) Example ACLs")],
    needs: &[Source::NetworkAcls, Source::Subnets],
    reads: &[],
};

/// Network ACLs.
pub const FAMILY: Family = Family {
    name: "network ACLs",
    rules: &[ENDPOINT_TRAFFIC, S3_TRAFFIC, NOT_RECOMMENDED],
    run,
};

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = judge(
        ctx,
        ENDPOINT_TRAFFIC,
        endpoint_legs(ctx),
        "Network ACLs allow 443 and its return traffic between the workload and every endpoint interface.",
    );
    findings.extend(s3_traffic(ctx));
    findings.extend(not_recommended(ctx));
    findings
}

fn s3_traffic(ctx: &Ctx) -> Vec<Finding> {
    let cidrs = ctx.s3_cidrs();
    if ctx.s3_gateways().is_empty() {
        return vec![S3_TRAFFIC.info(
            ctx.vpc(),
            "The VPC has no available S3 gateway endpoint; not applicable.",
        )];
    }
    if cidrs.is_empty() {
        return vec![S3_TRAFFIC.unknown(
            ctx.vpc(),
            format!(
                "The CIDRs of prefix list com.amazonaws.{}.s3 are not known, so the ACLs cannot be evaluated.",
                ctx.region()
            ),
        )];
    }
    judge(
        ctx,
        S3_TRAFFIC,
        s3_legs(ctx, &cidrs),
        "Workload network ACLs allow 443 to every S3 prefix list range and the return traffic.",
    )
}

/// One direction of one hop that a network ACL must allow.
struct Leg<'a> {
    acl: &'a NetworkAcl,
    subnet: &'a str,
    flow: Flow,
    what: String,
}

/// What one network ACL blocks, gathered over all legs.
struct Blocked<'a> {
    acl: &'a NetworkAcl,
    subnets: Vec<String>,
    problems: Vec<String>,
    fixes: Vec<String>,
    /// The entries the fixes add, as [`entry_key`] and direction, and the rule numbers they take.
    added: Vec<(String, bool)>,
    numbers: Vec<(bool, i32)>,
    entries: Vec<Evidence>,
}

impl<'a> Blocked<'a> {
    fn add(&mut self, leg: &Leg, verdict: Verdict) {
        if !self.subnets.iter().any(|s| s == leg.subnet) {
            self.subnets.push(leg.subnet.to_string());
        }
        self.problems
            .push(format!("{} ({})", leg.what, describe(verdict)));
        let key = (entry_key(leg.flow), leg.flow.egress);
        if !self.added.contains(&key) {
            let below = match verdict {
                Verdict::Denied(Some(rule_number)) => rule_number,
                _ => 32767,
            };
            let number = free_number(self.acl, leg.flow.egress, below, &self.numbers);
            self.numbers.extend(number.map(|n| (leg.flow.egress, n)));
            self.fixes.push(entry_fix(leg.acl, leg.flow, number, below));
            self.added.push(key);
        }
        if let Verdict::Denied(Some(rule_number)) = verdict {
            let entry = Evidence::NaclEntry {
                acl: self.acl.id.clone(),
                egress: leg.flow.egress,
                rule_number,
            };
            if !self.entries.contains(&entry) {
                self.entries.push(entry);
            }
        }
    }

    fn finding(self, rule: Rule) -> Finding {
        let more = self.problems.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let shown = self.problems[..self.problems.len().min(3)].join("; ");
        rule.violated(
            Subject::nacl(&self.acl.id),
            format!("{} blocks: {shown}{more}.", self.acl.id),
        )
        .involving(self.subnets)
        .with_evidence(self.entries)
        .fix(self.fixes.join("\n"))
    }
}

/// Checks every leg, one finding per network ACL that blocks something.
fn judge(ctx: &Ctx, rule: Rule, legs: Vec<Leg>, pass: &str) -> Vec<Finding> {
    let mut blocked: Vec<Blocked> = Vec::new();
    for leg in &legs {
        let verdict = evaluate(leg.acl, leg.flow);
        if matches!(verdict, Verdict::Allowed(_)) {
            continue;
        }
        let index = match blocked.iter().position(|b| b.acl.id == leg.acl.id) {
            Some(index) => index,
            None => {
                blocked.push(Blocked {
                    acl: leg.acl,
                    subnets: vec![],
                    problems: vec![],
                    fixes: vec![],
                    added: vec![],
                    numbers: vec![],
                    entries: vec![],
                });
                blocked.len() - 1
            }
        };
        blocked[index].add(leg, verdict);
    }
    let findings = blocked.into_iter().map(|b| b.finding(rule)).collect();
    rule.or_pass(findings, ctx.vpc(), pass)
}

/// Both directions of a TCP connection from a client range to a server range on 443, as
/// the client's and the server's network ACLs see it.
fn connection<'a>(
    legs: &mut Vec<Leg<'a>>,
    client: (&'a NetworkAcl, &'a str, IpNet),
    server: (&'a NetworkAcl, &'a str, IpNet),
    server_name: &str,
) {
    let (client_acl, client_subnet, client_net) = client;
    let (server_acl, server_subnet, server_net) = server;
    let (lo, hi) = EPHEMERAL;
    let leg = |acl, subnet, egress, ports, peer, what: String| Leg {
        acl,
        subnet,
        flow: Flow {
            egress,
            ports,
            peer,
        },
        what,
    };
    legs.push(leg(
        client_acl,
        client_subnet,
        true,
        (443, 443),
        server_net,
        format!("outbound 443 from {client_subnet} to {server_net}"),
    ));
    legs.push(leg(
        client_acl,
        client_subnet,
        false,
        EPHEMERAL,
        server_net,
        format!("inbound return traffic from {server_net} to {client_subnet} ports {lo}-{hi}"),
    ));
    legs.push(leg(
        server_acl,
        server_subnet,
        false,
        (443, 443),
        client_net,
        format!("inbound 443 from {client_net} to {server_name}"),
    ));
    legs.push(leg(
        server_acl,
        server_subnet,
        true,
        EPHEMERAL,
        client_net,
        format!("return traffic from {server_name} to {client_net} ports {lo}-{hi}"),
    ));
}

fn endpoint_legs<'a>(ctx: &Ctx<'a>) -> Vec<Leg<'a>> {
    let mut legs = Vec::new();
    let enis: Vec<_> = ctx
        .available_interfaces()
        .flat_map(|e| ctx.enis_of(e))
        .collect();
    for client in &ctx.workload.subnets {
        let (Some(client_net), Some(client_acl)) = (
            client.cidr_block.as_deref().and_then(net),
            ctx.nacl_for(&client.id),
        ) else {
            continue;
        };
        for eni in &enis {
            // Traffic within one subnet does not cross a network ACL.
            if eni.subnet_id == client.id {
                continue;
            }
            let (Some(ip), Some(eni_acl)) = (
                eni.private_ip.as_deref().and_then(net),
                ctx.nacl_for(&eni.subnet_id),
            ) else {
                continue;
            };
            connection(
                &mut legs,
                (client_acl, client.id.as_str(), client_net),
                (eni_acl, eni.subnet_id.as_str(), ip),
                &eni.id,
            );
        }
    }
    legs
}

fn s3_legs<'a>(ctx: &Ctx<'a>, cidrs: &[IpNet]) -> Vec<Leg<'a>> {
    let mut legs = Vec::new();
    for subnet in &ctx.workload.subnets {
        let Some(acl) = ctx.nacl_for(&subnet.id) else {
            continue;
        };
        for cidr in cidrs {
            legs.push(Leg {
                acl,
                subnet: &subnet.id,
                flow: Flow {
                    egress: true,
                    ports: (443, 443),
                    peer: *cidr,
                },
                what: format!("outbound 443 to S3 range {cidr}"),
            });
            legs.push(Leg {
                acl,
                subnet: &subnet.id,
                flow: Flow {
                    egress: false,
                    ports: EPHEMERAL,
                    peer: *cidr,
                },
                what: format!("inbound return traffic from S3 range {cidr}"),
            });
        }
    }
    legs
}

/// The IPv4 entries of one direction that differ from the recommended table: rule 100
/// allows all traffic from 0.0.0.0/0, and the `*` rule (32767) denies the rest.
fn departures(acl: &NetworkAcl, egress: bool) -> Vec<String> {
    let all = |e: &NaclEntry, number: i32, action: RuleAction| {
        e.rule_number == number
            && e.protocol == Protocol::All
            && e.rule_action == action
            && e.cidr_block.as_deref() == Some("0.0.0.0/0")
    };
    let mut entries: Vec<&NaclEntry> = acl
        .entries
        .iter()
        .filter(|e| e.egress == egress && e.cidr_block.is_some())
        .collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut departures: Vec<String> = entries
        .iter()
        .filter(|e| !all(e, 100, RuleAction::Allow) && !all(e, 32767, RuleAction::Deny))
        .map(|e| {
            let ports = e
                .port_range
                .map_or(String::new(), |(from, to)| format!(" ports {from}-{to}"));
            format!(
                "rule {} {} protocol {}{ports} {}",
                e.rule_number,
                e.rule_action,
                e.protocol,
                e.cidr_block.as_deref().unwrap_or_default()
            )
        })
        .collect();
    if !entries.iter().any(|e| all(e, 100, RuleAction::Allow)) {
        departures.push("no rule 100 allowing all traffic".into());
    }
    departures
}

/// Rule 38: information only; whether a departure blocks MWAA is for rules 36 and 37.
fn not_recommended(ctx: &Ctx) -> Vec<Finding> {
    let mut seen: Vec<&str> = Vec::new();
    let mut findings = Vec::new();
    for subnet in &ctx.workload.subnets {
        let Some(acl) = ctx.nacl_for(&subnet.id) else {
            continue;
        };
        if seen.contains(&acl.id.as_str()) {
            continue;
        }
        seen.push(&acl.id);
        let sides: Vec<String> = [(false, "inbound"), (true, "outbound")]
            .into_iter()
            .filter_map(|(egress, side)| {
                let found = departures(acl, egress);
                (!found.is_empty()).then(|| format!("{side}: {}", found.join("; ")))
            })
            .collect();
        if !sides.is_empty() {
            findings.push(NOT_RECOMMENDED.info(
                Subject::nacl(&acl.id),
                format!(
                    "{} differs from the recommended allow-all table ({}). That is allowed; the ACL checks above say whether it blocks MWAA traffic.",
                    acl.id,
                    sides.join(" · ")
                ),
            ));
        }
    }
    NOT_RECOMMENDED.or_pass(
        findings,
        ctx.vpc(),
        "Workload network ACLs allow all IPv4 traffic both ways, as the MWAA guide recommends.",
    )
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{Evidence, Status};
    use crate::model::*;

    #[test]
    fn new_entries_take_free_numbers_below_the_deny() {
        let mut acl = Fixture::healthy().network_acls[0].clone();
        acl.entries = vec![
            nacl_entry(99, RuleAction::Allow, (80, 80), "10.0.0.0/8", false),
            nacl_entry(100, RuleAction::Deny, (443, 443), "10.0.0.0/8", false),
        ];
        assert_eq!(super::free_number(&acl, false, 100, &[]), Some(98));
        assert_eq!(
            super::free_number(&acl, true, 100, &[]),
            Some(99),
            "each direction numbers its own entries"
        );
        assert_eq!(
            super::free_number(&acl, false, 100, &[(false, 98)]),
            Some(97)
        );
        assert_eq!(super::free_number(&acl, false, 1, &[]), None);
        assert_eq!(super::free_number(&acl, false, 32767, &[]), Some(32766));
    }

    fn deny_first(snap: &mut Fixture, entry: NaclEntry) -> String {
        let acl = &mut snap.network_acls[0];
        acl.entries.push(entry);
        acl.id.clone()
    }

    #[test]
    fn acls_are_followed_both_ways_to_the_endpoints() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "nacl-blocks-endpoint-traffic");
        assert_pass(&snap, "nacl-blocks-s3-gateway");
        assert_pass(&snap, "nacl-not-mwaa-recommended");

        let mut https = snap.clone();
        let acl = deny_first(
            &mut https,
            nacl_entry(50, RuleAction::Deny, (443, 443), "10.30.0.0/16", false),
        );
        let f = assert_flags(&https, "nacl-blocks-endpoint-traffic", Status::Fail, &acl);
        assert!(f.detail.contains("denied by rule 50"), "{}", f.detail);
        assert_eq!(
            f.evidence,
            [Evidence::NaclEntry {
                acl: acl.clone(),
                egress: false,
                rule_number: 50
            }]
        );
        assert!(
            f.involves(&snap.workload_subnet(0)),
            "the subnets are resources"
        );
        let f = assert_flags(&https, "nacl-not-mwaa-recommended", Status::Info, &acl);
        assert!(
            f.detail
                .contains("inbound: rule 50 deny protocol tcp ports 443-443 10.30.0.0/16")
                && !f.detail.contains("outbound"),
            "{}",
            f.detail
        );

        // Return traffic leaves the endpoint's subnet on ephemeral ports.
        let mut back = snap.clone();
        let acl = deny_first(
            &mut back,
            nacl_entry(60, RuleAction::Deny, (32768, 65535), "10.30.0.0/16", true),
        );
        let f = assert_flags(&back, "nacl-blocks-endpoint-traffic", Status::Fail, &acl);
        assert!(
            f.detail.contains("return traffic from eni-"),
            "{}",
            f.detail
        );
        let fix = f.remediation.unwrap();
        assert!(fix.contains("--egress"));
        assert!(
            fix.contains("--rule-number 59 "),
            "just below the deny at 60: {fix}"
        );

        // Without the allow-all rule 100 outbound, the table differs even with nothing added.
        let mut no_allow = snap;
        no_allow.network_acls[0]
            .entries
            .retain(|e| !(e.egress && e.rule_number == 100));
        let acl = no_allow.network_acls[0].id.clone();
        let f = assert_flags(&no_allow, "nacl-not-mwaa-recommended", Status::Info, &acl);
        assert!(f.detail.contains("outbound: no rule 100"), "{}", f.detail);
    }

    #[test]
    fn acls_are_followed_to_every_s3_range() {
        let snap = Fixture::healthy();
        let mut returns = snap.clone();
        let acl = deny_first(
            &mut returns,
            nacl_entry(50, RuleAction::Deny, (1024, 65535), "0.0.0.0/0", false),
        );
        let f = assert_flags(&returns, "nacl-blocks-s3-gateway", Status::Fail, &acl);
        assert!(f.detail.contains("return traffic"), "{}", f.detail);
        assert!(
            f.detail.contains(" more"),
            "many ranges are summarised: {}",
            f.detail
        );

        let mut no_gateway = snap;
        no_gateway.without("s3");
        assert_eq!(
            only(&no_gateway, "nacl-blocks-s3-gateway").status,
            Status::Info
        );
    }

    #[test]
    fn denied_acls_are_unknown() {
        let mut denied = Fixture::healthy();
        denied.network_acls.clear();
        denied.fail(Source::NetworkAcls);
        for id in [
            "nacl-blocks-endpoint-traffic",
            "nacl-blocks-s3-gateway",
            "nacl-not-mwaa-recommended",
        ] {
            assert_eq!(only(&denied, id).status, Status::Unknown, "{id}");
        }
    }
}
