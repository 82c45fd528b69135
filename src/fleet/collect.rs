//! The concurrent fleet run: credentials for each principal (AssumeRole), its Regions
//! (DescribeRegions with `--regions all`), each Region's environments (ListEnvironments
//! with `--all-envs`), then every account and Region at once, the targets of each collected
//! together ([`crate::aws::collect_region`]: its reads made once for all of them) under the
//! account and Region's rate limits, Route 53's shared by the account's Regions. Each step is
//! reported as it happens ([`Event`]); a step that fails becomes a [`Failed`] row and never
//! stops the others.

use std::collections::hash_map::Entry::Vacant;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::fleet_report::Failed;
use super::targets::{Plan, Principal, Regions};
use crate::aws::discover::{self, AssumedRole};
use crate::aws::rates::Service;
use crate::aws::{Account, Clients, ConnectOptions, Pace, RateLimit, Target, collect_region};
use crate::failure::Failure;
use crate::model::Snapshot;

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

/// A Region and an account (as the fleet flags name it: `None` for the default credentials,
/// `profile NAME`, or the account id): where a run's targets are collected together. Ordered
/// by Region, then account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// The Region.
    pub region: String,
    /// The account's label ([`Principal::label`]).
    pub account: Option<String>,
}

/// A step of a fleet run, reported as soon as it happens.
#[derive(Debug)]
pub enum Event {
    /// The targets of a place are known (its environments listed), and about to be read.
    Listed {
        /// Where.
        place: Place,
        /// How many targets.
        targets: usize,
    },
    /// A target's outcome, with its place when it has one (an account whose role cannot be
    /// assumed, or whose Regions cannot be listed, has none).
    Done {
        /// Where, when known.
        place: Option<Place>,
        /// The outcome.
        outcome: Outcome,
    },
}

/// One set of credentials, ready to connect in any Region, and its account's Route 53
/// limit (Route 53 is global: one limit for all the account's Regions).
#[derive(Clone)]
struct Who {
    principal: Principal,
    role: Option<AssumedRole>,
    route53: Arc<RateLimit>,
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

    fn place(&self, region: &str) -> Place {
        Place {
            account: self.principal.label(),
            region: region.to_string(),
        }
    }
}

/// One account and Region to collect in: the principal's clients there, the rate limits,
/// and the targets.
struct Site {
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
    let route53 = plan.connect.rates.get(Service::Route53).limit();
    let mut who = Who {
        principal: principal.clone(),
        role: None,
        route53: route53.clone(),
    };
    let home = home_region(plan);
    if let Principal::Account { role_arn, .. } = &principal {
        // The caller's own credentials assume the role.
        let caller = Who {
            principal: Principal::Default,
            role: None,
            route53,
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
async fn site(plan: &Plan, who: Who, region: String) -> Result<Site, Failed> {
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
    let pace = Pace::of_region(&plan.connect.rates, who.route53.clone());
    Ok(Site {
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

/// What a Region's collection sends back: the site, the target's index, its result.
type Report = (usize, usize, Result<Snapshot, Failure>);

/// Runs the plan and hands each step to `each` as soon as it happens: the targets of each
/// account and Region once listed, then each target's outcome.
pub async fn collect_each(plan: &Plan, mut each: impl FnMut(Event) + Send) {
    let ready = sites(plan, &mut each).await;
    let accounts = accounts(&ready);
    // Every account and Region at once, each at its own limits.
    let (sender, mut reports) = mpsc::unbounded_channel::<Report>();
    let mut regions = JoinSet::new();
    let mut names: HashMap<tokio::task::Id, usize> = HashMap::new();
    for (i, site) in ready.iter().enumerate() {
        let account = accounts[&site.who.principal.label()].clone();
        let (clients, pace) = (site.clients.clone(), site.pace.clone());
        let (targets, sender) = (site.targets.clone(), sender.clone());
        let handle = regions.spawn(async move {
            collect_region(&clients, &pace, &account, targets, |index, result| {
                let _ = sender.send((i, index, result));
            })
            .await;
        });
        names.insert(handle.id(), i);
    }
    drop(sender);
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    while let Some((i, index, result)) = reports.recv().await {
        reported.insert((i, index));
        each(outcome(&ready[i], index, result));
    }
    // A Region's collection that failed as a task leaves its unreported targets as rows.
    while let Some(joined) = regions.join_next_with_id().await {
        let Err(error) = joined else { continue };
        let Some(&i) = names.get(&error.id()) else {
            continue;
        };
        let site = &ready[i];
        let region = &site.clients.region;
        for (index, target) in site.targets.iter().enumerate() {
            if reported.contains(&(i, index)) {
                continue;
            }
            let reason = format!("collection task failed: {error}");
            let failed = site.who.failed(target_name(target), Some(region), reason);
            each(done(Some(site.who.place(region)), Outcome::Failed(failed)));
        }
    }
}

/// Every account and Region of the plan with its targets listed, each reported to `each`
/// as [`Event::Listed`]; the credentials, Regions and listings that failed as rows.
async fn sites(plan: &Plan, each: &mut (impl FnMut(Event) + Send)) -> Vec<Site> {
    let mut principals = JoinSet::new();
    for principal in plan.principals.clone() {
        let plan = plan.clone();
        principals.spawn(async move { principal_regions(&plan, principal).await });
    }
    let mut sites = JoinSet::new();
    while let Some(joined) = principals.join_next().await {
        match joined {
            Ok(Ok((who, regions))) => {
                for region in regions {
                    let (plan, who) = (plan.clone(), who.clone());
                    sites.spawn(async move { site(&plan, who, region).await });
                }
            }
            Ok(Err(failed)) => each(done(None, Outcome::Failed(failed))),
            Err(error) => each(done(None, Outcome::Failed(panicked("credentials", error)))),
        }
    }
    let mut ready = Vec::new();
    while let Some(joined) = sites.join_next().await {
        match joined {
            Ok(Ok(site)) => {
                let place = site.who.place(&site.clients.region);
                each(Event::Listed {
                    place,
                    targets: site.targets.len(),
                });
                ready.push(site);
            }
            Ok(Err(failed)) => {
                let place = failed.region.clone().map(|region| Place {
                    account: failed.account.clone(),
                    region,
                });
                each(done(place, Outcome::Failed(failed)));
            }
            Err(error) => each(done(None, Outcome::Failed(panicked("environments", error)))),
        }
    }
    ready
}

/// What each account's Regions share. Route 53 is global: an account's Regions share its
/// answers, and they decide how to list its zones from the targets of all of them.
fn accounts(ready: &[Site]) -> HashMap<Option<String>, Arc<Account>> {
    let mut accounts: HashMap<Option<String>, Arc<Account>> = HashMap::new();
    for site in ready {
        if let Vacant(slot) = accounts.entry(site.who.principal.label()) {
            let targets = ready
                .iter()
                .filter(|s| s.who.principal.label() == *slot.key())
                .map(|s| s.targets.len())
                .sum();
            slot.insert(Arc::new(Account::new(targets, site.who.route53.clone())));
        }
    }
    accounts
}

/// The event of a target of `site` collected, or not.
fn outcome(site: &Site, index: usize, result: Result<Snapshot, Failure>) -> Event {
    let region = &site.clients.region;
    let outcome = match result {
        Ok(snapshot) => Outcome::Collected {
            account: site.who.principal.account().map(str::to_string),
            snapshot: Box::new(snapshot),
        },
        Err(failure) => Outcome::Failed(site.who.failed(
            target_name(&site.targets[index]),
            Some(region),
            failure.to_string(),
        )),
    };
    done(Some(site.who.place(region)), outcome)
}

fn done(place: Option<Place>, outcome: Outcome) -> Event {
    Event::Done { place, outcome }
}

fn panicked(what: &str, error: tokio::task::JoinError) -> Failed {
    Failed {
        target: what.into(),
        region: None,
        account: None,
        reason: format!("task failed: {error}"),
    }
}
