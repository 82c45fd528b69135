//! The command line: `linkscope [GLOBAL]`, `linkscope audit`, `linkscope snapshot`,
//! `linkscope probe`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::aws::DEFAULT_TIMEOUT;

/// Terminal dashboard and audit for AWS PrivateLink and Amazon MWAA private networking.
///
/// Read-only: linkscope calls only Describe*, Get* and List* APIs.
#[derive(Debug, Parser)]
#[command(name = "linkscope", version, about, long_about = None)]
pub struct Cli {
    /// The command; without one, the dashboard (or the inventory when not on a terminal).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the VPC's PrivateLink and MWAA networking and print a report
    Audit(AuditArgs),
    /// Capture everything linkscope reads into a snapshot file
    Snapshot(SnapshotArgs),
    /// From inside the VPC: resolve, connect and shake hands with each service (no AWS call)
    Probe(ProbeArgs),
    /// What changed between two snapshots (or a snapshot and the live VPC); exit 1 on a new failure
    Diff(DiffArgs),
    /// Combine `audit --format json` reports made by separate processes into one fleet report
    Merge(MergeArgs),
}

/// Options every command takes: where the data comes from and what to inspect.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Named profile from ~/.aws/config (SSO profiles included)
    #[arg(long, global = true, env = "AWS_PROFILE", value_name = "P")]
    pub profile: Option<String>,
    /// AWS Region (default: the profile's, or AWS_REGION)
    #[arg(long, global = true, value_name = "R")]
    pub region: Option<String>,
    /// Endpoint URL for every AWS service (also read from AWS_ENDPOINT_URL)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Longest time one AWS API call may take, retries included [default: 30]; for `probe`,
    /// each lookup, connection and handshake [default: 3] (seconds)
    #[arg(long, global = true, value_name = "SECONDS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,
    /// Print each AWS error's full SDK dump (raw response included) to stderr; not in the dashboard
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// The VPC to inspect
    #[arg(long, global = true, value_name = "VPC_ID", value_parser = id_parser("vpc"))]
    pub vpc: Option<String>,
    /// Amazon MWAA environment: its VPC, subnets and security groups become the workload
    #[arg(long, global = true, value_name = "NAME")]
    pub mwaa_env: Option<String>,
    /// The workload's subnets, when there is no environment
    #[arg(long, global = true, value_delimiter = ',', value_name = "S1,S2", value_parser = id_parser("subnet"))]
    pub subnets: Vec<String>,
    /// The workload's security groups, when there is no environment
    #[arg(long, global = true, value_delimiter = ',', value_name = "SG1,SG2", value_parser = id_parser("sg"))]
    pub security_groups: Vec<String>,
    /// Read a snapshot file instead of calling AWS
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "demo")]
    pub snapshot: Option<PathBuf>,
    /// Use a bundled demo snapshot (`--demo` is the troubled one; `--demo=SCENARIO`)
    #[arg(
        long,
        global = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "troubled",
        value_name = "SCENARIO"
    )]
    pub demo: Option<DemoScenario>,
    /// Fold the evidence of `linkscope probe --format json` files into the checklist
    #[arg(long, global = true, value_name = "FILE")]
    pub probe: Vec<PathBuf>,
    /// Dashboard: mark the rows changed since this snapshot (∆ column, filter `:changed`)
    #[arg(long, global = true, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Read the CloudTrail changes of this window (`90m`, `24h`, `7d`; at most 90 days) on the
    /// resources in scope: a Changes tab, an audit section (cloudtrail:LookupEvents)
    #[arg(long, global = true, value_name = "WINDOW", value_parser = window)]
    pub changes: Option<Duration>,
    /// Fleet: audit every MWAA environment (ListEnvironments) in each Region of the run
    #[arg(long, global = true, conflicts_with_all = ["vpc", "mwaa_env", "subnets", "security_groups"])]
    pub all_envs: bool,
    /// Fleet: audit in each of these Regions, or in `all` the Regions enabled for the account
    #[arg(long, global = true, value_delimiter = ',', value_name = "R1,R2|all", value_parser = region_name)]
    pub regions: Vec<String>,
    /// Fleet: audit with each of these named profiles
    #[arg(
        long,
        global = true,
        value_delimiter = ',',
        value_name = "P1,P2",
        conflicts_with = "accounts"
    )]
    pub profiles: Vec<String>,
    /// Fleet: the role to assume in each of --accounts; `{account}` stands for the account id
    #[arg(long, global = true, value_name = "ARN", requires = "accounts")]
    pub role_arn: Option<String>,
    /// Fleet: audit these accounts through --role-arn (sts:AssumeRole, read-only session policy)
    #[arg(long, global = true, value_delimiter = ',', value_name = "ID1,ID2", requires = "role_arn", value_parser = account_id)]
    pub accounts: Vec<String>,
}

impl GlobalArgs {
    /// The AWS API call timeout.
    pub fn aws_timeout(&self) -> Duration {
        self.timeout
            .map(Duration::from_secs_f64)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}

/// The bundled demo snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoScenario {
    /// An MWAA VPC with several realistic problems
    Troubled,
    /// A correctly built MWAA private-routing VPC
    Healthy,
    /// A spoke VPC using endpoints centralised in a hub VPC through private hosted zones
    Spoke,
    /// A new environment that ended in CREATE_FAILED, for a guided setup audit
    Setup,
}

/// Options of `linkscope audit`.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// The report formats of `linkscope audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text, colored on a terminal
    Text,
    /// JSON (`linkscope.audit/v1`)
    Json,
    /// Markdown, for pasting into a ticket
    Markdown,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// The severity threshold of `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on error findings only
    Error,
    /// Exit 1 on warn and error findings
    Warn,
}

/// Options of `linkscope probe`. The Region is the global `--region`, else `AWS_REGION`.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    /// Probe the private DNS names of the ten services MWAA needs (the default)
    #[arg(long, conflicts_with = "services")]
    pub mwaa: bool,
    /// Probe these services instead (`s3,monitoring,ecr.api,…`)
    #[arg(long, value_delimiter = ',', value_name = "S1,S2")]
    pub services: Vec<String>,
    /// Also probe these names
    #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
    pub names: Vec<String>,
    /// Also ask this DNS server directly (the VPC resolver is the VPC CIDR base + 2)
    #[arg(long, value_name = "IP[:PORT]", value_parser = dns_server)]
    pub dns_server: Option<SocketAddr>,
    /// Ask only --dns-server, not the system resolver
    #[arg(long, requires = "dns_server")]
    pub no_system_resolver: bool,
    /// Resolve only; make no connection (TCP and TLS are reported as skipped)
    #[arg(long)]
    pub dns_only: bool,
    /// The port to connect to
    #[arg(long, default_value_t = 443, value_parser = clap::value_parser!(u16).range(1..))]
    pub port: u16,
    /// Extra trusted roots (PEM), such as an inspecting proxy's CA; what verifies only
    /// through them is reported as inspected
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Check certificates against these roots (PEM) instead of the bundled WebPKI roots, for
    /// hosts whose policy pins the public roots; the report records it
    #[arg(long, value_name = "PEM")]
    pub public_roots: Option<PathBuf>,
    /// Send an HTTPS HEAD / over each verified connection
    #[arg(long, conflicts_with = "dns_only")]
    pub http: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = ProbeFormat::Text)]
    pub format: ProbeFormat,
    /// Write the report to this file instead of stdout (`-` for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of `linkscope probe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeFormat {
    /// Plain text
    Text,
    /// JSON, for `linkscope audit --probe` (the README documents the shape)
    Json,
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`; port 53 when none is given.
fn dns_server(value: &str) -> Result<SocketAddr, String> {
    if let Ok(address) = value.parse::<SocketAddr>() {
        return match address.port() {
            0 => Err("port 0 is not a DNS server's port".into()),
            _ => Ok(address),
        };
    }
    match value.parse::<IpAddr>() {
        Ok(ip) => Ok(SocketAddr::new(ip, 53)),
        Err(_) => {
            Err("expected an IP address, optionally with :PORT (10.0.0.2, 10.0.0.2:53)".into())
        }
    }
}

/// Options of `linkscope diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The older snapshot
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer snapshot
    #[arg(value_name = "NEW", required_unless_present = "live")]
    pub new: Option<PathBuf>,
    /// Compare OLD with the VPC as it is now (the usual AWS flags; OLD's VPC and Region by default)
    #[arg(long, conflicts_with = "new")]
    pub live: bool,
    /// Compare snapshots of two different VPCs
    #[arg(long)]
    pub allow_different_vpcs: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the report to this file instead of stdout (`-` for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of `linkscope diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text
    Text,
    /// JSON (`linkscope.diff/v1`)
    Json,
    /// Markdown, for a ticket or a pull request
    Markdown,
}

/// Options of `linkscope merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// `linkscope audit --format json` reports (`linkscope.audit/v1` or `linkscope.fleet/v1`)
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// Options of `linkscope snapshot`.
#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (`-` for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// `90m`, `24h` or `7d`: a window of at most 90 days (CloudTrail's event history).
fn window(value: &str) -> Result<Duration, String> {
    let expected = "expected a window like 90m, 24h or 7d (at most 90d)";
    let value = value.trim();
    let (number, unit) = value.split_at(value.len().saturating_sub(1));
    let seconds = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(expected.into()),
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && n * seconds <= 90 * 86_400 => Ok(Duration::from_secs(n * seconds)),
        _ => Err(expected.into()),
    }
}

/// A Region name (`eu-west-1`, `us-gov-west-1`) or `all`.
fn region_name(value: &str) -> Result<String, String> {
    let valid = value == "all"
        || (value.contains('-')
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    match valid {
        true => Ok(value.to_string()),
        false => Err("expected Region names like us-east-1,eu-west-1, or all".into()),
    }
}

/// A 12-digit AWS account id.
fn account_id(value: &str) -> Result<String, String> {
    match value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        true => Ok(value.to_string()),
        false => Err("expected 12-digit account ids like 111111111111".into()),
    }
}

fn positive_seconds(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        _ => Err("expected a number of seconds between 0 and 3600".into()),
    }
}

/// A value parser accepting AWS ids of one kind (`vpc-0abc…`), lower-case hex after the prefix.
fn id_parser(kind: &'static str) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |value: &str| {
        let valid = value
            .strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()));
        if valid {
            Ok(value.to_string())
        } else {
            Err(format!("expected an id like {kind}-0123456789abcdef0"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "linkscope",
            "audit",
            "--vpc",
            "vpc-0abc",
            "--subnets",
            "subnet-1,subnet-2",
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(cli.global.vpc.as_deref(), Some("vpc-0abc"));
        assert_eq!(cli.global.subnets, ["subnet-1", "subnet-2"]);
        assert!(matches!(
            cli.command,
            Some(Command::Audit(AuditArgs {
                format: Format::Json,
                ..
            }))
        ));
    }

    #[test]
    fn demo_defaults_to_the_troubled_scenario() {
        let cli = Cli::try_parse_from(["linkscope", "--demo"]).unwrap();
        assert_eq!(cli.global.demo, Some(DemoScenario::Troubled));
        let cli = Cli::try_parse_from(["linkscope", "--demo=healthy", "audit"]).unwrap();
        assert_eq!(cli.global.demo, Some(DemoScenario::Healthy));
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for args in [
            ["--vpc", "vpc-xyz"],
            ["--vpc", "subnet-0abc"],
            ["--subnets", "sub-1"],
        ] {
            let mut argv = vec!["linkscope"];
            argv.extend(args);
            assert!(Cli::try_parse_from(argv).is_err(), "{args:?}");
        }
    }
}
