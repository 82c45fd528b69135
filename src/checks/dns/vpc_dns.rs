//! VPC DNS attributes, which private DNS and gateway endpoints need (*Access AWS services through
//! AWS PrivateLink › Private DNS*; *Gateway endpoints for Amazon S3 › Considerations*).

use super::attributes::{DnsAttribute, SUPPORT, enable, enable_attributes, values};
use crate::checks::context::Ctx;
use crate::checks::docs::{ACCESS_AWS_SERVICES, INTERFACE_ENDPOINTS, S3_GATEWAY, cite};
use crate::checks::finding::{Finding, Severity};
use crate::checks::rule::{Family, Rule};
use crate::model::Source;

/// `enableDnsSupport` off: the VPC resolver answers nothing (*Access AWS services through AWS
/// PrivateLink › Private DNS*).
pub const DNS_SUPPORT: Rule = Rule {
    id: "vpc-dns-support-off",
    severity: Severity::Error,
    title: "VPC DNS resolution (enableDnsSupport) is on",
    docs: &[cite(ACCESS_AWS_SERVICES, "Private DNS")],
    needs: &[Source::VpcAttributes],
    reads: &[],
};
/// `enableDnsHostnames` off: private DNS cannot be enabled (*Access an AWS service using an
/// interface VPC endpoint › Prerequisites*).
pub const DNS_HOSTNAMES: Rule = Rule {
    id: "vpc-dns-hostnames-off",
    severity: Severity::Error,
    title: "VPC DNS hostnames (enableDnsHostnames) is on",
    docs: &[cite(INTERFACE_ENDPOINTS, "Prerequisites")],
    needs: &[Source::VpcAttributes],
    reads: &[],
};
/// A gateway endpoint in a VPC without both DNS attributes (*Gateway endpoints for Amazon S3 ›
/// Considerations*).
pub const GATEWAY_DNS: Rule = Rule {
    id: "gateway-endpoint-dns-attrs",
    severity: Severity::Error,
    title: "With a gateway endpoint, DNS hostnames and DNS resolution are both on",
    docs: &[cite(S3_GATEWAY, "Considerations")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};

/// VPC DNS attributes.
pub const FAMILY: Family = Family {
    name: "VPC DNS attributes",
    rules: &[DNS_SUPPORT, DNS_HOSTNAMES, GATEWAY_DNS],
    run,
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

/// The rule of one attribute.
fn rule_of(attribute: DnsAttribute) -> Rule {
    if attribute == SUPPORT {
        DNS_SUPPORT
    } else {
        DNS_HOSTNAMES
    }
}

fn attribute(ctx: &Ctx, attribute: DnsAttribute, value: Option<bool>) -> Finding {
    let vpc = ctx.vpc_id();
    let (rule, name) = (rule_of(attribute), attribute.name);
    match value {
        None => rule.unknown(ctx.vpc(), "The attribute was not read."),
        Some(true) => rule.pass(ctx.vpc(), format!("{name} is enabled on {vpc}.")),
        Some(false) => rule
            .violated_at(severity(ctx), ctx.vpc(), format!(
                "{name} is disabled on {vpc}: AWS does not create the private hosted zone, so private DNS names of interface endpoints resolve to public IPs."
            ))
            .fix(enable(vpc, attribute)),
    }
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let vpc = &ctx.snap.vpc;
    let mut findings: Vec<Finding> = values(vpc)
        .into_iter()
        .map(|(a, value)| attribute(ctx, a, value))
        .collect();
    let gateways = ctx.gateway_endpoint_ids();
    findings.push(match (vpc.enable_dns_support, vpc.enable_dns_hostnames) {
        _ if gateways.is_empty() => GATEWAY_DNS.pass(ctx.vpc(), "The VPC has no gateway endpoint."),
        (Some(true), Some(true)) => GATEWAY_DNS.pass(ctx.vpc(), "Both DNS attributes are on.").involving(gateways),
        (None, _) | (_, None) => GATEWAY_DNS.unknown(ctx.vpc(), "The DNS attributes were not read."),
        _ => GATEWAY_DNS
            .violated(ctx.vpc(), format!(
                "{} has a gateway endpoint but not both DNS attributes on: with the Amazon DNS servers, S3 and DynamoDB names must resolve through the VPC resolver for the prefix-list route to apply.",
                vpc.id
            ))
            .involving(gateways)
            .fix(enable_attributes(vpc)),
    });
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    #[test]
    fn vpc_dns_attributes() {
        let snap = Fixture::healthy();
        for id in [
            "vpc-dns-support-off",
            "vpc-dns-hostnames-off",
            "gateway-endpoint-dns-attrs",
        ] {
            assert_pass(&snap, id);
        }
        let vpc = snap.vpc.id.clone();
        let mut off = snap.clone();
        off.vpc.enable_dns_support = Some(false);
        let f = assert_flags(&off, "vpc-dns-support-off", Status::Fail, &vpc);
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-support '{{\"Value\":true}}' --region us-east-1 --profile data-platform-prod"
            )
        );
        let s3 = off.id_of("s3");
        assert_flags(&off, "gateway-endpoint-dns-attrs", Status::Fail, &s3);

        // Without MWAA or private DNS endpoints, a disabled attribute is a warning.
        let mut plain = snap.clone();
        plain.vpc.enable_dns_hostnames = Some(false);
        plain.environment = None;
        plain
            .endpoints
            .retain(|e| e.endpoint_type == EndpointType::Gateway);
        assert_flags(&plain, "vpc-dns-hostnames-off", Status::Warn, &vpc);
        plain.endpoints.clear();
        assert_pass(&plain, "gateway-endpoint-dns-attrs");

        let mut unread = snap;
        unread.vpc.enable_dns_hostnames = None;
        unread.fail(Source::VpcAttributes);
        assert_eq!(
            only(&unread, "vpc-dns-hostnames-off").status,
            Status::Unknown
        );
        assert_eq!(
            only(&unread, "gateway-endpoint-dns-attrs").status,
            Status::Unknown
        );
    }
}
