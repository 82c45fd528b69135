//! Security groups (rules 29, 30, 32, 34, 35). Source: `../shared/rules.md` §G;
//! [002]/[003] Create an interface endpoint › Prerequisites; [001] Security in your VPC.

use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{EndpointState, EndpointType, SgRule, Source, VpcEndpoint};

pub const NO_HTTPS_INBOUND: Rule = Rule {
    id: "vpce-sg-no-https-inbound",
    severity: Severity::Error,
    title: "Interface endpoint security groups admit HTTPS (TCP 443) from the workload",
    source: "rules.md 29 · [002]/[003] Create an interface endpoint › Prerequisites: \"the security group must allow inbound HTTPS traffic\"",
};
pub const DEFAULT_SG_ONLY: Rule = Rule {
    id: "vpce-default-sg-only",
    severity: Severity::Warn,
    title: "Interface endpoints use a purpose-made security group, not only the VPC default",
    source: "rules.md 30 · [002]/[003] Create a VPC endpoint step 10",
};
pub const MWAA_SG_COUNT: Rule = Rule {
    id: "mwaa-sg-count",
    severity: Severity::Error,
    title: "The environment uses one to five security groups",
    source: "rules.md 32 · [001] Security overview: \"between one to five security groups per environment\"",
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

/// True when a rule covers TCP 443.
fn covers_https(rule: &SgRule) -> bool {
    match rule.protocol.as_str() {
        "-1" => true,
        "tcp" | "6" => rule.from_port.unwrap_or(0) <= 443 && 443 <= rule.to_port.unwrap_or(65535),
        _ => false,
    }
}

fn cidrs_cover(ranges: &[String], sources: &[Cidr]) -> bool {
    !sources.is_empty()
        && sources.iter().all(|s| {
            ranges
                .iter()
                .filter_map(|r| Cidr::parse(r))
                .any(|r| r.contains(*s))
        })
}

/// Whether the endpoint's security groups admit 443 from the workload: `Ok(evidence)` or
/// `Err(explanation)`.
pub fn admits_https(ctx: &Ctx, endpoint: &VpcEndpoint) -> Result<String, String> {
    let workload = &ctx.workload;
    for group_id in &endpoint.security_group_ids {
        let Some(group) = ctx.group(group_id) else {
            continue;
        };
        for rule in group.ingress.iter().filter(|r| covers_https(r)) {
            if let Some(g) = rule
                .group_ids
                .iter()
                .find(|g| workload.security_group_ids.contains(&g.as_str()))
            {
                return Ok(format!("{group_id} admits 443 from the workload's {g}"));
            }
            if cidrs_cover(&rule.ipv4_ranges, &workload.source_cidrs) {
                return Ok(format!(
                    "{group_id} admits 443 from {}",
                    rule.ipv4_ranges.join(", ")
                ));
            }
            if let Some(list) = rule.prefix_list_ids.first() {
                return Ok(format!("{group_id} admits 443 from prefix list {list}"));
            }
        }
    }
    let mut from: Vec<String> = workload
        .security_group_ids
        .iter()
        .map(|s| s.to_string())
        .collect();
    from.extend(workload.source_cidrs.iter().map(Cidr::to_string));
    let from = if from.is_empty() {
        "the workload".to_string()
    } else {
        from.join(", ")
    };
    Err(format!(
        "none of {}'s security groups ({}) has an inbound rule for TCP 443 from {from}",
        endpoint.id,
        endpoint.security_group_ids.join(", ")
    ))
}

/// The command that opens 443 on an endpoint's first security group for the workload.
pub fn https_fix(ctx: &Ctx, endpoint: &VpcEndpoint) -> String {
    let group = endpoint
        .security_group_ids
        .first()
        .map_or("<endpoint-sg>", String::as_str);
    match ctx.workload.security_group_ids.first() {
        Some(source) => format!(
            "aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 --source-group {source}"
        ),
        None => {
            let cidr = ctx
                .snap
                .vpc
                .cidr_blocks
                .first()
                .map_or("<vpc-cidr>", String::as_str);
            format!(
                "aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 --cidr {cidr}"
            )
        }
    }
}

fn interface_endpoints<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a VpcEndpoint> {
    ctx.snap.endpoints.iter().filter(|e| {
        e.endpoint_type == EndpointType::Interface && e.state == EndpointState::Available
    })
}

fn no_https_inbound(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = interface_endpoints(ctx)
        .filter_map(|e| admits_https(ctx, e).err().map(|why| (e, why)))
        .map(|(e, why)| {
            NO_HTTPS_INBOUND
                .violated(
                    vec![e.id.clone()],
                    format!(
                        "{why}: clients time out connecting to {}.",
                        e.short_service_name()
                    ),
                )
                .fix(https_fix(ctx, e))
        })
        .collect();
    if failures.is_empty() {
        return vec![NO_HTTPS_INBOUND.pass(
            vec![],
            "Every available interface endpoint admits TCP 443 from the workload.",
        )];
    }
    failures
}

fn default_sg_only(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = interface_endpoints(ctx)
        .filter(|e| {
            matches!(e.security_group_ids.as_slice(), [only] if ctx.group(only).is_some_and(|g| g.name == "default"))
        })
        .map(|e| {
            let group = &e.security_group_ids[0];
            let fix = match ctx.workload.security_group_ids.first() {
                Some(sg) => format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids {sg} --remove-security-group-ids {group}", e.id),
                None => format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids <endpoint-sg> --remove-security-group-ids {group}", e.id),
            };
            DEFAULT_SG_ONLY
                .violated(vec![e.id.clone()], format!("{} uses only the VPC default security group {group}, which AWS attaches when none is chosen.", e.id))
                .fix(fix)
        })
        .collect();
    if failures.is_empty() {
        return vec![DEFAULT_SG_ONLY.pass(
            vec![],
            "No interface endpoint relies on the default security group alone.",
        )];
    }
    failures
}

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
        if only_5432 && !group.ingress.iter().any(covers_https) {
            findings.push(
                MWAA_5432_WITHOUT_443
                    .violated(vec![id.to_string()], format!("{id} restricts self-referencing inbound traffic to TCP 5432 and has no TCP 443 rule, so workers cannot reach the web server."))
                    .fix(format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 443 --source-group {id}")),
            );
        }
    }
    if findings.is_empty() {
        findings.push(MWAA_5432_WITHOUT_443.pass(
            vec![],
            "No workload security group is restricted to 5432 without 443.",
        ));
    }
    findings
}

fn egress_allows(
    rules: &[SgRule],
    to_group: Option<&str>,
    to_cidrs: &[Cidr],
    to_prefix_list: Option<&str>,
) -> bool {
    rules.iter().filter(|r| covers_https(r)).any(|r| {
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
        for endpoint in interface_endpoints(ctx) {
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
    if findings.is_empty() {
        findings.push(MWAA_EGRESS_RESTRICTED.pass(
            vec![],
            "Workload security groups allow all outbound traffic.",
        ));
    }
    findings
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    match ctx.missing(&[Source::SecurityGroups, Source::VpcEndpoints]) {
        Some(reason) => {
            findings.extend([NO_HTTPS_INBOUND, DEFAULT_SG_ONLY].map(|r| r.unknown(reason.clone())))
        }
        None => {
            findings.extend(no_https_inbound(ctx));
            findings.extend(default_sg_only(ctx));
        }
    }
    findings.push(sg_count(ctx));
    if ctx.workload.security_group_ids.is_empty() {
        let why = "No workload security groups were named (--mwaa-env or --security-groups); not applicable.";
        findings
            .extend([MWAA_5432_WITHOUT_443, MWAA_EGRESS_RESTRICTED].map(|r| r.info(vec![], why)));
    } else if let Some(reason) = ctx.missing(&[Source::SecurityGroups]) {
        findings.extend(
            [MWAA_5432_WITHOUT_443, MWAA_EGRESS_RESTRICTED].map(|r| r.unknown(reason.clone())),
        );
    } else {
        findings.extend(restricted_to_5432(ctx));
        findings.extend(egress_restricted(ctx));
    }
    findings
}
