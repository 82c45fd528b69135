//! EC2 describes, each following its paginator to the end and filtered by `vpc-id`: one VPC's
//! for one target, up to [`FILTER_VALUES`] VPCs' at once for the targets of a Region.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, VpcAttributeName};

use super::convert;
use super::error::{fetch_error, names_nothing, task_failed};
use crate::model::{
    DhcpOptions, EndpointEni, FetchError, NetworkAcl, PrefixList, RouteTable, SecurityGroup,
    ServiceDetail, Subnet, Vpc, VpcEndpoint,
};

/// Largest page each describe accepts, to keep round trips few.
const PAGE: i32 = 1000;
/// DescribeRouteTables and DescribeNetworkAcls accept at most 100 per page.
const SMALL_PAGE: i32 = 100;
/// EC2 accepts at most 200 values in one filter of one call.
pub(super) const FILTER_VALUES: usize = 200;

/// Follows a request's paginator to the end: every item, or the first error (returned early).
macro_rules! all_items {
    ($request:expr) => {
        $request
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)?
    };
}

/// Follows a request's paginator to the end and converts every item.
macro_rules! all_pages {
    ($request:expr, $convert:path) => {{
        let items = all_items!($request);
        Ok(items.iter().map($convert).collect())
    }};
}

fn filter(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Filter {
    values
        .into_iter()
        .fold(Filter::builder().name(name), |builder, value| {
            builder.values(value)
        })
        .build()
}

/// The VPC itself; an unknown id is an `InvalidVpcID.NotFound` error.
pub(super) async fn vpc(client: &Client, vpc_id: &str) -> Result<Vpc, FetchError> {
    let output = client
        .describe_vpcs()
        .vpc_ids(vpc_id)
        .send()
        .await
        .map_err(fetch_error)?;
    output
        .vpcs()
        .first()
        .map(convert::vpc)
        .ok_or_else(|| FetchError {
            code: Some("InvalidVpcID.NotFound".into()),
            message: format!("The vpc ID '{vpc_id}' does not exist"),
        })
}

/// VPCs by id, up to [`FILTER_VALUES`] (a filter: an id that does not exist is absent).
pub(super) async fn vpcs(client: &Client, vpc_ids: &[String]) -> Result<Vec<Vpc>, FetchError> {
    all_pages!(
        client
            .describe_vpcs()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(PAGE),
        convert::vpc
    )
}

/// Every VPC of the Region, for the start screen.
pub(super) async fn all_vpcs(client: &Client) -> Result<Vec<Vpc>, FetchError> {
    all_pages!(client.describe_vpcs().max_results(PAGE), convert::vpc)
}

/// Every VPC endpoint of the Region, for the start screen's counts.
pub(super) async fn all_endpoints(client: &Client) -> Result<Vec<VpcEndpoint>, FetchError> {
    all_pages!(
        client.describe_vpc_endpoints().max_results(PAGE),
        convert::endpoint
    )
}

/// One VPC DNS attribute (`enableDnsSupport` or `enableDnsHostnames`).
pub(super) async fn vpc_attribute(
    client: &Client,
    vpc_id: &str,
    attribute: VpcAttributeName,
) -> Result<bool, FetchError> {
    let output = client
        .describe_vpc_attribute()
        .vpc_id(vpc_id)
        .attribute(attribute.clone())
        .send()
        .await
        .map_err(fetch_error)?;
    let value = match attribute {
        VpcAttributeName::EnableDnsHostnames => output.enable_dns_hostnames(),
        _ => output.enable_dns_support(),
    };
    Ok(value.and_then(|v| v.value()).unwrap_or(false))
}

/// The subnets of the VPCs (at most [`FILTER_VALUES`]).
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

/// Subnets by id (at most [`FILTER_VALUES`]), to find the VPCs of a Region's environments
/// in one call: a filter, so that a subnet that does not exist is absent.
pub(super) async fn subnets_with_ids(
    client: &Client,
    subnet_ids: &[String],
) -> Result<Vec<Subnet>, FetchError> {
    all_pages!(
        client
            .describe_subnets()
            .filters(filter("subnet-id", subnet_ids))
            .max_results(PAGE),
        convert::subnet
    )
}

/// Subnets by id, to find the VPC of a workload named without `--vpc`.
pub(super) async fn subnets_by_id(
    client: &Client,
    subnet_ids: &[String],
) -> Result<Vec<Subnet>, FetchError> {
    let output = client
        .describe_subnets()
        .set_subnet_ids(Some(subnet_ids.to_vec()))
        .send()
        .await
        .map_err(fetch_error)?;
    Ok(output.subnets().iter().map(convert::subnet).collect())
}

/// Security groups by id, to find the VPC of a workload named only by its groups.
pub(super) async fn security_groups_by_id(
    client: &Client,
    group_ids: &[String],
) -> Result<Vec<SecurityGroup>, FetchError> {
    let output = client
        .describe_security_groups()
        .set_group_ids(Some(group_ids.to_vec()))
        .send()
        .await
        .map_err(fetch_error)?;
    Ok(output
        .security_groups()
        .iter()
        .map(convert::security_group)
        .collect())
}

/// The route tables of the VPCs (at most [`FILTER_VALUES`]).
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

/// The region's AWS-managed prefix lists (S3, DynamoDB, …) with their CIDRs.
pub(super) async fn prefix_lists(client: &Client) -> Result<Vec<PrefixList>, FetchError> {
    all_pages!(
        client.describe_prefix_lists().max_results(PAGE),
        convert::prefix_list
    )
}

/// The security groups of the VPCs (at most [`FILTER_VALUES`]).
pub(super) async fn security_groups(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<SecurityGroup>, FetchError> {
    all_pages!(
        client
            .describe_security_groups()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(PAGE),
        convert::security_group
    )
}

/// The network ACLs of the VPCs (at most [`FILTER_VALUES`]).
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

/// The endpoints of the VPCs (at most [`FILTER_VALUES`]).
pub(super) async fn endpoints(
    client: &Client,
    vpc_ids: &[String],
) -> Result<Vec<VpcEndpoint>, FetchError> {
    all_pages!(
        client
            .describe_vpc_endpoints()
            .filters(filter("vpc-id", vpc_ids))
            .max_results(PAGE),
        convert::endpoint
    )
}

/// Endpoint network interfaces by id (one batch of at most [`FILTER_VALUES`] ids).
///
/// A filter rather than `NetworkInterfaceIds`, so that an ENI deleted meanwhile is
/// simply absent instead of failing the whole call.
pub(super) async fn endpoint_enis(
    client: &Client,
    eni_ids: &[String],
) -> Result<Vec<EndpointEni>, FetchError> {
    all_pages!(
        client
            .describe_network_interfaces()
            .filters(filter("network-interface-id", eni_ids))
            .max_results(PAGE),
        convert::eni
    )
}

/// The number of gateway endpoints in the whole Region (every VPC), for the per-Region quota.
pub(super) async fn region_gateway_endpoints(client: &Client) -> Result<u32, FetchError> {
    let items = all_items!(
        client
            .describe_vpc_endpoints()
            .filters(filter("vpc-endpoint-type", ["Gateway"]))
            .max_results(PAGE)
    );
    Ok(items.len() as u32)
}

/// Every DHCP option set of the account in the Region; the VPC names its own. Read in the
/// first wave, before the VPC's `DhcpOptionsId` is known.
pub(super) async fn dhcp_options(client: &Client) -> Result<Vec<DhcpOptions>, FetchError> {
    all_pages!(
        client.describe_dhcp_options().max_results(PAGE),
        convert::dhcp_options
    )
}

/// The service catalogue of the Region: every service the account can create an endpoint for.
pub(super) async fn endpoint_services(client: &Client) -> Result<Vec<ServiceDetail>, FetchError> {
    let mut services = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .describe_vpc_endpoint_services()
            .max_results(PAGE)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(fetch_error)?;
        services.extend(page.service_details().iter().map(convert::service_detail));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => return Ok(services),
        }
    }
}

/// The endpoints of the given services (at most [`FILTER_VALUES`]) in every VPC the caller
/// can see (a `service-name` filter and no `vpc-id` one), for the services a VPC lacks: an
/// endpoint in the wrong VPC (MWAA guide, *Creating the required VPC service endpoints in an
/// Amazon VPC with private routing › Private network and private routing*).
pub(super) async fn endpoints_of_services(
    client: &Client,
    service_names: &[String],
) -> Result<Vec<VpcEndpoint>, FetchError> {
    all_pages!(
        client
            .describe_vpc_endpoints()
            .filters(filter("service-name", service_names))
            .max_results(PAGE),
        convert::endpoint
    )
}

/// Interface endpoints by id, in any VPC the caller can see: one call per id (there are few),
/// so that an endpoint of another account, which AWS answers with
/// `InvalidVpcEndpointId.NotFound`, is simply absent instead of failing the others.
pub(super) async fn endpoints_by_id(
    client: &Client,
    ids: &[String],
) -> Result<Vec<VpcEndpoint>, FetchError> {
    let mut calls = tokio::task::JoinSet::new();
    for id in ids {
        let request = client.describe_vpc_endpoints().vpc_endpoint_ids(id);
        calls.spawn(async move { request.send().await.map_err(fetch_error) });
    }
    let mut found = Vec::new();
    while let Some(joined) = calls.join_next().await {
        match joined.map_err(task_failed)? {
            Ok(output) => found.extend(output.vpc_endpoints().iter().map(convert::endpoint)),
            Err(error) if names_nothing(&error) => {}
            Err(error) => return Err(error),
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}
