//! Endpoint security groups (rules 29, 30, 31). Source: `../shared/rules.md` §G;
//! [002]/[003] Create an interface endpoint › Prerequisites; [000] (Required) VPC endpoints.

use super::checklist::MWAA_SUFFIXES;
use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{Source, VpcEndpoint};

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
pub const MISSING_ENV_SG: Rule = Rule {
    id: "mwaa-vpce-missing-env-sg",
    severity: Severity::Warn,
    title: "MWAA interface endpoints carry the environment's security group",
    source: "rules.md 31 · [000] (Required) VPC endpoints, every step: \"Choose your environment's Amazon VPC security group(s)\"",
};

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
        for rule in group.ingress.iter().filter(|r| r.covers_https()) {
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

fn no_https_inbound(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = ctx
        .available_interfaces()
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
    NO_HTTPS_INBOUND.or_pass(
        failures,
        "Every available interface endpoint admits TCP 443 from the workload.",
    )
}

fn default_sg_only(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = ctx.available_interfaces()
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
    DEFAULT_SG_ONLY.or_pass(
        failures,
        "No interface endpoint relies on the default security group alone.",
    )
}

/// Rule 31: each MWAA interface endpoint shares a group with the workload; when it does not
/// but its groups still admit 443 from the workload (rule 29), that is only worth knowing.
fn missing_env_sg(ctx: &Ctx) -> Vec<Finding> {
    let workload = &ctx.workload.security_group_ids;
    let findings = ctx.available_interfaces()
        .filter(|e| MWAA_SUFFIXES.contains(&e.short_service_name()))
        .filter(|e| !e.security_group_ids.iter().any(|g| workload.contains(&g.as_str())))
        .map(|e| {
            let fix = format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids {}",
                e.id, workload[0]
            );
            let groups = e.security_group_ids.join(", ");
            match admits_https(ctx, e) {
                Ok(evidence) => MISSING_ENV_SG.info(
                    vec![e.id.clone()],
                    format!("{} does not carry the workload's security group, but {evidence}, so it is reachable.", e.id),
                ),
                Err(_) => MISSING_ENV_SG
                    .violated(
                        vec![e.id.clone()],
                        format!("{} ({}) does not carry the workload's {} (it has {groups}), and its groups do not admit TCP 443 from the workload.", e.id, e.short_service_name(), workload.join(", ")),
                    )
                    .fix(fix),
            }
        })
        .collect();
    MISSING_ENV_SG.or_pass(
        findings,
        "Every available MWAA interface endpoint carries the workload's security group.",
    )
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    match ctx.missing(&[Source::SecurityGroups, Source::VpcEndpoints]) {
        Some(reason) => findings.extend(
            [NO_HTTPS_INBOUND, DEFAULT_SG_ONLY, MISSING_ENV_SG].map(|r| r.unknown(reason.clone())),
        ),
        None => {
            findings.extend(no_https_inbound(ctx));
            findings.extend(default_sg_only(ctx));
            if ctx.workload.security_group_ids.is_empty() {
                findings.push(MISSING_ENV_SG.info(vec![], NO_WORKLOAD_GROUPS));
            } else {
                findings.extend(missing_env_sg(ctx));
            }
        }
    }
    findings
}

/// Why rules about the workload's own groups do not apply.
pub(super) const NO_WORKLOAD_GROUPS: &str =
    "No workload security groups were named (--mwaa-env or --security-groups); not applicable.";
