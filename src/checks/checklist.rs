//! The MWAA private-routing checklist: the ten required endpoints and S3 gateway routing for
//! every workload subnet. Source: `../shared/rules.md` rules 62, 66, 11, 18, 20, 29, 39–42;
//! [000] (Required) VPC endpoints.

use super::cidr::Cidr;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity, Status};
use super::security_groups::{admits_https, https_fix};
use super::states::explain;
use crate::model::{EndpointState, EndpointType, Source, VpcEndpoint};

/// The ten services, in the order of [000] `(Required) VPC endpoints`.
pub const MWAA_SUFFIXES: [&str; 10] = [
    "s3",
    "monitoring",
    "ecr.dkr",
    "ecr.api",
    "logs",
    "sqs",
    "kms",
    "airflow.api",
    "airflow.env",
    "airflow.ops",
];

const ENDPOINT_SOURCE: &str = "rules.md 62, 66 · [000] (Required) VPC endpoints";

const fn endpoint_rule(id: &'static str, title: &'static str) -> Rule {
    Rule {
        id,
        severity: Severity::Error,
        title,
        source: ENDPOINT_SOURCE,
    }
}

/// One checklist rule per required service.
pub const ENDPOINT_RULES: [Rule; 10] = [
    endpoint_rule(
        "mwaa.endpoint.s3",
        "Amazon S3 is reachable through an available gateway endpoint",
    ),
    endpoint_rule(
        "mwaa.endpoint.monitoring",
        "CloudWatch monitoring endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.ecr.dkr",
        "ECR Docker registry endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.ecr.api",
        "ECR API endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.logs",
        "CloudWatch Logs endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.sqs",
        "Amazon SQS endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.kms",
        "AWS KMS endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.airflow.api",
        "Apache Airflow API endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.airflow.env",
        "Apache Airflow environment endpoint is available and usable",
    ),
    endpoint_rule(
        "mwaa.endpoint.airflow.ops",
        "Apache Airflow operations endpoint is available and usable",
    ),
];

/// `mwaa.s3-route.<subnet-id>`: one per workload subnet.
pub const S3_ROUTE: Rule = Rule {
    id: "mwaa.s3-route.<subnet-id>",
    severity: Severity::Error,
    title: "The subnet's route table sends S3 traffic to an available S3 gateway endpoint",
    source: "rules.md 40–42 · [002]/[003] Gateway endpoints › Routing",
};

/// The checklist, in its stable order.
pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings: Vec<Finding> = ENDPOINT_RULES
        .iter()
        .zip(MWAA_SUFFIXES)
        .map(|(rule, suffix)| endpoint_item(ctx, rule, suffix))
        .collect();
    findings.extend(
        ctx.workload
            .subnets
            .iter()
            .map(|s| s3_route_item(ctx, &s.id)),
    );
    findings
}

/// A command creating the endpoint in the workload subnets (one per AZ) with its groups.
fn create_fix(ctx: &Ctx, suffix: &str) -> String {
    let mut seen = Vec::new();
    let subnets: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| {
            let new = !seen.contains(&s.availability_zone);
            seen.push(s.availability_zone.clone());
            new
        })
        .map(|s| s.id.as_str())
        .collect();
    let subnets = if subnets.is_empty() {
        "<subnet-a> <subnet-b>".to_string()
    } else {
        subnets.join(" ")
    };
    let groups = if ctx.workload.security_group_ids.is_empty() {
        "<sg-id>".to_string()
    } else {
        ctx.workload.security_group_ids.join(" ")
    };
    format!(
        "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface --service-name {} --subnet-ids {subnets} --security-group-ids {groups} --private-dns-enabled --region {}",
        ctx.vpc_id(),
        ctx.service_name(suffix),
        ctx.region()
    )
}

fn gateway_create_fix(ctx: &Ctx) -> String {
    let mut tables: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter_map(|s| ctx.effective_route_table(&s.id))
        .map(|t| t.id.as_str())
        .collect();
    tables.sort();
    tables.dedup();
    let tables = if tables.is_empty() {
        "<rtb-id>".to_string()
    } else {
        tables.join(" ")
    };
    format!(
        "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Gateway --service-name {} --route-table-ids {tables} --region {}",
        ctx.vpc_id(),
        ctx.service_name("s3"),
        ctx.region()
    )
}

/// Severity of a missing endpoint: an error with private routing, context with public routing.
fn missing_severity(ctx: &Ctx) -> Severity {
    if ctx.private_routing() {
        Severity::Error
    } else {
        Severity::Info
    }
}

fn missing(ctx: &Ctx, rule: &Rule, suffix: &str, candidates: &[&VpcEndpoint]) -> Finding {
    let service = ctx.service_name(suffix);
    let mut detail = if candidates.is_empty() {
        format!("No endpoint for {service} in {}.", ctx.vpc_id())
    } else {
        let states: Vec<String> = candidates.iter().map(|e| explain(e)).collect();
        format!(
            "No available endpoint for {service}: {}.",
            states.join("; ")
        )
    };
    if !ctx.private_routing() {
        detail.push_str(" The workload routes to the internet (public routing), so MWAA can use the public endpoint.");
    }
    let ids = candidates.iter().map(|e| e.id.clone()).collect();
    let fix = if suffix == "s3" {
        gateway_create_fix(ctx)
    } else {
        create_fix(ctx, suffix)
    };
    rule.violated_at(missing_severity(ctx), ids, detail)
        .fix(fix)
}

fn endpoint_item(ctx: &Ctx, rule: &Rule, suffix: &str) -> Finding {
    if let Some(reason) = ctx.missing(&[Source::VpcEndpoints]) {
        return rule.unknown(reason);
    }
    let candidates: Vec<&VpcEndpoint> = ctx.endpoints_for(suffix).collect();
    let available = |t: EndpointType| {
        candidates
            .iter()
            .copied()
            .find(|e| e.endpoint_type == t && e.state == EndpointState::Available)
    };
    if suffix == "s3" {
        if let Some(gateway) = available(EndpointType::Gateway) {
            let tables = gateway.route_table_ids.join(", ");
            return rule.pass(
                vec![gateway.id.clone()],
                format!(
                    "Gateway endpoint {} is available, associated with {tables}.",
                    gateway.id
                ),
            );
        }
        if let Some(interface) = available(EndpointType::Interface) {
            return rule
                .violated_at(Severity::Warn, vec![interface.id.clone()], format!(
                    "Only an S3 interface endpoint ({}) exists. [000] recommends the gateway type; with an interface endpoint, S3 names resolve to public IPs unless private DNS or a Route 53 private hosted zone for s3.{}.amazonaws.com is set up (rules 14–16).",
                    interface.id, ctx.region()
                ))
                .fix(gateway_create_fix(ctx));
        }
        return missing(ctx, rule, suffix, &candidates);
    }
    let Some(endpoint) = available(EndpointType::Interface) else {
        return missing(ctx, rule, suffix, &candidates);
    };

    let mut problems: Vec<(Severity, String, Option<String>)> = Vec::new();
    if !endpoint.private_dns_enabled {
        problems.push((
            Severity::Error,
            format!(
                "private DNS is off, so {} still resolves to public IPs",
                ctx.public_hostname(suffix)
            ),
            Some(format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --private-dns-enabled",
                endpoint.id
            )),
        ));
    }
    let groups_known = ctx.missing(&[Source::SecurityGroups]).is_none();
    if groups_known && let Err(why) = admits_https(ctx, endpoint) {
        problems.push((Severity::Error, why, Some(https_fix(ctx, endpoint))));
    }
    let azs = ctx.endpoint_azs(endpoint);
    let uncovered: Vec<&str> = ctx
        .workload_azs()
        .into_iter()
        .filter(|az| !azs.contains(az))
        .collect();
    if !uncovered.is_empty() || azs.len() < 2 {
        let add: Vec<&str> = ctx
            .workload
            .subnets
            .iter()
            .filter(|s| uncovered.contains(&s.availability_zone.as_str()))
            .map(|s| s.id.as_str())
            .collect();
        let detail = if uncovered.is_empty() {
            format!(
                "it has subnets in {} availability zone(s) only ({}); use at least two",
                azs.len(),
                azs.join(", ")
            )
        } else {
            format!(
                "it has no network interface in the workload's {}",
                uncovered.join(", ")
            )
        };
        let fix = (!add.is_empty()).then(|| {
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-subnet-ids {}",
                endpoint.id,
                add.join(" ")
            )
        });
        problems.push((Severity::Warn, detail, fix));
    }

    let resources = vec![endpoint.id.clone()];
    let Some(worst) = problems.iter().map(|p| p.0).max() else {
        let groups = if groups_known {
            "; its security groups admit 443 from the workload"
        } else {
            ""
        };
        let finding = rule.pass(
            resources,
            format!(
                "{} is available in {} with private DNS on{groups}.",
                endpoint.id,
                azs.join(", ")
            ),
        );
        return if groups_known {
            finding
        } else {
            Finding {
                status: Status::Unknown,
                ..finding
            }
        };
    };
    let detail = format!(
        "{}: {}.",
        endpoint.id,
        problems
            .iter()
            .map(|p| p.1.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    let fixes: Vec<String> = problems.into_iter().filter_map(|p| p.2).collect();
    let finding = rule.violated_at(worst, resources, detail);
    if fixes.is_empty() {
        finding
    } else {
        finding.fix(fixes.join("\n"))
    }
}

fn s3_route_item(ctx: &Ctx, subnet_id: &str) -> Finding {
    let rule = S3_ROUTE;
    let id = format!("mwaa.s3-route.{subnet_id}");
    let item = |f: Finding| f.with_id(id.clone());
    if let Some(reason) = ctx.missing(&[Source::RouteTables, Source::VpcEndpoints]) {
        return item(rule.unknown(reason));
    }
    let Some(table) = ctx.effective_route_table(subnet_id) else {
        return item(rule.violated(
            vec![subnet_id.into()],
            format!(
                "{subnet_id} has no route table (no explicit association and no main table found)."
            ),
        ));
    };
    let how = if table
        .associations
        .iter()
        .any(|a| a.subnet_id.as_deref() == Some(subnet_id))
    {
        "explicitly associated"
    } else {
        "the VPC's main table, used implicitly"
    };
    let resources = vec![subnet_id.to_string(), table.id.clone()];
    let gateways = ctx.s3_gateways();
    if gateways.is_empty() {
        return item(rule.violated(resources, format!("No available S3 gateway endpoint in {}: S3 traffic from {subnet_id} has no private path.", ctx.vpc_id())).fix(gateway_create_fix(ctx)));
    }
    let Some(gateway) = gateways
        .iter()
        .find(|g| g.route_table_ids.contains(&table.id))
    else {
        return item(
            rule.violated(resources, format!(
                "{subnet_id} uses {} ({how}), which is not associated with S3 gateway endpoint {}: S3 traffic goes to the public endpoint, which private routing cannot reach.",
                table.id, gateways[0].id
            ))
            .fix(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-route-table-ids {}", gateways[0].id, table.id)),
        );
    };
    let list = ctx.s3_prefix_list();
    let route = table.routes.iter().find(|r| {
        r.target.as_deref() == Some(gateway.id.as_str())
            && r.destination_prefix_list_id
                .as_deref()
                .is_some_and(|p| list.is_none_or(|l| l.id == p))
    });
    let reassociate = format!(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --remove-route-table-ids {t} && aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --add-route-table-ids {t}",
        g = gateway.id,
        t = table.id
    );
    let Some(route) = route else {
        let pl = list.map_or("the S3 prefix list", |l| l.id.as_str());
        return item(
            rule.violated(
                resources,
                format!(
                    "{} is associated with {} but has no route {pl} → {}.",
                    table.id, gateway.id, gateway.id
                ),
            )
            .fix(reassociate),
        );
    };
    let pl = route
        .destination_prefix_list_id
        .as_deref()
        .unwrap_or_default();
    if route.state.as_deref() == Some("blackhole") {
        return item(
            rule.violated(
                resources,
                format!(
                    "The route {pl} → {} in {} is a blackhole: S3 traffic is dropped.",
                    gateway.id, table.id
                ),
            )
            .fix(reassociate),
        );
    }
    let s3: Vec<Cidr> = list
        .map(|l| l.cidrs.iter().filter_map(|c| Cidr::parse(c)).collect())
        .unwrap_or_default();
    let shadow = table.routes.iter().find(|r| {
        r.target.as_deref() != Some(gateway.id.as_str())
            && r.destination_cidr
                .as_deref()
                .and_then(Cidr::parse)
                .is_some_and(|c| s3.iter().any(|p| p.contains(c)))
    });
    if let Some(shadow) = shadow {
        let cidr = shadow.destination_cidr.as_deref().unwrap_or_default();
        return item(
            rule.violated(resources, format!(
                "The route {cidr} → {} in {} is more specific than the S3 prefix list route and takes precedence (longest prefix match) for that range.",
                shadow.target.as_deref().unwrap_or("?"),
                table.id
            ))
            .fix(format!("aws ec2 delete-route --route-table-id {} --destination-cidr-block {cidr}", table.id)),
        );
    }
    item(rule.pass(
        resources,
        format!(
            "{subnet_id} uses {} ({how}) with the route {pl} → {}.",
            table.id, gateway.id
        ),
    ))
}
