//! VPC, subnets, route tables (routes with typed targets and states) and managed prefix lists.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Resource tags, sorted by key.
pub type Tags = BTreeMap<String, String>;

/// The VPC under inspection with its DNS attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    /// The VPC id.
    pub id: String,
    /// The account that owns the VPC (`OwnerId`).
    pub owner_id: Option<String>,
    /// IPv4 CIDR blocks (`CidrBlockAssociationSet`, else `CidrBlock`).
    pub cidr_blocks: Vec<String>,
    /// IPv6 CIDR blocks (`Ipv6CidrBlockAssociationSet`).
    pub ipv6_cidr_blocks: Vec<String>,
    /// `enableDnsSupport`; `None` when DescribeVpcAttribute failed.
    pub enable_dns_support: Option<bool>,
    /// `enableDnsHostnames`; `None` when DescribeVpcAttribute failed.
    pub enable_dns_hostnames: Option<bool>,
    /// The DHCP options set (`DhcpOptionsId`).
    pub dhcp_options_id: Option<String>,
    /// True for the Region's default VPC (`IsDefault`).
    pub is_default: bool,
    /// The VPC's tags.
    pub tags: Tags,
}

/// A subnet of the VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// The subnet id.
    pub id: String,
    /// The VPC the subnet is in.
    pub vpc_id: String,
    /// The Availability Zone name, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// The Availability Zone id, e.g. `use1-az1`, the same in every account.
    pub availability_zone_id: Option<String>,
    /// The IPv4 CIDR block (`CidrBlock`); `None` for an IPv6-only subnet.
    pub cidr_block: Option<String>,
    /// IPv6 CIDR blocks (`Ipv6CidrBlockAssociationSet`).
    pub ipv6_cidr_blocks: Vec<String>,
    /// True for IPv6-only subnets.
    pub ipv6_native: bool,
    /// The account that owns the subnet (`OwnerId`).
    pub owner_id: Option<String>,
    /// The subnet's tags.
    pub tags: Tags,
}

/// A route table with its routes and subnet associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    /// The route table id.
    pub id: String,
    /// The VPC the route table is in.
    pub vpc_id: String,
    /// The routes, as the API lists them.
    pub routes: Vec<Route>,
    /// Subnet and gateway associations, and the main-table marker.
    pub associations: Vec<RouteTableAssociation>,
    /// The route table's tags.
    pub tags: Tags,
}

impl RouteTable {
    /// True when this is the VPC's main route table (used by subnets without an explicit association).
    pub fn is_main(&self) -> bool {
        self.associations.iter().any(|a| a.main)
    }
}

/// One route. Exactly one destination and usually one target are set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The IPv4 destination (`DestinationCidrBlock`).
    pub destination_cidr: Option<String>,
    /// The IPv6 destination (`DestinationIpv6CidrBlock`).
    pub destination_ipv6_cidr: Option<String>,
    /// The prefix list destination (`DestinationPrefixListId`), as gateway endpoints add.
    pub destination_prefix_list_id: Option<String>,
    /// The target id: `local`, `igw-…`, `nat-…`, `vpce-…`, `tgw-…`, `pcx-…`, `eni-…`, …
    pub target: Option<String>,
    /// Active or blackhole; `None` when the API said nothing.
    pub state: Option<RouteState>,
    /// `CreateRouteTable`, `CreateRoute` or `EnableVgwRoutePropagation`.
    pub origin: Option<String>,
}

impl Route {
    /// The route in a few words: `0.0.0.0/0 → nat-…`, with ` (blackhole)` when it is one.
    pub fn describe(&self) -> String {
        let destination = self
            .destination_cidr
            .as_deref()
            .or(self.destination_ipv6_cidr.as_deref())
            .or(self.destination_prefix_list_id.as_deref())
            .unwrap_or("?");
        let target = self.target.as_deref().unwrap_or("?");
        let state = match self.state {
            Some(RouteState::Blackhole) => " (blackhole)",
            _ => "",
        };
        format!("{destination} → {target}{state}")
    }

    /// What kind of thing the route sends traffic to.
    pub fn target_kind(&self) -> TargetKind {
        self.target
            .as_deref()
            .map_or(TargetKind::None, TargetKind::of)
    }

    /// True for the IPv4 default route (`0.0.0.0/0`).
    pub fn is_ipv4_default(&self) -> bool {
        self.destination_cidr.as_deref() == Some("0.0.0.0/0")
    }

    /// True when the route drops its traffic (its target is gone).
    pub fn is_blackhole(&self) -> bool {
        self.state == Some(RouteState::Blackhole)
    }
}

/// The state of a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RouteState {
    /// The route carries traffic.
    Active,
    /// The target is gone: traffic is dropped.
    Blackhole,
    /// A state this version does not know, kept verbatim.
    Other(String),
}

impl RouteState {
    /// Parses the wire value, ignoring case.
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "active" => Self::Active,
            "blackhole" => Self::Blackhole,
            _ => Self::Other(value.to_string()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Blackhole => "blackhole",
            Self::Other(value) => value,
        }
    }
}

impl From<String> for RouteState {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<RouteState> for String {
    fn from(value: RouteState) -> Self {
        value.as_str().to_string()
    }
}

impl fmt::Display for RouteState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a route target, read from its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// `local`: the VPC itself.
    Local,
    /// `igw-`: an internet gateway.
    InternetGateway,
    /// `eigw-`: an egress-only internet gateway (IPv6).
    EgressOnlyInternetGateway,
    /// `nat-`: a NAT gateway.
    NatGateway,
    /// `vpce-`: a gateway or Gateway Load Balancer endpoint.
    VpcEndpoint,
    /// `tgw-`: a transit gateway.
    TransitGateway,
    /// `pcx-`: a VPC peering connection.
    Peering,
    /// `vgw-`: a virtual private gateway (VPN, Direct Connect).
    VirtualPrivateGateway,
    /// `eni-` or `i-`: a network interface or an instance (an appliance).
    Interface,
    /// Anything else (local gateways, carrier gateways, core networks).
    Other,
    /// No target was reported.
    None,
}

impl TargetKind {
    /// Classifies a target id by its prefix.
    pub fn of(target: &str) -> Self {
        let prefix = target.split('-').next().unwrap_or_default();
        match (target, prefix) {
            ("local", _) => Self::Local,
            (_, "igw") => Self::InternetGateway,
            (_, "eigw") => Self::EgressOnlyInternetGateway,
            (_, "nat") => Self::NatGateway,
            (_, "vpce") => Self::VpcEndpoint,
            (_, "tgw") => Self::TransitGateway,
            (_, "pcx") => Self::Peering,
            (_, "vgw") => Self::VirtualPrivateGateway,
            (_, "eni" | "i") => Self::Interface,
            _ => Self::Other,
        }
    }
}

/// A route table association: a subnet, a gateway, or the main-table marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTableAssociation {
    /// The association id (`RouteTableAssociationId`).
    pub id: Option<String>,
    /// The associated subnet, for a subnet association.
    pub subnet_id: Option<String>,
    /// The associated gateway, for a gateway (edge) association.
    pub gateway_id: Option<String>,
    /// True for the marker that makes this the VPC's main route table (`Main`).
    pub main: bool,
}

/// An AWS-managed prefix list such as `com.amazonaws.us-east-1.s3`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrefixList {
    /// The prefix list id (`pl-…`).
    pub id: String,
    /// The prefix list name, e.g. `com.amazonaws.us-east-1.s3`.
    pub name: String,
    /// The CIDR blocks the list stands for.
    pub cidrs: Vec<String>,
}
