//! `linkscope diff` on pairs of demo snapshots with known changes: every kind of change, the
//! findings whose status changed (new failures first), the three formats, the exit code and
//! bad input.

use linkscope::checks::{Status, audit};
use linkscope::cli::DemoScenario;
use linkscope::diff::{Diff, Kind, What, compare};
use linkscope::input::demo;
use linkscope::model::*;
use serde_json::Value;

use crate::cli::{assert_clean_failure, run, scratch};

fn diff(old: &Snapshot, new: &Snapshot) -> Diff {
    compare(old, &audit(old), new, &audit(new))
}

/// The healthy demo a day later, after a careless change of every kind.
fn changed(old: &Snapshot) -> Snapshot {
    let mut new = old.clone();
    new.captured_at = "2026-11-26T06:00:00Z".into();
    let sqs = new
        .endpoints
        .iter_mut()
        .find(|e| e.service_name.ends_with(".sqs"))
        .unwrap();
    sqs.state = EndpointState::Failed;
    sqs.dns_entries.pop();
    let gateway = new
        .endpoints
        .iter_mut()
        .find(|e| e.endpoint_type == EndpointType::Gateway)
        .unwrap();
    gateway.policy_document = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::only-this-bucket/*"}]}"#
            .into(),
    );
    new.endpoints.retain(|e| !e.service_name.ends_with(".kms"));
    let mut extra = new.endpoints[1].clone();
    extra.id = "vpce-0aaaaaaaaaaaaaaa1".into();
    extra.service_name = format!("com.amazonaws.{}.secretsmanager", new.region);
    new.endpoints.push(extra);
    new.route_tables[0].routes.push(Route {
        destination_cidr: Some("0.0.0.0/0".into()),
        destination_ipv6_cidr: None,
        destination_prefix_list_id: None,
        target: Some("nat-0123456789abcdef0".into()),
        state: Some(RouteState::Blackhole),
        origin: Some("CreateRoute".into()),
    });
    let env_sg = new
        .security_groups
        .iter_mut()
        .find(|g| g.name == "airflow-staging-env")
        .unwrap();
    env_sg.ingress.clear();
    new.network_acls[0].entries.push(NaclEntry {
        rule_number: 90,
        protocol: Protocol::Tcp,
        rule_action: RuleAction::Deny,
        egress: false,
        cidr_block: Some("10.30.0.0/16".into()),
        ipv6_cidr_block: None,
        port_range: Some((443, 443)),
        icmp: None,
    });
    new.vpc.enable_dns_support = Some(false);
    new.dns.dhcp_options = Some(DhcpOptions {
        id: "dopt-0ffffffffffffffff".into(),
        domain_name_servers: vec!["10.9.0.2".into()],
        domain_name: None,
    });
    new.dns.resolver_rules.push(ResolverRule {
        id: "rslvr-rr-0123456789abcdef0".into(),
        name: Some("to-on-prem".into()),
        domain: "amazonaws.com".into(),
        rule_type: RuleType::Forward,
        targets: vec!["10.9.0.2:53".into()],
        owner_id: None,
    });
    new
}

fn change<'a>(diff: &'a Diff, kind: Kind, id: &str) -> &'a linkscope::diff::Change {
    diff.changes
        .iter()
        .find(|c| c.kind == kind && c.id == id)
        .unwrap_or_else(|| panic!("no {kind:?} change on {id}: {diff:#?}"))
}

fn has_line(c: &linkscope::diff::Change, sign: char, needle: &str) -> bool {
    c.lines
        .iter()
        .any(|l| l.sign == sign && l.text.contains(needle))
}

#[test]
fn identical_snapshots_have_no_change() {
    for scenario in [
        DemoScenario::Healthy,
        DemoScenario::Troubled,
        DemoScenario::Spoke,
        DemoScenario::Setup,
    ] {
        let snapshot = demo(scenario);
        let d = diff(&snapshot, &snapshot);
        assert!(d.is_empty(), "{scenario:?}: {d:#?}");
        assert_eq!(d.new_failures(), 0);
    }
}

#[test]
fn every_kind_of_change_is_reported() {
    let old = demo(DemoScenario::Healthy);
    let new = changed(&old);
    let d = diff(&old, &new);
    let sqs = old
        .endpoints
        .iter()
        .find(|e| e.service_name.ends_with(".sqs"))
        .unwrap();
    let c = change(&d, Kind::Endpoint, &sqs.id);
    assert_eq!(c.what, What::Changed);
    assert!(has_line(c, '~', "state: available → failed"), "{c:#?}");
    assert!(has_line(c, '-', "DNS entry"), "{c:#?}");
    let gateway = old
        .endpoints
        .iter()
        .find(|e| e.endpoint_type == EndpointType::Gateway)
        .unwrap();
    let c = change(&d, Kind::Endpoint, &gateway.id);
    assert!(has_line(c, '+', "only-this-bucket"), "{c:#?}");
    assert!(
        c.lines
            .iter()
            .any(|l| l.sign == '-' && l.text.starts_with("policy"))
    );
    let kms = old
        .endpoints
        .iter()
        .find(|e| e.service_name.ends_with(".kms"))
        .unwrap();
    assert_eq!(change(&d, Kind::Endpoint, &kms.id).what, What::Removed);
    assert_eq!(
        change(&d, Kind::Endpoint, "vpce-0aaaaaaaaaaaaaaa1").what,
        What::Added
    );
    let c = change(&d, Kind::RouteTable, &old.route_tables[0].id);
    assert!(has_line(
        c,
        '+',
        "0.0.0.0/0 → nat-0123456789abcdef0 (blackhole)"
    ));
    let env_sg = old
        .security_groups
        .iter()
        .find(|g| g.name == "airflow-staging-env")
        .unwrap();
    let c = change(&d, Kind::SecurityGroup, &env_sg.id);
    assert!(c.lines.iter().all(|l| l.sign == '-') && !c.lines.is_empty());
    assert!(has_line(c, '-', "inbound"));
    let c = change(&d, Kind::NetworkAcl, &old.network_acls[0].id);
    assert!(
        has_line(c, '+', "inbound 90  deny tcp 443  10.30.0.0/16"),
        "{c:#?}"
    );
    let c = change(&d, Kind::Vpc, &old.vpc.id);
    assert!(has_line(c, '~', "DNS support: on → off"));
    let c = change(&d, Kind::DnsPath, "dopt-0ffffffffffffffff");
    assert!(has_line(c, '~', "10.9.0.2"));
    let c = change(&d, Kind::DnsPath, "rslvr-rr-0123456789abcdef0");
    assert_eq!(c.what, What::Added);
    assert!(has_line(c, '+', "FORWARD amazonaws.com → 10.9.0.2:53"));
    let c = change(
        &d,
        Kind::DnsName,
        &format!("sqs.{}.amazonaws.com", old.region),
    );
    assert!(
        has_line(c, '+', "unknown: The VPC's DHCP option set"),
        "{c:#?}"
    );

    // Findings: the new failures come first; the failed endpoint is one of them.
    assert!(d.new_failures() > 0);
    let first_other = d
        .findings
        .iter()
        .position(|f| !f.is_new_failure())
        .unwrap_or(d.findings.len());
    assert!(d.findings[..first_other].iter().all(|f| f.is_new_failure()));
    assert!(
        d.findings[first_other..]
            .iter()
            .all(|f| !f.is_new_failure())
    );
    let failed = d
        .findings
        .iter()
        .find(|f| f.id == "vpce-state-failed")
        .unwrap();
    assert_eq!((failed.before, failed.after), (None, Some(Status::Fail)));
    assert!(failed.is_new_failure());
    // Custom DHCP DNS servers: the SQS row can no longer be judged, and says so.
    let row = d
        .findings
        .iter()
        .find(|f| f.id == "mwaa.endpoint.sqs")
        .unwrap();
    assert_eq!(
        (row.before, row.after),
        (Some(Status::Pass), Some(Status::Unknown))
    );
    assert!(!row.is_new_failure());
    assert!(d.changed_ids().contains(&row.key));
    assert!(d.changed_ids().contains(&env_sg.id));
}

#[test]
fn fixing_a_failure_is_reported_as_fixed_and_is_not_a_regression() {
    let healthy = demo(DemoScenario::Healthy);
    let broken = changed(&healthy);
    let d = diff(&broken, &healthy);
    assert_eq!(d.new_failures(), 0, "{:#?}", d.findings);
    assert!(d.findings.iter().any(|f| f.is_fixed()));
    assert_eq!(
        change(&d, Kind::Endpoint, "vpce-0aaaaaaaaaaaaaaa1").what,
        What::Removed
    );
}

/// Writes both snapshots and runs `linkscope diff` on them.
fn cli_diff(dir: &str, old: &Snapshot, new: &str, extra: &[&str]) -> std::process::Output {
    let dir = scratch(dir);
    let (a, b) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&a, old.to_json()).unwrap();
    std::fs::write(&b, new).unwrap();
    let mut args = vec![
        "diff".to_string(),
        a.to_string_lossy().to_string(),
        b.to_string_lossy().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, false)
}

#[test]
fn exit_code_is_1_on_a_new_failure_and_0_otherwise() {
    let healthy = demo(DemoScenario::Healthy);
    let broken = changed(&healthy);
    let regressed = cli_diff("diff-regressed", &healthy, &broken.to_json(), &[]);
    assert_eq!(regressed.status.code(), Some(1));
    let text = String::from_utf8_lossy(&regressed.stdout);
    assert!(
        text.contains("NEW FAIL") && text.contains("mwaa.endpoint.sqs"),
        "{text}"
    );
    let fixed = cli_diff("diff-fixed", &broken, &healthy.to_json(), &[]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&fixed.stdout).contains("FIXED"));
    let same = cli_diff("diff-same", &healthy, &healthy.to_json(), &[]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("No change."));
}

#[test]
fn json_and_markdown_carry_the_same_changes() {
    let healthy = demo(DemoScenario::Healthy);
    let broken = changed(&healthy);
    let json = cli_diff(
        "diff-json",
        &healthy,
        &broken.to_json(),
        &["--format", "json"],
    );
    assert_eq!(json.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["schema"], "linkscope.diff/v1");
    assert!(value["new_failures"].as_u64().unwrap() > 0);
    assert_eq!(value["old"]["vpc_id"], healthy.vpc.id);
    assert_eq!(value["findings"][0]["after"], "fail");
    let kinds: Vec<&str> = value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "endpoint",
        "route-table",
        "security-group",
        "network-acl",
        "vpc",
        "dns-path",
        "dns-name",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let markdown = cli_diff(
        "diff-md",
        &healthy,
        &broken.to_json(),
        &["--format", "markdown"],
    );
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(text.starts_with("## linkscope diff: "), "{text}");
    assert!(text.contains("### Findings") && text.contains("```diff"));
    assert!(text.contains("| NEW FAIL | `vpce-state-failed`"), "{text}");
}

#[test]
fn bad_input_exits_2() {
    let healthy = demo(DemoScenario::Healthy);
    let troubled = demo(DemoScenario::Troubled);
    let other = cli_diff("diff-other-vpc", &healthy, &troubled.to_json(), &[]);
    assert_clean_failure(&other, 2, "--allow-different-vpcs");
    let allowed = cli_diff(
        "diff-other-vpc-allowed",
        &healthy,
        &troubled.to_json(),
        &["--allow-different-vpcs"],
    );
    assert_eq!(
        allowed.status.code(),
        Some(1),
        "the troubled VPC fails more"
    );
    let json = healthy.to_json();
    let truncated = cli_diff("diff-truncated", &healthy, &json[..json.len() / 2], &[]);
    assert_clean_failure(&truncated, 2, "new.json");
    let mut future: Value = serde_json::from_str(&json).unwrap();
    future["schema"] = 99.into();
    let future = cli_diff("diff-future", &healthy, &future.to_string(), &[]);
    assert_clean_failure(&future, 2, "newer");
    let missing = run(
        &["diff", "/nonexistent/old.json", "/nonexistent/new.json"],
        false,
    );
    assert_clean_failure(&missing, 2, "/nonexistent/old.json");
    let neither = run(&["diff", "/nonexistent/old.json"], false);
    assert_eq!(neither.status.code(), Some(2), "NEW or --live is required");
}

#[tokio::test]
async fn live_diff_compares_a_snapshot_with_the_vpc_as_it_is_now() {
    let clients = crate::moto::clients().await;
    let mut seeded = crate::moto::seed_mwaa_vpc(&clients, "10.61").await;
    let dir = scratch("live_diff");
    let file = dir.join("before.json");
    let url = crate::moto::url();
    let before = run(
        &[
            "snapshot",
            "--endpoint-url",
            &url,
            "--region",
            crate::moto::REGION,
            "--vpc",
            &seeded.vpc_id,
            "-o",
            file.to_str().unwrap(),
        ],
        true,
    );
    assert!(before.status.success());
    let changed = crate::moto::break_mwaa_vpc(&clients, &mut seeded).await;
    // OLD's VPC and Region are the defaults: only the endpoint is given.
    let output = run(
        &[
            "diff",
            file.to_str().unwrap(),
            "--live",
            "--endpoint-url",
            &url,
            "--format",
            "json",
        ],
        true,
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&changed["airflow.ops"].as_str()), "{ids:?}");
    assert!(
        ids.contains(&seeded.vpc_id.as_str()),
        "DNS hostnames: {ids:?}"
    );
    assert!(value["findings"][0]["after"] == "fail");
}
