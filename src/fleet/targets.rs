//! What a fleet run covers, from the command line's fleet flags ([`FleetFlags`], read once in
//! `input.rs`): who (the default credentials, named profiles, or a role assumed in each
//! account), where (Regions) and what (every MWAA environment, or the usual
//! `--vpc`/`--mwaa-env` target in each place).

use crate::aws::{ConnectOptions, Target};
use crate::failure::Failure;
use crate::input::FleetFlags;

/// Whose credentials a part of the fleet is read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The default chain (or `--profile`).
    Default,
    /// A named profile of `--profiles`.
    Profile(String),
    /// An account of `--accounts`, through its `--role-arn`.
    Account {
        /// The account id.
        id: String,
        /// The role to assume, `{account}` already replaced.
        role_arn: String,
    },
}

impl Principal {
    /// The account, when the flags name it.
    pub fn account(&self) -> Option<&str> {
        match self {
            Self::Account { id, .. } => Some(id),
            _ => None,
        }
    }

    /// How a row names this principal before its account is known.
    pub fn label(&self) -> Option<String> {
        match self {
            Self::Default => None,
            Self::Profile(name) => Some(format!("profile {name}")),
            Self::Account { id, .. } => Some(id.clone()),
        }
    }
}

/// The Regions of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// The one Region of `--region`, the environment or the profile.
    Home,
    /// The Regions of `--regions R1,R2`.
    Listed(Vec<String>),
    /// `--regions all`: every Region enabled for each account (`DescribeRegions`).
    All,
}

/// A fleet run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Each set of credentials, in order.
    pub principals: Vec<Principal>,
    /// Where.
    pub regions: Regions,
    /// Every environment of each Region (`--all-envs`), else `target` in each.
    pub all_envs: bool,
    /// The target of each place without `--all-envs`.
    pub target: Target,
    /// How to connect (`--profile`, `--region`, `--endpoint-url`, `--timeout`) and the rates
    /// to keep to (AWS's documented limits, or `--rate`'s).
    pub connect: ConnectOptions,
}

fn distinct(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if !out.contains(value) {
            out.push(value.clone());
        }
    }
    out
}

/// The plan of a fleet run; bad combinations of flags are bad input (exit code 2).
pub fn plan(args: &FleetFlags) -> Result<Plan, Failure> {
    let bad = |message: &str| Err(Failure::BadInput(message.into()));
    if args.offline {
        return bad(
            "--all-envs, --regions, --profiles and --accounts read live AWS: not with --snapshot or --demo",
        );
    }
    if args.one_target_options {
        return bad("--probe, --changes and --baseline apply to one target, not to a fleet run");
    }
    let targeted = args.target.vpc_id.is_some()
        || args.target.mwaa_env.is_some()
        || !args.target.subnet_ids.is_empty()
        || !args.target.security_group_ids.is_empty();
    if !args.all_envs && !targeted {
        return bad(
            "no target: pass --all-envs, or --mwaa-env, --vpc, --subnets or --security-groups",
        );
    }
    let regions = distinct(&args.regions);
    let regions = match regions.as_slice() {
        [] => Regions::Home,
        [all] if all == "all" => Regions::All,
        listed if listed.iter().any(|r| r == "all") => {
            return bad("--regions all cannot be combined with Region names");
        }
        listed => Regions::Listed(listed.to_vec()),
    };
    let principals = if !args.accounts.is_empty() {
        let role = args.role_arn.as_deref().unwrap_or_default();
        let accounts = distinct(&args.accounts);
        if accounts.len() > 1 && !role.contains("{account}") {
            return bad(
                "--role-arn must contain {account} to name a role in each of several --accounts",
            );
        }
        if !role.starts_with("arn:") {
            return bad(
                "--role-arn expects a role ARN like arn:aws:iam::{account}:role/LinkscopeRead",
            );
        }
        accounts
            .into_iter()
            .map(|id| Principal::Account {
                role_arn: role.replace("{account}", &id),
                id,
            })
            .collect()
    } else if !args.profiles.is_empty() {
        distinct(&args.profiles)
            .into_iter()
            .map(Principal::Profile)
            .collect()
    } else {
        vec![Principal::Default]
    };
    Ok(Plan {
        principals,
        regions,
        all_envs: args.all_envs,
        target: args.target.clone(),
        connect: args.connect.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::parse;

    /// The fleet flags of `linkscope audit ARGV`, `None` without any.
    fn flags(argv: &[&str]) -> Option<FleetFlags> {
        let mut full = vec!["linkscope", "audit"];
        full.extend(argv);
        FleetFlags::from_args(&parse(full).unwrap().global())
    }

    fn args(argv: &[&str]) -> FleetFlags {
        flags(argv).expect("fleet flags")
    }

    #[test]
    fn fleet_flags_make_a_fleet_run_and_the_usual_target_is_kept() {
        assert!(flags(&["--mwaa-env", "prod"]).is_none());
        let a = args(&[
            "--mwaa-env",
            "prod",
            "--regions",
            "us-east-1,eu-west-1,us-east-1",
        ]);
        let p = plan(&a).unwrap();
        assert_eq!(
            p.regions,
            Regions::Listed(vec!["us-east-1".into(), "eu-west-1".into()])
        );
        assert_eq!(p.target.mwaa_env.as_deref(), Some("prod"));
        assert_eq!(p.principals, [Principal::Default]);
        assert!(!p.all_envs);
    }

    #[test]
    fn accounts_assume_the_role_with_the_account_substituted() {
        let p = plan(&args(&[
            "--all-envs",
            "--regions",
            "all",
            "--role-arn",
            "arn:aws:iam::{account}:role/LinkscopeRead",
            "--accounts",
            "111111111111,222222222222",
        ]))
        .unwrap();
        assert_eq!(p.regions, Regions::All);
        assert_eq!(
            p.principals[1],
            Principal::Account {
                id: "222222222222".into(),
                role_arn: "arn:aws:iam::222222222222:role/LinkscopeRead".into()
            }
        );
        let profiles = plan(&args(&["--all-envs", "--profiles", "a,b"])).unwrap();
        assert_eq!(profiles.principals[0].label().as_deref(), Some("profile a"));
    }

    #[test]
    fn rates_given_with_the_fleet_flags_replace_the_documented_ones() {
        use crate::aws::rates::{Rate, Service};
        let p = plan(&args(&[
            "--all-envs",
            "--rate",
            "ec2=5,route53=2/10",
            "--rate",
            "sts=1",
        ]))
        .unwrap();
        let rates = &p.connect.rates;
        assert_eq!(
            rates.get(Service::Ec2),
            Rate {
                per_second: 5.0,
                burst: 25
            }
        );
        assert_eq!(
            rates.get(Service::Route53),
            Rate {
                per_second: 2.0,
                burst: 10
            }
        );
        assert_eq!(rates.get(Service::Sts).per_second, 1.0);
        assert_eq!(
            rates.given(Service::Cloudwatch),
            None,
            "the documented rate"
        );
        let cli = |argv: &[&str]| {
            let mut full = vec!["linkscope", "audit"];
            full.extend(argv);
            parse(full)
        };
        assert!(cli(&["--all-envs", "--rate", "ec2"]).is_err());
        assert!(cli(&["--all-envs", "--rate", "lambda=3"]).is_err());
        assert!(
            cli(&["--demo", "--rate", "ec2=3"]).is_err(),
            "a demo reads no AWS"
        );
    }

    #[test]
    fn bad_combinations_are_bad_input() {
        for argv in [
            &["--regions", "us-east-1"][..],
            &["--all-envs", "--regions", "all,us-east-1"],
            &["--all-envs", "--demo"],
            &[
                "--all-envs",
                "--role-arn",
                "arn:aws:iam::1:role/R",
                "--accounts",
                "111111111111,222222222222",
            ],
            &[
                "--all-envs",
                "--role-arn",
                "LinkscopeRead",
                "--accounts",
                "111111111111",
            ],
        ] {
            let failure = plan(&args(argv)).unwrap_err();
            assert_eq!(failure.exit_code(), 2, "{argv:?}");
        }
        let cli = |argv: &[&str]| {
            let mut full = vec!["linkscope", "audit"];
            full.extend(argv);
            parse(full)
        };
        assert!(cli(&["--all-envs", "--vpc", "vpc-0abc"]).is_err());
        assert!(
            cli(&["--all-envs", "--accounts", "111111111111"]).is_err(),
            "needs --role-arn"
        );
        assert!(cli(&["--all-envs", "--regions", "US_EAST"]).is_err());
        assert!(cli(&["--all-envs", "--role-arn", "a", "--accounts", "12"]).is_err());
    }
}
