//! DNS: the VPC's DNS attributes, and the path each service name takes (DHCP options,
//! Resolver rules, private hosted zones, endpoints' private DNS).

pub mod attributes;
pub mod names;
pub mod outcome;
pub mod path_rules;
pub mod records;
pub mod resolution;
pub mod vpc_dns;
