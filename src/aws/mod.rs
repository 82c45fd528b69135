//! The live collector: the only module that talks to the AWS SDK.
//!
//! SDK types are converted to [`crate::model`] types at this edge. All describes run in
//! one concurrent wave filtered server-side by `vpc-id`; the second wave fetches the
//! endpoint network interfaces and every metric series in batched `GetMetricData` calls. With
//! an environment, its execution role, source bucket and KMS key are read alongside. A
//! fleet's targets of one account and Region are collected together ([`collect_region`]),
//! under AWS's documented rate limits ([`rates`]), slowed when AWS throttles.
//! [`lookup_changes`] reads CloudTrail for the changes to what a snapshot holds.

mod access;
mod account;
mod cloudtrail;
mod collect;
mod config;
mod convert;
pub mod discover;
mod ec2;
mod ec2_transit;
mod error;
mod exact_endpoint;
mod iam;
mod kms;
mod limit;
mod metrics;
mod mwaa;
mod pace;
mod picker;
pub mod rates;
mod region;
mod region_reads;
mod route53;
mod s3;
mod sts;
mod throttle;
mod transit;

pub use account::Account;
pub use cloudtrail::{ChangeLimits, lookup_changes};
pub use collect::{Target, collect, collect_paced};
pub use config::{Clients, ConnectOptions, DEFAULT_TIMEOUT};
pub use error::set_verbose;
pub use limit::RateLimit;
pub use pace::Pace;
pub use picker::choices;
pub use rates::Rates;
pub use region::collect_region;
