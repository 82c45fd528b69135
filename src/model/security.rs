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
    /// The security group id (`sg-…`).
    pub id: String,
    /// The group name (`GroupName`).
    pub name: String,
    /// The group description (`Description`).
    pub description: Option<String>,
    /// The VPC the group belongs to.
    pub vpc_id: Option<String>,
    /// The account that owns the group (`OwnerId`).
    pub owner_id: Option<String>,
    /// Inbound rules (`IpPermissions`).
    pub ingress: Vec<SgRule>,
    /// Outbound rules (`IpPermissionsEgress`).
    pub egress: Vec<SgRule>,
    /// The group's tags.
    pub tags: Tags,
}

/// One security group permission (an `IpPermission`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SgRule {
    /// The IP protocol (`IpProtocol`).
    pub protocol: Protocol,
    /// `FromPort`: the first port, or the ICMP type; `None` when the API omits it.
    pub from_port: Option<i32>,
    /// `ToPort`: the last port, or the ICMP code; `None` when the API omits it.
    pub to_port: Option<i32>,
    /// IPv4 CIDR ranges (`IpRanges[].CidrIp`).
    pub ipv4_ranges: Vec<String>,
    /// IPv6 CIDR ranges (`Ipv6Ranges[].CidrIpv6`).
    pub ipv6_ranges: Vec<String>,
    /// Referenced prefix lists (`PrefixListIds[].PrefixListId`).
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

    /// The rule in a few words: `tcp 443  sg-…, 10.0.0.0/16`.
    pub fn describe(&self) -> String {
        let ports = match (&self.protocol, self.from_port, self.to_port) {
            (Protocol::All, ..) => "all traffic".to_string(),
            (p, Some(a), Some(b)) if a == b => format!("{p} {a}"),
            (p, Some(a), Some(b)) => format!("{p} {a}-{b}"),
            (p, ..) => p.to_string(),
        };
        let peers: Vec<String> = self
            .group_ids
            .iter()
            .chain(&self.ipv4_ranges)
            .chain(&self.ipv6_ranges)
            .chain(&self.prefix_list_ids)
            .cloned()
            .collect();
        format!("{ports}  {}", peers.join(", "))
    }
}

/// A network ACL with its entries and subnet associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    /// The network ACL id (`acl-…`).
    pub id: String,
    /// The VPC the network ACL belongs to.
    pub vpc_id: String,
    /// True for the VPC's default network ACL (`IsDefault`).
    pub is_default: bool,
    /// Inbound and outbound entries, as the API lists them.
    pub entries: Vec<NaclEntry>,
    /// The subnets the network ACL is associated with.
    pub associations: Vec<NaclAssociation>,
    /// The network ACL's tags.
    pub tags: Tags,
}

/// One network ACL entry, inbound or outbound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaclEntry {
    /// `RuleNumber`: entries apply in ascending order; `32767` is the final catch-all deny.
    pub rule_number: i32,
    /// The IP protocol; AWS reports NACL protocols as numbers.
    pub protocol: Protocol,
    /// Allow or deny.
    pub rule_action: RuleAction,
    /// True for an outbound entry, false for an inbound one (`Egress`).
    pub egress: bool,
    /// The IPv4 range the entry matches (`CidrBlock`).
    pub cidr_block: Option<String>,
    /// The IPv6 range the entry matches (`Ipv6CidrBlock`).
    pub ipv6_cidr_block: Option<String>,
    /// Inclusive port range for TCP and UDP entries.
    pub port_range: Option<(i32, i32)>,
    /// ICMP type and code of an ICMP entry (`IcmpTypeCode`).
    pub icmp: Option<IcmpTypeCode>,
}

impl NaclEntry {
    /// The entry in a few words: `  100  allow tcp 443  10.0.0.0/16` (`*` for the default).
    pub fn describe(&self) -> String {
        let protocol = self.protocol.name();
        let ports = self
            .port_range
            .map(|(a, b)| {
                if a == b {
                    format!(" {a}")
                } else {
                    format!(" {a}-{b}")
                }
            })
            .unwrap_or_default();
        let number = if self.rule_number == 32767 {
            "*".to_string()
        } else {
            self.rule_number.to_string()
        };
        format!(
            "{number:>5}  {:<5} {protocol}{ports}  {}",
            self.rule_action,
            self.cidr_block
                .as_deref()
                .or(self.ipv6_cidr_block.as_deref())
                .unwrap_or("?")
        )
    }
}

/// ICMP type and code of a network ACL entry (`-1` means all).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IcmpTypeCode {
    /// The ICMP type (`Type`).
    pub icmp_type: i32,
    /// The ICMP code (`Code`).
    pub code: i32,
}

/// The association of a network ACL with a subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaclAssociation {
    /// The association id (`NetworkAclAssociationId`).
    pub id: Option<String>,
    /// The associated subnet.
    pub subnet_id: String,
}
