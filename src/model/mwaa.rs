//! The Amazon MWAA environment and the workload an audit is about.

use serde::{Deserialize, Serialize};

/// The ten services MWAA needs with private routing, in the order of "Creating the required
/// VPC service endpoints in an Amazon VPC with private routing", section "(Required) VPC
/// endpoints".
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
    /// The environment status (`Status`).
    pub status: Option<EnvironmentStatus>,
    /// The last create or update (`LastUpdate`), with its error when it failed.
    #[serde(default)]
    pub last_update: Option<LastUpdate>,
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
    /// The role MWAA runs the environment as (`ExecutionRoleArn`).
    #[serde(default)]
    pub execution_role_arn: Option<String>,
    /// `mw1.micro`, `mw1.small`, … (`EnvironmentClass`).
    #[serde(default)]
    pub environment_class: Option<String>,
    /// The most workers autoscaling runs (`MaxWorkers`).
    #[serde(default)]
    pub max_workers: Option<i32>,
}

/// `Environment.Status` of `GetEnvironment`. Kept verbatim on the wire (snapshot files hold
/// the AWS string), typed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum EnvironmentStatus {
    /// `AVAILABLE`: ready.
    Available,
    /// `CREATING`.
    Creating,
    /// `CREATE_FAILED`: creation failed (see `LastUpdate.Error`).
    CreateFailed,
    /// `UPDATING`.
    Updating,
    /// `UPDATE_FAILED`: an update failed and was rolled back.
    UpdateFailed,
    /// `ROLLING_BACK`: an update is being rolled back.
    RollingBack,
    /// `CREATING_SNAPSHOT`: capturing the environment's state for an update.
    CreatingSnapshot,
    /// `MAINTENANCE`: under maintenance.
    Maintenance,
    /// `PENDING`: waiting to be created or updated.
    Pending,
    /// `DELETING`.
    Deleting,
    /// `DELETED`.
    Deleted,
    /// `UNAVAILABLE`: not operational.
    Unavailable,
    /// A status this version does not know, kept verbatim.
    Unknown(String),
}

impl EnvironmentStatus {
    const NAMES: [(&'static str, EnvironmentStatus); 12] = [
        ("AVAILABLE", Self::Available),
        ("CREATING", Self::Creating),
        ("CREATE_FAILED", Self::CreateFailed),
        ("UPDATING", Self::Updating),
        ("UPDATE_FAILED", Self::UpdateFailed),
        ("ROLLING_BACK", Self::RollingBack),
        ("CREATING_SNAPSHOT", Self::CreatingSnapshot),
        ("MAINTENANCE", Self::Maintenance),
        ("PENDING", Self::Pending),
        ("DELETING", Self::Deleting),
        ("DELETED", Self::Deleted),
        ("UNAVAILABLE", Self::Unavailable),
    ];

    /// Parses the wire value (`CREATE_FAILED`), ignoring case.
    pub fn parse(value: &str) -> Self {
        Self::NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(value))
            .map_or_else(|| Self::Unknown(value.to_string()), |(_, s)| s.clone())
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown(value) => value,
            known => Self::NAMES
                .iter()
                .find(|(_, s)| s == known)
                .map_or("", |(name, _)| name),
        }
    }
}

impl From<String> for EnvironmentStatus {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<EnvironmentStatus> for String {
    fn from(status: EnvironmentStatus) -> Self {
        status.as_str().to_string()
    }
}

impl std::fmt::Display for EnvironmentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `LastUpdate` of `GetEnvironment`: the last create or update and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LastUpdate {
    /// `SUCCESS`, `PENDING` or `FAILED`.
    pub status: Option<String>,
    /// When it started (`CreatedAt`, RFC 3339).
    pub created_at: Option<String>,
    /// `Error.ErrorCode`, verbatim (`INCORRECT_CONFIGURATION`, …).
    pub error_code: Option<String>,
    /// `Error.ErrorMessage`, verbatim.
    pub error_message: Option<String>,
    /// What started it (`Source`).
    pub source: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::EnvironmentStatus;

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_kept() {
        for (name, status) in EnvironmentStatus::NAMES {
            assert_eq!(EnvironmentStatus::parse(name), status);
            assert_eq!(status.as_str(), name);
        }
        assert_eq!(
            EnvironmentStatus::parse("create_failed"),
            EnvironmentStatus::CreateFailed
        );
        let odd = EnvironmentStatus::parse("HIBERNATING");
        assert_eq!(odd, EnvironmentStatus::Unknown("HIBERNATING".into()));
        assert_eq!(String::from(odd), "HIBERNATING");
    }
}
