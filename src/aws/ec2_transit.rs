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

/// The reading of transit gateway replies as AWS sends them (moto reports no attachment for a
/// route, so the live tests cannot show this part).
#[cfg(test)]
mod tests {
    use aws_sdk_ec2::error::ErrorMetadata;
    use aws_sdk_ec2::operation::describe_transit_gateway_attachments::DescribeTransitGatewayAttachmentsOutput;
    use aws_sdk_ec2::operation::describe_transit_gateway_vpc_attachments::DescribeTransitGatewayVpcAttachmentsOutput;
    use aws_sdk_ec2::operation::search_transit_gateway_routes::{
        SearchTransitGatewayRoutesError, SearchTransitGatewayRoutesOutput,
    };
    use aws_sdk_ec2::types::{
        SecurityGroupReferencingSupportValue, TransitGatewayAssociationState,
        TransitGatewayAttachment, TransitGatewayAttachmentAssociation,
        TransitGatewayAttachmentResourceType, TransitGatewayAttachmentState, TransitGatewayRoute,
        TransitGatewayRouteAttachment, TransitGatewayRouteState, TransitGatewayRouteType,
        TransitGatewayVpcAttachment, TransitGatewayVpcAttachmentOptions,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::{attachments, tgw_routes};
    use crate::model::RouteState;

    /// A `SearchTransitGatewayRoutes` reply as AWS sends it: a propagated route to the hub's
    /// attachment and a static blackhole.
    fn search_reply() -> SearchTransitGatewayRoutesOutput {
        SearchTransitGatewayRoutesOutput::builder()
            .routes(
                TransitGatewayRoute::builder()
                    .destination_cidr_block("10.50.0.0/16")
                    .r#type(TransitGatewayRouteType::Propagated)
                    .state(TransitGatewayRouteState::Active)
                    .transit_gateway_attachments(
                        TransitGatewayRouteAttachment::builder()
                            .resource_id("vpc-0hub")
                            .transit_gateway_attachment_id("tgw-attach-0hub")
                            .resource_type(TransitGatewayAttachmentResourceType::Vpc)
                            .build(),
                    )
                    .build(),
            )
            .routes(
                TransitGatewayRoute::builder()
                    .destination_cidr_block("10.9.0.0/16")
                    .r#type(TransitGatewayRouteType::Static)
                    .state(TransitGatewayRouteState::Blackhole)
                    .build(),
            )
            .additional_routes_available(false)
            .build()
    }

    #[tokio::test]
    async fn a_route_search_reads_every_route_with_its_attachment() {
        let search = mock!(aws_sdk_ec2::Client::search_transit_gateway_routes)
            .match_requests(|r| {
                r.transit_gateway_route_table_id() == Some("tgw-rtb-0a")
                    && r.filters()
                        .iter()
                        .any(|f| f.name() == Some("state") && f.values() == ["active", "blackhole"])
            })
            .then_output(search_reply);
        let client = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, &[&search]);
        let table = tgw_routes(&client, "tgw-0a", "tgw-rtb-0a").await;
        assert_eq!(table.error, None);
        assert_eq!(table.routes.len(), 2);
        let hub = &table.routes[0];
        assert_eq!(hub.state, RouteState::Active);
        assert_eq!(hub.route_type.as_deref(), Some("propagated"));
        assert_eq!(
            hub.attachments[0].attachment_id.as_deref(),
            Some("tgw-attach-0hub")
        );
        assert_eq!(hub.attachments[0].resource_id.as_deref(), Some("vpc-0hub"));
        assert_eq!(table.routes[1].state, RouteState::Blackhole);
        assert!(table.routes[1].attachments.is_empty());
        assert!(!table.more);
    }

    #[tokio::test]
    async fn a_route_table_of_another_account_keeps_its_error() {
        let denied = mock!(aws_sdk_ec2::Client::search_transit_gateway_routes).then_error(|| {
            SearchTransitGatewayRoutesError::generic(
                ErrorMetadata::builder()
                    .code("InvalidRouteTableID.NotFound")
                    .message("The transitGatewayRouteTable ID 'tgw-rtb-0b' does not exist")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, &[&denied]);
        let table = tgw_routes(&client, "tgw-0b", "tgw-rtb-0b").await;
        assert!(table.routes.is_empty());
        let error = table.error.expect("the failure stays with the table");
        assert_eq!(error.code.as_deref(), Some("InvalidRouteTableID.NotFound"));
    }

    #[tokio::test]
    async fn attachments_carry_their_route_table_subnets_and_group_referencing() {
        let all =
            mock!(aws_sdk_ec2::Client::describe_transit_gateway_attachments).then_output(|| {
                DescribeTransitGatewayAttachmentsOutput::builder()
                    .transit_gateway_attachments(
                        TransitGatewayAttachment::builder()
                            .transit_gateway_attachment_id("tgw-attach-0spoke")
                            .transit_gateway_id("tgw-0a")
                            .resource_type(TransitGatewayAttachmentResourceType::Vpc)
                            .resource_id("vpc-0spoke")
                            .resource_owner_id("111122223333")
                            .state(TransitGatewayAttachmentState::Available)
                            .association(
                                TransitGatewayAttachmentAssociation::builder()
                                    .transit_gateway_route_table_id("tgw-rtb-0a")
                                    .state(TransitGatewayAssociationState::Associated)
                                    .build(),
                            )
                            .build(),
                    )
                    .transit_gateway_attachments(
                        TransitGatewayAttachment::builder()
                            .transit_gateway_attachment_id("tgw-attach-0vpn")
                            .transit_gateway_id("tgw-0a")
                            .resource_type(TransitGatewayAttachmentResourceType::Vpn)
                            .state(TransitGatewayAttachmentState::Available)
                            .association(
                                TransitGatewayAttachmentAssociation::builder()
                                    .transit_gateway_route_table_id("tgw-rtb-0b")
                                    .state(TransitGatewayAssociationState::Disassociating)
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            });
        let vpc = mock!(aws_sdk_ec2::Client::describe_transit_gateway_vpc_attachments).then_output(
            || {
                DescribeTransitGatewayVpcAttachmentsOutput::builder()
                    .transit_gateway_vpc_attachments(
                        TransitGatewayVpcAttachment::builder()
                            .transit_gateway_attachment_id("tgw-attach-0spoke")
                            .subnet_ids("subnet-0a")
                            .subnet_ids("subnet-0b")
                            .options(
                                TransitGatewayVpcAttachmentOptions::builder()
                                    .security_group_referencing_support(
                                        SecurityGroupReferencingSupportValue::Enable,
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            },
        );
        let client = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, &[&all, &vpc]);
        let found = attachments(&client, &["tgw-0a".to_string()]).await.unwrap();
        assert_eq!(found.len(), 2);
        let spoke = &found[0];
        assert!(spoke.attaches("vpc-0spoke") && spoke.is_available());
        assert_eq!(spoke.route_table_id.as_deref(), Some("tgw-rtb-0a"));
        assert_eq!(spoke.subnet_ids, ["subnet-0a", "subnet-0b"]);
        assert_eq!(spoke.security_group_referencing, Some(true));
        let vpn = &found[1];
        assert_eq!(vpn.resource_type, "vpn");
        assert_eq!(
            vpn.route_table_id, None,
            "an association on its way out routes nothing"
        );
        assert_eq!(vpn.security_group_referencing, None);
    }
}
