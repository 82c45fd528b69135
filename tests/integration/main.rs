//! One integration test binary (the AWS SDK links once): demo data, live tests against the
//! moto server, pagination and discovery with `aws-smithy-mocks`, and the CLI contract.

mod demo_data;
