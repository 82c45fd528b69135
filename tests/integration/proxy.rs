//! A loopback proxy between linkscope and the moto server: fixed latency per request,
//! faults by rate or by operation, canned replies for services moto lacks, and a record of
//! every request (service, action, timing, time spent in moto). It also repairs the one
//! answer moto 5.2.5 shapes wrong for a strict client: `GetBucketVersioning`'s root element
//! (`GetBucketVersioningResponse`, where S3 answers `VersioningConfiguration`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

/// What the proxy does to a request instead of (or before) forwarding it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// HTTP 400 `Throttling` / `RequestLimitExceeded` in the service's protocol.
    Throttle,
    /// An HTTP 5xx with an `InternalError`/`ServiceUnavailable` body.
    Status(u16),
    /// The connection is closed without a response.
    Reset,
    /// The response is held back this long, then forwarded.
    Stall(Duration),
    /// HTTP 403 `UnauthorizedOperation` (EC2) or `AccessDenied` (other services).
    Deny,
    /// HTTP 200 with a body that is not XML at all.
    Garbage,
}

/// How the proxy behaves.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Added to every request, before anything else.
    pub latency: Duration,
    /// Faults by operation (`DescribeNetworkAcls`, `GetMetricData`, …), every time.
    pub by_action: HashMap<String, Fault>,
    /// Faults injected on this percentage of requests, cycling through the list; one request
    /// (same action and body) is faulted at most twice in a row so that retries get through.
    pub rate: Option<(u32, Vec<Fault>)>,
    /// Canned replies by action (JSON, or XML when it starts with `<`), for services moto does
    /// not implement (MWAA) or answers that moto cannot give (another caller account). A key
    /// `ACTION PATH` wins over `REGION ACTION` (the Region of the credential scope), which
    /// wins over `ACTION`.
    pub canned: HashMap<String, String>,
    /// Requests denied (`Fault::Deny`) when their body or `Authorization` header contains
    /// one of these (`/eu-west-1/` for a Region's credential scope, an account id in a
    /// role ARN), before any canned reply.
    pub deny_when: Vec<String>,
}

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Record {
    pub service: String,
    pub action: String,
    /// The Region of the SigV4 credential scope.
    #[allow(dead_code, reason = "read by benches/fleet.rs")]
    pub region: String,
    /// The path, query and body, for telling apart the requests of different targets.
    #[allow(dead_code, reason = "read by benches/fleet.rs")]
    pub request: String,
    pub arrived: Instant,
    pub finished: Instant,
    /// When the request was in moto, if it was forwarded.
    pub upstream: Option<(Instant, Instant)>,
    pub fault: Option<Fault>,
}

struct State {
    config: Config,
    upstream: String,
    client: Client<HttpConnector, Full<Bytes>>,
    records: Mutex<Vec<Record>>,
    counter: AtomicU64,
    consecutive: Mutex<HashMap<u64, u32>>,
}

/// A running proxy; it stops with the test's runtime.
pub struct Proxy {
    pub url: String,
    state: Arc<State>,
}

impl Proxy {
    pub async fn start(upstream: &str, config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            config,
            upstream: upstream.trim_end_matches('/').to_string(),
            client: Client::builder(TokioExecutor::new()).build_http(),
            records: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
            consecutive: Mutex::new(HashMap::new()),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(state.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            url: format!("http://{addr}"),
            state,
        }
    }

    pub fn records(&self) -> Vec<Record> {
        self.state.records.lock().unwrap().clone()
    }

    /// `service:Action` of every request, in arrival order.
    pub fn actions(&self) -> Vec<String> {
        let mut records = self.records();
        records.sort_by_key(|r| r.arrived);
        records
            .into_iter()
            .map(|r| format!("{}:{}", r.service, r.action))
            .collect()
    }
}

/// A part of the SigV4 credential scope, `Credential=AKID/date/REGION/SERVICE/aws4_request`:
/// 2 for the Region, 3 for the signing name.
fn scope_of(request: &Request<Incoming>, part: usize) -> String {
    let auth = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    auth.split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(part))
        .unwrap_or("unknown")
        .to_string()
}

/// `Action=` of a query-protocol body, the operation of a JSON-protocol target
/// (`X-Amz-Target: Route53Resolver.ListResolverRules`), or of a REST call (S3's by its
/// subresource, named as IAM names the permission: `GetBucketPublicAccessBlock`).
fn action_of(
    method: &hyper::Method,
    (path, query): (&str, Option<&str>),
    target: Option<&str>,
    body: &[u8],
) -> String {
    let text = String::from_utf8_lossy(body);
    if let Some(action) = text.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
        return action.to_string();
    }
    if let Some(operation) = target.and_then(|t| t.rsplit('.').next()) {
        return operation.to_string();
    }
    let get = method == hyper::Method::GET;
    if get && path == "/environments" {
        return "ListEnvironments".into();
    }
    if get && path.starts_with("/environments/") {
        return "GetEnvironment".into();
    }
    if get && path == "/2013-04-01/hostedzonesbyvpc" {
        return "ListHostedZonesByVPC".into();
    }
    if get && path.starts_with("/2013-04-01/hostedzone/") && path.ends_with("/rrset") {
        return "ListResourceRecordSets".into();
    }
    if get && path == "/2013-04-01/hostedzone" {
        return "ListHostedZones".into();
    }
    if get && path.starts_with("/2013-04-01/hostedzone/") && !path[23..].contains('/') {
        return "GetHostedZone".into();
    }
    let subresource = query
        .unwrap_or_default()
        .split('&')
        .next()
        .unwrap_or_default();
    let subresource = subresource.split('=').next().unwrap_or_default();
    match (get, subresource) {
        (true, "location") => return "GetBucketLocation".into(),
        (true, "versioning") => return "GetBucketVersioning".into(),
        (true, "publicAccessBlock") => return "GetBucketPublicAccessBlock".into(),
        _ => {}
    }
    format!("{method} {path}")
}

fn error_response(service: &str, status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    let (content_type, body) = match service {
        "ec2" => (
            "text/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>proxy-{status}</RequestID></Response>"
            ),
        ),
        // REST-JSON (MWAA) and JSON 1.1 (Resolver): the code in a header and in `__type`.
        "airflow" | "route53resolver" => (
            "application/json",
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        ),
        // Query (CloudWatch, STS) and REST-XML (Route 53).
        _ => (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>proxy-{status}</RequestId></ErrorResponse>"
            ),
        ),
    };
    let mut response = Response::builder()
        .status(status)
        .header("content-type", content_type);
    if content_type == "application/json" {
        response = response.header("x-amzn-errortype", code);
    }
    response.body(Full::new(Bytes::from(body))).unwrap()
}

fn fault_response(service: &str, fault: Fault) -> Option<Response<Full<Bytes>>> {
    Some(match fault {
        Fault::Throttle if service == "ec2" => error_response(
            service,
            400,
            "RequestLimitExceeded",
            "Request limit exceeded.",
        ),
        Fault::Throttle => error_response(service, 400, "Throttling", "Rate exceeded"),
        Fault::Status(503) => {
            error_response(service, 503, "ServiceUnavailable", "Service Unavailable")
        }
        Fault::Status(code) => error_response(
            service,
            code,
            "InternalError",
            "An internal error has occurred",
        ),
        Fault::Deny if service == "ec2" => error_response(
            service,
            403,
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
        ),
        Fault::Deny => error_response(
            service,
            403,
            "AccessDenied",
            "User is not authorized to perform this action",
        ),
        Fault::Garbage => Response::builder()
            .status(200)
            .header("content-type", "text/xml")
            .body(Full::new(Bytes::from_static(b"this is not XML <<<")))
            .unwrap(),
        Fault::Reset | Fault::Stall(_) => return None,
    })
}

/// The fault for this request, if any.
fn choose(state: &State, action: &str, body: &[u8]) -> Option<Fault> {
    if let Some(fault) = state.config.by_action.get(action) {
        return Some(*fault);
    }
    let (percent, faults) = state.config.rate.as_ref()?;
    let n = state.counter.fetch_add(1, Ordering::Relaxed);
    let key = body.iter().fold(action.len() as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(*b))
    });
    let mut consecutive = state.consecutive.lock().unwrap();
    let count = consecutive.entry(key).or_insert(0);
    // A fixed pseudo-random pattern: exactly `percent` of every 100 requests.
    if (n * 37 % 100) < u64::from(*percent) && *count < 2 {
        *count += 1;
        Some(faults[(n as usize) % faults.len()])
    } else {
        *count = 0;
        None
    }
}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let arrived = Instant::now();
    let service = scope_of(&request, 3);
    let region = scope_of(&request, 2);
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok());
    let action = action_of(
        &parts.method,
        (parts.uri.path(), parts.uri.query()),
        target,
        &body,
    );
    let auth = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    tokio::time::sleep(state.config.latency).await;

    let fault = choose(&state, &action, &body);
    let text = String::from_utf8_lossy(&body).into_owned();
    let record = |upstream, fault| Record {
        service: service.clone(),
        action: action.clone(),
        region: region.clone(),
        request: format!("{path} {text}"),
        arrived,
        finished: Instant::now(),
        upstream,
        fault,
    };
    let denied = state
        .config
        .deny_when
        .iter()
        .any(|needle| auth.contains(needle.as_str()) || text.contains(needle.as_str()));
    if denied {
        state
            .records
            .lock()
            .unwrap()
            .push(record(None, Some(Fault::Deny)));
        return Ok(fault_response(&service, Fault::Deny).expect("a deny has a response"));
    }
    // A reply canned for this path (`GetEnvironment /environments/NAME`) wins over the one for
    // this Region (`eu-west-1 ListEnvironments`), which wins over the action's.
    let canned = state
        .config
        .canned
        .get(&format!("{action} {}", parts.uri.path()))
        .or_else(|| state.config.canned.get(&format!("{region} {action}")))
        .or_else(|| state.config.canned.get(&action));
    if let Some(reply) = canned {
        state.records.lock().unwrap().push(record(None, None));
        let content_type = match reply.starts_with('<') {
            true => "text/xml",
            false => "application/json",
        };
        return Ok(Response::builder()
            .status(200)
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(reply.clone())))
            .unwrap());
    }
    if let Some(response) = fault.and_then(|f| fault_response(&service, f)) {
        state.records.lock().unwrap().push(record(None, fault));
        return Ok(response);
    }
    if fault == Some(Fault::Reset) {
        state.records.lock().unwrap().push(record(None, fault));
        return Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected reset",
        ));
    }
    if let Some(Fault::Stall(hold)) = fault {
        tokio::time::sleep(hold).await;
    }

    let mut forward = Request::builder()
        .method(parts.method)
        .uri(format!("{}{path}", state.upstream));
    for (name, value) in &parts.headers {
        if name != "host" {
            forward = forward.header(name, value);
        }
    }
    let sent = Instant::now();
    let response = state
        .client
        .request(forward.body(Full::new(body)).unwrap())
        .await;
    let received = Instant::now();
    let response = match response {
        Ok(response) => {
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let body = match action.as_str() {
                "GetBucketVersioning" => Bytes::from(
                    String::from_utf8_lossy(&body)
                        .replace("GetBucketVersioningResponse", "VersioningConfiguration"),
                ),
                _ => body,
            };
            let mut parts = parts;
            parts.headers.remove("content-length");
            Response::from_parts(parts, Full::new(body))
        }
        Err(error) => error_response(&service, 502, "BadGateway", &error.to_string()),
    };
    state
        .records
        .lock()
        .unwrap()
        .push(record(Some((sent, received)), fault));
    Ok(response)
}

/// The longest chain of requests each of which started after the previous one finished:
/// the sequential round trips on the critical path.
pub fn critical_path(records: &[Record]) -> usize {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| r.arrived);
    let mut depth: Vec<usize> = Vec::with_capacity(sorted.len());
    for (i, r) in sorted.iter().enumerate() {
        let before = (0..i)
            .filter(|j| sorted[*j].finished <= r.arrived)
            .map(|j| depth[j])
            .max()
            .unwrap_or(0);
        depth.push(before + 1);
    }
    depth.into_iter().max().unwrap_or(0)
}

/// Time moto spent serving requests: the union of the forwarded intervals.
pub fn upstream_busy(records: &[Record]) -> Duration {
    let mut spans: Vec<(Instant, Instant)> = records.iter().filter_map(|r| r.upstream).collect();
    spans.sort();
    let mut total = Duration::ZERO;
    let mut current: Option<(Instant, Instant)> = None;
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
