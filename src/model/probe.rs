//! What `linkscope probe` saw from inside the VPC: per name, the answers, the TCP and TLS
//! result for each, and a verdict. The JSON shape is a contract (`docs/probe.md`).

use serde::{Deserialize, Serialize};

/// One probe run: where it ran and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// Where the probe ran.
    pub ran_on: RanOn,
    /// The roots certificates were checked against: `webpki` (bundled), or the files of
    /// `--public-roots` and `--ca-file`.
    #[serde(default = "webpki")]
    pub roots: String,
    /// One result per name and resolver.
    pub results: Vec<ProbeResult>,
}

fn webpki() -> String {
    "webpki".into()
}

/// Where a probe ran: the host, and the instance and subnet when IMDSv2 answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RanOn {
    /// The host name.
    pub hostname: Option<String>,
    /// The host's non-loopback addresses.
    pub local_ips: Vec<String>,
    /// The EC2 instance (`instance-id` from IMDSv2), when reachable.
    pub instance_id: Option<String>,
    /// The subnet of the primary interface, from IMDSv2, when reachable.
    pub subnet_id: Option<String>,
    /// When the probe ran (RFC 3339).
    pub at: Option<String>,
}

impl RanOn {
    /// "host (10.0.1.5, i-…, subnet-…)" for messages.
    pub fn describe(&self) -> String {
        let mut parts: Vec<&str> = self.local_ips.iter().map(String::as_str).collect();
        parts.extend(self.instance_id.as_deref());
        parts.extend(self.subnet_id.as_deref());
        let host = self.hostname.as_deref().unwrap_or("an unnamed host");
        match parts.is_empty() {
            true => host.to_string(),
            false => format!("{host} ({})", parts.join(", ")),
        }
    }
}

/// A name as one resolver answered it, and what connecting to each answer did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    /// The name probed.
    pub name: String,
    /// `system`, or the `--dns-server` address.
    pub resolver: String,
    /// The DNS outcome.
    pub rcode: Rcode,
    /// Each address the resolver gave, with what connecting to it did.
    pub answers: Vec<ProbeAnswer>,
    /// `pass`, `warn` or `fail`.
    pub verdict: ProbeVerdict,
    /// One line on why.
    pub explanation: String,
}

/// The DNS outcome of a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Rcode {
    /// Answers, or an existing name without addresses.
    NoError,
    /// The name does not exist.
    NxDomain,
    /// The server failed or refused.
    ServFail,
    /// No answer in time.
    Timeout,
}

/// One address of a name and what connecting to it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeAnswer {
    /// The address.
    pub ip: String,
    /// True for RFC 1918, RFC 6598 and IPv6 unique-local addresses.
    pub private: bool,
    /// The TCP connection.
    pub tcp: TcpStep,
    /// The TLS handshake.
    pub tls: TlsStep,
    /// The HTTPS `HEAD /` status line, with `--http`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
}

/// The TCP step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TcpStep {
    /// What happened.
    pub result: TcpResult,
    /// How long it took, in milliseconds.
    pub ms: Option<u64>,
}

/// What a TCP connection attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TcpResult {
    /// Connected.
    Ok,
    /// Refused (RST).
    Refused,
    /// No answer in time.
    Timeout,
    /// Another error (unreachable network, …).
    Error,
    /// Not tried (`--dns-only`).
    Skipped,
}

/// The TLS step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlsStep {
    /// What happened.
    pub result: TlsResult,
    /// How long the handshake took, in milliseconds.
    pub ms: Option<u64>,
    /// The leaf certificate's subject.
    pub subject: Option<String>,
    /// The leaf certificate's issuer.
    pub issuer: Option<String>,
    /// Why verification failed, or that only `--ca-file` verified it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What a TLS handshake did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsResult {
    /// Verified against the public roots.
    Ok,
    /// Verified only through a root from `--ca-file`: an inspecting proxy the user trusts.
    Inspected,
    /// A certificate was presented that does not verify (name, issuer, expiry).
    VerifyError,
    /// The handshake failed.
    HandshakeError,
    /// Not tried (no TCP connection, or `--dns-only`).
    Skipped,
}

/// A probe's verdict on a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeVerdict {
    /// Every answer connected and verified.
    Pass,
    /// It works, but not the way private routing expects, or only partly.
    Warn,
    /// It does not work.
    Fail,
}
