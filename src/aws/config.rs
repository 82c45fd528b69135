//! Credentials, region and endpoint resolution, the way the AWS CLI does it.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use super::exact_endpoint::ExactEndpoint;
use super::rates::Rates;
use crate::failure::Failure;

/// How to reach AWS: overrides on top of the default chain (environment, profiles, SSO, IMDS).
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The named profile (`--profile`); `None` leaves it to the default chain.
    pub profile: Option<String>,
    /// The Region (`--region`); `None` leaves it to the environment or the profile.
    pub region: Option<String>,
    /// Overrides the endpoint of every service (`AWS_ENDPOINT_URL` is honoured too).
    pub endpoint_url: Option<String>,
    /// The longest any one API call may take, retries included.
    pub timeout: Duration,
    /// The request rates to keep to (`--rate`): a fleet keeps to every one, one target to
    /// those given and CloudTrail's.
    pub rates: Rates,
}

/// Default for `--timeout`: long enough for a slow paginated describe, short enough that
/// an on-call engineer is never left waiting on a hung connection.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Attempts per call in standard retry mode (throttling, 5xx, transient network errors).
const MAX_ATTEMPTS: u32 = 4;

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: DEFAULT_TIMEOUT,
            rates: Rates::default(),
        }
    }
}

/// The service clients linkscope uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    /// The EC2 client, for the VPC and everything in it.
    pub ec2: aws_sdk_ec2::Client,
    /// The CloudWatch client, for endpoint metrics.
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    /// The Amazon MWAA client, for `GetEnvironment`.
    pub mwaa: aws_sdk_mwaa::Client,
    /// Route 53 (private hosted zones and their records).
    pub route53: aws_sdk_route53::Client,
    /// Route 53 Resolver (the rules associated with the VPC).
    pub resolver: aws_sdk_route53resolver::Client,
    /// STS, for the caller's account (`GetCallerIdentity`).
    pub sts: aws_sdk_sts::Client,
    /// CloudTrail, for the changes over `--changes` (`LookupEvents`).
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    /// IAM, for the environment's execution role and its policies.
    pub iam: aws_sdk_iam::Client,
    /// S3, for the environment's source bucket (path-style with a custom endpoint).
    pub s3: aws_sdk_s3::Client,
    /// KMS, for the environment's key and its policy.
    pub kms: aws_sdk_kms::Client,
    /// The resolved Region.
    pub region: String,
    /// The named profile, recorded in snapshots.
    pub profile: Option<String>,
}

impl Clients {
    /// Resolves the configuration and builds the clients. Fails only when no region is set.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, Failure> {
        Self::connect_as(options, None).await
    }

    /// [`Clients::connect`] with these credentials instead of the default chain's (a role
    /// assumed for a fleet audit); the same timeouts and retries.
    pub(crate) async fn connect_as(
        options: &ConnectOptions,
        credentials: Option<aws_sdk_sts::config::Credentials>,
    ) -> Result<Self, Failure> {
        let config = load(options, credentials).await;
        let region = config
            .region()
            .map(|r| r.as_ref().to_string())
            .ok_or_else(|| {
                Failure::BadInput(
                    "no AWS region: pass --region, set AWS_REGION, or set a region in the profile"
                        .into(),
                )
            })?;
        Ok(Self {
            ec2: aws_sdk_ec2::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            mwaa: mwaa_client(&config),
            route53: aws_sdk_route53::Client::new(&config),
            resolver: aws_sdk_route53resolver::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            cloudtrail: aws_sdk_cloudtrail::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            s3: s3_client(&config),
            kms: aws_sdk_kms::Client::new(&config),
            region,
            profile: options.profile.clone(),
        })
    }
}

impl Clients {
    /// The same clients, whose EC2, Route 53, CloudWatch and STS calls tell `pace`'s rate
    /// limits when AWS throttles them (see [`super::throttle`]).
    pub(crate) fn signalling(&self, pace: &super::pace::Pace) -> Self {
        use super::throttle::Slowdown;
        let mut clients = self.clone();
        if let Some(limit) = &pace.ec2 {
            let config = clients.ec2.config().to_builder();
            let config = config.retry_classifier(Slowdown(limit.clone())).build();
            clients.ec2 = aws_sdk_ec2::Client::from_conf(config);
        }
        if let Some(limit) = &pace.route53 {
            let config = clients.route53.config().to_builder();
            let config = config.retry_classifier(Slowdown(limit.clone())).build();
            clients.route53 = aws_sdk_route53::Client::from_conf(config);
        }
        if let Some(limit) = &pace.cloudwatch {
            let config = clients.cloudwatch.config().to_builder();
            let config = config.retry_classifier(Slowdown(limit.clone())).build();
            clients.cloudwatch = aws_sdk_cloudwatch::Client::from_conf(config);
        }
        if let Some(limit) = &pace.sts {
            let config = clients.sts.config().to_builder();
            let config = config.retry_classifier(Slowdown(limit.clone())).build();
            clients.sts = aws_sdk_sts::Client::from_conf(config);
        }
        clients
    }
}

/// The MWAA client; with a custom endpoint, without host prefixes (see `exact_endpoint`).
fn mwaa_client(config: &SdkConfig) -> aws_sdk_mwaa::Client {
    let mut builder = aws_sdk_mwaa::config::Builder::from(config);
    if let Some(exact) = config.endpoint_url().and_then(ExactEndpoint::new) {
        builder = builder.interceptor(exact);
    }
    aws_sdk_mwaa::Client::from_conf(builder.build())
}

/// The S3 client; with a custom endpoint, path-style (`host/bucket`): a loopback server
/// has no per-bucket host names.
fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let builder =
        aws_sdk_s3::config::Builder::from(config).force_path_style(config.endpoint_url().is_some());
    aws_sdk_s3::Client::from_conf(builder.build())
}

async fn load(
    options: &ConnectOptions,
    credentials: Option<aws_sdk_sts::config::Credentials>,
) -> SdkConfig {
    // Standard retry mode, bounded; backoff starts short because a person is waiting.
    let retry = RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(5));
    // A slow but healthy call (a large GetMetricData) may use the whole budget; a dead
    // connection is caught by the connect timeout, a hung one by the overall timeout.
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3).min(options.timeout))
        .operation_timeout(options.timeout)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry)
        .timeout_config(timeouts);
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(credentials) = credentials {
        loader = loader.credentials_provider(credentials);
    }
    loader.load().await
}
