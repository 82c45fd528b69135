//! The Amazon MWAA environment and the workload an audit is about.

use serde::{Deserialize, Serialize};

/// The ten services MWAA needs with private routing, in the order of "Creating the required
/// VPC service endpoints in an Amazon VPC with private routing" (rules.md 62).
pub const MWAA_SERVICES: [&str; 10] = [
    "s3",
    "monitoring",
    "ecr.dkr",
    "ecr.api",
    "logs",
    "sqs",
    "kms",
    "airflow.api",
    "airflow.env",
    "airflow.ops",
];

/// What `GetEnvironment` says about an Amazon MWAA environment's networking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MwaaEnvironment {
    /// The environment name.
    pub name: String,
    /// The environment ARN.
    pub arn: Option<String>,
    /// The environment status (`Status`): `AVAILABLE`, `CREATING`, `UPDATING`, …
    pub status: Option<String>,
    /// The Apache Airflow version (`AirflowVersion`).
    pub airflow_version: Option<String>,
    /// The environment's subnets (`NetworkConfiguration.SubnetIds`).
    pub subnet_ids: Vec<String>,
    /// The environment's security groups (`NetworkConfiguration.SecurityGroupIds`).
    pub security_group_ids: Vec<String>,
    /// `PRIVATE_ONLY` or `PUBLIC_ONLY`.
    pub webserver_access_mode: Option<String>,
    /// The S3 bucket holding the DAGs (`SourceBucketArn`).
    pub source_bucket_arn: Option<String>,
    /// The KMS key that encrypts the environment's data, if one was given (`KmsKey`).
    pub kms_key: Option<String>,
    /// `SERVICE` or `CUSTOMER`.
    pub endpoint_management: Option<String>,
    /// The endpoint service of the Airflow web server (`WebserverVpcEndpointService`).
    pub webserver_vpc_endpoint_service: Option<String>,
    /// The endpoint service of the metadata database (`DatabaseVpcEndpointService`).
    pub database_vpc_endpoint_service: Option<String>,
}

/// The subnets and security groups whose traffic the audit follows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// Where the subnets and security groups came from.
    pub origin: WorkloadOrigin,
    /// The workload's subnets.
    pub subnet_ids: Vec<String>,
    /// The workload's security groups.
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
