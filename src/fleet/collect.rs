//! The concurrent fleet run: credentials for each principal (AssumeRole), its Regions
//! (DescribeRegions with `--regions all`), each Region's environments (ListEnvironments
//! with `--all-envs`), then every target's collection at once, at most
//! [`MAX_TARGETS_IN_FLIGHT`] at a time (the slots going to each account and Region in
//! turn), each account and Region's EC2 and CloudWatch calls under one shared rate limit.
//! A step that fails becomes a [`Failed`] row; it never stops the others.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::summary::Failed;
use super::targets::{Plan, Principal, Regions};
use crate::aws::discover::{self, AssumedRole};
use crate::aws::{Clients, ConnectOptions, Pace, RateLimit, Target, collect_paced};
use crate::failure::Failure;
use crate::model::Snapshot;

/// At most this many targets are collected at once (each with at most 16 calls in flight).
pub const MAX_TARGETS_IN_FLIGHT: usize = 8;
/// EC2 calls per second per account and Region (AWS refills its `Describe*` bucket at 20 a
/// second, up to 100).
pub const EC2_PER_SECOND: f64 = 10.0;
/// EC2 calls that may start at once per account and Region.
pub const EC2_BURST: u32 = 20;
/// CloudWatch `GetMetricData` calls per second per account and Region (AWS allows 50).
pub const CLOUDWATCH_PER_SECOND: f64 = 5.0;
/// `GetMetricData` calls that may start at once per account and Region.
pub const CLOUDWATCH_BURST: u32 = 5;

/// The result of one target.
#[derive(Debug)]
pub enum Outcome {
    /// Collected: the snapshot, and the account the flags name (else the snapshot's caller).
    Collected {
        /// The account from `--accounts`.
        account: Option<String>,
        /// What was collected.
        snapshot: Box<Snapshot>,
    },
    /// Not collected, and why.
    Failed(Failed),
}

/// One set of credentials, ready to connect in any Region.
#[derive(Clone)]
struct Who {
    principal: Principal,
    role: Option<AssumedRole>,
}

impl Who {
    fn options(&self, plan: &Plan, region: Option<String>) -> ConnectOptions {
        let profile = match &self.principal {
            Principal::Profile(name) => Some(name.clone()),
            _ => plan.connect.profile.clone(),
        };
        ConnectOptions {
            profile,
            region: region.or_else(|| plan.connect.region.clone()),
            ..plan.connect.clone()
        }
    }

    async fn connect(&self, plan: &Plan, region: Option<String>) -> Result<Clients, Failure> {
        let options = self.options(plan, region);
        match &self.role {
            Some(role) => role.connect(&options).await,
            None => Clients::connect(&options).await,
        }
    }

    fn failed(&self, target: impl Into<String>, region: Option<&str>, reason: String) -> Failed {
        Failed {
            target: target.into(),
            region: region.map(str::to_string),
            account: self.principal.label(),
            reason: crate::show::clean(&reason).into_owned(),
        }
    }
}

/// One place to collect in: a principal's clients in one Region, its rate limits, and what
/// to collect there.
struct Place {
    who: Who,
    clients: Clients,
    pace: Pace,
    targets: Vec<Target>,
}

/// The home Region of a principal: `--region`, else the first of `--regions`, else the
/// profile's or the environment's; `us-east-1` when none and every Region is wanted.
fn home_region(plan: &Plan) -> Option<String> {
    match &plan.regions {
        Regions::Listed(listed) if plan.connect.region.is_none() => listed.first().cloned(),
        _ => plan.connect.region.clone(),
    }
}

/// Credentials and Regions of one principal, or the row that says why not.
async fn principal_regions(
    plan: &Plan,
    principal: Principal,
) -> Result<(Who, Vec<String>), Failed> {
    let mut who = Who {
        principal: principal.clone(),
        role: None,
    };
    let home = home_region(plan);
    if let Principal::Account { role_arn, .. } = &principal {
        // The caller's own credentials assume the role.
        let caller = Who {
            principal: Principal::Default,
            role: None,
        };
        let clients = caller
            .connect(plan, home.clone())
            .await
            .map_err(|e| who.failed(format!("role {role_arn}"), home.as_deref(), e.to_string()))?;
        let role = discover::assume_role(&clients, role_arn)
            .await
            .map_err(|e| {
                who.failed(
                    format!("role {role_arn}"),
                    home.as_deref(),
                    format!("sts:AssumeRole failed: {e}"),
                )
            })?;
        who.role = Some(role);
    }
    let regions = match &plan.regions {
        Regions::Listed(listed) => listed.clone(),
        Regions::Home => {
            let clients = who
                .connect(plan, home.clone())
                .await
                .map_err(|e| who.failed("clients", home.as_deref(), e.to_string()))?;
            vec![clients.region]
        }
        Regions::All => {
            let home = home.or_else(|| Some("us-east-1".into()));
            let clients = who
                .connect(plan, home.clone())
                .await
                .map_err(|e| who.failed("all Regions", home.as_deref(), e.to_string()))?;
            discover::regions(&clients).await.map_err(|e| {
                who.failed(
                    "all Regions",
                    home.as_deref(),
                    format!("ec2:DescribeRegions failed: {e}"),
                )
            })?
        }
    };
    Ok((who, regions))
}

/// Clients, limits and targets of one principal in one Region, or the row that says why not.
async fn place(plan: &Plan, who: Who, region: String) -> Result<Place, Failed> {
    let clients = who
        .connect(plan, Some(region.clone()))
        .await
        .map_err(|e| who.failed("clients", Some(&region), e.to_string()))?;
    let targets = match plan.all_envs {
        true => discover::environments(&clients)
            .await
            .map_err(|e| {
                who.failed(
                    "all environments",
                    Some(&region),
                    format!("airflow:ListEnvironments failed: {e}"),
                )
            })?
            .into_iter()
            .map(|name| Target {
                mwaa_env: Some(name),
                ..plan.target.clone()
            })
            .collect(),
        false => vec![plan.target.clone()],
    };
    let pace = Pace {
        ec2: Some(RateLimit::shared(EC2_PER_SECOND, EC2_BURST)),
        cloudwatch: Some(RateLimit::shared(CLOUDWATCH_PER_SECOND, CLOUDWATCH_BURST)),
        region: Some(Arc::default()),
    };
    Ok(Place {
        who,
        clients,
        pace,
        targets,
    })
}

/// How a failed collection names its target.
fn target_name(target: &Target) -> String {
    target
        .mwaa_env
        .clone()
        .or_else(|| target.vpc_id.clone())
        .unwrap_or_else(|| {
            [&target.subnet_ids[..], &target.security_group_ids[..]]
                .concat()
                .join(",")
        })
}

/// Runs the plan: every target's outcome, failures included, in no particular order.
pub async fn collect(plan: &Plan) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    collect_each(plan, |outcome| outcomes.push(outcome)).await;
    outcomes
}

/// Runs the plan and hands each target's outcome to `each` as soon as it is known.
pub async fn collect_each(plan: &Plan, mut each: impl FnMut(Outcome) + Send) {
    let mut principals = JoinSet::new();
    for principal in plan.principals.clone() {
        let plan = plan.clone();
        principals.spawn(async move { principal_regions(&plan, principal).await });
    }
    let mut places = JoinSet::new();
    while let Some(joined) = principals.join_next().await {
        match joined {
            Ok(Ok((who, regions))) => {
                for region in regions {
                    let (plan, who) = (plan.clone(), who.clone());
                    places.spawn(async move { place(&plan, who, region).await });
                }
            }
            Ok(Err(failed)) => each(Outcome::Failed(failed)),
            Err(error) => each(Outcome::Failed(panicked("credentials", error))),
        }
    }
    let mut ready = Vec::new();
    while let Some(joined) = places.join_next().await {
        match joined {
            Ok(Ok(place)) => ready.push(place),
            Ok(Err(failed)) => each(Outcome::Failed(failed)),
            Err(error) => each(Outcome::Failed(panicked("environments", error))),
        }
    }
    // The slots go to each place (account and Region) in turn, so that every place's rate
    // limits are used at once: handed out place by place, the slots would serve one
    // Region's targets while the others' limits idled, and Regions would run one after
    // another.
    let limit = Arc::new(Semaphore::new(MAX_TARGETS_IN_FLIGHT));
    let mut targets = JoinSet::new();
    let mut names: HashMap<tokio::task::Id, Failed> = HashMap::new();
    let rounds = ready.iter().map(|p| p.targets.len()).max().unwrap_or(0);
    for i in 0..rounds {
        for place in &ready {
            let Some(target) = place.targets.get(i).cloned() else {
                continue;
            };
            let (clients, pace, limit) = (place.clients.clone(), place.pace.clone(), limit.clone());
            let who = place.who.clone();
            let region = clients.region.clone();
            let blank = who.failed(target_name(&target), Some(&region), String::new());
            let handle = targets.spawn(async move {
                // The semaphore serves its waiters first come, first served.
                let _slot = limit.acquire().await.expect("never closed");
                match collect_paced(&clients, &target, &pace).await {
                    Ok(snapshot) => Outcome::Collected {
                        account: who.principal.account().map(str::to_string),
                        snapshot: Box::new(snapshot),
                    },
                    Err(failure) => Outcome::Failed(who.failed(
                        target_name(&target),
                        Some(&region),
                        failure.to_string(),
                    )),
                }
            });
            names.insert(handle.id(), blank);
        }
    }
    while let Some(joined) = targets.join_next_with_id().await {
        match joined {
            Ok((_, outcome)) => each(outcome),
            Err(error) => {
                let mut failed = names.remove(&error.id()).unwrap_or_else(|| Failed {
                    target: "?".into(),
                    region: None,
                    account: None,
                    reason: String::new(),
                });
                failed.reason = format!("collection task failed: {error}");
                each(Outcome::Failed(failed));
            }
        }
    }
}

fn panicked(what: &str, error: tokio::task::JoinError) -> Failed {
    Failed {
        target: what.into(),
        region: None,
        account: None,
        reason: format!("task failed: {error}"),
    }
}
