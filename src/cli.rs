//! The command line: the dashboard (`linkscope [OPTIONS]`), `audit`, `snapshot`, `probe`,
//! `diff`, `merge` and `completions`, each with only the options that apply to it, in groups
//! (AWS, target, offline, fleet) that the commands share. The same definition gives `--help`,
//! the shell completions and the man page (`cargo xtask man`).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::aws::DEFAULT_TIMEOUT;
use crate::aws::rates::Override;

/// Terminal dashboard and audit for AWS PrivateLink and Amazon MWAA private networking.
///
/// Read-only: linkscope calls only Describe*, Get* and List* APIs.
#[derive(Debug, Parser)]
#[command(
    name = "linkscope",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = "Each command takes its own options, after its name: `linkscope audit --demo`, `linkscope probe --help`."
)]
pub struct Cli {
    /// The command; without one, the dashboard (or the inventory when not on a terminal).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The dashboard's options.
    #[command(flatten)]
    pub dashboard: DashboardArgs,
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
    /// Print the shell completion script for bash, zsh, fish or powershell
    Completions(CompletionsArgs),
}

/// The whole command line as clap defines it: for `--help`, the completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// How to reach AWS.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsArgs {
    /// Named profile from ~/.aws/config (SSO profiles included)
    #[arg(long, env = "AWS_PROFILE", value_name = "P")]
    pub profile: Option<String>,
    /// AWS Region (default: the profile's, or AWS_REGION)
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Endpoint URL for every AWS service (also read from AWS_ENDPOINT_URL)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Longest time one AWS API call may take, retries included [default: 30] (seconds)
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,
    /// Print each AWS error's full SDK dump (raw response included) to stderr; not in the dashboard
    #[arg(long, short)]
    pub verbose: bool,
}

/// What to inspect.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Target")]
pub struct TargetArgs {
    /// The VPC to inspect
    #[arg(long, value_name = "VPC_ID", value_parser = id_parser("vpc"))]
    pub vpc: Option<String>,
    /// Amazon MWAA environment: its VPC, subnets and security groups become the workload
    #[arg(long, value_name = "NAME")]
    pub mwaa_env: Option<String>,
    /// The workload's subnets, when there is no environment
    #[arg(long, value_delimiter = ',', value_name = "S1,S2", value_parser = id_parser("subnet"))]
    pub subnets: Vec<String>,
    /// The workload's security groups, when there is no environment
    #[arg(long, value_delimiter = ',', value_name = "SG1,SG2", value_parser = id_parser("sg"))]
    pub security_groups: Vec<String>,
}

/// Where the snapshot comes from, when not from live AWS.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Offline")]
pub struct SourceArgs {
    /// Read a snapshot file instead of calling AWS
    #[arg(long, value_name = "FILE", conflicts_with = "demo")]
    pub snapshot: Option<PathBuf>,
    /// Use a bundled demo snapshot (`--demo` is the troubled one; `--demo=SCENARIO`)
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "troubled",
        value_name = "SCENARIO"
    )]
    pub demo: Option<DemoScenario>,
}

/// A fleet run: many environments, Regions or accounts.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Fleet")]
pub struct FleetArgs {
    /// Audit every MWAA environment (ListEnvironments) in each Region of the run
    #[arg(long, conflicts_with_all = ["vpc", "mwaa_env", "subnets", "security_groups"])]
    pub all_envs: bool,
    /// Audit in each of these Regions, or in `all` the Regions enabled for the account
    #[arg(long, value_delimiter = ',', value_name = "R1,R2|all", value_parser = region_name)]
    pub regions: Vec<String>,
    /// Audit with each of these named profiles
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "P1,P2",
        conflicts_with = "accounts"
    )]
    pub profiles: Vec<String>,
    /// The role to assume in each of --accounts; `{account}` stands for the account id
    #[arg(long, value_name = "ARN", requires = "accounts")]
    pub role_arn: Option<String>,
    /// Audit these accounts through --role-arn (sts:AssumeRole, read-only session policy)
    #[arg(long, value_delimiter = ',', value_name = "ID1,ID2", requires = "role_arn", value_parser = account_id)]
    pub accounts: Vec<String>,
    /// Keep a service's calls to this rate instead of AWS's documented limit (ec2, route53,
    /// cloudwatch, cloudtrail, sts); one target keeps only to those given (and CloudTrail's)
    #[arg(long, value_delimiter = ',', value_name = "SERVICE=PER_SECOND[/BURST]")]
    pub rate: Vec<Override>,
}

/// Options of the dashboard (`linkscope` without a command).
#[derive(Debug, Clone, Default, Args)]
pub struct DashboardArgs {
    /// How to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// What to inspect.
    #[command(flatten)]
    pub target: TargetArgs,
    /// A snapshot file or a demo instead of AWS.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Fold the evidence of `linkscope probe --format json` files into the checklist
    #[arg(long, value_name = "FILE")]
    pub probe: Vec<PathBuf>,
    /// Mark the rows changed since this snapshot (∆ column, filter `:changed`)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Read the CloudTrail changes of this window (`90m`, `24h`, `7d`; at most 90 days) on the
    /// resources in scope: a Changes tab (cloudtrail:LookupEvents; live AWS only)
    #[arg(long, value_name = "WINDOW", value_parser = window)]
    pub changes: Option<Duration>,
    /// Many targets: the Fleet screen.
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// What the commands read of their options, in one place: where the data comes from and what
/// to inspect. An option a command does not take is left empty.
#[derive(Debug, Clone, Default)]
pub struct GlobalArgs {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--timeout`, in seconds.
    pub timeout: Option<f64>,
    /// `--verbose`.
    pub verbose: bool,
    /// `--vpc`.
    pub vpc: Option<String>,
    /// `--mwaa-env`.
    pub mwaa_env: Option<String>,
    /// `--subnets`.
    pub subnets: Vec<String>,
    /// `--security-groups`.
    pub security_groups: Vec<String>,
    /// `--snapshot`.
    pub snapshot: Option<PathBuf>,
    /// `--demo`.
    pub demo: Option<DemoScenario>,
    /// `--probe`.
    pub probe: Vec<PathBuf>,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--changes`.
    pub changes: Option<Duration>,
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
    /// `--rate`.
    pub rates: Vec<Override>,
}

impl GlobalArgs {
    /// The AWS API call timeout.
    pub fn aws_timeout(&self) -> Duration {
        self.timeout
            .map(Duration::from_secs_f64)
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    /// The options of a command that reads AWS: how to reach it and what to inspect.
    fn live(aws: &AwsArgs, target: &TargetArgs) -> Self {
        Self {
            profile: aws.profile.clone(),
            region: aws.region.clone(),
            endpoint_url: aws.endpoint_url.clone(),
            timeout: aws.timeout,
            verbose: aws.verbose,
            vpc: target.vpc.clone(),
            mwaa_env: target.mwaa_env.clone(),
            subnets: target.subnets.clone(),
            security_groups: target.security_groups.clone(),
            ..Self::default()
        }
    }

    /// With a snapshot file or a demo.
    fn source(mut self, source: &SourceArgs) -> Self {
        self.snapshot = source.snapshot.clone();
        self.demo = source.demo;
        self
    }

    /// With a fleet's options.
    fn fleet(mut self, fleet: &FleetArgs) -> Self {
        self.all_envs = fleet.all_envs;
        self.regions = fleet.regions.clone();
        self.profiles = fleet.profiles.clone();
        self.role_arn = fleet.role_arn.clone();
        self.accounts = fleet.accounts.clone();
        self.rates = fleet.rate.clone();
        self
    }
}

impl Cli {
    /// The options of the command (or of the dashboard), as [`GlobalArgs`].
    pub fn global(&self) -> GlobalArgs {
        match &self.command {
            None => {
                let d = &self.dashboard;
                GlobalArgs {
                    probe: d.probe.clone(),
                    baseline: d.baseline.clone(),
                    changes: d.changes,
                    ..GlobalArgs::live(&d.aws, &d.target)
                        .source(&d.source)
                        .fleet(&d.fleet)
                }
            }
            Some(Command::Audit(a)) => GlobalArgs {
                probe: a.probe.clone(),
                changes: a.changes,
                ..GlobalArgs::live(&a.aws, &a.target)
                    .source(&a.source)
                    .fleet(&a.fleet)
            },
            Some(Command::Snapshot(s)) => GlobalArgs {
                changes: s.changes,
                ..GlobalArgs::live(&s.aws, &s.target).source(&s.source)
            },
            Some(Command::Diff(d)) => GlobalArgs::live(&d.aws, &d.target),
            Some(Command::Probe(_) | Command::Merge(_) | Command::Completions(_)) => {
                GlobalArgs::default()
            }
        }
    }
}

/// Parses the command line: clap's checks, then [`inapplicable`]. A refused flag is a clap
/// error (exit code 2, like every other bad flag).
pub fn parse<I, T>(argv: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut command = Cli::command();
    let matches = command.try_get_matches_from_mut(argv)?;
    if let Some(message) = inapplicable(&matches) {
        return Err(command.error(clap::error::ErrorKind::ArgumentConflict, message));
    }
    Cli::from_arg_matches(&matches)
}

/// The options that read live AWS, by argument id and flag.
const LIVE_ONLY: [(&str, &str); 11] = [
    ("profile", "--profile"),
    ("region", "--region"),
    ("endpoint_url", "--endpoint-url"),
    ("timeout", "--timeout"),
    ("verbose", "--verbose"),
    ("vpc", "--vpc"),
    ("mwaa_env", "--mwaa-env"),
    ("subnets", "--subnets"),
    ("security_groups", "--security-groups"),
    ("changes", "--changes"),
    ("rate", "--rate"),
];

/// Why an option given on the command line does not apply, when one does not: the options of
/// live AWS with `--demo` or `--snapshot` (which read none), and with `diff` without `--live`.
/// Options set from the environment (`AWS_PROFILE`) are not the user's to answer for.
fn inapplicable(matches: &ArgMatches) -> Option<String> {
    let given = |m: &ArgMatches, id: &str| {
        m.ids().any(|i| i.as_str() == id)
            && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
    };
    let (name, m) = match matches.subcommand() {
        None => ("the dashboard", matches),
        Some((name @ ("audit" | "snapshot"), m)) => (name, m),
        Some(("diff", m)) => {
            let live = m.get_flag("live");
            let flag = LIVE_ONLY.iter().find(|(id, _)| !live && given(m, id))?;
            return Some(format!(
                "{} applies to `diff --live`: comparing two files reads no AWS",
                flag.1
            ));
        }
        Some(_) => return None,
    };
    let offline = ["snapshot", "demo"].into_iter().find(|id| given(m, id))?;
    let flag = LIVE_ONLY.iter().find(|(id, _)| given(m, id))?;
    let what = match flag.0 {
        "changes" => "CloudTrail is read live; a snapshot keeps the changes captured with it",
        _ => "it reads no AWS",
    };
    Some(format!(
        "{} does not apply to {name} with --{offline}: {what}",
        flag.1
    ))
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
    /// Fold the evidence of `linkscope probe --format json` files into the checklist
    #[arg(long, value_name = "FILE")]
    pub probe: Vec<PathBuf>,
    /// Read the CloudTrail changes of this window (`90m`, `24h`, `7d`; at most 90 days) on the
    /// resources in scope into a Changes section (cloudtrail:LookupEvents; live AWS only)
    #[arg(long, value_name = "WINDOW", value_parser = window)]
    pub changes: Option<Duration>,
    /// How to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// What to inspect.
    #[command(flatten)]
    pub target: TargetArgs,
    /// A snapshot file or a demo instead of AWS.
    #[command(flatten)]
    pub source: SourceArgs,
    /// Many targets: one report.
    #[command(flatten)]
    pub fleet: FleetArgs,
}

impl AuditArgs {
    /// A text report failing on errors, with no other option: what the dashboard prints
    /// when it is not on a terminal.
    pub fn text() -> Self {
        Self {
            format: Format::Text,
            fail_on: FailOn::Error,
            probe: Vec::new(),
            changes: None,
            aws: AwsArgs::default(),
            target: TargetArgs::default(),
            source: SourceArgs::default(),
            fleet: FleetArgs::default(),
        }
    }
}

/// The report formats of `linkscope audit` and `linkscope merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text, colored on a terminal
    Text,
    /// JSON: `linkscope.audit/v1` for one target, `linkscope.fleet/v1` for a fleet or `merge`
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

/// Options of `linkscope probe`. It calls no AWS API: the Region only names the services.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    /// The Region of the service names (default: AWS_REGION)
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Longest time each lookup, connection and handshake may take [default: 3] (seconds)
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub timeout: Option<f64>,
    /// Probe the private DNS names of the ten services MWAA needs (the default)
    #[arg(long, conflicts_with = "services")]
    pub mwaa: bool,
    /// Probe these services instead (`s3,monitoring,ecr.api,…`)
    #[arg(long, value_delimiter = ',', value_name = "S1,S2")]
    pub services: Vec<String>,
    /// Also probe these names (`git.example.com`, `localhost`)
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
    /// JSON, for `linkscope audit --probe` (docs/probe.md documents the shape)
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
    /// Compare OLD with the VPC as it is now (the AWS and target options; OLD's VPC and Region by default)
    #[arg(long, conflicts_with = "new")]
    pub live: bool,
    /// Compare snapshots of two different VPCs
    #[arg(long)]
    pub allow_different_vpcs: bool,
    /// With --live: how to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// With --live: what to inspect (OLD's VPC or environment by default).
    #[command(flatten)]
    pub target: TargetArgs,
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
    /// `linkscope audit --format json` reports, each `linkscope.audit/v1` (one target) or
    /// `linkscope.fleet/v1` (a fleet, or a merge)
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<PathBuf>,
    /// Report format (JSON is `linkscope.fleet/v1`)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// Options of `linkscope completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `linkscope completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash (save as ~/.local/share/bash-completion/completions/linkscope)
    Bash,
    /// Zsh (save as _linkscope in a directory of $fpath)
    Zsh,
    /// Fish (save as ~/.config/fish/completions/linkscope.fish)
    Fish,
    /// PowerShell (add to $PROFILE)
    Powershell,
}

/// Options of `linkscope snapshot`.
#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (`-` for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Read the CloudTrail changes of this window (`90m`, `24h`, `7d`; at most 90 days) on the
    /// resources in scope into the snapshot (cloudtrail:LookupEvents; live AWS only)
    #[arg(long, value_name = "WINDOW", value_parser = window)]
    pub changes: Option<Duration>,
    /// How to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// What to inspect.
    #[command(flatten)]
    pub target: TargetArgs,
    /// A snapshot file or a demo instead of AWS (to write it again).
    #[command(flatten)]
    pub source: SourceArgs,
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

/// A number of seconds above 0 and at most an hour (`0.5`, `30`).
fn positive_seconds(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        _ => Err("expected a number of seconds above 0 and at most 3600, like 0.5 or 30".into()),
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

    fn parsed(argv: &[&str]) -> Result<Cli, clap::Error> {
        parse(std::iter::once("linkscope").chain(argv.iter().copied()))
    }

    /// The long flags a command's `--help` lists.
    fn flags(path: &[&str]) -> Vec<String> {
        let mut command = Cli::command();
        command.build();
        let mut current = &command;
        for name in path {
            current = current.find_subcommand(name).unwrap();
        }
        current
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect()
    }

    #[test]
    fn the_command_line_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_follow_their_command() {
        let cli = parsed(&[
            "audit",
            "--vpc",
            "vpc-0abc",
            "--subnets",
            "subnet-1,subnet-2",
            "--format",
            "json",
        ])
        .unwrap();
        let global = cli.global();
        assert_eq!(global.vpc.as_deref(), Some("vpc-0abc"));
        assert_eq!(global.subnets, ["subnet-1", "subnet-2"]);
        assert!(matches!(
            cli.command,
            Some(Command::Audit(AuditArgs {
                format: Format::Json,
                ..
            }))
        ));
        let error = parsed(&["--vpc", "vpc-0abc", "audit"]).unwrap_err();
        assert_eq!(error.exit_code(), 2, "the dashboard's options are its own");
    }

    #[test]
    fn demo_defaults_to_the_troubled_scenario() {
        let cli = parsed(&["--demo"]).unwrap();
        assert_eq!(cli.global().demo, Some(DemoScenario::Troubled));
        let cli = parsed(&["audit", "--demo=healthy"]).unwrap();
        assert_eq!(cli.global().demo, Some(DemoScenario::Healthy));
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for args in [
            ["--vpc", "vpc-xyz"],
            ["--vpc", "subnet-0abc"],
            ["--subnets", "sub-1"],
        ] {
            let mut argv = vec!["audit"];
            argv.extend(args);
            assert!(parsed(&argv).is_err(), "{args:?}");
        }
    }

    #[test]
    fn each_help_lists_only_the_options_of_its_command() {
        let probe = flags(&["probe"]);
        for absent in [
            "--demo",
            "--all-envs",
            "--role-arn",
            "--profile",
            "--vpc",
            "--endpoint-url",
        ] {
            assert!(!probe.contains(&absent.to_string()), "probe: {absent}");
        }
        for present in ["--region", "--timeout", "--names", "--dns-server"] {
            assert!(probe.contains(&present.to_string()), "probe: {present}");
        }
        let merge = flags(&["merge"]);
        for absent in ["--vpc", "--demo", "--region", "--changes", "--baseline"] {
            assert!(!merge.contains(&absent.to_string()), "merge: {absent}");
        }
        let audit = flags(&["audit"]);
        assert!(!audit.contains(&"--baseline".to_string()));
        assert!(audit.contains(&"--all-envs".to_string()));
        let snapshot = flags(&["snapshot"]);
        assert!(!snapshot.contains(&"--all-envs".to_string()));
        assert!(!snapshot.contains(&"--probe".to_string()));
        let dashboard = flags(&[]);
        assert!(dashboard.contains(&"--baseline".to_string()));
        assert!(!dashboard.contains(&"--format".to_string()));
        let help = Cli::command()
            .find_subcommand_mut("merge")
            .unwrap()
            .render_help()
            .to_string();
        assert!(help.contains("linkscope.fleet/v1"), "{help}");
    }

    #[test]
    fn options_that_do_not_apply_are_refused() {
        for argv in [
            &["merge", "r.json", "--vpc", "vpc-123", "--demo"][..],
            &["audit", "--baseline", "b.json"],
            &["audit", "--demo", "--changes", "24h"],
            &["--demo", "--changes", "24h"],
            &["audit", "--snapshot", "s.json", "--region", "eu-west-1"],
            &["snapshot", "-o", "x.json", "--demo", "--vpc", "vpc-1"],
            &["diff", "a.json", "b.json", "--endpoint-url", "http://x"],
            &["probe", "--region", "us-east-1", "--demo"],
            &["probe", "--profile", "p"],
            &["snapshot", "-o", "x.json", "--all-envs"],
            &["--region", "us-east-1", "audit"],
        ] {
            let error = parsed(argv).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{argv:?}");
        }
        let message = parsed(&["audit", "--demo", "--changes", "24h"])
            .unwrap_err()
            .to_string();
        assert!(message.contains("--changes does not apply"), "{message}");
        for argv in [
            &["audit", "--demo", "--probe", "p.json", "--format", "json"][..],
            &[
                "audit",
                "--region",
                "us-east-1",
                "--vpc",
                "vpc-1",
                "--changes",
                "7d",
            ],
            &["diff", "a.json", "--live", "--endpoint-url", "http://x"],
            &["probe", "--region", "us-east-1", "--timeout", "0.5"],
            &["merge", "a.json", "b.json", "--format", "sarif"],
        ] {
            assert!(parsed(argv).is_ok(), "{argv:?}");
        }
    }

    #[test]
    fn timeouts_say_what_they_accept() {
        let error = positive_seconds("0").unwrap_err();
        assert!(error.contains("above 0"), "{error}");
        assert!(positive_seconds("3600").is_ok() && positive_seconds("3600.5").is_err());
    }
}
