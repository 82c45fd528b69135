//! EC2 reads of what lies beyond the VPC: peering connections, transit gateways, their
//! attachments and route searches, and the hub VPCs' network (see [`super::transit`]).

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;

use super::convert;
use super::error::fetch_error;
use crate::model::{
    EndpointEni, FetchError, NetworkAcl, PeeringConnection, RouteTable, SecurityGroup, Subnet,
    TgwAttachment, TgwRouteTable, TransitGateway, Vpc,
};

/// Largest page of the describes that accept 1,000.
const PAGE: i32 = 1000;
/// DescribeRouteTables, DescribeNetworkAcls and the transit gateway describes accept at
/// most 100 per page.
const SMALL_PAGE: i32 = 100;

/// Follows a request's paginator to the end and converts every item.
macro_rules! all_pages {
    ($request:expr, $convert:expr) => {{
        let items = $request
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)?;
        Ok(items.iter().map($convert).collect())
    }};
}

fn filter(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

/// Peering connections by id (the ones the VPC's routes name).
pub(super) async fn peerings_by_id(
    client: &Client,
    ids: &[String],
) -> Result<Vec<PeeringConnection>, FetchError> {
    all_pages!(
        client
            .describe_vpc_peering_connections()
            .filters(filter("vpc-peering-connection-id", ids))
            .max_results(PAGE),
        convert::peering
    )
}

/// Peering connections whose two sides are both among `vpc_ids` (this VPC and the hubs).
pub(super) async fn peerings_between(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<PeeringConnection>, FetchError> {
    all_pages!(
        client
            .describe_vpc_peering_connections()
            .filters(filter("requester-vpc-info.vpc-id", vpc_ids))
            .filters(filter("accepter-vpc-info.vpc-id", vpc_ids))
            .max_results(PAGE),
        convert::peering
    )
}

/// Transit gateways by id, with their owner and options.
pub(super) async fn transit_gateways(
    client: &Client,
    ids: &[String],
) -> Result<Vec<TransitGateway>, FetchError> {
    all_pages!(
        client
            .describe_transit_gateways()
            .filters(filter("transit-gateway-id", ids))
            .max_results(SMALL_PAGE),
        convert::transit_gateway
    )
}

/// Every attachment of the transit gateways that the caller can see, with the subnets and
/// options of the VPC attachments (two calls, side by side).
pub(super) async fn attachments(
    client: &Client,
    tgw_ids: &[String],
) -> Result<Vec<TgwAttachment>, FetchError> {
    let all = async {
        client
            .describe_transit_gateway_attachments()
            .filters(filter("transit-gateway-id", tgw_ids))
            .max_results(SMALL_PAGE)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)
    };
    let vpc = async {
        client
            .describe_transit_gateway_vpc_attachments()
            .filters(filter("transit-gateway-id", tgw_ids))
            .max_results(SMALL_PAGE)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)
    };
    let (all, vpc) = tokio::join!(all, vpc);
    let vpc = vpc?;
    Ok(all?
        .iter()
        .map(|a| convert::tgw_attachment(a, &vpc))
        .collect())
}

/// Every active and blackhole route of one transit gateway route table. A failure stays with
/// the table (denied, or a table of another account), so the other tables still count.
pub(super) async fn tgw_routes(client: &Client, tgw_id: &str, table_id: &str) -> TgwRouteTable {
    let states = ["active".to_string(), "blackhole".to_string()];
    let result = client
        .search_transit_gateway_routes()
        .transit_gateway_route_table_id(table_id)
        .filters(filter("state", &states))
        .send()
        .await
        .map_err(fetch_error);
    let mut table = TgwRouteTable {
        id: table_id.to_string(),
        transit_gateway_id: tgw_id.to_string(),
        routes: Vec::new(),
        more: false,
        error: None,
    };
    match result {
        Ok(output) => {
            table.routes = output.routes().iter().map(convert::tgw_route).collect();
            table.more = output.additional_routes_available().unwrap_or(false);
        }
        Err(error) => table.error = Some(error),
    }
    table
}

/// The hub VPCs.
pub(super) async fn vpcs(client: &Client, ids: &[String]) -> Result<Vec<Vpc>, FetchError> {
    all_pages!(
        client
            .describe_vpcs()
            .filters(filter("vpc-id", ids))
            .max_results(PAGE),
        convert::vpc
    )
}

/// The subnets of the hub VPCs.
pub(super) async fn subnets(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<Subnet>, FetchError> {
    all_pages!(
        client
            .describe_subnets()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(PAGE),
        convert::subnet
    )
}

/// The route tables of the hub VPCs.
pub(super) async fn route_tables(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<RouteTable>, FetchError> {
    all_pages!(
        client
            .describe_route_tables()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(SMALL_PAGE),
        convert::route_table
    )
}

/// The network ACLs of the hub VPCs.
pub(super) async fn network_acls(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<NetworkAcl>, FetchError> {
    all_pages!(
        client
            .describe_network_acls()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(SMALL_PAGE),
        convert::network_acl
    )
}

/// The hub endpoints' security groups, by id.
pub(super) async fn security_groups(
    client: &Client,
    ids: &[String],
) -> Result<Vec<SecurityGroup>, FetchError> {
    all_pages!(
        client
            .describe_security_groups()
            .filters(filter("group-id", ids))
            .max_results(PAGE),
        convert::security_group
    )
}

/// The hub endpoints' network interfaces, by id.
pub(super) async fn enis(client: &Client, ids: &[String]) -> Result<Vec<EndpointEni>, FetchError> {
    all_pages!(
        client
            .describe_network_interfaces()
            .filters(filter("network-interface-id", ids))
            .max_results(PAGE),
        convert::eni
    )
}
