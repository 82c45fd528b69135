//! The fleet benchmark (run by `scripts/bench.sh`, which starts moto): 50 MWAA environment
//! VPCs in each of 3 Regions, the 150 environments served by the proxy's MWAA stand-in, and
//! `linkscope audit --all-envs --regions …` through the proxy at 100 ms per request, over the
//! 150, then over 24 of them in one Region. Reports the wall time, the time outside moto, the
//! process's CPU time and peak memory, each Region's requests (EC2 next to one environment's
//! own audit), the rate limits' floor, and the sequential round trips on the critical path.
//! Prints a table and writes `target/bench/fleet.json`.

#[path = "../tests/integration/proxy.rs"]
#[allow(dead_code)]
mod proxy;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, IpPermission, IpRange, UserIdGroupPair, VpcEndpointType,
};
use linkscope::aws::rates::{self, Rate};
use linkscope::aws::{Clients, ConnectOptions};
use linkscope::checks::MWAA_SUFFIXES;
use proxy::{Config, Proxy, Record, critical_path, upstream_busy};
use serde_json::{Value, json};

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const ENVS_PER_REGION: usize = 50;
/// The environments of the one-Region run, all in the first Region.
const ONE_REGION: usize = 24;
const LATENCY: Duration = Duration::from_millis(100);

/// One seeded environment.
struct Env {
    name: String,
    region: &'static str,
    vpc_id: String,
    subnets: Vec<String>,
    group: String,
}

async fn clients(url: &str, region: &str) -> Clients {
    let options = ConnectOptions {
        region: Some(region.into()),
        endpoint_url: Some(url.into()),
        ..ConnectOptions::default()
    };
    Clients::connect(&options).await.unwrap()
}

/// An MWAA environment's VPC as `tests/integration/moto.rs` seeds one, in any Region: two
/// subnets, the environment's and the endpoints' security groups, the ten endpoints (s3 a
/// gateway) with private DNS, and ten minutes of metrics for the monitoring endpoint.
async fn seed_env(clients: &Clients, region: &'static str, i: usize) -> Env {
    let ec2 = &clients.ec2;
    let cidr = format!("10.{i}.0.0/16");
    let vpc = ec2.create_vpc().cidr_block(&cidr).send().await.unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.modify_vpc_attribute()
        .vpc_id(&vpc_id)
        .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .unwrap();
    let mut subnets = Vec::new();
    for (j, az) in ["a", "b"].into_iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.{i}.{j}.0/24"))
            .availability_zone(format!("{region}{az}"))
            .send()
            .await
            .unwrap();
        subnets.push(subnet.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    let tables = ec2
        .describe_route_tables()
        .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
        .send()
        .await
        .unwrap();
    let main_table = tables.route_tables()[0]
        .route_table_id()
        .unwrap()
        .to_string();
    let group = |name: &'static str| {
        ec2.create_security_group()
            .vpc_id(&vpc_id)
            .group_name(name)
            .description(name)
            .send()
    };
    let env_group = group("mwaa-env")
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    let self_reference = IpPermission::builder()
        .ip_protocol("-1")
        .user_id_group_pairs(UserIdGroupPair::builder().group_id(&env_group).build())
        .build();
    let endpoint_group = group("vpc-endpoints").await.unwrap();
    let endpoint_group = endpoint_group.group_id().unwrap().to_string();
    let https = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .ip_ranges(IpRange::builder().cidr_ip(&cidr).build())
        .build();
    for (id, rule) in [(&env_group, self_reference), (&endpoint_group, https)] {
        ec2.authorize_security_group_ingress()
            .group_id(id)
            .ip_permissions(rule)
            .send()
            .await
            .unwrap();
    }
    let mut monitoring = None;
    for suffix in MWAA_SUFFIXES {
        let service = format!("com.amazonaws.{region}.{suffix}");
        let request = ec2
            .create_vpc_endpoint()
            .vpc_id(&vpc_id)
            .service_name(&service);
        let request = match suffix == "s3" {
            true => request
                .vpc_endpoint_type(VpcEndpointType::Gateway)
                .route_table_ids(&main_table),
            false => request
                .vpc_endpoint_type(VpcEndpointType::Interface)
                .set_subnet_ids(Some(subnets.clone()))
                .security_group_ids(&endpoint_group)
                .private_dns_enabled(true),
        };
        let created = request.send().await.unwrap();
        let endpoint = created.vpc_endpoint().unwrap();
        let id = endpoint.vpc_endpoint_id().unwrap().to_string();
        if suffix == "monitoring" {
            monitoring = Some((service, id));
        }
    }
    let (service, endpoint_id) = monitoring.expect("monitoring is an MWAA service");
    let dimensions: Vec<Dimension> = [
        ("Endpoint Type", "Interface"),
        ("Service Name", &service),
        ("VPC Endpoint Id", &endpoint_id),
        ("VPC Id", &vpc_id),
    ]
    .into_iter()
    .map(|(n, v)| Dimension::builder().name(n).value(v).build())
    .collect();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let data = (1..=10)
        .map(|m| {
            MetricDatum::builder()
                .metric_name("ActiveConnections")
                .set_dimensions(Some(dimensions.clone()))
                .timestamp(DateTime::from_secs(now - now % 60 - 60 * m))
                .value(5.0)
                .build()
        })
        .collect();
    clients
        .cloudwatch
        .put_metric_data()
        .namespace("AWS/PrivateLinkEndpoints")
        .set_metric_data(Some(data))
        .send()
        .await
        .unwrap();
    Env {
        name: format!("bench-{region}-{i:02}"),
        region,
        vpc_id,
        subnets,
        group: env_group,
    }
}

/// Every environment of every Region, seeded a few at a time.
async fn seed(moto: &str) -> Vec<Env> {
    let limit = Arc::new(tokio::sync::Semaphore::new(6));
    let mut tasks = tokio::task::JoinSet::new();
    for region in REGIONS {
        let clients = Arc::new(clients(moto, region).await);
        for i in 0..ENVS_PER_REGION {
            let (clients, limit) = (clients.clone(), limit.clone());
            tasks.spawn(async move {
                let _slot = limit.acquire().await.unwrap();
                seed_env(&clients, region, i).await
            });
        }
    }
    let mut envs = tasks.join_all().await;
    envs.sort_by(|a, b| a.name.cmp(&b.name));
    envs
}

/// The MWAA stand-in for `envs`: each Region's `ListEnvironments`, and each environment's
/// `GetEnvironment`, at [`LATENCY`] per request like every other call.
fn config(envs: &[&Env]) -> Config {
    let mut canned = HashMap::new();
    for region in REGIONS {
        let names: Vec<&str> = envs
            .iter()
            .filter(|e| e.region == region)
            .map(|e| e.name.as_str())
            .collect();
        canned.insert(
            format!("{region} ListEnvironments"),
            json!({ "Environments": names }).to_string(),
        );
    }
    for env in envs {
        let environment = json!({"Environment": {
            "Name": env.name, "Status": "AVAILABLE", "SourceBucketArn": "arn:aws:s3:::my-dags",
            "WebserverAccessMode": "PRIVATE_ONLY",
            "NetworkConfiguration": {"SubnetIds": env.subnets, "SecurityGroupIds": [env.group]}
        }});
        canned.insert(
            format!("GetEnvironment /environments/{}", env.name),
            environment.to_string(),
        );
    }
    Config {
        latency: LATENCY,
        canned,
        ..Config::default()
    }
}

/// User plus system CPU time and the largest resident set (KiB) of the finished children.
fn children_usage() -> (Duration, i64) {
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    let time = |t: nix::sys::time::TimeVal| {
        Duration::new(t.tv_sec() as u64, 0) + Duration::from_micros(t.tv_usec() as u64)
    };
    (
        time(usage.user_time()) + time(usage.system_time()),
        usage.max_rss(),
    )
}

/// One `linkscope audit` through a fresh proxy: its wall and CPU time, report and records.
async fn audit(
    moto: &str,
    config: &Config,
    target: &[&str],
) -> (Duration, Duration, Value, Vec<Record>) {
    let proxy = Proxy::start(moto, config.clone()).await;
    let mut args = vec!["audit", "--endpoint-url", &proxy.url, "--format", "json"];
    // moto is slow under load: a budget that no call reaches, so that nothing is retried.
    args.extend(["--timeout", "600"]);
    args.extend(target);
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (cpu_before, _) = children_usage();
    let started = Instant::now();
    let bin = env!("CARGO_BIN_EXE_linkscope");
    let output = tokio::task::spawn_blocking(move || Command::new(bin).args(args).output())
        .await
        .unwrap()
        .unwrap();
    let wall = started.elapsed();
    let cpu = children_usage().0 - cpu_before;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.code().is_some_and(|c| c <= 1), "{stderr}");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (wall, cpu, report, proxy.records())
}

/// The time any request was at the proxy (the union of arrival-to-reply intervals).
fn in_flight(records: &[Record]) -> Duration {
    let mut spans: Vec<(Instant, Instant)> =
        records.iter().map(|r| (r.arrived, r.finished)).collect();
    spans.sort();
    let (mut total, mut current) = (Duration::ZERO, None::<(Instant, Instant)>);
    for (start, end) in spans {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(Duration::ZERO, |(s, e)| e - s)
}

struct Fleet {
    wall: Duration,
    busy: Duration,
    cpu: Duration,
    in_flight: Duration,
    requests: usize,
    /// Per Region: requests, EC2, Route 53 and GetMetricData calls, first arrival and last
    /// reply from the start, the rate-limit floor, and the sequential round trips.
    regions: BTreeMap<String, Value>,
    /// The seconds moto spent on each action, summed over its requests.
    moto_by_action: BTreeMap<String, f64>,
    /// Sequential round trips of the whole run.
    critical_path: usize,
    audited: usize,
    report_bytes: usize,
}

/// The seconds a Region's `n` calls of one service need at least at `rate` after its burst.
fn floor(n: usize, rate: Rate) -> f64 {
    n.saturating_sub(rate.burst as usize) as f64 / rate.per_second
}

/// `linkscope audit --all-envs` over the Regions of `envs`, the proxy serving them.
async fn fleet_run(moto: &str, envs: &[&Env]) -> Fleet {
    let config = config(envs);
    let mut regions: Vec<&str> = envs.iter().map(|e| e.region).collect();
    regions.dedup();
    let listed = regions.join(",");
    let args = ["--all-envs", "--regions", listed.as_str()];
    let (wall, cpu, report, records) = audit(moto, &config, &args).await;
    assert_eq!(report["failed"], json!([]), "every environment is audited");
    let audited = report["summary"]["audited"].as_u64().unwrap() as usize;
    assert_eq!(audited, envs.len());
    let origin = records.iter().map(|r| r.arrived).min().unwrap();
    let mut by_region = BTreeMap::new();
    for region in regions {
        let of: Vec<Record> = records
            .iter()
            .filter(|r| r.region == region)
            .cloned()
            .collect();
        let count = |service: &str| of.iter().filter(|r| r.service == service).count();
        let (ec2, route53, cloudwatch) = (count("ec2"), count("route53"), count("monitoring"));
        // DescribeVpcAttribute takes one VPC and one attribute: no filter can batch it.
        let attributes = of
            .iter()
            .filter(|r| r.action == "DescribeVpcAttribute")
            .count();
        let floor = floor(ec2, rates::EC2).max(floor(cloudwatch, rates::CLOUDWATCH));
        let first = of.iter().map(|r| r.arrived).min().unwrap() - origin;
        let last = of.iter().map(|r| r.finished).max().unwrap() - origin;
        by_region.insert(
            region.to_string(),
            json!({"requests": of.len(), "ec2": ec2, "ec2_vpc_attribute": attributes, "route53": route53,
                   "get_metric_data": cloudwatch, "first_s": secs(first), "last_s": secs(last),
                   "rate_floor_s": floor, "critical_path": critical_path(&of)}),
        );
    }
    let mut moto_by_action: BTreeMap<String, f64> = BTreeMap::new();
    for r in &records {
        if let Some((from, to)) = r.upstream {
            *moto_by_action.entry(r.action.clone()).or_default() += (to - from).as_secs_f64();
        }
    }
    Fleet {
        wall,
        busy: upstream_busy(&records),
        moto_by_action,
        cpu,
        in_flight: in_flight(&records),
        requests: records.len(),
        regions: by_region,
        critical_path: critical_path(&records),
        audited,
        report_bytes: report.to_string().len(),
    }
}

/// `runs` fleet runs of `envs`: the median by wall time, and every run's wall time.
async fn median_run(moto: &str, envs: &[&Env], runs: usize, what: &str) -> (Fleet, Vec<f64>) {
    let mut fleets = Vec::new();
    for run in 1..=runs {
        eprintln!("{what}, run {run}/{runs}…");
        let fleet = fleet_run(moto, envs).await;
        eprintln!(
            "  {:.1} s wall, {:.1} s in moto, {:.1} s CPU, {} requests",
            fleet.wall.as_secs_f64(),
            fleet.busy.as_secs_f64(),
            fleet.cpu.as_secs_f64(),
            fleet.requests
        );
        fleets.push(fleet);
    }
    fleets.sort_by_key(|f| f.wall);
    let walls = fleets.iter().map(|f| secs(f.wall)).collect();
    (fleets.remove(fleets.len() / 2), walls)
}

/// A run's figures as JSON.
fn figures(fleet: &Fleet, walls: &[f64]) -> Value {
    let outside = fleet.wall.saturating_sub(fleet.busy);
    json!({
        "wall_s": secs(fleet.wall), "moto_busy_s": secs(fleet.busy), "outside_moto_s": secs(outside),
        "no_request_in_flight_s": secs(fleet.wall.saturating_sub(fleet.in_flight)),
        "cpu_s": secs(fleet.cpu), "requests": fleet.requests, "audited": fleet.audited,
        "critical_path": fleet.critical_path, "by_region": fleet.regions,
        "report_bytes": fleet.report_bytes, "all_runs_wall_s": walls,
        "moto_busy_by_action_s": fleet.moto_by_action.iter()
            .map(|(action, s)| (action.clone(), json!((s * 100.0).round() / 100.0)))
            .collect::<serde_json::Map<_, _>>(),
    })
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 100.0).round() / 100.0
}

/// Clears moto, so that the Region-wide describes see only this benchmark's resources.
async fn reset(moto: &str) {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<bytes::Bytes>>();
    let request = hyper::Request::post(format!("{moto}/moto-api/reset"))
        .body(http_body_util::Empty::new())
        .unwrap();
    assert!(client.request(request).await.unwrap().status().is_success());
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it,
    // and there it only proves that the benchmark still builds.
    if !std::env::args().any(|a| a == "--bench") {
        println!("the fleet benchmark runs with scripts/bench.sh");
        return;
    }
    let moto = std::env::var("LINKSCOPE_MOTO_URL")
        .expect("run scripts/bench.sh: it starts the moto server");
    let runs: usize = std::env::var("LINKSCOPE_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    reset(&moto).await;
    let started = Instant::now();
    eprintln!("seeding {ENVS_PER_REGION} environment VPCs in each of {REGIONS:?}…");
    let envs = seed(&moto).await;
    eprintln!("  seeded in {:.0} s", started.elapsed().as_secs_f64());
    let all: Vec<&Env> = envs.iter().collect();

    // The fleet runs come first: RUSAGE_CHILDREN's peak is then the fleet process's.
    let (fleet, walls) = median_run(&moto, &all, runs, "fleet audit").await;
    let peak_mib = children_usage().1 as f64 / 1024.0;

    // 24 environments in one Region, as a new user would try it.
    let one_region: Vec<&Env> = envs
        .iter()
        .filter(|e| e.region == REGIONS[0])
        .take(ONE_REGION)
        .collect();
    let what = format!("{ONE_REGION} environments in {}", REGIONS[0]);
    let (small, small_walls) = median_run(&moto, &one_region, runs, &what).await;

    // One target of the same fleet, alone (unpaced, as `linkscope audit` runs it).
    let first = &envs[0];
    let config = config(&all);
    let mut single = serde_json::Map::new();
    for (name, target) in [
        (
            "--mwaa-env",
            ["--mwaa-env", first.name.as_str(), "--region", first.region],
        ),
        (
            "--vpc",
            ["--vpc", first.vpc_id.as_str(), "--region", first.region],
        ),
    ] {
        let (wall, _, _, records) = audit(&moto, &config, &target).await;
        let ec2 = records.iter().filter(|r| r.service == "ec2").count();
        single.insert(
            name.into(),
            json!({"wall_s": secs(wall), "requests": records.len(), "ec2": ec2,
                   "critical_path": critical_path(&records)}),
        );
    }
    let single_ec2 = single["--mwaa-env"]["ec2"].as_u64().unwrap() as f64;

    let outside = fleet.wall.saturating_sub(fleet.busy);
    let small_outside = small.wall.saturating_sub(small.busy);
    let most_ec2 = |f: &Fleet| {
        f.regions
            .values()
            .map(|r| r["ec2"].as_u64().unwrap())
            .max()
            .unwrap_or(0) as f64
    };
    println!(
        "\nlinkscope fleet benchmark: {} environments ({ENVS_PER_REGION} in each of {}), {} ms per request (median of {runs})",
        envs.len(),
        REGIONS.join(", "),
        LATENCY.as_millis()
    );
    println!(
        "wall time:                 {:>7.1} s",
        fleet.wall.as_secs_f64()
    );
    println!(
        "  in moto:                 {:>7.1} s",
        fleet.busy.as_secs_f64()
    );
    println!(
        "  outside moto:            {:>7.1} s (target < 3 s)",
        outside.as_secs_f64()
    );
    println!(
        "  no request in flight:    {:>7.1} s",
        fleet.wall.saturating_sub(fleet.in_flight).as_secs_f64()
    );
    println!(
        "CPU time (user + system):  {:>7.1} s",
        fleet.cpu.as_secs_f64()
    );
    println!("peak memory:               {peak_mib:>7.1} MiB (target < 200 MB)");
    println!("requests:                  {:>7}", fleet.requests);
    for (region, r) in &fleet.regions {
        println!(
            "  {region:<15} {:>5} requests, {:>4} EC2 ({:.1}× one environment's {single_ec2}; {} of them DescribeVpcAttribute, 2 a VPC), {:>3} Route 53, {:>3} GetMetricData, {:>2} round trips, from {:>5.1} s to {:>5.1} s, rate floor {:.1} s",
            r["requests"],
            r["ec2"],
            r["ec2"].as_f64().unwrap() / single_ec2,
            r["ec2_vpc_attribute"],
            r["route53"],
            r["get_metric_data"],
            r["critical_path"],
            r["first_s"].as_f64().unwrap(),
            r["last_s"].as_f64().unwrap(),
            r["rate_floor_s"].as_f64().unwrap()
        );
    }
    let mut slowest: Vec<(&String, &f64)> = fleet.moto_by_action.iter().collect();
    slowest.sort_by(|a, b| b.1.total_cmp(a.1));
    let slowest: Vec<String> = slowest
        .iter()
        .take(4)
        .map(|(action, s)| format!("{action} {s:.1} s"))
        .collect();
    println!("  moto's busiest actions: {}", slowest.join(", "));
    println!(
        "round trips on the critical path: {} (alone: --mwaa-env {}, --vpc {})",
        fleet.critical_path,
        single["--mwaa-env"]["critical_path"],
        single["--vpc"]["critical_path"]
    );
    println!(
        "{ONE_REGION} environments in {}: {:.1} s wall, {:.1} s outside moto, {:.1} s CPU, {} EC2 requests ({:.1}× one environment's), {} round trips",
        REGIONS[0],
        small.wall.as_secs_f64(),
        small_outside.as_secs_f64(),
        small.cpu.as_secs_f64(),
        most_ec2(&small),
        most_ec2(&small) / single_ec2,
        small.critical_path
    );
    // One environment's own EC2 calls less its 2 DescribeVpcAttribute: what batching can share.
    let batchable = |f: &Fleet| {
        f.regions
            .values()
            .map(|r| r["ec2"].as_u64().unwrap() - r["ec2_vpc_attribute"].as_u64().unwrap())
            .max()
            .unwrap_or(0) as f64
    };
    let single_batchable = single_ec2 - 2.0;
    println!(
        "EC2 requests other than DescribeVpcAttribute, per Region: {} for {} environments ({:.1}×), {} for {ONE_REGION} ({:.1}×), against one environment's {single_batchable}",
        batchable(&fleet),
        ENVS_PER_REGION,
        batchable(&fleet) / single_batchable,
        batchable(&small),
        batchable(&small) / single_batchable,
    );
    println!(
        "fleet report: {:.1} MB of JSON",
        fleet.report_bytes as f64 / 1e6
    );
    let targets = json!({
        "outside_moto_under_3s": outside < Duration::from_secs(3),
        "ec2_per_region_at_most_3x_one": most_ec2(&fleet) <= 3.0 * single_ec2,
        "peak_memory_under_200mb": peak_mib < 200.0,
        "one_region_outside_moto_under_3s": small_outside < Duration::from_secs(3),
        "one_region_ec2_at_most_2x_one": most_ec2(&small) <= 2.0 * single_ec2,
        "ec2_but_vpc_attributes_per_region_at_most_3x_one": batchable(&fleet) <= 3.0 * single_batchable,
        "one_region_ec2_but_vpc_attributes_at_most_2x_one": batchable(&small) <= 2.0 * single_batchable,
    });
    println!("targets: {targets}");
    let results = json!({
        "environments": envs.len(), "regions": REGIONS, "latency_ms": LATENCY.as_millis() as u64,
        "runs": runs, "peak_rss_mib": peak_mib,
        "fleet": figures(&fleet, &walls),
        "one_region": figures(&small, &small_walls),
        "single_target": single,
        "targets": targets,
    });
    std::fs::create_dir_all("target/bench").unwrap();
    std::fs::write(
        "target/bench/fleet.json",
        serde_json::to_string_pretty(&results).unwrap(),
    )
    .unwrap();
    println!("wrote target/bench/fleet.json");
}
