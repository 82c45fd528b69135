//! `linkscope probe`: evidence from where the workload runs. It resolves each name (the
//! system resolver, and a DNS server asked directly), connects to every answer, shakes
//! hands with TLS, and judges each name with [`crate::checks::probe::judge`]. It makes no
//! AWS API call and needs no credentials.
//!
//! The one layer besides `aws` that sends packets; it imports `model` and `checks`.

mod connect;
mod host;
pub mod names;
mod resolve;
mod verify;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::checks::probe::{is_private, is_sinkhole, judge};
use crate::model::{ProbeAnswer, ProbeReport, ProbeResult, Rcode, TcpResult, TcpStep};
use connect::Steps;
use resolve::Resolver;

/// How many lookups and connections run at once.
const CONCURRENCY: usize = 32;

/// What one probe run does.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The names to try.
    pub names: Vec<String>,
    /// Ask the system resolver (`/etc/resolv.conf`).
    pub system_resolver: bool,
    /// Also ask this DNS server directly.
    pub dns_server: Option<SocketAddr>,
    /// Resolve only: no connection is made.
    pub dns_only: bool,
    /// The port to connect to.
    pub port: u16,
    /// The public roots, when `SSL_CERT_FILE` replaces the bundled WebPKI roots.
    pub public_roots: Option<Vec<CertificateDer<'static>>>,
    /// Which roots these are, for the report (`webpki`, or the files).
    pub roots: String,
    /// Extra trusted roots (`--ca-file`).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// The longest each step (lookup, connect, handshake) may take.
    pub timeout: Duration,
    /// Send an HTTPS `HEAD /` over each verified connection.
    pub http: bool,
}

/// The certificates of a PEM file, for `--ca-file` and `SSL_CERT_FILE`.
pub fn read_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let roots: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{} is not a PEM certificate file: {e}", path.display()))?;
    match roots.is_empty() {
        true => Err(format!("{} holds no certificate", path.display())),
        false => Ok(roots),
    }
}

/// Runs the plan: every name concurrently, under a bound.
pub async fn run(plan: Plan) -> Result<ProbeReport, String> {
    let mut resolvers = Vec::new();
    if plan.system_resolver {
        resolvers.push(Arc::new(Resolver::system(plan.timeout)?));
    }
    if let Some(server) = plan.dns_server {
        resolvers.push(Arc::new(Resolver::server(server, plan.timeout)?));
    }
    if resolvers.is_empty() {
        return Err("no resolver to ask: give --dns-server, or drop --no-system-resolver".into());
    }
    let steps = Arc::new(Steps {
        port: plan.port,
        timeout: plan.timeout,
        http: plan.http,
        trust: verify::Trust::new(plan.public_roots.clone(), plan.extra_roots.clone())?,
    });
    let at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let ran_on = tokio::spawn(host::ran_on(at));
    let bound = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = JoinSet::new();
    let mut order = 0;
    for name in &plan.names {
        for resolver in &resolvers {
            let (name, resolver, steps, bound) =
                (name.clone(), resolver.clone(), steps.clone(), bound.clone());
            let dns_only = plan.dns_only;
            tasks.spawn(async move {
                let result = probe_name(&name, &resolver, &steps, dns_only, &bound).await;
                (order, result)
            });
            order += 1;
        }
    }
    let mut results: Vec<(usize, ProbeResult)> = tasks.join_all().await;
    results.sort_by_key(|(order, _)| *order);
    Ok(ProbeReport {
        ran_on: ran_on.await.unwrap_or_default(),
        roots: plan.roots.clone(),
        results: results.into_iter().map(|(_, r)| r).collect(),
    })
}

/// One name through one resolver: the lookup, then every answer's steps at once.
async fn probe_name(
    name: &str,
    resolver: &Resolver,
    steps: &Arc<Steps>,
    dns_only: bool,
    bound: &Arc<Semaphore>,
) -> ProbeResult {
    let (rcode, ips) = {
        let _permit = bound.acquire().await;
        resolver.lookup(name).await
    };
    let mut answers = JoinSet::new();
    for (index, ip) in ips.into_iter().enumerate() {
        let (name, steps, bound) = (name.to_string(), steps.clone(), bound.clone());
        answers.spawn(async move {
            let _permit = bound.acquire().await;
            (index, answer(&name, ip, &steps, dns_only).await)
        });
    }
    let mut answers: Vec<(usize, ProbeAnswer)> = answers.join_all().await;
    answers.sort_by_key(|(index, _)| *index);
    let mut result = ProbeResult {
        name: name.to_string(),
        resolver: resolver.label.clone(),
        rcode,
        answers: answers.into_iter().map(|(_, a)| a).collect(),
        verdict: crate::model::ProbeVerdict::Fail,
        explanation: String::new(),
    };
    if rcode != Rcode::NoError {
        result.answers.clear();
    }
    (result.verdict, result.explanation) = judge(&result, steps.port);
    result
}

async fn answer(name: &str, ip: IpAddr, steps: &Steps, dns_only: bool) -> ProbeAnswer {
    // Never connect to a sinkhole (0.0.0.0 reaches this very host).
    let (tcp, tls, http) = match dns_only || is_sinkhole(ip) {
        true => (
            TcpStep {
                result: TcpResult::Skipped,
                ms: None,
            },
            connect::skipped(),
            None,
        ),
        false => connect::connect(name, ip, steps).await,
    };
    ProbeAnswer {
        ip: ip.to_string(),
        private: is_private(ip),
        tcp,
        tls,
        http,
    }
}
