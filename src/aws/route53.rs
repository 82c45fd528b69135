//! Route 53 and Route 53 Resolver: the private hosted zones associated with the VPC (or the
//! account's private zones with their VPCs, for a fleet), the records of the names in scope
//! in the zones that can answer them, and the Resolver rules associated with the VPC (or with
//! any VPC of the Region, for a fleet).

use aws_sdk_route53::types::{HostedZoneType, VpcRegion};
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

/// `ListHostedZones`, every page: the account's private hosted zones (the ids without the
/// `/hostedzone/` prefix, and the names), and how many pages (calls) that took.
pub(super) async fn private_zones(
    client: &aws_sdk_route53::Client,
) -> Result<(Vec<(String, String)>, usize), FetchError> {
    let pages = client
        .list_hosted_zones()
        .hosted_zone_type(HostedZoneType::PrivateHostedZone)
        .max_items(100)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(fetch_error)?;
    let zones = pages
        .iter()
        .flat_map(|page| page.hosted_zones())
        .filter(|zone| zone.config().is_some_and(|c| c.private_zone()))
        .map(|zone| {
            let id = zone.id().trim_start_matches("/hostedzone/").to_string();
            (id, convert::dns_name(zone.name()))
        })
        .collect();
    Ok((zones, pages.len()))
}

/// `GetHostedZone`: the VPCs (Region and id) a private zone is associated with.
pub(super) async fn zone_vpcs(
    client: &aws_sdk_route53::Client,
    zone_id: &str,
) -> Result<Vec<(String, String)>, FetchError> {
    let output = client
        .get_hosted_zone()
        .id(zone_id)
        .send()
        .await
        .map_err(fetch_error)?;
    Ok(output
        .vpcs()
        .iter()
        .filter_map(|vpc| {
            let region = vpc.vpc_region()?.as_str().to_string();
            Some((region, vpc.vpc_id()?.to_string()))
        })
        .collect())
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

/// A Resolver rule association as the join needs it: the rule, the VPC, and whether it is in
/// effect (only a `COMPLETE` one is: not `CREATING`, `DELETING`, `FAILED` or `OVERRIDDEN`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Association {
    rule_id: String,
    vpc_id: String,
    complete: bool,
}

/// The Resolver rules associated with the VPC: its associations and the account's rules
/// (shared ones included), read concurrently and joined.
pub(super) async fn resolver_rules(
    client: &aws_sdk_route53resolver::Client,
    vpc_id: &str,
) -> Result<Vec<ResolverRule>, FetchError> {
    let (associations, rules) = tokio::join!(associations(client, Some(vpc_id)), all_rules(client));
    rules_of(vpc_id, &associations?, &rules?)
}

/// The rule associations of the VPC, or of every VPC of the Region (`None`: a fleet's one
/// listing for all its VPCs).
pub(super) async fn associations(
    client: &aws_sdk_route53resolver::Client,
    vpc_id: Option<&str>,
) -> Result<Vec<Association>, FetchError> {
    let filter = vpc_id.map(|id| Filter::builder().name("VPCId").values(id).build());
    let associations = client
        .list_resolver_rule_associations()
        .set_filters(filter.map(|f| vec![f]))
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(fetch_error)?;
    Ok(associations
        .iter()
        .filter_map(|a| {
            Some(Association {
                rule_id: a.resolver_rule_id()?.to_string(),
                vpc_id: a.vpc_id()?.to_string(),
                complete: a.status() == Some(&AssociationStatus::Complete),
            })
        })
        .collect())
}

/// Every Resolver rule the account can see (shared ones included).
pub(super) async fn all_rules(
    client: &aws_sdk_route53resolver::Client,
) -> Result<Vec<ResolverRule>, FetchError> {
    let rules = client
        .list_resolver_rules()
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(fetch_error)?;
    Ok(rules.iter().map(convert::resolver_rule).collect())
}

/// The rules in effect for `vpc_id`: those of its complete associations. An association
/// whose rule the listing lacks is an error (the rules cannot be known whole).
pub(super) fn rules_of(
    vpc_id: &str,
    associations: &[Association],
    rules: &[ResolverRule],
) -> Result<Vec<ResolverRule>, FetchError> {
    let associated: Vec<&str> = associations
        .iter()
        .filter(|a| a.vpc_id == vpc_id && a.complete)
        .map(|a| a.rule_id.as_str())
        .collect();
    let found: Vec<ResolverRule> = rules
        .iter()
        .filter(|r| associated.contains(&r.id.as_str()))
        .cloned()
        .collect();
    match associated
        .iter()
        .find(|id| !found.iter().any(|r| r.id == **id))
    {
        Some(missing) => Err(FetchError {
            code: None,
            message: format!(
                "Resolver rule {missing} is associated with the VPC but route53resolver:ListResolverRules does not return it"
            ),
        }),
        None => Ok(found),
    }
}
