//! What gateway endpoints cannot do (*Gateway endpoints for Amazon S3*): carry IPv6 or traffic
//! from outside the VPC (on-premises, peered VPCs, transit gateways), or be deleted under
//! private DNS.

use crate::checks::context::Ctx;
use crate::checks::docs::{S3_GATEWAY, cite};
use crate::checks::finding::{Finding, Severity};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointType, Snapshot, Source, TargetKind, VpcEndpoint};

/// IPv6 traffic to a gateway endpoint (*Gateway endpoints for Amazon S3 › Considerations*).
pub const IPV4_ONLY: Rule = Rule {
    id: "gateway-endpoint-ipv4-only",
    severity: Severity::Warn,
    title: "Workload subnets that use a gateway endpoint send it IPv4 traffic (gateway endpoints support only IPv4)",
    docs: &[cite(S3_GATEWAY, "Considerations")],
    needs: &[Source::VpcEndpoints, Source::Subnets],
    reads: &[],
};
/// Traffic from outside the VPC cannot use a gateway endpoint (*Gateway endpoints for Amazon
/// S3*).
pub const NOT_EXTENDABLE: Rule = Rule {
    id: "gateway-not-extendable",
    severity: Severity::Info,
    title: "Gateway endpoints serve only the VPC itself (not on-premises, peered or transit gateway traffic)",
    docs: &[cite(S3_GATEWAY, "")],
    needs: &[Source::VpcEndpoints, Source::RouteTables],
    reads: &[],
};

/// Limits of gateway endpoints.
pub const FAMILY: Family = Family {
    name: "gateway endpoint limits",
    rules: &[IPV4_ONLY, NOT_EXTENDABLE],
    run,
};

/// For the S3 gateway's details (*Gateway endpoints for Amazon S3 › Delete a gateway
/// endpoint*): the S3 interface endpoints with private DNS on,
/// which keep the gateway endpoint from being deleted ("You can't delete a gateway endpoint
/// if private DNS is enabled").
pub fn delete_blocked_by<'a>(snap: &'a Snapshot, gateway: &VpcEndpoint) -> Vec<&'a VpcEndpoint> {
    if gateway.endpoint_type != EndpointType::Gateway || !gateway.service_name.ends_with(".s3") {
        return Vec::new();
    }
    snap.endpoints
        .iter()
        .filter(|e| {
            e.endpoint_type == EndpointType::Interface
                && e.service_name == gateway.service_name
                && e.private_dns_enabled
        })
        .collect()
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let gateways = ctx.gateway_endpoint_ids();
    if gateways.is_empty() {
        return vec![
            IPV4_ONLY.pass(ctx.vpc(), "The VPC has no gateway endpoint."),
            NOT_EXTENDABLE.pass(ctx.vpc(), "The VPC has no gateway endpoint."),
        ];
    }
    vec![ipv4_only(ctx, &gateways), not_extendable(ctx, &gateways)]
}

/// Rule 27: IPv6 from the workload does not use the gateway; IPv6-only subnets cannot.
fn ipv4_only(ctx: &Ctx, gateways: &[String]) -> Finding {
    let native: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| s.ipv6_native)
        .map(|s| s.id.as_str())
        .collect();
    let dual: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| !s.ipv6_native && !s.ipv6_cidr_blocks.is_empty())
        .map(|s| s.id.as_str())
        .collect();
    let finding = if !native.is_empty() {
        IPV4_ONLY.violated_at(
            Severity::Error,
            ctx.vpc(),
            format!(
                "{} {} IPv6-only: gateway endpoints support only IPv4 traffic, so {} cannot use {}. Use an interface endpoint for the service.",
                native.join(", "),
                if native.len() == 1 { "is" } else { "are" },
                if native.len() == 1 { "it" } else { "they" },
                gateways.join(", ")
            ),
        )
    } else if !dual.is_empty() {
        IPV4_ONLY.violated(
            ctx.vpc(),
            format!(
                "{} also {} IPv6: gateway endpoints support only IPv4 traffic, so IPv6 traffic to the service does not use {}.",
                dual.join(", "),
                if dual.len() == 1 { "has" } else { "have" },
                gateways.join(", ")
            ),
        )
    } else {
        IPV4_ONLY.pass(
            ctx.vpc(),
            "The workload subnets are IPv4: the gateway endpoints carry their traffic.",
        )
    };
    finding
        .involving(native.iter().chain(&dual).map(|s| s.to_string()))
        .involving(gateways.iter().cloned())
}

/// Rule 46: routes to transit gateways, peering connections or virtual private gateways mean
/// traffic from outside the VPC, which a gateway endpoint does not serve.
fn not_extendable(ctx: &Ctx, gateways: &[String]) -> Finding {
    let outward: Vec<(String, String)> = ctx
        .snap
        .route_tables
        .iter()
        .flat_map(|t| t.routes.iter().map(move |r| (t, r)))
        .filter(|(_, r)| {
            matches!(
                r.target_kind(),
                TargetKind::TransitGateway
                    | TargetKind::Peering
                    | TargetKind::VirtualPrivateGateway
            )
        })
        .map(|(t, r)| (t.id.clone(), r.target.clone().unwrap_or_default()))
        .collect();
    if outward.is_empty() {
        return NOT_EXTENDABLE
            .pass(ctx.vpc(), "No route leads to a transit gateway, peering connection or virtual private gateway.")
            .involving(gateways.iter().cloned());
    }
    let mut targets: Vec<&str> = outward.iter().map(|(_, t)| t.as_str()).collect();
    targets.sort();
    targets.dedup();
    let kinds: Vec<String> = ctx
        .snap
        .endpoints
        .iter()
        .filter(|e| e.endpoint_type == EndpointType::Gateway)
        .map(|e| e.service_name.clone())
        .collect();
    NOT_EXTENDABLE
        .info(
            ctx.vpc(),
            format!(
                "The VPC routes to {}: gateway endpoints ({}) do not allow access from on-premises networks, from peered VPCs in other AWS Regions, or through a transit gateway; those consumers need an interface endpoint.",
                targets.join(", "),
                kinds.join(", ")
            ),
        )
        .involving(gateways.iter().cloned())
        .involving(outward.into_iter().map(|(t, _)| t))
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

    #[test]
    fn ipv6_subnets_do_not_use_the_gateway() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "gateway-endpoint-ipv4-only");
        let subnet = snap.workload_subnet(0);
        let s = snap.subnets.iter_mut().find(|s| s.id == subnet).unwrap();
        s.ipv6_cidr_blocks = vec!["2600:1f18::/64".into()];
        assert_flags(&snap, "gateway-endpoint-ipv4-only", Status::Warn, &subnet);
        let s = snap.subnets.iter_mut().find(|s| s.id == subnet).unwrap();
        s.ipv6_native = true;
        assert_flags(&snap, "gateway-endpoint-ipv4-only", Status::Fail, &subnet);
        snap.without("s3");
        assert_pass(&snap, "gateway-endpoint-ipv4-only");
    }

    #[test]
    fn an_s3_interface_endpoint_with_private_dns_blocks_deleting_the_gateway() {
        let mut snap = Fixture::healthy();
        let gateway = snap.endpoint("s3").clone();
        assert!(super::delete_blocked_by(&snap, &gateway).is_empty());
        let mut interface = snap.endpoint("kms").clone();
        interface.id = "vpce-0s3if".into();
        interface.service_name = gateway.service_name.clone();
        snap.endpoints.push(interface);
        let blocked: Vec<&str> = super::delete_blocked_by(&snap, &gateway)
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(blocked, ["vpce-0s3if"]);
        let kms = snap.endpoint("kms").clone();
        assert!(
            super::delete_blocked_by(&snap, &kms).is_empty(),
            "only gateways"
        );
    }

    #[test]
    fn routes_out_of_the_vpc_note_that_gateways_do_not_extend() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "gateway-not-extendable");
        let table = snap.private_table_id();
        snap.table(&table)
            .routes
            .push(route("10.100.0.0/16", "tgw-0123456789abcdef0"));
        let f = assert_flags(&snap, "gateway-not-extendable", Status::Info, &table);
        assert!(f.detail.contains("tgw-0123456789abcdef0"), "{}", f.detail);
    }
}
