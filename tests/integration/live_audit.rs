//! `linkscope audit` against seeded moto VPCs: a healthy one and a broken one.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::cli::run;
use crate::moto::{self, REGION};

fn audit_json(vpc: &str, subnets: &[String], group: &str) -> (i32, Value) {
    let url = moto::url();
    let subnets = subnets.join(",");
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            vpc,
            "--subnets",
            &subnets,
            "--security-groups",
            group,
            "--format",
            "json",
        ],
        true,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let fixes: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["remediation"].as_str().map(str::to_string))
        .collect();
    crate::shell_fixes::assert_fixes_paste_safe(&format!("live audit of {vpc}"), &fixes, None);
    (output.status.code().unwrap(), report)
}

/// `(id, resources)` of every failing check.
fn failures(report: &Value) -> BTreeSet<(String, Vec<String>)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| {
            let resources = c["resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            (c["id"].as_str().unwrap().to_string(), resources)
        })
        .collect()
}

#[tokio::test]
async fn live_healthy_vpc_audits_without_failures() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.21").await;
    let (code, report) = audit_json(&seeded.vpc_id, &seeded.subnets, &seeded.env_group);
    assert_eq!(failures(&report), BTreeSet::new(), "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["fail"], 0);
    let checklist: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_str().unwrap().starts_with("mwaa."))
        .collect();
    assert!(
        checklist
            .iter()
            .filter(|c| c["id"].as_str().unwrap().starts_with("mwaa.endpoint."))
            .all(|c| c["status"] == "pass"),
        "{checklist:#?}"
    );
}

#[tokio::test]
async fn live_broken_vpc_fails_exactly_the_expected_checks() {
    let clients = moto::clients().await;
    let mut seeded = moto::seed_mwaa_vpc(&clients, "10.22").await;
    let changed = moto::break_mwaa_vpc(&clients, &mut seeded).await;
    let (code, report) = audit_json(&seeded.vpc_id, &seeded.subnets, &seeded.env_group);
    assert_eq!(code, 1, "exit code 1 when checks fail");

    let first_subnet = seeded.subnets[0].clone();
    let table = changed["private-table"].clone();
    let s3 = changed["s3"].clone();
    let one = |id: &str, resources: &[&String]| {
        (
            id.to_string(),
            resources.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        )
    };
    // DNS hostnames are off, so no private DNS name resolves to its endpoint: every
    // interface row fails on its own endpoint, not only the ones broken one by one.
    let hostnames_off = [
        "airflow.api",
        "airflow.env",
        "ecr.api",
        "ecr.dkr",
        "kms",
        "monitoring",
    ]
    .map(|suffix| {
        one(
            &format!("mwaa.endpoint.{suffix}"),
            &[&seeded.endpoints[suffix]],
        )
    });
    let expected: BTreeSet<(String, Vec<String>)> = hostnames_off
        .into_iter()
        .chain([
            one("mwaa.endpoint.airflow.ops", &[&changed["airflow.ops"]]),
            one("mwaa.endpoint.logs", &[&changed["logs"]]),
            one(
                "mwaa.endpoint.sqs",
                &[&changed["sqs"], &changed["closed-group"]],
            ),
            one(
                &format!("mwaa.s3-route.{first_subnet}"),
                &[&first_subnet, &table, &s3],
            ),
            one(
                "s3-gateway-rt-not-associated",
                &[&first_subnet, &table, &s3],
            ),
            one("mwaa-s3-policy-missing-ecr-layer-bucket", &[&s3]),
            one("vpc-dns-hostnames-off", &[&seeded.vpc_id]),
            one("gateway-endpoint-dns-attrs", &[&seeded.vpc_id, &s3]),
            one("vpce-private-dns-off", &[&changed["logs"]]),
            one(
                "vpce-sg-no-https-inbound",
                &[&changed["sqs"], &changed["closed-group"]],
            ),
            one(
                "nacl-blocks-endpoint-traffic",
                &[&changed["nacl"], &seeded.subnets[1]],
            ),
        ])
        .collect();
    // Other live tests' VPCs in the same moto account hold Airflow operations endpoints, which
    // the account-wide lookup names (live_setup tests it): keep to this VPC.
    let got: BTreeSet<(String, Vec<String>)> = failures(&report)
        .into_iter()
        .filter(|(id, _)| id != "mwaa-endpoint-wrong-vpc-or-region")
        .map(|(id, resources)| match id.as_str() {
            "mwaa.endpoint.airflow.ops" => (id, resources[..1].to_vec()),
            _ => (id, resources),
        })
        .collect();
    assert_eq!(got, expected, "{report:#}");
}

/// The S3 route rows and the gateway routing rules agree on VPCs that moto built, healthy
/// and broken, as they do on the demos (`checks::network` tests the variants).
#[tokio::test]
async fn live_s3_route_rows_and_gateway_rules_agree_on_seeded_vpcs() {
    use linkscope::aws::{Target, collect};
    use linkscope::checks::{audit, s3_routing_disagreements};
    use linkscope::model::{Workload, WorkloadOrigin};

    let clients = moto::clients().await;
    let mut seeded = moto::seed_mwaa_vpc(&clients, "10.23").await;
    for broken in [false, true] {
        if broken {
            moto::break_mwaa_vpc(&clients, &mut seeded).await;
        }
        let target = Target {
            vpc_id: Some(seeded.vpc_id.clone()),
            collect_metrics: false,
            ..Target::default()
        };
        let mut snapshot = collect(&clients, &target).await.expect("collect");
        snapshot.workload = Workload {
            origin: WorkloadOrigin::Flags,
            subnet_ids: seeded.subnets.clone(),
            security_group_ids: vec![seeded.env_group.clone()],
        };
        let result = audit(&snapshot);
        assert_eq!(
            result
                .checklist()
                .filter(|f| f.id.starts_with("mwaa.s3-route."))
                .count(),
            2
        );
        let disagreements = s3_routing_disagreements(&result);
        assert!(
            disagreements.is_empty(),
            "broken={broken}: {disagreements:#?}"
        );
    }
}

/// moto serves no CloudTrail: `--changes` then shows what happens when LookupEvents cannot be
/// read (denied, unsupported): the section is `unknown` with the reason, on stderr too, and
/// every other verdict and the exit code are those of the audit without it.
#[tokio::test]
async fn live_changes_that_cannot_be_read_are_unknown_and_the_rest_stands() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.62").await;
    let url = moto::url();
    let subnets = seeded.subnets.join(",");
    let args = |changes: bool| {
        let mut args = vec![
            "audit",
            "--endpoint-url",
            &url,
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
        if changes {
            args.extend(["--changes", "24h"]);
        }
        args.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let go = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, true)
    };
    let with = go(args(true));
    let without = go(args(false));
    assert_eq!(with.status.code(), without.status.code());
    let stderr = String::from_utf8_lossy(&with.stderr);
    assert!(
        stderr.contains("partial data: cloudtrail:LookupEvents failed"),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&with.stdout).unwrap();
    let plain: Value = serde_json::from_slice(&without.stdout).unwrap();
    assert_eq!(report["changes"]["status"], "unknown");
    assert!(
        report["changes"]["note"]
            .as_str()
            .unwrap()
            .contains("LookupEvents")
    );
    assert_eq!(report["changes"]["events"].as_array().unwrap().len(), 0);
    // Verdicts, not texts: tests running beside this one add endpoints to the shared moto
    // account, and "exists in vpc-…" texts name whichever VPC holds one at that moment.
    let verdicts = |report: &Value| -> Vec<(String, String)> {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].to_string(), c["status"].to_string()))
            .collect()
    };
    assert_eq!(verdicts(&report), verdicts(&plain));
    assert!(plain.get("changes").is_none());
}
