//! The guided setup audit end to end: a CREATE_FAILED environment with customer-managed
//! endpoints, answered by a stand-in for the Amazon MWAA API (the proxy's canned reply) over
//! a VPC that moto built; and a VPC shared with the caller (STS answers another account).

use std::collections::HashMap;

use aws_sdk_ec2::types::VpcEndpointType;
use serde_json::Value;

use crate::cli::run;
use crate::moto::{self, REGION, Seeded};
use crate::proxy::{Config, Proxy};

const DATABASE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0db00000000000001";
const WEBSERVER: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0web0000000000002";

fn audit(proxy: &Proxy, target: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "audit",
        "--endpoint-url",
        &proxy.url,
        "--region",
        REGION,
        "--format",
        "json",
    ];
    args.extend(target);
    let output = run(&args, true);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!("{}", String::from_utf8_lossy(&output.stderr));
    });
    (output.status.code().unwrap(), report)
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

/// The environment as GetEnvironment returns it after a failed creation.
fn failed_environment(seeded: &Seeded) -> String {
    serde_json::json!({"Environment": {
        "Name": "airflow-new",
        "Status": "CREATE_FAILED",
        "AirflowVersion": "2.10.3",
        "EndpointManagement": "CUSTOMER",
        "DatabaseVpcEndpointService": DATABASE,
        "WebserverVpcEndpointService": WEBSERVER,
        "WebserverAccessMode": "PRIVATE_ONLY",
        "SourceBucketArn": "arn:aws:s3:::airflow-new-dags",
        "LastUpdate": {
            "Status": "FAILED",
            "CreatedAt": 1_795_575_600,
            "Error": {
                "ErrorCode": "INCORRECT_CONFIGURATION",
                "ErrorMessage": "You may need to check the execution role permissions policy for your environment, and that each of the VPC networking components required by the environment are configured correctly."
            }
        },
        "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}
    }})
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_failed_setup_points_at_its_causes_through_an_mwaa_stand_in() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.51").await;
    let ec2 = &clients.ec2;
    // Logs never created; SQS created in another VPC; the database endpoint in one subnet.
    for suffix in ["logs", "sqs"] {
        ec2.delete_vpc_endpoints()
            .vpc_endpoint_ids(&seeded.endpoints[suffix])
            .send()
            .await
            .unwrap();
    }
    let other = moto::seed_mwaa_vpc(&clients, "10.52").await;
    let database = ec2
        .create_vpc_endpoint()
        .vpc_id(&seeded.vpc_id)
        .service_name(DATABASE)
        .vpc_endpoint_type(VpcEndpointType::Interface)
        .subnet_ids(&seeded.subnets[0])
        .security_group_ids(&seeded.env_group)
        .send()
        .await
        .unwrap()
        .vpc_endpoint()
        .unwrap()
        .vpc_endpoint_id()
        .unwrap()
        .to_string();
    let config = Config {
        canned: HashMap::from([("GetEnvironment".to_string(), failed_environment(&seeded))]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let (code, report) = audit(&proxy, &["--mwaa-env", "airflow-new"]);
    assert_eq!(code, 1);

    let status = check(&report, "mwaa-env-status");
    assert_eq!(status["status"], "fail");
    let detail = status["detail"].as_str().unwrap();
    assert!(
        detail.contains("is CREATE_FAILED")
            && detail.contains("LastUpdate.Error: INCORRECT_CONFIGURATION: \"You may need to check the execution role permissions policy")
            && detail.contains("(LastUpdate.CreatedAt 2026-11-25T03:00:00Z)"),
        "{detail}"
    );
    let fix = status["remediation"].as_str().unwrap();
    for cause in [
        "mwaa.endpoint.logs",
        "mwaa.endpoint.sqs",
        "mwaa.endpoint.database",
        "mwaa.endpoint.webserver",
    ] {
        assert!(fix.contains(cause), "{cause} in {fix}");
    }

    let sqs = check(&report, "mwaa.endpoint.sqs");
    assert_eq!(sqs["status"], "fail");
    assert!(
        sqs["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("{} (", other.vpc_id)),
        "{sqs:#}"
    );
    assert_eq!(
        check(&report, "mwaa-endpoint-wrong-vpc-or-region")["status"],
        "fail"
    );
    let db = check(&report, "mwaa.endpoint.database");
    assert_eq!(db["status"], "fail", "{db:#}");
    assert_eq!(
        db["remediation"],
        format!(
            "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {database} --add-subnet-ids {} --region {REGION}",
            seeded.subnets[1]
        )
    );
    let web = check(&report, "mwaa.endpoint.webserver");
    assert_eq!(web["status"], "fail");
    assert!(
        web["remediation"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface --service-name {WEBSERVER} --subnet-ids ",
                seeded.vpc_id
            )),
        "{web:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_vpc_shared_with_the_caller_leaves_missing_endpoints_unknown() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.53").await;
    clients
        .ec2
        .delete_vpc_endpoints()
        .vpc_endpoint_ids(&seeded.endpoints["logs"])
        .send()
        .await
        .unwrap();
    let participant = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::999988887777:user/participant</Arn><UserId>AIDAPARTICIPANT</UserId><Account>999988887777</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
    let config = Config {
        canned: HashMap::from([("GetCallerIdentity".to_string(), participant.to_string())]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let subnets = seeded.subnets.join(",");
    let (_, report) = audit(
        &proxy,
        &[
            "--vpc",
            &seeded.vpc_id,
            "--subnets",
            &subnets,
            "--security-groups",
            &seeded.env_group,
        ],
    );
    let shared = check(&report, "vpce-shared-subnet-unverifiable");
    assert_eq!(shared["status"], "info", "{shared:#}");
    let owner = "123456789012";
    assert!(shared["detail"].as_str().unwrap().contains(owner));
    let logs = check(&report, "mwaa.endpoint.logs");
    assert_eq!(logs["status"], "unknown", "{logs:#}");
    assert!(
        logs["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("shared VPC owned by {owner}")),
        "{logs:#}"
    );
    // What the caller can see keeps its verdict.
    assert_eq!(check(&report, "mwaa.endpoint.sqs")["status"], "pass");

    // With moto's own caller (the owner), the same VPC is not shared and logs fails.
    let plain = Proxy::start(&moto::url(), Config::default()).await;
    let (_, report) = audit(
        &plain,
        &[
            "--vpc",
            &seeded.vpc_id,
            "--subnets",
            &subnets,
            "--security-groups",
            &seeded.env_group,
        ],
    );
    assert_eq!(
        check(&report, "vpce-shared-subnet-unverifiable")["status"],
        "pass"
    );
    assert_eq!(check(&report, "mwaa.endpoint.logs")["status"], "fail");
}
