//! The environment's KMS key: `DescribeKey` and `GetKeyPolicy`, concurrently.

use std::collections::BTreeMap;

use aws_sdk_kms::Client;
use tokio::sync::Semaphore;

use super::error::fetch_error;
use super::limit::gated;
use crate::model::{EnvironmentKey, FetchError, FetchStatus, Source};

/// `DescribeKey`: the key's ARN, manager and state.
async fn describe(
    client: &Client,
    key: &str,
) -> Result<(Option<String>, Option<String>, Option<String>), FetchError> {
    let output = client
        .describe_key()
        .key_id(key)
        .send()
        .await
        .map_err(fetch_error)?;
    let metadata = output.key_metadata();
    Ok((
        metadata.and_then(|m| m.arn()).map(str::to_string),
        metadata
            .and_then(|m| m.key_manager())
            .map(|m| m.as_str().to_string()),
        metadata
            .and_then(|m| m.key_state())
            .map(|s| s.as_str().to_string()),
    ))
}

/// `GetKeyPolicy` of the `default` policy (the only name a key policy has).
async fn key_policy(client: &Client, key: &str) -> Result<Option<String>, FetchError> {
    let output = client
        .get_key_policy()
        .key_id(key)
        .policy_name("default")
        .send()
        .await
        .map_err(fetch_error)?;
    Ok(output.policy().map(str::to_string))
}

/// The key named by the environment, each read recorded in `sources`. Both reads run at
/// once, except for an alias, which `GetKeyPolicy` does not take: its ARN comes first.
pub(super) async fn environment_key(
    client: &Client,
    limit: &Semaphore,
    key: &str,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> EnvironmentKey {
    let alias = key.starts_with("alias/") || key.contains(":alias/");
    let (described, policy) = match alias {
        false => {
            tokio::join!(
                gated(limit, describe(client, key)),
                gated(limit, key_policy(client, key)),
            )
        }
        true => {
            let described = gated(limit, describe(client, key)).await;
            let arn = described.as_ref().ok().and_then(|(arn, _, _)| arn.clone());
            let policy = match arn {
                Some(arn) => gated(limit, key_policy(client, &arn)).await,
                None => Err(FetchError {
                    code: None,
                    message: format!("the ARN of {key} is not known (kms:DescribeKey)"),
                }),
            };
            (described, policy)
        }
    };
    for (source, error) in [
        (Source::KmsKey, described.as_ref().err()),
        (Source::KeyPolicy, policy.as_ref().err()),
    ] {
        let status = error.map_or(FetchStatus::Ok, |e| FetchStatus::Error(e.clone()));
        sources.insert(source, status);
    }
    let (arn, manager, state) = described.unwrap_or_default();
    EnvironmentKey {
        id: key.to_string(),
        arn,
        manager,
        state,
        policy: policy.ok().flatten(),
    }
}
