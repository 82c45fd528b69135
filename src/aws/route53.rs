//! Route 53 and Route 53 Resolver: the private hosted zones associated with the VPC, the
//! records of the names in scope in the zones that can answer them, and the Resolver rules
//! associated with the VPC.

use aws_sdk_route53::types::VpcRegion;
use aws_sdk_route53resolver::types::{Filter, ResolverRuleAssociationStatus as AssociationStatus};

use super::convert;
use super::error::fetch_error;
use crate::model::{FetchError, HostedZone, RecordSet, ResolverRule};

/// `ListHostedZonesByVPC`: the private hosted zones associated with the VPC.
pub(super) async fn hosted_zones(
    client: &aws_sdk_route53::Client,
    vpc_id: &str,
    region: &str,
) -> Result<Vec<HostedZone>, FetchError> {
    let mut zones = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_hosted_zones_by_vpc()
            .vpc_id(vpc_id)
            .vpc_region(VpcRegion::from(region))
            .max_items(100)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(fetch_error)?;
        zones.extend(
            page.hosted_zone_summaries()
                .iter()
                .map(convert::hosted_zone),
        );
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => return Ok(zones),
        }
    }
}

/// `ListResourceRecordSets` from `name` on: its A, AAAA and CNAME records. Route 53 lists a
/// zone's records in name order, so those of `name` come first; pages are followed only while
/// they still hold it (weighted or latency records share a name).
pub(super) async fn records_named(
    client: &aws_sdk_route53::Client,
    zone_id: &str,
    name: &str,
) -> Result<Vec<RecordSet>, FetchError> {
    let mut records = Vec::new();
    let mut start: (
        String,
        Option<aws_sdk_route53::types::RrType>,
        Option<String>,
    ) = (name.to_string(), None, None);
    loop {
        let (start_name, kind, identifier) = start;
        let page = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .start_record_name(start_name)
            .set_start_record_type(kind)
            .set_start_record_identifier(identifier)
            .max_items(20)
            .send()
            .await
            .map_err(fetch_error)?;
        records.extend(
            page.resource_record_sets()
                .iter()
                .filter(|r| convert::dns_name(r.name()) == name)
                .filter_map(|r| convert::record_set(zone_id, r)),
        );
        match (page.is_truncated(), page.next_record_name()) {
            (true, Some(next)) if convert::dns_name(next) == name => {
                start = (
                    next.to_string(),
                    page.next_record_type().cloned(),
                    page.next_record_identifier().map(str::to_string),
                );
            }
            _ => return Ok(records),
        }
    }
}

/// The Resolver rules associated with the VPC: its associations and the account's rules
/// (shared ones included), read concurrently and joined.
pub(super) async fn resolver_rules(
    client: &aws_sdk_route53resolver::Client,
    vpc_id: &str,
) -> Result<Vec<ResolverRule>, FetchError> {
    let associations = client
        .list_resolver_rule_associations()
        .filters(Filter::builder().name("VPCId").values(vpc_id).build())
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>();
    let rules = client
        .list_resolver_rules()
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>();
    let (associations, rules) = tokio::join!(associations, rules);
    // Only a COMPLETE association is in effect (not CREATING, DELETING, FAILED or OVERRIDDEN).
    let associated: Vec<String> = associations
        .map_err(fetch_error)?
        .iter()
        .filter(|a| a.vpc_id() == Some(vpc_id) && a.status() == Some(&AssociationStatus::Complete))
        .filter_map(|a| a.resolver_rule_id().map(str::to_string))
        .collect();
    let rules: Vec<ResolverRule> = rules
        .map_err(fetch_error)?
        .iter()
        .filter(|r| r.id().is_some_and(|id| associated.iter().any(|a| a == id)))
        .map(convert::resolver_rule)
        .collect();
    match associated
        .iter()
        .find(|id| !rules.iter().any(|r| &r.id == *id))
    {
        Some(missing) => Err(FetchError {
            code: None,
            message: format!(
                "Resolver rule {missing} is associated with the VPC but route53resolver:ListResolverRules does not return it"
            ),
        }),
        None => Ok(rules),
    }
}
