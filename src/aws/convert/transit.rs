//! The reads beyond the VPC: peering connections, transit gateways, their attachments and
//! routes.

use aws_sdk_ec2::types as ec2;

use super::{owned, text};
use crate::model::{
    PeeringConnection, PeeringSide, PeeringStatus, RouteState, TgwAttachment, TgwRoute,
    TgwRouteAttachment, TransitGateway,
};

/// A VPC peering connection with both sides.
pub(in crate::aws) fn peering(peering: &ec2::VpcPeeringConnection) -> PeeringConnection {
    let side = |info: Option<&ec2::VpcPeeringConnectionVpcInfo>| {
        info.map_or_else(PeeringSide::default, |info| {
            let mut cidr_blocks: Vec<String> = info
                .cidr_block_set()
                .iter()
                .filter_map(|c| c.cidr_block().map(str::to_string))
                .collect();
            if cidr_blocks.is_empty() {
                cidr_blocks.extend(owned(info.cidr_block()));
            }
            PeeringSide {
                vpc_id: owned(info.vpc_id()),
                owner_id: owned(info.owner_id()),
                region: owned(info.region()),
                cidr_blocks,
            }
        })
    };
    PeeringConnection {
        id: text(peering.vpc_peering_connection_id()),
        status: PeeringStatus::parse(
            peering
                .status()
                .and_then(|s| s.code())
                .map_or("", |c| c.as_str()),
        ),
        requester: side(peering.requester_vpc_info()),
        accepter: side(peering.accepter_vpc_info()),
    }
}

/// `enable` of an `enable | disable` option.
fn enabled(value: Option<&str>) -> Option<bool> {
    value.map(|v| v.eq_ignore_ascii_case("enable"))
}

/// A transit gateway with its group referencing option.
pub(in crate::aws) fn transit_gateway(tgw: &ec2::TransitGateway) -> TransitGateway {
    TransitGateway {
        id: text(tgw.transit_gateway_id()),
        owner_id: owned(tgw.owner_id()),
        state: tgw.state().map(|s| s.as_str().to_string()),
        security_group_referencing: enabled(
            tgw.options()
                .and_then(|o| o.security_group_referencing_support())
                .map(|v| v.as_str()),
        ),
    }
}

/// A transit gateway attachment, with the subnets and options of its VPC attachment when
/// `DescribeTransitGatewayVpcAttachments` returned it.
pub(in crate::aws) fn tgw_attachment(
    attachment: &ec2::TransitGatewayAttachment,
    vpc_attachments: &[ec2::TransitGatewayVpcAttachment],
) -> TgwAttachment {
    let id = text(attachment.transit_gateway_attachment_id());
    let vpc = vpc_attachments
        .iter()
        .find(|v| v.transit_gateway_attachment_id() == Some(id.as_str()));
    TgwAttachment {
        transit_gateway_id: text(attachment.transit_gateway_id()),
        resource_type: attachment
            .resource_type()
            .map_or_else(String::new, |t| t.as_str().to_string()),
        resource_id: owned(attachment.resource_id()),
        resource_owner_id: owned(attachment.resource_owner_id()),
        state: attachment
            .state()
            .map_or_else(String::new, |s| s.as_str().to_string()),
        route_table_id: attachment
            .association()
            .filter(|a| a.state().is_none_or(|s| s.as_str() == "associated"))
            .and_then(|a| owned(a.transit_gateway_route_table_id())),
        subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_referencing: vpc.and_then(|v| {
            enabled(
                v.options()
                    .and_then(|o| o.security_group_referencing_support())
                    .map(|s| s.as_str()),
            )
        }),
        id,
    }
}

/// One route of a transit gateway route table.
pub(in crate::aws) fn tgw_route(route: &ec2::TransitGatewayRoute) -> TgwRoute {
    TgwRoute {
        destination_cidr: owned(route.destination_cidr_block()),
        prefix_list_id: owned(route.prefix_list_id()),
        state: RouteState::parse(route.state().map_or("", |s| s.as_str())),
        route_type: route.r#type().map(|t| t.as_str().to_string()),
        attachments: route
            .transit_gateway_attachments()
            .iter()
            .map(|a| TgwRouteAttachment {
                attachment_id: owned(a.transit_gateway_attachment_id()),
                resource_id: owned(a.resource_id()),
                resource_type: a.resource_type().map(|t| t.as_str().to_string()),
            })
            .collect(),
    }
}
