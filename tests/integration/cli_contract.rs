//! Exit codes and messages of the command-line contract that need no server.

use crate::cli::{assert_clean_failure, run, scratch};

#[test]
fn unreachable_endpoint_is_an_aws_failure() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--region",
            "us-east-1",
            "--vpc",
            "vpc-0123456789abcdef0",
        ],
        true,
    );
    assert_clean_failure(&output, 3, "ec2:DescribeVpcs");
}

#[test]
fn unreadable_snapshots_are_bad_input() {
    let dir = scratch("unreadable_snapshots");
    let missing = dir.join("missing.json");
    assert_clean_failure(
        &run(&["audit", "--snapshot", missing.to_str().unwrap()], false),
        2,
        "cannot read snapshot",
    );

    let truncated = dir.join("truncated.json");
    let demo = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo-healthy.json"
    ))
    .unwrap();
    std::fs::write(&truncated, &demo[..demo.len() / 3]).unwrap();
    assert_clean_failure(
        &run(&["audit", "--snapshot", truncated.to_str().unwrap()], false),
        2,
        "not a linkscope snapshot",
    );

    let newer = dir.join("newer.json");
    std::fs::write(&newer, demo.replacen("\"schema\": 1", "\"schema\": 7", 1)).unwrap();
    assert_clean_failure(
        &run(&["audit", "--snapshot", newer.to_str().unwrap()], false),
        2,
        "upgrade linkscope",
    );
}

#[test]
fn missing_region_is_bad_input() {
    let output = run(&["audit", "--vpc", "vpc-0123456789abcdef0"], true);
    assert_clean_failure(&output, 2, "region");
}

#[test]
fn malformed_ids_are_rejected_by_the_parser() {
    let output = run(&["audit", "--vpc", "my-vpc"], false);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn demo_runs_offline() {
    let output = run(&["--demo"], false);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("airflow-prod") && stdout.contains("pendingAcceptance"),
        "{stdout}"
    );
}
