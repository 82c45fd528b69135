//! S3 gateway endpoint routing (*Gateway endpoints › Routing*) and the routing mode (*About
//! networking on Amazon MWAA › Terms*), judged from the one S3 path of [`super::s3_path`].

use super::s3_path::{S3Path, TableRoute, associate_fix, delete_route_fix, reassociate_fix};
use crate::checks::context::Ctx;
use crate::checks::docs::{GATEWAY_ENDPOINTS, MWAA_ENDPOINTS, MWAA_NETWORKING, S3_GATEWAY, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::fixes::gateway_create_fix;
use crate::checks::rule::{Family, Rule};
use crate::model::{RouteTable, Source, TargetKind, VpcEndpoint};

const ROUTES: &[Source] = &[Source::RouteTables, Source::VpcEndpoints];

/// Private or public routing (*About networking on Amazon MWAA › Terms*; *Creating the required VPC
/// service endpoints in an Amazon VPC with private routing › Private network and private routing*).
pub const ROUTING_MODE: Rule = Rule {
    id: "mwaa-routing-mode",
    severity: Severity::Info,
    title: "Routing mode of the workload (private routing requires the endpoints)",
    docs: &[
        cite(MWAA_NETWORKING, "Terms"),
        cite(MWAA_ENDPOINTS, "Private network and private routing"),
    ],
    needs: &[Source::RouteTables],
    reads: &[],
};
/// No available S3 gateway endpoint (*Creating the required VPC service endpoints in an Amazon VPC
/// with private routing › (Required) VPC endpoints: Amazon S3*).
pub const GATEWAY_MISSING: Rule = Rule {
    id: "s3-gateway-missing",
    severity: Severity::Error,
    title: "The VPC has an available S3 gateway endpoint",
    docs: &[cite(MWAA_ENDPOINTS, "(Required) VPC endpoints: Amazon S3")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};
/// A workload subnet's route table not associated with the gateway (*Gateway endpoints ›
/// Routing*).
pub const TABLE_NOT_ASSOCIATED: Rule = Rule {
    id: "s3-gateway-rt-not-associated",
    severity: Severity::Error,
    title: "Every workload subnet's route table is associated with the S3 gateway endpoint",
    docs: &[cite(GATEWAY_ENDPOINTS, "Routing")],
    needs: ROUTES,
    reads: &[],
};
/// An associated table without the active prefix-list route (*Gateway endpoints › Routing*).
pub const ROUTE_MISSING: Rule = Rule {
    id: "s3-gateway-route-missing",
    severity: Severity::Error,
    title: "Route tables of the S3 gateway endpoint hold an active prefix-list route to it",
    docs: &[cite(GATEWAY_ENDPOINTS, "Routing")],
    needs: ROUTES,
    reads: &[],
};
/// A more specific route that takes part of S3 elsewhere (*Gateway endpoints › Routing: longest
/// prefix match*).
pub const ROUTE_SHADOWED: Rule = Rule {
    id: "s3-gateway-route-shadowed",
    severity: Severity::Warn,
    title: "No more specific route overrides the S3 prefix-list route",
    docs: &[cite(GATEWAY_ENDPOINTS, "Routing: longest prefix match")],
    needs: &[
        Source::RouteTables,
        Source::VpcEndpoints,
        Source::PrefixLists,
    ],
    reads: &[],
};
/// The S3 route beside an internet default route (*Gateway endpoints › Routing*).
pub const IGW_DEFAULT: Rule = Rule {
    id: "s3-gateway-vs-igw-default",
    severity: Severity::Info,
    title: "S3 gateway route and internet default route side by side",
    docs: &[cite(GATEWAY_ENDPOINTS, "Routing")],
    needs: ROUTES,
    reads: &[],
};
/// More than one S3 gateway endpoint (*Gateway endpoints for Amazon S3 › Considerations*).
pub const MULTIPLE: Rule = Rule {
    id: "s3-gateway-multiple",
    severity: Severity::Info,
    title: "One S3 gateway endpoint per VPC",
    docs: &[cite(S3_GATEWAY, "Considerations")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};

/// S3 gateway routing and the routing mode.
pub const FAMILY: Family = Family {
    name: "S3 gateway routing",
    rules: &[
        ROUTING_MODE,
        GATEWAY_MISSING,
        TABLE_NOT_ASSOCIATED,
        ROUTE_MISSING,
        ROUTE_SHADOWED,
        IGW_DEFAULT,
        MULTIPLE,
    ],
    run,
};

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = vec![routing_mode(ctx)];
    let gateways = ctx.s3_gateways();
    findings.push(gateway_missing(ctx, &gateways));
    if gateways.is_empty() {
        return findings;
    }
    let tables = gateway_tables(ctx, &gateways);
    findings.extend(not_associated(ctx));
    findings.extend(route_missing(ctx, &tables));
    findings.extend(route_shadowed(ctx, &tables));
    findings.extend(igw_default(ctx, &tables));
    findings.push(multiple(ctx, &gateways));
    findings
}

fn routing_mode(ctx: &Ctx) -> Finding {
    let subnets = ctx.workload.subnets.iter().map(|s| s.id.clone());
    let detail = if ctx.private_routing() {
        "Private routing: no workload route table has 0.0.0.0/0 to an internet or NAT gateway, so every required VPC endpoint must exist."
    } else {
        "Public routing: a workload route table sends 0.0.0.0/0 to an internet or NAT gateway; endpoints are optional."
    };
    ROUTING_MODE.info(ctx.vpc(), detail).involving(subnets)
}

fn gateway_missing(ctx: &Ctx, gateways: &[&VpcEndpoint]) -> Finding {
    if !gateways.is_empty() {
        return GATEWAY_MISSING
            .pass(ctx.vpc(), "An S3 gateway endpoint is available.")
            .involving(gateways.iter().map(|g| g.id.clone()));
    }
    let interface = ctx.s3_interface();
    let extra = interface.map_or_else(String::new, |i| {
        format!(
            " Only the interface endpoint {} carries S3 traffic (see s3-interface-public-resolution).",
            i.id
        )
    });
    GATEWAY_MISSING
        .violated_at(
            ctx.no_gateway_severity(),
            ctx.vpc(),
            format!(
                "{} has no available S3 gateway endpoint.{extra}",
                ctx.vpc_id()
            ),
        )
        .involving(interface.map(|i| i.id.clone()))
        .fix(gateway_create_fix(ctx))
}

/// Every route table associated with an available S3 gateway, with that gateway.
fn gateway_tables<'a>(
    ctx: &Ctx<'a>,
    gateways: &[&'a VpcEndpoint],
) -> Vec<(&'a RouteTable, &'a VpcEndpoint)> {
    gateways
        .iter()
        .flat_map(|g| {
            ctx.snap
                .route_tables
                .iter()
                .filter(|t| g.route_table_ids.contains(&t.id))
                .map(move |t| (t, *g))
        })
        .collect()
}

/// Workload subnets using `table`, for the resources of a table's finding.
fn subnets_using(ctx: &Ctx, table: &RouteTable) -> Vec<String> {
    ctx.workload
        .subnets
        .iter()
        .filter(|s| {
            ctx.effective_route_table(&s.id)
                .is_some_and(|t| t.id == table.id)
        })
        .map(|s| s.id.clone())
        .collect()
}

fn not_associated(ctx: &Ctx) -> Vec<Finding> {
    let findings = ctx
        .workload
        .subnets
        .iter()
        .filter_map(|s| match ctx.s3_path(&s.id) {
            S3Path::NoRouteTable => Some(TABLE_NOT_ASSOCIATED.violated(
                Subject::subnet(&s.id),
                format!(
                    "{} has no route table (no explicit association and no main table found).",
                    s.id
                ),
            )),
            S3Path::NotAssociated(table, gateway) => Some(
                TABLE_NOT_ASSOCIATED
                    .violated(
                        Subject::subnet(&s.id),
                        format!(
                            "{} uses {} ({}), which no S3 gateway endpoint is associated with.",
                            s.id,
                            table.id,
                            ctx.association_text(&s.id, table)
                        ),
                    )
                    .involving([&table.id, &gateway.id])
                    .fix(associate_fix(gateway, table)),
            ),
            _ => None,
        })
        .collect();
    TABLE_NOT_ASSOCIATED.or_pass(
        findings,
        ctx.vpc(),
        "Every workload subnet's route table is associated.",
    )
}

fn route_missing(ctx: &Ctx, tables: &[(&RouteTable, &VpcEndpoint)]) -> Vec<Finding> {
    let findings = tables
        .iter()
        .filter_map(|(table, gateway)| {
            let detail = match ctx.s3_table_route(table, gateway) {
                TableRoute::Missing => format!(
                    "{} is associated with {} but has no S3 prefix-list route to it.",
                    table.id, gateway.id
                ),
                TableRoute::Blackhole(_) => format!(
                    "The S3 route in {} to {} is a blackhole: S3 traffic is dropped.",
                    table.id, gateway.id
                ),
                _ => return None,
            };
            Some(
                ROUTE_MISSING
                    .violated(Subject::route_table(&table.id), detail)
                    .involving([gateway.id.clone()])
                    .involving(subnets_using(ctx, table))
                    .fix(reassociate_fix(gateway, table)),
            )
        })
        .collect();
    ROUTE_MISSING.or_pass(
        findings,
        ctx.vpc(),
        "Every associated route table holds an active S3 route.",
    )
}

fn route_shadowed(ctx: &Ctx, tables: &[(&RouteTable, &VpcEndpoint)]) -> Vec<Finding> {
    let findings = tables
        .iter()
        .filter_map(|(table, gateway)| match ctx.s3_table_route(table, gateway) {
            TableRoute::Shadowed { by, .. } => Some(
                ROUTE_SHADOWED
                    .violated(
                        Subject::route_table(&table.id),
                        format!(
                            "{} routes {} to {}, overriding the S3 gateway route for that range (longest prefix match).",
                            table.id,
                            by.destination_cidr.as_deref().unwrap_or("?"),
                            by.target.as_deref().unwrap_or("?")
                        ),
                    )
                    .involving([gateway.id.clone()])
                    .involving(subnets_using(ctx, table))
                    .fix(delete_route_fix(table, by)),
            ),
            _ => None,
        })
        .collect();
    ROUTE_SHADOWED.or_pass(
        findings,
        ctx.vpc(),
        "No route overrides the S3 prefix-list route.",
    )
}

fn igw_default(ctx: &Ctx, tables: &[(&RouteTable, &VpcEndpoint)]) -> Vec<Finding> {
    let findings = tables
        .iter()
        .filter(|(table, _)| {
            table.routes.iter().any(|r| {
                r.is_ipv4_default() && r.target_kind() == TargetKind::InternetGateway
            })
        })
        .map(|(table, gateway)| {
            IGW_DEFAULT
                .info(
                    Subject::route_table(&table.id),
                    format!(
                        "{} also sends 0.0.0.0/0 to an internet gateway: S3 in {} takes the gateway endpoint; other services and other Regions go to the internet.",
                        table.id,
                        ctx.region()
                    ),
                )
                .involving([gateway.id.clone()])
        })
        .collect();
    IGW_DEFAULT.or_pass(
        findings,
        ctx.vpc(),
        "No associated route table also routes to an internet gateway.",
    )
}

fn multiple(ctx: &Ctx, gateways: &[&VpcEndpoint]) -> Finding {
    if gateways.len() < 2 {
        return MULTIPLE.pass(ctx.vpc(), "One S3 gateway endpoint.");
    }
    let owned: Vec<String> = gateways
        .iter()
        .map(|g| format!("{} → {}", g.id, g.route_table_ids.join(", ")))
        .collect();
    MULTIPLE
        .info(
            ctx.vpc(),
            format!(
                "{} S3 gateway endpoints: {}.",
                gateways.len(),
                owned.join("; ")
            ),
        )
        .involving(gateways.iter().map(|g| g.id.clone()))
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{Status, audit, s3_routing_disagreements};
    use crate::model::*;

    #[test]
    fn gateway_routing_rules() {
        let snap = Fixture::healthy();
        for id in [
            "s3-gateway-missing",
            "s3-gateway-rt-not-associated",
            "s3-gateway-route-missing",
            "s3-gateway-route-shadowed",
            "s3-gateway-vs-igw-default",
            "s3-gateway-multiple",
        ] {
            assert_pass(&snap, id);
        }
        let gateway = snap.id_of("s3");
        let table = snap.private_table_id();
        let main = snap.main_table_id();

        let mut none = snap.clone();
        none.without("s3");
        assert_eq!(only(&none, "s3-gateway-missing").status, Status::Fail);

        let mut unassociated = snap.clone();
        unassociated
            .endpoint("s3")
            .route_table_ids
            .retain(|t| *t != table);
        assert_flags(
            &unassociated,
            "s3-gateway-rt-not-associated",
            Status::Fail,
            &table,
        );

        let mut no_route = snap.clone();
        no_route
            .main_table()
            .routes
            .retain(|r| r.target.as_deref() != Some(gateway.as_str()));
        let f = assert_flags(&no_route, "s3-gateway-route-missing", Status::Fail, &main);
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {gateway} --remove-route-table-ids {main} --region us-east-1 --profile data-platform-prod\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {gateway} --add-route-table-ids {main} --region us-east-1 --profile data-platform-prod"
            )
        );

        let mut blackhole = snap.clone();
        for r in &mut blackhole.main_table().routes {
            if r.target.as_deref() == Some(gateway.as_str()) {
                r.state = Some(RouteState::Blackhole);
            }
        }
        let f = assert_flags(&blackhole, "s3-gateway-route-missing", Status::Fail, &main);
        assert!(f.detail.contains("blackhole"), "{}", f.detail);

        // A route from another prefix list is not the S3 route.
        let mut wrong_list = snap.clone();
        for r in &mut wrong_list.main_table().routes {
            if r.target.as_deref() == Some(gateway.as_str()) {
                r.destination_prefix_list_id = Some("pl-02cd2c6b".into());
            }
        }
        assert_flags(&wrong_list, "s3-gateway-route-missing", Status::Fail, &main);

        let mut shadow = snap.clone();
        shadow
            .main_table()
            .routes
            .push(route("54.231.0.0/17", "pcx-0a1b2c3d4e5f60789"));
        assert_flags(&shadow, "s3-gateway-route-shadowed", Status::Warn, &main);
        // A route that contains the S3 ranges is less specific: no shadow.
        let mut wide = snap.clone();
        wide.main_table()
            .routes
            .push(route("54.0.0.0/8", "pcx-0a1b2c3d4e5f60789"));
        assert_pass(&wide, "s3-gateway-route-shadowed");
        shadow
            .main_table()
            .routes
            .push(route("0.0.0.0/0", "igw-0a1b2c3d4e5f60789"));
        assert_flags(&shadow, "s3-gateway-vs-igw-default", Status::Info, &main);

        let mut two = snap;
        let mut second = two.endpoint("s3").clone();
        second.id = "vpce-0ffffeeeeddddcccc".into();
        two.endpoints.push(second);
        assert_flags(
            &two,
            "s3-gateway-multiple",
            Status::Info,
            "vpce-0ffffeeeeddddcccc",
        );
    }

    /// The S3 route rows of an audit whose workload was assumed (and says so).
    fn assumed_subnet_rows(snap: &Snapshot) -> usize {
        let result = audit(snap);
        assert!(
            result.workload.assumed && result.workload.description.starts_with("Workload assumed"),
            "{}",
            result.workload.description
        );
        result
            .checklist()
            .filter(|f| f.subject.id.starts_with("subnet-"))
            .count()
    }

    #[test]
    fn groups_without_subnets_still_assume_the_private_subnets() {
        let mut snap = Fixture::healthy();
        snap.environment = None;
        snap.workload = Workload {
            origin: WorkloadOrigin::Flags,
            subnet_ids: vec![],
            security_group_ids: vec![snap.env_sg()],
        };
        assert_eq!(assumed_subnet_rows(&snap), 2);
    }

    #[test]
    fn routing_mode_and_assumed_workload() {
        let mut snap = Fixture::healthy();
        assert!(
            only(&snap, "mwaa-routing-mode")
                .detail
                .starts_with("Private routing")
        );
        // Without a named workload, private subnets are assumed and the report says so.
        snap.environment = None;
        snap.workload = Workload::default();
        assert_eq!(assumed_subnet_rows(&snap), 2);
        snap.main_table()
            .routes
            .push(route("0.0.0.0/0", "igw-0a1b2c3d4e5f60789"));
        // The subnets on the main table are now public; the explicitly associated ones stay private.
        assert!(
            only(&snap, "mwaa-routing-mode")
                .detail
                .starts_with("Private routing")
        );
        // A NAT default route on the workload's table makes it public routing.
        let table = snap.private_table_id();
        snap.table(&table)
            .routes
            .push(route("0.0.0.0/0", "nat-0a1b2c3d4e5f60789"));
        assert!(
            only(&snap, "mwaa-routing-mode")
                .detail
                .starts_with("Public routing")
        );
    }

    /// The S3 route rows and the gateway rules read one judgement, so they agree on every
    /// demo and every variation of it.
    #[test]
    fn checklist_rows_and_gateway_rules_agree() {
        let mut cases: Vec<(&str, Fixture)> = vec![
            ("healthy", Fixture::healthy()),
            ("troubled", Fixture::troubled()),
        ];
        let base = Fixture::healthy();
        let gateway = base.id_of("s3");
        let table = base.private_table_id();
        let mut variant = |name, change: &dyn Fn(&mut Fixture)| {
            let mut snap = base.clone();
            change(&mut snap);
            cases.push((name, snap));
        };
        variant("no gateway", &|s| {
            s.without("s3");
        });
        variant("interface only", &|s| {
            s.endpoint("s3").endpoint_type = EndpointType::Interface;
        });
        variant("not associated", &|s| {
            s.endpoint("s3").route_table_ids.clear();
        });
        variant("route missing", &|s| {
            s.table(&table)
                .routes
                .retain(|r| r.target.as_deref() != Some(gateway.as_str()));
        });
        variant("blackhole", &|s| {
            for r in &mut s.table(&table).routes {
                r.state = Some(RouteState::Blackhole);
            }
        });
        variant("other prefix list", &|s| {
            for r in &mut s.table(&table).routes {
                if r.destination_prefix_list_id.is_some() {
                    r.destination_prefix_list_id = Some("pl-02cd2c6b".into());
                }
            }
        });
        variant("shadowed", &|s| {
            s.table(&table)
                .routes
                .push(route("52.216.4.0/24", "tgw-0a1b2c3d4e5f60789"));
        });
        variant("no route table", &|s| {
            s.route_tables.clear();
        });
        variant("main table only", &|s| {
            s.route_tables.retain(|t| t.is_main());
        });
        for (name, snap) in &cases {
            let disagreements = s3_routing_disagreements(&audit(snap));
            assert!(disagreements.is_empty(), "{name}: {disagreements:#?}");
        }
        // The check itself can fail: a row that disagrees is reported.
        let mut broken = audit(&cases[0].1);
        let row = broken
            .findings
            .iter_mut()
            .find(|f| f.id.starts_with("mwaa.s3-route."))
            .unwrap();
        row.status = Status::Fail;
        assert_eq!(s3_routing_disagreements(&broken).len(), 1);
    }
}
