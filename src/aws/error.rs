//! Turning SDK errors into fetch errors and fatal collection errors.

use std::fmt;

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::failure::Failure;
use crate::model::{FetchError, Source};

/// Error codes that mean the request named something that does not exist.
const NOT_FOUND_CODES: [&str; 7] = [
    "InvalidVpcID.NotFound",
    "InvalidVpcID.Malformed",
    "InvalidSubnetID.NotFound",
    "InvalidSubnetID.Malformed",
    "InvalidGroup.NotFound",
    "InvalidGroupId.Malformed",
    "ResourceNotFoundException",
];

/// Classifies the failure of a source the collection cannot do without.
pub(crate) fn fatal(source: Source, error: &FetchError) -> Failure {
    let code = error.code.as_deref().unwrap_or_default();
    if NOT_FOUND_CODES.contains(&code) {
        Failure::BadInput(error.message.clone())
    } else {
        Failure::Aws(format!("{} failed: {error}", source.api()))
    }
}

/// Converts any SDK error into a [`FetchError`] with the AWS error code when there is one.
pub(crate) fn fetch_error<E, R>(error: SdkError<E, R>) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    match &error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            FetchError {
                code: inner.code().map(str::to_string),
                message: inner
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(&error).to_string()),
            }
        }
        SdkError::TimeoutError(_) => FetchError {
            code: Some("Timeout".into()),
            message: "the request timed out (raise --timeout if the network is slow)".into(),
        },
        SdkError::DispatchFailure(failure) => {
            if DisplayErrorContext(&error)
                .to_string()
                .contains("credentials")
            {
                return FetchError {
                    code: Some("NoCredentials".into()),
                    message: "no usable AWS credentials (tried environment, profile, SSO, web identity, container and instance metadata): run `aws configure` or `aws sso login`, or pass --profile".into(),
                };
            }
            let code = if failure.is_timeout() {
                "Timeout"
            } else {
                "Unreachable"
            };
            FetchError {
                code: Some(code.into()),
                message: root_cause(&error),
            }
        }
        _ => FetchError {
            code: None,
            message: root_cause(&error),
        },
    }
}

/// The innermost error's message on one line (`Connection refused (os error 111)`, …).
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
