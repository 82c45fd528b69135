//! Turning SDK errors into fetch errors and fatal collection errors: the one place that
//! classifies AWS errors. Messages are one line; the SDK's full debug dump (the raw HTTP
//! response included) goes to stderr only with `--verbose`.

use std::error::Error;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// With `--verbose`, every AWS error's full SDK debug dump is written to stderr.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

use crate::failure::Failure;
use crate::model::{FetchError, Source};

/// Error codes that mean the request named something that does not exist.
const NOT_FOUND_CODES: [&str; 9] = [
    "InvalidVpcID.NotFound",
    "InvalidVpcID.Malformed",
    "InvalidSubnetID.NotFound",
    "InvalidSubnetID.Malformed",
    "InvalidGroup.NotFound",
    "InvalidGroupId.Malformed",
    "InvalidVpcEndpointId.NotFound",
    "InvalidVpcEndpointId.Malformed",
    "ResourceNotFoundException",
];

/// Whether AWS answered that the request named something that does not exist (or that the
/// caller cannot see, which AWS does not tell apart).
pub(crate) fn names_nothing(error: &FetchError) -> bool {
    NOT_FOUND_CODES.contains(&error.code.as_deref().unwrap_or_default())
}

/// A fetch task that panicked or was cancelled, as the error of the source it was fetching.
pub(crate) fn task_failed(error: tokio::task::JoinError) -> FetchError {
    FetchError {
        code: None,
        message: format!("fetch task failed: {error}"),
    }
}

/// Classifies the failure of a source the collection cannot do without.
pub(crate) fn fatal(source: Source, error: &FetchError) -> Failure {
    if names_nothing(error) {
        Failure::BadInput(error.message.clone())
    } else {
        Failure::Aws(format!("{} failed: {error}", source.api()))
    }
}

/// Converts any SDK error into a [`FetchError`] with the AWS error code when there is one.
pub(crate) fn fetch_error<E, R>(error: SdkError<E, R>) -> FetchError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    if VERBOSE.load(Ordering::Relaxed) {
        eprintln!("linkscope: debug: {}", DisplayErrorContext(&error));
    }
    match &error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            FetchError {
                code: inner.code().map(str::to_string),
                message: inner
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| cause_chain(&error)),
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
            message: cause_chain(&error),
        },
    }
}

/// Every level of the error's cause chain, each said once, on one line: what
/// `DisplayErrorContext` prints, without the debug dump it appends.
fn cause_chain(error: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let text = one_line(&e.to_string());
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The innermost error's message on one line (`Connection refused (os error 111)`, …).
fn root_cause(error: &(dyn Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    one_line(&current.to_string())
}
