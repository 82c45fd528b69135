//! Connecting to one answer: TCP, the TLS handshake with SNI set to the name, and with
//! `--http` an HTTPS `HEAD /`, each timed.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::verify::Trust;
use crate::model::{TcpResult, TcpStep, TlsResult, TlsStep};

/// What to do after resolving.
#[derive(Debug, Clone)]
pub struct Steps {
    /// The port to connect to.
    pub port: u16,
    /// The longest each step may take.
    pub timeout: Duration,
    /// Send `HEAD /` over a verified connection.
    pub http: bool,
    /// The roots certificates are checked against.
    pub trust: Trust,
}

/// The TCP, TLS and HTTP steps for one address of `name`.
pub async fn connect(name: &str, ip: IpAddr, steps: &Steps) -> (TcpStep, TlsStep, Option<String>) {
    let started = Instant::now();
    let tcp = timeout(
        steps.timeout,
        TcpStream::connect(SocketAddr::new(ip, steps.port)),
    )
    .await;
    let elapsed = ms(started);
    let stream = match tcp {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            let result = match error.kind() {
                ErrorKind::ConnectionRefused => TcpResult::Refused,
                ErrorKind::TimedOut => TcpResult::Timeout,
                _ => TcpResult::Error,
            };
            return (tcp_step(result, elapsed), skipped(), None);
        }
        Err(_) => return (tcp_step(TcpResult::Timeout, elapsed), skipped(), None),
    };
    let tcp = tcp_step(TcpResult::Ok, elapsed);
    let (tls, stream) = handshake(name, stream, steps).await;
    let http = match (stream, steps.http) {
        (Some(stream), true) => Some(head(name, stream, steps.timeout).await),
        _ => None,
    };
    (tcp, tls, http)
}

/// The TLS step, and the stream when the certificate verified (publicly or through
/// `--ca-file`).
async fn handshake(
    name: &str,
    stream: TcpStream,
    steps: &Steps,
) -> (TlsStep, Option<TlsStream<TcpStream>>) {
    let failed = |detail: String, ms: Option<u64>| TlsStep {
        result: TlsResult::HandshakeError,
        ms,
        subject: None,
        issuer: None,
        detail: Some(detail),
    };
    let (config, slot) = match steps.trust.client_config() {
        Ok(pair) => pair,
        Err(detail) => return (failed(detail, None), None),
    };
    let server_name = match ServerName::try_from(name.to_string()) {
        Ok(server_name) => server_name,
        Err(e) => return (failed(format!("not a valid server name: {e}"), None), None),
    };
    let started = Instant::now();
    let connector = TlsConnector::from(Arc::new(config));
    let outcome = timeout(steps.timeout, connector.connect(server_name, stream)).await;
    let elapsed = Some(ms(started));
    let verdict = slot.lock().ok().and_then(|mut slot| slot.take());
    let error = match outcome {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("no handshake in time".to_string()),
    };
    match (verdict, error) {
        (Some(verdict), outcome) => {
            // A certificate was seen: its verdict stands, unless the handshake then failed
            // on a certificate that verified.
            let trusted = matches!(verdict.result, TlsResult::Ok | TlsResult::Inspected);
            let (result, detail, stream) = match outcome {
                Ok(stream) => (verdict.result, verdict.detail, trusted.then_some(stream)),
                Err(e) if trusted => (TlsResult::HandshakeError, Some(e), None),
                Err(_) => (verdict.result, verdict.detail, None),
            };
            let step = TlsStep {
                result,
                ms: elapsed,
                subject: verdict.subject,
                issuer: verdict.issuer,
                detail,
            };
            (step, stream)
        }
        (None, Ok(_)) => (failed("no certificate presented".into(), elapsed), None),
        (None, Err(e)) => (failed(e, elapsed), None),
    }
}

/// `HEAD /` and the response's status line.
async fn head(name: &str, mut stream: TlsStream<TcpStream>, limit: Duration) -> String {
    let request = format!(
        "HEAD / HTTP/1.1\r\nHost: {name}\r\nUser-Agent: linkscope-probe\r\nConnection: close\r\n\r\n"
    );
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        let mut buffer = vec![0u8; 512];
        let mut read = 0;
        while read < buffer.len() {
            let n = stream.read(&mut buffer[read..]).await?;
            if n == 0 || buffer[..read + n].contains(&b'\n') {
                read += n;
                break;
            }
            read += n;
        }
        Ok::<_, std::io::Error>(String::from_utf8_lossy(&buffer[..read]).into_owned())
    };
    match timeout(limit, exchange).await {
        Ok(Ok(text)) => match text.lines().next().map(str::trim) {
            Some(line) if line.starts_with("HTTP/") => line.to_string(),
            _ => "no HTTP response".to_string(),
        },
        Ok(Err(e)) => format!("HTTP error: {e}"),
        Err(_) => "no HTTP response in time".to_string(),
    }
}

fn tcp_step(result: TcpResult, ms: u64) -> TcpStep {
    TcpStep {
        result,
        ms: Some(ms),
    }
}

/// The TLS step not tried.
pub fn skipped() -> TlsStep {
    TlsStep {
        result: TlsResult::Skipped,
        ms: None,
        subject: None,
        issuer: None,
        detail: None,
    }
}

fn ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
