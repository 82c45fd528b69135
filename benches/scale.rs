//! The scale benchmark (run by `scripts/bench.sh`, which starts moto): a VPC with 300
//! interface endpoints, 60 subnets, 60 route tables, 100 security groups and metric data for
//! every endpoint, audited through the latency proxy at 0 ms and 100 ms per request; a naive
//! sequential collection of the same data; peak memory; one dashboard frame with 1,000
//! endpoints; the first frame before any AWS call returns. Prints a table and writes
//! `target/bench/results.json`.

#[path = "../tests/integration/proxy.rs"]
#[allow(dead_code)]
mod proxy;

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, Statistic};
use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, VpcEndpointType};
use linkscope::app::{Action, App, Tab, update};
use linkscope::aws::{Clients, ConnectOptions};
use linkscope::cli::DemoScenario;
use proxy::{Config, Proxy, critical_path, upstream_busy};
use serde_json::json;

const REGION: &str = "us-east-1";
const ENDPOINTS: usize = 300;
const SUBNETS: usize = 60;
const GROUPS: usize = 100;
const RUNS: usize = 3;

struct Seeded {
    vpc_id: String,
    subnets: Vec<String>,
    group: String,
}

async fn clients(url: &str) -> Clients {
    let options = ConnectOptions {
        region: Some(REGION.into()),
        endpoint_url: Some(url.into()),
        ..ConnectOptions::default()
    };
    Clients::connect(&options).await.unwrap()
}

async fn seed(clients: &Clients) -> Seeded {
    let ec2 = &clients.ec2;
    let vpc_id = ec2
        .create_vpc()
        .cidr_block("10.100.0.0/16")
        .send()
        .await
        .unwrap()
        .vpc()
        .unwrap()
        .vpc_id()
        .unwrap()
        .to_string();
    let mut subnets = Vec::new();
    for i in 0..SUBNETS {
        let az = ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3];
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.100.{i}.0/24"))
            .availability_zone(az)
            .send()
            .await
            .unwrap();
        let subnet = subnet.subnet().unwrap().subnet_id().unwrap().to_string();
        let table = ec2
            .create_route_table()
            .vpc_id(&vpc_id)
            .send()
            .await
            .unwrap();
        let table = table
            .route_table()
            .unwrap()
            .route_table_id()
            .unwrap()
            .to_string();
        ec2.associate_route_table()
            .route_table_id(&table)
            .subnet_id(&subnet)
            .send()
            .await
            .unwrap();
        subnets.push(subnet);
    }
    let mut groups = Vec::new();
    for i in 0..GROUPS {
        let group = ec2
            .create_security_group()
            .vpc_id(&vpc_id)
            .group_name(format!("bench-{i}"))
            .description("bench")
            .send()
            .await
            .unwrap();
        let group = group.group_id().unwrap().to_string();
        ec2.authorize_security_group_ingress()
            .group_id(&group)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .ip_ranges(IpRange::builder().cidr_ip("10.100.0.0/16").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        groups.push(group);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut data = Vec::new();
    for i in 0..ENDPOINTS {
        let service = format!("com.amazonaws.vpce.{REGION}.vpce-svc-{i:017x}");
        let pair = vec![
            subnets[i % SUBNETS].clone(),
            subnets[(i + 1) % SUBNETS].clone(),
        ];
        let created = ec2
            .create_vpc_endpoint()
            .vpc_id(&vpc_id)
            .service_name(&service)
            .vpc_endpoint_type(VpcEndpointType::Interface)
            .set_subnet_ids(Some(pair))
            .security_group_ids(&groups[i % GROUPS])
            .private_dns_enabled(false)
            .send()
            .await
            .unwrap();
        let id = created
            .vpc_endpoint()
            .unwrap()
            .vpc_endpoint_id()
            .unwrap()
            .to_string();
        let dimensions = [
            ("Endpoint Type", "Interface".to_string()),
            ("Service Name", service),
            ("VPC Endpoint Id", id),
            ("VPC Id", vpc_id.clone()),
        ]
        .into_iter()
        .map(|(n, v)| Dimension::builder().name(n).value(v).build())
        .collect::<Vec<_>>();
        data.push(
            MetricDatum::builder()
                .metric_name("ActiveConnections")
                .set_dimensions(Some(dimensions))
                .timestamp(DateTime::from_secs(now - now % 60 - 120))
                .value(3.0)
                .build(),
        );
    }
    for batch in data.chunks(500) {
        clients
            .cloudwatch
            .put_metric_data()
            .namespace("AWS/PrivateLinkEndpoints")
            .set_metric_data(Some(batch.to_vec()))
            .send()
            .await
            .unwrap();
    }
    Seeded {
        vpc_id,
        subnets,
        group: groups[0].clone(),
    }
}

/// Linux `getrusage(RUSAGE_CHILDREN)`: the largest resident set of any finished child, KiB.
fn children_peak_rss_kib() -> i64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map_or(0, |usage| usage.max_rss())
}

struct Measure {
    wall: Duration,
    busy: Duration,
    requests: usize,
    critical_path: usize,
}

/// Median of `RUNS` audits through a fresh proxy each time.
async fn audit(moto: &str, config: &Config, target: &[&str]) -> Measure {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let proxy = Proxy::start(moto, config.clone()).await;
        // moto needs seconds for 500-query GetMetricData calls: a generous budget, so that
        // nothing is retried and moto's own time is measured, not timeouts.
        let mut args = vec![
            "audit",
            "--endpoint-url",
            &proxy.url,
            "--region",
            REGION,
            "--format",
            "json",
            "--timeout",
            "600",
        ];
        args.extend(target);
        let bin = env!("CARGO_BIN_EXE_linkscope");
        let started = Instant::now();
        let output = tokio::task::spawn_blocking({
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            move || Command::new(bin).args(args).output().unwrap()
        })
        .await
        .unwrap();
        let wall = started.elapsed();
        let records = proxy.records();
        if std::env::var_os("LINKSCOPE_BENCH_VERBOSE").is_some()
            || output.status.code().is_none_or(|c| c > 1)
        {
            for r in &records {
                let moto = r.upstream.map_or(0.0, |(a, b)| ms(b - a));
                eprintln!(
                    "  {}:{} {:.0} ms total, {moto:.0} ms in moto",
                    r.service,
                    r.action,
                    ms(r.finished - r.arrived)
                );
            }
        }
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!("  {:.0} ms, {} requests", ms(wall), records.len());
        runs.push(Measure {
            wall,
            busy: upstream_busy(&records),
            requests: records.len(),
            critical_path: critical_path(&records),
        });
    }
    runs.sort_by_key(|m| m.wall);
    runs.remove(RUNS / 2)
}

/// One call after another, as a shell script over the AWS CLI does it: each describe, the
/// network interfaces of each endpoint, and `get-metric-statistics` per endpoint and metric.
async fn naive(url: &str, vpc_id: &str) -> Duration {
    let clients = clients(url).await;
    let ec2 = &clients.ec2;
    let vpc = || Filter::builder().name("vpc-id").values(vpc_id).build();
    let started = Instant::now();
    ec2.describe_vpcs().vpc_ids(vpc_id).send().await.unwrap();
    for attribute in [
        aws_sdk_ec2::types::VpcAttributeName::EnableDnsSupport,
        aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames,
    ] {
        ec2.describe_vpc_attribute()
            .vpc_id(vpc_id)
            .attribute(attribute)
            .send()
            .await
            .unwrap();
    }
    ec2.describe_subnets().filters(vpc()).send().await.unwrap();
    ec2.describe_route_tables()
        .filters(vpc())
        .send()
        .await
        .unwrap();
    ec2.describe_prefix_lists().send().await.unwrap();
    ec2.describe_security_groups()
        .filters(vpc())
        .send()
        .await
        .unwrap();
    ec2.describe_network_acls()
        .filters(vpc())
        .send()
        .await
        .unwrap();
    let endpoints = ec2
        .describe_vpc_endpoints()
        .filters(vpc())
        .send()
        .await
        .unwrap();
    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for endpoint in endpoints.vpc_endpoints() {
        ec2.describe_network_interfaces()
            .set_network_interface_ids(Some(endpoint.network_interface_ids().to_vec()))
            .send()
            .await
            .unwrap();
        for metric in [
            "ActiveConnections",
            "BytesProcessed",
            "NewConnections",
            "PacketsDropped",
            "RstPacketsReceived",
        ] {
            let dimensions = [
                ("Endpoint Type", "Interface"),
                ("Service Name", endpoint.service_name().unwrap()),
                ("VPC Endpoint Id", endpoint.vpc_endpoint_id().unwrap()),
                ("VPC Id", vpc_id),
            ]
            .into_iter()
            .map(|(n, v)| Dimension::builder().name(n).value(v).build());
            clients
                .cloudwatch
                .get_metric_statistics()
                .namespace("AWS/PrivateLinkEndpoints")
                .metric_name(metric)
                .set_dimensions(Some(dimensions.collect()))
                .start_time(DateTime::from_secs(end - end % 60 - 3 * 3600))
                .end_time(DateTime::from_secs(end - end % 60))
                .period(60)
                .statistics(Statistic::Sum)
                .send()
                .await
                .unwrap();
        }
    }
    started.elapsed()
}

/// Median time to render one dashboard frame with 1,000 endpoints, release build.
fn frame_time() -> Duration {
    let mut snapshot = linkscope::input::demo(DemoScenario::Troubled);
    let template = snapshot.endpoints[1].clone();
    let series: Vec<_> = snapshot
        .metrics
        .series
        .iter()
        .filter(|s| s.endpoint_id == template.id)
        .cloned()
        .collect();
    for i in 0..1000 - snapshot.endpoints.len() {
        let id = format!("vpce-1{i:016x}");
        snapshot.endpoints.push(linkscope::model::VpcEndpoint {
            id: id.clone(),
            ..template.clone()
        });
        snapshot
            .metrics
            .series
            .extend(series.iter().map(|s| linkscope::model::MetricSeries {
                endpoint_id: id.clone(),
                ..s.clone()
            }));
    }
    let mut app = App::default();
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(snapshot)),
        },
    );
    update(
        &mut app,
        Action::SelectTab(Tab::named("Endpoints").unwrap()),
    );
    update(&mut app, Action::PageDown);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 50)).unwrap();
    let theme = linkscope::ui::Theme::color();
    let mut times = Vec::new();
    for _ in 0..101 {
        let started = Instant::now();
        terminal
            .draw(|f| linkscope::ui::render(&app, f, &theme))
            .unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// Time from start until the dashboard's first frame is on screen, while AWS has not answered.
async fn first_frame(moto: &str, vpc_id: &str) -> Duration {
    let proxy = Proxy::start(
        moto,
        Config {
            latency: Duration::from_secs(5),
            ..Config::default()
        },
    )
    .await;
    let session = format!("linkscope-bench-{}", std::process::id());
    let command = format!(
        "{} --endpoint-url {} --region {REGION} --vpc {vpc_id}",
        env!("CARGO_BIN_EXE_linkscope"),
        proxy.url
    );
    let tmux = |args: &[&str]| Command::new("tmux").args(args).output().expect("tmux");
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        "sleep 30",
    ]);
    let started = Instant::now();
    tmux(&["respawn-pane", "-k", "-t", &session, &command]);
    let shown = loop {
        let screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &session]).stdout)
            .to_string();
        if screen.contains("Collecting VPC endpoints") {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "no frame:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(proxy.records().is_empty(), "no AWS call had returned");
    tmux(&["kill-session", "-t", &session]);
    shown
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it,
    // and there it only proves that the benchmark still builds.
    if !std::env::args().any(|a| a == "--bench") {
        println!("the scale benchmark runs with scripts/bench.sh");
        return;
    }
    // `cargo bench --bench scale -- frame`: only the rendering figure, no server needed.
    if std::env::args().any(|a| a == "frame") {
        println!(
            "dashboard frame, 1,000 endpoints: {:.2} ms (median of 101)",
            frame_time().as_secs_f64() * 1000.0
        );
        return;
    }
    let moto = std::env::var("LINKSCOPE_MOTO_URL")
        .expect("run scripts/bench.sh: it starts the moto server");
    eprintln!(
        "seeding {ENDPOINTS} endpoints, {SUBNETS} subnets and route tables, {GROUPS} security groups…"
    );
    let seeded = seed(&clients(&moto).await).await;
    let vpc = ["--vpc", seeded.vpc_id.as_str()];
    let environment = json!({"Environment": {"Name": "bench", "NetworkConfiguration": {"SubnetIds": seeded.subnets[..2], "SecurityGroupIds": [seeded.group]}}});
    let with_latency = |ms: u64| Config {
        latency: Duration::from_millis(ms),
        canned: HashMap::from([("GetEnvironment".to_string(), environment.to_string())]),
        ..Config::default()
    };

    let mut rows = Vec::new();
    let mut results = serde_json::Map::new();
    for (name, latency, target) in [
        ("audit --vpc", 0, &vpc[..]),
        ("audit --vpc", 100, &vpc[..]),
        ("audit --mwaa-env", 100, &["--mwaa-env", "bench"][..]),
    ] {
        eprintln!("{name} at {latency} ms…");
        let m = audit(&moto, &with_latency(latency), target).await;
        let outside = m.wall.saturating_sub(m.busy);
        rows.push(format!(
            "{name:<18} {latency:>4} ms {:>9.1} {:>9.1} {:>9.1} {:>8} {:>6}",
            ms(m.wall),
            ms(m.busy),
            ms(outside),
            m.requests,
            m.critical_path
        ));
        results.insert(
            format!("{} {latency}ms", name.replace("audit ", "")),
            json!({"wall_ms": ms(m.wall), "moto_busy_ms": ms(m.busy), "outside_moto_ms": ms(outside), "requests": m.requests, "critical_path": m.critical_path}),
        );
    }
    let peak_kib = children_peak_rss_kib();

    eprintln!("naive sequential collection at 100 ms…");
    let naive_proxy = Proxy::start(&moto, with_latency(100)).await;
    let naive_wall = naive(&naive_proxy.url, &seeded.vpc_id).await;
    let linkscope_wall = results["--vpc 100ms"]["wall_ms"].as_f64().unwrap();
    let speedup = ms(naive_wall) / linkscope_wall;
    let frame = frame_time();
    let first = first_frame(&moto, &seeded.vpc_id).await;

    println!(
        "\nlinkscope scale benchmark: {ENDPOINTS} interface endpoints, {SUBNETS} subnets, {SUBNETS} route tables, {GROUPS} security groups"
    );
    println!(
        "{:<18} {:>7} {:>9} {:>9} {:>9} {:>8} {:>6}",
        "run", "latency", "wall ms", "moto ms", "outside", "requests", "depth"
    );
    for row in &rows {
        println!("{row}");
    }
    println!(
        "naive sequential at 100 ms: {:.1} ms ({} requests), {speedup:.1}× linkscope",
        ms(naive_wall),
        naive_proxy.records().len()
    );
    println!("peak memory of audit: {:.1} MiB", peak_kib as f64 / 1024.0);
    println!(
        "dashboard frame, 1,000 endpoints: {:.2} ms (median of 101)",
        frame.as_secs_f64() * 1000.0
    );
    println!("first frame before any AWS reply: {:.1} ms", ms(first));

    results.insert("naive_100ms".into(), json!({"wall_ms": ms(naive_wall), "requests": naive_proxy.records().len(), "slower_than_linkscope": speedup}));
    results.insert("peak_rss_mib".into(), json!(peak_kib as f64 / 1024.0));
    results.insert(
        "frame_1000_endpoints_ms".into(),
        json!(frame.as_secs_f64() * 1000.0),
    );
    results.insert("first_frame_ms".into(), json!(ms(first)));
    let targets = json!({
        "outside_moto_vpc_100ms_under_600ms": results["--vpc 100ms"]["outside_moto_ms"].as_f64().unwrap() < 600.0,
        "outside_moto_mwaa_100ms_under_900ms": results["--mwaa-env 100ms"]["outside_moto_ms"].as_f64().unwrap() < 900.0,
        "naive_at_least_5x_slower": speedup >= 5.0,
        "frame_under_5ms": frame < Duration::from_millis(5),
        "peak_memory_under_100mb": (peak_kib as f64 / 1024.0) < 100.0,
        "first_frame_under_150ms": first < Duration::from_millis(150),
    });
    println!("targets: {targets}");
    results.insert("targets".into(), targets);
    std::fs::create_dir_all("target/bench").unwrap();
    std::fs::write(
        "target/bench/results.json",
        serde_json::to_string_pretty(&results).unwrap(),
    )
    .unwrap();
    println!("wrote target/bench/results.json");
}
