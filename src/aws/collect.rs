//! The collection plan: discovery (only with `--mwaa-env` or a workload without `--vpc`),
//! one concurrent wave of describes, then one wave of ENIs and metrics.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_ec2::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ec2::types::VpcAttributeName;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Clients, ec2, error, metrics, mwaa};
use crate::failure::Failure;
use crate::model::{
    EndpointEni, FetchError, FetchStatus, SCHEMA_VERSION, Snapshot, Source, Workload,
    WorkloadOrigin,
};

/// What to inspect.
#[derive(Debug, Clone)]
pub struct Target {
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

/// At most this many API calls are in flight at once, per collection.
const MAX_CONCURRENT_REQUESTS: usize = 16;

/// Runs `call` once a slot under the concurrency cap is free.
pub(super) async fn gated<T>(limit: &Semaphore, call: impl Future<Output = T>) -> T {
    let _slot = limit
        .acquire()
        .await
        .expect("the semaphore is never closed");
    call.await
}

/// Records a source's outcome and yields its data, or the default when it failed.
fn record<T: Default>(
    sources: &mut BTreeMap<Source, FetchStatus>,
    source: Source,
    result: Result<T, FetchError>,
) -> T {
    match result {
        Ok(value) => {
            sources.entry(source).or_insert(FetchStatus::Ok);
            value
        }
        Err(error) => {
            sources.insert(source, FetchStatus::Error(error));
            T::default()
        }
    }
}

/// Collects a snapshot of the target VPC. Fails only when the VPC itself cannot be read.
pub async fn collect(clients: &Clients, target: &Target) -> Result<Snapshot, Failure> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    let mut sources = BTreeMap::new();

    let environment = match &target.mwaa_env {
        Some(name) => {
            let env = mwaa::environment(&clients.mwaa, name)
                .await
                .map_err(|e| error::fatal(Source::MwaaEnvironment, &e))?;
            sources.insert(Source::MwaaEnvironment, FetchStatus::Ok);
            Some(env)
        }
        None => None,
    };
    let workload = match &environment {
        Some(env) => Workload {
            origin: WorkloadOrigin::Environment,
            subnet_ids: env.subnet_ids.clone(),
            security_group_ids: env.security_group_ids.clone(),
        },
        None if !target.subnet_ids.is_empty() || !target.security_group_ids.is_empty() => {
            Workload {
                origin: WorkloadOrigin::Flags,
                subnet_ids: target.subnet_ids.clone(),
                security_group_ids: target.security_group_ids.clone(),
            }
        }
        None => Workload::default(),
    };
    let vpc_id = match &target.vpc_id {
        Some(id) => id.clone(),
        None => discover_vpc(clients, &workload).await?,
    };

    let ec2 = &clients.ec2;
    let limit = Arc::new(Semaphore::new(MAX_CONCURRENT_REQUESTS));
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
    ) = tokio::join!(
        gated(&limit, ec2::vpc(ec2, &vpc_id)),
        gated(
            &limit,
            ec2::vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsSupport)
        ),
        gated(
            &limit,
            ec2::vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsHostnames)
        ),
        gated(&limit, ec2::subnets(ec2, &vpc_id)),
        gated(&limit, ec2::route_tables(ec2, &vpc_id)),
        gated(&limit, ec2::prefix_lists(ec2)),
        gated(&limit, ec2::security_groups(ec2, &vpc_id)),
        gated(&limit, ec2::network_acls(ec2, &vpc_id)),
        gated(&limit, ec2::endpoints(ec2, &vpc_id)),
        gated(&limit, ec2::region_gateway_endpoints(ec2)),
    );
    let mut vpc = vpc.map_err(|e| error::fatal(Source::Vpc, &e))?;
    sources.insert(Source::Vpc, FetchStatus::Ok);
    vpc.enable_dns_support = record(&mut sources, Source::VpcAttributes, dns_support.map(Some));
    vpc.enable_dns_hostnames = record(&mut sources, Source::VpcAttributes, dns_hostnames.map(Some));
    let endpoints = record(&mut sources, Source::VpcEndpoints, endpoints);

    let end = now - now % 60;
    let start = end - target.metrics_window.as_secs() as i64;
    let series = async {
        match target.collect_metrics {
            true => Some(metrics::fetch(&clients.cloudwatch, &limit, &endpoints, start, end).await),
            false => None,
        }
    };
    let (endpoint_enis, series) = tokio::join!(endpoint_enis(clients, &limit, &endpoints), series);
    let mut metric_set = metrics::empty(start, end);
    if let Some(series) = series {
        metric_set.series = record(&mut sources, Source::Metrics, series);
    }

    Ok(Snapshot {
        schema: SCHEMA_VERSION,
        captured_at: DateTime::from_secs(now)
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
        endpoint_enis: record(&mut sources, Source::NetworkInterfaces, endpoint_enis),
        region_gateway_endpoints: record(
            &mut sources,
            Source::RegionGatewayEndpoints,
            region_gateways.map(Some),
        ),
        endpoints,
        environment,
        workload,
        metrics: metric_set,
        sources,
    })
}

/// Finds the VPC of a workload named by subnets or security groups (one extra round trip).
async fn discover_vpc(clients: &Clients, workload: &Workload) -> Result<String, Failure> {
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
    let mut distinct = vpcs.clone();
    distinct.sort();
    distinct.dedup();
    match distinct.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Failure::BadInput(
            "the workload's subnets were not found".into(),
        )),
        many => Err(Failure::BadInput(format!(
            "the workload spans several VPCs ({}); pass --vpc",
            many.join(", ")
        ))),
    }
}

/// The endpoints' network interfaces, in concurrent batches.
async fn endpoint_enis(
    clients: &Clients,
    limit: &Arc<Semaphore>,
    endpoints: &[crate::model::VpcEndpoint],
) -> Result<Vec<EndpointEni>, FetchError> {
    let ids: Vec<String> = endpoints
        .iter()
        .flat_map(|e| e.network_interface_ids.clone())
        .collect();
    let mut batches = JoinSet::new();
    for batch in ids.chunks(ec2::ENI_BATCH) {
        let client = clients.ec2.clone();
        let batch = batch.to_vec();
        let limit = limit.clone();
        batches.spawn(async move { gated(&limit, ec2::endpoint_enis(&client, &batch)).await });
    }
    let mut enis = Vec::with_capacity(ids.len());
    while let Some(joined) = batches.join_next().await {
        enis.extend(joined.map_err(|e| FetchError {
            code: None,
            message: e.to_string(),
        })??);
    }
    enis.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(enis)
}
