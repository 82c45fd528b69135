//! The collection plan of one target: discovery (only with `--mwaa-env` or a workload without
//! `--vpc`), one concurrent wave of describes, then one wave of ENIs and metrics; with an
//! environment, its role, bucket and key are read beside them from the start. What the waves
//! read becomes a snapshot through [`described`] and [`finish`], which the batched collection
//! of a Region's targets (`region.rs`) shares, so that both make the same snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_ec2::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ec2::types::VpcAttributeName;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::limit::{MAX_ACCESS_REQUESTS, MAX_CONCURRENT_REQUESTS, paced};
use super::pace::{Pace, record};
use super::{Clients, access, ec2, error, metrics, mwaa, route53, sts, transit};
use crate::failure::Failure;
use crate::model::{
    DhcpOptions, Dns, EndpointEni, EndpointState, FetchError, FetchStatus, HostedZone, Metrics,
    MwaaEnvironment, NetworkAcl, PrefixList, RecordSet, ResolverRule, RouteTable, SCHEMA_VERSION,
    ScopedName, SecurityGroup, ServiceDetail, Snapshot, Source, Subnet, Transit, Vpc, VpcEndpoint,
    Workload, WorkloadOrigin, names_in_scope, service_in_scope,
};

/// What to inspect.
#[derive(Debug, Clone)]
pub struct Target {
    /// The VPC to inspect; `None` to find it from the workload.
    pub vpc_id: Option<String>,
    /// An MWAA environment whose VPC, subnets and security groups become the workload.
    pub mwaa_env: Option<String>,
    /// The workload's subnets when there is no environment.
    pub subnet_ids: Vec<String>,
    /// The workload's security groups when there is no environment.
    pub security_group_ids: Vec<String>,
    /// How far back metrics go.
    pub metrics_window: Duration,
    /// False for a describes-only refresh: the metric wave is skipped.
    pub collect_metrics: bool,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            vpc_id: None,
            mwaa_env: None,
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            metrics_window: Duration::from_secs(3 * 3600),
            collect_metrics: true,
        }
    }
}

/// Collects a snapshot of the target VPC. Fails only when the VPC itself cannot be read.
pub async fn collect(clients: &Clients, target: &Target) -> Result<Snapshot, Failure> {
    collect_paced(clients, target, &Pace::default()).await
}

/// [`collect`] with the calls paced by `pace`.
pub async fn collect_paced(
    clients: &Clients,
    target: &Target,
    pace: &Pace,
) -> Result<Snapshot, Failure> {
    let now = now();
    let clients = &clients.signalling(pace);
    let mut sources = BTreeMap::new();
    let (environment, workload) = discover_workload(clients, target, &mut sources).await?;
    let limit = Arc::new(Semaphore::new(MAX_CONCURRENT_REQUESTS));
    // The role, bucket and key need only the environment: they are read beside the network,
    // in a task of their own (their requests are built and signed on another thread) and
    // under their own cap.
    let reads = tokio::spawn({
        let (clients, environment) = (clients.clone(), environment.clone());
        let limit = Arc::new(Semaphore::new(MAX_ACCESS_REQUESTS));
        async move { access::read(&clients, &limit, environment.as_ref(), None).await }
    });
    let network = collect_network(
        clients,
        (target, pace, &limit),
        (environment.clone(), workload),
        sources,
        now,
    );
    // Boxed: the network's future is large, and a debug build polls it on a 2 MiB stack.
    let (snapshot, access) = tokio::join!(Box::pin(network), reads);
    Ok(with_access(snapshot?, environment.as_ref(), access))
}

/// Seconds since the Unix epoch.
pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64
}

/// The snapshot with the environment's role, bucket and key as their task read them.
pub(super) fn with_access(
    mut snapshot: Snapshot,
    environment: Option<&MwaaEnvironment>,
    access: Result<access::Access, tokio::task::JoinError>,
) -> Snapshot {
    let access = access.unwrap_or_else(|e| access::failed(environment, error::task_failed(e)));
    snapshot.sources.extend(access.sources);
    snapshot.execution_role = access.role;
    snapshot.source_bucket = access.bucket;
    snapshot.kms_key = access.key;
    snapshot
}

/// Everything about the VPC: its VPC (found from the workload without `--vpc`), then the two
/// waves of describes and metrics, then the hub endpoints behind zone records.
async fn collect_network(
    clients: &Clients,
    (target, pace, limit): (&Target, &Pace, &Arc<Semaphore>),
    (environment, workload): (Option<MwaaEnvironment>, Workload),
    mut sources: BTreeMap<Source, FetchStatus>,
    now: i64,
) -> Result<Snapshot, Failure> {
    let vpc_id = match &target.vpc_id {
        Some(id) => id.clone(),
        None => {
            pace.ec2_ready().await;
            discover_vpc(clients, &workload).await?
        }
    };
    // Boxed: the fifteen-way join is large, and a debug build polls it on a 2 MiB stack.
    let wave = Box::pin(describe_wave(clients, limit, pace, &vpc_id)).await;
    let first = described(&clients.region, wave, environment.as_ref(), &mut sources)?;
    let end = now - now % 60;
    let name = environment.as_ref().map(|e| e.name.as_str());
    let second = second_wave(clients, (limit, pace), (target, &first, name), end).await;
    let place = Place {
        clients,
        limit,
        pace,
        window: target.metrics_window,
        now,
    };
    Ok(finish(&place, first, second, (environment, workload), sources).await)
}

/// Where a target is collected: the clients of its account and Region, the cap and the
/// rate limits its calls go under, its metrics window and the time of the collection.
pub(super) struct Place<'a> {
    pub clients: &'a Clients,
    pub limit: &'a Arc<Semaphore>,
    pub pace: &'a Pace,
    pub window: Duration,
    pub now: i64,
}

/// The first wave: every describe of the VPC, concurrently, and the Region-wide answers.
pub(super) struct DescribeWave {
    pub vpc: Result<Vpc, FetchError>,
    pub dns_support: Result<bool, FetchError>,
    pub dns_hostnames: Result<bool, FetchError>,
    pub subnets: Result<Vec<Subnet>, FetchError>,
    pub route_tables: Result<Vec<RouteTable>, FetchError>,
    pub prefix_lists: Result<Vec<PrefixList>, FetchError>,
    pub groups: Result<Vec<SecurityGroup>, FetchError>,
    pub acls: Result<Vec<NetworkAcl>, FetchError>,
    pub endpoints: Result<Vec<VpcEndpoint>, FetchError>,
    pub region_gateways: Result<u32, FetchError>,
    pub dhcp_options: Result<Vec<DhcpOptions>, FetchError>,
    pub services: Result<Vec<ServiceDetail>, FetchError>,
    pub hosted_zones: Result<Vec<HostedZone>, FetchError>,
    pub resolver_rules: Result<Vec<ResolverRule>, FetchError>,
    pub caller_account: Result<String, FetchError>,
}

async fn describe_wave(
    clients: &Clients,
    limit: &Semaphore,
    pace: &Pace,
    vpc_id: &str,
) -> DescribeWave {
    let ec2 = &clients.ec2;
    let rate = pace.ec2.as_deref();
    let route53 = pace.route53.as_deref();
    let vpcs = [vpc_id.to_string()];
    let (
        vpc,
        dns_support,
        dns_hostnames,
        subnets,
        route_tables,
        prefix_lists,
        groups,
        acls,
        endpoints,
        region_gateways,
        dhcp_options,
        services,
        hosted_zones,
        resolver_rules,
        caller_account,
    ) = tokio::join!(
        paced(limit, rate, ec2::vpc(ec2, vpc_id)),
        paced(
            limit,
            rate,
            ec2::vpc_attribute(ec2, vpc_id, VpcAttributeName::EnableDnsSupport)
        ),
        paced(
            limit,
            rate,
            ec2::vpc_attribute(ec2, vpc_id, VpcAttributeName::EnableDnsHostnames)
        ),
        paced(limit, rate, ec2::subnets(ec2, &vpcs)),
        paced(limit, rate, ec2::route_tables(ec2, &vpcs)),
        paced(limit, rate, ec2::prefix_lists(ec2)),
        paced(limit, rate, ec2::security_groups(ec2, &vpcs)),
        paced(limit, rate, ec2::network_acls(ec2, &vpcs)),
        paced(limit, rate, ec2::endpoints(ec2, &vpcs)),
        paced(limit, rate, ec2::region_gateway_endpoints(ec2)),
        paced(limit, rate, ec2::dhcp_options(ec2)),
        paced(limit, rate, ec2::endpoint_services(ec2)),
        paced(
            limit,
            route53,
            route53::hosted_zones(&clients.route53, vpc_id, &clients.region)
        ),
        paced(
            limit,
            None,
            route53::resolver_rules(&clients.resolver, vpc_id)
        ),
        paced(
            limit,
            pace.sts.as_deref(),
            sts::caller_account(&clients.sts)
        ),
    );
    DescribeWave {
        vpc,
        dns_support,
        dns_hostnames,
        subnets,
        route_tables,
        prefix_lists,
        groups,
        acls,
        endpoints,
        region_gateways,
        dhcp_options,
        services,
        hosted_zones,
        resolver_rules,
        caller_account,
    }
}

/// The first wave, recorded: the VPC, its endpoints and DNS facts, the names in scope and
/// the services it lacks (what the second wave reads from), and the rest for the snapshot.
pub(super) struct Described {
    pub vpc: Vpc,
    pub endpoints: Vec<VpcEndpoint>,
    pub dns: Dns,
    pub names: Vec<ScopedName>,
    /// The required services without an endpoint in the VPC.
    pub missing: Vec<String>,
    pub route_tables: Result<Vec<RouteTable>, FetchError>,
    subnets: Result<Vec<Subnet>, FetchError>,
    prefix_lists: Result<Vec<PrefixList>, FetchError>,
    groups: Result<Vec<SecurityGroup>, FetchError>,
    acls: Result<Vec<NetworkAcl>, FetchError>,
    region_gateways: Result<u32, FetchError>,
    caller_account: Result<String, FetchError>,
}

/// Records the first wave's sources; fails only when the VPC itself could not be read.
pub(super) fn described(
    region: &str,
    wave: DescribeWave,
    environment: Option<&MwaaEnvironment>,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> Result<Described, Failure> {
    let mut vpc = wave.vpc.map_err(|e| error::fatal(Source::Vpc, &e))?;
    sources.insert(Source::Vpc, FetchStatus::Ok);
    vpc.enable_dns_support = record(sources, Source::VpcAttributes, wave.dns_support.map(Some));
    vpc.enable_dns_hostnames = record(sources, Source::VpcAttributes, wave.dns_hostnames.map(Some));
    let endpoints = record(sources, Source::VpcEndpoints, wave.endpoints);
    let mut dns = Dns {
        dhcp_options: record(sources, Source::DhcpOptions, wave.dhcp_options)
            .into_iter()
            .find(|o| vpc.dhcp_options_id.as_deref() == Some(o.id.as_str())),
        services: record(sources, Source::EndpointServices, wave.services),
        hosted_zones: record(sources, Source::HostedZones, wave.hosted_zones),
        resolver_rules: record(sources, Source::ResolverRules, wave.resolver_rules),
        ..Dns::default()
    };
    // The catalogue came whole (in the first wave); keep the services in scope.
    dns.services
        .retain(|s| service_in_scope(region, &s.service_name, &endpoints));
    let names = names_in_scope(region, vpc.owner_id.as_deref(), &endpoints, &dns.services);
    let missing = missing_services(region, &endpoints, environment);
    Ok(Described {
        vpc,
        endpoints,
        dns,
        names,
        missing,
        route_tables: wave.route_tables,
        subnets: wave.subnets,
        prefix_lists: wave.prefix_lists,
        groups: wave.groups,
        acls: wave.acls,
        region_gateways: wave.region_gateways,
        caller_account: wave.caller_account,
    })
}

/// What the second wave read: the endpoints' network interfaces, the metric series (none
/// for a describes-only refresh), the records of the names in scope, the endpoints of the
/// missing services elsewhere, and the VPC's links (peering connections, transit gateways).
pub(super) struct SecondWave {
    pub enis: Result<Vec<EndpointEni>, FetchError>,
    pub series: Option<Result<metrics::Series, FetchError>>,
    pub records: Result<Vec<RecordSet>, FetchError>,
    pub elsewhere: Result<Vec<VpcEndpoint>, FetchError>,
    pub links: transit::Links,
}

/// The second wave of one target, which needs the first: the endpoints' network interfaces,
/// every metric series ending at `end` (unless this is a describes-only refresh), the records
/// of the private zones that can answer a name in scope (none when no zone can), the
/// endpoints of the missing services in other VPCs, and the VPC's links.
async fn second_wave(
    clients: &Clients,
    (limit, pace): (&Arc<Semaphore>, &Pace),
    (target, first, environment): (&Target, &Described, Option<&str>),
    end: i64,
) -> SecondWave {
    let start = end - target.metrics_window.as_secs() as i64;
    let series = async {
        match target.collect_metrics {
            true => Some(
                metrics::fetch(
                    &clients.cloudwatch,
                    (limit, pace.cloudwatch.as_ref()),
                    (&first.endpoints, environment),
                    start,
                    end,
                )
                .await,
            ),
            false => None,
        }
    };
    let elsewhere = async {
        match first.missing.is_empty() {
            true => Ok(Vec::new()),
            false => {
                let call = ec2::endpoints_of_services(&clients.ec2, &first.missing);
                paced(limit, pace.ec2.as_deref(), call).await
            }
        }
    };
    let tables = first.route_tables.as_deref().unwrap_or_default();
    let (enis, series, records, elsewhere, links) = tokio::join!(
        endpoint_enis(clients, (limit, pace), &first.endpoints),
        series,
        zone_records(
            clients,
            (limit, pace),
            &first.dns.hosted_zones,
            &first.names
        ),
        elsewhere,
        transit::links(clients, limit, pace, tables),
    );
    SecondWave {
        enis,
        series,
        records,
        elsewhere,
        links,
    }
}

/// The snapshot of a target from its two waves: the sources recorded, then the hub
/// endpoints behind zone records and, only for those, the hub's network (one more wave).
pub(super) async fn finish(
    place: &Place<'_>,
    first: Described,
    second: SecondWave,
    (environment, workload): (Option<MwaaEnvironment>, Workload),
    mut sources: BTreeMap<Source, FetchStatus>,
) -> Snapshot {
    let Described {
        vpc,
        endpoints,
        mut dns,
        route_tables,
        subnets,
        prefix_lists,
        groups,
        acls,
        region_gateways,
        caller_account,
        ..
    } = first;
    let metric_set = recorded_metrics(place, second.series, &mut sources);
    let endpoint_enis = record(&mut sources, Source::NetworkInterfaces, second.enis);
    let mut transit = transit::record_links(second.links, &mut sources);
    dns.records = record(&mut sources, Source::RecordSets, second.records);
    let endpoints_elsewhere: Vec<VpcEndpoint> =
        record(&mut sources, Source::EndpointsElsewhere, second.elsewhere)
            .into_iter()
            .filter(|e| e.vpc_id != vpc.id)
            .collect();
    let caller_account = record(
        &mut sources,
        Source::CallerIdentity,
        caller_account.map(Some),
    );
    hub_reads(place, &vpc.id, (&mut dns, &mut transit), &mut sources).await;
    let clients = place.clients;
    Snapshot {
        schema: SCHEMA_VERSION,
        captured_at: DateTime::from_secs(place.now)
            .fmt(DateTimeFormat::DateTime)
            .unwrap_or_default(),
        region: clients.region.clone(),
        profile: clients.profile.clone(),
        vpc,
        subnets: record(&mut sources, Source::Subnets, subnets),
        route_tables: record(&mut sources, Source::RouteTables, route_tables),
        prefix_lists: record(&mut sources, Source::PrefixLists, prefix_lists),
        security_groups: record(&mut sources, Source::SecurityGroups, groups),
        network_acls: record(&mut sources, Source::NetworkAcls, acls),
        endpoint_enis,
        region_gateway_endpoints: record(
            &mut sources,
            Source::RegionGatewayEndpoints,
            region_gateways.map(Some),
        ),
        endpoints,
        endpoints_elsewhere,
        transit,
        changes: None,
        execution_role: None,
        source_bucket: None,
        kms_key: None,
        caller_account,
        environment,
        workload,
        metrics: metric_set,
        dns,
        sources,
    }
}

/// The metric series of the second wave, recorded, over the window ending at the minute of
/// the place's `now` (empty for a describes-only refresh).
fn recorded_metrics(
    place: &Place<'_>,
    series: Option<Result<metrics::Series, FetchError>>,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> Metrics {
    let end = place.now - place.now % 60;
    let start = end - place.window.as_secs() as i64;
    let mut metric_set = metrics::empty(start, end);
    if let Some(series) = series {
        (metric_set.series, metric_set.environment) = record(sources, Source::Metrics, series);
    }
    metric_set
}

/// The hub endpoints behind zone records and, only for those, the hub's network (one more
/// wave), recorded.
async fn hub_reads(
    place: &Place<'_>,
    vpc_id: &str,
    (dns, transit): (&mut Dns, &mut Transit),
    sources: &mut BTreeMap<Source, FetchStatus>,
) {
    let (clients, pace) = (place.clients, place.pace);
    dns.hub_endpoints = record(
        sources,
        Source::HubEndpoints,
        hub_endpoints(clients, pace, vpc_id, &dns.records).await,
    );
    transit::hub_network(
        clients,
        (place.limit, pace),
        vpc_id,
        &dns.hub_endpoints,
        transit,
        sources,
    )
    .await;
}

/// With `--mwaa-env`, the environment (one call before anything else: it names the VPC);
/// else the workload of `--subnets`/`--security-groups`, or none.
async fn discover_workload(
    clients: &Clients,
    target: &Target,
    sources: &mut BTreeMap<Source, FetchStatus>,
) -> Result<(Option<MwaaEnvironment>, Workload), Failure> {
    if let Some(name) = &target.mwaa_env {
        let env = mwaa::environment(&clients.mwaa, name)
            .await
            .map_err(|e| error::fatal(Source::MwaaEnvironment, &e))?;
        sources.insert(Source::MwaaEnvironment, FetchStatus::Ok);
        let workload = environment_workload(&env);
        return Ok((Some(env), workload));
    }
    Ok((None, flags_workload(target)))
}

/// The workload of an environment: its subnets and security groups.
pub(super) fn environment_workload(env: &MwaaEnvironment) -> Workload {
    Workload {
        origin: WorkloadOrigin::Environment,
        subnet_ids: env.subnet_ids.clone(),
        security_group_ids: env.security_group_ids.clone(),
    }
}

/// The workload of `--subnets`/`--security-groups`, or none.
pub(super) fn flags_workload(target: &Target) -> Workload {
    let named = !target.subnet_ids.is_empty() || !target.security_group_ids.is_empty();
    if named {
        Workload {
            origin: WorkloadOrigin::Flags,
            subnet_ids: target.subnet_ids.clone(),
            security_group_ids: target.security_group_ids.clone(),
        }
    } else {
        Workload::default()
    }
}

/// The services the workload needs that have no endpoint in the VPC (a deleted one does not
/// count): the ten MWAA services,
/// and the environment's database and web server services when it manages their endpoints.
fn missing_services(
    region: &str,
    endpoints: &[VpcEndpoint],
    environment: Option<&MwaaEnvironment>,
) -> Vec<String> {
    let customer = environment
        .filter(|e| e.endpoint_management.as_deref() == Some("CUSTOMER"))
        .into_iter()
        .flat_map(|e| {
            [
                &e.database_vpc_endpoint_service,
                &e.webserver_vpc_endpoint_service,
            ]
            .into_iter()
            .flatten()
            .cloned()
        });
    crate::model::MWAA_SERVICES
        .iter()
        .map(|suffix| format!("com.amazonaws.{region}.{suffix}"))
        .chain(customer)
        .filter(|service| {
            !endpoints
                .iter()
                .any(|e| &e.service_name == service && e.state != EndpointState::Deleted)
        })
        .collect()
}

/// True when `zone` can answer `name`: the zone's domain is the name or a parent of it.
fn zone_covers(zone: &str, name: &str) -> bool {
    name == zone || name.ends_with(&format!(".{zone}"))
}

/// The record names to read: in each zone that can answer a name in scope, the name itself
/// and the wildcard at each level above it within the zone, each once.
pub(super) fn record_queries(zones: &[HostedZone], names: &[ScopedName]) -> Vec<(String, String)> {
    let mut queries: Vec<(String, String)> = Vec::new();
    for zone in zones {
        for name in names.iter().filter(|n| zone_covers(&zone.name, &n.name)) {
            let mut wanted = vec![name.name.clone()];
            let mut parent = name.name.as_str();
            while parent != zone.name {
                let Some((_, rest)) = parent.split_once('.') else {
                    break;
                };
                wanted.push(format!("*.{rest}"));
                parent = rest;
            }
            for record_name in wanted {
                let query = (zone.id.clone(), record_name);
                if !queries.contains(&query) {
                    queries.push(query);
                }
            }
        }
    }
    queries
}

/// The records of the names in scope (and the wildcards above them) in each zone that can
/// answer one: one concurrent call per name, all in one wave.
async fn zone_records(
    clients: &Clients,
    (limit, pace): (&Arc<Semaphore>, &Pace),
    zones: &[HostedZone],
    names: &[ScopedName],
) -> Result<Vec<RecordSet>, FetchError> {
    let mut calls = JoinSet::new();
    for (zone_id, record_name) in record_queries(zones, names) {
        let (client, limit) = (clients.route53.clone(), limit.clone());
        let rate = pace.route53.clone();
        calls.spawn(async move {
            let read = route53::records_named(&client, &zone_id, &record_name);
            paced(&limit, rate.as_deref(), read).await
        });
    }
    let mut records = Vec::new();
    while let Some(joined) = calls.join_next().await {
        records.extend(joined.map_err(error::task_failed)??);
    }
    records.sort_by(|a, b| (&a.zone_id, &a.name).cmp(&(&b.zone_id, &b.name)));
    Ok(records)
}

/// The interface endpoints behind zone records that point at an endpoint's DNS name
/// (`vpce-…-….sqs.us-east-1.vpce.amazonaws.com`) in another VPC: one concurrent call per
/// id, only when a record points at one.
async fn hub_endpoints(
    clients: &Clients,
    pace: &Pace,
    vpc_id: &str,
    records: &[RecordSet],
) -> Result<Vec<VpcEndpoint>, FetchError> {
    let mut ids: Vec<String> = records
        .iter()
        .flat_map(|r| r.alias_target.iter().chain(&r.values))
        .filter_map(|target| endpoint_id_in(target))
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    pace.ec2_ready().await;
    let found = ec2::endpoints_by_id(&clients.ec2, &ids).await?;
    Ok(found.into_iter().filter(|e| e.vpc_id != vpc_id).collect())
}

/// The endpoint id an endpoint's DNS name begins with: `vpce-0abc…` of
/// `vpce-0abc…-x1y2z3.sqs.us-east-1.vpce.amazonaws.com` (regional or zonal), whatever the
/// domain after it.
fn endpoint_id_in(name: &str) -> Option<String> {
    let label = name.split('.').next()?;
    let mut parts = label.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("vpce"), Some(id), Some(_))
            if (8..=17).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Some(format!("vpce-{id}"))
        }
        _ => None,
    }
}

/// Finds the VPC of a workload named by subnets or security groups (one extra round trip).
pub(super) async fn discover_vpc(
    clients: &Clients,
    workload: &Workload,
) -> Result<String, Failure> {
    let vpcs: Vec<String> = if !workload.subnet_ids.is_empty() {
        ec2::subnets_by_id(&clients.ec2, &workload.subnet_ids)
            .await
            .map_err(|e| error::fatal(Source::Subnets, &e))?
            .into_iter()
            .map(|s| s.vpc_id)
            .collect()
    } else if !workload.security_group_ids.is_empty() {
        ec2::security_groups_by_id(&clients.ec2, &workload.security_group_ids)
            .await
            .map_err(|e| error::fatal(Source::SecurityGroups, &e))?
            .into_iter()
            .filter_map(|g| g.vpc_id)
            .collect()
    } else {
        return Err(Failure::BadInput(
            "no target: pass --vpc, --mwaa-env, --subnets, or --security-groups".into(),
        ));
    };
    one_vpc(vpcs, workload)
}

/// The one VPC a workload's subnets (or security groups) are in, or why there is none.
pub(super) fn one_vpc(vpcs: Vec<String>, workload: &Workload) -> Result<String, Failure> {
    let mut distinct = vpcs;
    distinct.sort();
    distinct.dedup();
    match distinct.as_slice() {
        [one] => Ok(one.clone()),
        [] if !workload.subnet_ids.is_empty() => Err(Failure::BadInput(format!(
            "the subnets {} were not found",
            workload.subnet_ids.join(", ")
        ))),
        [] => Err(Failure::BadInput(format!(
            "the security groups {} were not found, or belong to no VPC",
            workload.security_group_ids.join(", ")
        ))),
        many => Err(Failure::BadInput(format!(
            "the workload spans several VPCs ({}); pass --vpc",
            many.join(", ")
        ))),
    }
}

/// The endpoints' network interfaces, in concurrent batches.
async fn endpoint_enis(
    clients: &Clients,
    (limit, pace): (&Arc<Semaphore>, &Pace),
    endpoints: &[VpcEndpoint],
) -> Result<Vec<EndpointEni>, FetchError> {
    let ids: Vec<String> = endpoints
        .iter()
        .flat_map(|e| e.network_interface_ids.clone())
        .collect();
    let mut batches = JoinSet::new();
    for batch in ids.chunks(ec2::FILTER_VALUES) {
        let client = clients.ec2.clone();
        let batch = batch.to_vec();
        let (limit, rate) = (limit.clone(), pace.ec2.clone());
        batches.spawn(async move {
            let call = ec2::endpoint_enis(&client, &batch);
            paced(&limit, rate.as_deref(), call).await
        });
    }
    let mut enis = Vec::with_capacity(ids.len());
    while let Some(joined) = batches.join_next().await {
        enis.extend(joined.map_err(error::task_failed)??);
    }
    enis.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(enis)
}

#[cfg(test)]
mod tests {
    use super::record_queries;
    use crate::model::{HostedZone, ScopedName};

    fn zone(id: &str, name: &str) -> HostedZone {
        HostedZone {
            id: id.into(),
            name: name.into(),
            owner_account: None,
            owner_service: None,
        }
    }

    fn scoped(name: &str) -> ScopedName {
        ScopedName {
            name: name.into(),
            published: name.into(),
            service_name: String::new(),
        }
    }

    #[test]
    fn endpoint_ids_are_read_from_endpoint_dns_names_only() {
        use super::endpoint_id_in;
        assert_eq!(
            endpoint_id_in("vpce-0a1b2c3d4e5f60718-abcd1234.sqs.us-east-1.vpce.amazonaws.com")
                .as_deref(),
            Some("vpce-0a1b2c3d4e5f60718")
        );
        assert_eq!(
            endpoint_id_in("vpce-0a1b2c3d-ab12cd34-us-east-1a.kms.us-east-1.vpce.amazonaws.com")
                .as_deref(),
            Some("vpce-0a1b2c3d")
        );
        for other in [
            "sqs.us-east-1.amazonaws.com",
            "vpce-notanid-abc.example.com",
            "vpce-0a1b2c3d4e5f60718.example.com",
            "",
        ] {
            assert_eq!(endpoint_id_in(other), None, "{other}");
        }
    }

    #[test]
    fn records_are_read_for_the_names_and_the_wildcards_above_them_within_each_zone() {
        let zones = [
            zone("Z1", "us-east-1.amazonaws.com"),
            zone("Z2", "api.airflow.us-east-1.amazonaws.com"),
            zone("Z3", "example.com"),
        ];
        let names = [
            scoped("sqs.us-east-1.amazonaws.com"),
            scoped("api.airflow.us-east-1.amazonaws.com"),
        ];
        let queries: Vec<String> = record_queries(&zones, &names)
            .into_iter()
            .map(|(zone, name)| format!("{zone} {name}"))
            .collect();
        assert_eq!(
            queries,
            [
                "Z1 sqs.us-east-1.amazonaws.com",
                "Z1 *.us-east-1.amazonaws.com",
                "Z1 api.airflow.us-east-1.amazonaws.com",
                "Z1 *.airflow.us-east-1.amazonaws.com",
                "Z2 api.airflow.us-east-1.amazonaws.com",
            ]
        );
    }
}
