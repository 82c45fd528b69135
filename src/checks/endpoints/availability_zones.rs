//! Subnets, availability zones, ENIs and IP address types (*Access AWS services through AWS
//! PrivateLink › Subnets and Availability Zones*, *› IP address types*; *AWS PrivateLink concepts
//! › Endpoint network interfaces*).

use std::collections::BTreeMap;

use crate::checks::context::Ctx;
use crate::checks::docs::{
    ACCESS_AWS_SERVICES, CONCEPTS, INTERFACE_ENDPOINTS, MWAA_ENDPOINTS, cite,
};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointState, EndpointType, Source, VpcEndpoint};

const NEEDS: &[Source] = &[Source::VpcEndpoints, Source::Subnets];
const WITH_ENIS: &[Source] = &[
    Source::VpcEndpoints,
    Source::Subnets,
    Source::NetworkInterfaces,
];

/// An interface endpoint in one zone only (*Access AWS services through AWS PrivateLink ›
/// Subnets and Availability Zones*).
pub const SINGLE_AZ: Rule = Rule {
    id: "vpce-single-az",
    severity: Severity::Warn,
    title: "Interface endpoints span at least two availability zones",
    docs: &[cite(ACCESS_AWS_SERVICES, "Subnets and Availability Zones")],
    needs: NEEDS,
    reads: &[],
};
/// Two subnets of one endpoint in one zone, which AWS refuses (*Access an AWS service using an
/// interface VPC endpoint › Create a VPC endpoint*).
pub const SAME_AZ: Rule = Rule {
    id: "vpce-subnets-same-az",
    severity: Severity::Error,
    title: "No endpoint has two subnets in one availability zone",
    docs: &[cite(INTERFACE_ENDPOINTS, "Create a VPC endpoint")],
    needs: NEEDS,
    reads: &[],
};
/// A workload zone without an interface of a required endpoint (*Access AWS services through AWS
/// PrivateLink › Subnets and Availability Zones*; *Creating the required VPC service endpoints in
/// an Amazon VPC with private routing › (Required) VPC endpoints*).
pub const WORKLOAD_AZ: Rule = Rule {
    id: "vpce-workload-az-not-covered",
    severity: Severity::Warn,
    title: "Required endpoints have a network interface in every workload availability zone",
    docs: &[
        cite(ACCESS_AWS_SERVICES, "Subnets and Availability Zones"),
        cite(MWAA_ENDPOINTS, "(Required) VPC endpoints"),
    ],
    needs: WITH_ENIS,
    reads: &[],
};
/// An endpoint subnet without its endpoint network interface (*AWS PrivateLink concepts ›
/// Endpoint network interfaces*).
pub const ENI_MISMATCH: Rule = Rule {
    id: "vpce-eni-count-mismatch",
    severity: Severity::Warn,
    title: "Each endpoint subnet has its endpoint network interface",
    docs: &[cite(CONCEPTS, "Endpoint network interfaces")],
    needs: WITH_ENIS,
    reads: &[],
};
/// An endpoint IP address type its subnets' ranges cannot carry (*Access AWS services through
/// AWS PrivateLink › IP address types*).
pub const IP_TYPE: Rule = Rule {
    id: "vpce-ip-type-subnet-incompatible",
    severity: Severity::Error,
    title: "Endpoint IP address types match their subnets' address ranges",
    docs: &[cite(ACCESS_AWS_SERVICES, "IP address types")],
    needs: NEEDS,
    reads: &[],
};
/// The environment's subnets in one zone (*Creating the required VPC service endpoints in an
/// Amazon VPC with private routing › (Required) VPC endpoints*).
pub const MWAA_SAME_AZ: Rule = Rule {
    id: "mwaa-subnets-same-az",
    severity: Severity::Error,
    title: "The environment's subnets are in two different availability zones",
    docs: &[cite(MWAA_ENDPOINTS, "(Required) VPC endpoints")],
    needs: &[Source::Subnets],
    reads: &[],
};

/// Subnets, zones, network interfaces and IP address types.
pub const FAMILY: Family = Family {
    name: "availability zones",
    rules: &[
        SINGLE_AZ,
        SAME_AZ,
        WORKLOAD_AZ,
        ENI_MISMATCH,
        IP_TYPE,
        MWAA_SAME_AZ,
    ],
    run,
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
            let finding = SINGLE_AZ.violated(Subject::endpoint(&e.id), format!(
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
        ctx.vpc(),
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
            Some(SAME_AZ.violated(Subject::endpoint(&e.id), format!("{} has subnets {} in the same zone {az}, which the API should prevent: treat the data as suspect.", e.id, subnets.join(", "))).involving(subnets))
        })
        .collect();
    SAME_AZ.or_pass(
        findings,
        ctx.vpc(),
        "No endpoint has two subnets in one zone.",
    )
}

fn workload_az(ctx: &Ctx) -> Vec<Finding> {
    let zones = ctx.workload_azs();
    let findings = interfaces(ctx)
        .filter(|e| ctx.is_mwaa_service(e))
        .filter_map(|e| {
            let covered: Vec<&str> = ctx.enis_of(e).map(|n| n.availability_zone.as_str()).collect();
            let missing: Vec<&str> = zones.iter().copied().filter(|z| !covered.contains(z)).collect();
            (!missing.is_empty()).then(|| {
                WORKLOAD_AZ.violated(Subject::endpoint(&e.id), format!(
                    "{} ({}) has no network interface in {}: workloads there cross zones and lose access if the other zones fail.",
                    e.id,
                    e.short_service_name(),
                    missing.join(", ")
                ))
            })
        })
        .collect();
    WORKLOAD_AZ.or_pass(
        findings,
        ctx.vpc(),
        "Required endpoints cover every workload zone.",
    )
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
            Some(ENI_MISMATCH.violated(Subject::endpoint(&e.id), detail))
        })
        .collect();
    ENI_MISMATCH.or_pass(
        findings,
        ctx.vpc(),
        "Every endpoint subnet has its network interface.",
    )
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
                    .violated(Subject::endpoint(&e.id), format!("{} has IP address type {kind} but subnets {} lack the matching address ranges.", e.id, bad.join(", ")))
                    .involving(bad.iter().copied())
                    .fix(format!("# IP_TYPE: ipv4, dualstack or ipv6, whichever every subnet of {} has ranges for\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --ip-address-type \"$IP_TYPE\"", e.id, e.id))
            })
        })
        .collect();
    IP_TYPE.or_pass(
        findings,
        ctx.vpc(),
        "Endpoint IP address types match their subnets.",
    )
}

fn mwaa_same_az(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return MWAA_SAME_AZ.info(
            ctx.vpc(),
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
        MWAA_SAME_AZ
            .pass(
                Subject::environment(&env.name),
                format!("{} uses subnets in {}.", env.name, zones.join(", ")),
            )
            .involving(env.subnet_ids.iter())
    } else {
        MWAA_SAME_AZ
            .violated(
                Subject::environment(&env.name),
                format!(
                    "{}'s subnets are all in {}; MWAA needs two private subnets in different zones.",
                    env.name,
                    zones.join(", ")
                ),
            )
            .involving(env.subnet_ids.iter())
    }
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = single_az(ctx);
    findings.extend(same_az(ctx));
    findings.extend(workload_az(ctx));
    findings.extend(eni_mismatch(ctx));
    findings.extend(ip_type(ctx));
    findings.push(mwaa_same_az(ctx));
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

    #[test]
    fn zone_rules() {
        let snap = Fixture::healthy();
        for id in [
            "vpce-single-az",
            "vpce-subnets-same-az",
            "vpce-workload-az-not-covered",
            "vpce-eni-count-mismatch",
            "vpce-ip-type-subnet-incompatible",
            "mwaa-subnets-same-az",
        ] {
            assert_pass(&snap, id);
        }
        let second = snap.workload_subnet(1);
        let mut single = snap.clone();
        let sqs = single.endpoint("sqs");
        sqs.subnet_ids.retain(|s| *s != second);
        let dropped = sqs.network_interface_ids.pop().unwrap();
        single.endpoint_enis.retain(|n| n.id != dropped);
        let sqs = single.id_of("sqs");
        assert_flags(&single, "vpce-single-az", Status::Warn, &sqs);
        assert_flags(&single, "vpce-workload-az-not-covered", Status::Warn, &sqs);

        let mut same = snap.clone();
        let first_az = same.subnets[0].availability_zone.clone();
        for s in &mut same.subnets {
            s.availability_zone = first_az.clone();
        }
        let sqs = same.id_of("sqs");
        assert_flags(&same, "vpce-subnets-same-az", Status::Fail, &sqs);
        assert_eq!(only(&same, "mwaa-subnets-same-az").status, Status::Fail);

        let mut missing_eni = snap;
        let eni = missing_eni.endpoint("logs").network_interface_ids[0].clone();
        missing_eni.endpoint_enis.retain(|n| n.id != eni);
        let logs = missing_eni.id_of("logs");
        assert_flags(&missing_eni, "vpce-eni-count-mismatch", Status::Warn, &logs);
    }

    /// Each IP address type against subnets with IPv4 only, dual stack, and IPv6 only.
    #[test]
    fn ip_address_types_against_subnet_ranges() {
        // (endpoint type, subnet has IPv4, has IPv6, IPv6-only) → compatible
        let table = [
            ("ipv4", true, false, false, true),
            ("ipv4", true, true, false, true),
            ("ipv4", false, true, true, false),
            ("ipv6", false, true, true, true),
            ("ipv6", true, true, false, false),
            ("ipv6", true, false, false, false),
            ("dualstack", true, true, false, true),
            ("dualstack", true, false, false, false),
            ("dualstack", false, true, true, false),
            ("not-specified", true, false, false, true),
        ];
        for (kind, v4, v6, native, compatible) in table {
            let mut snap = Fixture::healthy();
            for subnet in &mut snap.subnets {
                subnet.cidr_block = v4.then(|| "10.30.1.0/24".into());
                subnet.ipv6_cidr_blocks = if v6 {
                    vec!["2600:1f18::/64".into()]
                } else {
                    vec![]
                };
                subnet.ipv6_native = native;
            }
            snap.endpoint("logs").ip_address_type = Some(kind.into());
            let logs = snap.id_of("logs");
            let case = format!("{kind} v4={v4} v6={v6} ipv6-only={native}");
            if compatible {
                assert!(
                    !findings(&snap, "vpce-ip-type-subnet-incompatible")
                        .iter()
                        .any(|f| f.involves(&logs)),
                    "{case}"
                );
            } else {
                let f = assert_flags(
                    &snap,
                    "vpce-ip-type-subnet-incompatible",
                    Status::Fail,
                    &logs,
                );
                assert!(f.detail.contains(kind), "{case}");
            }
        }
    }
}
