//! Every fix is safe to paste into a shell: `bash -n` accepts it (and each alternative that
//! is commented out), a command line holds one AWS CLI command and nothing a shell would run
//! besides (no redirection, pipe, separator, subshell or trailing prose), every expansion is
//! a quoted `"$NAME"` that an earlier line sets or explains, and every command carries the
//! Region and, when the snapshot was read with one, the profile.
//!
//! Checked on every bundled demo, on demos changed to trigger the rules whose fixes have
//! placeholders, and (from `live_audit.rs`) on the audits of moto-seeded VPCs.

use std::io::Write;
use std::process::{Command, Stdio};

use linkscope::checks::audit;
use linkscope::cli::DemoScenario;
use linkscope::input::demo;
use linkscope::model::*;

/// What is wrong with one line of shell that should be an AWS CLI command or an assignment;
/// adds the variables it uses to `used`.
fn line_problems(line: &str, used: &mut Vec<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let assignment = line.split_whitespace().all(|word| {
        word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    });
    if !line.starts_with("aws ") && !assignment {
        problems.push("neither an AWS CLI command nor an assignment".into());
    }
    let (mut single, mut double) = (false, false);
    let chars: Vec<char> = line.chars().collect();
    let mut escaped = false;
    for (i, &c) in chars.iter().enumerate() {
        if std::mem::take(&mut escaped) {
            continue;
        }
        match c {
            // `'\''` puts a quote inside single quotes: the only escape a fix needs.
            '\\' if !single && !double && chars.get(i + 1) == Some(&'\'') => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == '_')
                    .collect();
                if !double || name.is_empty() {
                    problems.push(format!("an expansion other than \"$NAME\" at {i}"));
                }
                used.push(name);
            }
            '`' if !single => problems.push("a backquote".into()),
            '<' | '>' | '|' | ';' | '&' | '(' | ')' | '\\' | '*' | '?' | '[' | '~'
                if !single && !double =>
            {
                problems.push(format!("{c:?} outside quotes"));
            }
            '#' if !single && !double && i > 0 && chars[i - 1] == ' ' => {
                problems.push("prose after the command".into());
            }
            _ => {}
        }
    }
    if single || double {
        problems.push("an unclosed quote".into());
    }
    problems
}

/// `bash -n`'s complaints about `script`: none when bash can parse it.
fn bash_n(script: &str) -> Vec<String> {
    let mut child = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash is installed");
    let mut stdin = child
        .stdin
        .take()
        .expect("bash reads the script from stdin");
    stdin
        .write_all(script.as_bytes())
        .expect("bash reads the script");
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    match output.status.success() {
        true => Vec::new(),
        false => vec![String::from_utf8_lossy(&output.stderr).into_owned()],
    }
}

/// Everything that makes `fix` unsafe to paste, for a snapshot read with `profile`.
pub fn problems(fix: &str, profile: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut known: Vec<&str> = Vec::new();
    let mut alternatives = Vec::new();
    for (n, line) in fix.lines().enumerate() {
        let mut used = Vec::new();
        let command = match line.strip_prefix('#') {
            Some(prose) => {
                known.push(line);
                match prose.strip_prefix(' ') {
                    Some(alternative) if alternative.starts_with("aws ") => alternative,
                    _ => continue,
                }
            }
            None => line,
        };
        if command == line {
            known.push(line);
        } else {
            alternatives.push(command);
        }
        for problem in line_problems(command, &mut used) {
            problems.push(format!("line {}: {problem}: {line}", n + 1));
        }
        for name in used.iter().filter(|n| !n.is_empty()) {
            let earlier = &known[..known.len() - 1];
            if !earlier.iter().any(|l| l.contains(name.as_str())) {
                problems.push(format!(
                    "line {}: ${name} is not set or explained before",
                    n + 1
                ));
            }
        }
        if command.starts_with("aws ") {
            if !command.contains(" --region ") {
                problems.push(format!("line {}: no --region: {line}", n + 1));
            }
            if profile.is_some() && !command.contains(" --profile ") {
                problems.push(format!("line {}: no --profile: {line}", n + 1));
            }
        }
    }
    problems.extend(bash_n(fix).into_iter().map(|e| format!("bash -n: {e}")));
    if !alternatives.is_empty() {
        let script = alternatives.join("\n");
        let complaints = bash_n(&script).into_iter();
        problems.extend(complaints.map(|e| format!("bash -n, the alternatives: {e}")));
    }
    problems
}

/// Asserts that every fix of `snapshot`'s audit is safe to paste; returns how many fixes.
#[track_caller]
pub fn assert_fixes_paste_safe(label: &str, fixes: &[String], profile: Option<&str>) -> usize {
    let mut fixes: Vec<&String> = fixes.iter().collect();
    fixes.sort();
    fixes.dedup();
    let failures: Vec<String> = fixes
        .iter()
        .flat_map(|fix| {
            problems(fix, profile)
                .into_iter()
                .map(move |p| format!("{p}\n    in: {fix}"))
        })
        .collect();
    assert!(failures.is_empty(), "{label}:\n{}", failures.join("\n"));
    fixes.len()
}

fn fixes_of(snapshot: &Snapshot) -> Vec<String> {
    audit(snapshot)
        .findings
        .into_iter()
        .filter_map(|f| f.remediation)
        .collect()
}

/// The bundled demos, and demos changed to reach the fixes with placeholders and
/// alternatives: no workload, no groups on the endpoints, a denying network ACL, custom DNS
/// servers, endpoints in every state, a zone that holds a name without its record.
fn samples() -> Vec<(String, Snapshot)> {
    let scenarios = [
        DemoScenario::Troubled,
        DemoScenario::Healthy,
        DemoScenario::Spoke,
        DemoScenario::Setup,
    ];
    let mut samples: Vec<(String, Snapshot)> = scenarios
        .iter()
        .map(|s| (format!("{s:?}"), demo(*s)))
        .collect();
    let healthy = demo(DemoScenario::Healthy);

    let mut bare = healthy.clone();
    bare.endpoints.clear();
    bare.workload.subnet_ids.clear();
    bare.workload.security_group_ids.clear();
    if let Some(env) = bare.environment.as_mut() {
        env.subnet_ids.clear();
        env.security_group_ids = (0..6).map(|i| format!("sg-00000000000000{i:02}")).collect();
    }
    bare.vpc.enable_dns_support = Some(false);
    bare.vpc.enable_dns_hostnames = Some(false);
    samples.push(("no endpoint, no workload".into(), bare));

    let mut groupless = demo(DemoScenario::Troubled);
    for e in &mut groupless.endpoints {
        e.security_group_ids.clear();
    }
    groupless.prefix_lists.clear();
    for g in &mut groupless.security_groups {
        g.egress.clear();
    }
    samples.push(("endpoints without groups".into(), groupless));

    let mut states = healthy.clone();
    let kinds = [
        EndpointState::Rejected,
        EndpointState::Failed,
        EndpointState::PendingAcceptance,
        EndpointState::Expired,
    ];
    for (e, state) in states.endpoints.iter_mut().zip(kinds) {
        e.state = state;
    }
    if let Some(e) = states.endpoints.last_mut() {
        e.service_name = format!("aws.api.{}.bedrock-marketplace", states.region);
        e.state = EndpointState::PendingAcceptance;
    }
    samples.push(("endpoints in every state".into(), states));

    let mut acl = healthy.clone();
    for table in &mut acl.network_acls {
        for egress in [false, true] {
            table.entries.push(NaclEntry {
                rule_number: 1,
                protocol: Protocol::All,
                rule_action: RuleAction::Deny,
                egress,
                cidr_block: Some("0.0.0.0/0".into()),
                ipv6_cidr_block: None,
                port_range: None,
                icmp: None,
            });
        }
    }
    samples.push(("a network ACL that denies everything".into(), acl));

    let mut custom = healthy.clone();
    if let Some(options) = custom.dns.dhcp_options.as_mut() {
        options.domain_name_servers = vec!["10.9.0.2".into()];
    }
    for e in &mut custom.endpoints {
        e.private_dns_enabled = false;
    }
    samples.push(("custom DNS servers, private DNS off".into(), custom));

    let mut zoned = healthy;
    zoned
        .endpoints
        .retain(|e| !e.service_name.ends_with(".sqs"));
    zoned.dns.hosted_zones.push(HostedZone {
        id: "Z0SQS000000000000001".into(),
        name: format!("sqs.{}.amazonaws.com", zoned.region),
        owner_account: None,
        owner_service: None,
    });
    zoned.profile = Some("team's admin".into());
    samples.push(("a zone that holds sqs without its record".into(), zoned));
    samples
}

#[test]
fn every_fix_of_every_demo_is_safe_to_paste() {
    let mut total = 0;
    for (label, snapshot) in samples() {
        total += assert_fixes_paste_safe(&label, &fixes_of(&snapshot), snapshot.profile.as_deref());
    }
    assert!(total >= 40, "the samples reach {total} distinct fixes");
}

#[test]
fn the_checks_catch_what_a_shell_would_misread() {
    for bad in [
        "aws cloudwatch get-metric-statistics --start-time <from> --end-time <to> --region r",
        "aws ec2 x --region r; check the service",
        "aws ec2 x --region r && aws ec2 y --region r",
        "aws ec2 x --group-id $SG --region r",
        "# SG: a group\naws ec2 x --group-id \"$(rm -rf ~)\" --region r",
        "aws ec2 x --group-id \"$SG\" --region r",
        "Move the workload: aws ec2 describe-vpc-endpoint-services --region r",
        "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids v (wait) --region r",
        "aws ec2 x --ip-address-type <ipv4|dualstack|ipv6> --region r",
        "aws ec2 x --vpc-endpoint-id v",
        "aws ec2 x --region r # then wait",
        "# or:\n# aws ec2 x --vpc-endpoint-id 'v",
    ] {
        assert!(!problems(bad, None).is_empty(), "{bad}");
    }
    assert!(
        !problems("aws ec2 x --region r", Some("p")).is_empty(),
        "no --profile"
    );
    for good in [
        "aws ec2 x --region r",
        "# SG: a group\naws ec2 x --group-id \"$SG\" --region r\n# or:\n# aws ec2 y --region r",
        "# FROM, TO: the window\nFROM=2026-01-01T00:00:00Z TO=2026-01-02T00:00:00Z\naws cloudwatch x --start-time \"$FROM\" --end-time \"$TO\" --region r",
        "aws ec2 x --ip-permissions 'IpProtocol=tcp,PrefixListIds=[{PrefixListId=pl-1}]' --region r",
        "aws ec2 x --region r --profile 'team'\\''s admin'",
    ] {
        assert_eq!(problems(good, None), Vec::<String>::new(), "{good}");
    }
}

/// The spoke demo's kms row: a private hosted zone for kms is associated with the VPC, so
/// AWS would refuse a local endpoint with private DNS; the missing record comes first.
#[test]
fn a_zone_that_holds_the_name_puts_the_record_first() {
    let spoke = demo(DemoScenario::Spoke);
    let kms = audit(&spoke)
        .findings
        .into_iter()
        .find(|f| f.id == "mwaa.endpoint.kms")
        .unwrap();
    let fix = kms.remediation.unwrap();
    let first = fix.lines().find(|l| !l.starts_with('#')).unwrap();
    assert!(
        first.starts_with("aws route53 change-resource-record-sets --hosted-zone-id "),
        "{fix}"
    );
    assert!(
        fix.lines()
            .filter(|l| l.contains("--private-dns-enabled"))
            .all(|l| l.starts_with("# ")),
        "creating the endpoint is only an alternative: {fix}"
    );
}
