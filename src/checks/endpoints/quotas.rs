//! Endpoint quotas (*Quotas for AWS PrivateLink*).

use crate::checks::context::Ctx;
use crate::checks::docs::{QUOTAS, cite};
use crate::checks::finding::{Finding, Severity};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointState, EndpointType, Source};

/// Interface and GWLB endpoints near the per-VPC quota (*Quotas for AWS PrivateLink › Interface
/// and Gateway Load Balancer endpoints per VPC*).
pub const INTERFACE_PER_VPC: Rule = Rule {
    id: "quota-interface-gwlb-per-vpc",
    severity: Severity::Warn,
    title: "Interface and GWLB endpoints stay below 80% of the 50 per VPC quota",
    docs: &[cite(
        QUOTAS,
        "Interface and Gateway Load Balancer endpoints per VPC",
    )],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};
/// Gateway endpoints near the per-Region quota (*Quotas for AWS PrivateLink › Gateway VPC
/// endpoints per Region*).
pub const GATEWAY_PER_REGION: Rule = Rule {
    id: "quota-gateway-per-region",
    severity: Severity::Warn,
    title: "Gateway endpoints stay below 80% of the 20 per Region quota",
    docs: &[cite(QUOTAS, "Gateway VPC endpoints per Region")],
    needs: &[Source::RegionGatewayEndpoints],
    reads: &[],
};
/// Gateway endpoints at the per-VPC limit (*Quotas for AWS PrivateLink › Gateway VPC endpoints
/// per VPC*).
pub const GATEWAY_PER_VPC: Rule = Rule {
    id: "quota-gateway-per-vpc",
    severity: Severity::Error,
    title: "Gateway endpoints stay below the 255 per VPC limit",
    docs: &[cite(QUOTAS, "Gateway VPC endpoints per VPC")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};

/// Endpoint quotas.
pub const FAMILY: Family = Family {
    name: "quotas",
    rules: &[INTERFACE_PER_VPC, GATEWAY_PER_REGION, GATEWAY_PER_VPC],
    run,
};

fn live(state: &EndpointState) -> bool {
    !matches!(
        state,
        EndpointState::Deleted
            | EndpointState::Deleting
            | EndpointState::Rejected
            | EndpointState::Expired
            | EndpointState::Failed
    )
}

fn count(ctx: &Ctx, kinds: &[EndpointType]) -> usize {
    ctx.snap
        .endpoints
        .iter()
        .filter(|e| kinds.contains(&e.endpoint_type) && live(&e.state))
        .count()
}

/// One usage against one quota: a violation from `at` on.
struct Usage<'a> {
    used: usize,
    quota: usize,
    at: usize,
    what: String,
    fix: &'a str,
}

fn threshold(ctx: &Ctx, rule: Rule, usage: Usage) -> Finding {
    let detail = format!("{} of {} {}.", usage.used, usage.quota, usage.what);
    if usage.used >= usage.at {
        rule.violated(ctx.vpc(), detail).fix(usage.fix)
    } else {
        rule.pass(ctx.vpc(), detail)
    }
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let interface = count(
        ctx,
        &[EndpointType::Interface, EndpointType::GatewayLoadBalancer],
    );
    let gateway = count(ctx, &[EndpointType::Gateway]);
    let region = match ctx.snap.region_gateway_endpoints {
        Some(total) => threshold(
            ctx,
            GATEWAY_PER_REGION,
            Usage {
                used: total as usize,
                quota: 20,
                at: 16,
                what: format!("gateway endpoints used in {}", ctx.region()),
                fix: "# Request an increase in Service Quotas (Amazon VPC › Gateway VPC endpoints per Region).",
            },
        ),
        None => GATEWAY_PER_REGION.unknown(
            ctx.vpc(),
            "The Region's gateway endpoints were not counted.",
        ),
    };
    vec![
        threshold(
            ctx,
            INTERFACE_PER_VPC,
            Usage {
                used: interface,
                quota: 50,
                at: 40,
                what: format!(
                    "interface and Gateway Load Balancer endpoints used in {}",
                    ctx.vpc_id()
                ),
                fix: "# Request an increase in Service Quotas (Amazon VPC › Interface VPC endpoints per VPC) before adding endpoints.",
            },
        ),
        region,
        threshold(
            ctx,
            GATEWAY_PER_VPC,
            Usage {
                used: gateway,
                quota: 255,
                at: 255,
                what: format!("gateway endpoints used in {}", ctx.vpc_id()),
                fix: "# This limit cannot be raised: remove unused gateway endpoints.",
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    fn add_copies(snap: &mut Fixture, suffix: &str, count: usize, prefix: char) {
        let template = snap.endpoint(suffix).clone();
        for i in 0..count {
            snap.endpoints.push(VpcEndpoint {
                id: format!("vpce-{prefix}{i:016x}"),
                ..template.clone()
            });
        }
    }

    #[test]
    fn interface_endpoints_warn_from_40_of_50() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "quota-interface-gwlb-per-vpc");
        // The healthy demo has nine interface endpoints: 30 more make 39, 31 make 40.
        add_copies(&mut snap, "kms", 30, '0');
        assert_eq!(
            only(&snap, "quota-interface-gwlb-per-vpc").status,
            Status::Pass
        );
        add_copies(&mut snap, "kms", 1, '1');
        let f = only(&snap, "quota-interface-gwlb-per-vpc");
        assert_eq!(f.status, Status::Warn);
        assert!(f.detail.starts_with("40 of 50"), "{}", f.detail);
        // Deleted endpoints do not count.
        snap.endpoints.last_mut().unwrap().state = EndpointState::Deleted;
        assert_eq!(
            only(&snap, "quota-interface-gwlb-per-vpc").status,
            Status::Pass
        );
    }

    #[test]
    fn gateway_quotas() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "quota-gateway-per-region");
        assert_pass(&snap, "quota-gateway-per-vpc");
        snap.region_gateway_endpoints = Some(15);
        assert_eq!(only(&snap, "quota-gateway-per-region").status, Status::Pass);
        snap.region_gateway_endpoints = Some(16);
        assert_eq!(only(&snap, "quota-gateway-per-region").status, Status::Warn);
        snap.region_gateway_endpoints = None;
        assert_eq!(
            only(&snap, "quota-gateway-per-region").status,
            Status::Unknown
        );
        snap.fail(Source::RegionGatewayEndpoints);
        assert!(
            only(&snap, "quota-gateway-per-region")
                .detail
                .contains("failed")
        );
        add_copies(&mut snap, "s3", 253, '2');
        assert_eq!(only(&snap, "quota-gateway-per-vpc").status, Status::Pass);
        add_copies(&mut snap, "s3", 1, '3');
        assert_eq!(only(&snap, "quota-gateway-per-vpc").status, Status::Fail);
    }
}
