//! Amazon MWAA environment discovery.

use aws_sdk_mwaa::Client;

use super::error::fetch_error;
use crate::model::{FetchError, MwaaEnvironment};

/// `GetEnvironment`: the environment's network configuration and the settings the audit reads.
pub(super) async fn environment(
    client: &Client,
    name: &str,
) -> Result<MwaaEnvironment, FetchError> {
    let output = client
        .get_environment()
        .name(name)
        .send()
        .await
        .map_err(fetch_error)?;
    let env = output.environment().ok_or_else(|| FetchError {
        code: Some("ResourceNotFoundException".into()),
        message: format!("no MWAA environment named '{name}'"),
    })?;
    let network = env.network_configuration();
    Ok(MwaaEnvironment {
        name: env.name().unwrap_or(name).to_string(),
        arn: env.arn().map(str::to_string),
        status: env.status().map(|s| s.as_str().to_string()),
        airflow_version: env.airflow_version().map(str::to_string),
        subnet_ids: network.map(|n| n.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_ids: network
            .map(|n| n.security_group_ids().to_vec())
            .unwrap_or_default(),
        webserver_access_mode: env.webserver_access_mode().map(|m| m.as_str().to_string()),
        source_bucket_arn: env.source_bucket_arn().map(str::to_string),
        kms_key: env.kms_key().map(str::to_string),
        endpoint_management: env.endpoint_management().map(|m| m.as_str().to_string()),
        webserver_vpc_endpoint_service: env.webserver_vpc_endpoint_service().map(str::to_string),
        database_vpc_endpoint_service: env.database_vpc_endpoint_service().map(str::to_string),
    })
}
