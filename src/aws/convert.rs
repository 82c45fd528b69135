//! SDK shapes to model types. Every field the model needs is read here and nowhere else:
//! EC2, Route 53 and Route 53 Resolver shapes.

use aws_sdk_ec2::primitives::DateTimeFormat;
use aws_sdk_ec2::types as ec2;

use crate::model::{
    DhcpOptions, DnsEntry, DnsOptions, EndpointEni, EndpointState, EndpointType, EnvironmentStatus,
    HostedZone, IcmpTypeCode, LastError, LastUpdate, MwaaEnvironment, NaclAssociation, NaclEntry,
    NetworkAcl, PrefixList, Protocol, RecordKind, RecordSet, ResolverRule, Route, RouteState,
    RouteTable, RouteTableAssociation, RuleAction, RuleType, SecurityGroup, ServiceDetail, SgRule,
    Subnet, Tags, Vpc, VpcEndpoint,
};

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

pub(super) fn vpc(vpc: &ec2::Vpc) -> Vpc {
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

pub(super) fn subnet(subnet: &ec2::Subnet) -> Subnet {
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

pub(super) fn route_table(table: &ec2::RouteTable) -> RouteTable {
    RouteTable {
        id: text(table.route_table_id()),
        vpc_id: text(table.vpc_id()),
        routes: table.routes().iter().map(route).collect(),
        associations: table
            .associations()
            .iter()
            .map(|a| RouteTableAssociation {
                id: owned(a.route_table_association_id()),
                subnet_id: owned(a.subnet_id()),
                gateway_id: owned(a.gateway_id()),
                main: a.main().unwrap_or(false),
            })
            .collect(),
        tags: tags(table.tags()),
    }
}

fn route(route: &ec2::Route) -> Route {
    let target = [
        route.gateway_id(),
        route.nat_gateway_id(),
        route.transit_gateway_id(),
        route.vpc_peering_connection_id(),
        route.network_interface_id(),
        route.instance_id(),
        route.egress_only_internet_gateway_id(),
        route.local_gateway_id(),
        route.carrier_gateway_id(),
        route.core_network_arn(),
    ]
    .into_iter()
    .flatten()
    .next();
    Route {
        destination_cidr: owned(route.destination_cidr_block()),
        destination_ipv6_cidr: owned(route.destination_ipv6_cidr_block()),
        destination_prefix_list_id: owned(route.destination_prefix_list_id()),
        target: owned(target),
        state: route.state().map(|s| RouteState::parse(s.as_str())),
        origin: route.origin().map(|o| o.as_str().to_string()),
    }
}

pub(super) fn prefix_list(list: &ec2::PrefixList) -> PrefixList {
    PrefixList {
        id: text(list.prefix_list_id()),
        name: text(list.prefix_list_name()),
        cidrs: list.cidrs().to_vec(),
    }
}

pub(super) fn security_group(group: &ec2::SecurityGroup) -> SecurityGroup {
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

pub(super) fn network_acl(acl: &ec2::NetworkAcl) -> NetworkAcl {
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

pub(super) fn endpoint(endpoint: &ec2::VpcEndpoint) -> VpcEndpoint {
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

pub(super) fn eni(eni: &ec2::NetworkInterface) -> EndpointEni {
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

/// A DNS name as Route 53 writes it (`Sqs.Us-East-1.amazonaws.com.`, `\052.example.com.`),
/// lower case, without the final dot, with the wildcard unescaped.
pub(super) fn dns_name(name: &str) -> String {
    name.trim_end_matches('.')
        .replace("\\052", "*")
        .to_ascii_lowercase()
}

pub(super) fn dhcp_options(options: &ec2::DhcpOptions) -> DhcpOptions {
    let values = |key: &str| -> Vec<String> {
        options
            .dhcp_configurations()
            .iter()
            .filter(|c| c.key() == Some(key))
            .flat_map(|c| {
                c.values()
                    .iter()
                    .filter_map(|v| v.value().map(str::to_string))
            })
            .collect()
    };
    DhcpOptions {
        id: text(options.dhcp_options_id()),
        domain_name_servers: values("domain-name-servers"),
        domain_name: values("domain-name").into_iter().next(),
    }
}

pub(super) fn service_detail(detail: &ec2::ServiceDetail) -> ServiceDetail {
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

pub(super) fn hosted_zone(zone: &aws_sdk_route53::types::HostedZoneSummary) -> HostedZone {
    HostedZone {
        id: zone
            .hosted_zone_id()
            .trim_start_matches("/hostedzone/")
            .to_string(),
        name: dns_name(zone.name()),
        owner_account: zone
            .owner()
            .and_then(|o| o.owning_account())
            .map(str::to_string),
        owner_service: zone
            .owner()
            .and_then(|o| o.owning_service())
            .map(str::to_string),
    }
}

/// A record set of the kinds linkscope follows (A, AAAA, CNAME); others are `None`.
pub(super) fn record_set(
    zone_id: &str,
    record: &aws_sdk_route53::types::ResourceRecordSet,
) -> Option<RecordSet> {
    use aws_sdk_route53::types::RrType;
    let kind = match record.r#type() {
        RrType::A => RecordKind::A,
        RrType::Aaaa => RecordKind::Aaaa,
        RrType::Cname => RecordKind::Cname,
        _ => return None,
    };
    Some(RecordSet {
        zone_id: zone_id.to_string(),
        name: dns_name(record.name()),
        kind,
        alias_target: record.alias_target().map(|a| dns_name(a.dns_name())),
        values: record
            .resource_records()
            .iter()
            .map(|r| dns_name(r.value()))
            .collect(),
    })
}

pub(super) fn resolver_rule(rule: &aws_sdk_route53resolver::types::ResolverRule) -> ResolverRule {
    ResolverRule {
        id: text(rule.id()),
        name: owned(rule.name()),
        domain: rule.domain_name().map(dns_name).unwrap_or_default(),
        rule_type: RuleType::parse(rule.rule_type().map_or("", |t| t.as_str())),
        targets: rule
            .target_ips()
            .iter()
            .filter_map(|t| {
                let ip = t.ip().or(t.ipv6())?;
                Some(match t.port() {
                    Some(port) => format!("{ip}:{port}"),
                    None => ip.to_string(),
                })
            })
            .collect(),
        owner_id: owned(rule.owner_id()),
    }
}

/// `GetEnvironment`'s environment: its network configuration, status, last update and the
/// settings the audit reads.
pub(super) fn environment(env: &aws_sdk_mwaa::types::Environment, name: &str) -> MwaaEnvironment {
    let network = env.network_configuration();
    MwaaEnvironment {
        name: env.name().unwrap_or(name).to_string(),
        arn: owned(env.arn()),
        status: env.status().map(|s| EnvironmentStatus::parse(s.as_str())),
        last_update: env.last_update().map(|update| LastUpdate {
            status: update.status().map(|s| s.as_str().to_string()),
            created_at: update
                .created_at()
                .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
            error_code: update.error().and_then(|e| owned(e.error_code())),
            error_message: update.error().and_then(|e| owned(e.error_message())),
            source: owned(update.source()),
        }),
        airflow_version: owned(env.airflow_version()),
        subnet_ids: network.map(|n| n.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_ids: network
            .map(|n| n.security_group_ids().to_vec())
            .unwrap_or_default(),
        webserver_access_mode: env.webserver_access_mode().map(|m| m.as_str().to_string()),
        source_bucket_arn: owned(env.source_bucket_arn()),
        kms_key: owned(env.kms_key()),
        endpoint_management: env.endpoint_management().map(|m| m.as_str().to_string()),
        webserver_vpc_endpoint_service: owned(env.webserver_vpc_endpoint_service()),
        database_vpc_endpoint_service: owned(env.database_vpc_endpoint_service()),
    }
}
