//! What every collection shares: the client-side rate limits of its calls ([`Pace`]) and
//! how a source's outcome is recorded ([`record`]). The one target's plan (`collect.rs`),
//! a Region's batched reads (`region.rs`, `region_reads.rs`) and the hub reads
//! (`transit.rs`) all import it, and it imports none of them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::limit::RateLimit;
use super::rates::{Rates, Service};
use crate::model::{FetchError, FetchStatus, Source};

/// Client-side rate limits on the calls of a collection: a fleet's, per account and Region
/// (Route 53's per account, in every Region). The default paces nothing: one target's
/// collection runs as fast as the concurrency cap lets it.
#[derive(Debug, Clone, Default)]
pub struct Pace {
    /// Every EC2 call (all are `Describe*`).
    pub ec2: Option<Arc<RateLimit>>,
    /// Every Route 53 call (zones and records).
    pub route53: Option<Arc<RateLimit>>,
    /// Every CloudWatch `GetMetricData` call.
    pub cloudwatch: Option<Arc<RateLimit>>,
    /// STS `GetCallerIdentity`.
    pub sts: Option<Arc<RateLimit>>,
}

impl Pace {
    /// Limits for the services `rates` names with `--rate`, and none for the others (one
    /// target).
    pub fn given(rates: &Rates) -> Self {
        let limit = |service| rates.given(service).map(|rate| rate.limit());
        Self {
            ec2: limit(Service::Ec2),
            route53: limit(Service::Route53),
            cloudwatch: limit(Service::Cloudwatch),
            sts: limit(Service::Sts),
        }
    }

    /// Limits at `rates` for every service of one account and Region (a fleet's); Route
    /// 53's is the account's, shared by its Regions.
    pub fn of_region(rates: &Rates, route53: Arc<RateLimit>) -> Self {
        Self {
            ec2: Some(rates.get(Service::Ec2).limit()),
            route53: Some(route53),
            cloudwatch: Some(rates.get(Service::Cloudwatch).limit()),
            sts: Some(rates.get(Service::Sts).limit()),
        }
    }

    /// Waits until the EC2 limit lets a call start (at once without one).
    pub(super) async fn ec2_ready(&self) {
        if let Some(rate) = &self.ec2 {
            rate.ready().await;
        }
    }
}

/// Records a source's outcome and yields its data, or the default when it failed.
pub(super) fn record<T: Default>(
    sources: &mut BTreeMap<Source, FetchStatus>,
    source: Source,
    result: Result<T, FetchError>,
) -> T {
    match result {
        Ok(value) => {
            sources.entry(source).or_insert(FetchStatus::Ok);
            value
        }
        Err(error) => {
            sources.insert(source, FetchStatus::Error(error));
            T::default()
        }
    }
}
