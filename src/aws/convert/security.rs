//! Security groups with their rules, and network ACLs with their entries.

use aws_sdk_ec2::types as ec2;

use super::{owned, tags, text};
use crate::model::{
    IcmpTypeCode, NaclAssociation, NaclEntry, NetworkAcl, Protocol, RuleAction, SecurityGroup,
    SgRule,
};

pub(in crate::aws) fn security_group(group: &ec2::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        id: text(group.group_id()),
        name: text(group.group_name()),
        description: owned(group.description()),
        vpc_id: owned(group.vpc_id()),
        owner_id: owned(group.owner_id()),
        ingress: group.ip_permissions().iter().map(sg_rule).collect(),
        egress: group.ip_permissions_egress().iter().map(sg_rule).collect(),
        tags: tags(group.tags()),
    }
}

fn sg_rule(permission: &ec2::IpPermission) -> SgRule {
    SgRule {
        protocol: Protocol::parse(permission.ip_protocol().unwrap_or("-1")),
        from_port: permission.from_port(),
        to_port: permission.to_port(),
        ipv4_ranges: permission
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_ranges: permission
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
        prefix_list_ids: permission
            .prefix_list_ids()
            .iter()
            .filter_map(|p| p.prefix_list_id().map(str::to_string))
            .collect(),
        group_ids: permission
            .user_id_group_pairs()
            .iter()
            .filter_map(|p| p.group_id().map(str::to_string))
            .collect(),
    }
}

pub(in crate::aws) fn network_acl(acl: &ec2::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        id: text(acl.network_acl_id()),
        vpc_id: text(acl.vpc_id()),
        is_default: acl.is_default().unwrap_or(false),
        entries: acl
            .entries()
            .iter()
            .map(|e| NaclEntry {
                rule_number: e.rule_number().unwrap_or(32767),
                protocol: Protocol::parse(e.protocol().unwrap_or("-1")),
                rule_action: RuleAction::parse(e.rule_action().map_or("deny", |a| a.as_str())),
                egress: e.egress().unwrap_or(false),
                cidr_block: owned(e.cidr_block()),
                ipv6_cidr_block: owned(e.ipv6_cidr_block()),
                port_range: e
                    .port_range()
                    .map(|p| (p.from().unwrap_or(0), p.to().unwrap_or(65535))),
                icmp: e.icmp_type_code().map(|i| IcmpTypeCode {
                    icmp_type: i.r#type().unwrap_or(-1),
                    code: i.code().unwrap_or(-1),
                }),
            })
            .collect(),
        associations: acl
            .associations()
            .iter()
            .filter_map(|a| {
                Some(NaclAssociation {
                    id: owned(a.network_acl_association_id()),
                    subnet_id: a.subnet_id()?.to_string(),
                })
            })
            .collect(),
        tags: tags(acl.tags()),
    }
}
