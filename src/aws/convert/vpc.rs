//! VPCs and subnets.

use aws_sdk_ec2::types as ec2;

use super::{owned, tags, text};
use crate::model::{Subnet, Vpc};

pub(in crate::aws) fn vpc(vpc: &ec2::Vpc) -> Vpc {
    let mut cidr_blocks: Vec<String> = vpc
        .cidr_block_association_set()
        .iter()
        .filter_map(|a| a.cidr_block().map(str::to_string))
        .collect();
    if cidr_blocks.is_empty() {
        cidr_blocks.extend(owned(vpc.cidr_block()));
    }
    Vpc {
        id: text(vpc.vpc_id()),
        owner_id: owned(vpc.owner_id()),
        cidr_blocks,
        ipv6_cidr_blocks: vpc
            .ipv6_cidr_block_association_set()
            .iter()
            .filter_map(|a| a.ipv6_cidr_block().map(str::to_string))
            .collect(),
        enable_dns_support: None,
        enable_dns_hostnames: None,
        dhcp_options_id: owned(vpc.dhcp_options_id()),
        is_default: vpc.is_default().unwrap_or(false),
        tags: tags(vpc.tags()),
    }
}

pub(in crate::aws) fn subnet(subnet: &ec2::Subnet) -> Subnet {
    Subnet {
        id: text(subnet.subnet_id()),
        vpc_id: text(subnet.vpc_id()),
        availability_zone: text(subnet.availability_zone()),
        availability_zone_id: owned(subnet.availability_zone_id()),
        cidr_block: owned(subnet.cidr_block()),
        ipv6_cidr_blocks: subnet
            .ipv6_cidr_block_association_set()
            .iter()
            .filter_map(|a| a.ipv6_cidr_block().map(str::to_string))
            .collect(),
        ipv6_native: subnet.ipv6_native().unwrap_or(false),
        owner_id: owned(subnet.owner_id()),
        tags: tags(subnet.tags()),
    }
}
