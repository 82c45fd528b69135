//! STS: the caller's account, to tell a VPC shared with it (`GetCallerIdentity` needs no
//! IAM permission).

use super::error::fetch_error;
use crate::model::FetchError;

/// `GetCallerIdentity`: the account the credentials belong to.
pub(super) async fn caller_account(client: &aws_sdk_sts::Client) -> Result<String, FetchError> {
    let output = client
        .get_caller_identity()
        .send()
        .await
        .map_err(fetch_error)?;
    output
        .account()
        .map(str::to_string)
        .ok_or_else(|| FetchError {
            code: None,
            message: "sts:GetCallerIdentity returned no account".into(),
        })
}
