//! The snapshot model: plain owned data that every command reads.
//!
//! A [`Snapshot`] is what the collector (`crate::aws`) produces, what a snapshot file
//! stores as JSON, and what the checks and the dashboard consume. Nothing here knows
//! about the AWS SDK.

mod access;
mod change_request;
mod changes;
mod choices;
mod dns;
mod endpoint;
mod metrics;
mod mwaa;
mod network;
mod probe;
mod security;
mod snapshot;
mod status;
mod time;
mod transit;

pub use access::{
    EnvironmentKey, ExecutionRole, PolicyDocument, PublicAccessBlock, SourceBucket, bucket_name,
    role_name,
};
pub use change_request::{AclRule, ChangePart, ChangeRequest, EnvironmentSetting, Listed, Ports};
pub use changes::{CHANGE_EVENTS, ChangeEvent, Changes, ids_in_scope, is_change_event};
pub use choices::{Choice, Choices, EnvironmentChoice, VpcChoice};
pub use dns::{
    Answer, DhcpOptions, Dns, Hop, HostedZone, RecordKind, RecordSet, ResolutionPath, ResolverRule,
    RuleType, ScopedName, ServiceDetail, derived_private_name, names_in_scope, service_in_scope,
};
pub use endpoint::{
    DnsEntry, DnsEntryKind, DnsOptions, EndpointEni, EndpointState, EndpointType, LastError,
    ServiceOwner, VpcEndpoint,
};
pub use metrics::{
    Component, EnvironmentMetric, EnvironmentSeries, MetricName, MetricSeries, Metrics,
    endpoint_dimensions,
};
pub use mwaa::{
    EnvironmentStatus, LastUpdate, MWAA_SERVICES, MwaaEnvironment, Workload, WorkloadOrigin,
};
pub use network::{
    PrefixList, Route, RouteState, RouteTable, RouteTableAssociation, Subnet, Tags, TargetKind, Vpc,
};
pub use probe::{
    ProbeAnswer, ProbeReport, ProbeResult, ProbeVerdict, RanOn, Rcode, TcpResult, TcpStep,
    TlsResult, TlsStep,
};
pub use security::{
    IcmpTypeCode, NaclAssociation, NaclEntry, NetworkAcl, Protocol, RuleAction, SecurityGroup,
    SgRule,
};
pub use snapshot::{SCHEMA_VERSION, Snapshot, SnapshotError};
pub use status::{FetchError, FetchStatus, Source};
pub use time::{epoch_seconds, rfc3339};
pub use transit::{
    PeeringConnection, PeeringSide, PeeringStatus, TgwAttachment, TgwRoute, TgwRouteAttachment,
    TgwRouteTable, Transit, TransitGateway,
};

/// A plain available interface endpoint, for tests across the crate.
#[cfg(test)]
pub(crate) fn test_endpoint(id: &str, service: &str) -> VpcEndpoint {
    snapshot::tests::endpoint(id, service)
}
