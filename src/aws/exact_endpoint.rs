//! With a custom endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL`), requests go to exactly
//! that host. MWAA operations carry host prefixes (`api.`, `env.`, `ops.`) meant for AWS's
//! own names; prefixed onto a loopback address or a proxy's name they would not resolve.

use aws_sdk_mwaa::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_mwaa::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_mwaa::error::BoxError;

#[derive(Debug)]
pub(super) struct ExactEndpoint {
    scheme: String,
    authority: String,
}

impl ExactEndpoint {
    pub(super) fn new(endpoint_url: &str) -> Option<Self> {
        let (scheme, rest) = endpoint_url.split_once("://")?;
        let authority = rest.split('/').next()?.to_string();
        Some(Self {
            scheme: scheme.to_string(),
            authority,
        })
    }

    /// The URI without a host prefix, when it has one on the custom endpoint.
    fn unprefixed(&self, uri: &str) -> Option<String> {
        let rest = uri.strip_prefix(&format!("{}://", self.scheme))?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let prefix = authority.strip_suffix(&self.authority)?.strip_suffix('.')?;
        (!prefix.is_empty()).then(|| format!("{}://{}{path}", self.scheme, self.authority))
    }
}

impl Intercept for ExactEndpoint {
    fn name(&self) -> &'static str {
        "ExactEndpoint"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = self.unprefixed(request.uri()) {
            request.set_uri(uri)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_prefixes_of_the_custom_endpoint() {
        let exact = ExactEndpoint::new("http://127.0.0.1:4566").unwrap();
        assert_eq!(
            exact
                .unprefixed("http://api.127.0.0.1:4566/environments/prod")
                .as_deref(),
            Some("http://127.0.0.1:4566/environments/prod")
        );
        assert_eq!(
            exact.unprefixed("http://127.0.0.1:4566/environments/prod"),
            None
        );
        assert_eq!(
            exact.unprefixed("https://api.airflow.us-east-1.amazonaws.com/environments/prod"),
            None
        );
    }
}
