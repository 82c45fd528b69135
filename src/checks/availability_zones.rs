//! Subnets, availability zones, ENIs and IP address types (rules 18–21, 24, 65).
//! Source: `../shared/rules.md` §E–F and rule 65; [002] Subnets and Availability Zones.

use std::collections::BTreeMap;

use super::checklist::MWAA_SUFFIXES;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{EndpointState, EndpointType, Source, VpcEndpoint};

pub const SINGLE_AZ: Rule = Rule {
    id: "vpce-single-az",
    severity: Severity::Warn,
    title: "Interface endpoints span at least two availability zones",
    source: "rules.md 18 · [002] Subnets and Availability Zones: \"Configure at least two Availability Zones per VPC endpoint\"",
};
pub const SAME_AZ: Rule = Rule {
    id: "vpce-subnets-same-az",
    severity: Severity::Error,
    title: "No endpoint has two subnets in one availability zone",
    source: "rules.md 19 · [002]/[003] Create a VPC endpoint step 8: \"You can't select multiple subnets from the same Availability Zone\"",
};
pub const WORKLOAD_AZ: Rule = Rule {
    id: "vpce-workload-az-not-covered",
    severity: Severity::Warn,
    title: "Required endpoints have a network interface in every workload availability zone",
    source: "rules.md 20 · [002] Subnets and Availability Zones; [000] two private subnets in different Availability Zones",
};
pub const ENI_MISMATCH: Rule = Rule {
    id: "vpce-eni-count-mismatch",
    severity: Severity::Warn,
    title: "Each endpoint subnet has its endpoint network interface",
    source: "rules.md 21 · [002]/[003] Concepts › Endpoint network interfaces",
};
pub const IP_TYPE: Rule = Rule {
    id: "vpce-ip-type-subnet-incompatible",
    severity: Severity::Error,
    title: "Endpoint IP address types match their subnets' address ranges",
    source: "rules.md 24 · [002] Access AWS services › IP address types",
};
pub const MWAA_SAME_AZ: Rule = Rule {
    id: "mwaa-subnets-same-az",
    severity: Severity::Error,
    title: "The environment's subnets are in two different availability zones",
    source: "rules.md 65 · [000]: \"two private subnets in different Availability Zones\"",
};

fn interfaces<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a VpcEndpoint> {
    ctx.snap.endpoints.iter().filter(|e| {
        matches!(
            e.endpoint_type,
            EndpointType::Interface | EndpointType::GatewayLoadBalancer
        ) && e.state == EndpointState::Available
    })
}

fn single_az(ctx: &Ctx) -> Vec<Finding> {
    let findings = interfaces(ctx)
        .filter(|e| e.endpoint_type == EndpointType::Interface && ctx.endpoint_azs(e).len() < 2)
        .map(|e| {
            let azs = ctx.endpoint_azs(e);
            let spare = ctx
                .snap
                .subnets
                .iter()
                .find(|s| !azs.contains(&s.availability_zone.as_str()));
            let finding = SINGLE_AZ.violated(vec![e.id.clone()], format!(
                "{} is in {} only: if that zone is impaired, resources in other zones lose access.",
                e.id,
                azs.first().copied().unwrap_or("no zone")
            ));
            match spare {
                Some(s) => finding.fix(format!(
                    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-subnet-ids {}",
                    e.id, s.id
                )),
                None => finding,
            }
        })
        .collect();
    SINGLE_AZ.or_pass(
        findings,
        "Every interface endpoint spans two or more zones.",
    )
}

fn same_az(ctx: &Ctx) -> Vec<Finding> {
    let findings = ctx
        .snap
        .endpoints
        .iter()
        .filter_map(|e| {
            let mut by_az: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for s in e.subnet_ids.iter().filter_map(|id| ctx.subnet(id)) {
                by_az.entry(&s.availability_zone).or_default().push(&s.id);
            }
            let (az, subnets) = by_az.into_iter().find(|(_, s)| s.len() > 1)?;
            Some(SAME_AZ.violated(vec![e.id.clone()], format!("{} has subnets {} in the same zone {az}, which the API should prevent: treat the data as suspect.", e.id, subnets.join(", "))))
        })
        .collect();
    SAME_AZ.or_pass(findings, "No endpoint has two subnets in one zone.")
}

fn workload_az(ctx: &Ctx) -> Vec<Finding> {
    let zones = ctx.workload_azs();
    let findings = interfaces(ctx)
        .filter(|e| MWAA_SUFFIXES.contains(&e.short_service_name()))
        .filter_map(|e| {
            let covered: Vec<&str> = ctx.snap.endpoint_enis.iter().filter(|n| e.network_interface_ids.contains(&n.id)).map(|n| n.availability_zone.as_str()).collect();
            let missing: Vec<&str> = zones.iter().copied().filter(|z| !covered.contains(z)).collect();
            (!missing.is_empty()).then(|| {
                WORKLOAD_AZ.violated(vec![e.id.clone()], format!(
                    "{} ({}) has no network interface in {}: workloads there cross zones and lose access if the other zones fail.",
                    e.id,
                    e.short_service_name(),
                    missing.join(", ")
                ))
            })
        })
        .collect();
    WORKLOAD_AZ.or_pass(findings, "Required endpoints cover every workload zone.")
}

fn eni_mismatch(ctx: &Ctx) -> Vec<Finding> {
    let findings = interfaces(ctx)
        .filter_map(|e| {
            let missing: Vec<&str> = e.network_interface_ids.iter().filter(|id| !ctx.snap.endpoint_enis.iter().any(|n| &n.id == *id)).map(String::as_str).collect();
            let detail = if e.network_interface_ids.len() != e.subnet_ids.len() {
                format!("{} has {} subnets but {} network interfaces.", e.id, e.subnet_ids.len(), e.network_interface_ids.len())
            } else if !missing.is_empty() {
                format!("{} lists network interfaces that DescribeNetworkInterfaces does not return: {}.", e.id, missing.join(", "))
            } else {
                return None;
            };
            Some(ENI_MISMATCH.violated(vec![e.id.clone()], detail))
        })
        .collect();
    ENI_MISMATCH.or_pass(findings, "Every endpoint subnet has its network interface.")
}

fn ip_type(ctx: &Ctx) -> Vec<Finding> {
    let findings = interfaces(ctx)
        .filter_map(|e| {
            let kind = e.ip_address_type.as_deref()?;
            let bad: Vec<&str> = e
                .subnet_ids
                .iter()
                .filter_map(|id| ctx.subnet(id))
                .filter(|s| {
                    let (v4, v6) = (s.cidr_block.is_some() && !s.ipv6_native, !s.ipv6_cidr_blocks.is_empty());
                    match kind {
                        "ipv4" => !v4,
                        "ipv6" => !s.ipv6_native,
                        "dualstack" => !(v4 && v6),
                        _ => false,
                    }
                })
                .map(|s| s.id.as_str())
                .collect();
            (!bad.is_empty()).then(|| {
                IP_TYPE
                    .violated(vec![e.id.clone()], format!("{} has IP address type {kind} but subnets {} lack the matching address ranges.", e.id, bad.join(", ")))
                    .fix(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --ip-address-type <ipv4|dualstack|ipv6>", e.id))
            })
        })
        .collect();
    IP_TYPE.or_pass(findings, "Endpoint IP address types match their subnets.")
}

fn mwaa_same_az(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return MWAA_SAME_AZ.info(
            vec![],
            "No MWAA environment was named (--mwaa-env); not applicable.",
        );
    };
    let mut zones: Vec<&str> = env
        .subnet_ids
        .iter()
        .filter_map(|id| ctx.subnet(id))
        .map(|s| s.availability_zone.as_str())
        .collect();
    zones.sort();
    zones.dedup();
    if zones.len() >= 2 {
        MWAA_SAME_AZ.pass(
            env.subnet_ids.clone(),
            format!("{} uses subnets in {}.", env.name, zones.join(", ")),
        )
    } else {
        MWAA_SAME_AZ.violated(
            env.subnet_ids.clone(),
            format!(
                "{}'s subnets are all in {}; MWAA needs two private subnets in different zones.",
                env.name,
                zones.join(", ")
            ),
        )
    }
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let rules = [SINGLE_AZ, SAME_AZ, WORKLOAD_AZ, ENI_MISMATCH, IP_TYPE];
    let mut findings = match ctx.missing(&[Source::VpcEndpoints, Source::Subnets]) {
        Some(reason) => rules.map(|r| r.unknown(reason.clone())).into(),
        None => {
            let mut f = single_az(ctx);
            f.extend(same_az(ctx));
            match ctx.missing(&[Source::NetworkInterfaces]) {
                Some(reason) => {
                    f.extend([WORKLOAD_AZ, ENI_MISMATCH].map(|r| r.unknown(reason.clone())))
                }
                None => {
                    f.extend(workload_az(ctx));
                    f.extend(eni_mismatch(ctx));
                }
            }
            f.extend(ip_type(ctx));
            f
        }
    };
    findings.push(mwaa_same_az(ctx));
    findings
}
