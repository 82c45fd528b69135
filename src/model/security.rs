//! Security groups and network ACLs.

use serde::{Deserialize, Serialize};

use super::Tags;

/// A security group with its inbound and outbound rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub vpc_id: Option<String>,
    pub owner_id: Option<String>,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    pub tags: Tags,
}

/// One security group permission (an `IpPermission`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SgRule {
    /// `-1` (all), `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    pub prefix_list_ids: Vec<String>,
    /// Referenced security groups (`UserIdGroupPairs[].GroupId`).
    pub group_ids: Vec<String>,
}

impl SgRule {
    /// True when the rule admits TCP on `port`: an all-protocol rule, or TCP over a range
    /// that includes it (a missing bound is open).
    pub fn covers_tcp(&self, port: i32) -> bool {
        match self.protocol.as_str() {
            "-1" => true,
            "tcp" | "6" => {
                self.from_port.unwrap_or(0) <= port && port <= self.to_port.unwrap_or(65535)
            }
            _ => false,
        }
    }

    /// True when the rule admits HTTPS (TCP 443), the port every endpoint listens on.
    pub fn covers_https(&self) -> bool {
        self.covers_tcp(443)
    }
}

/// A network ACL with its entries and subnet associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    pub id: String,
    pub vpc_id: String,
    pub is_default: bool,
    pub entries: Vec<NaclEntry>,
    pub associations: Vec<NaclAssociation>,
    pub tags: Tags,
}

/// One network ACL entry, inbound or outbound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaclEntry {
    pub rule_number: i32,
    /// `-1` (all), or a protocol number such as `6` (TCP), `17` (UDP), `1` (ICMP).
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    pub egress: bool,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_block: Option<String>,
    /// Inclusive port range for TCP and UDP entries.
    pub port_range: Option<(i32, i32)>,
    pub icmp: Option<IcmpTypeCode>,
}

/// ICMP type and code of a network ACL entry (`-1` means all).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IcmpTypeCode {
    pub icmp_type: i32,
    pub code: i32,
}

/// The association of a network ACL with a subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaclAssociation {
    pub id: Option<String>,
    pub subnet_id: String,
}
