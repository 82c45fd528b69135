//! What decides where a name resolves inside the VPC: the DHCP option set, the service
//! catalogue, the private hosted zones associated with the VPC and their records, the
//! Route 53 Resolver rules associated with it, and endpoints found behind zone records in
//! other VPCs. Also the typed resolution path the checks compute for each name.

use serde::{Deserialize, Serialize};

use super::VpcEndpoint;

/// Everything about DNS a snapshot holds. Absent in snapshots from before it was collected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dns {
    /// The VPC's DHCP option set.
    pub dhcp_options: Option<DhcpOptions>,
    /// DescribeVpcEndpointServices: the services in scope.
    pub services: Vec<ServiceDetail>,
    /// Private hosted zones associated with the VPC (ListHostedZonesByVPC).
    pub hosted_zones: Vec<HostedZone>,
    /// Records of those zones for the names in scope (ListResourceRecordSets).
    pub records: Vec<RecordSet>,
    /// Route 53 Resolver rules associated with the VPC.
    pub resolver_rules: Vec<ResolverRule>,
    /// Interface endpoints outside the VPC that zone records point at (a hub VPC's).
    pub hub_endpoints: Vec<VpcEndpoint>,
}

/// A DHCP option set (`DescribeDhcpOptions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DhcpOptions {
    /// The `dopt-` id.
    pub id: String,
    /// `domain-name-servers`: `AmazonProvidedDNS` or IP addresses.
    pub domain_name_servers: Vec<String>,
    /// `domain-name`.
    pub domain_name: Option<String>,
}

/// One service from `DescribeVpcEndpointServices`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDetail {
    /// `ServiceName`.
    pub service_name: String,
    /// `ServiceId`.
    pub service_id: Option<String>,
    /// `ServiceType[].ServiceType`: `Interface`, `Gateway`, `GatewayLoadBalancer`.
    pub service_types: Vec<String>,
    /// `Owner`: `amazon`, `aws-marketplace` or an account id.
    pub owner: Option<String>,
    /// `PrivateDnsName` and `PrivateDnsNames[]`, deduplicated (`*.dkr.ecr.…` for wildcards).
    pub private_dns_names: Vec<String>,
    /// `AvailabilityZones` (names, which differ between accounts).
    pub availability_zones: Vec<String>,
    /// `AvailabilityZoneIds` (the same in every account).
    pub availability_zone_ids: Vec<String>,
    /// `SupportedIpAddressTypes`: `ipv4`, `ipv6`.
    pub supported_ip_address_types: Vec<String>,
    /// `VpcEndpointPolicySupported`.
    pub vpc_endpoint_policy_supported: Option<bool>,
    /// `ManagesVpcEndpoints`: the service creates and manages the endpoints itself.
    pub manages_vpc_endpoints: Option<bool>,
    /// `AcceptanceRequired`.
    pub acceptance_required: Option<bool>,
}

/// A private hosted zone associated with the VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostedZone {
    /// The zone id, without the `/hostedzone/` prefix.
    pub id: String,
    /// The zone's domain, lower case, without the final dot.
    pub name: String,
    /// The account that owns the zone, when the listing says.
    pub owner_account: Option<String>,
    /// The AWS service that owns the zone, when the listing says.
    pub owner_service: Option<String>,
}

/// The kind of a DNS record linkscope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordKind {
    /// An IPv4 address record.
    A,
    /// An IPv6 address record.
    Aaaa,
    /// A canonical name.
    Cname,
}

impl RecordKind {
    /// The record type as DNS names it: `A`, `AAAA`, `CNAME`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::Cname => "CNAME",
        }
    }
}

/// One record set of a private hosted zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordSet {
    /// The zone holding it.
    pub zone_id: String,
    /// The record's name, lower case, without the final dot (`*.` for wildcards).
    pub name: String,
    /// A, AAAA or CNAME.
    pub kind: RecordKind,
    /// An alias target's DNS name, lower case, without the final dot.
    pub alias_target: Option<String>,
    /// The record's values (addresses, or the CNAME target).
    pub values: Vec<String>,
}

/// What a Resolver rule does with the queries it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RuleType {
    /// Send the query to the rule's target IPs.
    Forward,
    /// Have the VPC resolver answer (overrides a broader FORWARD rule).
    System,
    /// The Resolver's own recursive rule: public DNS.
    Recursive,
    /// A value this version does not know, kept verbatim.
    Other(String),
}

impl RuleType {
    /// Parses the wire value, ignoring case.
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_uppercase().as_str() {
            "FORWARD" => Self::Forward,
            "SYSTEM" => Self::System,
            "RECURSIVE" => Self::Recursive,
            _ => Self::Other(value.to_string()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Forward => "FORWARD",
            Self::System => "SYSTEM",
            Self::Recursive => "RECURSIVE",
            Self::Other(value) => value,
        }
    }
}

impl From<String> for RuleType {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<RuleType> for String {
    fn from(value: RuleType) -> Self {
        value.as_str().to_string()
    }
}

/// A Route 53 Resolver rule associated with the VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolverRule {
    /// The `rslvr-rr-` id.
    pub id: String,
    /// The rule's name.
    pub name: Option<String>,
    /// The domain it matches, lower case, without the final dot (empty for the root).
    pub domain: String,
    /// FORWARD, SYSTEM or RECURSIVE.
    pub rule_type: RuleType,
    /// `ip:port` of each target of a FORWARD rule.
    pub targets: Vec<String>,
    /// The account that owns the rule (shared rules belong to another account).
    pub owner_id: Option<String>,
}

/// One step of the way a name is resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "hop", rename_all = "kebab-case")]
pub enum Hop {
    /// The DHCP option set, and whether the first of its servers (the one clients ask) is
    /// the VPC resolver.
    Dhcp {
        /// The `dopt-` id.
        options_id: String,
        /// The servers it gives instances.
        servers: Vec<String>,
        /// True when the first server is AmazonProvidedDNS or the VPC resolver's own address.
        amazon: bool,
    },
    /// The Resolver rule that won the match.
    ResolverRule {
        /// The rule.
        id: String,
        /// Its domain.
        domain: String,
        /// FORWARD, SYSTEM or RECURSIVE.
        rule_type: RuleType,
    },
    /// A private hosted zone associated with the VPC answered.
    PrivateZone {
        /// The zone.
        zone_id: String,
        /// Its domain.
        zone_name: String,
    },
    /// The hidden zone of an interface endpoint with private DNS answered.
    EndpointPrivateDns {
        /// The endpoint.
        endpoint_id: String,
    },
    /// No rule and no zone matched: public DNS answers.
    PublicDns,
}

/// What the VPC resolver (or whoever it forwards to) answers for a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum Answer {
    /// The network interface IPs of an interface endpoint, per zone.
    EndpointIps {
        /// The endpoint.
        endpoint_id: String,
        /// `(availability zone, IP)` of each interface.
        ips: Vec<(String, String)>,
    },
    /// A record of a private hosted zone.
    Record {
        /// The zone.
        zone_id: String,
        /// A, AAAA or CNAME.
        kind: RecordKind,
        /// The alias or CNAME target, or the addresses.
        targets: Vec<String>,
        /// True for an alias record.
        alias: bool,
    },
    /// A private hosted zone matched but holds no record for the name.
    Nxdomain {
        /// The zone.
        zone_id: String,
    },
    /// A FORWARD rule sends the query to resolvers linkscope cannot see.
    Forwarded {
        /// The rule.
        rule_id: String,
        /// Its target IPs.
        targets: Vec<String>,
    },
    /// The DHCP option set gives instances other DNS servers, which linkscope cannot see.
    CustomDns {
        /// The servers.
        servers: Vec<String>,
    },
    /// Public DNS: the service's public IPs.
    Public,
    /// The path could not be followed; the reason says why.
    Unknown {
        /// Why.
        reason: String,
    },
}

/// The way one name is resolved from inside the VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolutionPath {
    /// The name.
    pub name: String,
    /// The steps, in order.
    pub hops: Vec<Hop>,
    /// The answer.
    pub answer: Answer,
}

/// A name whose resolution the audit follows: a service's private DNS name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScopedName {
    /// The name queried (a wildcard's `*` becomes the account id, as ECR clients ask).
    pub name: String,
    /// The private DNS name as published (`*.dkr.ecr.us-east-1.amazonaws.com`).
    pub published: String,
    /// The service it belongs to.
    pub service_name: String,
}

/// The private DNS name AWS publishes for one of its services, when the catalogue was not
/// read: the service's labels reversed under the Region (`api.ecr.us-east-1.amazonaws.com`),
/// a wildcard for the ECR registry.
pub fn derived_private_name(region: &str, suffix: &str) -> String {
    let labels: Vec<&str> = suffix.rsplit('.').collect();
    let name = format!("{}.{region}.amazonaws.com", labels.join("."));
    if suffix == "ecr.dkr" {
        format!("*.{name}")
    } else {
        name
    }
}

/// Whether a service matters to a VPC: one of the ten MWAA services, or the service of one
/// of its endpoints.
pub fn service_in_scope(region: &str, service_name: &str, endpoints: &[VpcEndpoint]) -> bool {
    let mwaa = service_name
        .strip_prefix("com.amazonaws.")
        .and_then(|rest| rest.strip_prefix(region))
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|suffix| super::MWAA_SERVICES.contains(&suffix));
    mwaa || endpoints.iter().any(|e| e.service_name == service_name)
}

/// The names in scope of the DNS path: the private DNS names of the ten MWAA services, then
/// those of every other interface endpoint of the VPC, each once. Names come from the
/// service catalogue when it lists a name for the service, else from the endpoint's
/// `DnsEntries`, else (for the MWAA services) from the service name.
pub fn names_in_scope(
    region: &str,
    account: Option<&str>,
    endpoints: &[VpcEndpoint],
    services: &[ServiceDetail],
) -> Vec<ScopedName> {
    let concrete = |published: &str| match published.strip_prefix("*.") {
        Some(rest) => format!("{}.{rest}", account.unwrap_or("example")),
        None => published.to_string(),
    };
    let published_of = |service_name: &str| -> Option<String> {
        // S3 and DynamoDB are listed twice (gateway and interface); the gateway has no name.
        let listed = services
            .iter()
            .filter(|s| s.service_name == service_name)
            .find_map(|s| s.private_dns_names.first().cloned());
        if listed.is_some() {
            return listed;
        }
        endpoints
            .iter()
            .filter(|e| e.service_name == service_name)
            .flat_map(|e| &e.dns_entries)
            .find(|d| d.kind() == super::DnsEntryKind::Private)
            .map(|d| d.dns_name.to_lowercase())
    };
    let prefix = format!("com.amazonaws.{region}.");
    let mut names: Vec<ScopedName> = Vec::new();
    let mut add = |service_name: String, published: Option<String>| {
        if let Some(published) = published
            && !names.iter().any(|n| n.published == published)
        {
            names.push(ScopedName {
                name: concrete(&published),
                published,
                service_name,
            });
        }
    };
    for suffix in super::MWAA_SERVICES {
        let service_name = format!("{prefix}{suffix}");
        let published =
            published_of(&service_name).or_else(|| Some(derived_private_name(region, suffix)));
        add(service_name, published);
    }
    for endpoint in endpoints
        .iter()
        .filter(|e| e.endpoint_type == super::EndpointType::Interface)
    {
        add(
            endpoint.service_name.clone(),
            published_of(&endpoint.service_name),
        );
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_in_scope_are_the_mwaa_ten_and_the_vpcs_own() {
        let endpoints = [crate::model::snapshot::tests::endpoint(
            "vpce-1",
            "com.amazonaws.vpce.us-east-1.vpce-svc-1",
        )];
        for (name, expected) in [
            ("com.amazonaws.us-east-1.sqs", true),
            ("com.amazonaws.us-east-1.airflow.ops", true),
            ("com.amazonaws.us-east-1.vpce-svc-1", false),
            ("com.amazonaws.vpce.us-east-1.vpce-svc-1", true),
            ("com.amazonaws.us-west-2.sqs", false),
            ("com.amazonaws.us-east-1.ssm", false),
        ] {
            assert_eq!(
                service_in_scope("us-east-1", name, &endpoints),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn names_in_scope_come_from_the_catalogue_then_the_endpoint_then_the_service_name() {
        let services = vec![ServiceDetail {
            service_name: "com.amazonaws.us-east-1.sqs".into(),
            private_dns_names: vec!["sqs.us-east-1.amazonaws.com".into()],
            ..ServiceDetail::default()
        }];
        let mut partner = crate::model::snapshot::tests::endpoint(
            "vpce-1",
            "com.amazonaws.vpce.us-east-1.vpce-svc-1",
        );
        partner.dns_entries.push(crate::model::DnsEntry {
            dns_name: "api.partner.example.com".into(),
            hosted_zone_id: None,
        });
        let names = names_in_scope("us-east-1", Some("111122223333"), &[partner], &services);
        let published: Vec<&str> = names.iter().map(|n| n.published.as_str()).collect();
        assert_eq!(
            published,
            [
                "s3.us-east-1.amazonaws.com",
                "monitoring.us-east-1.amazonaws.com",
                "*.dkr.ecr.us-east-1.amazonaws.com",
                "api.ecr.us-east-1.amazonaws.com",
                "logs.us-east-1.amazonaws.com",
                "sqs.us-east-1.amazonaws.com",
                "kms.us-east-1.amazonaws.com",
                "api.airflow.us-east-1.amazonaws.com",
                "env.airflow.us-east-1.amazonaws.com",
                "ops.airflow.us-east-1.amazonaws.com",
                "api.partner.example.com",
            ]
        );
        assert_eq!(
            names[2].name,
            "111122223333.dkr.ecr.us-east-1.amazonaws.com"
        );
        assert_eq!(
            names[10].service_name,
            "com.amazonaws.vpce.us-east-1.vpce-svc-1"
        );
    }
}
