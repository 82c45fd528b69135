//! S3 gateway endpoint routing and the routing mode (rules 39–43, 45, 48). Source:
//! `../shared/rules.md` §I; [002]/[003] Gateway endpoints › Routing; [001] Terms.

use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{EndpointType, Source};

pub const GATEWAY_MISSING: Rule = Rule {
    id: "s3-gateway-missing",
    severity: Severity::Error,
    title: "The VPC has an available S3 gateway endpoint",
    source: "rules.md 39 · [000] S3 step: \"We recommend choosing the service endpoint listed for the Gateway type\"",
};
pub const TABLE_NOT_ASSOCIATED: Rule = Rule {
    id: "s3-gateway-rt-not-associated",
    severity: Severity::Error,
    title: "Every workload subnet's route table is associated with the S3 gateway endpoint",
    source: "rules.md 40 · [002]/[003] Gateway endpoints › Routing › Considerations",
};
pub const ROUTE_MISSING: Rule = Rule {
    id: "s3-gateway-route-missing",
    severity: Severity::Error,
    title: "Route tables of the S3 gateway endpoint hold an active prefix-list route to it",
    source: "rules.md 41 · [002]/[003] Gateway endpoints › Routing",
};
pub const ROUTE_SHADOWED: Rule = Rule {
    id: "s3-gateway-route-shadowed",
    severity: Severity::Warn,
    title: "No more specific route overrides the S3 prefix-list route",
    source: "rules.md 42 · [002]/[003] Routing › Considerations: longest prefix match",
};
pub const IGW_DEFAULT: Rule = Rule {
    id: "s3-gateway-vs-igw-default",
    severity: Severity::Info,
    title: "S3 gateway route and internet default route side by side",
    source: "rules.md 43 · [002]/[003] Routing › Considerations",
};
pub const MULTIPLE: Rule = Rule {
    id: "s3-gateway-multiple",
    severity: Severity::Info,
    title: "One S3 gateway endpoint per VPC",
    source: "rules.md 45 · [002]/[003] Routing › Considerations",
};
pub const ROUTING_MODE: Rule = Rule {
    id: "mwaa-routing-mode",
    severity: Severity::Info,
    title: "Routing mode of the workload (private routing requires the endpoints)",
    source: "rules.md 48 · [001] Terms; [000] Private network and private routing",
};

fn routing_mode(ctx: &Ctx) -> Finding {
    let subnets: Vec<String> = ctx.workload.subnets.iter().map(|s| s.id.clone()).collect();
    if ctx.private_routing() {
        ROUTING_MODE.info(subnets, "Private routing: no workload route table has 0.0.0.0/0 to an internet or NAT gateway, so every required VPC endpoint must exist.")
    } else {
        ROUTING_MODE.info(subnets, "Public routing: a workload route table sends 0.0.0.0/0 to an internet or NAT gateway; endpoints are optional.")
    }
}

fn gateway_rules(ctx: &Ctx) -> Vec<Finding> {
    let gateways = ctx.s3_gateways();
    let mut findings = Vec::new();
    if gateways.is_empty() {
        let interface = ctx
            .endpoints_for("s3")
            .find(|e| e.endpoint_type == EndpointType::Interface);
        let (severity, extra) = match interface {
            Some(i) => (
                Severity::Warn,
                format!(
                    " Only the interface endpoint {} carries S3 traffic (see rules 14–15).",
                    i.id
                ),
            ),
            None => (Severity::Error, String::new()),
        };
        findings.push(
            GATEWAY_MISSING
                .violated_at(severity, vec![], format!("{} has no available S3 gateway endpoint.{extra}", ctx.vpc_id()))
                .fix(format!(
                    "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Gateway --service-name {} --route-table-ids <rtb-ids>",
                    ctx.vpc_id(),
                    ctx.service_name("s3")
                )),
        );
        return findings;
    }
    findings.push(GATEWAY_MISSING.pass(
        gateways.iter().map(|g| g.id.clone()).collect(),
        "An S3 gateway endpoint is available.",
    ));

    let unassociated: Vec<Finding> = ctx
        .workload
        .subnets
        .iter()
        .filter_map(|s| {
            let table = ctx.effective_route_table(&s.id)?;
            (!gateways
                .iter()
                .any(|g| g.route_table_ids.contains(&table.id)))
            .then(|| {
                TABLE_NOT_ASSOCIATED
                    .violated(
                        vec![s.id.clone(), table.id.clone()],
                        format!(
                            "{} uses {}, which no S3 gateway endpoint is associated with.",
                            s.id, table.id
                        ),
                    )
                    .fix(format!(
                        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-route-table-ids {}",
                        gateways[0].id, table.id
                    ))
            })
        })
        .collect();
    findings.extend(TABLE_NOT_ASSOCIATED.or_pass(
        unassociated,
        "Every workload subnet's route table is associated.",
    ));

    let list = ctx.s3_prefix_list();
    let s3: Vec<Cidr> = list
        .map(|l| l.cidrs.iter().filter_map(|c| Cidr::parse(c)).collect())
        .unwrap_or_default();
    let (mut missing, mut shadowed, mut igw) = (Vec::new(), Vec::new(), Vec::new());
    for gateway in &gateways {
        for table in ctx
            .snap
            .route_tables
            .iter()
            .filter(|t| gateway.route_table_ids.contains(&t.id))
        {
            let route = table.routes.iter().find(|r| {
                r.target.as_deref() == Some(gateway.id.as_str())
                    && r.destination_prefix_list_id.is_some()
            });
            let resources = vec![table.id.clone(), gateway.id.clone()];
            let reassociate = format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --remove-route-table-ids {t} && aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --add-route-table-ids {t}",
                g = gateway.id,
                t = table.id
            );
            match route {
                None => missing.push(
                    ROUTE_MISSING
                        .violated(
                            resources.clone(),
                            format!(
                                "{} is associated with {} but has no prefix-list route to it.",
                                table.id, gateway.id
                            ),
                        )
                        .fix(reassociate),
                ),
                Some(r) if r.state.as_deref() == Some("blackhole") => missing.push(
                    ROUTE_MISSING
                        .violated(
                            resources.clone(),
                            format!(
                                "The S3 route in {} to {} is a blackhole.",
                                table.id, gateway.id
                            ),
                        )
                        .fix(reassociate),
                ),
                Some(_) => {}
            }
            for r in &table.routes {
                let Some(cidr) = r.destination_cidr.as_deref().and_then(Cidr::parse) else {
                    continue;
                };
                if s3.iter().any(|p| p.contains(cidr)) {
                    shadowed.push(
                        ROUTE_SHADOWED
                            .violated(resources.clone(), format!("{} routes {cidr} to {}, overriding the S3 gateway route for that range.", table.id, r.target.as_deref().unwrap_or("?")))
                            .fix(format!("aws ec2 delete-route --route-table-id {} --destination-cidr-block {cidr}", table.id)),
                    );
                }
                if r.destination_cidr.as_deref() == Some("0.0.0.0/0")
                    && r.target.as_deref().is_some_and(|t| t.starts_with("igw-"))
                {
                    igw.push(IGW_DEFAULT.info(resources.clone(), format!("{} also sends 0.0.0.0/0 to an internet gateway: S3 in {} takes the gateway endpoint; other services and other Regions go to the internet.", table.id, ctx.region())));
                }
            }
        }
    }
    for (rule, found, pass) in [
        (
            ROUTE_MISSING,
            missing,
            "Every associated route table holds an active S3 route.",
        ),
        (
            ROUTE_SHADOWED,
            shadowed,
            "No route overrides the S3 prefix-list route.",
        ),
        (
            IGW_DEFAULT,
            igw,
            "No associated route table also routes to an internet gateway.",
        ),
    ] {
        findings.extend(rule.or_pass(found, pass));
    }
    findings.push(if gateways.len() > 1 {
        let owned: Vec<String> = gateways
            .iter()
            .map(|g| format!("{} → {}", g.id, g.route_table_ids.join(", ")))
            .collect();
        MULTIPLE.info(
            gateways.iter().map(|g| g.id.clone()).collect(),
            format!(
                "{} S3 gateway endpoints: {}.",
                gateways.len(),
                owned.join("; ")
            ),
        )
    } else {
        MULTIPLE.pass(vec![], "One S3 gateway endpoint.")
    });
    findings
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let rules = [
        GATEWAY_MISSING,
        TABLE_NOT_ASSOCIATED,
        ROUTE_MISSING,
        ROUTE_SHADOWED,
        IGW_DEFAULT,
        MULTIPLE,
        ROUTING_MODE,
    ];
    if let Some(reason) = ctx.missing(&[Source::RouteTables, Source::VpcEndpoints]) {
        return rules.map(|r| r.unknown(reason.clone())).into();
    }
    let mut findings = vec![routing_mode(ctx)];
    findings.extend(gateway_rules(ctx));
    findings
}
