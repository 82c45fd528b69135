//! Whether an endpoint's security groups admit HTTPS from the workload: the one judgement
//! the endpoint security group rules, the checklist rows and the way a packet takes all read.

use crate::checks::facts::Facts;
use crate::checks::net::{IpNet, all_within, nets};
use crate::model::{SecurityGroup, VpcEndpoint};

/// Whether an endpoint's security groups admit 443 from the workload (*Access an AWS service
/// using an interface VPC endpoint › Prerequisites*).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpsAdmission {
    /// The evidence (which group admits it, from what), or why none does.
    pub text: String,
    /// True when some group admits it.
    pub admitted: bool,
    /// The groups the verdict rests on: the admitting group, or every group examined.
    pub groups: Vec<String>,
}

/// Where traffic to an endpoint comes from, as its security groups can name it.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'s> {
    /// The workload's groups, when a rule may reference them (same VPC, or across a
    /// connection that supports group references).
    pub groups: &'s [&'s str],
    /// The addresses the traffic comes from.
    pub cidrs: &'s [IpNet],
}

/// The one judgement of `vpce-sg-no-https-inbound`: does some group of the endpoint admit TCP 443
/// from the workload (its security groups, its source CIDRs, or a prefix list)?
pub fn admits_https(ctx: &Facts, endpoint: &VpcEndpoint) -> HttpsAdmission {
    let groups: Vec<&SecurityGroup> = endpoint
        .security_group_ids
        .iter()
        .filter_map(|id| ctx.group(id))
        .collect();
    let workload = &ctx.workload;
    let from = Sources {
        groups: &workload.security_group_ids,
        cidrs: &workload.source_cidrs,
    };
    admission(endpoint, &groups, from)
}

/// Whether one of `groups` (the endpoint's, as far as they are known) admits TCP 443 from
/// `from`: a reference to one of its groups, a range holding all its addresses, or a
/// prefix list.
pub fn admission(
    endpoint: &VpcEndpoint,
    groups: &[&SecurityGroup],
    from: Sources,
) -> HttpsAdmission {
    let admitted = |group_id: &String, text: String| HttpsAdmission {
        text,
        admitted: true,
        groups: vec![group_id.clone()],
    };
    for group in groups {
        let group_id = &group.id;
        for rule in group.ingress.iter().filter(|r| r.covers_https()) {
            if let Some(g) = rule
                .group_ids
                .iter()
                .find(|g| from.groups.contains(&g.as_str()))
            {
                return admitted(
                    group_id,
                    format!("{group_id} admits 443 from the workload's {g}"),
                );
            }
            let ranges = nets(rule.ipv4_ranges.iter().chain(&rule.ipv6_ranges));
            if all_within(&ranges, from.cidrs) {
                return admitted(
                    group_id,
                    format!("{group_id} admits 443 from {}", rule.ipv4_ranges.join(", ")),
                );
            }
            if let Some(list) = rule.prefix_list_ids.first() {
                return admitted(
                    group_id,
                    format!("{group_id} admits 443 from prefix list {list}"),
                );
            }
        }
    }
    let mut sources: Vec<String> = from.groups.iter().map(|s| s.to_string()).collect();
    sources.extend(from.cidrs.iter().map(|c| c.to_string()));
    let sources = if sources.is_empty() {
        "the workload".to_string()
    } else {
        sources.join(", ")
    };
    HttpsAdmission {
        text: format!(
            "none of {}'s security groups ({}) has an inbound rule for TCP 443 from {sources}",
            endpoint.id,
            endpoint.security_group_ids.join(", ")
        ),
        admitted: false,
        groups: endpoint.security_group_ids.clone(),
    }
}

/// The command that opens 443 on an endpoint's first security group for the workload.
pub fn https_fix(ctx: &Facts, endpoint: &VpcEndpoint) -> String {
    let (mut unknown, group) = match endpoint.security_group_ids.first() {
        Some(group) => (String::new(), group.clone()),
        None => (
            format!("# ENDPOINT_SG: a security group of {}\n", endpoint.id),
            r#""$ENDPOINT_SG""#.to_string(),
        ),
    };
    let source = match (
        ctx.workload.security_group_ids.first(),
        ctx.snap.vpc.cidr_blocks.first(),
    ) {
        (Some(source), _) => format!("--source-group {source}"),
        (None, Some(cidr)) => format!("--cidr {cidr}"),
        (None, None) => {
            unknown.push_str("# WORKLOAD_CIDR: the address range of the workload's subnets\n");
            r#"--cidr "$WORKLOAD_CIDR""#.to_string()
        }
    };
    format!(
        "{unknown}aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 {source}"
    )
}
