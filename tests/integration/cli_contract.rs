//! Exit codes and messages of the command-line contract that need no server.

use crate::cli::{assert_clean_failure, run, run_with, scratch};

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

#[test]
fn options_that_do_not_apply_exit_2_with_one_line() {
    for (argv, needle) in [
        (
            &["merge", "r.json", "--vpc", "vpc-123", "--demo"][..],
            "--vpc",
        ),
        (&["audit", "--baseline", "b.json"], "--baseline"),
        (
            &["audit", "--demo", "--changes", "24h"],
            "--changes does not apply",
        ),
        (&["--demo", "--changes", "24h"], "--changes does not apply"),
        (
            &["audit", "--demo", "--region", "eu-west-1"],
            "--region does not apply",
        ),
        (
            &["diff", "a.json", "b.json", "--region", "eu-west-1"],
            "diff --live",
        ),
        (&["probe", "--demo"], "--demo"),
        (&["--region", "us-east-1", "audit"], "audit"),
    ] {
        assert_clean_failure(&run(argv, false), 2, needle);
    }
    let output = run(&["audit", "--timeout", "0", "--demo"], false);
    assert_clean_failure(&output, 2, "above 0 and at most 3600");
}

#[test]
fn a_profile_from_the_environment_is_not_an_option_given() {
    let output = run_with(
        &["audit", "--demo=healthy"],
        false,
        &[("AWS_PROFILE", std::ffi::OsStr::new("from-env"))],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_help_shows_only_its_options() {
    let help = |argv: &[&str]| String::from_utf8_lossy(&run(argv, false).stdout).into_owned();
    let probe = help(&["probe", "--help"]);
    for absent in [
        "--demo",
        "--all-envs",
        "--role-arn",
        "--profile",
        "--endpoint-url",
    ] {
        assert!(
            !probe.contains(absent),
            "probe --help offers {absent}:\n{probe}"
        );
    }
    assert!(probe.contains("--region") && probe.contains("--timeout"));
    let merge = help(&["merge", "--help"]);
    assert!(merge.contains("linkscope.fleet/v1"), "{merge}");
    assert!(
        !merge.contains("--vpc") && !merge.contains("--demo"),
        "{merge}"
    );
    let audit = help(&["audit", "--help"]);
    assert!(!audit.contains("--baseline"), "{audit}");
}

#[test]
fn completions_print_a_script_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _linkscope"),
        ("zsh", "#compdef linkscope"),
        ("fish", "complete -c linkscope"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = run(&["completions", shell], false);
        let script = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("completions") && script.contains("mwaa-env"),
            "{shell}"
        );
        assert!(output.stderr.is_empty(), "{shell}");
    }
    let output = run(&["completions", "tcsh"], false);
    assert_clean_failure(&output, 2, "tcsh");
}
