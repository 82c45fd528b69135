//! Private DNS on interface endpoints and S3 interface DNS (rules 11, 14, 15, 16).
//! Source: `../shared/rules.md` §C–D; [000] S3 interface endpoints; [002]/[003] S3 Private DNS.

use super::checklist::MWAA_SUFFIXES;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{Source, VpcEndpoint};

pub const PRIVATE_DNS_OFF: Rule = Rule {
    id: "vpce-private-dns-off",
    severity: Severity::Error,
    title: "AWS-service interface endpoints have private DNS enabled",
    source: "rules.md 11 · [000] every endpoint step: \"Enable DNS name\"; [002] Subnets and Availability Zones",
};
pub const S3_PUBLIC_RESOLUTION: Rule = Rule {
    id: "s3-interface-public-resolution",
    severity: Severity::Warn,
    title: "An S3 interface endpoint without private DNS is backed by a gateway route",
    source: "rules.md 14 · [000] (Optional) Enable private IP addresses for your Amazon S3 VPC interface endpoint",
};
pub const S3_INBOUND_ONLY: Rule = Rule {
    id: "s3-interface-inbound-only-without-gateway",
    severity: Severity::Error,
    title: "Inbound-only private DNS on an S3 interface endpoint has a routed S3 gateway endpoint",
    source: "rules.md 15 · [002]/[003] Create a VPC endpoint step 7; S3 Private DNS › Route 53 Resolver",
};
pub const S3_PRIVATE_DNS_COST: Rule = Rule {
    id: "s3-interface-private-dns-cost",
    severity: Severity::Info,
    title: "S3 traffic from the VPC uses the free gateway endpoint, not the billed interface endpoint",
    source: "rules.md 16 · [002]/[003] S3 Private DNS (Private DNS only for the inbound Resolver endpoint)",
};

fn aws_interface<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a VpcEndpoint> {
    let prefix = format!("com.amazonaws.{}.", ctx.region());
    ctx.available_interfaces()
        .filter(move |e| e.service_name.starts_with(&prefix))
}

fn private_dns_off(ctx: &Ctx) -> Vec<Finding> {
    let findings: Vec<Finding> = aws_interface(ctx)
        .filter(|e| !e.private_dns_enabled && e.short_service_name() != "s3")
        .map(|e| {
            let service = e.short_service_name();
            let severity = if MWAA_SUFFIXES.contains(&service) { Severity::Error } else { Severity::Warn };
            PRIVATE_DNS_OFF
                .violated_at(severity, vec![e.id.clone()], format!(
                    "{} ({service}) has private DNS off: SDKs resolve the public name {} to public IPs, which private subnets cannot reach (\"Connect timeout on endpoint URL\").",
                    e.id,
                    ctx.public_hostname(service)
                ))
                .fix(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled", e.id))
        })
        .collect();
    PRIVATE_DNS_OFF.or_pass(
        findings,
        "Every available AWS-service interface endpoint has private DNS on.",
    )
}

/// True when some workload subnet's route table is associated with an available S3 gateway.
fn gateway_routed(ctx: &Ctx) -> bool {
    let gateways = ctx.s3_gateways();
    ctx.workload
        .subnets
        .iter()
        .filter_map(|s| ctx.effective_route_table(&s.id))
        .any(|t| gateways.iter().any(|g| g.route_table_ids.contains(&t.id)))
}

fn s3_interface(ctx: &Ctx) -> Vec<Finding> {
    let interfaces: Vec<&VpcEndpoint> = aws_interface(ctx)
        .filter(|e| e.short_service_name() == "s3")
        .collect();
    if interfaces.is_empty() {
        let none = "The VPC has no S3 interface endpoint.";
        return vec![
            S3_PUBLIC_RESOLUTION.pass(vec![], none),
            S3_INBOUND_ONLY.pass(vec![], none),
            S3_PRIVATE_DNS_COST.pass(vec![], none),
        ];
    }
    let routed = gateway_routed(ctx);
    let has_gateway = !ctx.s3_gateways().is_empty();
    let mut findings = Vec::new();
    for e in interfaces {
        let inbound_only = e
            .dns_options
            .as_ref()
            .and_then(|o| o.private_dns_only_for_inbound_resolver_endpoint)
            .unwrap_or(false);
        let ids = vec![e.id.clone()];
        let zone = format!("s3.{}.amazonaws.com", ctx.region());
        findings.push(match (e.private_dns_enabled, routed) {
            (false, false) => S3_PUBLIC_RESOLUTION
                .violated_at(Severity::Error, ids.clone(), format!(
                    "{} has private DNS off and no S3 gateway route serves the workload: {zone} resolves to public IPs. Whether a Route 53 private hosted zone for {zone} exists cannot be verified with the APIs linkscope reads.",
                    e.id
                ))
                .fix(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled", e.id)),
            (false, true) => S3_PUBLIC_RESOLUTION.pass(ids.clone(), format!("{} has private DNS off, but S3 traffic takes the gateway route.", e.id)),
            (true, _) => S3_PUBLIC_RESOLUTION.pass(ids.clone(), format!("{} has private DNS on.", e.id)),
        });
        findings.push(if inbound_only && !routed {
            let why = if has_gateway { "the S3 gateway endpoint is not associated with the workload's route tables" } else { "the VPC has no available S3 gateway endpoint" };
            S3_INBOUND_ONLY
                .violated(ids.clone(), format!("{} resolves S3 to public IPs inside the VPC (private DNS only for the inbound Resolver endpoint), but {why}.", e.id))
                .fix(format!(
                    "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Gateway --service-name com.amazonaws.{}.s3 --route-table-ids <workload route tables>",
                    ctx.vpc_id(),
                    ctx.region()
                ))
        } else {
            S3_INBOUND_ONLY.pass(ids.clone(), format!("{} is not in inbound-only mode, or a gateway route serves the workload.", e.id))
        });
        findings.push(if e.private_dns_enabled && !inbound_only && has_gateway {
            S3_PRIVATE_DNS_COST
                .info(ids, format!("{} has full private DNS while an S3 gateway endpoint exists: VPC traffic to S3 is billed through the interface endpoint instead of the free gateway.", e.id))
                .fix(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=true", e.id))
        } else {
            S3_PRIVATE_DNS_COST.pass(ids, format!("{} does not divert VPC traffic from a gateway endpoint.", e.id))
        });
    }
    findings
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    if let Some(reason) = ctx.missing(&[Source::VpcEndpoints]) {
        return [
            PRIVATE_DNS_OFF,
            S3_PUBLIC_RESOLUTION,
            S3_INBOUND_ONLY,
            S3_PRIVATE_DNS_COST,
        ]
        .map(|r| r.unknown(reason.clone()))
        .into();
    }
    let mut findings = private_dns_off(ctx);
    findings.extend(s3_interface(ctx));
    findings
}
