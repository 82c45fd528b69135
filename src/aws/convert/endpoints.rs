//! VPC endpoints, their network interfaces, and the endpoint service catalogue.

use aws_sdk_ec2::primitives::DateTimeFormat;
use aws_sdk_ec2::types as ec2;

use super::dns::dns_name;
use super::{owned, tags, text};
use crate::model::{
    DnsEntry, DnsOptions, EndpointEni, EndpointState, EndpointType, LastError, ServiceDetail,
    VpcEndpoint,
};

pub(in crate::aws) fn endpoint(endpoint: &ec2::VpcEndpoint) -> VpcEndpoint {
    VpcEndpoint {
        id: text(endpoint.vpc_endpoint_id()),
        vpc_id: text(endpoint.vpc_id()),
        service_name: text(endpoint.service_name()),
        // The SDK's enums reject the wire casing; parse the raw strings (see EndpointState).
        endpoint_type: EndpointType::parse(endpoint.vpc_endpoint_type().map_or("", |t| t.as_str())),
        state: EndpointState::parse(endpoint.state().map_or("", |s| s.as_str())),
        subnet_ids: endpoint.subnet_ids().to_vec(),
        network_interface_ids: endpoint.network_interface_ids().to_vec(),
        security_group_ids: endpoint
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect(),
        private_dns_enabled: endpoint.private_dns_enabled().unwrap_or(false),
        dns_options: endpoint.dns_options().map(|o| DnsOptions {
            dns_record_ip_type: o.dns_record_ip_type().map(|t| t.as_str().to_string()),
            private_dns_only_for_inbound_resolver_endpoint: o
                .private_dns_only_for_inbound_resolver_endpoint(),
        }),
        dns_entries: endpoint
            .dns_entries()
            .iter()
            .filter_map(|e| {
                Some(DnsEntry {
                    dns_name: e.dns_name()?.to_string(),
                    hosted_zone_id: owned(e.hosted_zone_id()),
                })
            })
            .collect(),
        policy_document: owned(endpoint.policy_document()),
        route_table_ids: endpoint.route_table_ids().to_vec(),
        ip_address_type: endpoint.ip_address_type().map(|t| t.as_str().to_string()),
        creation_timestamp: endpoint
            .creation_timestamp()
            .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
        last_error: endpoint.last_error().map(|e| LastError {
            code: owned(e.code()),
            message: owned(e.message()),
        }),
        requester_managed: endpoint.requester_managed().unwrap_or(false),
        owner_id: owned(endpoint.owner_id()),
        tags: tags(endpoint.tags()),
    }
}

pub(in crate::aws) fn eni(eni: &ec2::NetworkInterface) -> EndpointEni {
    EndpointEni {
        id: text(eni.network_interface_id()),
        subnet_id: text(eni.subnet_id()),
        availability_zone: text(eni.availability_zone()),
        private_ip: owned(eni.private_ip_address()),
        ipv6_addresses: eni
            .ipv6_addresses()
            .iter()
            .filter_map(|a| a.ipv6_address().map(str::to_string))
            .collect(),
        security_group_ids: eni
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect(),
        requester_managed: eni.requester_managed().unwrap_or(false),
        status: eni.status().map(|s| s.as_str().to_string()),
        deny_all_igw_traffic: eni.deny_all_igw_traffic(),
    }
}

pub(in crate::aws) fn service_detail(detail: &ec2::ServiceDetail) -> ServiceDetail {
    let mut private_dns_names: Vec<String> = detail
        .private_dns_name()
        .into_iter()
        .chain(
            detail
                .private_dns_names()
                .iter()
                .filter_map(|d| d.private_dns_name()),
        )
        .map(dns_name)
        .collect();
    let mut seen = Vec::new();
    private_dns_names.retain(|n| {
        let first = !seen.contains(n);
        seen.push(n.clone());
        first
    });
    ServiceDetail {
        service_name: text(detail.service_name()),
        service_id: owned(detail.service_id()),
        service_types: detail
            .service_type()
            .iter()
            .filter_map(|t| t.service_type().map(|t| t.as_str().to_string()))
            .collect(),
        owner: owned(detail.owner()),
        private_dns_names,
        availability_zones: detail.availability_zones().to_vec(),
        availability_zone_ids: detail.availability_zone_ids().to_vec(),
        supported_ip_address_types: detail
            .supported_ip_address_types()
            .iter()
            .map(|t| t.as_str().to_ascii_lowercase())
            .collect(),
        vpc_endpoint_policy_supported: detail.vpc_endpoint_policy_supported(),
        manages_vpc_endpoints: detail.manages_vpc_endpoints(),
        acceptance_required: detail.acceptance_required(),
    }
}
