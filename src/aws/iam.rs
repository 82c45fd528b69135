//! The execution role: `GetRole`, its inline policies (`ListRolePolicies`, `GetRolePolicy`),
//! its attached managed policies and its permissions boundary (`ListAttachedRolePolicies`,
//! `GetPolicy`, `GetPolicyVersion`). Every read starts as soon as the role is known: the
//! role name comes from the ARN, so the lists do not wait for `GetRole`.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::Client;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::convert::url_decoded;
use super::error::{fetch_error, task_failed};
use super::limit::gated;
use crate::model::{ExecutionRole, FetchError, FetchStatus, PolicyDocument, Source, role_name};

/// What `GetRole` says: the role's name, ARN and permissions boundary.
struct Role {
    name: String,
    arn: String,
    boundary_arn: Option<String>,
}

async fn get_role(client: &Client, name: &str) -> Result<Role, FetchError> {
    let output = client
        .get_role()
        .role_name(name)
        .send()
        .await
        .map_err(fetch_error)?;
    let role = output.role().ok_or_else(|| FetchError {
        code: Some("NoSuchEntity".into()),
        message: format!("iam:GetRole returned no role named {name}"),
    })?;
    Ok(Role {
        name: role.role_name().to_string(),
        arn: role.arn().to_string(),
        boundary_arn: role
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
    })
}

/// Every inline policy of the role, each read concurrently once listed.
async fn inline_policies(
    client: &Client,
    limit: &Arc<Semaphore>,
    role: &str,
) -> Result<Vec<PolicyDocument>, FetchError> {
    let names: Vec<String> = gated(limit, async {
        client
            .list_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)
    })
    .await?;
    let mut reads = JoinSet::new();
    for name in names {
        let (client, limit, role) = (client.clone(), limit.clone(), role.to_string());
        reads.spawn(async move {
            let call = client.get_role_policy().role_name(role).policy_name(&name);
            let output = gated(&limit, call.send()).await.map_err(fetch_error)?;
            Ok::<_, FetchError>(PolicyDocument {
                name,
                arn: None,
                version: None,
                document: url_decoded(output.policy_document()),
            })
        });
    }
    joined(reads).await
}

/// The documents of concurrent reads, by name; the first error fails them all.
async fn joined(
    mut reads: JoinSet<Result<PolicyDocument, FetchError>>,
) -> Result<Vec<PolicyDocument>, FetchError> {
    let mut documents = Vec::new();
    while let Some(read) = reads.join_next().await {
        documents.push(read.map_err(task_failed)??);
    }
    documents.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(documents)
}

/// A managed policy's default version: `GetPolicy`, then `GetPolicyVersion`.
async fn managed_policy(
    client: &Client,
    limit: &Semaphore,
    arn: &str,
) -> Result<PolicyDocument, FetchError> {
    let policy = gated(limit, async {
        client
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(fetch_error)
    })
    .await?;
    let policy = policy.policy();
    let name = policy
        .and_then(|p| p.policy_name())
        .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn))
        .to_string();
    let version = policy
        .and_then(|p| p.default_version_id())
        .ok_or_else(|| FetchError {
            code: None,
            message: format!("iam:GetPolicy named no default version of {arn}"),
        })?
        .to_string();
    let output = gated(limit, async {
        client
            .get_policy_version()
            .policy_arn(arn)
            .version_id(&version)
            .send()
            .await
            .map_err(fetch_error)
    })
    .await?;
    let document = output
        .policy_version()
        .and_then(|v| v.document())
        .map(url_decoded)
        .ok_or_else(|| FetchError {
            code: None,
            message: format!("iam:GetPolicyVersion returned no document for {arn} {version}"),
        })?;
    Ok(PolicyDocument {
        name,
        arn: Some(arn.to_string()),
        version: Some(version),
        document,
    })
}

/// Every managed policy attached to the role, each read concurrently once listed.
async fn attached_policies(
    client: &Client,
    limit: &Arc<Semaphore>,
    role: &str,
) -> Result<Vec<PolicyDocument>, FetchError> {
    let attached = gated(limit, async {
        client
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(fetch_error)
    })
    .await?;
    let arns: Vec<String> = attached
        .iter()
        .filter_map(|p| p.policy_arn().map(str::to_string))
        .collect();
    let mut reads = JoinSet::new();
    for arn in arns {
        let (client, limit) = (client.clone(), limit.clone());
        reads.spawn(async move { managed_policy(&client, &limit, &arn).await });
    }
    joined(reads).await
}

/// The execution role named by `arn`, with every policy that bounds it; each part's outcome
/// is recorded in `sources`. `None` when the role itself cannot be read.
pub(super) async fn execution_role(
    client: &Client,
    limit: &Arc<Semaphore>,
    arn: &str,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> Option<ExecutionRole> {
    let name = role_name(arn);
    let boundary = async {
        let role = gated(limit, get_role(client, name)).await?;
        let document = match &role.boundary_arn {
            Some(boundary) => Some(managed_policy(client, limit, boundary).await),
            None => None,
        };
        Ok::<_, FetchError>((role, document))
    };
    let (role, inline, attached) = tokio::join!(
        boundary,
        inline_policies(client, limit, name),
        attached_policies(client, limit, name)
    );
    let mut status = |source: Source, result: Result<(), &FetchError>| {
        sources.insert(
            source,
            match result {
                Ok(()) => FetchStatus::Ok,
                Err(e) => FetchStatus::Error(e.clone()),
            },
        );
    };
    status(Source::InlinePolicies, inline.as_ref().map(|_| ()));
    status(Source::AttachedPolicies, attached.as_ref().map(|_| ()));
    let (role, boundary) = match role {
        Ok(found) => found,
        Err(error) => {
            status(Source::ExecutionRole, Err(&error));
            status(Source::PermissionsBoundary, Err(&error));
            return None;
        }
    };
    status(Source::ExecutionRole, Ok(()));
    let boundary = match boundary {
        None => None,
        Some(Ok(document)) => Some(document),
        Some(Err(error)) => {
            status(Source::PermissionsBoundary, Err(&error));
            None
        }
    };
    sources
        .entry(Source::PermissionsBoundary)
        .or_insert(FetchStatus::Ok);
    Some(ExecutionRole {
        arn: role.arn,
        name: role.name,
        inline_policies: inline.unwrap_or_default(),
        attached_policies: attached.unwrap_or_default(),
        boundary_arn: role.boundary_arn,
        boundary,
    })
}
