//! `linkscope probe` end to end, on loopback only: a stub DNS server, TLS listeners with
//! certificates made by rcgen, an address where nothing listens, a listener whose accept
//! backlog is full, and a stub instance metadata service. Every answer the stub DNS gives is
//! in 127.0.0.0/8 or ::1, so even a regression that connected where it should not would stay
//! on loopback; public answers are judged in `checks::probe`'s unit tests.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hickory_resolver::proto::op::{Message, OpCode, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, AAAA};
use hickory_resolver::proto::rr::{RData, Record, RecordType};
use linkscope::model::derived_private_name;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use crate::cli::{assert_clean_failure, run, run_with, scratch};

const REGION: &str = "us-east-1";
/// Verifies with the test root (given as SSL_CERT_FILE), for the names it serves.
const GOOD: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// A certificate from the test root, for another name.
const WRONG_NAME: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
/// A certificate from the "inspection proxy" root, which only `--ca-file` trusts.
const PROXIED: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 4);
/// Accepts TCP and answers in plain text: no TLS.
const NOT_TLS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 5);
/// Nothing listens: connections are refused.
const REFUSED: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 6);
/// A listener whose accept backlog is full: connections time out.
const FULL: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 7);

/// What the stub DNS server does for one name.
#[derive(Debug, Clone, Copy)]
enum Reply {
    A(IpAddr),
    AaaaOnly(Ipv6Addr),
    NxDomain,
    ServFail,
    Silent,
}

/// The private DNS name of one service suffix in the test Region, as the probe tries it.
fn name(suffix: &str) -> String {
    derived_private_name(REGION, suffix).replace("*.", "example.")
}

/// A stub DNS server on 127.0.0.1: answers A and AAAA from `table`, NXDOMAIN for the rest.
fn dns_server(table: HashMap<String, Reply>) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let address = socket.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 1500];
        while let Ok((n, from)) = socket.recv_from(&mut buffer) {
            let Ok(query) = Message::from_vec(&buffer[..n]) else {
                continue;
            };
            let Some(question) = query.queries.first().cloned() else {
                continue;
            };
            let asked = question
                .name()
                .to_ascii()
                .trim_end_matches('.')
                .to_lowercase();
            let reply = table.get(&asked).copied().unwrap_or(Reply::NxDomain);
            let mut response = Message::response(query.metadata.id, OpCode::Query);
            response.metadata.recursion_desired = query.metadata.recursion_desired;
            response.metadata.recursion_available = true;
            response.add_query(question.clone());
            let owner = question.name().clone();
            match (reply, question.query_type()) {
                (Reply::Silent, _) => continue,
                (Reply::NxDomain, _) => response.metadata.response_code = ResponseCode::NXDomain,
                (Reply::ServFail, _) => response.metadata.response_code = ResponseCode::ServFail,
                (Reply::A(IpAddr::V4(ip)), RecordType::A) => {
                    response.add_answer(Record::from_rdata(owner, 60, RData::A(A(ip))));
                }
                (Reply::A(IpAddr::V6(ip)), RecordType::AAAA)
                | (Reply::AaaaOnly(ip), RecordType::AAAA) => {
                    response.add_answer(Record::from_rdata(owner, 60, RData::AAAA(AAAA(ip))));
                }
                _ => {}
            }
            let _ = socket.send_to(&response.to_vec().unwrap(), from);
        }
    });
    address
}

/// The test's certificate authorities and server configurations.
struct Pki {
    /// The test root, given to the probe as `--public-roots`.
    root_pem: PathBuf,
    /// The inspection proxy's root, for `--ca-file`.
    proxy_pem: PathBuf,
    good: Arc<rustls::ServerConfig>,
    wrong_name: Arc<rustls::ServerConfig>,
    proxied: Arc<rustls::ServerConfig>,
}

fn authority(common_name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn server_config(
    names: &[String],
    issuer: &CertifiedIssuer<'static, KeyPair>,
) -> Arc<rustls::ServerConfig> {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(names.to_vec()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, names[0].as_str());
    let cert = params.signed_by(&key, issuer).unwrap();
    let chain: Vec<CertificateDer<'static>> = vec![cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    Arc::new(config)
}

fn pki(dir: &Path) -> Pki {
    let root = authority("linkscope test root");
    let proxy = authority("Corp Inspection Proxy CA");
    let root_pem = dir.join("root.pem");
    let proxy_pem = dir.join("proxy.pem");
    std::fs::write(&root_pem, root.pem()).unwrap();
    std::fs::write(&proxy_pem, proxy.pem()).unwrap();
    let good_names = [
        name("sqs"),
        name("kms"),
        format!("*.dkr.ecr.{REGION}.amazonaws.com"),
    ];
    Pki {
        root_pem,
        proxy_pem,
        good: server_config(&good_names, &root),
        wrong_name: server_config(&["not-the-service.example.com".to_string()], &root),
        proxied: server_config(&[name("logs")], &proxy),
    }
}

/// TLS on `listener`; answers `HEAD` with 200. Counts accepted connections.
fn serve_tls(listener: TcpListener, config: Arc<rustls::ServerConfig>, accepted: Arc<AtomicUsize>) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut buffer = [0u8; 1024];
                if let Ok(n) = tls.read(&mut buffer).await
                    && buffer[..n].starts_with(b"HEAD / HTTP/1.1")
                {
                    let _ = tls
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
}

/// The loopback servers of one test, all on one port.
struct World {
    port: u16,
    /// False when this machine has no IPv6 loopback (the AAAA case is then skipped).
    ipv6: bool,
    pki: Pki,
    /// Connections the good server accepted.
    accepted: Arc<AtomicUsize>,
    /// Kept open so the full listener's backlog stays full.
    _backlog: Vec<TcpStream>,
    _full: TcpListener,
}

async fn bind(ip: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::new(ip, port)).await
}

/// Binds every listener on one free port (retrying when another test took it).
async fn world(test: &str) -> World {
    let pki = pki(&scratch(test));
    for _ in 0..20 {
        let good = bind(GOOD.into(), 0).await.unwrap();
        let port = good.local_addr().unwrap().port();
        let good6 = match bind(Ipv6Addr::LOCALHOST.into(), port).await {
            Ok(listener) => Some(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(_) => None,
        };
        let Ok(wrong) = bind(WRONG_NAME.into(), port).await else {
            continue;
        };
        let Ok(proxied) = bind(PROXIED.into(), port).await else {
            continue;
        };
        let Ok(plain) = bind(NOT_TLS.into(), port).await else {
            continue;
        };
        let Ok(full) = full_listener(port).await else {
            continue;
        };
        let accepted = Arc::new(AtomicUsize::new(0));
        serve_tls(good, pki.good.clone(), accepted.clone());
        let ipv6 = good6.is_some();
        if let Some(good6) = good6 {
            serve_tls(good6, pki.good.clone(), accepted.clone());
        }
        serve_tls(wrong, pki.wrong_name.clone(), Arc::default());
        serve_tls(proxied, pki.proxied.clone(), Arc::default());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = plain.accept().await {
                let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n").await;
            }
        });
        let backlog = fill(port).await;
        return World {
            port,
            ipv6,
            pki,
            accepted,
            _backlog: backlog,
            _full: full,
        };
    }
    panic!("no free loopback port for the probe's listeners");
}

/// A listener with a backlog of zero that never accepts.
async fn full_listener(port: u16) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(FULL.into(), port))?;
    socket.listen(0)
}

/// Connects to the full listener until a connection no longer completes: from then on its
/// accept queue is full and new connections time out.
async fn fill(port: u16) -> Vec<TcpStream> {
    let address = SocketAddr::new(FULL.into(), port);
    let mut held = Vec::new();
    for _ in 0..64 {
        match tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(address)).await {
            Ok(Ok(stream)) => held.push(stream),
            _ => return held,
        }
    }
    panic!("the backlog of {address} never filled");
}

/// `linkscope probe ARGS --format json` against `dns`, and its exit code and report.
async fn probe(dns: SocketAddr, world: &World, args: &[&str]) -> (i32, Value, Duration) {
    probe_with(dns, world, args, Vec::new()).await
}

/// [`probe`] with extra environment variables.
async fn probe_with(
    dns: SocketAddr,
    world: &World,
    args: &[&str],
    env: Vec<(&'static str, String)>,
) -> (i32, Value, Duration) {
    let mut all: Vec<String> = [
        "probe",
        "--region",
        REGION,
        "--dns-server",
        &dns.to_string(),
        "--no-system-resolver",
        "--port",
        &world.port.to_string(),
        "--format",
        "json",
        "--public-roots",
        &world.pki.root_pem.to_string_lossy(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    all.extend(args.iter().map(|s| s.to_string()));
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, OsStr::new(v))).collect();
        run_with(&args, false, &env)
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    (output.status.code().unwrap(), report, elapsed)
}

/// The one result for `name`.
fn result<'a>(report: &'a Value, name: &str) -> &'a Value {
    let results = report["results"].as_array().unwrap();
    let found: Vec<&Value> = results.iter().filter(|r| r["name"] == name).collect();
    assert_eq!(found.len(), 1, "{name} in {report:#}");
    found[0]
}

fn verdict(report: &Value, name: &str) -> String {
    result(report, name)["verdict"]
        .as_str()
        .unwrap()
        .to_string()
}

fn first_answer<'a>(report: &'a Value, name: &str) -> &'a Value {
    &result(report, name)["answers"][0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_outcome_from_loopback_servers_in_about_one_timeout() {
    let world = world("probe-outcomes").await;
    let mut table = HashMap::from([
        (name("sqs"), Reply::A(GOOD.into())),
        (name("ecr.dkr"), Reply::AaaaOnly(Ipv6Addr::LOCALHOST)),
        (name("kms"), Reply::A(WRONG_NAME.into())),
        (name("logs"), Reply::A(PROXIED.into())),
        (name("ecr.api"), Reply::A(NOT_TLS.into())),
        (name("monitoring"), Reply::A(REFUSED.into())),
        (name("airflow.api"), Reply::A(FULL.into())),
        (name("airflow.env"), Reply::NxDomain),
        (name("airflow.ops"), Reply::ServFail),
    ]);
    let silent: Vec<String> = (1..=6).map(|i| format!("silent{i}.probe.test")).collect();
    for name in &silent {
        table.insert(name.clone(), Reply::Silent);
    }
    let dns = dns_server(table);
    let proxy_pem = world.pki.proxy_pem.to_string_lossy().to_string();
    let (code, report, elapsed) = probe(
        dns,
        &world,
        &[
            "--services",
            "sqs,ecr.dkr,kms,logs,ecr.api,monitoring,airflow.api,airflow.env,airflow.ops",
            "--names",
            &silent.join(","),
            "--ca-file",
            &proxy_pem,
            "--http",
            "--timeout",
            "1.5",
        ],
    )
    .await;
    assert_eq!(code, 1, "a failing name exits 1: {report:#}");

    // A private answer with TLS verified, and the service answering HEAD.
    let sqs = first_answer(&report, &name("sqs"));
    assert_eq!(verdict(&report, &name("sqs")), "pass");
    assert_eq!(sqs["ip"], "127.0.0.2");
    assert_eq!(sqs["private"], true);
    assert_eq!(sqs["tcp"]["result"], "ok");
    assert_eq!(sqs["tls"]["result"], "ok");
    assert!(sqs["tls"]["ms"].is_u64());
    assert_eq!(sqs["tls"]["issuer"], "CN=linkscope test root");
    assert_eq!(sqs["http"], "HTTP/1.1 200 OK");
    assert_eq!(result(&report, &name("sqs"))["rcode"], "NOERROR");
    assert_eq!(result(&report, &name("sqs"))["resolver"], dns.to_string());

    // AAAA only: the IPv6 loopback answer, connected and verified (the wildcard name).
    let dkr = first_answer(&report, &name("ecr.dkr"));
    assert_eq!(dkr["ip"], "::1");
    if world.ipv6 {
        assert_eq!(verdict(&report, &name("ecr.dkr")), "pass");
        assert_eq!(dkr["tls"]["result"], "ok");
    } else {
        eprintln!("no IPv6 loopback here: the AAAA answer is not connected to");
    }

    // A certificate for another name.
    let kms = first_answer(&report, &name("kms"));
    assert_eq!(verdict(&report, &name("kms")), "fail");
    assert_eq!(kms["tls"]["result"], "verify-error");
    assert!(
        kms["tls"]["subject"]
            .as_str()
            .unwrap()
            .contains("not-the-service.example.com")
    );

    // An issuer trusted only through --ca-file: inspected, a warning.
    let logs = first_answer(&report, &name("logs"));
    assert_eq!(verdict(&report, &name("logs")), "warn");
    assert_eq!(logs["tls"]["result"], "inspected");
    assert_eq!(logs["tls"]["issuer"], "CN=Corp Inspection Proxy CA");
    assert!(
        logs.get("http").is_some(),
        "HEAD goes over inspected TLS too"
    );

    // Plain text where TLS was expected.
    let api = first_answer(&report, &name("ecr.api"));
    assert_eq!(api["tcp"]["result"], "ok");
    assert_eq!(api["tls"]["result"], "handshake-error");
    assert_eq!(verdict(&report, &name("ecr.api")), "fail");

    // Nothing listening, and a full backlog.
    let refused = result(&report, &name("monitoring"));
    assert_eq!(refused["answers"][0]["tcp"]["result"], "refused");
    assert_eq!(refused["answers"][0]["tls"]["result"], "skipped");
    assert!(refused["explanation"].as_str().unwrap().contains("refuses"));
    let full = result(&report, &name("airflow.api"));
    assert_eq!(full["answers"][0]["tcp"]["result"], "timeout");
    assert!(full["explanation"].as_str().unwrap().contains("timeout"));

    // DNS failures.
    assert_eq!(result(&report, &name("airflow.env"))["rcode"], "NXDOMAIN");
    assert_eq!(result(&report, &name("airflow.ops"))["rcode"], "SERVFAIL");
    for name in &silent {
        assert_eq!(result(&report, name)["rcode"], "TIMEOUT");
        assert_eq!(verdict(&report, name), "fail");
    }

    // Six silent names and a TCP timeout, each 1.5 s, run at once, and a silent server is
    // asked once: one timeout in all (in series, or with a retry, it would take 3 s or more).
    assert!(
        elapsed < Duration::from_millis(2800),
        "the probe took {elapsed:?}: names are not probed concurrently, or a lookup is retried"
    );
    assert_eq!(
        report["roots"]
            .as_str()
            .unwrap()
            .matches("root.pem")
            .count(),
        1
    );
    assert!(report["ran_on"]["hostname"].is_string());
    assert!(
        report["ran_on"]["instance_id"].is_null(),
        "AWS_EC2_METADATA_DISABLED=true"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_issuer_is_a_verify_error() {
    let world = world("probe-untrusted").await;
    let dns = dns_server(HashMap::from([(name("logs"), Reply::A(PROXIED.into()))]));
    let (code, report, _) = probe(dns, &world, &["--services", "logs", "--http"]).await;
    assert_eq!(code, 1);
    let logs = first_answer(&report, &name("logs"));
    assert_eq!(logs["tls"]["result"], "verify-error");
    assert!(
        logs.get("http").is_none(),
        "nothing is sent over unverified TLS"
    );
    let explanation = result(&report, &name("logs"))["explanation"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        explanation.contains("inspecting proxy")
            && explanation.contains("Corp Inspection Proxy CA"),
        "{explanation}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_only_classifies_answers_and_connects_nowhere() {
    let world = world("probe-dns-only").await;
    let dns = dns_server(HashMap::from([
        (name("kms"), Reply::A(GOOD.into())),
        (name("sqs"), Reply::AaaaOnly(Ipv6Addr::LOCALHOST)),
        (name("logs"), Reply::A(Ipv4Addr::UNSPECIFIED.into())),
        (name("monitoring"), Reply::NxDomain),
        ("localhost".to_string(), Reply::A(GOOD.into())),
    ]));
    let (code, report, _) = probe(
        dns,
        &world,
        &[
            "--services",
            "kms,sqs,logs,monitoring",
            "--names",
            "localhost",
            "--dns-only",
        ],
    )
    .await;
    assert_eq!(code, 1, "{report:#}");
    for suffix in ["kms", "sqs"] {
        let r = result(&report, &name(suffix));
        assert_eq!(r["verdict"], "pass", "{r:#}");
        assert_eq!(r["answers"][0]["private"], true);
        assert_eq!(r["answers"][0]["tcp"]["result"], "skipped");
        assert_eq!(r["answers"][0]["tls"]["result"], "skipped");
        assert!(r["explanation"].as_str().unwrap().contains("--dns-only"));
    }
    // A sinkholed name fails, and is never connected to (0.0.0.0 would reach this host).
    let logs = result(&report, &name("logs"));
    assert_eq!(logs["verdict"], "fail");
    assert!(logs["explanation"].as_str().unwrap().contains("sinkhole"));
    assert_eq!(result(&report, &name("monitoring"))["rcode"], "NXDOMAIN");
    let localhost = result(&report, "localhost");
    assert_eq!(
        localhost["answers"][0]["tcp"]["result"], "skipped",
        "a one-label host name is probed: {localhost:#}"
    );
    assert_eq!(
        world.accepted.load(Ordering::SeqCst),
        0,
        "--dns-only connected"
    );
}

/// A stub instance metadata service on loopback (IMDSv2); counts the connections it gets.
async fn imds_stub() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 2048];
                let n = stream.read(&mut buffer).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]).to_string();
                let line = request.lines().next().unwrap_or_default().to_string();
                let token = request.contains("X-aws-ec2-metadata-token: TOKEN");
                let body = match line.split_whitespace().take(2).collect::<Vec<_>>()[..] {
                    ["PUT", "/latest/api/token"] => Some("TOKEN"),
                    ["GET", "/latest/meta-data/instance-id"] if token => {
                        Some("i-0123456789abcdef0")
                    }
                    ["GET", "/latest/meta-data/mac"] if token => Some("0a:1b:2c:3d:4e:5f"),
                    [
                        "GET",
                        "/latest/meta-data/network/interfaces/macs/0a:1b:2c:3d:4e:5f/subnet-id",
                    ] if token => Some("subnet-0123456789abcdef0"),
                    _ => None,
                };
                let response = match body {
                    Some(body) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    None => "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".into(),
                };
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (address, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_it_ran_comes_from_imdsv2_unless_metadata_is_disabled() {
    let world = world("probe-imds").await;
    let dns = dns_server(HashMap::from([(name("kms"), Reply::A(GOOD.into()))]));
    let (imds, hits) = imds_stub().await;
    let endpoint = format!("http://{imds}");
    let args = ["--services", "kms", "--dns-only"];
    let disabled = vec![
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint.clone()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
    ];
    let (_, report, _) = probe_with(dns, &world, &args, disabled).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "IMDS asked while disabled");
    assert!(report["ran_on"]["instance_id"].is_null());
    let enabled = vec![
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint),
        ("AWS_EC2_METADATA_DISABLED", "false".to_string()),
    ];
    let (_, report, _) = probe_with(dns, &world, &args, enabled).await;
    assert!(hits.load(Ordering::SeqCst) >= 3, "token, instance-id, mac");
    assert_eq!(report["ran_on"]["instance_id"], "i-0123456789abcdef0");
    assert_eq!(report["ran_on"]["subnet_id"], "subnet-0123456789abcdef0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_probe_fails_its_checklist_row_in_the_audit() {
    let world = world("probe-audit").await;
    let dir = scratch("probe-audit-files");
    let dns = dns_server(HashMap::from([
        (name("sqs"), Reply::A(REFUSED.into())),
        (name("kms"), Reply::A(GOOD.into())),
    ]));
    let (code, report, _) = probe(dns, &world, &["--services", "sqs,kms"]).await;
    assert_eq!(code, 1);
    let file = dir.join("probe.json");
    std::fs::write(&file, serde_json::to_string(&report).unwrap()).unwrap();
    let file = file.to_string_lossy().to_string();

    let audit = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(&args, false)
        })
    };
    let args = |extra: &[&str]| -> Vec<String> {
        ["audit", "--demo=healthy", "--format", "json"]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };
    let without = audit(args(&[])).await.unwrap();
    assert_eq!(without.status.code(), Some(0));
    let with = audit(args(&["--probe", &file])).await.unwrap();
    assert_eq!(
        with.status.code(),
        Some(1),
        "the probe's failure fails the audit"
    );
    let audited: Value = serde_json::from_slice(&with.stdout).unwrap();
    let finding = |id: &str| -> Value {
        audited["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    let sqs = finding("mwaa.endpoint.sqs");
    assert_eq!(sqs["status"], "fail");
    let detail = sqs["detail"].as_str().unwrap();
    assert!(
        detail.contains("refuses") && detail.contains("The probe from"),
        "{detail}"
    );
    // kms connected, but to an address that is none of its endpoint's interfaces.
    let kms = finding("mwaa.endpoint.kms");
    assert_eq!(kms["status"], "warn");
    assert!(kms["detail"].as_str().unwrap().contains("127.0.0.2"));
}

#[test]
fn bad_probe_input_exits_2_with_one_line() {
    let output = run(&["probe", "--dns-only"], false);
    assert_clean_failure(&output, 2, "no Region");
    let output = run(
        &["probe", "--region", REGION, "--names", "bad..name"],
        false,
    );
    assert_clean_failure(&output, 2, "is not a DNS name");
    let output = run(
        &[
            "probe",
            "--region",
            REGION,
            "--ca-file",
            "/nonexistent/ca.pem",
        ],
        false,
    );
    assert_clean_failure(&output, 2, "/nonexistent/ca.pem");
    let output = run(&["probe", "--region", REGION, "--names", "10.0.0.1"], false);
    assert_clean_failure(&output, 2, "IP address");
    let output = run(&["probe", "--region", REGION, "--services", "sq s"], false);
    assert_clean_failure(&output, 2, "is not a service");
    let dir = scratch("probe-bad-input");
    let bad_cert = dir.join("bad.pem");
    std::fs::write(&bad_cert, "not a certificate").unwrap();
    let output = run(
        &[
            "probe",
            "--region",
            REGION,
            "--dns-only",
            "--public-roots",
            &bad_cert.to_string_lossy(),
        ],
        false,
    );
    assert_clean_failure(&output, 2, "bad.pem");
    for (args, needle) in [
        (vec!["probe", "--region", REGION, "--port", "0"], "--port"),
        (
            vec![
                "probe",
                "--region",
                REGION,
                "--dns-server",
                "resolver.local",
            ],
            "--dns-server",
        ),
        (
            vec!["probe", "--region", REGION, "--dns-server", "10.0.0.2:0"],
            "port 0",
        ),
        (
            vec![
                "probe",
                "--region",
                REGION,
                "--no-system-resolver",
                "--dns-only",
            ],
            "--dns-server",
        ),
    ] {
        let output = run(&args, false);
        assert_clean_failure(&output, 2, needle);
    }
    let corrupt = dir.join("corrupt.json");
    std::fs::write(&corrupt, "{\"ran_on\": ").unwrap();
    let output = run(
        &[
            "audit",
            "--demo=healthy",
            "--probe",
            &corrupt.to_string_lossy(),
        ],
        false,
    );
    assert_clean_failure(&output, 2, "corrupt.json");
}

#[test]
fn the_bundled_example_probe_folds_into_the_troubled_demo() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/probe-example.json");
    let output = run(
        &["audit", "--demo", "--probe", example, "--format", "json"],
        false,
    );
    assert_eq!(output.status.code(), Some(1));
    let audited: Value = serde_json::from_slice(&output.stdout).unwrap();
    let checks = audited["checks"].as_array().unwrap();
    let sqs = checks
        .iter()
        .find(|f| f["id"] == "mwaa.endpoint.sqs")
        .unwrap();
    assert_eq!(sqs["status"], "fail");
    assert!(
        sqs["detail"]
            .as_str()
            .unwrap()
            .contains("The probe from ip-10-42-1-57.ec2.internal")
    );
    assert_eq!(audited["probes"].as_array().unwrap().len(), 10);
}
