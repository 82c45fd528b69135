//! What the way to an endpoint in another VPC crosses: the peering connections and transit
//! gateways the VPC's routes name, the routes of the transit gateway route tables on the way,
//! and the hub VPCs' own network (interfaces, groups, ACLs, route tables).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    EndpointEni, FetchError, NetworkAcl, RouteState, RouteTable, SecurityGroup, Subnet, Vpc,
};

/// Everything beyond the VPC on the way to centralised endpoints. Empty for a VPC whose
/// names are answered at home; absent in snapshots from before linkscope collected it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Transit {
    /// Peering connections the VPC's routes name, and those joining it to a hub VPC.
    pub peerings: Vec<PeeringConnection>,
    /// Transit gateways the VPC's routes name.
    pub transit_gateways: Vec<TransitGateway>,
    /// The attachments of those transit gateways that linkscope can see.
    pub attachments: Vec<TgwAttachment>,
    /// The routes of the transit gateway route tables on the way there and back.
    pub tgw_route_tables: Vec<TgwRouteTable>,
    /// The hub VPCs: the VPCs of the endpoints that private zone records point at.
    pub hub_vpcs: Vec<Vpc>,
    /// The hub VPCs' subnets.
    pub hub_subnets: Vec<Subnet>,
    /// The hub VPCs' route tables, for the way back.
    pub hub_route_tables: Vec<RouteTable>,
    /// The hub endpoints' security groups.
    pub hub_security_groups: Vec<SecurityGroup>,
    /// The hub VPCs' network ACLs.
    pub hub_network_acls: Vec<NetworkAcl>,
    /// The hub endpoints' network interfaces: the addresses their names resolve to.
    pub hub_enis: Vec<EndpointEni>,
}

/// A VPC peering connection (`DescribeVpcPeeringConnections`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeeringConnection {
    /// The `pcx-` id.
    pub id: String,
    /// `Status.Code`.
    pub status: PeeringStatus,
    /// The VPC that asked for the connection.
    pub requester: PeeringSide,
    /// The VPC that accepted it (or must).
    pub accepter: PeeringSide,
}

impl PeeringConnection {
    /// The side of the connection other than `vpc_id`, when `vpc_id` is one of its sides.
    pub fn other_side(&self, vpc_id: &str) -> Option<&PeeringSide> {
        if self.requester.vpc_id.as_deref() == Some(vpc_id) {
            Some(&self.accepter)
        } else if self.accepter.vpc_id.as_deref() == Some(vpc_id) {
            Some(&self.requester)
        } else {
            None
        }
    }

    /// True when the connection joins the two VPCs, whichever asked.
    pub fn joins(&self, a: &str, b: &str) -> bool {
        self.other_side(a)
            .is_some_and(|side| side.vpc_id.as_deref() == Some(b))
    }
}

/// One side of a peering connection (`RequesterVpcInfo`, `AccepterVpcInfo`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeeringSide {
    /// The VPC.
    pub vpc_id: Option<String>,
    /// Its account.
    pub owner_id: Option<String>,
    /// Its Region.
    pub region: Option<String>,
    /// Its IPv4 CIDR blocks (`CidrBlockSet`, else `CidrBlock`).
    pub cidr_blocks: Vec<String>,
}

/// The state of a peering connection (`Status.Code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum PeeringStatus {
    /// `active`: traffic flows where routes send it.
    Active,
    /// `pending-acceptance`: the accepter has not accepted it yet.
    PendingAcceptance,
    /// `deleted`, `rejected`, `failed`, `expired`, `deleting`: it carries nothing.
    Gone(String),
    /// `initiating-request`, `provisioning`, or a value this version does not know.
    Other(String),
}

impl PeeringStatus {
    /// Parses the wire value, ignoring case.
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "active" => Self::Active,
            "pending-acceptance" => Self::PendingAcceptance,
            "deleted" | "rejected" | "failed" | "expired" | "deleting" => {
                Self::Gone(value.to_ascii_lowercase())
            }
            _ => Self::Other(value.to_string()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::PendingAcceptance => "pending-acceptance",
            Self::Gone(value) | Self::Other(value) => value,
        }
    }
}

impl From<String> for PeeringStatus {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<PeeringStatus> for String {
    fn from(value: PeeringStatus) -> Self {
        value.as_str().to_string()
    }
}

impl fmt::Display for PeeringStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transit gateway (`DescribeTransitGateways`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitGateway {
    /// The `tgw-` id.
    pub id: String,
    /// The account that owns it (and its route tables).
    pub owner_id: Option<String>,
    /// `State`: `available`, `pending`, `deleted`, …
    pub state: Option<String>,
    /// `Options.SecurityGroupReferencingSupport` is `enable`.
    pub security_group_referencing: Option<bool>,
}

/// A transit gateway attachment (`DescribeTransitGatewayAttachments`, with the options of
/// `DescribeTransitGatewayVpcAttachments` for VPC attachments).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TgwAttachment {
    /// The `tgw-attach-` id.
    pub id: String,
    /// The transit gateway.
    pub transit_gateway_id: String,
    /// `ResourceType`: `vpc`, `vpn`, `peering`, `direct-connect-gateway`, `connect`, …
    pub resource_type: String,
    /// The attached resource, a VPC id for `vpc` attachments.
    pub resource_id: Option<String>,
    /// The account that owns the attached resource.
    pub resource_owner_id: Option<String>,
    /// `State`: `available`, `pendingAcceptance`, `deleted`, …
    pub state: String,
    /// The transit gateway route table the attachment is associated with: the table that
    /// routes the traffic entering the transit gateway through it.
    pub route_table_id: Option<String>,
    /// The subnets of a VPC attachment: one per Availability Zone it serves.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// `Options.SecurityGroupReferencingSupport` of a VPC attachment is `enable`.
    #[serde(default)]
    pub security_group_referencing: Option<bool>,
}

impl TgwAttachment {
    /// True when the attachment carries traffic.
    pub fn is_available(&self) -> bool {
        self.state.eq_ignore_ascii_case("available")
    }

    /// True for the attachment of `vpc_id`.
    pub fn attaches(&self, vpc_id: &str) -> bool {
        self.resource_type == "vpc" && self.resource_id.as_deref() == Some(vpc_id)
    }
}

/// The routes of one transit gateway route table (`SearchTransitGatewayRoutes`, every
/// active and blackhole route), or why they could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TgwRouteTable {
    /// The `tgw-rtb-` id.
    pub id: String,
    /// The transit gateway it belongs to.
    pub transit_gateway_id: String,
    /// The routes returned.
    pub routes: Vec<TgwRoute>,
    /// `AdditionalRoutesAvailable`: the search returned only its first 1,000 routes.
    pub more: bool,
    /// Why the search failed (denied, or a table of another account), if it did.
    pub error: Option<FetchError>,
}

/// One transit gateway route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TgwRoute {
    /// `DestinationCidrBlock`.
    pub destination_cidr: Option<String>,
    /// `PrefixListId`, for prefix list references.
    pub prefix_list_id: Option<String>,
    /// `State`: active or blackhole.
    pub state: RouteState,
    /// `Type`: `static` or `propagated`.
    pub route_type: Option<String>,
    /// The attachments the route sends traffic to (empty for a blackhole).
    pub attachments: Vec<TgwRouteAttachment>,
}

/// The attachment a transit gateway route points at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TgwRouteAttachment {
    /// The `tgw-attach-` id.
    pub attachment_id: Option<String>,
    /// The attached resource (a VPC id for VPC attachments).
    pub resource_id: Option<String>,
    /// Its type: `vpc`, `vpn`, `peering`, …
    pub resource_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peering_states_parse_and_round_trip() {
        for (wire, parsed) in [
            ("active", PeeringStatus::Active),
            ("Pending-Acceptance", PeeringStatus::PendingAcceptance),
            ("deleted", PeeringStatus::Gone("deleted".into())),
            ("rejected", PeeringStatus::Gone("rejected".into())),
            ("provisioning", PeeringStatus::Other("provisioning".into())),
        ] {
            assert_eq!(PeeringStatus::parse(wire), parsed, "{wire}");
            let text: String = parsed.clone().into();
            assert_eq!(PeeringStatus::from(text), parsed);
        }
    }

    #[test]
    fn a_peering_connection_knows_its_other_side() {
        let side = |vpc: &str| PeeringSide {
            vpc_id: Some(vpc.into()),
            ..PeeringSide::default()
        };
        let pcx = PeeringConnection {
            id: "pcx-1".into(),
            status: PeeringStatus::Active,
            requester: side("vpc-spoke"),
            accepter: side("vpc-hub"),
        };
        assert_eq!(
            pcx.other_side("vpc-spoke")
                .and_then(|s| s.vpc_id.as_deref()),
            Some("vpc-hub")
        );
        assert!(pcx.joins("vpc-hub", "vpc-spoke") && pcx.joins("vpc-spoke", "vpc-hub"));
        assert!(!pcx.joins("vpc-spoke", "vpc-other"));
        assert!(pcx.other_side("vpc-other").is_none());
    }
}
