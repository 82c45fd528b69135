//! The MWAA private-routing checklist (*Creating the required VPC service endpoints in an Amazon
//! VPC with private routing › (Required) VPC endpoints*; each row also reads the pages of the
//! rules it rests on): the ten required endpoints, the environment's own endpoints
//! ([`customer_endpoints`]), then S3 gateway routing for every workload subnet.

use crate::checks::context::{Ctx, MWAA_SUFFIXES};
use crate::checks::dns::names::{NamePath, Outcome};
use crate::checks::dns::records::{alias_records, alias_target};
use crate::checks::docs::{GATEWAY_ENDPOINTS, MWAA_ENDPOINTS, cite};
use crate::checks::endpoints::security_groups::{admits_https, https_fix};
use crate::checks::endpoints::states::explain;
use crate::checks::finding::{ChecklistItem, Finding, Severity, Status, Subject};
use crate::checks::fixes::{create_interface_fix, enable_fix, gateway_create_fix};
use crate::checks::mwaa::customer_endpoints;
use crate::checks::mwaa::wrong_place::{in_other_vpcs, other_vpcs_text};
use crate::checks::network::path::Step;
use crate::checks::network::s3_path::{
    S3Path, TableRoute, associate_fix, delete_route_fix, reassociate_fix,
};
use crate::checks::network::shared_vpc::out_of_sight;
use crate::checks::rule::{Family, Rule};
use crate::checks::shell::commented;
use crate::model::{EndpointState, EndpointType, Hop, Source, VpcEndpoint};

const ENDPOINT_DOCS: &[crate::checks::docs::Cite] =
    &[cite(MWAA_ENDPOINTS, "(Required) VPC endpoints")];

const fn endpoint_rule(id: &'static str, title: &'static str) -> Rule {
    Rule {
        id,
        severity: Severity::Error,
        title,
        docs: ENDPOINT_DOCS,
        needs: &[Source::VpcEndpoints],
        reads: &[
            Source::SecurityGroups,
            Source::Subnets,
            Source::VpcAttributes,
            Source::DhcpOptions,
            Source::EndpointServices,
            Source::ResolverRules,
            Source::HostedZones,
            Source::RecordSets,
            Source::HubEndpoints,
        ],
    }
}

/// One checklist rule per required service, in the order of [`MWAA_SUFFIXES`].
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

/// `mwaa.s3-route.<subnet-id>`: one row per workload subnet (*Gateway endpoints › Routing*).
pub const S3_ROUTE: Rule = Rule {
    id: "mwaa.s3-route.<subnet-id>",
    severity: Severity::Error,
    title: "The subnet's route table sends S3 traffic to an available S3 gateway endpoint",
    docs: &[cite(GATEWAY_ENDPOINTS, "Routing")],
    needs: &[Source::RouteTables, Source::VpcEndpoints],
    reads: &[Source::PrefixLists],
};

/// The checklist, in its stable order.
pub const FAMILY: Family = Family {
    name: "MWAA checklist",
    rules: &[
        ENDPOINT_RULES[0],
        ENDPOINT_RULES[1],
        ENDPOINT_RULES[2],
        ENDPOINT_RULES[3],
        ENDPOINT_RULES[4],
        ENDPOINT_RULES[5],
        ENDPOINT_RULES[6],
        ENDPOINT_RULES[7],
        ENDPOINT_RULES[8],
        ENDPOINT_RULES[9],
        customer_endpoints::DATABASE,
        customer_endpoints::WEBSERVER,
        S3_ROUTE,
    ],
    run,
};

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings: Vec<Finding> = ENDPOINT_RULES
        .iter()
        .zip(MWAA_SUFFIXES)
        .map(|(rule, suffix)| {
            endpoint_item(ctx, rule, suffix).row(rule.id, ChecklistItem::Endpoint(suffix.into()))
        })
        .collect();
    findings.extend(customer_endpoints::rows(ctx));
    findings.extend(ctx.workload.subnets.iter().map(|s| {
        s3_route_item(ctx, &s.id).row(
            format!("mwaa.s3-route.{}", s.id),
            ChecklistItem::S3Route(s.id.clone()),
        )
    }));
    findings
}

/// A command creating the interface endpoint of a required service in the workload subnets
/// with the workload groups.
fn create_fix(ctx: &Ctx, suffix: &str) -> String {
    create_interface_fix(ctx, &ctx.service_name(suffix), " --private-dns-enabled")
}

/// No available endpoint: an error with private routing, context with public routing;
/// `unknown` in a VPC shared with the caller, whose owner's endpoints it cannot see.
fn missing(ctx: &Ctx, rule: &Rule, suffix: &str, candidates: &[&VpcEndpoint]) -> Finding {
    let service = ctx.service_name(suffix);
    let gone = candidates.iter().all(|e| e.state == EndpointState::Deleted);
    if gone && let Some(owner) = ctx.shared_owner() {
        return rule.unknown(
            Subject::service(&service),
            format!(
                "No endpoint for {service} is visible in {}: {}",
                ctx.vpc_id(),
                out_of_sight(owner)
            ),
        );
    }
    let found = in_other_vpcs(ctx, &service);
    let mut detail = if candidates.is_empty() {
        format!("No endpoint for {service} in {}.", ctx.vpc_id())
    } else {
        let states: Vec<String> = candidates.iter().map(|e| explain(ctx, e)).collect();
        format!(
            "No available endpoint for {service}: {}.",
            states.join("; ")
        )
    };
    let severity = if ctx.private_routing() {
        Severity::Error
    } else {
        detail.push_str(" The workload routes to the internet (public routing), so MWAA can use the public endpoint.");
        Severity::Info
    };
    let mut fix = if suffix == "s3" {
        gateway_create_fix(ctx)
    } else {
        create_fix(ctx, suffix)
    };
    let mut zones = Vec::new();
    // A zone that answers the name wrongly (no record, or a record that leads to no
    // endpoint of the service): its reason joins the row's. The endpoint's own zone is more
    // specific than the customer's, so creating it is enough; a centralised endpoint needs
    // the record instead.
    if let Some(path) = ctx.name_path(&service)
        && path.status.is_problem()
        && matches!(
            path.outcome,
            Outcome::Nxdomain { .. } | Outcome::Unverifiable
        )
        && let Some(zone_id) = path.path.hops.iter().find_map(|h| match h {
            Hop::PrivateZone { zone_id, .. } => Some(zone_id),
            _ => None,
        })
    {
        detail.push(' ');
        detail.push_str(&path.explanation);
        let target = alias_target(
            &service,
            found.iter().copied().chain(&ctx.snap.dns.hub_endpoints),
        );
        let record = alias_records(zone_id, &[(&path.scoped.published, target)]);
        fix = match ctx.zone_holding(&service) {
            // AWS refuses private DNS on a new endpoint while a zone associated with the VPC
            // holds its name: the record comes first, a local endpoint once the zone is gone.
            Some(zone) => format!(
                "{record}\n# or, for an endpoint in this VPC, first take {} away (AWS refuses private DNS on a name a zone associated with the VPC holds):\n# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {} --vpc VPCRegion={},VPCId={}\n{}",
                zone.id,
                zone.id,
                ctx.region(),
                ctx.vpc_id(),
                commented(&fix)
            ),
            None => format!(
                "{fix}\n# or, if another VPC's endpoint serves the name, point its alias record in {zone_id} at that endpoint:\n{}",
                commented(&record)
            ),
        };
        zones.push(zone_id.clone());
    }
    if let Some(text) = other_vpcs_text(ctx, &found) {
        detail.push(' ');
        detail.push_str(&text);
    }
    rule.violated_at(severity, Subject::service(service), detail)
        .involving(candidates.iter().map(|e| e.id.clone()))
        .involving(found.iter().map(|e| e.id.clone()))
        .involving(zones)
        .fix(fix)
}

fn endpoint_item(ctx: &Ctx, rule: &Rule, suffix: &str) -> Finding {
    let candidates: Vec<&VpcEndpoint> = ctx.endpoints_for(suffix).collect();
    let available = |t: EndpointType| {
        candidates
            .iter()
            .copied()
            .find(|e| e.endpoint_type == t && e.state == EndpointState::Available)
    };
    if suffix == "s3" {
        return s3_item(
            ctx,
            rule,
            &candidates,
            available(EndpointType::Gateway),
            available(EndpointType::Interface),
        );
    }
    match available(EndpointType::Interface) {
        Some(endpoint) => interface_item(ctx, rule, suffix, endpoint),
        None => {
            elsewhere(ctx, rule, suffix).unwrap_or_else(|| missing(ctx, rule, suffix, &candidates))
        }
    }
}

/// A required service without an endpoint in the VPC may still be served from elsewhere: a
/// private zone pointing at a centralised endpoint (pass), or resolvers linkscope cannot see
/// (unknown). Never a failure on that account; `None` when DNS says there is no such path.
fn elsewhere(ctx: &Ctx, rule: &Rule, suffix: &str) -> Option<Finding> {
    let path = ctx.name_path(&ctx.service_name(suffix))?;
    let subject = Subject::service(ctx.service_name(suffix));
    let row = rule.pass(subject.clone(), path.explanation.clone());
    match &path.outcome {
        Outcome::Hub {
            zone_id,
            endpoint_id,
            ..
        } => Some(hub_row(rule, subject, path, [endpoint_id, zone_id])),
        Outcome::Forwarded { rule_id } => {
            Some(row.involving([rule_id]).unknown(path.explanation.clone()))
        }
        Outcome::CustomDns | Outcome::Unverifiable | Outcome::Unknown
            if path.status == Status::Unknown =>
        {
            let why = format!(
                "No endpoint for {} in {}; whether the name is served from elsewhere is unknown: {}",
                ctx.service_name(suffix),
                ctx.vpc_id(),
                path.explanation
            );
            Some(row.unknown(why))
        }
        _ => None,
    }
}

/// A centralised endpoint's row: DNS leads there, and the way there and back decides.
fn hub_row(rule: &Rule, subject: Subject, path: &NamePath, ids: [&String; 2]) -> Finding {
    let Some(reach) = &path.reach else {
        return rule
            .pass(subject, String::new())
            .involving(ids)
            .unknown(format!(
                "{} Whether traffic gets there is unknown: its network interfaces were not read.",
                path.explanation
            ));
    };
    let summary = reach.summary();
    let hop = reach.blocking().map(|(_, hop)| hop);
    let resources = hop.map(|h| h.resource.clone());
    match reach.status {
        Status::Fail => rule
            .violated(
                subject,
                format!(
                    "{} But traffic does not get there. {summary}",
                    path.explanation
                ),
            )
            .involving(ids)
            .involving(resources)
            .fix_if(hop.and_then(|h| h.fix.clone())),
        Status::Pass => rule
            .pass(subject, format!("{} {summary}", path.explanation))
            .involving(ids),
        _ => rule
            .pass(subject, String::new())
            .involving(ids)
            .involving(resources)
            .unknown(format!(
                "{} Whether traffic gets there is unknown. {summary}",
                path.explanation
            )),
    }
}

/// What the way to an available endpoint of the VPC adds to its row, beyond its security
/// groups (judged with the row's other problems): a route or network ACL that drops 443, or
/// the reason the way cannot be judged.
fn way_problem(ctx: &Ctx, endpoint: &VpcEndpoint) -> Result<Option<Problem>, String> {
    let Some(reach) = ctx
        .name_path(&endpoint.service_name)
        .and_then(|n| n.reach.as_ref())
    else {
        return Ok(None);
    };
    let Some((leg, hop)) = reach
        .legs
        .iter()
        .find_map(|leg| {
            leg.hops
                .iter()
                .find(|h| h.status == Status::Fail && h.step != Step::SecurityGroup)
                .map(|h| (leg, h))
        })
        .or_else(|| {
            reach.legs.iter().find_map(|leg| {
                leg.hops
                    .iter()
                    .find(|h| h.status == Status::Unknown && h.step != Step::SecurityGroup)
                    .map(|h| (leg, h))
            })
        })
    else {
        return Ok(None);
    };
    let text = format!("from {} to {}: {}", leg.subnet_id, leg.address, hop.text);
    match hop.status {
        Status::Fail => Ok(Some(Problem {
            severity: Severity::Error,
            text,
            fix: hop.fix.clone(),
            resources: vec![hop.resource.clone()],
        })),
        _ => Err(text),
    }
}

/// What the DNS path adds to an available endpoint's row: a problem when the name does not
/// lead to the endpoint, or the reason the row cannot be judged.
fn dns_problem(ctx: &Ctx, endpoint: &VpcEndpoint) -> Result<Option<Problem>, String> {
    let Some(path) = ctx.name_path(&endpoint.service_name) else {
        return Ok(None);
    };
    let resources = path
        .path
        .hops
        .iter()
        .filter_map(|h| match h {
            Hop::PrivateZone { zone_id, .. } => Some(zone_id.clone()),
            Hop::ResolverRule { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    match (&path.outcome, path.status) {
        // The private DNS problem is its own; nothing to add.
        (Outcome::PrivateDnsOff, _) | (_, Status::Pass | Status::Info) => Ok(None),
        (_, Status::Unknown) => Err(path.explanation.clone()),
        (_, status) => Ok(Some(Problem {
            severity: status.severity(),
            text: path.explanation.trim_end_matches('.').to_string(),
            fix: path.outcome.remedy(ctx),
            resources,
        })),
    }
}

/// S3 wants the gateway type; an interface endpoint alone resolves to public IPs unless DNS is
/// arranged for it (*Creating the required VPC service endpoints in an Amazon VPC with private
/// routing › (Optional) Enable private IP addresses for your Amazon S3 VPC interface endpoint*;
/// *AWS PrivateLink for Amazon S3 › Private DNS*).
fn s3_item(
    ctx: &Ctx,
    rule: &Rule,
    candidates: &[&VpcEndpoint],
    gateway: Option<&VpcEndpoint>,
    interface: Option<&VpcEndpoint>,
) -> Finding {
    let subject = Subject::service(ctx.service_name("s3"));
    if let Some(gateway) = gateway {
        return rule
            .pass(
                subject,
                format!(
                    "Gateway endpoint {} is available, associated with {}.",
                    gateway.id,
                    gateway.route_table_ids.join(", ")
                ),
            )
            .involving([gateway.id.clone()]);
    }
    if let Some(interface) = ctx.s3_interface() {
        return rule
            .violated_at(Severity::Warn, subject, format!(
                "Only an S3 interface endpoint ({}) carries S3 traffic: the S3 names resolve to it. The MWAA guide recommends the gateway type.",
                interface.id
            ))
            .involving([interface.id.clone()])
            .fix(gateway_create_fix(ctx));
    }
    if let Some(interface) = interface {
        let name = ctx.name_path(&ctx.service_name("s3"));
        return rule
            .violated(subject, format!(
                "Only an S3 interface endpoint ({}) exists, and the S3 names do not resolve to it (no private DNS, and no private hosted zone for s3.{}.amazonaws.com points at it): they resolve to public addresses that no route carries. {}",
                interface.id, ctx.region(), name.map_or("", |n| n.explanation.as_str())
            ).trim_end().to_string())
            .involving([interface.id.clone()])
            .fix(gateway_create_fix(ctx));
    }
    missing(ctx, rule, "s3", candidates)
}

/// One reason an available interface endpoint is not usable, with its fix.
struct Problem {
    severity: Severity,
    text: String,
    fix: Option<String>,
    resources: Vec<String>,
}

/// Everything that keeps an available interface endpoint from serving the workload: private
/// DNS (rule 11), 443 from the workload (rule 29), zones (rules 18 and 20).
fn problems(ctx: &Ctx, suffix: &str, endpoint: &VpcEndpoint, groups_known: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !endpoint.private_dns_enabled {
        problems.push(Problem {
            severity: Severity::Error,
            text: format!(
                "private DNS is off, so {} still resolves to public IPs",
                ctx.public_hostname(suffix)
            ),
            fix: Some(enable_fix(ctx, endpoint)),
            resources: vec![],
        });
    }
    let admission = admits_https(ctx, endpoint);
    if groups_known && !admission.admitted {
        problems.push(Problem {
            severity: Severity::Error,
            text: admission.text,
            fix: Some(https_fix(ctx, endpoint)),
            resources: admission.groups,
        });
    }
    problems.extend(zone_problem(ctx, endpoint));
    problems
}

/// Rules 18 and 20 for one endpoint: a zone of the workload without an interface, or fewer
/// than two zones.
fn zone_problem(ctx: &Ctx, endpoint: &VpcEndpoint) -> Option<Problem> {
    let azs = ctx.endpoint_azs(endpoint);
    let uncovered: Vec<&str> = ctx
        .workload_azs()
        .into_iter()
        .filter(|az| !azs.contains(az))
        .collect();
    if uncovered.is_empty() && azs.len() >= 2 {
        return None;
    }
    let add: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| uncovered.contains(&s.availability_zone.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    let text = if uncovered.is_empty() {
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
    Some(Problem {
        severity: Severity::Warn,
        text,
        fix,
        resources: add.iter().map(|s| s.to_string()).collect(),
    })
}

fn interface_item(ctx: &Ctx, rule: &Rule, suffix: &str, endpoint: &VpcEndpoint) -> Finding {
    let subject = Subject::service(ctx.service_name(suffix));
    let groups_known = ctx.missing(&[Source::SecurityGroups]).is_none();
    let mut problems = problems(ctx, suffix, endpoint, groups_known);
    let dns_unknown = match dns_problem(ctx, endpoint) {
        Ok(problem) => {
            problems.extend(problem);
            None
        }
        Err(reason) => Some(reason),
    };
    let way_unknown = match way_problem(ctx, endpoint) {
        Ok(problem) => {
            problems.extend(problem);
            None
        }
        Err(reason) => Some(reason),
    };
    let Some(worst) = problems.iter().map(|p| p.severity).max() else {
        let azs = ctx.endpoint_azs(endpoint).join(", ");
        if let Some(reason) = dns_unknown {
            return rule
                .pass(subject, String::new())
                .involving([endpoint.id.clone()])
                .unknown(format!(
                    "{} is available in {azs} with private DNS on, but where its name leads is unknown: {reason}",
                    endpoint.id
                ));
        }
        if let Some(reason) = way_unknown {
            return rule
                .pass(subject, String::new())
                .involving([endpoint.id.clone()])
                .unknown(format!(
                    "{} is available in {azs} with private DNS on, but whether TCP 443 gets there is unknown: {reason}.",
                    endpoint.id
                ));
        }
        return match ctx.missing(&[Source::SecurityGroups]) {
            None => rule
                .pass(
                    subject,
                    format!(
                        "{} is available in {azs} with private DNS on; its security groups admit 443 from the workload.",
                        endpoint.id
                    ),
                )
                .involving([endpoint.id.clone()])
                .involving(admits_https(ctx, endpoint).groups),
            Some(reason) => rule
                .pass(subject, String::new())
                .involving([endpoint.id.clone()])
                .unknown(format!(
                    "{} is available in {azs} with private DNS on; whether its security groups admit 443 is unknown. {reason}",
                    endpoint.id
                )),
        };
    };
    let detail = format!(
        "{}: {}.",
        endpoint.id,
        problems
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    let fixes: Vec<String> = problems.iter().filter_map(|p| p.fix.clone()).collect();
    let finding = rule
        .violated_at(worst, subject, detail)
        .involving([endpoint.id.clone()])
        .involving(problems.into_iter().flat_map(|p| p.resources));
    if fixes.is_empty() {
        finding
    } else {
        finding.fix(fixes.join("\n"))
    }
}

/// The row of one workload subnet, read from the one S3 path judgement.
fn s3_route_item(ctx: &Ctx, subnet_id: &str) -> Finding {
    let rule = S3_ROUTE;
    let subject = Subject::subnet(subnet_id);
    let (table, gateway, route) = match ctx.s3_path(subnet_id) {
        S3Path::NoRouteTable => {
            return rule.violated(
                subject,
                format!("{subnet_id} has no route table (no explicit association and no main table found)."),
            );
        }
        S3Path::NoGateway(table) => {
            let path = match ctx.s3_interface() {
                Some(interface) => format!(
                    "only the interface endpoint {} carries S3 traffic, through DNS rather than routes",
                    interface.id
                ),
                None => "S3 traffic from the subnet has no private path".to_string(),
            };
            return rule
                .violated_at(
                    ctx.no_gateway_severity(),
                    subject,
                    format!(
                        "No available S3 gateway endpoint in {} for {subnet_id}: {path}.",
                        ctx.vpc_id()
                    ),
                )
                .involving([&table.id])
                .fix(gateway_create_fix(ctx));
        }
        S3Path::NotAssociated(table, gateway) => {
            return rule
                .violated(subject, format!(
                    "{subnet_id} uses {} ({}), which is not associated with S3 gateway endpoint {}: S3 traffic goes to the public endpoint, which private routing cannot reach.",
                    table.id, ctx.association_text(subnet_id, table), gateway.id
                ))
                .involving([&table.id, &gateway.id])
                .fix(associate_fix(gateway, table));
        }
        S3Path::Associated {
            table,
            gateway,
            route,
        } => (table, gateway, route),
    };
    let resources = [table.id.clone(), gateway.id.clone()];
    let pl = ctx
        .s3_prefix_list()
        .map_or("the S3 prefix list", |l| l.id.as_str());
    match route {
        TableRoute::Missing => rule
            .violated(subject, format!("{} is associated with {} but has no route {pl} → {}.", table.id, gateway.id, gateway.id))
            .involving(resources)
            .fix(reassociate_fix(gateway, table)),
        TableRoute::Blackhole(_) => rule
            .violated(subject, format!("The route {pl} → {} in {} is a blackhole: S3 traffic is dropped.", gateway.id, table.id))
            .involving(resources)
            .fix(reassociate_fix(gateway, table)),
        TableRoute::Shadowed { by, .. } => rule
            .violated_at(Severity::Warn, subject, format!(
                "The route {} → {} in {} is more specific than the S3 prefix list route and takes precedence (longest prefix match) for that range.",
                by.destination_cidr.as_deref().unwrap_or_default(),
                by.target.as_deref().unwrap_or("?"),
                table.id
            ))
            .involving(resources)
            .fix(delete_route_fix(table, by)),
        TableRoute::Routed(route) => {
            let detail = format!(
                "{subnet_id} uses {} ({}) with the route {} → {}.",
                table.id,
                ctx.association_text(subnet_id, table),
                route.destination_prefix_list_id.as_deref().unwrap_or_default(),
                gateway.id
            );
            let finding = rule.pass(subject, detail).involving(resources);
            // Without the prefix list's ranges, a more specific route cannot be ruled out.
            match ctx.missing(&[Source::PrefixLists]) {
                Some(reason) => finding.unknown(format!(
                    "{subnet_id} routes S3 to {}; whether a more specific route overrides it is unknown. {reason}",
                    gateway.id
                )),
                None => finding,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{ChecklistItem, Status, SubjectKind};
    use crate::model::*;

    #[test]
    fn a_missing_endpoint_fails_with_the_exact_create_command() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "mwaa.endpoint.airflow.ops");
        snap.without("airflow.ops");
        let f = only(&snap, "mwaa.endpoint.airflow.ops");
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.subject.kind, SubjectKind::Service);
        assert_eq!(
            f.checklist,
            Some(ChecklistItem::Endpoint("airflow.ops".into()))
        );
        let (a, b) = (snap.workload_subnet(0), snap.workload_subnet(1));
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.airflow.ops --subnet-ids {a} {b} --security-group-ids {} --private-dns-enabled --region us-east-1 --profile data-platform-prod",
                snap.vpc.id,
                snap.env_sg()
            )
        );

        // Under public routing a missing endpoint is context, not a failure.
        let nat = "nat-0a1b2c3d4e5f60789";
        for table in &mut snap.route_tables {
            table.routes.push(route("0.0.0.0/0", nat));
        }
        assert_eq!(
            only(&snap, "mwaa.endpoint.airflow.ops").status,
            Status::Info
        );
    }

    #[test]
    fn a_zone_holding_the_name_puts_its_record_before_a_local_endpoint() {
        // The spoke's kms zone holds no record: AWS would refuse private DNS on a new local
        // endpoint while that zone is associated, so the record is the first fix.
        let spoke = Fixture::spoke();
        let zone = spoke
            .dns
            .hosted_zones
            .iter()
            .find(|z| z.name.starts_with("kms."))
            .unwrap()
            .id
            .clone();
        let fix = only(&spoke, "mwaa.endpoint.kms").remediation.unwrap();
        let first = fix.lines().find(|l| !l.starts_with('#')).unwrap();
        assert!(
            first.starts_with(&format!(
                "aws route53 change-resource-record-sets --hosted-zone-id {zone}"
            )),
            "{fix}"
        );
        assert!(
            fix.contains(&format!(
                "# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {zone}"
            )),
            "{fix}"
        );
        assert!(
            fix.contains("# aws ec2 create-vpc-endpoint"),
            "the local endpoint is only the commented alternative: {fix}"
        );
    }

    #[test]
    fn a_missing_s3_gateway_gets_the_gateway_command_on_the_workload_tables() {
        let mut snap = Fixture::healthy();
        snap.without("s3");
        let f = only(&snap, "mwaa.endpoint.s3");
        assert_eq!(f.status, Status::Fail);
        let table = snap.private_table_id();
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3 --route-table-ids {} --region us-east-1 --profile data-platform-prod",
                snap.vpc.id, table
            )
        );
    }

    #[test]
    fn only_available_endpoints_count_and_the_state_is_explained() {
        for (state, words) in [
            (EndpointState::PendingAcceptance, "pending acceptance"),
            (EndpointState::Pending, "being provisioned"),
            (EndpointState::Rejected, "rejected"),
            (EndpointState::Expired, "expired"),
            (EndpointState::Failed, "could not be made available"),
            (EndpointState::Deleting, "being deleted"),
            (EndpointState::Deleted, "is deleted"),
            (EndpointState::Partial, "partially available"),
        ] {
            let mut snap = Fixture::healthy();
            snap.endpoint("sqs").state = state.clone();
            let sqs = snap.id_of("sqs");
            let f = only(&snap, "mwaa.endpoint.sqs");
            assert_eq!(f.status, Status::Fail, "{state}");
            assert!(f.detail.contains(words), "{state}: {}", f.detail);
            assert!(f.involves(&sqs));
        }
    }

    #[test]
    fn an_interface_endpoint_needs_private_dns_https_and_zones() {
        let mut snap = Fixture::healthy();
        snap.endpoint("logs").private_dns_enabled = false;
        let f = only(&snap, "mwaa.endpoint.logs");
        assert_eq!(f.status, Status::Fail);
        let logs = snap.id_of("logs");
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {logs} --private-dns-enabled --region us-east-1 --profile data-platform-prod"
            )
        );

        let mut snap = Fixture::healthy();
        let env_sg = snap.env_sg();
        snap.group(&env_sg).ingress.clear();
        let f = only(&snap, "mwaa.endpoint.kms");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.involves(&env_sg),
            "the group is a resource of the verdict"
        );
        assert!(
            f.remediation
                .unwrap()
                .contains("authorize-security-group-ingress")
        );

        let mut snap = Fixture::healthy();
        let second = snap.workload_subnet(1);
        snap.endpoint("sqs").subnet_ids.retain(|s| *s != second);
        let f = only(&snap, "mwaa.endpoint.sqs");
        assert_eq!(f.status, Status::Warn);
        assert!(f.involves(&second));
        assert!(
            f.remediation
                .unwrap()
                .contains(&format!("--add-subnet-ids {second} --region us-east-1"))
        );
    }

    #[test]
    fn unknown_groups_make_a_good_endpoint_unknown_not_pass() {
        let mut snap = Fixture::healthy();
        snap.security_groups.clear();
        snap.fail(Source::SecurityGroups);
        let f = only(&snap, "mwaa.endpoint.sqs");
        assert_eq!(f.status, Status::Unknown);
        assert!(
            f.detail.contains("ec2:DescribeSecurityGroups"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn s3_wants_a_gateway_endpoint() {
        // An S3 interface endpoint that the S3 names do not resolve to carries nothing.
        let mut snap = Fixture::healthy();
        snap.endpoint("s3").endpoint_type = EndpointType::Interface;
        let f = only(&snap, "mwaa.endpoint.s3");
        assert_eq!(f.status, Status::Fail);
        assert!(f.detail.contains("do not resolve to it"), "{}", f.detail);
        // One they resolve to (private DNS on) carries S3: the guide still wants a gateway.
        let resolved = resolved_s3_interface();
        assert_eq!(only(&resolved, "mwaa.endpoint.s3").status, Status::Warn);
        snap.without("s3");
        assert_eq!(only(&snap, "mwaa.endpoint.s3").status, Status::Fail);
    }

    /// The healthy demo with its S3 gateway replaced by an S3 interface endpoint with private
    /// DNS on, so that the S3 names resolve to its interfaces.
    fn resolved_s3_interface() -> Fixture {
        let mut snap = Fixture::healthy();
        snap.without("s3");
        let mut interface = snap.endpoint("kms").clone();
        interface.id = "vpce-0555555555555555a".into();
        interface.service_name = "com.amazonaws.us-east-1.s3".into();
        snap.endpoints.push(interface);
        snap
    }

    #[test]
    fn the_s3_route_row_of_a_subnet_tells_each_failure_apart() {
        let snap = Fixture::healthy();
        let subnet = snap.workload_subnet(0);
        let id = format!("mwaa.s3-route.{subnet}");
        assert_pass(&snap, &id);
        let gateway = snap.id_of("s3");
        let table = snap.private_table_id();

        let mut unassociated = snap.clone();
        unassociated
            .endpoint("s3")
            .route_table_ids
            .retain(|t| *t != table);
        let f = assert_flags(&unassociated, &id, Status::Fail, &subnet);
        assert!(f.detail.contains("not associated"));
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {gateway} --add-route-table-ids {table} --region us-east-1 --profile data-platform-prod"
            )
        );

        let mut no_route = snap.clone();
        no_route
            .table(&table)
            .routes
            .retain(|r| r.target.as_deref() != Some(gateway.as_str()));
        let f = assert_flags(&no_route, &id, Status::Fail, &subnet);
        assert!(f.detail.contains("has no route"));

        let mut blackhole = snap.clone();
        for r in &mut blackhole.table(&table).routes {
            if r.target.as_deref() == Some(gateway.as_str()) {
                r.state = Some(RouteState::Blackhole);
            }
        }
        assert!(
            assert_flags(&blackhole, &id, Status::Fail, &subnet)
                .detail
                .contains("blackhole")
        );

        let mut shadowed = snap.clone();
        shadowed
            .table(&table)
            .routes
            .push(route("52.216.4.0/24", "tgw-0a1b2c3d4e5f60789"));
        let f = assert_flags(&shadowed, &id, Status::Warn, &subnet);
        assert!(f.detail.contains("more specific"));
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 delete-route --route-table-id {table} --destination-cidr-block 52.216.4.0/24 --region us-east-1 --profile data-platform-prod"
            )
        );

        // Without an explicit association the main table applies.
        let mut implicit = snap.clone();
        for t in &mut implicit.route_tables {
            t.associations
                .retain(|a| a.subnet_id.as_deref() != Some(subnet.as_str()));
        }
        let f = only(&implicit, &id);
        assert_eq!(f.status, Status::Pass);
        assert!(f.detail.contains("main table"), "{}", f.detail);
        implicit
            .endpoint("s3")
            .route_table_ids
            .retain(|t| *t == table);
        assert_flags(&implicit, &id, Status::Fail, &subnet);

        // With only an interface endpoint for S3 that the S3 names resolve to, the row warns
        // like s3-gateway-missing; with one they do not resolve to, it fails like the S3 name.
        assert_flags(&resolved_s3_interface(), &id, Status::Warn, &subnet);
        let mut interface_only = snap;
        interface_only.endpoint("s3").endpoint_type = EndpointType::Interface;
        assert_flags(&interface_only, &id, Status::Fail, &subnet);
        let name = interface_only.clone();
        let audit = crate::checks::audit(&name);
        let s3 = audit
            .names
            .iter()
            .find(|n| n.service_name == "com.amazonaws.us-east-1.s3")
            .unwrap();
        assert_eq!(s3.status, Status::Fail, "the S3 name and the row agree");
    }

    #[test]
    fn unknown_prefix_lists_make_a_routed_subnet_unknown() {
        let mut snap = Fixture::healthy();
        let subnet = snap.workload_subnet(0);
        snap.prefix_lists.clear();
        snap.fail(Source::PrefixLists);
        let f = only(&snap, &format!("mwaa.s3-route.{subnet}"));
        assert_eq!(f.status, Status::Unknown);
        assert!(f.detail.contains("more specific route"), "{}", f.detail);
    }
}
