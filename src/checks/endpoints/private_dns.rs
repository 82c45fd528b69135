//! Private DNS on interface endpoints and S3 interface DNS (*Access AWS services through AWS
//! PrivateLink › Private DNS*; *AWS PrivateLink for Amazon S3 › Private DNS*).

use crate::checks::context::Ctx;
use crate::checks::docs::{ACCESS_AWS_SERVICES, MWAA_ENDPOINTS, S3_PRIVATELINK, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::fixes::{enable_fix, gateway_create_fix};
use crate::checks::rule::{Family, Rule};
use crate::model::{Answer, Source, VpcEndpoint};

const NEEDS: &[Source] = &[Source::VpcEndpoints];

/// An AWS-service interface endpoint with private DNS off (*Creating the required VPC service
/// endpoints in an Amazon VPC with private routing › (Required) VPC endpoints: Enable DNS name*;
/// *Access AWS services through AWS PrivateLink › Private DNS*).
pub const PRIVATE_DNS_OFF: Rule = Rule {
    id: "vpce-private-dns-off",
    severity: Severity::Error,
    title: "AWS-service interface endpoints have private DNS enabled",
    docs: &[
        cite(MWAA_ENDPOINTS, "(Required) VPC endpoints: Enable DNS name"),
        cite(ACCESS_AWS_SERVICES, "Private DNS"),
    ],
    needs: NEEDS,
    reads: &[],
};
/// An S3 interface endpoint without private DNS and without a gateway route: S3 names resolve to
/// public addresses (*Creating the required VPC service endpoints in an Amazon VPC with private
/// routing › (Optional) Enable private IP addresses for your Amazon S3 VPC interface endpoint*).
pub const S3_PUBLIC_RESOLUTION: Rule = Rule {
    id: "s3-interface-public-resolution",
    severity: Severity::Warn,
    title: "An S3 interface endpoint without private DNS is backed by a gateway route",
    docs: &[cite(
        MWAA_ENDPOINTS,
        "(Optional) Enable private IP addresses for your Amazon S3 VPC interface endpoint",
    )],
    needs: &[Source::VpcEndpoints, Source::RouteTables],
    reads: &[],
};
/// Inbound-only private DNS on an S3 interface endpoint needs a routed gateway endpoint (*AWS
/// PrivateLink for Amazon S3 › Private DNS: Route 53 Resolver inbound endpoints*).
pub const S3_INBOUND_ONLY: Rule = Rule {
    id: "s3-interface-inbound-only-without-gateway",
    severity: Severity::Error,
    title: "Inbound-only private DNS on an S3 interface endpoint has a routed S3 gateway endpoint",
    docs: &[cite(
        S3_PRIVATELINK,
        "Private DNS: Route 53 Resolver inbound endpoints",
    )],
    needs: &[Source::VpcEndpoints, Source::RouteTables],
    reads: &[],
};
/// S3 traffic billed through the interface endpoint beside a free gateway endpoint (*AWS
/// PrivateLink for Amazon S3 › Private DNS*).
pub const S3_PRIVATE_DNS_COST: Rule = Rule {
    id: "s3-interface-private-dns-cost",
    severity: Severity::Info,
    title: "S3 traffic from the VPC uses the free gateway endpoint, not the billed interface endpoint",
    docs: &[cite(S3_PRIVATELINK, "Private DNS")],
    needs: NEEDS,
    reads: &[],
};

/// Private DNS on interface endpoints.
pub const FAMILY: Family = Family {
    name: "private DNS",
    rules: &[
        PRIVATE_DNS_OFF,
        S3_PUBLIC_RESOLUTION,
        S3_INBOUND_ONLY,
        S3_PRIVATE_DNS_COST,
    ],
    run,
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
            let severity = if ctx.is_mwaa_service(e) { Severity::Error } else { Severity::Warn };
            PRIVATE_DNS_OFF
                .violated_at(severity, Subject::endpoint(&e.id), format!(
                    "{} ({service}) has private DNS off: SDKs resolve the public name {} to public IPs, which private subnets cannot reach (\"Connect timeout on endpoint URL\").",
                    e.id,
                    ctx.public_hostname(service)
                ))
                .fix(enable_fix(ctx, e))
        })
        .collect();
    PRIVATE_DNS_OFF.or_pass(
        findings,
        ctx.vpc(),
        "Every available AWS-service interface endpoint has private DNS on.",
    )
}

/// True when some workload subnet's S3 traffic reaches an S3 gateway endpoint (the one S3
/// path judgement).
fn gateway_routed(ctx: &Ctx) -> bool {
    ctx.workload
        .subnets
        .iter()
        .any(|s| ctx.s3_path(&s.id).is_routed())
}

/// The private hosted zone whose record for the S3 name points at this interface endpoint
/// (the MWAA guide's Route 53 alternative to private DNS), from the one DNS path.
fn zone_answer(ctx: &Ctx, endpoint: &VpcEndpoint) -> Result<Option<String>, String> {
    let Some(path) = ctx.name_path(&endpoint.service_name) else {
        return Ok(None);
    };
    match &path.path.answer {
        Answer::Record {
            zone_id, targets, ..
        } => Ok(targets
            .iter()
            .any(|t| {
                endpoint.dns_entries.iter().any(|d| {
                    d.dns_name
                        .trim_start_matches("*.")
                        .eq_ignore_ascii_case(t.trim_start_matches("*."))
                })
            })
            .then(|| zone_id.clone())),
        Answer::Unknown { reason } => Err(reason.clone()),
        _ => Ok(None),
    }
}

fn s3_interface(ctx: &Ctx) -> Vec<Finding> {
    let interfaces: Vec<&VpcEndpoint> = aws_interface(ctx)
        .filter(|e| e.short_service_name() == "s3")
        .collect();
    if interfaces.is_empty() {
        let none = "The VPC has no S3 interface endpoint.";
        return vec![
            S3_PUBLIC_RESOLUTION.pass(ctx.vpc(), none),
            S3_INBOUND_ONLY.pass(ctx.vpc(), none),
            S3_PRIVATE_DNS_COST.pass(ctx.vpc(), none),
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
        let ids = Subject::endpoint(&e.id);
        let zone = format!("s3.{}.amazonaws.com", ctx.region());
        findings.push(match (e.private_dns_enabled, routed) {
            (false, false) => match zone_answer(ctx, e) {
                Ok(Some(zone_id)) => S3_PUBLIC_RESOLUTION
                    .pass(ids.clone(), format!("{} has private DNS off, and private hosted zone {zone_id} answers {zone} with it.", e.id))
                    .involving([zone_id]),
                Ok(None) => S3_PUBLIC_RESOLUTION
                    .violated_at(Severity::Error, ids.clone(), format!(
                        "{} has private DNS off, no private hosted zone answers {zone} with it, and no S3 gateway route serves the workload: {zone} resolves to public IPs.",
                        e.id
                    ))
                    .fix(enable_fix(ctx, e)),
                Err(reason) => S3_PUBLIC_RESOLUTION.unknown(ids.clone(), reason),
            },
            (false, true) => S3_PUBLIC_RESOLUTION.pass(ids.clone(), format!("{} has private DNS off, but S3 traffic takes the gateway route.", e.id)),
            (true, _) => S3_PUBLIC_RESOLUTION.pass(ids.clone(), format!("{} has private DNS on.", e.id)),
        });
        findings.push(if inbound_only && !routed {
            let why = if has_gateway { "the S3 gateway endpoint is not associated with the workload's route tables" } else { "the VPC has no available S3 gateway endpoint" };
            S3_INBOUND_ONLY
                .violated(ids.clone(), format!("{} resolves S3 to public IPs inside the VPC (private DNS only for the inbound Resolver endpoint), but {why}.", e.id))
                .fix(gateway_create_fix(ctx))
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

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = private_dns_off(ctx);
    findings.extend(s3_interface(ctx));
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    #[test]
    fn private_dns_off_is_an_error_for_mwaa_services_and_a_warning_for_others() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-private-dns-off");
        snap.endpoint("logs").private_dns_enabled = false;
        let mut other = snap.endpoint("kms").clone();
        other.id = "vpce-0aaaabbbbccccdddd".into();
        other.service_name = "com.amazonaws.us-east-1.ssm".into();
        other.private_dns_enabled = false;
        snap.endpoints.push(other);
        let logs = snap.id_of("logs");
        let f = assert_flags(&snap, "vpce-private-dns-off", Status::Fail, &logs);
        assert!(f.detail.contains("logs.us-east-1.amazonaws.com"));
        assert_flags(
            &snap,
            "vpce-private-dns-off",
            Status::Warn,
            "vpce-0aaaabbbbccccdddd",
        );
    }

    fn with_s3_interface(snap: &mut Fixture, private_dns: bool, inbound_only: bool) -> String {
        let mut interface = snap.endpoint("kms").clone();
        interface.id = "vpce-0555555555555555a".into();
        interface.service_name = "com.amazonaws.us-east-1.s3".into();
        interface.private_dns_enabled = private_dns;
        interface.dns_options = Some(DnsOptions {
            dns_record_ip_type: Some("ipv4".into()),
            private_dns_only_for_inbound_resolver_endpoint: Some(inbound_only),
        });
        let id = interface.id.clone();
        snap.endpoints.push(interface);
        id
    }

    #[test]
    fn s3_interface_dns_rules() {
        let mut snap = Fixture::healthy();
        let id = with_s3_interface(&mut snap, true, true);
        for rule in [
            "s3-interface-public-resolution",
            "s3-interface-inbound-only-without-gateway",
            "s3-interface-private-dns-cost",
        ] {
            assert_pass(&snap, rule);
        }
        // Inbound-only without a routed gateway: DNS sends VPC traffic to public IPs.
        let mut no_gateway = snap.clone();
        no_gateway
            .endpoints
            .retain(|e| e.endpoint_type != EndpointType::Gateway);
        assert_flags(
            &no_gateway,
            "s3-interface-inbound-only-without-gateway",
            Status::Fail,
            &id,
        );
        // A gateway that does not route the workload is no better.
        let mut unrouted = snap.clone();
        unrouted.endpoint("s3").route_table_ids.clear();
        let f = assert_flags(
            &unrouted,
            "s3-interface-inbound-only-without-gateway",
            Status::Fail,
            &id,
        );
        assert!(f.detail.contains("not associated"), "{}", f.detail);

        // Private DNS off and no gateway: public resolution.
        let mut public = Fixture::healthy();
        public
            .endpoints
            .retain(|e| e.endpoint_type != EndpointType::Gateway);
        let id = with_s3_interface(&mut public, false, false);
        assert_flags(&public, "s3-interface-public-resolution", Status::Fail, &id);
        // The MWAA guide's alternative: a private zone for the S3 name aliased to the endpoint.
        let target = "vpce-0555555555555555a-abcd1234.s3.us-east-1.vpce.amazonaws.com";
        public.endpoints.last_mut().unwrap().dns_entries = vec![DnsEntry {
            dns_name: format!("*.{target}"),
            hosted_zone_id: None,
        }];
        public.dns.hosted_zones = vec![hosted_zone("Z9", "s3.us-east-1.amazonaws.com")];
        public.dns.records = vec![alias("Z9", "s3.us-east-1.amazonaws.com", target)];
        let f = only(&public, "s3-interface-public-resolution");
        assert_eq!(f.status, Status::Pass, "{f:?}");
        assert!(f.involves("Z9"));
        // Private DNS off but the gateway routes the workload: S3 takes the gateway.
        let mut routed = Fixture::healthy();
        with_s3_interface(&mut routed, false, false);
        assert_pass(&routed, "s3-interface-public-resolution");
        assert_pass(&routed, "s3-interface-private-dns-cost");

        // Full private DNS while a gateway exists: billed traffic.
        let mut cost = Fixture::healthy();
        let id = with_s3_interface(&mut cost, true, false);
        let f = assert_flags(&cost, "s3-interface-private-dns-cost", Status::Info, &id);
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {id} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=true --region us-east-1 --profile data-platform-prod"
            )
        );
    }
}
