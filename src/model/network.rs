//! VPC, subnets, route tables and managed prefix lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Resource tags, sorted by key.
pub type Tags = BTreeMap<String, String>;

/// The VPC under inspection with its DNS attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub owner_id: Option<String>,
    pub cidr_blocks: Vec<String>,
    pub ipv6_cidr_blocks: Vec<String>,
    /// `enableDnsSupport`; `None` when DescribeVpcAttribute failed.
    pub enable_dns_support: Option<bool>,
    /// `enableDnsHostnames`; `None` when DescribeVpcAttribute failed.
    pub enable_dns_hostnames: Option<bool>,
    pub dhcp_options_id: Option<String>,
    pub is_default: bool,
    pub tags: Tags,
}

/// A subnet of the VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: String,
    pub availability_zone_id: Option<String>,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_blocks: Vec<String>,
    /// True for IPv6-only subnets.
    pub ipv6_native: bool,
    pub owner_id: Option<String>,
    pub tags: Tags,
}

/// A route table with its routes and subnet associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub routes: Vec<Route>,
    pub associations: Vec<RouteTableAssociation>,
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
    pub destination_cidr: Option<String>,
    pub destination_ipv6_cidr: Option<String>,
    pub destination_prefix_list_id: Option<String>,
    /// The target id: `local`, `igw-…`, `nat-…`, `vpce-…`, `tgw-…`, `pcx-…`, `eni-…`, …
    pub target: Option<String>,
    /// `active` or `blackhole`.
    pub state: Option<String>,
    /// `CreateRouteTable`, `CreateRoute` or `EnableVgwRoutePropagation`.
    pub origin: Option<String>,
}

/// A route table association: a subnet, a gateway, or the main-table marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTableAssociation {
    pub id: Option<String>,
    pub subnet_id: Option<String>,
    pub gateway_id: Option<String>,
    pub main: bool,
}

/// An AWS-managed prefix list such as `com.amazonaws.us-east-1.s3`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrefixList {
    pub id: String,
    pub name: String,
    pub cidrs: Vec<String>,
}
