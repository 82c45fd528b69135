//! The execution role, the source bucket and the KMS key, live against moto: a role whose
//! policy lacks the SQS actions, an unversioned bucket and a key policy without the logs
//! grant, behind an MWAA stand-in (the proxy's canned `GetEnvironment`); the snapshot replays
//! offline to the same verdicts; and the reads add at most one round trip.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_s3::types::PublicAccessBlockConfiguration;
use serde_json::{Value, json};

use crate::cli::{run, scratch};
use crate::moto::{self, REGION, Seeded};
use crate::proxy::{Config, Proxy, critical_path};

const ACCOUNT: &str = "123456789012";

/// What moto holds for one environment: its role, bucket and key.
pub struct Access {
    pub role_arn: String,
    pub bucket: String,
    pub key_arn: String,
}

/// The documented execution role policy without its SQS statement.
fn policy_without_sqs(environment: &str, bucket: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "airflow:PublishMetrics", "Resource": format!("arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{environment}")},
        {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"], "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")]},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"], "Resource": [format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:airflow-{environment}-*")]}
    ]})
    .to_string()
}

/// Seeds the role (an inline policy without SQS, a managed one with CloudWatch and the key),
/// an unversioned bucket that blocks public access, and a key with the default key policy.
pub async fn seed_access(clients: &linkscope::aws::Clients, environment: &str) -> Access {
    let bucket = format!("{environment}-dags");
    let role_name = format!("{environment}-execution-role");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]}, "Action": "sts:AssumeRole"}]});
    let role = clients
        .iam
        .create_role()
        .role_name(&role_name)
        .path("/service-role/")
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    clients
        .iam
        .put_role_policy()
        .role_name(&role_name)
        .policy_name("mwaa-base")
        .policy_document(policy_without_sqs(environment, &bucket))
        .send()
        .await
        .unwrap();
    let key = clients.kms.create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let managed = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"], "Resource": key_arn,
         "Condition": {"StringLike": {"kms:ViaService": [format!("sqs.{REGION}.amazonaws.com"), format!("s3.{REGION}.amazonaws.com")]}}}
    ]});
    let policy = clients
        .iam
        .create_policy()
        .policy_name(format!("{environment}-metrics-and-key"))
        .policy_document(managed.to_string())
        .send()
        .await
        .unwrap();
    clients
        .iam
        .attach_role_policy()
        .role_name(&role_name)
        .policy_arn(policy.policy().unwrap().arn().unwrap())
        .send()
        .await
        .unwrap();
    clients
        .s3
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    clients
        .s3
        .put_public_access_block()
        .bucket(&bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    Access {
        role_arn,
        bucket,
        key_arn,
    }
}

/// `GetEnvironment` of an environment that failed to create, naming the seeded role, bucket
/// and key (or none of them).
fn environment(name: &str, seeded: &Seeded, access: Option<&Access>) -> String {
    let mut env = json!({
        "Name": name,
        "Arn": format!("arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{name}"),
        "Status": "CREATE_FAILED",
        "EnvironmentClass": "mw1.small",
        "MaxWorkers": 10,
        "WebserverAccessMode": "PRIVATE_ONLY",
        "LastUpdate": {"Status": "FAILED", "Error": {"ErrorCode": "INCORRECT_CONFIGURATION", "ErrorMessage": "You may need to check the execution role permissions policy for your environment"}},
        "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}
    });
    if let Some(access) = access {
        env["ExecutionRoleArn"] = access.role_arn.clone().into();
        env["SourceBucketArn"] = format!("arn:aws:s3:::{}", access.bucket).into();
        env["KmsKey"] = access.key_arn.clone().into();
    }
    json!({"Environment": env}).to_string()
}

fn check<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .collect()
}

fn one<'a>(report: &'a Value, id: &str) -> &'a Value {
    let found = check(report, id);
    assert_eq!(found.len(), 1, "{id}: {found:#?}");
    found[0]
}

fn json_audit(args: &[&str]) -> Value {
    let mut all = vec!["audit", "--format", "json"];
    all.extend(args);
    let output = run(&all, true);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_role_without_sqs_an_unversioned_bucket_and_a_key_without_the_logs_grant() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.81").await;
    let access = seed_access(&clients, "airflow-access").await;
    let config = Config {
        canned: HashMap::from([(
            "GetEnvironment".to_string(),
            environment("airflow-access", &seeded, Some(&access)),
        )]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let target = [
        "--endpoint-url",
        &proxy.url,
        "--region",
        REGION,
        "--mwaa-env",
        "airflow-access",
    ];
    let report = json_audit(&target);

    let role = check(&report, "mwaa-execution-role-permissions");
    let failing: Vec<&&Value> = role.iter().filter(|c| c["status"] == "fail").collect();
    assert_eq!(failing.len(), 1, "{role:#?}");
    let detail = failing[0]["detail"].as_str().unwrap();
    for action in [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
    ] {
        assert!(
            detail.contains(&format!(
                "{action} (no statement of the role's 2 policies allows it)"
            )),
            "{action}: {detail}"
        );
    }
    assert!(detail.contains("airflow-access-execution-role"), "{detail}");
    assert!(
        failing[0]["remediation"]
            .as_str()
            .unwrap()
            .contains("aws iam put-role-policy --role-name airflow-access-execution-role"),
        "{:#}",
        failing[0]
    );
    assert_eq!(
        one(&report, "mwaa-bucket-exists-in-region")["status"],
        "pass"
    );
    let versioning = one(&report, "mwaa-bucket-versioning");
    assert_eq!(versioning["status"], "fail", "{versioning:#}");
    assert_eq!(
        one(&report, "mwaa-bucket-public-access-blocked")["status"],
        "pass"
    );
    assert_eq!(one(&report, "mwaa-kms-key-enabled")["status"], "pass");
    let grant = one(&report, "mwaa-kms-key-logs-grant");
    assert_eq!(grant["status"], "fail", "{grant:#}");
    assert!(
        grant["detail"]
            .as_str()
            .unwrap()
            .contains("no statement grants it to logs.us-east-1.amazonaws.com"),
        "{grant:#}"
    );
    let status = one(&report, "mwaa-env-status");
    let fix = status["remediation"].as_str().unwrap();
    assert!(
        fix.contains("Most likely the execution role: mwaa-execution-role-permissions"),
        "{fix}"
    );
    for cause in [
        "mwaa-execution-role-permissions",
        "mwaa-bucket-versioning",
        "mwaa-kms-key-logs-grant",
    ] {
        assert!(fix.contains(cause), "{cause}: {fix}");
    }

    // The snapshot replays offline to the same verdicts.
    let file = scratch("live_access").join("snap.json");
    let mut args = vec!["snapshot", "-o", file.to_str().unwrap()];
    args.extend(target);
    let saved = run(&args, true);
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let offline = json_audit(&["--snapshot", file.to_str().unwrap()]);
    let verdicts = |report: &Value| -> Vec<(String, String, String)> {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                let id = c["id"].as_str().unwrap();
                id.starts_with("mwaa-execution-role")
                    || id.starts_with("mwaa-bucket")
                    || id.starts_with("mwaa-kms-key")
                    || id == "mwaa-env-status"
            })
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                    c["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(verdicts(&offline), verdicts(&report));
    assert_eq!(verdicts(&report).len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_the_role_bucket_and_key_add_at_most_one_round_trip() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.82").await;
    let access = seed_access(&clients, "airflow-trips").await;
    let depth = |access: Option<&Access>, vpc: bool| {
        let config = Config {
            // Long enough that building and signing a wave of requests on a busy machine
            // never looks like a round trip of its own.
            latency: Duration::from_millis(300),
            canned: HashMap::from([(
                "GetEnvironment".to_string(),
                environment("airflow-trips", &seeded, access),
            )]),
            ..Config::default()
        };
        let vpc_id = seeded.vpc_id.clone();
        async move {
            let proxy = Proxy::start(&moto::url(), config).await;
            let mut args = vec![
                "audit",
                "--endpoint-url",
                &proxy.url,
                "--region",
                REGION,
                "--mwaa-env",
                "airflow-trips",
            ];
            if vpc {
                args.extend(["--vpc", vpc_id.as_str()]);
            }
            let output = run(&args, true);
            assert!(
                output.status.code().is_some_and(|c| c <= 1),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let actions = proxy.actions();
            (critical_path(&proxy.records()), actions)
        }
    };
    // `--mwaa-env` alone: GetEnvironment, the workload's subnets, two waves; the role's
    // reads (GetRole and the lists, GetPolicy, GetPolicyVersion) fit beside them: 4 either way.
    let (without, _) = settled(4, || depth(None, false)).await;
    let (with, actions) = settled(4, || depth(Some(&access), false)).await;
    assert_eq!((without, with), (4, 4), "{actions:?}");
    for read in [
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "s3:GetBucketLocation",
        "s3:GetBucketVersioning",
        "s3:GetBucketPublicAccessBlock",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
    ] {
        assert!(actions.iter().any(|a| a == read), "{read}: {actions:?}");
    }
    // With `--vpc` too the network needs one round trip less, and the role's chain is the
    // longest: one more than today's 3.
    let (without, _) = settled(3, || depth(None, true)).await;
    let (with, actions) = settled(4, || depth(Some(&access), true)).await;
    assert_eq!((without, with), (3, 4), "{actions:?}");
}

/// A depth measured again (twice at most) while it differs from `expected`: a busy machine
/// (the suite's other live tests share one single-threaded moto) can hold a request back past
/// another's answer, while a real extra round trip comes back every time.
async fn settled<F, Fut>(expected: usize, mut measure: F) -> (usize, Vec<String>)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = (usize, Vec<String>)>,
{
    let mut measured = measure().await;
    for _ in 0..2 {
        if measured.0 == expected {
            break;
        }
        measured = measure().await;
    }
    measured
}

/// Puts `metric` of `environment` in `namespace` under `dimension`, one point a minute over
/// the last ten minutes.
async fn put_environment_metric(
    clients: &linkscope::aws::Clients,
    (namespace, metric, dimension): (&str, &str, (&str, &str)),
    environment: &str,
    value: f64,
) {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let minute = now - now % 60;
    let data = (1..=10)
        .map(|i| {
            MetricDatum::builder()
                .metric_name(metric)
                .dimensions(
                    Dimension::builder()
                        .name(dimension.0)
                        .value(dimension.1)
                        .build(),
                )
                .dimensions(
                    Dimension::builder()
                        .name("Environment")
                        .value(environment)
                        .build(),
                )
                .timestamp(DateTime::from_secs(minute - 60 * i))
                .value(value)
                .build()
        })
        .collect();
    clients
        .cloudwatch
        .put_metric_data()
        .namespace(namespace)
        .set_metric_data(Some(data))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_the_environments_own_metrics_are_read_with_the_endpoints_and_absent_ones_are_unknown()
{
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.83").await;
    let name = "airflow-health";
    put_environment_metric(
        &clients,
        (
            "AmazonMWAA",
            "SchedulerHeartbeat",
            ("Function", "Scheduler"),
        ),
        name,
        12.0,
    )
    .await;
    put_environment_metric(
        &clients,
        ("AWS/MWAA", "CPUUtilization", ("Cluster", "BaseWorker")),
        name,
        97.0,
    )
    .await;
    let available = json!({"Environment": {
        "Name": name, "Status": "AVAILABLE", "EnvironmentClass": "mw1.medium", "MaxWorkers": 5,
        "NetworkConfiguration": {"SubnetIds": seeded.subnets, "SecurityGroupIds": [seeded.env_group]}
    }});
    let config = Config {
        canned: HashMap::from([("GetEnvironment".to_string(), available.to_string())]),
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let report = json_audit(&[
        "--endpoint-url",
        &proxy.url,
        "--region",
        REGION,
        "--mwaa-env",
        name,
    ]);
    // One GetMetricData call carries the endpoints' series and the environment's.
    let calls = proxy
        .actions()
        .iter()
        .filter(|a| *a == "monitoring:GetMetricData")
        .count();
    assert_eq!(calls, 1, "{:?}", proxy.actions());
    let heartbeat = one(&report, "mwaa-scheduler-heartbeat");
    assert_eq!(heartbeat["status"], "pass", "{heartbeat:#}");
    let busy = one(&report, "mwaa-component-utilization");
    assert_eq!(busy["status"], "warn", "{busy:#}");
    assert!(
        busy["remediation"]
            .as_str()
            .unwrap()
            .contains("--environment-class mw1.large "),
        "{busy:#}"
    );
    // Nothing was published about the queue: unknown, not zero.
    let queued = one(&report, "mwaa-tasks-queued");
    assert_eq!(queued["status"], "unknown", "{queued:#}");
    assert!(
        queued["detail"]
            .as_str()
            .unwrap()
            .contains("unknown, not zero"),
        "{queued:#}"
    );
    // Without a role, bucket or key named, their checks say why, never pass.
    assert_eq!(
        one(&report, "mwaa-execution-role-permissions")["status"],
        "unknown"
    );
    assert_eq!(one(&report, "mwaa-bucket-versioning")["status"], "unknown");
}
