//! Route tables, their routes and associations, and managed prefix lists.

use aws_sdk_ec2::types as ec2;

use super::{owned, tags, text};
use crate::model::{PrefixList, Route, RouteState, RouteTable, RouteTableAssociation};

pub(in crate::aws) fn route_table(table: &ec2::RouteTable) -> RouteTable {
    RouteTable {
        id: text(table.route_table_id()),
        vpc_id: text(table.vpc_id()),
        routes: table.routes().iter().map(route).collect(),
        associations: table
            .associations()
            .iter()
            .map(|a| RouteTableAssociation {
                id: owned(a.route_table_association_id()),
                subnet_id: owned(a.subnet_id()),
                gateway_id: owned(a.gateway_id()),
                main: a.main().unwrap_or(false),
            })
            .collect(),
        tags: tags(table.tags()),
    }
}

fn route(route: &ec2::Route) -> Route {
    let target = [
        route.gateway_id(),
        route.nat_gateway_id(),
        route.transit_gateway_id(),
        route.vpc_peering_connection_id(),
        route.network_interface_id(),
        route.instance_id(),
        route.egress_only_internet_gateway_id(),
        route.local_gateway_id(),
        route.carrier_gateway_id(),
        route.core_network_arn(),
    ]
    .into_iter()
    .flatten()
    .next();
    Route {
        destination_cidr: owned(route.destination_cidr_block()),
        destination_ipv6_cidr: owned(route.destination_ipv6_cidr_block()),
        destination_prefix_list_id: owned(route.destination_prefix_list_id()),
        target: owned(target),
        state: route.state().map(|s| RouteState::parse(s.as_str())),
        origin: route.origin().map(|o| o.as_str().to_string()),
    }
}

pub(in crate::aws) fn prefix_list(list: &ec2::PrefixList) -> PrefixList {
    PrefixList {
        id: text(list.prefix_list_id()),
        name: text(list.prefix_list_name()),
        cidrs: list.cidrs().to_vec(),
    }
}
