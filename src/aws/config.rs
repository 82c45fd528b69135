//! Credentials, region and endpoint resolution, the way the AWS CLI does it.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::failure::Failure;

/// How to reach AWS: overrides on top of the default chain (environment, profiles, SSO, IMDS).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Overrides the endpoint of every service (`AWS_ENDPOINT_URL` is honoured too).
    pub endpoint_url: Option<String>,
}

/// The three service clients linkscope uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub mwaa: aws_sdk_mwaa::Client,
    pub region: String,
    /// The named profile, recorded in snapshots.
    pub profile: Option<String>,
}

impl Clients {
    /// Resolves the configuration and builds the clients. Fails only when no region is set.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, Failure> {
        let config = load(options).await;
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
            mwaa: aws_sdk_mwaa::Client::new(&config),
            region,
            profile: options.profile.clone(),
        })
    }
}

async fn load(options: &ConnectOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .operation_attempt_timeout(Duration::from_secs(20))
                .operation_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}
