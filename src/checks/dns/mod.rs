//! DNS: the VPC's DNS attributes.

pub mod vpc_dns;
