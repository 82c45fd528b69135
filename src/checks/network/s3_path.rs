//! The one judgement of S3 gateway routing (*Gateway endpoints › Routing*): which path S3 traffic
//! from a subnet takes. The checklist's `mwaa.s3-route.<subnet>` rows and the gateway routing rules
//! both read it, so they cannot disagree.

use crate::checks::facts::Facts;
use crate::model::{Route, RouteTable, VpcEndpoint};

/// How one route table carries S3 traffic to one gateway endpoint it is associated with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TableRoute<'a> {
    /// No route from the S3 prefix list to the gateway.
    Missing,
    /// The route exists but is a blackhole: S3 traffic is dropped.
    Blackhole(&'a Route),
    /// A more specific CIDR route (`by`) takes part of the S3 ranges elsewhere.
    Shadowed {
        /// The prefix-list route to the gateway.
        route: &'a Route,
        /// The more specific route that wins for its range (longest prefix match).
        by: &'a Route,
    },
    /// The prefix-list route to the gateway is active and nothing overrides it.
    Routed(&'a Route),
}

/// The path S3 traffic from one subnet takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum S3Path<'a> {
    /// The subnet has no route table (no explicit association and no main table).
    NoRouteTable,
    /// The VPC has no available S3 gateway endpoint.
    NoGateway(&'a RouteTable),
    /// The subnet's route table is associated with none of the gateways (`gateway` is the
    /// first one, for the fix).
    NotAssociated(&'a RouteTable, &'a VpcEndpoint),
    /// The table is associated with `gateway`; `route` says how it carries S3.
    Associated {
        /// The subnet's route table.
        table: &'a RouteTable,
        /// The gateway endpoint the table is associated with.
        gateway: &'a VpcEndpoint,
        /// How the table routes S3 to it.
        route: TableRoute<'a>,
    },
}

impl S3Path<'_> {
    /// True when S3 traffic reaches the gateway endpoint, all of it.
    pub fn is_routed(&self) -> bool {
        matches!(
            self,
            S3Path::Associated {
                route: TableRoute::Routed(_),
                ..
            }
        )
    }
}

impl<'a> Facts<'a> {
    /// How `table` routes S3 to `gateway`: the route must come from the Region's S3 prefix
    /// list (any prefix list when that list is not known) and target the gateway.
    pub fn s3_table_route(&self, table: &'a RouteTable, gateway: &VpcEndpoint) -> TableRoute<'a> {
        let list = self.s3_prefix_list();
        let route = table.routes.iter().find(|r| {
            r.target.as_deref() == Some(gateway.id.as_str())
                && r.destination_prefix_list_id
                    .as_deref()
                    .is_some_and(|p| list.is_none_or(|l| l.id == p))
        });
        let Some(route) = route else {
            return TableRoute::Missing;
        };
        if route.is_blackhole() {
            return TableRoute::Blackhole(route);
        }
        let s3 = self.s3_cidrs();
        let shadow = table.routes.iter().find(|r| {
            r.target.as_deref() != Some(gateway.id.as_str())
                && r.destination_cidr
                    .as_deref()
                    .and_then(super::super::net::net)
                    .is_some_and(|c| s3.iter().any(|p| p.contains(&c)))
        });
        match shadow {
            Some(by) => TableRoute::Shadowed { route, by },
            None => TableRoute::Routed(route),
        }
    }

    /// The S3 path of a subnet: its effective route table, the gateway that table is
    /// associated with, and how the table routes S3 to it.
    pub fn s3_path(&self, subnet_id: &str) -> S3Path<'a> {
        let Some(table) = self.effective_route_table(subnet_id) else {
            return S3Path::NoRouteTable;
        };
        let gateways = self.s3_gateways();
        let Some(first) = gateways.first() else {
            return S3Path::NoGateway(table);
        };
        match gateways
            .iter()
            .find(|g| g.route_table_ids.contains(&table.id))
        {
            Some(gateway) => S3Path::Associated {
                table,
                gateway,
                route: self.s3_table_route(table, gateway),
            },
            None => S3Path::NotAssociated(table, first),
        }
    }

    /// `table` is the subnet's explicit table, or the main table used implicitly.
    pub fn association_text(&self, subnet_id: &str, table: &RouteTable) -> &'static str {
        if table
            .associations
            .iter()
            .any(|a| a.subnet_id.as_deref() == Some(subnet_id))
        {
            "explicitly associated"
        } else {
            "the VPC's main table, used implicitly"
        }
    }
}

/// The fix for a missing or broken endpoint route: endpoint routes cannot be edited, only
/// re-created by re-associating the table.
pub fn reassociate_fix(gateway: &VpcEndpoint, table: &RouteTable) -> String {
    format!(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --remove-route-table-ids {t}\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {g} --add-route-table-ids {t}",
        g = gateway.id,
        t = table.id
    )
}

/// The fix for a table not associated with the gateway.
pub fn associate_fix(gateway: &VpcEndpoint, table: &RouteTable) -> String {
    format!(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-route-table-ids {}",
        gateway.id, table.id
    )
}

/// The fix for a route that shadows part of the S3 ranges.
pub fn delete_route_fix(table: &RouteTable, by: &Route) -> String {
    format!(
        "aws ec2 delete-route --route-table-id {} --destination-cidr-block {}",
        table.id,
        by.destination_cidr.as_deref().unwrap_or_default()
    )
}
