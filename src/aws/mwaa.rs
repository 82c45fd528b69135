//! Amazon MWAA environment discovery.

use aws_sdk_mwaa::Client;

use super::convert;
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
    Ok(convert::environment(env, name))
}
