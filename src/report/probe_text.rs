//! The text report of `linkscope probe`: per name and resolver, the verdict and why, then
//! each answer's TCP, TLS and HTTP steps.

use std::fmt::Write;

use crate::checks::probe::status;
use crate::model::{ProbeAnswer, ProbeReport, ProbeVerdict, Rcode, TcpResult, TlsResult};
use crate::show::{clean, icon};

/// Renders a probe report as plain text.
pub fn render(report: &ProbeReport) -> String {
    let mut out = String::new();
    let at = report.ran_on.at.as_deref().unwrap_or("an unknown time");
    let _ = writeln!(
        out,
        "linkscope probe from {} at {} (roots: {})\n",
        clean(&report.ran_on.describe()),
        clean(at),
        clean(&report.roots)
    );
    for result in &report.results {
        let icon = icon(status(result.verdict));
        let word = match result.verdict {
            ProbeVerdict::Pass => "pass",
            ProbeVerdict::Warn => "warn",
            ProbeVerdict::Fail => "FAIL",
        };
        let _ = writeln!(
            out,
            "{icon} {word}  {}  ({} resolver, {})",
            clean(&result.name),
            clean(&result.resolver),
            rcode_word(result.rcode)
        );
        let _ = writeln!(out, "    {}", clean(&result.explanation));
        for answer in &result.answers {
            let _ = writeln!(out, "    {}", steps(answer));
        }
    }
    let count = |v: ProbeVerdict| report.results.iter().filter(|r| r.verdict == v).count();
    let _ = writeln!(
        out,
        "\n{} pass, {} warn, {} fail",
        count(ProbeVerdict::Pass),
        count(ProbeVerdict::Warn),
        count(ProbeVerdict::Fail)
    );
    out
}

/// `10.0.1.5 private  tcp ok 2 ms  tls ok 14 ms  CN=… (issuer …)  HTTP/1.1 200 OK`.
fn steps(answer: &ProbeAnswer) -> String {
    let scope = if answer.private { "private" } else { "public" };
    let ms = |ms: Option<u64>| ms.map(|m| format!(" {m} ms")).unwrap_or_default();
    let mut line = format!("{} {scope}", clean(&answer.ip));
    if answer.tcp.result != TcpResult::Skipped {
        let _ = write!(
            line,
            "  tcp {}{}",
            tcp_word(answer.tcp.result),
            ms(answer.tcp.ms)
        );
    }
    let tls = &answer.tls;
    if tls.result != TlsResult::Skipped {
        let _ = write!(line, "  tls {}{}", tls_word(tls.result), ms(tls.ms));
        if let Some(subject) = &tls.subject {
            let issuer = tls.issuer.as_deref().unwrap_or("?");
            let _ = write!(line, "  {} (issuer {})", clean(subject), clean(issuer));
        }
    }
    if let Some(http) = &answer.http {
        let _ = write!(line, "  {}", clean(http));
    }
    line
}

fn rcode_word(rcode: Rcode) -> &'static str {
    match rcode {
        Rcode::NoError => "NOERROR",
        Rcode::NxDomain => "NXDOMAIN",
        Rcode::ServFail => "SERVFAIL",
        Rcode::Timeout => "TIMEOUT",
    }
}

fn tcp_word(result: TcpResult) -> &'static str {
    match result {
        TcpResult::Ok => "ok",
        TcpResult::Refused => "refused",
        TcpResult::Timeout => "timeout",
        TcpResult::Error => "error",
        TcpResult::Skipped => "skipped",
    }
}

fn tls_word(result: TlsResult) -> &'static str {
    match result {
        TlsResult::Ok => "ok",
        TlsResult::Inspected => "inspected",
        TlsResult::VerifyError => "verify-error",
        TlsResult::HandshakeError => "handshake-error",
        TlsResult::Skipped => "skipped",
    }
}
