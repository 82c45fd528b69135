//! SDK shapes to model types. Every field the model needs is read here and nowhere else, one
//! file per source: VPCs and subnets, routes, security groups and ACLs, endpoints, the reads
//! beyond the VPC, DNS, the MWAA environment, IAM documents, and CloudTrail events.

use aws_sdk_ec2::types as ec2;

use crate::model::Tags;

mod access;
mod change_request;
mod cloudtrail;
mod dns;
mod endpoints;
mod mwaa;
mod record;
mod routes;
mod security;
mod transit;
mod vpc;

pub(super) use access::url_decoded;
pub(super) use cloudtrail::{change_event, rfc3339};
pub(super) use dns::{dhcp_options, dns_name, hosted_zone, record_set, resolver_rule};
pub(super) use endpoints::{endpoint, eni, service_detail};
pub(super) use mwaa::environment;
pub(super) use routes::{prefix_list, route_table};
pub(super) use security::{network_acl, security_group};
pub(super) use transit::{peering, tgw_attachment, tgw_route, transit_gateway};
pub(super) use vpc::{subnet, vpc};

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

fn tags(tags: &[ec2::Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}
