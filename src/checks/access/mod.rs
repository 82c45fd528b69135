//! Why an environment fails when the network is fine: its execution role (`role.rs`), its
//! source bucket (`bucket.rs`) and its KMS key (`key.rs`).

pub mod bucket;
pub mod key;
pub mod role;

use super::context::Ctx;
use crate::model::MwaaEnvironment;

/// The account of an ARN (`arn:aws:iam::111122223333:role/x`), else the VPC owner's, else the
/// caller's; `<account>` when none is known.
pub fn account_of(ctx: &Ctx, arn: &str) -> String {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .or(ctx.snap.vpc.owner_id.as_deref())
        .or(ctx.snap.caller_account.as_deref())
        .unwrap_or("<account>")
        .to_string()
}

/// The environment's ARN, as `GetEnvironment` reports it or as AWS builds it.
pub fn environment_arn(ctx: &Ctx, env: &MwaaEnvironment, account: &str) -> String {
    env.arn.clone().unwrap_or_else(|| {
        format!(
            "arn:aws:airflow:{}:{account}:environment/{}",
            ctx.region(),
            env.name
        )
    })
}

/// The ARN pattern of the environment's log groups (`airflow-<env>-*`).
pub fn log_groups(region: &str, account: &str, environment: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:airflow-{environment}-*")
}
