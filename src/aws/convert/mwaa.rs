//! An Amazon MWAA environment as `GetEnvironment` returns it.

use aws_sdk_ec2::primitives::DateTimeFormat;

use super::owned;
use crate::model::{EnvironmentStatus, LastUpdate, MwaaEnvironment};

/// `GetEnvironment`'s environment: its network configuration, status, last update and the
/// settings the audit reads.
pub(in crate::aws) fn environment(
    env: &aws_sdk_mwaa::types::Environment,
    name: &str,
) -> MwaaEnvironment {
    let network = env.network_configuration();
    MwaaEnvironment {
        name: env.name().unwrap_or(name).to_string(),
        arn: owned(env.arn()),
        status: env.status().map(|s| EnvironmentStatus::parse(s.as_str())),
        last_update: env.last_update().map(|update| LastUpdate {
            status: update.status().map(|s| s.as_str().to_string()),
            created_at: update
                .created_at()
                .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
            error_code: update.error().and_then(|e| owned(e.error_code())),
            error_message: update.error().and_then(|e| owned(e.error_message())),
            source: owned(update.source()),
        }),
        airflow_version: owned(env.airflow_version()),
        subnet_ids: network.map(|n| n.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_ids: network
            .map(|n| n.security_group_ids().to_vec())
            .unwrap_or_default(),
        webserver_access_mode: env.webserver_access_mode().map(|m| m.as_str().to_string()),
        source_bucket_arn: owned(env.source_bucket_arn()),
        kms_key: owned(env.kms_key()),
        endpoint_management: env.endpoint_management().map(|m| m.as_str().to_string()),
        webserver_vpc_endpoint_service: owned(env.webserver_vpc_endpoint_service()),
        database_vpc_endpoint_service: owned(env.database_vpc_endpoint_service()),
        execution_role_arn: owned(env.execution_role_arn()),
        environment_class: owned(env.environment_class()),
        max_workers: env.max_workers(),
    }
}
