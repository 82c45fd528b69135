//! The targets of one account and Region, collected together (a fleet run): each
//! environment's `GetEnvironment` (there is no batch API) under the cap, one `DescribeSubnets`
//! for all their subnets, then the first and second waves once for every VPC
//! (`region_reads.rs`), split per target into the snapshot its own collection would make
//! ([`super::collect::finish`]): the hub reads behind zone records stay per target, and so do
//! the environment's role, bucket and key (read once per ARN for the targets that share one).
//! A target whose part of a call failed is partial; a call that failed for the Region makes
//! the sources of every target that needed it fail, and no target is dropped.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};

use super::access::{self, Access, AccessCache};
use super::account::Account;
use super::collect::{
    self, Described, Place, SecondWave, Target, described, discover_vpc, environment_workload,
    flags_workload, one_vpc,
};
use super::limit::{MAX_ACCESS_REQUESTS, MAX_REGION_REQUESTS, gated};
use super::pace::Pace;
use super::region_reads::{self, Reads, Wanted, by_chunks};
use super::{Clients, ec2, error, mwaa};
use crate::failure::Failure;
use crate::model::{FetchStatus, MwaaEnvironment, Snapshot, Source, Workload};

/// A target on its way: what is known of it so far.
struct Pending {
    index: usize,
    target: Target,
    environment: Option<MwaaEnvironment>,
    workload: Workload,
    sources: BTreeMap<Source, FetchStatus>,
    /// The role, bucket and key, being read.
    access: JoinHandle<Access>,
}

/// Collects `targets` (of the clients' account and Region) together, and hands each one's
/// snapshot, or why it has none, to `each` with its index in `targets` as soon as it is
/// known. Every target is handed over exactly once.
pub async fn collect_region(
    clients: &Clients,
    pace: &Pace,
    account: &Arc<Account>,
    targets: Vec<Target>,
    mut each: impl FnMut(usize, Result<Snapshot, Failure>) + Send,
) {
    let count = targets.len();
    let mut handed = vec![false; count];
    let mut hand = |index: usize, outcome| {
        handed[index] = true;
        each(index, outcome);
    };
    collect_all(clients, pace, account, targets, &mut hand).await;
    // A task that failed (panicked) leaves its target without an outcome: say so.
    for index in (0..count).filter(|i| !handed[*i]) {
        let reason = "the collection of this target failed (a task panicked)".to_string();
        each(index, Err(Failure::Aws(reason)));
    }
}

/// Where a target's snapshot, or why it has none, goes.
type Each<'a> = &'a mut (dyn FnMut(usize, Result<Snapshot, Failure>) + Send);

/// [`collect_region`]'s work: every target that does not fail as a task goes to `each`.
async fn collect_all(
    clients: &Clients,
    pace: &Pace,
    account: &Arc<Account>,
    targets: Vec<Target>,
    each: Each<'_>,
) {
    let now = collect::now();
    let clients = &clients.signalling(pace);
    let limit = &Arc::new(Semaphore::new(MAX_REGION_REQUESTS));
    let reads = Reads {
        clients,
        limit,
        pace,
        account,
    };
    let pending = environments(clients, limit, targets, each).await;
    let located = locate(&reads, pending, each).await;
    let firsts = first_wave(&reads, located, each).await;
    let seconds = second_wave(&reads, &firsts, now).await;
    // Each target's hub reads and snapshot, as its own collection finishes them.
    let mut finishing = JoinSet::new();
    for ((p, first), second) in firsts.into_iter().zip(seconds) {
        let (clients, limit, pace) = (clients.clone(), limit.clone(), pace.clone());
        finishing.spawn(async move {
            let place = Place {
                clients: &clients,
                limit: &limit,
                pace: &pace,
                window: p.target.metrics_window,
                now,
            };
            let environment = p.environment.clone();
            let snapshot = Box::pin(collect::finish(
                &place,
                first,
                second,
                (p.environment, p.workload),
                p.sources,
            ))
            .await;
            let access = p.access.await;
            (
                p.index,
                collect::with_access(snapshot, environment.as_ref(), access),
            )
        });
    }
    while let Some(joined) = finishing.join_next().await {
        if let Ok((index, snapshot)) = joined {
            each(index, Ok(snapshot));
        }
    }
}

/// The environments, each read once (and its role, bucket and key from then on, under a cap
/// of their own), in the order of `targets`; a target whose environment cannot be read goes
/// to `each`.
async fn environments(
    clients: &Clients,
    limit: &Arc<Semaphore>,
    targets: Vec<Target>,
    each: Each<'_>,
) -> Vec<Pending> {
    let access_limit = Arc::new(Semaphore::new(MAX_ACCESS_REQUESTS));
    let cache = Arc::new(AccessCache::default());
    let mut calls = JoinSet::new();
    for (index, target) in targets.into_iter().enumerate() {
        let (client, limit) = (clients.mwaa.clone(), limit.clone());
        calls.spawn(async move {
            let environment = match &target.mwaa_env {
                Some(name) => Some(gated(&limit, mwaa::environment(&client, name)).await),
                None => None,
            };
            (index, target, environment)
        });
    }
    let mut pending = Vec::new();
    while let Some(joined) = calls.join_next().await {
        let Ok((index, target, environment)) = joined else {
            continue;
        };
        let mut sources = BTreeMap::new();
        let (environment, workload) = match environment {
            Some(Err(e)) => {
                each(index, Err(error::fatal(Source::MwaaEnvironment, &e)));
                continue;
            }
            Some(Ok(env)) => {
                sources.insert(Source::MwaaEnvironment, FetchStatus::Ok);
                let workload = environment_workload(&env);
                (Some(env), workload)
            }
            None => (None, flags_workload(&target)),
        };
        let access = tokio::spawn({
            let (clients, environment) = (clients.clone(), environment.clone());
            let (limit, cache) = (access_limit.clone(), cache.clone());
            async move { access::read(&clients, &limit, environment.as_ref(), Some(&cache)).await }
        });
        pending.push(Pending {
            index,
            target,
            environment,
            workload,
            sources,
            access,
        });
    }
    pending.sort_by_key(|p| p.index);
    pending
}

/// Each target with its VPC: named, else from its subnets (one read for all), else from its
/// security groups (as one target finds it); a target without one goes to `each`.
async fn locate(
    reads: &Reads<'_>,
    pending: Vec<Pending>,
    each: Each<'_>,
) -> Vec<(Pending, String)> {
    let vpcs = vpcs_of(reads, &pending).await;
    let mut located = Vec::new();
    for (p, vpc) in pending.into_iter().zip(vpcs) {
        match vpc {
            Ok(vpc) => located.push((p, vpc)),
            Err(failure) => {
                p.access.abort();
                each(p.index, Err(failure));
            }
        }
    }
    located
}

/// The first wave, once for every VPC, then each target's share of it; a target whose VPC
/// cannot be read goes to `each`.
async fn first_wave(
    reads: &Reads<'_>,
    located: Vec<(Pending, String)>,
    each: Each<'_>,
) -> Vec<(Pending, Described)> {
    let mut vpc_ids: Vec<String> = located.iter().map(|(_, v)| v.clone()).collect();
    vpc_ids.sort();
    vpc_ids.dedup();
    let wave = region_reads::first_wave(reads, &vpc_ids).await;
    let mut firsts = Vec::new();
    for (mut p, vpc) in located {
        let region = &reads.clients.region;
        match described(
            region,
            wave.of(&vpc),
            p.environment.as_ref(),
            &mut p.sources,
        ) {
            Ok(first) => firsts.push((p, first)),
            Err(failure) => {
                p.access.abort();
                each(p.index, Err(failure));
            }
        }
    }
    firsts
}

/// The second wave, once for every target, its metrics over each one's window up to the
/// minute of `now`.
async fn second_wave(
    reads: &Reads<'_>,
    firsts: &[(Pending, Described)],
    now: i64,
) -> Vec<SecondWave> {
    let end = now - now % 60;
    let wanted: Vec<Wanted> = firsts
        .iter()
        .map(|(p, first)| Wanted {
            first,
            environment: p.environment.as_ref().map(|e| e.name.as_str()),
            window: p
                .target
                .collect_metrics
                .then(|| (end - p.target.metrics_window.as_secs() as i64, end)),
        })
        .collect();
    region_reads::second_wave(reads, &wanted).await
}

/// The VPC of each pending target: its `--vpc`; else the VPC of its subnets, read for every
/// target in one `DescribeSubnets` (by chunks of ids); else, for a workload named only by its
/// security groups, as one target finds it.
async fn vpcs_of(reads: &Reads<'_>, pending: &[Pending]) -> Vec<Result<String, Failure>> {
    let by_subnets = |p: &Pending| p.target.vpc_id.is_none() && !p.workload.subnet_ids.is_empty();
    let mut ids: Vec<String> = pending
        .iter()
        .filter(|p| by_subnets(p))
        .flat_map(|p| p.workload.subnet_ids.iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    let client = reads.clients.ec2.clone();
    let subnets = by_chunks(&ids, (reads.limit, reads.pace.ec2.as_ref()), |ids| {
        let c = client.clone();
        async move { ec2::subnets_with_ids(&c, &ids).await }
    })
    .await;
    let mut found = Vec::new();
    for p in pending {
        let vpc = match &p.target.vpc_id {
            Some(vpc) => Ok(vpc.clone()),
            None if by_subnets(p) => {
                let wanted = &p.workload.subnet_ids;
                match subnets.of(wanted, |s| wanted.contains(&s.id)) {
                    Ok(subnets) => {
                        one_vpc(subnets.into_iter().map(|s| s.vpc_id).collect(), &p.workload)
                    }
                    Err(e) => Err(error::fatal(Source::Subnets, &e)),
                }
            }
            None => {
                if let Some(rate) = &reads.pace.ec2 {
                    rate.ready().await;
                }
                discover_vpc(reads.clients, &p.workload).await
            }
        };
        found.push(vpc);
    }
    found
}
