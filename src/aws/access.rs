//! What an environment needs beyond the network, read as soon as `GetEnvironment` names it:
//! the execution role (IAM), the source bucket (S3) and the KMS key, all three at once and
//! beside the network's describes.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::{Clients, iam, kms, s3};
use crate::model::{
    EnvironmentKey, ExecutionRole, FetchError, FetchStatus, MwaaEnvironment, Source, SourceBucket,
    bucket_name,
};

/// The role, bucket and key of an environment, and the outcome of every read.
#[derive(Debug, Default)]
pub(super) struct Access {
    /// The execution role, when `GetRole` answered.
    pub role: Option<ExecutionRole>,
    /// The source bucket, when one of its reads answered.
    pub bucket: Option<SourceBucket>,
    /// The KMS key, when the environment names one.
    pub key: Option<EnvironmentKey>,
    /// Each read's outcome.
    pub sources: BTreeMap<Source, FetchStatus>,
}

/// Reads the role, bucket and key `environment` names (nothing without an environment, and
/// nothing for a part it does not name).
pub(super) async fn read(
    clients: &Clients,
    limit: &Arc<Semaphore>,
    environment: Option<&MwaaEnvironment>,
) -> Access {
    let Some(env) = environment else {
        return Access::default();
    };
    let (mut role_sources, mut bucket_sources, mut key_sources) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let role = async {
        match &env.execution_role_arn {
            Some(arn) => iam::execution_role(&clients.iam, limit, arn, &mut role_sources).await,
            None => None,
        }
    };
    let bucket = async {
        match &env.source_bucket_arn {
            Some(arn) => {
                let name = bucket_name(arn);
                s3::source_bucket(&clients.s3, limit, name, &mut bucket_sources).await
            }
            None => None,
        }
    };
    let key = async {
        match &env.kms_key {
            Some(key) => {
                Some(kms::environment_key(&clients.kms, limit, key, &mut key_sources).await)
            }
            None => None,
        }
    };
    let (role, bucket, key) = tokio::join!(role, bucket, key);
    let mut sources = role_sources;
    sources.extend(bucket_sources);
    sources.extend(key_sources);
    Access {
        role,
        bucket,
        key,
        sources,
    }
}

/// The outcome when the reads themselves failed (their task panicked): every read the
/// environment names records `error`.
pub(super) fn failed(environment: Option<&MwaaEnvironment>, error: FetchError) -> Access {
    let Some(env) = environment else {
        return Access::default();
    };
    let mut reads = Vec::new();
    if env.execution_role_arn.is_some() {
        reads.extend([
            Source::ExecutionRole,
            Source::InlinePolicies,
            Source::AttachedPolicies,
            Source::PermissionsBoundary,
        ]);
    }
    if env.source_bucket_arn.is_some() {
        reads.extend([
            Source::BucketLocation,
            Source::BucketVersioning,
            Source::BucketPublicAccessBlock,
        ]);
    }
    if env.kms_key.is_some() {
        reads.extend([Source::KmsKey, Source::KeyPolicy]);
    }
    Access {
        sources: reads
            .into_iter()
            .map(|s| (s, FetchStatus::Error(error.clone())))
            .collect(),
        ..Access::default()
    }
}
