//! The environment's source bucket: `GetBucketLocation`, `GetBucketVersioning` and
//! `GetPublicAccessBlock`, concurrently.

use std::collections::BTreeMap;

use aws_sdk_s3::Client;
use tokio::sync::Semaphore;

use super::error::fetch_error;
use super::limit::gated;
use crate::model::{FetchError, FetchStatus, PublicAccessBlock, Source, SourceBucket};

/// The error code S3 answers when a bucket has no Block Public Access configuration.
const NO_BLOCK: &str = "NoSuchPublicAccessBlockConfiguration";

async fn location(client: &Client, bucket: &str) -> Result<String, FetchError> {
    let output = client
        .get_bucket_location()
        .bucket(bucket)
        .send()
        .await
        .map_err(fetch_error)?;
    // An empty constraint is the original Region, us-east-1; `EU` is eu-west-1.
    Ok(match output.location_constraint().map(|c| c.as_str()) {
        None | Some("") => "us-east-1".into(),
        Some("EU") => "eu-west-1".into(),
        Some(region) => region.to_string(),
    })
}

async fn versioning(client: &Client, bucket: &str) -> Result<Option<String>, FetchError> {
    let output = client
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .map_err(fetch_error)?;
    Ok(output.status().map(|s| s.as_str().to_string()))
}

async fn public_access_block(
    client: &Client,
    bucket: &str,
) -> Result<Option<PublicAccessBlock>, FetchError> {
    let output = match client.get_public_access_block().bucket(bucket).send().await {
        Ok(output) => output,
        Err(error) => {
            let error = fetch_error(error);
            return match error.code.as_deref() == Some(NO_BLOCK) {
                true => Ok(None),
                false => Err(error),
            };
        }
    };
    Ok(output
        .public_access_block_configuration()
        .map(|c| PublicAccessBlock {
            block_public_acls: c.block_public_acls().unwrap_or(false),
            ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
            block_public_policy: c.block_public_policy().unwrap_or(false),
            restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
        }))
}

/// The bucket's Region, versioning and Block Public Access settings, each recorded in
/// `sources`. `None` when not one of the three could be read.
pub(super) async fn source_bucket(
    client: &Client,
    limit: &Semaphore,
    bucket: &str,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> Option<SourceBucket> {
    let (region, versioning, block) = tokio::join!(
        gated(limit, location(client, bucket)),
        gated(limit, versioning(client, bucket)),
        gated(limit, public_access_block(client, bucket)),
    );
    let mut seen = false;
    let mut keep = |source: Source, ok: bool, error: Option<&FetchError>| {
        seen |= ok;
        let status = error.map_or(FetchStatus::Ok, |e| FetchStatus::Error(e.clone()));
        sources.insert(source, status);
    };
    keep(
        Source::BucketLocation,
        region.is_ok(),
        region.as_ref().err(),
    );
    keep(
        Source::BucketVersioning,
        versioning.is_ok(),
        versioning.as_ref().err(),
    );
    keep(
        Source::BucketPublicAccessBlock,
        block.is_ok(),
        block.as_ref().err(),
    );
    seen.then(|| SourceBucket {
        name: bucket.to_string(),
        region: region.ok(),
        versioning: versioning.ok().flatten(),
        public_access_block: block.ok().flatten(),
    })
}
