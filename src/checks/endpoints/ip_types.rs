//! IP address types of interface endpoints (*Share your services through AWS PrivateLink › IP
//! address types*; *AWS PrivateLink concepts › Endpoint network interfaces*): the DNS record
//! type must suit the endpoint's IP type; IPv6 endpoint interfaces are unreachable from the
//! internet.

use crate::checks::context::Ctx;
use crate::checks::docs::{CONCEPTS, SHARE_SERVICES, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointType, Source, VpcEndpoint};

/// A DNS record IP type the endpoint's IP address type cannot serve (*Share your services
/// through AWS PrivateLink › IP address types*).
pub const RECORD_TYPE: Rule = Rule {
    id: "vpce-dns-record-ip-type-incompatible",
    severity: Severity::Error,
    title: "Each interface endpoint's DNS record IP type suits its IP address type",
    docs: &[cite(SHARE_SERVICES, "IP address types")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};
/// IPv6 endpoint interfaces deny internet gateway traffic (*AWS PrivateLink concepts › Endpoint
/// network interfaces*).
pub const IPV6_DENY_IGW: Rule = Rule {
    id: "eni-ipv6-deny-igw",
    severity: Severity::Info,
    title: "Endpoint interfaces with IPv6 addresses deny internet gateway traffic (expected)",
    docs: &[cite(CONCEPTS, "Endpoint network interfaces")],
    needs: &[Source::VpcEndpoints, Source::NetworkInterfaces],
    reads: &[],
};

/// IP address types.
pub const FAMILY: Family = Family {
    name: "endpoint IP address types",
    rules: &[RECORD_TYPE, IPV6_DENY_IGW],
    run,
};

/// The IP address types (`IpAddressType`) a DNS record IP type works with.
fn compatible(record_type: &str) -> &'static [&'static str] {
    match record_type {
        "ipv4" => &["ipv4", "dualstack"],
        "ipv6" => &["ipv6", "dualstack"],
        // `dualstack` and `service-defined` create AAAA records too.
        _ => &["dualstack"],
    }
}

/// The record type that suits an IP address type, for the fix.
fn suited(ip_type: &str) -> &'static str {
    match ip_type {
        "ipv6" => "ipv6",
        "dualstack" => "dualstack",
        _ => "ipv4",
    }
}

fn record_type(ctx: &Ctx, endpoint: &VpcEndpoint) -> Option<Finding> {
    let record = endpoint
        .dns_options
        .as_ref()?
        .dns_record_ip_type
        .as_deref()?;
    let ip_type = endpoint.ip_address_type.as_deref()?;
    let (record, ip_type) = (record.to_ascii_lowercase(), ip_type.to_ascii_lowercase());
    let allowed = compatible(&record);
    (!allowed.contains(&ip_type.as_str())).then(|| {
        RECORD_TYPE
            .violated(
                Subject::endpoint(&endpoint.id),
                format!(
                    "{} has DNS record IP type {record} but IP address type {ip_type}: {record} records need an endpoint of type {}.",
                    endpoint.id,
                    allowed.join(" or ")
                ),
            )
            .fix(format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --dns-options DnsRecordIpType={} --region {}",
                endpoint.id,
                suited(&ip_type),
                ctx.region()
            ))
    })
}

fn ipv6_interfaces(ctx: &Ctx) -> Vec<Finding> {
    let findings = ctx
        .snap
        .endpoints
        .iter()
        .filter(|e| e.endpoint_type == EndpointType::Interface)
        .filter_map(|e| {
            let enis: Vec<String> = ctx
                .enis_of(e)
                .filter(|n| !n.ipv6_addresses.is_empty())
                .map(|n| {
                    let deny = match n.deny_all_igw_traffic {
                        Some(true) => "denyAllIgwTraffic on",
                        Some(false) => "denyAllIgwTraffic off (AWS normally sets it)",
                        None => "denyAllIgwTraffic not reported",
                    };
                    format!("{} ({}; {deny})", n.id, n.ipv6_addresses.join(", "))
                })
                .collect();
            (!enis.is_empty()).then(|| {
                IPV6_DENY_IGW
                    .info(
                        Subject::endpoint(&e.id),
                        format!(
                            "{}'s interfaces have IPv6 addresses: {}. The IPv6 address of an endpoint network interface is unreachable from the internet, as expected.",
                            e.id,
                            enis.join(", ")
                        ),
                    )
                    .involving(e.network_interface_ids.iter().cloned())
            })
        })
        .collect();
    IPV6_DENY_IGW.or_pass(
        findings,
        ctx.vpc(),
        "No endpoint network interface has an IPv6 address.",
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mismatched: Vec<Finding> = ctx
        .snap
        .endpoints
        .iter()
        .filter(|e| e.endpoint_type == EndpointType::Interface)
        .filter_map(|e| record_type(ctx, e))
        .collect();
    let mut findings = RECORD_TYPE.or_pass(
        mismatched,
        ctx.vpc(),
        "Every interface endpoint's DNS record IP type suits its IP address type.",
    );
    findings.extend(ipv6_interfaces(ctx));
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

    #[test]
    fn the_record_type_must_suit_the_ip_type() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpce-dns-record-ip-type-incompatible");
        for (record, ip_type, ok) in [
            ("ipv4", "dualstack", true),
            ("ipv6", "ipv6", true),
            ("dualstack", "dualstack", true),
            ("service-defined", "dualstack", true),
            ("ipv6", "ipv4", false),
            ("dualstack", "ipv4", false),
            ("service-defined", "ipv6", false),
            ("ipv4", "ipv6", false),
        ] {
            let kms = snap.endpoint("kms");
            kms.ip_address_type = Some(ip_type.into());
            kms.dns_options.as_mut().unwrap().dns_record_ip_type = Some(record.into());
            let id = kms.id.clone();
            if ok {
                assert_pass(&snap, "vpce-dns-record-ip-type-incompatible");
            } else {
                let f = assert_flags(
                    &snap,
                    "vpce-dns-record-ip-type-incompatible",
                    Status::Fail,
                    &id,
                );
                assert!(f.remediation.unwrap().contains(&format!(
                    "--vpc-endpoint-id {id} --dns-options DnsRecordIpType="
                )));
            }
        }
    }

    #[test]
    fn ipv6_endpoint_interfaces_are_noted() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "eni-ipv6-deny-igw");
        let kms = snap.endpoint("kms").clone();
        let eni = snap
            .endpoint_enis
            .iter_mut()
            .find(|n| kms.network_interface_ids.contains(&n.id))
            .unwrap();
        eni.ipv6_addresses = vec!["2600:1f18::10".into()];
        eni.deny_all_igw_traffic = Some(true);
        let f = assert_flags(&snap, "eni-ipv6-deny-igw", Status::Info, &kms.id);
        assert!(f.detail.contains("denyAllIgwTraffic on"), "{}", f.detail);
    }
}
