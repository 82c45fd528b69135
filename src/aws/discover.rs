//! Finding a fleet's targets: the MWAA environments of a Region (`ListEnvironments`), the
//! Regions enabled for an account (`DescribeRegions`), and the credentials of a role assumed
//! in another account (`AssumeRole`, with a read-only session policy).

use std::time::SystemTime;

use aws_sdk_sts::config::Credentials;

use super::error::fetch_error;
use super::{Clients, ConnectOptions};
use crate::failure::Failure;
use crate::model::FetchError;

/// The session name of every role linkscope assumes (CloudTrail shows it).
pub const SESSION_NAME: &str = "linkscope";

/// The only calls an assumed role's session may make, whatever the role allows: the
/// README's least-privilege policy (the session policy intersects with the role's).
pub const SESSION_ACTIONS: [&str; 23] = [
    "ec2:Describe*",
    "cloudwatch:GetMetricData",
    "airflow:GetEnvironment",
    "airflow:ListEnvironments",
    "route53:ListHostedZonesByVPC",
    "route53:ListResourceRecordSets",
    "route53:ListHostedZones",
    "route53:GetHostedZone",
    "route53resolver:ListResolverRuleAssociations",
    "route53resolver:ListResolverRules",
    "cloudtrail:LookupEvents",
    "ec2:SearchTransitGatewayRoutes",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "s3:GetBucketLocation",
    "s3:GetBucketVersioning",
    "s3:GetBucketPublicAccessBlock",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
];

/// The inline session policy of an assumed role: [`SESSION_ACTIONS`] on every resource.
pub fn session_policy() -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": SESSION_ACTIONS, "Resource": "*"}],
    })
    .to_string()
}

/// `ListEnvironments`, every page: the names of the Region's MWAA environments, sorted.
pub async fn environments(clients: &Clients) -> Result<Vec<String>, FetchError> {
    let mut names: Vec<String> = clients
        .mwaa
        .list_environments()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(fetch_error)?;
    names.sort();
    names.dedup();
    Ok(names)
}

/// `DescribeRegions`: the Regions enabled for the account (opted in, or needing no opt-in),
/// sorted.
pub async fn regions(clients: &Clients) -> Result<Vec<String>, FetchError> {
    let output = clients
        .ec2
        .describe_regions()
        .all_regions(false)
        .send()
        .await
        .map_err(fetch_error)?;
    let mut names: Vec<String> = output
        .regions()
        .iter()
        .filter(|r| {
            matches!(
                r.opt_in_status(),
                None | Some("opt-in-not-required" | "opted-in")
            )
        })
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// `AssumeRole` of `role_arn` with the session name `linkscope` and the read-only
/// [`session_policy`], through `clients` (the caller's own credentials).
pub async fn assume_role(clients: &Clients, role_arn: &str) -> Result<AssumedRole, FetchError> {
    let output = clients
        .sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(SESSION_NAME)
        .policy(session_policy())
        .send()
        .await
        .map_err(fetch_error)?;
    let credentials = output.credentials().ok_or_else(|| FetchError {
        code: None,
        message: format!("sts:AssumeRole of {role_arn} returned no credentials"),
    })?;
    Ok(AssumedRole(Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        Some(credentials.session_token().to_string()),
        SystemTime::try_from(*credentials.expiration()).ok(),
        "linkscope-assume-role",
    )))
}

/// The temporary credentials of an assumed role (valid for the role's default session
/// duration, an hour unless the role says otherwise).
#[derive(Clone)]
pub struct AssumedRole(Credentials);

impl std::fmt::Debug for AssumedRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.write_str("AssumedRole(..)")
    }
}

impl AssumedRole {
    /// Clients for `options` (a Region, an endpoint) that sign as the role, built as
    /// [`Clients::connect`] builds them: the same timeouts and retries.
    pub async fn connect(&self, options: &ConnectOptions) -> Result<Clients, Failure> {
        Clients::connect_as(options, Some(self.0.clone())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's policy, read from its `### Least-privilege IAM policy` section.
    fn readme_actions() -> Vec<String> {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("### Least-privilege IAM policy")
            .nth(1)
            .expect("the README has the policy section");
        let json = section.split("```json").nth(1).unwrap().split("```").next();
        let policy: serde_json::Value = serde_json::from_str(json.unwrap()).unwrap();
        policy["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_session_policy_is_the_readme_policy_and_only_reads() {
        let mut ours: Vec<String> = SESSION_ACTIONS.iter().map(|a| a.to_string()).collect();
        let mut readme = readme_actions();
        ours.sort();
        readme.sort();
        assert_eq!(ours, readme);
        for action in SESSION_ACTIONS {
            let name = action.split(':').nth(1).unwrap();
            assert!(
                ["Describe", "Get", "List", "Lookup", "Search"]
                    .iter()
                    .any(|p| name.starts_with(p)),
                "{action}"
            );
        }
        let policy: serde_json::Value = serde_json::from_str(&session_policy()).unwrap();
        assert_eq!(policy["Statement"][0]["Effect"], "Allow");
        assert_eq!(
            policy["Statement"][0]["Action"].as_array().unwrap().len(),
            SESSION_ACTIONS.len()
        );
    }
}
