//! Endpoint quotas (rules 68–70). Source: `../shared/rules.md` §L; [002] Quotas.

use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{EndpointState, EndpointType, Source};

pub const INTERFACE_PER_VPC: Rule = Rule {
    id: "quota-interface-gwlb-per-vpc",
    severity: Severity::Warn,
    title: "Interface and GWLB endpoints stay below 80% of the 50 per VPC quota",
    source: "rules.md 68 · [002] Quotas: Interface and Gateway Load Balancer endpoints per VPC, 50, adjustable",
};
pub const GATEWAY_PER_REGION: Rule = Rule {
    id: "quota-gateway-per-region",
    severity: Severity::Warn,
    title: "Gateway endpoints stay below 80% of the 20 per Region quota",
    source: "rules.md 69 · [002] Quotas: Gateway VPC endpoints per Region, 20, adjustable",
};
pub const GATEWAY_PER_VPC: Rule = Rule {
    id: "quota-gateway-per-vpc",
    severity: Severity::Error,
    title: "Gateway endpoints stay below the 255 per VPC limit",
    source: "rules.md 70 · [002] Quotas: \"up to 255 gateway endpoints per VPC\"",
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

fn threshold(rule: Rule, used: usize, quota: usize, at: usize, what: String, fix: &str) -> Finding {
    let detail = format!("{used} of {quota} {what}.");
    if used >= at {
        rule.violated(vec![], detail).fix(fix)
    } else {
        rule.pass(vec![], detail)
    }
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    if let Some(reason) = ctx.missing(&[Source::VpcEndpoints]) {
        return [INTERFACE_PER_VPC, GATEWAY_PER_REGION, GATEWAY_PER_VPC]
            .map(|r| r.unknown(reason.clone()))
            .into();
    }
    let increase = "Request an increase in Service Quotas (Amazon VPC › Interface VPC endpoints per VPC) before adding endpoints.";
    let interface = count(
        ctx,
        &[EndpointType::Interface, EndpointType::GatewayLoadBalancer],
    );
    let gateway = count(ctx, &[EndpointType::Gateway]);
    let region = match (
        ctx.missing(&[Source::RegionGatewayEndpoints]),
        ctx.snap.region_gateway_endpoints,
    ) {
        (None, Some(total)) => threshold(
            GATEWAY_PER_REGION,
            total as usize,
            20,
            16,
            format!("gateway endpoints used in {}", ctx.region()),
            "Request an increase in Service Quotas (Amazon VPC › Gateway VPC endpoints per Region).",
        ),
        (reason, _) => GATEWAY_PER_REGION.unknown(
            reason.unwrap_or_else(|| "The Region's gateway endpoints were not counted.".into()),
        ),
    };
    vec![
        threshold(
            INTERFACE_PER_VPC,
            interface,
            50,
            40,
            format!(
                "interface and Gateway Load Balancer endpoints used in {}",
                ctx.vpc_id()
            ),
            increase,
        ),
        region,
        threshold(
            GATEWAY_PER_VPC,
            gateway,
            255,
            255,
            format!("gateway endpoints used in {}", ctx.vpc_id()),
            "This limit cannot be raised: remove unused gateway endpoints.",
        ),
    ]
}
