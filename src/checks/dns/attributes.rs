//! The two VPC DNS attributes as facts: their names, their values on a VPC, and the commands
//! that turn them on. The attribute rules (`vpc_dns.rs`) and the name verdicts (`names.rs`)
//! both read these.

use crate::model::Vpc;

/// One of the two VPC DNS attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnsAttribute {
    /// The AWS CLI flag that sets it.
    pub flag: &'static str,
    /// Its name for people.
    pub name: &'static str,
}

/// `enableDnsSupport`.
pub const SUPPORT: DnsAttribute = DnsAttribute {
    flag: "enable-dns-support",
    name: "DNS resolution (enableDnsSupport)",
};

/// `enableDnsHostnames`.
pub const HOSTNAMES: DnsAttribute = DnsAttribute {
    flag: "enable-dns-hostnames",
    name: "DNS hostnames (enableDnsHostnames)",
};

/// The attributes with their values on `vpc` (`None` when not read).
pub fn values(vpc: &Vpc) -> [(DnsAttribute, Option<bool>); 2] {
    [
        (SUPPORT, vpc.enable_dns_support),
        (HOSTNAMES, vpc.enable_dns_hostnames),
    ]
}

/// The command that turns one attribute on.
pub fn enable(vpc_id: &str, attribute: DnsAttribute) -> String {
    format!(
        "aws ec2 modify-vpc-attribute --vpc-id {vpc_id} --{} '{{\"Value\":true}}'",
        attribute.flag
    )
}

/// The names of the attributes that are off on `vpc`, e.g. "DNS hostnames (enableDnsHostnames)".
pub fn attributes_off(vpc: &Vpc) -> Vec<&'static str> {
    values(vpc)
        .into_iter()
        .filter(|(_, value)| *value == Some(false))
        .map(|(a, _)| a.name)
        .collect()
}

/// The commands that turn on the attributes that are not known to be on, one per line.
pub fn enable_attributes(vpc: &Vpc) -> String {
    values(vpc)
        .into_iter()
        .filter(|(_, value)| *value != Some(true))
        .map(|(a, _)| enable(&vpc.id, a))
        .collect::<Vec<_>>()
        .join("\n")
}
