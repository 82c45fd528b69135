//! Throttling as a signal: a retry classifier, installed on the clients of a paced
//! collection, that tells the service's [`RateLimit`] each time AWS answers an attempt with
//! a throttling error (`RequestLimitExceeded`, `Throttling`, …), retried or not. The SDK's
//! own classifiers decide whether the attempt is throttled; this one only listens.

use std::sync::Arc;

use aws_config::retry::ErrorKind;
use aws_sdk_ec2::config::interceptors::InterceptorContext;
use aws_sdk_ec2::config::retry::{ClassifyRetry, RetryAction};
use aws_smithy_runtime_api::client::retries::classifiers::{RetryClassifierPriority, RetryReason};

use super::limit::RateLimit;

/// Slows `limit` whenever an attempt was throttled.
#[derive(Debug, Clone)]
pub(super) struct Slowdown(pub(super) Arc<RateLimit>);

/// True when the classifiers before this one found a throttling error.
fn throttled(verdict: &RetryAction) -> bool {
    matches!(
        verdict,
        RetryAction::RetryIndicated(RetryReason::RetryableError {
            kind: ErrorKind::ThrottlingError,
            ..
        })
    )
}

impl ClassifyRetry for Slowdown {
    fn classify_retry(&self, _: &InterceptorContext) -> RetryAction {
        RetryAction::NoActionIndicated
    }

    fn classify_retry_v2(&self, _: &InterceptorContext, previous: &RetryAction) -> RetryAction {
        if throttled(previous) {
            self.0.throttled();
        }
        // No verdict of its own: the SDK's stands.
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "linkscope rate limit"
    }

    /// After the SDK's classifiers (AWS error codes, modeled errors, transient errors), so
    /// that their verdict is known.
    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_throttling_verdict_slows_the_limit() {
        let limit = RateLimit::shared(10.0, 1);
        let slowdown = Slowdown(limit.clone());
        let input = aws_smithy_runtime_api::client::interceptors::context::Input::erase(());
        let context = InterceptorContext::new(input);
        for other in [
            RetryAction::NoActionIndicated,
            RetryAction::RetryForbidden,
            RetryAction::server_error(),
            RetryAction::transient_error(),
        ] {
            assert_eq!(
                slowdown.classify_retry_v2(&context, &other),
                RetryAction::NoActionIndicated
            );
            assert_eq!(limit.slowdown(), 1, "{other}");
        }
        let verdict = slowdown.classify_retry_v2(&context, &RetryAction::throttling_error());
        assert_eq!(
            verdict,
            RetryAction::NoActionIndicated,
            "the SDK's verdict stands"
        );
        assert_eq!(limit.slowdown(), 2);
    }

    #[tokio::test]
    async fn a_throttled_describe_that_succeeds_on_retry_still_slows_the_limit() {
        use aws_sdk_ec2::config::retry::RetryConfig;
        use aws_sdk_ec2::error::ErrorMetadata;
        use aws_sdk_ec2::operation::describe_vpcs::{DescribeVpcsError, DescribeVpcsOutput};
        use aws_smithy_mocks::{RuleMode, mock, mock_client};
        let rule = mock!(aws_sdk_ec2::Client::describe_vpcs)
            .sequence()
            .error(|| {
                let metadata = ErrorMetadata::builder()
                    .code("RequestLimitExceeded")
                    .message("Request limit exceeded.")
                    .build();
                DescribeVpcsError::generic(metadata)
            })
            .output(|| DescribeVpcsOutput::builder().build())
            .build();
        let limit = RateLimit::shared(20.0, 100);
        let signal = Slowdown(limit.clone());
        let client = mock_client!(aws_sdk_ec2, RuleMode::Sequential, &[&rule], move |b| {
            let retries = RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(1));
            b.retry_config(retries).retry_classifier(signal.clone())
        });
        client
            .describe_vpcs()
            .send()
            .await
            .expect("the retry succeeds");
        assert_eq!(
            limit.slowdown(),
            2,
            "the throttled attempt slowed the limit"
        );
    }
}
