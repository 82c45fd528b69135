//! One integration test binary (the AWS SDK links once): demo data, live tests against the
//! moto server, pagination and discovery with `aws-smithy-mocks` (and CloudTrail, which moto
//! does not serve), and the CLI contract.
//!
//! Tests named `live_*` need the moto server that `scripts/test.sh` starts.

mod bad_input;
mod cli;
mod cli_contract;
mod cloudtrail;
mod dashboard;
mod demo_data;
mod diff;
mod docs;
mod fleet;
mod layers;
mod live_access;
mod live_audit;
mod live_collect;
mod live_hub;
mod live_region;
mod live_setup;
mod mocked;
mod moto;
mod probe;
mod proxy;
mod reports;
mod resilience;
mod screenshots;
mod shell_fixes;
