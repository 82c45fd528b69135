//! Where a snapshot comes from: live AWS, a snapshot file, or a bundled demo.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::aws::rates::Service;
use crate::aws::{self, Clients, ConnectOptions, Pace, Target};
use crate::cli::{DemoScenario, GlobalArgs};
use crate::failure::Failure;
use crate::model::{Changes, ProbeReport, Snapshot, ids_in_scope};

const DEMO_TROUBLED: &str = include_str!("../assets/demo-troubled.json");
const DEMO_HEALTHY: &str = include_str!("../assets/demo-healthy.json");
const DEMO_SPOKE: &str = include_str!("../assets/demo-spoke.json");
const DEMO_SETUP: &str = include_str!("../assets/demo-setup.json");

/// The source of a snapshot, chosen from the global flags.
#[derive(Debug, Clone)]
pub enum Input {
    /// Live AWS: how to connect and what to collect.
    Live {
        /// How to reach AWS.
        connect: ConnectOptions,
        /// What to inspect.
        target: Target,
    },
    /// A snapshot file (`--snapshot`).
    File(PathBuf),
    /// A bundled demo snapshot (`--demo`).
    Demo(DemoScenario),
}

impl Input {
    /// `--demo` wins, then `--snapshot`, then live AWS.
    pub fn from_args(args: &GlobalArgs) -> Self {
        if let Some(scenario) = args.demo {
            return Self::Demo(scenario);
        }
        if let Some(path) = &args.snapshot {
            return Self::File(path.clone());
        }
        Self::Live {
            connect: connect_options(args),
            target: target(args),
        }
    }

    /// True for live AWS with nothing to inspect named: the dashboard then opens its start
    /// screen.
    pub fn lacks_target(&self) -> bool {
        match self {
            Self::Live { target, .. } => {
                target.vpc_id.is_none()
                    && target.mwaa_env.is_none()
                    && target.subnet_ids.is_empty()
                    && target.security_group_ids.is_empty()
            }
            _ => false,
        }
    }

    /// True for live AWS, which the dashboard refreshes; files and demos are fixed in time.
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Live { .. })
    }

    /// The CloudTrail changes of the last `window` on the snapshot's resources, read live;
    /// `None` for a file or a demo, which keep the changes they carry. `on_page` sees what
    /// has been read after every page.
    pub async fn changes(
        &self,
        snapshot: &Snapshot,
        window: Duration,
        on_page: &mut (dyn FnMut(&Changes) + Send),
    ) -> Result<Option<Changes>, Failure> {
        let Self::Live { connect, .. } = self else {
            return Ok(None);
        };
        let clients = Clients::connect(connect).await?;
        let until = SystemTime::now();
        let since = until.checked_sub(window).unwrap_or(SystemTime::UNIX_EPOCH);
        let scope = ids_in_scope(snapshot);
        let limits = aws::ChangeLimits {
            per_second: connect.rates.get(Service::Cloudtrail).per_second,
            ..aws::ChangeLimits::default()
        };
        Ok(Some(
            aws::lookup_changes(&clients.cloudtrail, &scope, since, until, &limits, on_page).await,
        ))
    }

    /// Produces the snapshot.
    pub async fn load(&self) -> Result<Snapshot, Failure> {
        match self {
            Self::Live { connect, target } => {
                let clients = Clients::connect(connect).await?;
                aws::collect_paced(&clients, target, &Pace::given(&connect.rates)).await
            }
            Self::File(path) => read_file(path),
            Self::Demo(scenario) => Ok(demo(*scenario)),
        }
    }
}

/// How to reach AWS, from `--profile`, `--region`, `--endpoint-url`, `--timeout` and
/// `--rate`.
fn connect_options(args: &GlobalArgs) -> ConnectOptions {
    ConnectOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        timeout: args.aws_timeout(),
        rates: aws::Rates::new(&args.rates),
    }
}

/// What to inspect, from `--vpc`, `--mwaa-env`, `--subnets` and `--security-groups`.
fn target(args: &GlobalArgs) -> Target {
    Target {
        vpc_id: args.vpc.clone(),
        mwaa_env: args.mwaa_env.clone(),
        subnet_ids: args.subnets.clone(),
        security_group_ids: args.security_groups.clone(),
        ..Target::default()
    }
}

/// A fleet run's command line as plain inputs, read once here: the fleet flags, the usual
/// target and connection, and whether options that do not apply to a fleet were given.
/// `crate::fleet::plan` judges them.
#[derive(Debug, Clone)]
pub struct FleetFlags {
    /// `--all-envs`.
    pub all_envs: bool,
    /// `--regions`.
    pub regions: Vec<String>,
    /// `--profiles`.
    pub profiles: Vec<String>,
    /// `--role-arn`.
    pub role_arn: Option<String>,
    /// `--accounts`.
    pub accounts: Vec<String>,
    /// `--snapshot` or `--demo` was given.
    pub offline: bool,
    /// `--probe`, `--changes` or `--baseline` was given (they apply to one target).
    pub one_target_options: bool,
    /// `--vpc`, `--mwaa-env`, `--subnets` and `--security-groups`.
    pub target: Target,
    /// How to reach AWS and the rates to keep to.
    pub connect: ConnectOptions,
}

impl FleetFlags {
    /// The fleet flags of a command line; `None` when it asks for no fleet run (none of
    /// `--all-envs`, `--regions`, `--profiles` or `--accounts`).
    pub fn from_args(args: &GlobalArgs) -> Option<Self> {
        let fleet = args.all_envs
            || !args.regions.is_empty()
            || !args.profiles.is_empty()
            || !args.accounts.is_empty();
        fleet.then(|| Self {
            all_envs: args.all_envs,
            regions: args.regions.clone(),
            profiles: args.profiles.clone(),
            role_arn: args.role_arn.clone(),
            accounts: args.accounts.clone(),
            offline: args.snapshot.is_some() || args.demo.is_some(),
            one_target_options: !args.probe.is_empty()
                || args.changes.is_some()
                || args.baseline.is_some(),
            target: target(args),
            connect: connect_options(args),
        })
    }
}

/// A bundled demo snapshot.
pub fn demo(scenario: DemoScenario) -> Snapshot {
    let text = match scenario {
        DemoScenario::Troubled => DEMO_TROUBLED,
        DemoScenario::Healthy => DEMO_HEALTHY,
        DemoScenario::Spoke => DEMO_SPOKE,
        DemoScenario::Setup => DEMO_SETUP,
    };
    Snapshot::from_json(text).expect("bundled demo snapshots are valid")
}

/// Reads a snapshot file; any problem is bad input (exit code 2).
pub fn read_file(path: &Path) -> Result<Snapshot, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::BadInput(format!("cannot read snapshot {}: {e}", path.display())))?;
    Snapshot::from_json(&text)
        .map_err(|e| Failure::BadInput(format!("cannot load snapshot {}: {e}", path.display())))
}

/// Reads the `linkscope probe --format json` files given with `--probe`; any problem is bad
/// input (exit code 2).
pub fn read_probes(paths: &[PathBuf]) -> Result<Vec<ProbeReport>, Failure> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::BadInput(format!("cannot read probe file {}: {e}", path.display()))
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Failure::BadInput(format!(
                    "{} is not a `linkscope probe --format json` file: {e}",
                    path.display()
                ))
            })
        })
        .collect()
}
