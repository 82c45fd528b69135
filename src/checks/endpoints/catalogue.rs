//! What the service catalogue (DescribeVpcEndpointServices) says about each endpoint's
//! service: its private DNS name, IP address types, endpoint policy support and zones (*Access
//! AWS services through AWS PrivateLink*; *Control access to VPC endpoints using endpoint
//! policies › Considerations*).

use crate::checks::context::Ctx;
use crate::checks::docs::{
    ACCESS_AWS_SERVICES, ENDPOINT_POLICIES, MWAA_SECURITY, SHARE_SERVICES, cite,
};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::checks::shell::quote;
use crate::model::{EndpointState, EndpointType, ServiceDetail, Source, VpcEndpoint};

const NEEDS: &[Source] = &[Source::EndpointServices, Source::VpcEndpoints];

/// An endpoint with private DNS on whose DNS entries lack the service's private name (*Access
/// AWS services through AWS PrivateLink › DNS hostnames*).
pub const ENTRY_MISSING: Rule = Rule {
    id: "vpce-private-dns-entry-missing",
    severity: Severity::Warn,
    title: "Endpoints with private DNS on list the service's private DNS name among their DNS entries",
    docs: &[cite(ACCESS_AWS_SERVICES, "DNS hostnames")],
    needs: NEEDS,
    reads: &[],
};
/// An endpoint service that publishes no private DNS name (*Share your services through AWS
/// PrivateLink › Private DNS*).
pub const NO_PRIVATE_DNS: Rule = Rule {
    id: "vpce-service-no-private-dns",
    severity: Severity::Info,
    title: "Endpoint services publish a private DNS name",
    docs: &[cite(SHARE_SERVICES, "Private DNS")],
    needs: NEEDS,
    reads: &[],
};
/// An IPv6 or dual-stack endpoint of a service that supports only IPv4 (*Access AWS services
/// through AWS PrivateLink › IP address types*).
pub const IP_TYPE_UNSUPPORTED: Rule = Rule {
    id: "vpce-ip-type-unsupported-by-service",
    severity: Severity::Error,
    title: "Endpoints use IPv6 only with services that support it",
    docs: &[cite(ACCESS_AWS_SERVICES, "IP address types")],
    needs: NEEDS,
    reads: &[],
};
/// A service that does not support endpoint policies: full access (*Control access to VPC
/// endpoints using endpoint policies › Considerations*).
pub const POLICY_UNSUPPORTED: Rule = Rule {
    id: "vpce-policy-unsupported",
    severity: Severity::Info,
    title: "Services that do not support endpoint policies (full access)",
    docs: &[cite(ENDPOINT_POLICIES, "Considerations")],
    needs: NEEDS,
    reads: &[],
};
/// An MWAA endpoint of a service that supports policies returns no policy document (*Security in
/// your VPC on Amazon MWAA › Security overview*).
pub const POLICY_REQUIRED: Rule = Rule {
    id: "mwaa-vpce-policy-required",
    severity: Severity::Warn,
    title: "MWAA endpoints of services that support policies return a policy document",
    docs: &[cite(MWAA_SECURITY, "Security overview")],
    needs: NEEDS,
    reads: &[],
};
/// The workload's zones against the zones the service is offered in.
pub const AZ_UNSUPPORTED: Rule = Rule {
    id: "vpce-service-az-unsupported",
    severity: Severity::Warn,
    title: "Every workload availability zone is one the service is offered in",
    docs: &[cite(ACCESS_AWS_SERVICES, "Subnets and Availability Zones")],
    needs: &[Source::EndpointServices, Source::Subnets],
    reads: &[],
};

/// The service catalogue.
pub const FAMILY: Family = Family {
    name: "service catalogue",
    rules: &[
        ENTRY_MISSING,
        NO_PRIVATE_DNS,
        IP_TYPE_UNSUPPORTED,
        POLICY_UNSUPPORTED,
        POLICY_REQUIRED,
        AZ_UNSUPPORTED,
    ],
    run,
};

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = entry_missing(ctx);
    findings.extend(no_private_dns(ctx));
    findings.extend(ip_type_unsupported(ctx));
    findings.extend(policy_unsupported(ctx));
    findings.extend(policy_required(ctx));
    findings.extend(az_unsupported(ctx));
    findings
}

/// The catalogue's interface entry for a service, if it lists one (S3 and DynamoDB have a
/// gateway entry under the same name; an entry without types is taken as it is).
fn listed<'a>(ctx: &Ctx<'a>, service_name: &str) -> Option<&'a ServiceDetail> {
    ctx.snap.dns.services.iter().find(|s| {
        s.service_name == service_name
            && (s.service_types.is_empty()
                || s.service_types
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case("Interface")))
    })
}

/// Available interface endpoints with the catalogue's entry for their service.
fn with_service<'a>(ctx: &Ctx<'a>) -> Vec<(&'a VpcEndpoint, &'a ServiceDetail)> {
    ctx.available_interfaces()
        .filter_map(|e| Some((e, listed(ctx, &e.service_name)?)))
        .collect()
}

/// Rule 12: private DNS on, yet none of the endpoint's DNS entries is the service's name.
fn entry_missing(ctx: &Ctx) -> Vec<Finding> {
    let findings = with_service(ctx)
        .into_iter()
        .filter(|(e, s)| e.private_dns_enabled && !s.private_dns_names.is_empty())
        .filter(|(e, s)| {
            !e.dns_entries.iter().any(|d| {
                s.private_dns_names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&d.dns_name))
            })
        })
        .map(|(e, s)| {
            ENTRY_MISSING
                .violated(Subject::endpoint(&e.id), format!(
                    "{} has private DNS on, but none of its DNS entries is {}: the hidden private zone that answers the service's name is not in place (it can take a few minutes after a change).",
                    e.id,
                    s.private_dns_names.join(", ")
                ))
                .fix(format!(
                    "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {} --query 'VpcEndpoints[].DnsEntries'\n# Wait, then check again; if the name stays missing, turn private DNS off and on:\n# aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --no-private-dns-enabled\n# aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled",
                    e.id, e.id, e.id
                ))
        })
        .collect();
    ENTRY_MISSING.or_pass(
        findings,
        ctx.vpc(),
        "Every endpoint with private DNS on lists its service's private DNS name.",
    )
}

/// Rule 13: a service without a private DNS name leaves clients the endpoint's own names.
fn no_private_dns(ctx: &Ctx) -> Vec<Finding> {
    let findings = with_service(ctx)
        .into_iter()
        .filter(|(_, s)| s.private_dns_names.is_empty())
        .map(|(e, s)| {
            NO_PRIVATE_DNS
                .info(Subject::endpoint(&e.id), format!(
                    "{} publishes no private DNS name: clients of {} must use the endpoint's own DNS names ({}).",
                    s.service_name,
                    e.id,
                    e.dns_entries.first().map_or("-", |d| d.dns_name.as_str())
                ))
        })
        .collect();
    NO_PRIVATE_DNS.or_pass(
        findings,
        ctx.vpc(),
        "Every endpoint's service publishes a private DNS name.",
    )
}

/// Rule 25: an IPv6 or dual-stack endpoint of a service that supports only IPv4.
fn ip_type_unsupported(ctx: &Ctx) -> Vec<Finding> {
    let findings = with_service(ctx)
        .into_iter()
        .filter(|(e, s)| {
            let wants_v6 = matches!(e.ip_address_type.as_deref(), Some("ipv6" | "dualstack"));
            wants_v6
                && !s.supported_ip_address_types.is_empty()
                && !s.supported_ip_address_types.iter().any(|t| t == "ipv6")
        })
        .map(|(e, s)| {
            IP_TYPE_UNSUPPORTED
                .violated(
                    Subject::endpoint(&e.id),
                    format!(
                        "{} has IP address type {}, but {} supports only {}.",
                        e.id,
                        e.ip_address_type.as_deref().unwrap_or("?"),
                        s.service_name,
                        s.supported_ip_address_types.join(", ")
                    ),
                )
                .fix(format!(
                    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --ip-address-type ipv4",
                    e.id
                ))
        })
        .collect();
    IP_TYPE_UNSUPPORTED.or_pass(
        findings,
        ctx.vpc(),
        "Every IPv6 endpoint's service supports IPv6.",
    )
}

/// Rule 58: the service allows full access to every endpoint; a policy would not apply.
fn policy_unsupported(ctx: &Ctx) -> Vec<Finding> {
    let findings = ctx
        .snap
        .endpoints
        .iter()
        .filter_map(|e| Some((e, listed(ctx, &e.service_name)?)))
        .filter(|(_, s)| s.vpc_endpoint_policy_supported == Some(false))
        .map(|(e, s)| {
            POLICY_UNSUPPORTED.info(
                Subject::endpoint(&e.id),
                format!(
                    "{} does not support endpoint policies: {} allows full access (policy n/a).",
                    s.service_name, e.id
                ),
            )
        })
        .collect();
    POLICY_UNSUPPORTED.or_pass(
        findings,
        ctx.vpc(),
        "Every endpoint's service supports endpoint policies.",
    )
}

/// Rule 59: an MWAA endpoint whose service supports policies but that returns none.
fn policy_required(ctx: &Ctx) -> Vec<Finding> {
    let findings = ctx
        .snap
        .endpoints
        .iter()
        .filter(|e| ctx.is_mwaa_service(e) && e.policy_document.is_none())
        .filter(|e| {
            listed(ctx, &e.service_name).is_some_and(|s| s.vpc_endpoint_policy_supported == Some(true))
        })
        .map(|e| {
            POLICY_REQUIRED
                .violated(Subject::endpoint(&e.id), format!(
                    "{} ({}) returns no policy document although its service supports endpoint policies; MWAA with private routing needs one on each endpoint.",
                    e.id,
                    e.short_service_name()
                ))
                .fix(format!(
                    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --reset-policy",
                    e.id
                ))
        })
        .collect();
    POLICY_REQUIRED.or_pass(
        findings,
        ctx.vpc(),
        "Every MWAA endpoint returns its policy document.",
    )
}

/// A workload zone (by zone id, the same in every account) the service is not offered in:
/// that zone cannot have a local interface. An error for the MWAA services.
fn az_unsupported(ctx: &Ctx) -> Vec<Finding> {
    // S3 is reached through the gateway endpoint, which is not zonal; an S3 interface
    // endpoint, if any, is among the VPC's own.
    let services: Vec<String> = crate::model::MWAA_SERVICES
        .iter()
        .filter(|s| **s != "s3")
        .map(|s| ctx.service_name(s))
        .chain(
            ctx.snap
                .endpoints
                .iter()
                .filter(|e| {
                    e.endpoint_type == EndpointType::Interface && e.state != EndpointState::Deleted
                })
                .map(|e| e.service_name.clone()),
        )
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut findings = Vec::new();
    for name in &services {
        if seen.contains(&name.as_str()) {
            continue;
        }
        seen.push(name);
        let Some(service) = listed(ctx, name) else {
            continue;
        };
        let outside: Vec<String> = ctx
            .workload
            .subnets
            .iter()
            .filter(|s| {
                match (
                    &s.availability_zone_id,
                    service.availability_zone_ids.is_empty(),
                ) {
                    (Some(id), false) => !service.availability_zone_ids.contains(id),
                    _ => {
                        !service.availability_zones.is_empty()
                            && !service.availability_zones.contains(&s.availability_zone)
                    }
                }
            })
            .map(|s| {
                format!(
                    "{} ({})",
                    s.availability_zone,
                    s.availability_zone_id.as_deref().unwrap_or("?")
                )
            })
            .collect();
        if outside.is_empty() {
            continue;
        }
        let severity = if ctx.is_mwaa_service_name(name) {
            Severity::Error
        } else {
            Severity::Warn
        };
        findings.push(AZ_UNSUPPORTED.violated_at(severity, Subject::service(name), format!(
            "{name} is not offered in the workload's {}: workloads there cannot have a local endpoint interface and cross zones.",
            outside.join(", ")
        )).fix(format!("# Move the workload (or add its subnets) to zones the service lists:\naws ec2 describe-vpc-endpoint-services --service-names {} --query 'ServiceDetails[].AvailabilityZoneIds'", quote(name))));
    }
    AZ_UNSUPPORTED.or_pass(
        findings,
        ctx.vpc(),
        "Every workload zone is offered by the services in scope.",
    )
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    fn service<'a>(snap: &'a mut Fixture, suffix: &str) -> &'a mut ServiceDetail {
        let name = format!("com.amazonaws.us-east-1.{suffix}");
        snap.dns
            .services
            .iter_mut()
            .find(|s| s.service_name == name)
            .unwrap()
    }

    #[test]
    fn the_private_dns_entry_must_be_there() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-private-dns-entry-missing");
        snap.endpoint("sqs")
            .dns_entries
            .retain(|d| d.kind() != DnsEntryKind::Private);
        let sqs = snap.id_of("sqs");
        let f = assert_flags(&snap, "vpce-private-dns-entry-missing", Status::Warn, &sqs);
        assert!(
            f.detail.contains("sqs.us-east-1.amazonaws.com"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn services_without_private_dns_are_shown() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-service-no-private-dns");
        service(&mut snap, "kms").private_dns_names.clear();
        let kms = snap.id_of("kms");
        assert_flags(&snap, "vpce-service-no-private-dns", Status::Info, &kms);
    }

    #[test]
    fn ipv6_endpoints_need_ipv6_services() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-ip-type-unsupported-by-service");
        snap.endpoint("logs").ip_address_type = Some("dualstack".into());
        let logs = snap.id_of("logs");
        assert_flags(
            &snap,
            "vpce-ip-type-unsupported-by-service",
            Status::Fail,
            &logs,
        );
        service(&mut snap, "logs").supported_ip_address_types = vec!["ipv4".into(), "ipv6".into()];
        assert_pass(&snap, "vpce-ip-type-unsupported-by-service");
    }

    #[test]
    fn policy_support_and_presence() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-policy-unsupported");
        assert_pass(&snap, "mwaa-vpce-policy-required");
        service(&mut snap, "kms").vpc_endpoint_policy_supported = Some(false);
        let kms = snap.id_of("kms");
        assert_flags(&snap, "vpce-policy-unsupported", Status::Info, &kms);
        snap.endpoint("sqs").policy_document = None;
        let sqs = snap.id_of("sqs");
        assert_flags(&snap, "mwaa-vpce-policy-required", Status::Warn, &sqs);
        // Not required where the service supports no policy.
        snap.endpoint("kms").policy_document = None;
        assert!(
            !findings(&snap, "mwaa-vpce-policy-required")
                .iter()
                .any(|f| f.involves(&kms))
        );
    }

    #[test]
    fn workload_zones_must_be_offered_by_the_service_compared_by_zone_id() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-service-az-unsupported");
        // use1-az6 is the healthy demo's second zone (us-east-1b).
        service(&mut snap, "sqs")
            .availability_zone_ids
            .retain(|z| z != "use1-az6");
        let f = only(&snap, "vpce-service-az-unsupported");
        assert_eq!(f.status, Status::Fail, "a required service");
        assert!(f.detail.contains("us-east-1b (use1-az6)"), "{}", f.detail);
        // Another service the VPC has an endpoint for is a warning.
        let mut other = Fixture::healthy();
        let mut ssm = other.endpoint("kms").clone();
        ssm.id = "vpce-0aaaabbbbccccdddd".into();
        ssm.service_name = "com.amazonaws.us-east-1.ssm".into();
        other.endpoints.push(ssm);
        let mut listing = service(&mut other, "kms").clone();
        listing.service_name = "com.amazonaws.us-east-1.ssm".into();
        listing.availability_zone_ids.retain(|z| z != "use1-az6");
        other.dns.services.push(listing);
        let f = only(&other, "vpce-service-az-unsupported");
        assert_eq!(f.status, Status::Warn, "{}", f.detail);
        assert!(
            f.detail.contains("com.amazonaws.us-east-1.ssm"),
            "{}",
            f.detail
        );
        // Names are ignored when ids are known: another account's names differ.
        let mut names = Fixture::healthy();
        service(&mut names, "sqs").availability_zones = vec!["us-east-1x".into()];
        assert_pass(&names, "vpce-service-az-unsupported");
        // Without ids, the names decide.
        service(&mut names, "sqs").availability_zone_ids.clear();
        assert_eq!(
            only(&names, "vpce-service-az-unsupported").status,
            Status::Fail
        );
    }

    #[test]
    fn a_denied_catalogue_is_unknown() {
        let mut snap = Fixture::healthy();
        snap.dns.services.clear();
        snap.fail(Source::EndpointServices);
        for id in [
            "vpce-private-dns-entry-missing",
            "vpce-service-no-private-dns",
            "vpce-ip-type-unsupported-by-service",
            "vpce-policy-unsupported",
            "mwaa-vpce-policy-required",
            "vpce-service-az-unsupported",
        ] {
            assert_eq!(only(&snap, id).status, Status::Unknown, "{id}");
        }
    }
}
