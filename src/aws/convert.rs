//! SDK shapes to model types. Every field the model needs is read here and nowhere else:
//! EC2, Route 53 and Route 53 Resolver shapes, and CloudTrail events (their
//! `CloudTrailEvent` JSON record parsed once, in [`change_event`]).

use std::collections::BTreeSet;
use std::time::SystemTime;

use aws_sdk_ec2::primitives::DateTimeFormat;
use aws_sdk_ec2::types as ec2;
use serde_json::Value;

use crate::model::{
    ChangeEvent, DhcpOptions, DnsEntry, DnsOptions, EndpointEni, EndpointState, EndpointType,
    EnvironmentStatus, HostedZone, IcmpTypeCode, LastError, LastUpdate, MwaaEnvironment,
    NaclAssociation, NaclEntry, NetworkAcl, PeeringConnection, PeeringSide, PeeringStatus,
    PrefixList, Protocol, RecordKind, RecordSet, ResolverRule, Route, RouteState, RouteTable,
    RouteTableAssociation, RuleAction, RuleType, SecurityGroup, ServiceDetail, SgRule, Subnet,
    Tags, TgwAttachment, TgwRoute, TgwRouteAttachment, TransitGateway, Vpc, VpcEndpoint,
    is_change_event,
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
/// A VPC peering connection with both sides.
pub(super) fn peering(peering: &ec2::VpcPeeringConnection) -> PeeringConnection {
    let side = |info: Option<&ec2::VpcPeeringConnectionVpcInfo>| {
        info.map_or_else(PeeringSide::default, |info| {
            let mut cidr_blocks: Vec<String> = info
                .cidr_block_set()
                .iter()
                .filter_map(|c| c.cidr_block().map(str::to_string))
                .collect();
            if cidr_blocks.is_empty() {
                cidr_blocks.extend(owned(info.cidr_block()));
            }
            PeeringSide {
                vpc_id: owned(info.vpc_id()),
                owner_id: owned(info.owner_id()),
                region: owned(info.region()),
                cidr_blocks,
            }
        })
    };
    PeeringConnection {
        id: text(peering.vpc_peering_connection_id()),
        status: PeeringStatus::parse(
            peering
                .status()
                .and_then(|s| s.code())
                .map_or("", |c| c.as_str()),
        ),
        requester: side(peering.requester_vpc_info()),
        accepter: side(peering.accepter_vpc_info()),
    }
}

/// `enable` of an `enable | disable` option.
fn enabled(value: Option<&str>) -> Option<bool> {
    value.map(|v| v.eq_ignore_ascii_case("enable"))
}

/// A transit gateway with its group referencing option.
pub(super) fn transit_gateway(tgw: &ec2::TransitGateway) -> TransitGateway {
    TransitGateway {
        id: text(tgw.transit_gateway_id()),
        owner_id: owned(tgw.owner_id()),
        state: tgw.state().map(|s| s.as_str().to_string()),
        security_group_referencing: enabled(
            tgw.options()
                .and_then(|o| o.security_group_referencing_support())
                .map(|v| v.as_str()),
        ),
    }
}

/// A transit gateway attachment, with the subnets and options of its VPC attachment when
/// `DescribeTransitGatewayVpcAttachments` returned it.
pub(super) fn tgw_attachment(
    attachment: &ec2::TransitGatewayAttachment,
    vpc_attachments: &[ec2::TransitGatewayVpcAttachment],
) -> TgwAttachment {
    let id = text(attachment.transit_gateway_attachment_id());
    let vpc = vpc_attachments
        .iter()
        .find(|v| v.transit_gateway_attachment_id() == Some(id.as_str()));
    TgwAttachment {
        transit_gateway_id: text(attachment.transit_gateway_id()),
        resource_type: attachment
            .resource_type()
            .map_or_else(String::new, |t| t.as_str().to_string()),
        resource_id: owned(attachment.resource_id()),
        resource_owner_id: owned(attachment.resource_owner_id()),
        state: attachment
            .state()
            .map_or_else(String::new, |s| s.as_str().to_string()),
        route_table_id: attachment
            .association()
            .filter(|a| a.state().is_none_or(|s| s.as_str() == "associated"))
            .and_then(|a| owned(a.transit_gateway_route_table_id())),
        subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
        security_group_referencing: vpc.and_then(|v| {
            enabled(
                v.options()
                    .and_then(|o| o.security_group_referencing_support())
                    .map(|s| s.as_str()),
            )
        }),
        id,
    }
}

/// One route of a transit gateway route table.
pub(super) fn tgw_route(route: &ec2::TransitGatewayRoute) -> TgwRoute {
    TgwRoute {
        destination_cidr: owned(route.destination_cidr_block()),
        prefix_list_id: owned(route.prefix_list_id()),
        state: RouteState::parse(route.state().map_or("", |s| s.as_str())),
        route_type: route.r#type().map(|t| t.as_str().to_string()),
        attachments: route
            .transit_gateway_attachments()
            .iter()
            .map(|a| TgwRouteAttachment {
                attachment_id: owned(a.transit_gateway_attachment_id()),
                resource_id: owned(a.resource_id()),
                resource_type: a.resource_type().map(|t| t.as_str().to_string()),
            })
            .collect(),
    }
}

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
        execution_role_arn: owned(env.execution_role_arn()),
        environment_class: owned(env.environment_class()),
        max_workers: env.max_workers(),
    }
}

/// A policy document as IAM returns it, URL-encoded (RFC 3986), decoded; text that is not
/// valid percent-encoding is kept as it is (then it is JSON already, or the policy check
/// says it does not parse).
pub(super) fn url_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (other, _, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A CloudTrail event as a change in scope. `None` when it is not one of
/// [`crate::model::CHANGE_EVENTS`] from the service that owns the name, when the call failed
/// (its record has an `errorCode`: a failed call changed nothing), or when it touched no id
/// in `scope` (looked for in `Resources[].ResourceName` and in every string of the record's
/// `requestParameters` and `responseElements`, tags left out). The record (the
/// `CloudTrailEvent` JSON) is parsed here once; when it is missing or unreadable the event
/// is kept on its resources alone, with an empty summary.
pub(super) fn change_event(
    event: &aws_sdk_cloudtrail::types::Event,
    scope: &BTreeSet<String>,
) -> Option<ChangeEvent> {
    let record: Value = event
        .cloud_trail_event()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let name = event
        .event_name()
        .or_else(|| record["eventName"].as_str())?;
    let source = event
        .event_source()
        .or_else(|| record["eventSource"].as_str())?;
    if !is_change_event(name, source) || !record["errorCode"].is_null() {
        return None;
    }
    let request = &record["requestParameters"];
    let mut touched = BTreeSet::new();
    for resource in event.resources() {
        if let Some(id) = resource.resource_name().and_then(|n| in_scope(n, scope)) {
            touched.insert(id.clone());
        }
    }
    ids_in(request, scope, &mut touched);
    ids_in(&record["responseElements"], scope, &mut touched);
    if touched.is_empty() {
        return None;
    }
    Some(ChangeEvent {
        event_id: event
            .event_id()
            .or_else(|| record["eventID"].as_str())
            .unwrap_or_default()
            .to_string(),
        time: event
            .event_time()
            .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
            .or_else(|| record["eventTime"].as_str().map(str::to_string))
            .unwrap_or_default(),
        event_name: name.to_string(),
        event_source: source.to_string(),
        actor: actor(&record["userIdentity"]).or_else(|| owned(event.username())),
        resources: touched.into_iter().collect(),
        summary: change_summary(name, unwrap_request(request)),
    })
}

/// RFC 3339 UTC to the second (`2026-11-25T03:12:00Z`).
pub(super) fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    aws_sdk_ec2::primitives::DateTime::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX))
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

/// The id in scope a string names: itself, a hosted zone path (`/hostedzone/Z…`), or the
/// last part of an ARN (`arn:…:security-group/sg-…`).
fn in_scope<'s>(text: &str, scope: &'s BTreeSet<String>) -> Option<&'s String> {
    let text = text.trim();
    let zone = text.trim_start_matches("/hostedzone/");
    let arn_tail = text
        .strip_prefix("arn:")
        .and_then(|rest| rest.rsplit(['/', ':']).next());
    [Some(text), Some(zone), arn_tail]
        .into_iter()
        .flatten()
        .find_map(|candidate| scope.get(candidate))
}

/// Every id in scope that a string of `value` names. Tags and descriptions are free text,
/// not references, and are skipped.
fn ids_in(value: &Value, scope: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    match value {
        Value::String(text) => out.extend(in_scope(text, scope).cloned()),
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, scope, out)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| !free_text(key))
            .for_each(|(_, v)| ids_in(v, scope, out)),
        _ => {}
    }
}

/// A field of labels or prose: `TagSpecification`, `tagSet`, `description`.
fn free_text(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("tag") || key == "description"
}

/// `userIdentity` in short: `role/deployer` for `assumed-role/deployer/session`,
/// `user/alice`, `root`, `service/airflow.amazonaws.com`.
fn actor(identity: &Value) -> Option<String> {
    match identity["type"].as_str() {
        Some("Root") => return Some("root".into()),
        Some("AWSService") => {
            return identity["invokedBy"]
                .as_str()
                .map(|service| format!("service/{service}"));
        }
        _ => {}
    }
    if let Some(short) = identity["arn"].as_str().and_then(short_principal) {
        return Some(short);
    }
    if let Some(role) = identity["sessionContext"]["sessionIssuer"]["userName"].as_str() {
        return Some(format!("role/{role}"));
    }
    identity["userName"]
        .as_str()
        .map(|user| match identity["type"].as_str() {
            Some("IAMUser") => format!("user/{user}"),
            _ => user.to_string(),
        })
}

/// The principal part of an IAM or STS ARN in short (paths dropped, sessions dropped).
fn short_principal(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5).filter(|r| !r.is_empty())?;
    let mut parts = resource.split('/');
    let kind = parts.next()?;
    Some(match kind {
        "root" => "root".into(),
        "assumed-role" => format!("role/{}", parts.next().filter(|r| !r.is_empty())?),
        "user" | "role" | "federated-user" => {
            format!("{kind}/{}", parts.next_back().filter(|n| !n.is_empty())?)
        }
        _ => resource.to_string(),
    })
}

/// The request inside the `XxxRequest` wrapper newer EC2 calls log, else the request itself.
fn unwrap_request(request: &Value) -> &Value {
    match request.as_object() {
        Some(fields) if fields.len() == 1 => fields
            .iter()
            .next()
            .filter(|(key, inner)| key.ends_with("Request") && inner.is_object())
            .map_or(request, |(_, inner)| inner),
        _ => request,
    }
}

/// A field by name, ignoring case (EC2 logs `groupId`, its newer calls `VpcEndpointId`);
/// `null` counts as absent.
fn field<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// A scalar field as text.
fn scalar(value: &Value, key: &str) -> Option<String> {
    match field(value, key)? {
        Value::String(text) => Some(text.clone()).filter(|t| !t.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(inner) => inner
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
            .and_then(|(_, v)| match v {
                Value::Bool(b) => Some(b.to_string()),
                Value::String(text) => Some(text.clone()),
                _ => None,
            }),
        _ => None,
    }
}

/// A boolean field: `true`, `"true"` or `{"value": true}`.
fn flag(value: &Value, key: &str) -> Option<bool> {
    scalar(value, key).and_then(|text| text.parse().ok())
}

/// The strings of a list field however EC2 logged it: an array, `{"items": [...]}`, or
/// `{"tag": 1, "content": "..."}` entries.
fn list(value: &Value, key: &str) -> Vec<String> {
    fn flatten(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(text) => out.push(text.clone()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
            Value::Object(fields) => match field(value, "content")
                .or_else(|| field(value, "items"))
                .or_else(|| field(value, "item"))
            {
                Some(inner) => flatten(inner, out),
                None => fields
                    .iter()
                    .filter(|(key, _)| !free_text(key))
                    .for_each(|(_, v)| flatten(v, out)),
            },
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(inner) = field(value, key) {
        flatten(inner, &mut out);
    }
    out
}

/// The items of a list field logged as `{"items": [...]}` or as an array.
fn items<'v>(value: &'v Value, key: &str) -> Vec<&'v Value> {
    let inner = field(value, key);
    let inner = inner
        .and_then(|v| field(v, "items").or_else(|| field(v, "item")))
        .or(inner);
    match inner {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(object @ Value::Object(_)) => vec![object],
        _ => Vec::new(),
    }
}

/// A protocol with its ports: `tcp/443`, `tcp/1024-65535`, `all`, `icmp`.
fn protocol_ports(protocol: Option<String>, from: Option<String>, to: Option<String>) -> String {
    let protocol = Protocol::parse(protocol.as_deref().unwrap_or("-1"));
    let ports = match (from, to) {
        _ if !matches!(protocol, Protocol::Tcp | Protocol::Udp) => None,
        (Some(from), Some(to)) if from == to => Some(from),
        (Some(from), Some(to)) if from == "0" && to == "65535" => None,
        (Some(from), Some(to)) if from != "-1" => Some(format!("{from}-{to}")),
        (Some(from), None) if from != "-1" => Some(from),
        _ => None,
    };
    match ports {
        Some(ports) => format!("{}/{ports}", protocol.name()),
        None => protocol.name(),
    }
}

/// What the request did in a few words; empty when its parameters do not say.
fn change_summary(name: &str, request: &Value) -> String {
    let parts: Vec<String> = match name {
        "AuthorizeSecurityGroupIngress" => sg_permissions("authorized", "from", request),
        "AuthorizeSecurityGroupEgress" => sg_permissions("authorized", "to", request),
        "RevokeSecurityGroupIngress" => sg_permissions("revoked", "from", request),
        "RevokeSecurityGroupEgress" => sg_permissions("revoked", "to", request),
        "CreateRoute" | "ReplaceRoute" | "DeleteRoute" => route_change(name, request),
        "CreateNetworkAclEntry" | "ReplaceNetworkAclEntry" | "DeleteNetworkAclEntry" => {
            acl_entry(request)
        }
        "ModifyVpcEndpoint" => modified_endpoint(request),
        "CreateVpcEndpoint" => {
            let service = scalar(request, "ServiceName");
            let kind = scalar(request, "VpcEndpointType").unwrap_or_else(|| "Gateway".into());
            service
                .map(|s| format!("{} endpoint for {s}", kind.to_ascii_lowercase()))
                .into_iter()
                .collect()
        }
        "DeleteVpcEndpoints" => labelled("deleted", list(request, "VpcEndpointId")),
        "AcceptVpcEndpointConnections" => labelled("accepted", list(request, "VpcEndpointId")),
        "RejectVpcEndpointConnections" => labelled("rejected", list(request, "VpcEndpointId")),
        "AssociateRouteTable" => arrow(
            scalar(request, "subnetId").or_else(|| scalar(request, "gatewayId")),
            scalar(request, "routeTableId"),
        ),
        "DisassociateRouteTable" => labelled("association", list(request, "associationId")),
        "ReplaceRouteTableAssociation" => arrow(
            scalar(request, "associationId"),
            scalar(request, "routeTableId"),
        ),
        "ReplaceNetworkAclAssociation" => arrow(
            scalar(request, "associationId"),
            scalar(request, "networkAclId"),
        ),
        "ModifyVpcAttribute" => ["enableDnsSupport", "enableDnsHostnames"]
            .into_iter()
            .filter_map(|key| scalar(request, key).map(|value| format!("{key} {value}")))
            .collect(),
        "AssociateDhcpOptions" => arrow(scalar(request, "dhcpOptionsId"), scalar(request, "vpcId")),
        "AssociateResolverRule" | "DisassociateResolverRule" => {
            labelled("rule", list(request, "resolverRuleId"))
        }
        "AssociateVPCWithHostedZone" => {
            let vpc = field(request, "vpc").and_then(|v| scalar(v, "vpcId"));
            match scalar(request, "hostedZoneId") {
                Some(zone) => vec![match vpc {
                    Some(vpc) => format!("zone {zone} ↔ {vpc}"),
                    None => format!("zone {zone}"),
                }],
                None => Vec::new(),
            }
        }
        "ChangeResourceRecordSets" => record_changes(request),
        "UpdateEnvironment" => environment_update(request),
        _ => Vec::new(),
    };
    parts.join("; ")
}

fn labelled(label: &str, ids: Vec<String>) -> Vec<String> {
    if ids.is_empty() {
        return Vec::new();
    }
    vec![format!("{label} {}", ids.join(", "))]
}

fn arrow(from: Option<String>, to: Option<String>) -> Vec<String> {
    match (from, to) {
        (Some(from), Some(to)) => vec![format!("{from} → {to}")],
        _ => Vec::new(),
    }
}

/// `revoked tcp/443 from sg-…, 10.0.0.0/16` per permission; `revoked sgr-…` by rule id.
fn sg_permissions(verb: &str, direction: &str, request: &Value) -> Vec<String> {
    let mut parts: Vec<String> = items(request, "ipPermissions")
        .into_iter()
        .map(|permission| {
            let what = protocol_ports(
                scalar(permission, "ipProtocol"),
                scalar(permission, "fromPort"),
                scalar(permission, "toPort"),
            );
            let peers: Vec<String> = [
                ("groups", "groupId"),
                ("ipRanges", "cidrIp"),
                ("ipv6Ranges", "cidrIpv6"),
                ("prefixListIds", "prefixListId"),
            ]
            .into_iter()
            .flat_map(|(key, id)| {
                items(permission, key)
                    .into_iter()
                    .filter_map(move |peer| scalar(peer, id))
            })
            .collect();
            match peers.is_empty() {
                true => format!("{verb} {what}"),
                false => format!("{verb} {what} {direction} {}", peers.join(", ")),
            }
        })
        .collect();
    // The older flat form: one permission in the request itself.
    if parts.is_empty() && field(request, "ipProtocol").is_some() {
        let what = protocol_ports(
            scalar(request, "ipProtocol"),
            scalar(request, "fromPort"),
            scalar(request, "toPort"),
        );
        parts.push(match scalar(request, "cidrIp") {
            Some(cidr) => format!("{verb} {what} {direction} {cidr}"),
            None => format!("{verb} {what}"),
        });
    }
    let rules: Vec<String> = items(request, "securityGroupRuleIds")
        .into_iter()
        .flat_map(|rule| match rule {
            Value::String(id) => Some(id.clone()),
            other => scalar(other, "securityGroupRuleId"),
        })
        .collect();
    parts.extend(labelled(verb, rules));
    parts
}

/// The route targets a request may name, in the order AWS documents them.
const ROUTE_TARGETS: [&str; 11] = [
    "gatewayId",
    "natGatewayId",
    "transitGatewayId",
    "vpcPeeringConnectionId",
    "networkInterfaceId",
    "instanceId",
    "egressOnlyInternetGatewayId",
    "localGatewayId",
    "carrierGatewayId",
    "vpcEndpointId",
    "coreNetworkArn",
];

/// `route 0.0.0.0/0 → nat-…`; `route 0.0.0.0/0` for a deletion.
fn route_change(name: &str, request: &Value) -> Vec<String> {
    let Some(destination) = [
        "destinationCidrBlock",
        "destinationIpv6CidrBlock",
        "destinationPrefixListId",
    ]
    .into_iter()
    .find_map(|key| scalar(request, key)) else {
        return Vec::new();
    };
    let target = ROUTE_TARGETS.iter().find_map(|key| scalar(request, key));
    vec![match target {
        Some(target) if name != "DeleteRoute" => format!("route {destination} → {target}"),
        _ => format!("route {destination}"),
    }]
}

/// `egress rule 50 deny tcp/443 0.0.0.0/0`; `egress rule 50` for a deletion.
fn acl_entry(request: &Value) -> Vec<String> {
    let Some(number) = scalar(request, "ruleNumber") else {
        return Vec::new();
    };
    let direction = match flag(request, "egress") {
        Some(true) => "egress",
        Some(false) => "ingress",
        None => "",
    };
    let mut text = format!("{direction} rule {number}")
        .trim_start()
        .to_string();
    if let Some(action) = scalar(request, "ruleAction") {
        let range = field(request, "portRange");
        let what = protocol_ports(
            scalar(request, "aclProtocol").or_else(|| scalar(request, "protocol")),
            range.and_then(|r| scalar(r, "from")),
            range.and_then(|r| scalar(r, "to")),
        );
        text.push_str(&format!(" {} {what}", RuleAction::parse(&action)));
        if let Some(cidr) =
            scalar(request, "cidrBlock").or_else(|| scalar(request, "ipv6CidrBlock"))
        {
            text.push_str(&format!(" {cidr}"));
        }
    }
    vec![text]
}

/// `added sg-…; removed sg-…; private DNS off; policy changed`.
fn modified_endpoint(request: &Value) -> Vec<String> {
    let ids = |prefix: &str| -> Vec<String> {
        ["SecurityGroupId", "SubnetId", "RouteTableId"]
            .into_iter()
            .flat_map(|kind| list(request, &format!("{prefix}{kind}")))
            .collect()
    };
    let mut parts = labelled("added", ids("Add"));
    parts.extend(labelled("removed", ids("Remove")));
    if let Some(on) = flag(request, "PrivateDnsEnabled") {
        parts.push(format!("private DNS {}", if on { "on" } else { "off" }));
    }
    if field(request, "PolicyDocument").is_some() {
        parts.push("policy changed".into());
    }
    if flag(request, "ResetPolicy") == Some(true) {
        parts.push("policy reset to full access".into());
    }
    parts
}

/// `UPSERT CNAME sqs.us-east-1.amazonaws.com` per change, at most three and a count.
fn record_changes(request: &Value) -> Vec<String> {
    let batch = field(request, "changeBatch").unwrap_or(&Value::Null);
    let changes: Vec<String> = items(batch, "changes")
        .into_iter()
        .filter_map(|change| {
            let set = field(change, "resourceRecordSet")?;
            let action = scalar(change, "action")?;
            let kind = scalar(set, "type").unwrap_or_default();
            let name = scalar(set, "name")
                .map(|n| dns_name(&n))
                .unwrap_or_default();
            Some(format!("{action} {kind} {name}").trim_end().to_string())
        })
        .collect();
    match changes.len() {
        0..=3 => changes,
        n => {
            let mut shown = changes[..3].to_vec();
            shown.push(format!("{} more", n - 3));
            shown
        }
    }
}

/// The network settings an `UpdateEnvironment` set; `no network settings` when none.
fn environment_update(request: &Value) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(network) = field(request, "networkConfiguration") {
        for (key, label) in [
            ("securityGroupIds", "security groups"),
            ("subnetIds", "subnets"),
        ] {
            if field(network, key).is_some() {
                parts.push(format!("{label} {}", list(network, key).join(", ")));
            }
        }
    }
    for (key, label) in [
        ("webserverAccessMode", "webserver access"),
        ("sourceBucketArn", "source bucket"),
    ] {
        if let Some(value) = scalar(request, key) {
            parts.push(format!("{label} {value}"));
        }
    }
    if parts.is_empty() && request.is_object() {
        parts.push("no network settings".into());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::primitives::DateTime;
    use aws_sdk_cloudtrail::types::{Event, Resource};
    use serde_json::json;

    const VPC: &str = "vpc-0a1b2c3d4e5f60718";
    const SG: &str = "sg-0d6e5f4a3b2c1d0e9";
    const RTB: &str = "rtb-0123456789abcdef0";
    const ACL: &str = "acl-0123456789abcdef0";
    const VPCE: &str = "vpce-0123456789abcdef0";
    const ZONE: &str = "Z0123456789ABCDEFGHIJ";
    const RULE: &str = "rslvr-rr-0123456789abcdef0";
    const ENV: &str = "airflow-prod";
    /// 2026-11-25T03:12:00Z.
    const AT: i64 = 1_795_576_320;

    fn scope() -> BTreeSet<String> {
        [VPC, SG, RTB, ACL, VPCE, ZONE, RULE, ENV]
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn ec2_source(name: &str) -> &'static str {
        match name {
            "UpdateEnvironment" => "airflow.amazonaws.com",
            "AssociateResolverRule" | "DisassociateResolverRule" => "route53resolver.amazonaws.com",
            "ChangeResourceRecordSets" | "AssociateVPCWithHostedZone" => "route53.amazonaws.com",
            _ => "ec2.amazonaws.com",
        }
    }

    /// An event as LookupEvents returns it, its record holding `request`.
    fn event_with(name: &str, record: &str, resources: &[&str]) -> Event {
        resources
            .iter()
            .fold(
                Event::builder()
                    .event_id(format!("id-{name}"))
                    .event_name(name)
                    .event_source(ec2_source(name))
                    .event_time(DateTime::from_secs(AT))
                    .username("deployer-session")
                    .cloud_trail_event(record),
                |builder, id| {
                    builder.resources(
                        Resource::builder()
                            .resource_type("AWS::EC2::Thing")
                            .resource_name(*id)
                            .build(),
                    )
                },
            )
            .build()
    }

    fn record(name: &str, request: Value) -> String {
        json!({
            "eventVersion": "1.09",
            "eventID": format!("id-{name}"),
            "eventTime": "2026-11-25T03:12:00Z",
            "eventName": name,
            "eventSource": ec2_source(name),
            "userIdentity": {
                "type": "AssumedRole",
                "arn": "arn:aws:sts::111122223333:assumed-role/deployer/ci-1234",
                "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "deployer"}}
            },
            "requestParameters": request,
            "responseElements": {"_return": true}
        })
        .to_string()
    }

    fn change(name: &str, request: Value) -> Option<ChangeEvent> {
        change_event(&event_with(name, &record(name, request), &[]), &scope())
    }

    fn summary(name: &str, request: Value) -> String {
        change(name, request).expect("in scope").summary
    }

    #[test]
    fn only_change_events_from_their_service_are_kept() {
        let request = json!({"groupId": SG});
        let kept = change("RevokeSecurityGroupIngress", request.clone()).unwrap();
        assert_eq!(kept.event_id, "id-RevokeSecurityGroupIngress");
        assert_eq!(kept.event_name, "RevokeSecurityGroupIngress");
        assert_eq!(kept.event_source, "ec2.amazonaws.com");
        assert_eq!(kept.time, "2026-11-25T03:12:00Z");
        assert_eq!(kept.resources, [SG]);
        for irrelevant in ["CreateTags", "DescribeVpcs", "RunInstances"] {
            assert_eq!(change(irrelevant, request.clone()), None, "{irrelevant}");
        }
        // Elastic Beanstalk has an UpdateEnvironment too.
        let beanstalk = Event::builder()
            .event_name("UpdateEnvironment")
            .event_source("elasticbeanstalk.amazonaws.com")
            .cloud_trail_event(json!({"requestParameters": {"name": ENV}}).to_string())
            .build();
        assert_eq!(change_event(&beanstalk, &scope()), None);
    }

    #[test]
    fn a_failed_call_changed_nothing() {
        let mut failed: Value = serde_json::from_str(&record(
            "AuthorizeSecurityGroupIngress",
            json!({"groupId": SG}),
        ))
        .unwrap();
        failed["errorCode"] = json!("Client.UnauthorizedOperation");
        failed["errorMessage"] = json!("You are not authorized to perform this operation.");
        let event = event_with("AuthorizeSecurityGroupIngress", &failed.to_string(), &[SG]);
        assert_eq!(change_event(&event, &scope()), None);
        failed["errorCode"] = Value::Null;
        let event = event_with("AuthorizeSecurityGroupIngress", &failed.to_string(), &[SG]);
        assert!(
            change_event(&event, &scope()).is_some(),
            "a null code is no error"
        );
    }

    #[test]
    fn resources_match_through_the_resource_list_and_the_request() {
        let bare = record("CreateRoute", json!({}));
        // Through Resources[].ResourceName, ids and ARNs alike.
        let listed = event_with("CreateRoute", &bare, &[RTB, "rtb-elsewhere"]);
        assert_eq!(change_event(&listed, &scope()).unwrap().resources, [RTB]);
        let env = event_with(
            "UpdateEnvironment",
            &record("UpdateEnvironment", json!({})),
            &["arn:aws:airflow:us-east-1:111122223333:environment/airflow-prod"],
        );
        assert_eq!(change_event(&env, &scope()).unwrap().resources, [ENV]);
        // Through the request and the response, nested and wrapped.
        let nested = change(
            "ModifyVpcEndpoint",
            json!({"ModifyVpcEndpointRequest": {
                "VpcEndpointId": VPCE,
                "AddSecurityGroupId": {"tag": 1, "content": SG}
            }}),
        )
        .unwrap();
        assert_eq!(nested.resources, [SG, VPCE]);
        let zone = change(
            "ChangeResourceRecordSets",
            json!({"hostedZoneId": format!("/hostedzone/{ZONE}")}),
        )
        .unwrap();
        assert_eq!(zone.resources, [ZONE]);
        let mut created: Value = serde_json::from_str(&record(
            "CreateVpcEndpoint",
            json!({"CreateVpcEndpointRequest": {"VpcId": "vpc-other"}}),
        ))
        .unwrap();
        created["responseElements"] =
            json!({"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": VPCE}}});
        let event = event_with("CreateVpcEndpoint", &created.to_string(), &[]);
        assert_eq!(change_event(&event, &scope()).unwrap().resources, [VPCE]);
        // Out of scope: other ids, or ours only in a tag.
        assert_eq!(
            change_event(&event_with("CreateRoute", &bare, &[]), &scope()),
            None
        );
        assert_eq!(
            change("CreateRoute", json!({"routeTableId": "rtb-elsewhere"})),
            None
        );
        assert_eq!(
            change(
                "CreateVpcEndpoint",
                json!({"CreateVpcEndpointRequest": {
                    "VpcId": "vpc-other",
                    "TagSpecification": {"Tag": {"Key": "Name", "Value": ENV}}
                }})
            ),
            None
        );
        assert_eq!(
            change(
                "AuthorizeSecurityGroupIngress",
                json!({"groupId": "sg-elsewhere", "ipPermissions": {"items": [{
                    "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16", "description": ENV}]}
                }]}})
            ),
            None
        );
    }

    #[test]
    fn actors_are_short() {
        let actor_of = |identity: Value| {
            let mut text: Value =
                serde_json::from_str(&record("CreateRoute", json!({"routeTableId": RTB}))).unwrap();
            text["userIdentity"] = identity;
            change_event(&event_with("CreateRoute", &text.to_string(), &[]), &scope())
                .unwrap()
                .actor
        };
        assert_eq!(
            actor_of(json!({"type": "AssumedRole",
                "arn": "arn:aws:sts::111122223333:assumed-role/deployer/ci-1234"})),
            Some("role/deployer".into())
        );
        assert_eq!(
            actor_of(json!({"type": "IAMUser", "userName": "alice",
                "arn": "arn:aws:iam::111122223333:user/ops/alice"})),
            Some("user/alice".into())
        );
        assert_eq!(
            actor_of(json!({"type": "Root", "arn": "arn:aws:iam::111122223333:root"})),
            Some("root".into())
        );
        assert_eq!(
            actor_of(json!({"type": "AWSService", "invokedBy": "airflow.amazonaws.com"})),
            Some("service/airflow.amazonaws.com".into())
        );
        assert_eq!(
            actor_of(json!({"type": "AssumedRole",
                "sessionContext": {"sessionIssuer": {"userName": "deployer"}}})),
            Some("role/deployer".into()),
            "no ARN: the session's issuer"
        );
        assert_eq!(
            actor_of(json!({"type": "IAMUser", "arn": "not-an-arn"})),
            Some("deployer-session".into()),
            "nothing usable: LookupEvents' own Username"
        );
        assert_eq!(short_principal("arn:aws:sts::1:assumed-role//s"), None);
    }

    #[test]
    fn security_group_summaries() {
        assert_eq!(
            summary(
                "RevokeSecurityGroupIngress",
                json!({"groupId": SG, "ipPermissions": {"items": [{
                    "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                    "groups": {"items": [{"groupId": "sg-0d6aaaaaaaaaaaaaa"}]},
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]},
                    "ipv6Ranges": {}, "prefixListIds": {}
                }]}})
            ),
            "revoked tcp/443 from sg-0d6aaaaaaaaaaaaaa, 10.0.0.0/16"
        );
        assert_eq!(
            summary(
                "AuthorizeSecurityGroupEgress",
                json!({"groupId": SG, "ipPermissions": {"items": [
                    {"ipProtocol": "-1", "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}},
                    {"ipProtocol": "6", "fromPort": 1024, "toPort": 65535,
                     "prefixListIds": {"items": [{"prefixListId": "pl-63a5400a"}]}}
                ]}})
            ),
            "authorized all to 0.0.0.0/0; authorized tcp/1024-65535 to pl-63a5400a"
        );
        assert_eq!(
            summary(
                "AuthorizeSecurityGroupIngress",
                json!({"groupId": SG, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                       "cidrIp": "10.0.0.0/8"})
            ),
            "authorized tcp/443 from 10.0.0.0/8",
            "the older flat form"
        );
        assert_eq!(
            summary(
                "RevokeSecurityGroupEgress",
                json!({"groupId": SG, "securityGroupRuleIds": {"items": [
                    {"securityGroupRuleId": "sgr-1"}, {"securityGroupRuleId": "sgr-2"}
                ]}})
            ),
            "revoked sgr-1, sgr-2"
        );
        assert_eq!(
            summary("RevokeSecurityGroupIngress", json!({"groupId": SG})),
            ""
        );
    }

    #[test]
    fn route_and_association_summaries() {
        assert_eq!(
            summary(
                "CreateRoute",
                json!({"routeTableId": RTB, "destinationCidrBlock": "0.0.0.0/0",
                       "natGatewayId": "nat-0123456789abcdef0"})
            ),
            "route 0.0.0.0/0 → nat-0123456789abcdef0"
        );
        assert_eq!(
            summary(
                "ReplaceRoute",
                json!({"routeTableId": RTB, "destinationPrefixListId": "pl-63a5400a",
                       "vpcEndpointId": VPCE})
            ),
            "route pl-63a5400a → vpce-0123456789abcdef0"
        );
        assert_eq!(
            summary(
                "DeleteRoute",
                json!({"routeTableId": RTB, "destinationCidrBlock": "0.0.0.0/0"})
            ),
            "route 0.0.0.0/0"
        );
        assert_eq!(
            summary(
                "AssociateRouteTable",
                json!({"routeTableId": RTB, "subnetId": "subnet-1"})
            ),
            format!("subnet-1 → {RTB}")
        );
        assert_eq!(
            summary(
                "ReplaceNetworkAclAssociation",
                json!({"associationId": "aclassoc-1", "networkAclId": ACL})
            ),
            format!("aclassoc-1 → {ACL}")
        );
        assert_eq!(
            summary(
                "AssociateDhcpOptions",
                json!({"dhcpOptionsId": "dopt-1", "vpcId": VPC})
            ),
            format!("dopt-1 → {VPC}")
        );
    }

    #[test]
    fn network_acl_summaries() {
        assert_eq!(
            summary(
                "CreateNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 50, "egress": true,
                       "ruleAction": "deny", "aclProtocol": "6",
                       "portRange": {"from": 443, "to": 443}, "cidrBlock": "0.0.0.0/0"})
            ),
            "egress rule 50 deny tcp/443 0.0.0.0/0"
        );
        assert_eq!(
            summary(
                "ReplaceNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 100, "egress": false,
                       "ruleAction": "allow", "aclProtocol": "-1",
                       "ipv6CidrBlock": "::/0"})
            ),
            "ingress rule 100 allow all ::/0"
        );
        assert_eq!(
            summary(
                "DeleteNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 50, "egress": true})
            ),
            "egress rule 50"
        );
    }

    #[test]
    fn endpoint_and_vpc_summaries() {
        assert_eq!(
            summary(
                "ModifyVpcEndpoint",
                json!({"ModifyVpcEndpointRequest": {
                    "VpcEndpointId": VPCE,
                    "AddSecurityGroupId": [{"tag": 1, "content": "sg-new"}],
                    "RemoveSecurityGroupId": {"tag": 1, "content": SG},
                    "RemoveSubnetId": {"tag": 1, "content": "subnet-2"},
                    "PrivateDnsEnabled": false,
                    "PolicyDocument": "{\"Statement\": []}"
                }})
            ),
            format!("added sg-new; removed {SG}, subnet-2; private DNS off; policy changed")
        );
        assert_eq!(
            summary(
                "ModifyVpcEndpoint",
                json!({"ModifyVpcEndpointRequest": {"VpcEndpointId": VPCE, "ResetPolicy": true}})
            ),
            "policy reset to full access"
        );
        assert_eq!(
            summary(
                "CreateVpcEndpoint",
                json!({"CreateVpcEndpointRequest": {"VpcId": VPC,
                    "ServiceName": "com.amazonaws.us-east-1.sqs", "VpcEndpointType": "Interface"}})
            ),
            "interface endpoint for com.amazonaws.us-east-1.sqs"
        );
        assert_eq!(
            summary(
                "DeleteVpcEndpoints",
                json!({"DeleteVpcEndpointsRequest": {"VpcEndpointId": {"tag": 1, "content": VPCE}}})
            ),
            format!("deleted {VPCE}")
        );
        assert_eq!(
            summary(
                "ModifyVpcAttribute",
                json!({"vpcId": VPC, "enableDnsHostnames": {"value": false}})
            ),
            "enableDnsHostnames false"
        );
    }

    #[test]
    fn dns_and_environment_summaries() {
        assert_eq!(
            summary(
                "AssociateResolverRule",
                json!({"resolverRuleId": RULE, "vPCId": VPC, "name": "onprem"})
            ),
            format!("rule {RULE}")
        );
        assert_eq!(
            summary(
                "AssociateVPCWithHostedZone",
                json!({"hostedZoneId": ZONE, "vPC": {"vPCRegion": "us-east-1", "vPCId": VPC}})
            ),
            format!("zone {ZONE} ↔ {VPC}")
        );
        let change = |action: &str, name: &str| json!({"action": action, "resourceRecordSet": {"name": name, "type": "CNAME"}});
        assert_eq!(
            summary(
                "ChangeResourceRecordSets",
                json!({"hostedZoneId": ZONE, "changeBatch": {"changes": [
                    change("UPSERT", "SQS.us-east-1.amazonaws.com."),
                    change("DELETE", "a.example.com."),
                    change("CREATE", "b.example.com."),
                    change("CREATE", "c.example.com."),
                    change("CREATE", "d.example.com."),
                ]}})
            ),
            "UPSERT CNAME sqs.us-east-1.amazonaws.com; DELETE CNAME a.example.com; \
             CREATE CNAME b.example.com; 2 more"
        );
        assert_eq!(
            summary(
                "UpdateEnvironment",
                json!({"name": ENV, "networkConfiguration": {"securityGroupIds": [SG, "sg-2"]},
                       "webserverAccessMode": "PRIVATE_ONLY"})
            ),
            format!("security groups {SG}, sg-2; webserver access PRIVATE_ONLY")
        );
        assert_eq!(
            summary("UpdateEnvironment", json!({"name": ENV, "maxWorkers": 10})),
            "no network settings"
        );
    }

    #[test]
    fn garbage_gives_no_event_or_an_empty_summary_never_a_panic() {
        // An unreadable record: the event stands on its resources alone.
        let event = event_with("RevokeSecurityGroupIngress", "{not json", &[SG]);
        let kept = change_event(&event, &scope()).unwrap();
        assert_eq!(kept.summary, "");
        assert_eq!(kept.actor.as_deref(), Some("deployer-session"));
        let event = event_with("RevokeSecurityGroupIngress", "{not json", &[]);
        assert_eq!(change_event(&event, &scope()), None);
        assert_eq!(change_event(&Event::builder().build(), &scope()), None);
        // Every summarised name with shapes nobody sends.
        for (name, _) in crate::model::CHANGE_EVENTS {
            for request in [
                json!({"groupId": SG, "ipPermissions": 7, "ruleNumber": {"x": []},
                       "portRange": "443", "changeBatch": {"changes": "all"},
                       "networkConfiguration": 5, "ModifyVpcEndpointRequest": null}),
                json!([SG, {"items": null}]),
                json!(SG),
            ] {
                let _ = change(name, request);
            }
        }
        // Only the LookupEvents fields, no record: kept on its resources.
        let sparse = Event::builder()
            .event_name("DeleteRoute")
            .event_source("ec2.amazonaws.com")
            .resources(Resource::builder().resource_name(RTB).build())
            .build();
        let kept = change_event(&sparse, &scope()).unwrap();
        assert_eq!((kept.time.as_str(), kept.summary.as_str()), ("", ""));
    }

    #[test]
    fn the_time_comes_from_the_record_when_lookup_events_has_none() {
        let text = record("DeleteRoute", json!({"routeTableId": RTB}));
        let event = Event::builder()
            .event_name("DeleteRoute")
            .event_source("ec2.amazonaws.com")
            .cloud_trail_event(text)
            .build();
        let kept = change_event(&event, &scope()).unwrap();
        assert_eq!(kept.time, "2026-11-25T03:12:00Z");
        assert_eq!(kept.event_id, "id-DeleteRoute");
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(AT as u64)),
            "2026-11-25T03:12:00Z"
        );
    }

    #[test]
    fn iam_documents_are_url_decoded() {
        assert_eq!(
            url_decoded("%7B%22Statement%22%3A%5B%5D%7D"),
            r#"{"Statement":[]}"#
        );
        assert_eq!(url_decoded(r#"{"a":"50%"}"#), r#"{"a":"50%"}"#);
        assert_eq!(url_decoded("a%2Bb+c%2"), "a+b+c%2");
        assert_eq!(url_decoded("%C3%A9"), "é");
    }
}
