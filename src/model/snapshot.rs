//! The snapshot: everything collected about one VPC at one moment.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Changes, Dns, EndpointEni, EnvironmentKey, ExecutionRole, FetchError, FetchStatus, Metrics,
    MwaaEnvironment, NetworkAcl, PrefixList, RouteTable, SecurityGroup, Source, SourceBucket,
    Subnet, Transit, Vpc, VpcEndpoint, Workload,
};

/// The snapshot file format version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything linkscope knows about a VPC. Serialized as-is to snapshot files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The file format version; [`SCHEMA_VERSION`] when this build wrote it.
    pub schema: u32,
    /// RFC 3339 time of capture.
    pub captured_at: String,
    /// The AWS Region, e.g. `us-east-1`.
    pub region: String,
    /// The named profile used, if any.
    pub profile: Option<String>,
    /// The VPC under inspection.
    pub vpc: Vpc,
    /// The VPC's subnets.
    pub subnets: Vec<Subnet>,
    /// The VPC's route tables.
    pub route_tables: Vec<RouteTable>,
    /// The Region's AWS-managed prefix lists, for routes and rules that reference them.
    pub prefix_lists: Vec<PrefixList>,
    /// The VPC's security groups.
    pub security_groups: Vec<SecurityGroup>,
    /// The VPC's network ACLs.
    pub network_acls: Vec<NetworkAcl>,
    /// The VPC's endpoints, of every type.
    pub endpoints: Vec<VpcEndpoint>,
    /// The network interfaces of the VPC's endpoints.
    pub endpoint_enis: Vec<EndpointEni>,
    /// Gateway endpoints in the whole Region, for the per-Region quota.
    pub region_gateway_endpoints: Option<u32>,
    /// The MWAA environment, with `--mwaa-env`.
    pub environment: Option<MwaaEnvironment>,
    /// The subnets and security groups the audit follows.
    pub workload: Workload,
    /// Endpoint metrics over the window.
    pub metrics: Metrics,
    /// DHCP options, the service catalogue, private zones and Resolver rules (absent before
    /// linkscope collected them; the checks that need them then say `unknown`).
    #[serde(default)]
    pub dns: Dns,
    /// The caller's account (`GetCallerIdentity`), to tell a VPC shared with it.
    #[serde(default)]
    pub caller_account: Option<String>,
    /// Endpoints, in other VPCs of the account, of the required services the VPC lacks.
    #[serde(default)]
    pub endpoints_elsewhere: Vec<VpcEndpoint>,
    /// Peering connections, transit gateways and the hub VPCs' network on the way to
    /// endpoints in other VPCs (absent before linkscope collected them).
    #[serde(default)]
    pub transit: Transit,
    /// CloudTrail changes over `--changes`, when asked (absent from the file otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
    /// The environment's execution role and its policies, with `--mwaa-env` (absent when it
    /// could not be read; its sources say why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role: Option<ExecutionRole>,
    /// The environment's source bucket, with `--mwaa-env`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_bucket: Option<SourceBucket>,
    /// The environment's KMS key, when it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<EnvironmentKey>,
    /// Fetch status of every source; an error here means that part of the snapshot is missing.
    pub sources: BTreeMap<Source, FetchStatus>,
}

/// Why a snapshot document could not be read.
#[derive(Debug, PartialEq)]
pub enum SnapshotError {
    /// Not JSON, truncated, or not shaped like a snapshot.
    Malformed(String),
    /// Written by a newer linkscope.
    NewerSchema(u64),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(reason) => write!(f, "not a linkscope snapshot: {reason}"),
            Self::NewerSchema(found) => write!(
                f,
                "snapshot schema {found} is newer than this linkscope reads ({SCHEMA_VERSION}); upgrade linkscope"
            ),
        }
    }
}

impl Snapshot {
    /// The network interfaces of an endpoint that DescribeNetworkInterfaces returned.
    pub fn enis_of<'a>(
        &'a self,
        endpoint: &'a VpcEndpoint,
    ) -> impl Iterator<Item = &'a EndpointEni> + 'a {
        self.endpoint_enis
            .iter()
            .filter(move |n| endpoint.network_interface_ids.contains(&n.id))
    }

    /// Parses a snapshot document, checking its schema version first.
    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(found) if found > u64::from(SCHEMA_VERSION) => {
                return Err(SnapshotError::NewerSchema(found));
            }
            Some(_) => {}
            None => return Err(SnapshotError::Malformed("no `schema` version field".into())),
        }
        serde_json::from_value(value).map_err(|e| SnapshotError::Malformed(e.to_string()))
    }

    /// The pretty-printed JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a snapshot always serializes")
    }

    /// Sources that failed, with their errors.
    pub fn failed_sources(&self) -> impl Iterator<Item = (Source, &FetchError)> {
        self.sources
            .iter()
            .filter_map(|(source, status)| match status {
                FetchStatus::Error(error) => Some((*source, error)),
                FetchStatus::Ok => None,
            })
    }

    /// True when some source could not be fetched.
    pub fn is_partial(&self) -> bool {
        self.failed_sources().next().is_some()
    }

    /// The VPC's `Name` tag, if any.
    pub fn vpc_name(&self) -> Option<&str> {
        self.vpc.tags.get("Name").map(String::as_str)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{EndpointState, EndpointType, MetricName, MetricSeries};

    pub(crate) fn endpoint(id: &str, service: &str) -> VpcEndpoint {
        VpcEndpoint {
            id: id.into(),
            vpc_id: "vpc-0a1b2c3d4e5f60718".into(),
            service_name: service.into(),
            endpoint_type: EndpointType::Interface,
            state: EndpointState::Available,
            subnet_ids: vec![],
            network_interface_ids: vec![],
            security_group_ids: vec![],
            private_dns_enabled: true,
            dns_options: None,
            dns_entries: vec![],
            policy_document: None,
            route_table_ids: vec![],
            ip_address_type: Some("ipv4".into()),
            creation_timestamp: None,
            last_error: None,
            requester_managed: false,
            owner_id: None,
            tags: Default::default(),
        }
    }

    fn sample() -> Snapshot {
        let mut sources = BTreeMap::new();
        sources.insert(Source::Vpc, FetchStatus::Ok);
        sources.insert(
            Source::Metrics,
            FetchStatus::Error(FetchError {
                code: Some("AccessDenied".into()),
                message: "denied".into(),
            }),
        );
        let mut weird = endpoint("vpce-0123456789abcdef0", "com.amazonaws.us-east-1.logs");
        weird.state = EndpointState::Unknown("hibernating".into());
        weird.endpoint_type = EndpointType::Other("Resource".into());
        Snapshot {
            schema: SCHEMA_VERSION,
            captured_at: "2026-11-25T07:00:00Z".into(),
            region: "us-east-1".into(),
            profile: None,
            vpc: Vpc {
                id: "vpc-0a1b2c3d4e5f60718".into(),
                owner_id: Some("111122223333".into()),
                cidr_blocks: vec!["10.0.0.0/16".into()],
                ipv6_cidr_blocks: vec![],
                enable_dns_support: Some(true),
                enable_dns_hostnames: None,
                dhcp_options_id: None,
                is_default: false,
                tags: [("Name".to_string(), "data-platform".to_string())].into(),
            },
            subnets: vec![],
            route_tables: vec![],
            prefix_lists: vec![],
            security_groups: vec![],
            network_acls: vec![],
            endpoints: vec![weird],
            endpoint_enis: vec![],
            region_gateway_endpoints: Some(3),
            environment: None,
            workload: Workload::default(),
            dns: Dns::default(),
            caller_account: Some("111122223333".into()),
            endpoints_elsewhere: vec![],
            transit: Transit::default(),
            changes: Some(Changes {
                since: "2026-11-24T07:00:00Z".into(),
                until: "2026-11-25T07:00:00Z".into(),
                events: vec![crate::model::ChangeEvent {
                    event_id: "e1".into(),
                    time: "2026-11-25T03:12:00Z".into(),
                    event_name: "ModifyVpcAttribute".into(),
                    event_source: "ec2.amazonaws.com".into(),
                    actor: Some("role/deployer".into()),
                    resources: vec!["vpc-0a1b2c3d4e5f60718".into()],
                    summary: "enableDnsHostnames false".into(),
                }],
                pages: 1,
                more: false,
                error: Some(FetchError {
                    code: Some("ThrottlingException".into()),
                    message: "Rate exceeded".into(),
                }),
            }),
            execution_role: None,
            source_bucket: None,
            kms_key: None,
            metrics: Metrics {
                start: 0,
                end: 10_800,
                period_seconds: 60,
                series: vec![MetricSeries {
                    endpoint_id: "vpce-0123456789abcdef0".into(),
                    metric: MetricName::BytesProcessed,
                    statistic: "Sum".into(),
                    points: vec![(60, 0.1), (120, 1.0e-7), (180, 123_456_789.123_456_7)],
                }],
                environment: vec![],
            },
            sources,
        }
    }

    #[test]
    fn json_round_trips_losslessly() {
        let snapshot = sample();
        let back = Snapshot::from_json(&snapshot.to_json()).unwrap();
        assert_eq!(back, snapshot);
        assert!(back.is_partial());
        assert_eq!(back.vpc_name(), Some("data-platform"));
    }

    #[test]
    fn changes_are_optional_and_absent_from_the_file_when_not_asked() {
        let mut snapshot = sample();
        assert!(snapshot.to_json().contains("\"changes\""));
        snapshot.changes = None;
        let text = snapshot.to_json();
        assert!(!text.contains("\"changes\""), "{text}");
        assert_eq!(Snapshot::from_json(&text).unwrap().changes, None);
    }

    #[test]
    fn rejects_newer_schema_and_garbage() {
        let mut value: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
        value["schema"] = 99.into();
        assert_eq!(
            Snapshot::from_json(&value.to_string()),
            Err(SnapshotError::NewerSchema(99))
        );
        let text = sample().to_json();
        assert!(matches!(
            Snapshot::from_json(&text[..text.len() / 2]),
            Err(SnapshotError::Malformed(_))
        ));
        assert!(matches!(
            Snapshot::from_json("{}"),
            Err(SnapshotError::Malformed(_))
        ));
    }
}
