//! What an environment needs beyond the network, read as soon as `GetEnvironment` names it:
//! the execution role (IAM), the source bucket (S3) and the KMS key, all three at once and
//! beside the network's describes. In a fleet, environments that share a role, a bucket or a
//! key read it once ([`AccessCache`]).

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::{OnceCell, Semaphore};

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

/// One part (role, bucket or key) as read, with the outcome of each of its reads.
type Part<T> = (Option<T>, BTreeMap<Source, FetchStatus>);

/// Parts read once, by ARN or name.
type Cells<T> = Mutex<HashMap<String, Arc<OnceCell<Part<T>>>>>;

/// The roles, buckets and keys already read for the environments of one account and Region:
/// environments that share one read it once, and each gets the same outcome.
#[derive(Debug, Default)]
pub(super) struct AccessCache {
    roles: Cells<ExecutionRole>,
    buckets: Cells<SourceBucket>,
    keys: Cells<EnvironmentKey>,
}

/// The part named `key`: from `cells` when it was read, else read (and kept).
async fn once<T: Clone, F: Future<Output = Part<T>>>(
    cells: Option<&Cells<T>>,
    key: &str,
    read: impl FnOnce() -> F,
) -> Part<T> {
    let Some(cells) = cells else {
        return read().await;
    };
    let cell = {
        let mut cells = cells.lock().expect("the lock is never poisoned");
        cells.entry(key.to_string()).or_default().clone()
    };
    cell.get_or_init(read).await.clone()
}

/// Reads the role, bucket and key `environment` names (nothing without an environment, and
/// nothing for a part it does not name); with a `cache`, each part once per ARN or name.
pub(super) async fn read(
    clients: &Clients,
    limit: &Arc<Semaphore>,
    environment: Option<&MwaaEnvironment>,
    cache: Option<&AccessCache>,
) -> Access {
    let Some(env) = environment else {
        return Access::default();
    };
    let role = async {
        let Some(arn) = &env.execution_role_arn else {
            return (None, BTreeMap::new());
        };
        once(cache.map(|c| &c.roles), arn, || async {
            let mut sources = BTreeMap::new();
            let role = iam::execution_role(&clients.iam, limit, arn, &mut sources).await;
            (role, sources)
        })
        .await
    };
    let bucket = async {
        let Some(arn) = &env.source_bucket_arn else {
            return (None, BTreeMap::new());
        };
        let name = bucket_name(arn);
        once(cache.map(|c| &c.buckets), name, || async {
            let mut sources = BTreeMap::new();
            let bucket = s3::source_bucket(&clients.s3, limit, name, &mut sources).await;
            (bucket, sources)
        })
        .await
    };
    let key = async {
        let Some(key) = &env.kms_key else {
            return (None, BTreeMap::new());
        };
        once(cache.map(|c| &c.keys), key, || async {
            let mut sources = BTreeMap::new();
            let read = kms::environment_key(&clients.kms, limit, key, &mut sources).await;
            (Some(read), sources)
        })
        .await
    };
    let ((role, role_sources), (bucket, bucket_sources), (key, key_sources)) =
        tokio::join!(role, bucket, key);
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
