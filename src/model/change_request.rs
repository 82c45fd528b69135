//! What a CloudTrail request did, as typed facts read once from its parameters (by `aws`),
//! and the few words every face shows for it: its `Display` (`revoked tcp/443 from sg-…`),
//! kept as [`super::ChangeEvent::summary`].

use std::fmt;

use super::{Protocol, RuleAction};

/// A protocol and the ports a request named.
#[derive(Debug, Clone, PartialEq)]
pub struct Ports {
    /// The protocol (`-1` when the request named none).
    pub protocol: Protocol,
    /// The first port (or ICMP type), as logged.
    pub from: Option<String>,
    /// The last port (or ICMP code), as logged.
    pub to: Option<String>,
}

/// `tcp/443`, `tcp/1024-65535`, `all`, `icmp`: ports only for TCP and UDP, none for the
/// whole range.
impl fmt::Display for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let protocol = self.protocol.name();
        let ports = match (self.from.as_deref(), self.to.as_deref()) {
            _ if !matches!(self.protocol, Protocol::Tcp | Protocol::Udp) => None,
            (Some(from), Some(to)) if from == to => Some(from.to_string()),
            (Some("0"), Some("65535")) => None,
            (Some(from), Some(to)) if from != "-1" => Some(format!("{from}-{to}")),
            (Some(from), None) if from != "-1" => Some(from.to_string()),
            _ => None,
        };
        match ports {
            Some(ports) => write!(f, "{protocol}/{ports}"),
            None => f.write_str(&protocol),
        }
    }
}

/// What a list of ids went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Security group rules authorized (by rule id).
    Authorized,
    /// Security group rules revoked (by rule id).
    Revoked,
    /// Security groups, subnets or route tables added to an endpoint.
    Added,
    /// Security groups, subnets or route tables removed from an endpoint.
    Removed,
    /// Endpoints deleted.
    Deleted,
    /// Endpoint connections accepted.
    Accepted,
    /// Endpoint connections rejected.
    Rejected,
    /// Route table associations ended.
    Association,
    /// Resolver rules associated or disassociated.
    ResolverRule,
}

impl Listed {
    fn as_str(self) -> &'static str {
        match self {
            Self::Authorized => "authorized",
            Self::Revoked => "revoked",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Deleted => "deleted",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Association => "association",
            Self::ResolverRule => "rule",
        }
    }
}

/// A network ACL entry's rule as a request set it.
#[derive(Debug, Clone, PartialEq)]
pub struct AclRule {
    /// Allow or deny.
    pub action: RuleAction,
    /// The protocol and ports.
    pub ports: Ports,
    /// The IPv4 or IPv6 CIDR block.
    pub cidr: Option<String>,
}

/// A setting an `UpdateEnvironment` request set.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvironmentSetting {
    /// The environment's security groups.
    SecurityGroups(Vec<String>),
    /// The environment's subnets.
    Subnets(Vec<String>),
    /// `PUBLIC_ONLY` or `PRIVATE_ONLY`.
    WebserverAccess(String),
    /// The source bucket's ARN.
    SourceBucket(String),
}

/// One thing a request did.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangePart {
    /// A security group permission authorized or revoked, with its peers (groups, CIDR
    /// blocks, prefix lists).
    Permission {
        /// True when it was revoked.
        revoked: bool,
        /// True for an egress rule (its peers are destinations).
        egress: bool,
        /// The protocol and ports.
        ports: Ports,
        /// The peers.
        peers: Vec<String>,
    },
    /// Ids the request listed (never empty).
    Ids(Listed, Vec<String>),
    /// Something (a subnet, an association, a DHCP option set) now tied to something else.
    Moved {
        /// What moved.
        from: String,
        /// Where to.
        to: String,
    },
    /// A route created or replaced (with its target) or deleted (without).
    Route {
        /// The destination CIDR block or prefix list.
        destination: String,
        /// The target, when the route was not deleted.
        target: Option<String>,
    },
    /// A network ACL entry.
    AclEntry {
        /// True for egress, false for ingress, `None` when the request did not say.
        egress: Option<bool>,
        /// The rule number.
        number: String,
        /// What the entry does, when it was not deleted.
        rule: Option<AclRule>,
    },
    /// An endpoint created.
    EndpointCreated {
        /// `Interface`, `Gateway`, `GatewayLoadBalancer`, …
        kind: String,
        /// The service name.
        service: String,
    },
    /// An endpoint's private DNS turned on or off.
    PrivateDns(bool),
    /// An endpoint's policy replaced.
    PolicyChanged,
    /// An endpoint's policy reset to full access.
    PolicyReset,
    /// A VPC attribute set (`enableDnsSupport true`).
    VpcAttribute {
        /// The attribute as the request named it.
        name: String,
        /// Its value.
        value: String,
    },
    /// A VPC associated with a private hosted zone.
    ZoneAssociation {
        /// The hosted zone id.
        zone: String,
        /// The VPC, when the request named it.
        vpc: Option<String>,
    },
    /// A record set change (`UPSERT CNAME sqs.us-east-1.amazonaws.com`).
    Record {
        /// `CREATE`, `UPSERT` or `DELETE`.
        action: String,
        /// The record type.
        kind: String,
        /// The record's name.
        name: String,
    },
    /// How many more record changes the request held.
    MoreRecords(usize),
    /// A setting an `UpdateEnvironment` set.
    Environment(EnvironmentSetting),
    /// An `UpdateEnvironment` that set no network setting.
    NoNetworkSettings,
}

impl fmt::Display for ChangePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Permission {
                revoked,
                egress,
                ports,
                peers,
            } => {
                let verb = if *revoked { "revoked" } else { "authorized" };
                write!(f, "{verb} {ports}")?;
                if !peers.is_empty() {
                    let way = if *egress { "to" } else { "from" };
                    write!(f, " {way} {}", peers.join(", "))?;
                }
                Ok(())
            }
            Self::Ids(listed, ids) => write!(f, "{} {}", listed.as_str(), ids.join(", ")),
            Self::Moved { from, to } => write!(f, "{from} → {to}"),
            Self::Route {
                destination,
                target,
            } => match target {
                Some(target) => write!(f, "route {destination} → {target}"),
                None => write!(f, "route {destination}"),
            },
            Self::AclEntry {
                egress,
                number,
                rule,
            } => {
                match egress {
                    Some(true) => write!(f, "egress rule {number}")?,
                    Some(false) => write!(f, "ingress rule {number}")?,
                    None => write!(f, "rule {number}")?,
                }
                if let Some(rule) = rule {
                    write!(f, " {} {}", rule.action, rule.ports)?;
                    if let Some(cidr) = &rule.cidr {
                        write!(f, " {cidr}")?;
                    }
                }
                Ok(())
            }
            Self::EndpointCreated { kind, service } => {
                write!(f, "{} endpoint for {service}", kind.to_ascii_lowercase())
            }
            Self::PrivateDns(on) => write!(f, "private DNS {}", if *on { "on" } else { "off" }),
            Self::PolicyChanged => f.write_str("policy changed"),
            Self::PolicyReset => f.write_str("policy reset to full access"),
            Self::VpcAttribute { name, value } => write!(f, "{name} {value}"),
            Self::ZoneAssociation { zone, vpc } => match vpc {
                Some(vpc) => write!(f, "zone {zone} ↔ {vpc}"),
                None => write!(f, "zone {zone}"),
            },
            Self::Record { action, kind, name } => {
                f.write_str(format!("{action} {kind} {name}").trim_end())
            }
            Self::MoreRecords(n) => write!(f, "{n} more"),
            Self::Environment(setting) => match setting {
                EnvironmentSetting::SecurityGroups(ids) => {
                    write!(f, "security groups {}", ids.join(", "))
                }
                EnvironmentSetting::Subnets(ids) => write!(f, "subnets {}", ids.join(", ")),
                EnvironmentSetting::WebserverAccess(mode) => write!(f, "webserver access {mode}"),
                EnvironmentSetting::SourceBucket(arn) => write!(f, "source bucket {arn}"),
            },
            Self::NoNetworkSettings => f.write_str("no network settings"),
        }
    }
}

/// Everything a request did, in order; empty when its parameters do not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeRequest(pub Vec<ChangePart>);

/// The parts, `; ` between them: `added sg-…; private DNS off`.
impl fmt::Display for ChangeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(protocol: &str, from: Option<&str>, to: Option<&str>) -> Ports {
        Ports {
            protocol: Protocol::parse(protocol),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        }
    }

    #[test]
    fn ports_name_a_range_only_for_tcp_and_udp_and_not_the_whole_one() {
        assert_eq!(
            ports("tcp", Some("443"), Some("443")).to_string(),
            "tcp/443"
        );
        assert_eq!(
            ports("6", Some("1024"), Some("65535")).to_string(),
            "tcp/1024-65535"
        );
        assert_eq!(ports("udp", Some("0"), Some("65535")).to_string(), "udp");
        assert_eq!(ports("-1", None, None).to_string(), "all");
        assert_eq!(ports("icmp", Some("8"), Some("0")).to_string(), "icmp");
    }

    #[test]
    fn a_request_reads_as_its_parts_in_order() {
        let request = ChangeRequest(vec![
            ChangePart::Permission {
                revoked: true,
                egress: false,
                ports: ports("tcp", Some("443"), Some("443")),
                peers: vec!["sg-1".into(), "10.0.0.0/16".into()],
            },
            ChangePart::Ids(Listed::Revoked, vec!["sgr-1".into()]),
            ChangePart::AclEntry {
                egress: Some(true),
                number: "50".into(),
                rule: Some(AclRule {
                    action: RuleAction::parse("deny"),
                    ports: ports("tcp", Some("443"), Some("443")),
                    cidr: Some("0.0.0.0/0".into()),
                }),
            },
            ChangePart::Record {
                action: "DELETE".into(),
                kind: String::new(),
                name: String::new(),
            },
            ChangePart::Environment(EnvironmentSetting::Subnets(vec![
                "subnet-1".into(),
                "subnet-2".into(),
            ])),
        ]);
        assert_eq!(
            request.to_string(),
            "revoked tcp/443 from sg-1, 10.0.0.0/16; revoked sgr-1; \
             egress rule 50 deny tcp/443 0.0.0.0/0; DELETE; subnets subnet-1, subnet-2"
        );
        assert_eq!(ChangeRequest::default().to_string(), "");
    }
}
