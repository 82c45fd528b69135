//! Rules about the endpoints themselves: states, private DNS, zones, security groups,
//! policies and quotas.

pub mod availability_zones;
pub mod catalogue;
pub mod https;
pub mod ip_types;
pub mod policies;
pub mod policy_diff;
pub mod private_dns;
pub mod quotas;
pub mod security_groups;
pub mod states;
