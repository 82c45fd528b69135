//! Faults, denials and stalls through the proxy in front of moto; the read-only guarantee.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use linkscope::app::{Action, App, Tab, update};
use linkscope::aws::{ConnectOptions, Target};
use linkscope::input::Input;
use linkscope::runtime::worker::Worker;
use serde_json::Value;

use crate::cli::{run, scratch};
use crate::cloudtrail::MOCKED_ONLY_CALLS;
use crate::live_hub::HUB_ONLY_CALLS;
use crate::moto::{self, REGION, Seeded};
use crate::proxy::{Config, Fault, Proxy};

struct Run {
    code: i32,
    report: Value,
    stderr: String,
    elapsed: Duration,
}

fn audit(url: &str, seeded: &Seeded, extra: &[&str]) -> Run {
    let subnets = seeded.subnets.join(",");
    let mut args = vec![
        "audit",
        "--endpoint-url",
        url,
        "--region",
        REGION,
        "--vpc",
        &seeded.vpc_id,
        "--subnets",
        &subnets,
        "--security-groups",
        &seeded.env_group,
        "--format",
        "json",
    ];
    args.extend(extra);
    let started = Instant::now();
    let output = run(&args, true);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    Run {
        code: output.status.code().unwrap(),
        report: serde_json::from_slice(&output.stdout).unwrap_or(Value::Null),
        stderr,
        elapsed: started.elapsed(),
    }
}

/// `id → (status, resources)` of a report, ignoring details that quote live counts.
fn outcome(report: &Value) -> BTreeSet<(String, String, String)> {
    report["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("not a report: {report}"))
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
                c["resources"].to_string(),
            )
        })
        .collect()
}

fn status_of<'a>(report: &'a Value, id: &str) -> Vec<&'a str> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap())
        .collect()
}

fn denied(action: &str) -> Config {
    Config {
        by_action: HashMap::from([(action.to_string(), Fault::Deny)]),
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_thirty_percent_faults_change_nothing() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.41").await;
    let clean = Proxy::start(&moto::url(), Config::default()).await;
    let baseline = audit(&clean.url, &seeded, &[]);
    assert_eq!(baseline.code, 0, "{}", baseline.stderr);

    let faults = vec![
        Fault::Throttle,
        Fault::Status(500),
        Fault::Status(503),
        Fault::Reset,
    ];
    let flaky = Proxy::start(
        &moto::url(),
        Config {
            rate: Some((30, faults)),
            ..Config::default()
        },
    )
    .await;
    let faulty = audit(&flaky.url, &seeded, &[]);
    let injected = flaky.records().iter().filter(|r| r.fault.is_some()).count();
    assert!(injected >= 3, "{injected} faults injected");
    assert_eq!(faulty.code, 0, "{}", faulty.stderr);
    assert!(
        faulty.stderr.is_empty(),
        "no source failed: {}",
        faulty.stderr
    );
    assert_eq!(outcome(&faulty.report), outcome(&baseline.report));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_cloudwatch_denied_leaves_metric_rules_unknown_and_the_rest_intact() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.42").await;
    let baseline = audit(
        &Proxy::start(&moto::url(), Config::default()).await.url,
        &seeded,
        &[],
    );
    let proxy = Proxy::start(&moto::url(), denied("GetMetricData")).await;
    let result = audit(&proxy.url, &seeded, &[]);
    assert_eq!(
        result.code, 0,
        "no failure at error severity: {}",
        result.stderr
    );
    assert!(
        result
            .stderr
            .contains("partial data: cloudwatch:GetMetricData failed: AccessDenied"),
        "{}",
        result.stderr
    );
    assert_eq!(result.report["partial"], true);
    for id in [
        "metric-packets-dropped-rising",
        "metric-rst-received-rising",
        "metric-no-datapoints",
    ] {
        assert_eq!(status_of(&result.report, id), ["unknown"], "{id}");
    }
    let others = |report: &Value| {
        outcome(report)
            .into_iter()
            .filter(|(id, ..)| !id.starts_with("metric-"))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(others(&result.report), others(&baseline.report));
}

/// Without Resolver rules nobody can say where a name goes, so the endpoint rows say unknown
/// and why (a rule could forward the name anywhere); the endpoints' own checks still pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_resolver_rules_denied_leave_names_unknown_with_the_reason() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.46").await;
    let proxy = Proxy::start(&moto::url(), denied("ListResolverRules")).await;
    let result = audit(&proxy.url, &seeded, &[]);
    assert!(
        result
            .stderr
            .contains("route53resolver:ListResolverRules failed: AccessDenied"),
        "{}",
        result.stderr
    );
    assert_eq!(result.report["partial"], true);
    let sqs = result.report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "mwaa.endpoint.sqs")
        .unwrap();
    assert_eq!(sqs["status"], "unknown");
    let detail = sqs["detail"].as_str().unwrap();
    assert!(
        detail.contains("where its name leads is unknown")
            && detail.contains("route53resolver:ListResolverRules"),
        "{detail}"
    );
    assert_eq!(
        status_of(&result.report, "dns-resolver-rule-overrides"),
        ["unknown"]
    );
    assert_eq!(status_of(&result.report, "vpce-private-dns-off"), ["pass"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_network_acls_denied_are_unknown_not_pass() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.43").await;
    let proxy = Proxy::start(&moto::url(), denied("DescribeNetworkAcls")).await;
    let result = audit(&proxy.url, &seeded, &[]);
    assert!(
        result
            .stderr
            .contains("ec2:DescribeNetworkAcls failed: UnauthorizedOperation"),
        "{}",
        result.stderr
    );
    assert_eq!(
        status_of(&result.report, "nacl-blocks-endpoint-traffic"),
        ["unknown"]
    );
    assert_eq!(
        status_of(&result.report, "nacl-blocks-s3-gateway"),
        ["unknown"]
    );
    // An endpoint's row rests on the way there, network ACLs included: unknown, with why.
    let sqs = result.report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "mwaa.endpoint.sqs")
        .unwrap();
    assert_eq!(sqs["status"], "unknown", "{sqs:#}");
    assert!(
        sqs["detail"]
            .as_str()
            .unwrap()
            .contains("ec2:DescribeNetworkAcls failed"),
        "{sqs:#}"
    );
    assert_eq!(
        status_of(&result.report, "vpce-sg-no-https-inbound"),
        ["pass"],
        "the rest is evaluated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_stalled_response_ends_within_the_timeout() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.44").await;
    let stall = Config {
        by_action: HashMap::from([(
            "DescribeVpcs".to_string(),
            Fault::Stall(Duration::from_secs(60)),
        )]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), stall).await;
    let result = audit(&proxy.url, &seeded, &["--timeout", "2"]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert!(
        result.elapsed < Duration::from_secs(6),
        "took {:?}",
        result.elapsed
    );
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("ec2:DescribeVpcs failed: Timeout"),
        "{}",
        result.stderr
    );

    // A stall on a non-core source leaves a partial report instead.
    let stall = Config {
        by_action: HashMap::from([(
            "GetMetricData".to_string(),
            Fault::Stall(Duration::from_secs(60)),
        )]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), stall).await;
    let result = audit(&proxy.url, &seeded, &["--timeout", "2"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.elapsed < Duration::from_secs(6),
        "took {:?}",
        result.elapsed
    );
    assert_eq!(
        status_of(&result.report, "metric-no-datapoints"),
        ["unknown"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_an_unparsable_response_is_one_short_line_and_verbose_has_the_dump() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.45").await;
    let garbage = Config {
        by_action: HashMap::from([("DescribeVpcs".to_string(), Fault::Garbage)]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), garbage).await;
    let result = audit(&proxy.url, &seeded, &[]);
    assert_eq!(result.code, 3, "{}", result.stderr);
    assert_eq!(result.stderr.lines().count(), 1, "{}", result.stderr);
    assert!(result.stderr.len() < 400, "{}", result.stderr);
    assert!(
        result
            .stderr
            .starts_with("linkscope: error: ec2:DescribeVpcs failed: "),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("Response {"), "{}", result.stderr);

    let verbose = audit(&proxy.url, &seeded, &["--verbose"]);
    assert_eq!(verbose.code, 3);
    assert!(verbose.stderr.contains("Response {"), "{}", verbose.stderr);
    assert!(
        verbose
            .stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("linkscope: error: ec2:DescribeVpcs failed: "),
        "{}",
        verbose.stderr
    );
}

fn live_input(url: &str, target: Target) -> Input {
    Input::Live {
        connect: ConnectOptions {
            region: Some(REGION.into()),
            endpoint_url: Some(url.into()),
            ..ConnectOptions::default()
        },
        target,
    }
}

/// One dashboard fetch through the worker, as the event loop does it.
async fn dashboard_refresh(input: Input) -> App {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::new(input, Vec::new(), tx);
    let mut app = App {
        live: true,
        ..App::default()
    };
    for command in app.start() {
        worker.execute(command);
    }
    let action = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .unwrap()
        .unwrap();
    update(&mut app, action);
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_dashboard_shows_a_denied_source_in_its_pane() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.45").await;
    let proxy = Proxy::start(&moto::url(), denied("GetMetricData")).await;
    let mut app = dashboard_refresh(live_input(
        &proxy.url,
        Target {
            vpc_id: Some(seeded.vpc_id.clone()),
            ..Target::default()
        },
    ))
    .await;
    assert_eq!(app.error, None, "the snapshot loaded");
    update(&mut app, Action::SelectTab(Tab::named("Metrics").unwrap()));
    update(&mut app, Action::Down);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| linkscope::ui::render(&app, f, &linkscope::ui::Theme::color()))
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("metrics unavailable: AccessDenied"),
        "{screen}"
    );
    update(
        &mut app,
        Action::SelectTab(Tab::named("Endpoints").unwrap()),
    );
    terminal
        .draw(|f| linkscope::ui::render(&app, f, &linkscope::ui::Theme::color()))
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("Endpoints (10)"), "the other panes work");
}

/// The IAM actions of the README's least-privilege policy.
pub(crate) fn readme_policy() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### Least-privilege IAM policy")
        .nth(1)
        .unwrap();
    let json = section
        .split("```json")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let policy: Value = serde_json::from_str(json).unwrap();
    policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// Whether an API action only reads: `Describe*`, `Get*`, `List*`, `Lookup*`, `Search*`.
pub(crate) fn read_only(action: &str) -> bool {
    let name = action.split(':').nth(1).unwrap_or_default();
    ["Describe", "Get", "List", "Lookup", "Search"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Calls only a fleet run makes (`--all-envs`); the live tests of `fleet.rs` record them
/// through their own proxy and check them against the README policy.
const FLEET_ONLY_CALLS: &[&str] = &[
    "airflow:ListEnvironments",
    "route53:ListHostedZones",
    "route53:GetHostedZone",
];

/// The calls moto cannot serve are in the README policy and read-only; the mocked tests of
/// `cloudtrail.rs` make them, and the live test below counts them as made.
#[test]
fn readme_policy_grants_the_calls_only_mocked_tests_make() {
    let policy = readme_policy();
    for action in MOCKED_ONLY_CALLS
        .iter()
        .chain(FLEET_ONLY_CALLS)
        .chain(HUB_ONLY_CALLS)
    {
        assert!(read_only(action), "{action} is not read-only");
        assert!(
            policy.iter().any(|p| p == action),
            "README policy misses {action}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_every_call_is_read_only_and_the_readme_policy_covers_exactly_them() {
    let clients = moto::clients().await;
    let mut seeded = moto::seed_mwaa_vpc(&clients, "10.46").await;
    // A private zone for names in scope makes linkscope read its records too.
    moto::seed_dns(&clients, &mut seeded).await;
    // A role (with inline and managed policies), a bucket and a key make the IAM, S3 and KMS
    // reads.
    let access = crate::live_access::seed_access(&clients, "airflow-ro").await;
    let environment = serde_json::json!({"Environment": {
        "Name": "airflow-ro", "Status": "AVAILABLE",
        "SourceBucketArn": format!("arn:aws:s3:::{}", access.bucket),
        "ExecutionRoleArn": access.role_arn, "KmsKey": access.key_arn,
        "WebserverAccessMode": "PRIVATE_ONLY",
        "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}
    }});
    let config = Config {
        canned: HashMap::from([("GetEnvironment".to_string(), environment.to_string())]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let file = scratch("read_only").join("snap.json");
    let snapshot = run(
        &[
            "snapshot",
            "--endpoint-url",
            &proxy.url,
            "--region",
            REGION,
            "--vpc",
            &seeded.vpc_id,
            "-o",
            file.to_str().unwrap(),
        ],
        true,
    );
    assert!(
        snapshot.status.success(),
        "{}",
        String::from_utf8_lossy(&snapshot.stderr)
    );
    let audit = run(
        &[
            "audit",
            "--endpoint-url",
            &proxy.url,
            "--region",
            REGION,
            "--mwaa-env",
            "airflow-ro",
        ],
        true,
    );
    assert!(
        audit.status.code() == Some(0) || audit.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&audit.stderr)
    );
    let app = dashboard_refresh(live_input(
        &proxy.url,
        Target {
            vpc_id: Some(seeded.vpc_id.clone()),
            ..Target::default()
        },
    ))
    .await;
    assert_eq!(app.error, None);

    // SigV4 signing names to IAM prefixes: CloudWatch signs as `monitoring`.
    let recorded: BTreeSet<String> = proxy
        .actions()
        .into_iter()
        .map(|a| a.replacen("monitoring:", "cloudwatch:", 1))
        .collect();
    for action in &recorded {
        assert!(read_only(action), "{action} is not read-only");
    }
    assert!(
        recorded.contains("airflow:GetEnvironment")
            && recorded.contains("cloudwatch:GetMetricData"),
        "{recorded:?}"
    );
    let policy = readme_policy();
    let covers = |pattern: &str, action: &str| match pattern.strip_suffix('*') {
        Some(prefix) => action.starts_with(prefix),
        None => pattern == action,
    };
    // GetCallerIdentity needs no IAM permission (AWS allows it even under an explicit deny).
    assert!(recorded.contains("sts:GetCallerIdentity"), "{recorded:?}");
    for action in recorded.iter().filter(|a| *a != "sts:GetCallerIdentity") {
        assert!(
            policy.iter().any(|p| covers(p, action)),
            "README policy misses {action}"
        );
    }
    // A call the mocked tests stand for is not made here (were it, it would belong here).
    for action in MOCKED_ONLY_CALLS {
        assert!(
            !recorded.contains(*action),
            "{action} is recorded live: drop it from MOCKED_ONLY_CALLS"
        );
    }
    for pattern in &policy {
        assert!(
            recorded
                .iter()
                .map(String::as_str)
                .chain(MOCKED_ONLY_CALLS.iter().copied())
                .chain(FLEET_ONLY_CALLS.iter().copied())
                .chain(HUB_ONLY_CALLS.iter().copied())
                .any(|a| covers(pattern, a)),
            "README policy grants {pattern}, which linkscope never calls"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_critical_path_is_two_round_trips_with_vpc_and_four_with_mwaa_env() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.47").await;
    let environment = serde_json::json!({"Environment": {"Name": "airflow-cp", "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}}});
    let config = Config {
        // Long enough that building and signing a wave of requests on a busy machine never
        // looks like a round trip of its own.
        latency: Duration::from_millis(300),
        canned: HashMap::from([("GetEnvironment".to_string(), environment.to_string())]),
        ..Config::default()
    };
    // The audit through a fresh proxy: its records and exit code.
    let measure = |target: [String; 2]| {
        let config = config.clone();
        async move {
            let proxy = Proxy::start(&moto::url(), config).await;
            let output = run(
                &[
                    "audit",
                    "--endpoint-url",
                    &proxy.url,
                    "--region",
                    REGION,
                    &target[0],
                    &target[1],
                ],
                true,
            );
            assert!(
                output.status.code().is_some_and(|c| c <= 1),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            (proxy.records(), proxy.actions())
        }
    };
    // A measure is taken again once when it exceeds the expected depth: a busy machine can
    // hold a request back past another's answer, a real extra round trip comes back.
    let by_vpc = ["--vpc".to_string(), seeded.vpc_id.clone()];
    let by_env = ["--mwaa-env".to_string(), "airflow-cp".to_string()];
    for (target, expected) in [(by_vpc, 2), (by_env, 4)] {
        let (mut records, mut actions) = measure(target.clone()).await;
        if crate::proxy::critical_path(&records) != expected {
            (records, actions) = measure(target).await;
        }
        assert_eq!(
            crate::proxy::critical_path(&records),
            expected,
            "{actions:?}"
        );
        let busy = crate::proxy::upstream_busy(&records);
        let span = records.iter().map(|r| r.finished).max().unwrap()
            - records.iter().map(|r| r.arrived).min().unwrap();
        assert!(
            busy > Duration::ZERO && busy <= span,
            "{busy:?} of {span:?}"
        );
    }
}
