//! Security groups and network ACLs, with their IP protocols and rule actions typed.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Tags;

/// An IP protocol. AWS reports names (`tcp`) or numbers (`6`), and `-1` for all protocols;
/// both spellings parse to the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Protocol {
    /// Every protocol (`-1`, `all`).
    All,
    /// TCP (`tcp`, `6`).
    Tcp,
    /// UDP (`udp`, `17`).
    Udp,
    /// ICMP (`icmp`, `1`).
    Icmp,
    /// ICMPv6 (`icmpv6`, `58`).
    Icmpv6,
    /// Another protocol number.
    Number(u8),
    /// A value this version cannot read, kept verbatim.
    Other(String),
}

impl Protocol {
    /// Parses a name or a number, ignoring case.
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => Self::All,
            "tcp" | "6" => Self::Tcp,
            "udp" | "17" => Self::Udp,
            "icmp" | "1" => Self::Icmp,
            "icmpv6" | "58" => Self::Icmpv6,
            other => other
                .parse::<u8>()
                .map_or_else(|_| Self::Other(value.to_string()), Self::Number),
        }
    }

    /// True for rules that apply to TCP traffic: TCP itself, or all protocols.
    pub fn carries_tcp(&self) -> bool {
        matches!(self, Self::All | Self::Tcp)
    }

    /// The short name shown to people: `all`, `tcp`, `udp`, `icmp`, `icmpv6`, or the number.
    pub fn name(&self) -> String {
        match self {
            Self::All => "all".into(),
            Self::Tcp => "tcp".into(),
            Self::Udp => "udp".into(),
            Self::Icmp => "icmp".into(),
            Self::Icmpv6 => "icmpv6".into(),
            Self::Number(n) => n.to_string(),
            Self::Other(value) => value.clone(),
        }
    }
}

impl From<String> for Protocol {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<Protocol> for String {
    /// The wire form the EC2 API accepts: `-1` for all, names for the common protocols.
    fn from(value: Protocol) -> Self {
        match value {
            Protocol::All => "-1".into(),
            other => other.name(),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// What a network ACL entry does with the traffic it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RuleAction {
    /// `allow`.
    Allow,
    /// `deny`, and any value that is not `allow` (the safe reading).
    Deny,
}

impl RuleAction {
    /// Parses the wire value, ignoring case.
    pub fn parse(value: &str) -> Self {
        if value.trim().eq_ignore_ascii_case("allow") {
            Self::Allow
        } else {
            Self::Deny
        }
    }

    /// `allow` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}

impl From<String> for RuleAction {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<RuleAction> for String {
    fn from(value: RuleAction) -> Self {
        value.as_str().into()
    }
}

impl fmt::Display for RuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// The IP protocol (`IpProtocol`).
    pub protocol: Protocol,
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
        match self.protocol {
            Protocol::All => true,
            Protocol::Tcp => {
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
    /// The IP protocol; AWS reports NACL protocols as numbers.
    pub protocol: Protocol,
    /// Allow or deny.
    pub rule_action: RuleAction,
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
