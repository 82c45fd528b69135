//! VPC endpoints, their network interfaces, DNS entries, and who owns the service behind them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Tags;

/// A VPC endpoint of any type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcEndpoint {
    /// The endpoint id (`VpcEndpointId`), e.g. `vpce-0123456789abcdef0`.
    pub id: String,
    /// The VPC the endpoint is in.
    pub vpc_id: String,
    /// The service name (`ServiceName`), e.g. `com.amazonaws.us-east-1.sqs`.
    pub service_name: String,
    /// Interface, gateway or Gateway Load Balancer (`VpcEndpointType`).
    pub endpoint_type: EndpointType,
    /// The lifecycle state (`State`).
    pub state: EndpointState,
    /// Subnets of an interface or Gateway Load Balancer endpoint (`SubnetIds`).
    pub subnet_ids: Vec<String>,
    /// The endpoint's network interfaces, one per subnet (`NetworkInterfaceIds`).
    pub network_interface_ids: Vec<String>,
    /// Security groups of an interface endpoint (`Groups[].GroupId`).
    pub security_group_ids: Vec<String>,
    /// `PrivateDnsEnabled`: the service's own name resolves to the endpoint inside the VPC.
    pub private_dns_enabled: bool,
    /// `DnsOptions` of an interface endpoint; `None` when the API reports none.
    pub dns_options: Option<DnsOptions>,
    /// The DNS names the endpoint answers to (`DnsEntries`).
    pub dns_entries: Vec<DnsEntry>,
    /// The policy document exactly as the API returns it (JSON text).
    pub policy_document: Option<String>,
    /// Route tables of a gateway endpoint.
    pub route_table_ids: Vec<String>,
    /// `ipv4`, `dualstack`, `ipv6` or `not-specified`.
    pub ip_address_type: Option<String>,
    /// RFC 3339 creation time.
    pub creation_timestamp: Option<String>,
    /// Why the endpoint failed (`LastError`); `None` when it did not.
    pub last_error: Option<LastError>,
    /// True when an AWS service created the endpoint on the account's behalf (`RequesterManaged`).
    pub requester_managed: bool,
    /// The account that owns the endpoint (`OwnerId`).
    pub owner_id: Option<String>,
    /// The endpoint's tags.
    pub tags: Tags,
}

impl VpcEndpoint {
    /// The service name without the `com.amazonaws.<region>.` prefix, e.g. `ecr.dkr`.
    pub fn short_service_name(&self) -> &str {
        let name = self.service_name.as_str();
        match name.strip_prefix("com.amazonaws.") {
            Some(rest) if rest.starts_with("vpce.") => rest.rsplit('.').next().unwrap_or(rest),
            Some(rest) => rest.split_once('.').map_or(rest, |(_, service)| service),
            None => name,
        }
    }
}

/// The endpoint type as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum EndpointType {
    /// `Interface`: network interfaces in the VPC's subnets, reached over PrivateLink.
    Interface,
    /// `Gateway`: a route table target for Amazon S3 or DynamoDB.
    Gateway,
    /// `GatewayLoadBalancer`: a route target that sends traffic to a Gateway Load Balancer.
    GatewayLoadBalancer,
    /// A type this version does not know, kept verbatim.
    Other(String),
}

impl EndpointType {
    /// Parses the wire value, ignoring case.
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "interface" => Self::Interface,
            "gateway" => Self::Gateway,
            "gatewayloadbalancer" => Self::GatewayLoadBalancer,
            _ => Self::Other(value.to_string()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Interface => "Interface",
            Self::Gateway => "Gateway",
            Self::GatewayLoadBalancer => "GatewayLoadBalancer",
            Self::Other(value) => value,
        }
    }
}

impl From<String> for EndpointType {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<EndpointType> for String {
    fn from(value: EndpointType) -> Self {
        value.as_str().to_string()
    }
}

impl fmt::Display for EndpointType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lifecycle state of an endpoint.
///
/// On the wire the states are camelCase (`pendingAcceptance`, `available`, …); the
/// SDK's own enum expects PascalCase and parses every real value as `Unknown`, so
/// states are always mapped from the raw string with [`EndpointState::parse`].
/// Source: AWS PrivateLink Guide, *AWS PrivateLink concepts › Endpoint states*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum EndpointState {
    /// `pendingAcceptance`: waiting for the service provider to accept the connection request.
    PendingAcceptance,
    /// `pending`: accepted and still being provisioned, or being modified.
    Pending,
    /// `available`: ready to carry traffic.
    Available,
    /// `deleting`: being deleted.
    Deleting,
    /// `deleted`: deleted.
    Deleted,
    /// `rejected`: the service provider rejected the connection request.
    Rejected,
    /// `failed`: could not be made available (see `LastError`).
    Failed,
    /// `expired`: the connection request expired.
    Expired,
    /// `partial`: only partially available.
    Partial,
    /// A state this version does not know, kept verbatim.
    Unknown(String),
}

impl EndpointState {
    /// Parses the wire value, ignoring case and `-`/`_` separators.
    pub fn parse(value: &str) -> Self {
        let folded: String = value
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "pendingacceptance" => Self::PendingAcceptance,
            "pending" => Self::Pending,
            "available" => Self::Available,
            "deleting" => Self::Deleting,
            "deleted" => Self::Deleted,
            "rejected" => Self::Rejected,
            "failed" => Self::Failed,
            "expired" => Self::Expired,
            "partial" => Self::Partial,
            _ => Self::Unknown(value.to_string()),
        }
    }

    /// The wire value (camelCase).
    pub fn as_str(&self) -> &str {
        match self {
            Self::PendingAcceptance => "pendingAcceptance",
            Self::Pending => "pending",
            Self::Available => "available",
            Self::Deleting => "deleting",
            Self::Deleted => "deleted",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Partial => "partial",
            Self::Unknown(value) => value,
        }
    }
}

impl From<String> for EndpointState {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<EndpointState> for String {
    fn from(value: EndpointState) -> Self {
        value.as_str().to_string()
    }
}

impl fmt::Display for EndpointState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who provides the service behind an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceOwner {
    /// An AWS service (`com.amazonaws.<region>.<service>`, owner `amazon`).
    Aws,
    /// An AWS Marketplace or partner service (owner `aws-marketplace`, names such as `aws.api.…`).
    Marketplace,
    /// An endpoint service of the account that owns the VPC.
    ThisAccount,
    /// An endpoint service of another account; the account when it is known.
    OtherAccount(Option<String>),
    /// A name this version cannot place.
    Unknown,
}

impl ServiceOwner {
    /// The one classifier of service ownership. `listed_owner` is DescribeVpcEndpointServices'
    /// `Owner` when it was read (`amazon`, `aws-marketplace` or an account id); without it
    /// the service name decides. `account` is the VPC owner's account.
    pub fn classify(service_name: &str, listed_owner: Option<&str>, account: Option<&str>) -> Self {
        let provider = |owner: Option<&str>| match (owner, account) {
            (Some(owner), Some(account)) if owner == account => Self::ThisAccount,
            (owner, _) => Self::OtherAccount(owner.map(str::to_string)),
        };
        match listed_owner {
            Some("amazon") => Self::Aws,
            Some("aws-marketplace") => Self::Marketplace,
            Some(owner) if owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit()) => {
                provider(Some(owner))
            }
            _ if service_name.starts_with("com.amazonaws.vpce.") => provider(None),
            _ if service_name.starts_with("com.amazonaws.") => Self::Aws,
            _ if service_name.starts_with("aws.api.") || service_name.starts_with("aws.") => {
                Self::Marketplace
            }
            _ => Self::Unknown,
        }
    }

    /// How the owner reads in a sentence.
    pub fn describe(&self) -> String {
        match self {
            Self::Aws => "an AWS service".into(),
            Self::Marketplace => "an AWS Marketplace or partner service".into(),
            Self::ThisAccount => "an endpoint service of this account".into(),
            Self::OtherAccount(Some(account)) => {
                format!("an endpoint service of account {account}")
            }
            Self::OtherAccount(None) => "an endpoint service of another account".into(),
            Self::Unknown => "a service of unknown ownership".into(),
        }
    }
}

/// DNS options of an interface endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsOptions {
    /// `ipv4`, `dualstack`, `ipv6` or `service-defined`.
    pub dns_record_ip_type: Option<String>,
    /// `PrivateDnsOnlyForInboundResolverEndpoint`: private DNS only for the inbound Resolver endpoint.
    pub private_dns_only_for_inbound_resolver_endpoint: Option<bool>,
}

/// One `DnsEntries` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsEntry {
    /// The DNS name (`DnsName`).
    pub dns_name: String,
    /// The Route 53 hosted zone of the name (`HostedZoneId`).
    pub hosted_zone_id: Option<String>,
}

/// Which of an endpoint's names a DNS entry is (*Access AWS services through AWS PrivateLink › DNS
/// hostnames*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsEntryKind {
    /// `vpce-…-xxxxxxxx.<service>.<region>.vpce.amazonaws.com`: resolves to every interface.
    Regional,
    /// `vpce-…-xxxxxxxx-<az>.<service>…`: resolves to the interface in one zone.
    Zonal,
    /// The service's own name (`sqs.us-east-1.amazonaws.com`) from the hidden private zone.
    Private,
}

impl DnsEntry {
    /// Which name this is: endpoint-specific names carry `.vpce.`; a zonal one has the zone
    /// appended to the endpoint's first label (`vpce-<id>-<suffix>-<az>`).
    pub fn kind(&self) -> DnsEntryKind {
        if !self.dns_name.contains(".vpce.") {
            return DnsEntryKind::Private;
        }
        let first = self.dns_name.split('.').next().unwrap_or_default();
        if first.split('-').count() > 3 {
            DnsEntryKind::Zonal
        } else {
            DnsEntryKind::Regional
        }
    }
}

/// `LastError` of an endpoint that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastError {
    /// The error code (`Code`).
    pub code: Option<String>,
    /// The error message (`Message`).
    pub message: Option<String>,
}

/// An endpoint network interface (requester-managed ENI of an interface endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointEni {
    /// The network interface id (`eni-…`).
    pub id: String,
    /// The subnet the interface is in.
    pub subnet_id: String,
    /// The interface's Availability Zone, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// The primary private IPv4 address (`PrivateIpAddress`).
    pub private_ip: Option<String>,
    /// The interface's IPv6 addresses (`Ipv6Addresses`).
    pub ipv6_addresses: Vec<String>,
    /// Security groups attached to the interface (`Groups[].GroupId`).
    pub security_group_ids: Vec<String>,
    /// True when AWS manages the interface (`RequesterManaged`).
    pub requester_managed: bool,
    /// The interface status (`Status`): `in-use`, `available`, …
    pub status: Option<String>,
    /// `DenyAllIgwTraffic`: AWS sets it on endpoint interfaces with IPv6 addresses.
    #[serde(default)]
    pub deny_all_igw_traffic: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_from_wire_casing_and_round_trip() {
        for wire in [
            "pendingAcceptance",
            "pending",
            "available",
            "deleting",
            "deleted",
            "rejected",
            "failed",
            "expired",
            "partial",
        ] {
            let state = EndpointState::parse(wire);
            assert!(!matches!(state, EndpointState::Unknown(_)), "{wire}");
            assert_eq!(state.as_str(), wire);
        }
        assert_eq!(
            EndpointState::parse("PendingAcceptance"),
            EndpointState::PendingAcceptance
        );
        assert_eq!(EndpointState::parse("AVAILABLE"), EndpointState::Available);
        assert_eq!(
            EndpointState::parse("hibernating"),
            EndpointState::Unknown("hibernating".into())
        );
    }

    #[test]
    fn service_owners_from_the_listing_or_the_name() {
        let account = Some("111122223333");
        let classify = |name, owner| ServiceOwner::classify(name, owner, account);
        assert_eq!(
            classify("com.amazonaws.us-east-1.sqs", None),
            ServiceOwner::Aws
        );
        assert_eq!(
            classify("aws.api.us-east-1.bedrock", None),
            ServiceOwner::Marketplace
        );
        assert_eq!(
            classify("com.amazonaws.vpce.us-east-1.vpce-svc-0abc", None),
            ServiceOwner::OtherAccount(None)
        );
        assert_eq!(
            classify(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0abc",
                Some("111122223333")
            ),
            ServiceOwner::ThisAccount
        );
        assert_eq!(
            classify(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0abc",
                Some("444455556666")
            ),
            ServiceOwner::OtherAccount(Some("444455556666".into()))
        );
        assert_eq!(
            classify(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0abc",
                Some("aws-marketplace")
            ),
            ServiceOwner::Marketplace
        );
        assert_eq!(classify("example.internal", None), ServiceOwner::Unknown);
    }

    #[test]
    fn dns_entry_kinds() {
        let entry = |name: &str| DnsEntry {
            dns_name: name.into(),
            hosted_zone_id: None,
        };
        assert_eq!(
            entry("vpce-0abc-k2l4m8n1.sqs.us-east-1.vpce.amazonaws.com").kind(),
            DnsEntryKind::Regional
        );
        assert_eq!(
            entry("vpce-0abc-k2l4m8n1-us-east-1a.sqs.us-east-1.vpce.amazonaws.com").kind(),
            DnsEntryKind::Zonal
        );
        assert_eq!(
            entry("sqs.us-east-1.amazonaws.com").kind(),
            DnsEntryKind::Private
        );
    }

    #[test]
    fn short_service_name_strips_region_prefix() {
        let mut endpoint =
            crate::model::snapshot::tests::endpoint("vpce-1", "com.amazonaws.us-east-1.ecr.dkr");
        assert_eq!(endpoint.short_service_name(), "ecr.dkr");
        endpoint.service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0e123abc123198abc".into();
        assert_eq!(endpoint.short_service_name(), "vpce-svc-0e123abc123198abc");
        endpoint.service_name = "aws.api.us-east-1.bedrock".into();
        assert_eq!(endpoint.short_service_name(), "aws.api.us-east-1.bedrock");
    }
}
