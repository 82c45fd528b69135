//! The Amazon MWAA environment and the workload an audit is about.

use serde::{Deserialize, Serialize};

/// What `GetEnvironment` says about an Amazon MWAA environment's networking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MwaaEnvironment {
    pub name: String,
    pub arn: Option<String>,
    pub status: Option<String>,
    pub airflow_version: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// `PRIVATE_ONLY` or `PUBLIC_ONLY`.
    pub webserver_access_mode: Option<String>,
    pub source_bucket_arn: Option<String>,
    pub kms_key: Option<String>,
    /// `SERVICE` or `CUSTOMER`.
    pub endpoint_management: Option<String>,
    pub webserver_vpc_endpoint_service: Option<String>,
    pub database_vpc_endpoint_service: Option<String>,
}

/// The subnets and security groups whose traffic the audit follows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    pub origin: WorkloadOrigin,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// Where the workload came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadOrigin {
    /// The MWAA environment's network configuration (`--mwaa-env`).
    Environment,
    /// `--subnets` and `--security-groups`.
    Flags,
    /// Nothing was named; the audit infers the workload from the VPC.
    #[default]
    Unspecified,
}
