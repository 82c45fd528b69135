//! `assets/probe-example.json`: what `linkscope probe` would report from a worker in the
//! troubled demo's VPC, built from the demo's own interface IPs and judged by the real
//! `checks::probe::judge`. `linkscope audit --demo --probe assets/probe-example.json` shows the
//! merge, and the probe sample of `docs/probe.md` is this file's text rendering.

use linkscope::checks::probe::judge;
use linkscope::cli::DemoScenario;
use linkscope::input::demo;
use linkscope::model::{
    ProbeAnswer, ProbeReport, ProbeResult, ProbeVerdict, RanOn, Rcode, TcpResult, TcpStep,
    TlsResult, TlsStep, derived_private_name,
};

const REGION: &str = "us-east-1";
const AMAZON_CA: &str = "C=US, O=Amazon, CN=Amazon RSA 2048 M02";

/// How the example's answers for one service behave.
enum Seen {
    /// The endpoint's interface IPs, reached with a valid certificate.
    Works,
    /// The endpoint's interface IPs, dropped (its security group admits no 443).
    Dropped,
    /// A public address (private DNS not in effect), dropped (no internet route).
    PublicDropped(&'static str),
    /// A public address reached (S3 over the gateway endpoint).
    PublicWorks(&'static str),
}

fn answer(ip: &str, seen: &Seen, subject: &str, ms: u64) -> ProbeAnswer {
    let connected = matches!(seen, Seen::Works | Seen::PublicWorks(_));
    ProbeAnswer {
        ip: ip.into(),
        private: linkscope::checks::probe::is_private(ip.parse().unwrap()),
        tcp: TcpStep {
            result: if connected {
                TcpResult::Ok
            } else {
                TcpResult::Timeout
            },
            ms: Some(if connected { ms } else { 3000 }),
        },
        tls: match connected {
            true => TlsStep {
                result: TlsResult::Ok,
                ms: Some(ms * 4),
                subject: Some(format!("CN={subject}")),
                issuer: Some(AMAZON_CA.into()),
                detail: None,
            },
            false => TlsStep {
                result: TlsResult::Skipped,
                ms: None,
                subject: None,
                issuer: None,
                detail: None,
            },
        },
        http: None,
    }
}

/// The example probe report.
pub fn probe_example() -> ProbeReport {
    let snapshot = demo(DemoScenario::Troubled);
    let ips_of = |suffix: &str| -> Vec<String> {
        let service = format!("com.amazonaws.{REGION}.{suffix}");
        let endpoint = snapshot
            .endpoints
            .iter()
            .find(|e| e.service_name == service)
            .unwrap();
        snapshot
            .endpoint_enis
            .iter()
            .filter(|eni| endpoint.network_interface_ids.contains(&eni.id))
            .filter_map(|eni| eni.private_ip.clone())
            .collect()
    };
    let plan: [(&str, Seen); 10] = [
        ("s3", Seen::PublicWorks("52.217.140.56")),
        ("monitoring", Seen::PublicDropped("52.46.142.118")),
        ("ecr.dkr", Seen::Works),
        ("ecr.api", Seen::Works),
        ("logs", Seen::PublicDropped("3.236.94.214")),
        ("sqs", Seen::Dropped),
        ("kms", Seen::Dropped),
        ("airflow.api", Seen::Works),
        ("airflow.env", Seen::Works),
        ("airflow.ops", Seen::PublicDropped("44.199.17.30")),
    ];
    let results = plan
        .iter()
        .enumerate()
        .map(|(i, (suffix, seen))| {
            let published = derived_private_name(REGION, suffix);
            let name = published.replace("*.", "example.");
            let ips = match seen {
                Seen::Works | Seen::Dropped => ips_of(suffix),
                Seen::PublicDropped(ip) | Seen::PublicWorks(ip) => vec![ip.to_string()],
            };
            let ms = 1 + i as u64 % 3;
            let mut result = ProbeResult {
                name,
                resolver: "system".into(),
                rcode: Rcode::NoError,
                answers: ips
                    .iter()
                    .map(|ip| answer(ip, seen, &published, ms))
                    .collect(),
                verdict: ProbeVerdict::Fail,
                explanation: String::new(),
            };
            (result.verdict, result.explanation) = judge(&result, 443);
            result
        })
        .collect();
    ProbeReport {
        roots: "webpki".into(),
        ran_on: RanOn {
            hostname: Some("ip-10-42-1-57.ec2.internal".into()),
            local_ips: vec!["10.42.1.57".into()],
            instance_id: Some("i-0b8e2f4c6a1d93e57".into()),
            subnet_id: Some(snapshot.subnets[0].id.clone()),
            at: Some("2026-11-25T06:04:12Z".into()),
        },
        results,
    }
}

#[test]
fn bundled_probe_example_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/probe-example.json");
    let expected = serde_json::to_string_pretty(&probe_example()).unwrap() + "\n";
    if std::env::var_os("LINKSCOPE_UPDATE_DEMO").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap();
    assert!(
        actual == expected,
        "{path} is stale: run LINKSCOPE_UPDATE_DEMO=1 cargo test --test integration demo_data"
    );
}

/// The sample probe output of `docs/probe.md` is the example's text rendering, line for line.
#[test]
fn docs_probe_sample_is_the_example_rendered() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/probe.md")).unwrap();
    let sample = page
        .split("$ linkscope probe --region us-east-1\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/probe.md shows a sample probe");
    let rendered = linkscope::report::probe_text::render(&probe_example());
    for line in sample.lines().filter(|l| l.trim() != "…") {
        assert!(
            rendered.lines().any(|o| o == line),
            "docs/probe.md probe sample line is not in the rendering of assets/probe-example.json: {line:?}\n{rendered}"
        );
    }
}
