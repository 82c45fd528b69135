//! DNS: DHCP option sets, Route 53 hosted zones and record sets, Route 53 Resolver rules.

use aws_sdk_ec2::types as ec2;

use super::{owned, text};
use crate::model::{DhcpOptions, HostedZone, RecordKind, RecordSet, ResolverRule, RuleType};

/// A DNS name as Route 53 writes it (`Sqs.Us-East-1.amazonaws.com.`, `\052.example.com.`),
/// lower case, without the final dot, with the wildcard unescaped.
pub(in crate::aws) fn dns_name(name: &str) -> String {
    name.trim_end_matches('.')
        .replace("\\052", "*")
        .to_ascii_lowercase()
}

pub(in crate::aws) fn dhcp_options(options: &ec2::DhcpOptions) -> DhcpOptions {
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

pub(in crate::aws) fn hosted_zone(zone: &aws_sdk_route53::types::HostedZoneSummary) -> HostedZone {
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
pub(in crate::aws) fn record_set(
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

pub(in crate::aws) fn resolver_rule(
    rule: &aws_sdk_route53resolver::types::ResolverRule,
) -> ResolverRule {
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
