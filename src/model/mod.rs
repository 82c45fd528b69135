//! The snapshot model: plain owned data that every command reads.
//!
//! A [`Snapshot`] is what the collector (`crate::aws`) produces, what a snapshot file
//! stores as JSON, and what the checks and the dashboard consume. Nothing here knows
//! about the AWS SDK.

mod endpoint;
mod metrics;
mod mwaa;
mod network;
mod security;
mod snapshot;
mod status;

pub use endpoint::{
    DnsEntry, DnsEntryKind, DnsOptions, EndpointEni, EndpointState, EndpointType, LastError,
    ServiceOwner, VpcEndpoint,
};
pub use metrics::{MetricName, MetricSeries, Metrics};
pub use mwaa::{MwaaEnvironment, Workload, WorkloadOrigin};
pub use network::{
    PrefixList, Route, RouteState, RouteTable, RouteTableAssociation, Subnet, Tags, TargetKind, Vpc,
};
pub use security::{
    IcmpTypeCode, NaclAssociation, NaclEntry, NetworkAcl, Protocol, RuleAction, SecurityGroup,
    SgRule,
};
pub use snapshot::{SCHEMA_VERSION, Snapshot, SnapshotError};
pub use status::{FetchError, FetchStatus, Source};
