//! The reads of a Region's targets made once for all of them, and split per target: each
//! describe of the first wave with a multi-value `vpc-id` filter (chunks of
//! [`ec2::FILTER_VALUES`], paginated to the end), the Region-wide answers once, and the second
//! wave's network interfaces, metrics, records, endpoints elsewhere and links for every
//! target at once. What a target gets is what its own collection would have read: the items
//! of its VPC (or ids), or the error of the call that held them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::sync::Arc;

use aws_sdk_ec2::types::VpcAttributeName;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::account::Account;
use super::collect::{DescribeWave, Described, SecondWave, record_queries};
use super::limit::{RateLimit, gated, paced};
use super::pace::Pace;
use super::route53::{self, Association};
use super::transit::{self, Links};
use super::{Clients, ec2, ec2_transit, error, metrics};
use crate::model::{
    DhcpOptions, EndpointEni, FetchError, HostedZone, NetworkAcl, PeeringConnection, PrefixList,
    RecordSet, ResolverRule, RouteTable, SecurityGroup, ServiceDetail, Subnet, TargetKind,
    TgwAttachment, TransitGateway, Vpc, VpcEndpoint,
};

/// The answers of one read made in chunks of ids: each chunk's ids and its outcome.
pub(super) struct Chunks<T> {
    parts: Vec<Answer<T>>,
}

/// A chunk's ids and what the call answered.
type Answer<T> = (Vec<String>, Result<Vec<T>, FetchError>);

/// Each VPC's `enableDnsSupport` and `enableDnsHostnames`, as read.
type Attributes = HashMap<String, (Result<bool, FetchError>, Result<bool, FetchError>)>;

impl<T: Clone> Chunks<T> {
    /// What the read holds for `ids`: the items `keep` picks, or the error of a chunk that
    /// held one of them.
    pub(super) fn of(
        &self,
        ids: &[String],
        keep: impl Fn(&T) -> bool,
    ) -> Result<Vec<T>, FetchError> {
        let mut items = Vec::new();
        for (chunk, answer) in &self.parts {
            if !ids.iter().any(|id| chunk.contains(id)) {
                continue;
            }
            items.extend(
                answer
                    .as_ref()
                    .map_err(Clone::clone)?
                    .iter()
                    .filter(|i| keep(i))
                    .cloned(),
            );
        }
        Ok(items)
    }
}

/// `read` of every id, in concurrent chunks of [`ec2::FILTER_VALUES`], each under the cap and
/// the rate.
pub(super) async fn by_chunks<T, F, Fut>(
    ids: &[String],
    (limit, rate): (&Arc<Semaphore>, Option<&Arc<RateLimit>>),
    read: F,
) -> Chunks<T>
where
    T: Send + 'static,
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, FetchError>> + Send + 'static,
{
    let mut calls = JoinSet::new();
    for chunk in ids.chunks(ec2::FILTER_VALUES) {
        let (limit, rate) = (limit.clone(), rate.cloned());
        let call = read(chunk.to_vec());
        let chunk = chunk.to_vec();
        calls.spawn(async move { (chunk, paced(&limit, rate.as_deref(), call).await) });
    }
    let mut parts = Vec::new();
    while let Some(joined) = calls.join_next().await {
        parts.push(joined.unwrap_or_else(|e| (ids.to_vec(), Err(error::task_failed(e)))));
    }
    Chunks { parts }
}

/// The distinct values, sorted.
fn distinct<'a>(values: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let set: BTreeSet<&String> = values.into_iter().collect();
    set.into_iter().cloned().collect()
}

/// Where the Region's reads run: its clients, the cap and limits, the account's shared reads.
pub(super) struct Reads<'a> {
    pub clients: &'a Clients,
    pub limit: &'a Arc<Semaphore>,
    pub pace: &'a Pace,
    pub account: &'a Arc<Account>,
}

/// The first wave of every VPC of the Region.
pub(super) struct FirstWave {
    vpcs: Chunks<Vpc>,
    attributes: Attributes,
    subnets: Chunks<Subnet>,
    route_tables: Chunks<RouteTable>,
    groups: Chunks<SecurityGroup>,
    acls: Chunks<NetworkAcl>,
    endpoints: Chunks<VpcEndpoint>,
    prefix_lists: Result<Vec<PrefixList>, FetchError>,
    region_gateways: Result<u32, FetchError>,
    dhcp_options: Result<Vec<DhcpOptions>, FetchError>,
    services: Result<Vec<ServiceDetail>, FetchError>,
    zones: HashMap<String, Result<Vec<HostedZone>, FetchError>>,
    resolver: Result<(Vec<Association>, Vec<ResolverRule>), FetchError>,
    caller: Result<String, FetchError>,
}

/// Both DNS attributes of each VPC: `DescribeVpcAttribute` takes one VPC and one attribute,
/// so these are the first wave's only reads made per VPC.
async fn attributes(reads: &Reads<'_>, vpc_ids: &[String]) -> Attributes {
    let mut calls = JoinSet::new();
    for vpc in vpc_ids {
        for attribute in [
            VpcAttributeName::EnableDnsSupport,
            VpcAttributeName::EnableDnsHostnames,
        ] {
            let (client, vpc) = (reads.clients.ec2.clone(), vpc.clone());
            let (limit, rate) = (reads.limit.clone(), reads.pace.ec2.clone());
            calls.spawn(async move {
                let support = attribute == VpcAttributeName::EnableDnsSupport;
                let read = ec2::vpc_attribute(&client, &vpc, attribute);
                let value = paced(&limit, rate.as_deref(), read).await;
                (vpc, support, value)
            });
        }
    }
    let mut found = Attributes::new();
    let unread = || {
        Err(FetchError {
            code: None,
            message: "not read".into(),
        })
    };
    while let Some(joined) = calls.join_next().await {
        let Ok((vpc, support, value)) = joined else {
            continue;
        };
        let entry = found.entry(vpc).or_insert_with(|| (unread(), unread()));
        match support {
            true => entry.0 = value,
            false => entry.1 = value,
        }
    }
    found
}

/// The private zones of each VPC (see [`Account::zones_of`]), all at once.
async fn zones(
    reads: &Reads<'_>,
    vpc_ids: &[String],
) -> HashMap<String, Result<Vec<HostedZone>, FetchError>> {
    let mut calls = JoinSet::new();
    for vpc in vpc_ids {
        let (clients, account, vpc) = (reads.clients.clone(), reads.account.clone(), vpc.clone());
        let (limit, sts) = (reads.limit.clone(), reads.pace.sts.clone());
        calls.spawn(async move {
            let zones = account
                .zones_of(&clients, (&limit, sts.as_deref()), &vpc)
                .await;
            (vpc, zones)
        });
    }
    let mut found = HashMap::new();
    while let Some(joined) = calls.join_next().await {
        if let Ok((vpc, zones)) = joined {
            found.insert(vpc, zones);
        }
    }
    found
}

/// The first wave for every VPC of `vpc_ids` (distinct), concurrently.
pub(super) async fn first_wave(reads: &Reads<'_>, vpc_ids: &[String]) -> FirstWave {
    let ec2 = &reads.clients.ec2;
    let (limit, rate) = (reads.limit, reads.pace.ec2.as_ref());
    let chunked = (limit, rate);
    let client = || ec2.clone();
    let resolver = &reads.clients.resolver;
    let (
        vpcs,
        attributes,
        subnets,
        route_tables,
        groups,
        acls,
        endpoints,
        prefix_lists,
        region_gateways,
        dhcp_options,
        services,
        zones,
        (associations, rules),
        caller,
    ) = tokio::join!(
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::vpcs(&c, &ids).await }
        }),
        attributes(reads, vpc_ids),
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::subnets(&c, &ids).await }
        }),
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::route_tables(&c, &ids).await }
        }),
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::security_groups(&c, &ids).await }
        }),
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::network_acls(&c, &ids).await }
        }),
        by_chunks(vpc_ids, chunked, |ids| {
            let c = client();
            async move { ec2::endpoints(&c, &ids).await }
        }),
        paced(limit, rate.map(Arc::as_ref), ec2::prefix_lists(ec2)),
        paced(
            limit,
            rate.map(Arc::as_ref),
            ec2::region_gateway_endpoints(ec2)
        ),
        paced(limit, rate.map(Arc::as_ref), ec2::dhcp_options(ec2)),
        paced(limit, rate.map(Arc::as_ref), ec2::endpoint_services(ec2)),
        zones(reads, vpc_ids),
        async {
            tokio::join!(
                gated(limit, route53::associations(resolver, None)),
                gated(limit, route53::all_rules(resolver)),
            )
        },
        reads
            .account
            .caller(reads.clients, (limit, reads.pace.sts.as_deref())),
    );
    let resolver = match (associations, rules) {
        (Ok(associations), Ok(rules)) => Ok((associations, rules)),
        (Err(error), _) | (_, Err(error)) => Err(error),
    };
    FirstWave {
        vpcs,
        attributes,
        subnets,
        route_tables,
        groups,
        acls,
        endpoints,
        prefix_lists,
        region_gateways,
        dhcp_options,
        services,
        zones,
        resolver,
        caller,
    }
}

impl FirstWave {
    /// What one target's first wave would have read of `vpc_id`.
    pub(super) fn of(&self, vpc_id: &str) -> DescribeWave {
        let ids = [vpc_id.to_string()];
        let vpc = self.vpcs.of(&ids, |v| v.id == vpc_id).and_then(|found| {
            found.into_iter().next().ok_or_else(|| FetchError {
                code: Some("InvalidVpcID.NotFound".into()),
                message: format!("The vpc ID '{vpc_id}' does not exist"),
            })
        });
        let unread = || FetchError {
            code: None,
            message: "not read".into(),
        };
        let (dns_support, dns_hostnames) = match self.attributes.get(vpc_id) {
            Some((support, hostnames)) => (support.clone(), hostnames.clone()),
            None => (Err(unread()), Err(unread())),
        };
        DescribeWave {
            vpc,
            dns_support,
            dns_hostnames,
            subnets: self.subnets.of(&ids, |s| s.vpc_id == vpc_id),
            route_tables: self.route_tables.of(&ids, |t| t.vpc_id == vpc_id),
            prefix_lists: self.prefix_lists.clone(),
            groups: self
                .groups
                .of(&ids, |g| g.vpc_id.as_deref() == Some(vpc_id)),
            acls: self.acls.of(&ids, |a| a.vpc_id == vpc_id),
            endpoints: self.endpoints.of(&ids, |e| e.vpc_id == vpc_id),
            region_gateways: self.region_gateways.clone(),
            dhcp_options: self.dhcp_options.clone(),
            services: self.services.clone(),
            hosted_zones: self
                .zones
                .get(vpc_id)
                .cloned()
                .unwrap_or_else(|| Err(unread())),
            resolver_rules: self
                .resolver
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|(associations, rules)| route53::rules_of(vpc_id, associations, rules)),
            caller_account: self.caller.clone(),
        }
    }
}

/// One target as the second wave reads for it: its first wave and its environment's name.
pub(super) struct Wanted<'a> {
    pub first: &'a Described,
    pub environment: Option<&'a str>,
    /// The metric window `[start, end)`, or `None` for a describes-only refresh.
    pub window: Option<(i64, i64)>,
}

/// The second wave of every target at once, split per target (in `targets`' order).
pub(super) async fn second_wave(reads: &Reads<'_>, targets: &[Wanted<'_>]) -> Vec<SecondWave> {
    let (enis, series, records, elsewhere, links) = tokio::join!(
        enis(reads, targets),
        series(reads, targets),
        records(reads, targets),
        elsewhere(reads, targets),
        links(reads, targets),
    );
    enis.into_iter()
        .zip(series)
        .zip(records)
        .zip(elsewhere)
        .zip(links)
        .map(
            |((((enis, series), records), elsewhere), links)| SecondWave {
                enis,
                series,
                records,
                elsewhere,
                links,
            },
        )
        .collect()
}

/// The network interfaces of every target's endpoints, by chunks of ids.
async fn enis(
    reads: &Reads<'_>,
    targets: &[Wanted<'_>],
) -> Vec<Result<Vec<EndpointEni>, FetchError>> {
    let ids_of = |t: &Wanted| -> Vec<String> {
        t.first
            .endpoints
            .iter()
            .flat_map(|e| e.network_interface_ids.iter().cloned())
            .collect()
    };
    let every: Vec<Vec<String>> = targets.iter().map(ids_of).collect();
    let all = distinct(every.iter().flatten());
    let client = reads.clients.ec2.clone();
    let read = by_chunks(&all, (reads.limit, reads.pace.ec2.as_ref()), |ids| {
        let c = client.clone();
        async move { ec2::endpoint_enis(&c, &ids).await }
    })
    .await;
    every
        .iter()
        .map(|ids| {
            let mut enis = read.of(ids, |n| ids.contains(&n.id))?;
            enis.sort_by(|a, b| a.id.cmp(&b.id));
            enis.dedup_by(|a, b| a.id == b.id);
            Ok(enis)
        })
        .collect()
}

/// Every target's metric series, in `GetMetricData` calls of up to 500 queries across
/// targets (one set of calls per window).
async fn series(
    reads: &Reads<'_>,
    targets: &[Wanted<'_>],
) -> Vec<Option<Result<metrics::Series, FetchError>>> {
    let mut by_window: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, target) in targets.iter().enumerate() {
        if let Some(window) = target.window {
            by_window.entry(window).or_default().push(i);
        }
    }
    let mut found: Vec<Option<Result<metrics::Series, FetchError>>> =
        targets.iter().map(|_| None).collect();
    let client = &reads.clients.cloudwatch;
    let limits = (reads.limit, reads.pace.cloudwatch.as_ref());
    for ((start, end), members) in by_window {
        let mut queries = Vec::new();
        let mut wanted = Vec::new();
        for &i in &members {
            let target = &targets[i];
            let prefix = format!("t{i}");
            let (mut asked, names) =
                metrics::queries((&target.first.endpoints, target.environment), &prefix);
            queries.append(&mut asked);
            wanted.push((i, prefix, names));
        }
        let answers = metrics::fetch_all(client, limits, queries, start, end).await;
        let mut points = metrics::Points::new();
        let mut failed: Vec<(Vec<String>, FetchError)> = Vec::new();
        for (ids, answer) in answers {
            match answer {
                Ok(values) => {
                    for (id, mut values) in values {
                        points.entry(id).or_default().append(&mut values);
                    }
                }
                Err(error) => failed.push((ids, error)),
            }
        }
        for (i, prefix, names) in wanted {
            // `t1m0` is target 1's, `t10m0` target 10's: the letter after the number ends it.
            let own = |id: &String| {
                id.strip_prefix(&prefix)
                    .is_some_and(|rest| rest.starts_with(['m', 'e']))
            };
            let error = failed.iter().find(|(ids, _)| ids.iter().any(own));
            found[i] = Some(match error {
                Some((_, error)) => Err(error.clone()),
                None => Ok(metrics::series(names, &mut points)),
            });
        }
    }
    found
}

/// Every target's records: each query (zone and name) read once for the account.
async fn records(
    reads: &Reads<'_>,
    targets: &[Wanted<'_>],
) -> Vec<Result<Vec<RecordSet>, FetchError>> {
    let mut calls = JoinSet::new();
    for (i, target) in targets.iter().enumerate() {
        for (zone, name) in record_queries(&target.first.dns.hosted_zones, &target.first.names) {
            let (clients, account) = (reads.clients.clone(), reads.account.clone());
            let limit = reads.limit.clone();
            calls
                .spawn(async move { (i, account.records(&clients, &limit, (&zone, &name)).await) });
        }
    }
    let mut found: Vec<Result<Vec<RecordSet>, FetchError>> =
        targets.iter().map(|_| Ok(Vec::new())).collect();
    while let Some(joined) = calls.join_next().await {
        let (i, answer) = match joined {
            Ok(answer) => answer,
            Err(error) => {
                let error = error::task_failed(error);
                found.iter_mut().for_each(|f| *f = Err(error.clone()));
                continue;
            }
        };
        match (&mut found[i], answer) {
            (Ok(records), Ok(mut more)) => records.append(&mut more),
            (Ok(_), Err(error)) => found[i] = Err(error),
            (Err(_), _) => {}
        }
    }
    for records in found.iter_mut().flatten() {
        records.sort_by(|a, b| (&a.zone_id, &a.name).cmp(&(&b.zone_id, &b.name)));
    }
    found
}

/// The endpoints, in any VPC, of the services each target lacks: one read for the union.
async fn elsewhere(
    reads: &Reads<'_>,
    targets: &[Wanted<'_>],
) -> Vec<Result<Vec<VpcEndpoint>, FetchError>> {
    let all = distinct(targets.iter().flat_map(|t| &t.first.missing));
    let client = reads.clients.ec2.clone();
    let read = by_chunks(&all, (reads.limit, reads.pace.ec2.as_ref()), |names| {
        let c = client.clone();
        async move { ec2::endpoints_of_services(&c, &names).await }
    })
    .await;
    targets
        .iter()
        .map(|t| {
            let missing = &t.first.missing;
            read.of(missing, |e| missing.contains(&e.service_name))
        })
        .collect()
}

/// The peering connections and transit gateways each target's routes name: one read of
/// each kind for the union.
async fn links(reads: &Reads<'_>, targets: &[Wanted<'_>]) -> Vec<Links> {
    let named = |kind| -> Vec<Vec<String>> {
        targets
            .iter()
            .map(|t| {
                let tables = t.first.route_tables.as_deref().unwrap_or_default();
                transit::targets(tables, kind)
            })
            .collect()
    };
    let (peering_ids, tgw_ids) = (
        named(TargetKind::Peering),
        named(TargetKind::TransitGateway),
    );
    let (all_peerings, all_tgws) = (
        distinct(peering_ids.iter().flatten()),
        distinct(tgw_ids.iter().flatten()),
    );
    let client = reads.clients.ec2.clone();
    let limits = (reads.limit, reads.pace.ec2.as_ref());
    let (peerings, gateways, attachments): (
        Chunks<PeeringConnection>,
        Chunks<TransitGateway>,
        Chunks<TgwAttachment>,
    ) = tokio::join!(
        by_chunks(&all_peerings, limits, |ids| {
            let c = client.clone();
            async move { ec2_transit::peerings_by_id(&c, &ids).await }
        }),
        by_chunks(&all_tgws, limits, |ids| {
            let c = client.clone();
            async move { ec2_transit::transit_gateways(&c, &ids).await }
        }),
        by_chunks(&all_tgws, limits, |ids| {
            let c = client.clone();
            async move { ec2_transit::attachments(&c, &ids).await }
        }),
    );
    peering_ids
        .iter()
        .zip(&tgw_ids)
        .map(|(peering_ids, tgw_ids)| Links {
            peerings: peerings.of(peering_ids, |p| peering_ids.contains(&p.id)),
            gateways: gateways
                .of(tgw_ids, |g| tgw_ids.contains(&g.id))
                .and_then(|g| {
                    let a = attachments.of(tgw_ids, |a| tgw_ids.contains(&a.transit_gateway_id));
                    Ok((g, a?))
                }),
        })
        .collect()
}
