//! VPC DNS attributes (rules 7, 8, 9). Source: `../shared/rules.md` §B;
//! [002] Access AWS services › Private DNS; [004] DNS hostnames; [002]/[003] S3 Considerations.

use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::Source;

pub const DNS_SUPPORT: Rule = Rule {
    id: "vpc-dns-support-off",
    severity: Severity::Error,
    title: "VPC DNS resolution (enableDnsSupport) is on",
    source: "rules.md 7 · [002] Access AWS services › Private DNS; [004] DNS hostnames: private DNS needs DNS hostnames and DNS resolution",
};
pub const DNS_HOSTNAMES: Rule = Rule {
    id: "vpc-dns-hostnames-off",
    severity: Severity::Error,
    title: "VPC DNS hostnames (enableDnsHostnames) is on",
    source: "rules.md 8 · [002]/[003] Create an interface endpoint › Prerequisites; Enable private DNS names",
};
pub const GATEWAY_DNS: Rule = Rule {
    id: "gateway-endpoint-dns-attrs",
    severity: Severity::Error,
    title: "With a gateway endpoint, DNS hostnames and DNS resolution are both on",
    source: "rules.md 9 · [002]/[003] Gateway endpoints for Amazon S3 › Considerations",
};

/// Error when private DNS depends on the attribute (an endpoint uses it, or MWAA does), else warn.
fn severity(ctx: &Ctx) -> Severity {
    let needed =
        ctx.snap.environment.is_some() || ctx.snap.endpoints.iter().any(|e| e.private_dns_enabled);
    if needed {
        Severity::Error
    } else {
        Severity::Warn
    }
}

fn attribute(ctx: &Ctx, rule: Rule, value: Option<bool>, flag: &str, name: &str) -> Finding {
    let vpc = ctx.vpc_id();
    match value {
        None => rule.unknown(ctx.missing(&[Source::VpcAttributes]).unwrap_or_else(|| "The attribute was not read.".into())),
        Some(true) => rule.pass(vec![vpc.into()], format!("{name} is enabled on {vpc}.")),
        Some(false) => rule
            .violated_at(severity(ctx), vec![vpc.into()], format!(
                "{name} is disabled on {vpc}: AWS does not create the private hosted zone, so private DNS names of interface endpoints resolve to public IPs."
            ))
            .fix(format!("aws ec2 modify-vpc-attribute --vpc-id {vpc} --{flag} '{{\"Value\":true}}'")),
    }
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let vpc = &ctx.snap.vpc;
    let mut findings = vec![
        attribute(
            ctx,
            DNS_SUPPORT,
            vpc.enable_dns_support,
            "enable-dns-support",
            "DNS resolution (enableDnsSupport)",
        ),
        attribute(
            ctx,
            DNS_HOSTNAMES,
            vpc.enable_dns_hostnames,
            "enable-dns-hostnames",
            "DNS hostnames (enableDnsHostnames)",
        ),
    ];
    let gateways = ctx.gateway_endpoint_ids();
    findings.push(match (vpc.enable_dns_support, vpc.enable_dns_hostnames) {
        _ if gateways.is_empty() => GATEWAY_DNS.pass(vec![], "The VPC has no gateway endpoint."),
        (Some(true), Some(true)) => GATEWAY_DNS.pass(gateways, "Both DNS attributes are on."),
        (None, _) | (_, None) => GATEWAY_DNS.unknown(ctx.missing(&[Source::VpcAttributes]).unwrap_or_default()),
        _ => GATEWAY_DNS
            .violated(gateways, format!(
                "{} has a gateway endpoint but not both DNS attributes on: with the Amazon DNS servers, S3 and DynamoDB names must resolve through the VPC resolver for the prefix-list route to apply.",
                vpc.id
            ))
            .fix(format!(
                "aws ec2 modify-vpc-attribute --vpc-id {v} --enable-dns-support '{{\"Value\":true}}' && aws ec2 modify-vpc-attribute --vpc-id {v} --enable-dns-hostnames '{{\"Value\":true}}'",
                v = vpc.id
            )),
    });
    findings
}
