//! The workload's own security groups (rules 32, 33, 34, 35). Source: `../shared/rules.md`
//! §G and section 4c; [001] Security in your VPC on Amazon MWAA.

use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use super::security_groups::NO_WORKLOAD_GROUPS;
use crate::model::{SgRule, Source};

pub const MWAA_SG_COUNT: Rule = Rule {
    id: "mwaa-sg-count",
    severity: Severity::Error,
    title: "The environment uses one to five security groups",
    source: "rules.md 32 · [001] Security overview: \"between one to five security groups per environment\"",
};
pub const MWAA_NO_SELF_REFERENCE: Rule = Rule {
    id: "mwaa-sg-no-self-reference",
    severity: Severity::Warn,
    title: "Workload security groups admit all traffic from themselves (or 5432 and 443)",
    source: "rules.md 33 · [001] (Recommended) Example security group all access",
};
pub const MWAA_5432_WITHOUT_443: Rule = Rule {
    id: "mwaa-sg-5432-without-443",
    severity: Severity::Error,
    title: "A workload security group restricted to TCP 5432 also allows TCP 443",
    source: "rules.md 34 · [001] Example security group that restricts inbound access to port 5432 (Note)",
};
pub const MWAA_EGRESS_RESTRICTED: Rule = Rule {
    id: "mwaa-sg-egress-restricted",
    severity: Severity::Warn,
    title: "Workload security groups allow outbound HTTPS to the endpoints and to S3",
    source: "rules.md 35 · [001] outbound example; [002] Gateway endpoints › Security; [003] S3 Considerations",
};
fn sg_count(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return MWAA_SG_COUNT.info(
            vec![],
            "No MWAA environment was named (--mwaa-env); not applicable.",
        );
    };
    let count = env.security_group_ids.len();
    if (1..=5).contains(&count) {
        MWAA_SG_COUNT.pass(
            env.security_group_ids.clone(),
            format!("{} uses {count} security group(s).", env.name),
        )
    } else {
        MWAA_SG_COUNT
            .violated(env.security_group_ids.clone(), format!("{} uses {count} security groups; MWAA accepts one to five.", env.name))
            .fix(format!("aws mwaa update-environment --name {} --network-configuration SecurityGroupIds=<1 to 5 group ids>", env.name))
    }
}

fn restricted_to_5432(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let self_rules: Vec<&SgRule> = group
            .ingress
            .iter()
            .filter(|r| r.group_ids.iter().any(|g| g == id))
            .collect();
        let only_5432 = !self_rules.is_empty()
            && self_rules.iter().all(|r| r.protocol != "-1")
            && self_rules
                .iter()
                .any(|r| r.from_port == Some(5432) && r.to_port == Some(5432));
        if only_5432 && !group.ingress.iter().any(SgRule::covers_https) {
            findings.push(
                MWAA_5432_WITHOUT_443
                    .violated(vec![id.to_string()], format!("{id} restricts self-referencing inbound traffic to TCP 5432 and has no TCP 443 rule, so workers cannot reach the web server."))
                    .fix(format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 443 --source-group {id}")),
            );
        }
    }
    MWAA_5432_WITHOUT_443.or_pass(
        findings,
        "No workload security group is restricted to 5432 without 443.",
    )
}

fn egress_allows(
    rules: &[SgRule],
    to_group: Option<&str>,
    to_cidrs: &[Cidr],
    to_prefix_list: Option<&str>,
) -> bool {
    rules.iter().filter(|r| r.covers_https()).any(|r| {
        to_group.is_some_and(|g| r.group_ids.iter().any(|x| x == g))
            || to_prefix_list.is_some_and(|p| r.prefix_list_ids.iter().any(|x| x == p))
            || (!to_cidrs.is_empty()
                && to_cidrs.iter().all(|c| {
                    r.ipv4_ranges
                        .iter()
                        .filter_map(|x| Cidr::parse(x))
                        .any(|x| x.contains(*c))
                }))
    })
}

fn egress_restricted(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let s3_list = ctx.s3_prefix_list();
    let s3_cidrs: Vec<Cidr> = s3_list
        .map(|p| p.cidrs.iter().filter_map(|c| Cidr::parse(c)).collect())
        .unwrap_or_default();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let open = group
            .egress
            .iter()
            .any(|r| r.protocol == "-1" && r.ipv4_ranges.iter().any(|c| c == "0.0.0.0/0"));
        if open {
            continue;
        }
        let mut blocked = Vec::new();
        for endpoint in ctx.available_interfaces() {
            let eni_cidrs: Vec<Cidr> = ctx
                .snap
                .endpoint_enis
                .iter()
                .filter(|n| endpoint.network_interface_ids.contains(&n.id))
                .filter_map(|n| n.private_ip.as_deref().and_then(Cidr::parse))
                .collect();
            let by_group = endpoint
                .security_group_ids
                .iter()
                .any(|g| egress_allows(&group.egress, Some(g), &[], None));
            if !by_group && !egress_allows(&group.egress, None, &eni_cidrs, None) {
                blocked.push(endpoint.short_service_name().to_string());
            }
        }
        if !ctx.s3_gateways().is_empty()
            && !egress_allows(
                &group.egress,
                None,
                &s3_cidrs,
                s3_list.map(|p| p.id.as_str()),
            )
        {
            blocked.push("S3 (prefix list)".into());
        }
        let (severity, detail) = if blocked.is_empty() {
            (
                Severity::Warn,
                format!(
                    "{id} restricts outbound traffic (not All traffic to 0.0.0.0/0 as [001] recommends); it still allows 443 to the endpoints and S3."
                ),
            )
        } else {
            (
                Severity::Error,
                format!(
                    "{id} restricts outbound traffic and does not allow TCP 443 to: {}.",
                    blocked.join(", ")
                ),
            )
        };
        let pl = s3_list.map_or("<s3-prefix-list>", |p| p.id.as_str());
        findings.push(
            MWAA_EGRESS_RESTRICTED
                .violated_at(severity, vec![id.to_string()], detail)
                .fix(format!("aws ec2 authorize-security-group-egress --group-id {id} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{{PrefixListId={pl}}}]'")),
        );
    }
    MWAA_EGRESS_RESTRICTED.or_pass(
        findings,
        "Workload security groups allow all outbound traffic.",
    )
}

/// Rule 33: the recommended self-reference admits all traffic; the accepted alternative is
/// TCP 5432 plus TCP 443 from the group itself (rule 34).
fn no_self_reference(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let from_self: Vec<&SgRule> = group
            .ingress
            .iter()
            .filter(|r| r.group_ids.iter().any(|g| g == id))
            .collect();
        let all = from_self.iter().any(|r| r.protocol == "-1");
        let covers = |port: i32| from_self.iter().any(|r| r.covers_tcp(port));
        let admitted = all || (covers(5432) && covers(443));
        if !admitted {
            findings.push(
                MWAA_NO_SELF_REFERENCE
                    .violated(vec![id.to_string()], format!("{id} has no inbound rule admitting all traffic from itself (nor TCP 5432 and 443 from itself): the environment's components cannot reach each other."))
                    .fix(format!("aws ec2 authorize-security-group-ingress --group-id {id} --ip-permissions 'IpProtocol=-1,UserIdGroupPairs=[{{GroupId={id}}}]'")),
            );
        }
    }
    MWAA_NO_SELF_REFERENCE.or_pass(
        findings,
        "Every workload security group admits traffic from itself.",
    )
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let rules = [
        MWAA_NO_SELF_REFERENCE,
        MWAA_5432_WITHOUT_443,
        MWAA_EGRESS_RESTRICTED,
    ];
    let mut findings = vec![sg_count(ctx)];
    if ctx.workload.security_group_ids.is_empty() {
        findings.extend(rules.map(|r| r.info(vec![], NO_WORKLOAD_GROUPS)));
    } else if let Some(reason) = ctx.missing(&[Source::SecurityGroups]) {
        findings.extend(rules.map(|r| r.unknown(reason.clone())));
    } else {
        findings.extend(no_self_reference(ctx));
        findings.extend(restricted_to_5432(ctx));
        findings.extend(egress_restricted(ctx));
    }
    findings
}
