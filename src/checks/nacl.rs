//! Network ACLs on the paths to endpoints and to S3 (rules 36, 37, 38). Source:
//! `../shared/rules.md` §H; [002]/[003] Create an interface endpoint › Prerequisites;
//! [002] Gateway endpoints › Security; [001] Network access control lists.

use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use super::nacl_eval::{EPHEMERAL, Flow, Verdict, evaluate};
use crate::model::{NaclEntry, NetworkAcl, Source};

pub const ENDPOINT_TRAFFIC: Rule = Rule {
    id: "nacl-blocks-endpoint-traffic",
    severity: Severity::Error,
    title: "Network ACLs allow HTTPS between the workload and endpoint network interfaces, both ways",
    source: "rules.md 36 · [002]/[003] Create an interface endpoint › Prerequisites: \"verify that the network ACL allows traffic\"",
};
pub const S3_TRAFFIC: Rule = Rule {
    id: "nacl-blocks-s3-gateway",
    severity: Severity::Error,
    title: "Workload network ACLs allow HTTPS to the S3 prefix list CIDRs and the return traffic",
    source: "rules.md 37 · [002] Gateway endpoints › Security: \"You can't reference prefix lists in network ACL rules\"",
};
pub const NOT_RECOMMENDED: Rule = Rule {
    id: "nacl-not-mwaa-recommended",
    severity: Severity::Info,
    title: "Workload network ACLs match MWAA's recommended allow-all table",
    source: "rules.md 38 · [001] (Recommended) Example ACLs",
};

/// One direction of one hop that a network ACL must allow.
struct Leg<'a> {
    acl: &'a NetworkAcl,
    subnet: &'a str,
    flow: Flow,
    what: String,
}

fn describe(verdict: Verdict) -> String {
    match verdict {
        Verdict::Denied(Some(rule)) => format!("denied by rule {rule}"),
        Verdict::Denied(None) | Verdict::Allowed(_) => {
            "not allowed by any rule (implicit deny)".into()
        }
    }
}

fn entry_fix(leg: &Leg) -> String {
    let direction = if leg.flow.egress {
        "--egress"
    } else {
        "--ingress"
    };
    format!(
        "aws ec2 create-network-acl-entry --network-acl-id {} --rule-number <n below the deny> --protocol tcp --port-range From={},To={} --cidr-block {} --rule-action allow {direction}",
        leg.acl.id, leg.flow.ports.0, leg.flow.ports.1, leg.flow.peer
    )
}

/// What one network ACL blocks, gathered over all legs.
struct Blocked<'a> {
    acl: &'a NetworkAcl,
    subnets: Vec<String>,
    problems: Vec<String>,
    fixes: Vec<String>,
}

/// Checks every leg, one finding per network ACL that blocks something.
fn judge(rule: Rule, legs: Vec<Leg>, pass: &str) -> Vec<Finding> {
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
                });
                blocked.len() - 1
            }
        };
        let entry = &mut blocked[index];
        if !entry.subnets.iter().any(|s| s == leg.subnet) {
            entry.subnets.push(leg.subnet.to_string());
        }
        entry
            .problems
            .push(format!("{} ({})", leg.what, describe(verdict)));
        let fix = entry_fix(leg);
        if !entry.fixes.contains(&fix) {
            entry.fixes.push(fix);
        }
    }
    let findings = blocked
        .into_iter()
        .map(|b| {
            let more = b.problems.len().saturating_sub(3);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let shown = b
                .problems
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            let mut resources = vec![b.acl.id.clone()];
            resources.extend(b.subnets);
            rule.violated(resources, format!("{} blocks: {shown}{more}.", b.acl.id))
                .fix(b.fixes.join("\n"))
        })
        .collect();
    rule.or_pass(findings, pass)
}

fn endpoint_legs<'a>(ctx: &Ctx<'a>) -> Vec<Leg<'a>> {
    let mut legs = Vec::new();
    let enis: Vec<_> = ctx
        .available_interfaces()
        .flat_map(|e| {
            ctx.snap
                .endpoint_enis
                .iter()
                .filter(move |n| e.network_interface_ids.contains(&n.id))
        })
        .collect();
    for client in &ctx.workload.subnets {
        let Some(client_cidr) = client.cidr_block.as_deref().and_then(Cidr::parse) else {
            continue;
        };
        let Some(client_acl) = ctx.nacl_for(&client.id) else {
            continue;
        };
        for eni in &enis {
            // Traffic within one subnet does not cross a network ACL.
            if eni.subnet_id == client.id {
                continue;
            }
            let (Some(ip), Some(eni_acl)) = (
                eni.private_ip.as_deref().and_then(Cidr::parse),
                ctx.nacl_for(&eni.subnet_id),
            ) else {
                continue;
            };
            let hop = |acl, subnet, egress, ports, peer, what: &str| Leg {
                acl,
                subnet,
                flow: Flow {
                    egress,
                    ports,
                    peer,
                },
                what: what.to_string(),
            };
            legs.push(hop(
                client_acl,
                client.id.as_str(),
                true,
                (443, 443),
                ip,
                &format!("outbound 443 from {} to {ip}", client.id),
            ));
            legs.push(hop(
                client_acl,
                client.id.as_str(),
                false,
                EPHEMERAL,
                ip,
                &format!(
                    "inbound return traffic from {ip} to {} ports {}-{}",
                    client.id, EPHEMERAL.0, EPHEMERAL.1
                ),
            ));
            legs.push(hop(
                eni_acl,
                eni.subnet_id.as_str(),
                false,
                (443, 443),
                client_cidr,
                &format!("inbound 443 from {client_cidr} to {}", eni.id),
            ));
            legs.push(hop(
                eni_acl,
                eni.subnet_id.as_str(),
                true,
                EPHEMERAL,
                client_cidr,
                &format!(
                    "return traffic from {} to {client_cidr} ports {}-{}",
                    eni.id, EPHEMERAL.0, EPHEMERAL.1
                ),
            ));
        }
    }
    legs
}

fn s3_legs<'a>(ctx: &Ctx<'a>, cidrs: &[Cidr]) -> Vec<Leg<'a>> {
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

/// The IPv4 entries of one direction that differ from [001]'s table: rule 100 allows all
/// traffic from 0.0.0.0/0, and the `*` rule (32767) denies the rest.
fn departures(acl: &NetworkAcl, egress: bool) -> Vec<String> {
    let all = |e: &NaclEntry, number: i32, action: &str| {
        e.rule_number == number
            && e.protocol == "-1"
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
        .filter(|e| !all(e, 100, "allow") && !all(e, 32767, "deny"))
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
    if !entries.iter().any(|e| all(e, 100, "allow")) {
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
                vec![acl.id.clone()],
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
        "Workload network ACLs allow all IPv4 traffic both ways, as [001] recommends.",
    )
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    match ctx.missing(&[Source::NetworkAcls, Source::VpcEndpoints, Source::NetworkInterfaces, Source::Subnets]) {
        Some(reason) => findings.push(ENDPOINT_TRAFFIC.unknown(reason)),
        None => findings.extend(judge(ENDPOINT_TRAFFIC, endpoint_legs(ctx), "Network ACLs allow 443 and its return traffic between the workload and every endpoint interface.")),
    }
    let cidrs: Vec<Cidr> = ctx
        .s3_prefix_list()
        .map(|p| p.cidrs.iter().filter_map(|c| Cidr::parse(c)).collect())
        .unwrap_or_default();
    match ctx.missing(&[Source::NetworkAcls, Source::PrefixLists, Source::Subnets]) {
        Some(reason) => findings.push(S3_TRAFFIC.unknown(reason)),
        None if ctx.s3_gateways().is_empty() => findings.push(S3_TRAFFIC.info(vec![], "The VPC has no available S3 gateway endpoint; not applicable.")),
        None if cidrs.is_empty() => findings.push(S3_TRAFFIC.unknown(format!("The CIDRs of prefix list com.amazonaws.{}.s3 are not known, so the ACLs cannot be evaluated.", ctx.region()))),
        None => findings.extend(judge(S3_TRAFFIC, s3_legs(ctx, &cidrs), "Workload network ACLs allow 443 to every S3 prefix list range and the return traffic.")),
    }
    match ctx.missing(&[Source::NetworkAcls, Source::Subnets]) {
        Some(reason) => findings.push(NOT_RECOMMENDED.unknown(reason)),
        None => findings.extend(not_recommended(ctx)),
    }
    findings
}
