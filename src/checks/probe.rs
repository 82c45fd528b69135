//! Evidence from inside the VPC: the verdict on each name `linkscope probe` tried, and how
//! that evidence folds into the checklist (a row whose configuration passes but whose probe
//! fails becomes a failure, with where the probe ran).

use std::net::IpAddr;

use super::context::Ctx;
use super::finding::{ChecklistItem, Finding, Severity, Status};
use crate::model::{
    Answer, ProbeAnswer, ProbeReport, ProbeResult, ProbeVerdict, Rcode, TcpResult, TlsResult,
};

/// True for RFC 1918, the RFC 6598 shared range, link-local and loopback, and IPv6
/// unique-local, link-local and loopback addresses: addresses that lead somewhere inside a
/// network, never to the internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_link_local()
                || v4.is_loopback()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// True when `name` is the published private DNS name, or one label under its wildcard.
fn is_name_of(published: &str, name: &str) -> bool {
    match published.strip_prefix("*.") {
        Some(rest) => name
            .strip_suffix(rest)
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => published == name,
    }
}

/// True for answers no service lives at: unspecified (`0.0.0.0`, `::`), multicast and
/// broadcast, as DNS filters sinkhole names to. The probe never connects to them.
pub fn is_sinkhole(ip: IpAddr) -> bool {
    ip.is_unspecified() || ip.is_multicast() || matches!(ip, IpAddr::V4(v4) if v4.is_broadcast())
}

/// S3's public names resolve to public addresses by design: the gateway endpoint's routes
/// carry them (`s3.<region>.amazonaws.com`, `s3-<region>…`, and bucket names under them).
fn public_by_design(name: &str) -> bool {
    let Some(rest) = name.strip_suffix(".amazonaws.com") else {
        return false;
    };
    rest.split('.')
        .any(|label| label == "s3" || label.starts_with("s3-"))
}

/// True when a public answer means private DNS is not in effect: not S3 (public by design),
/// and not a global IPv6 address given beside private IPv4 ones (a dual-stack endpoint's
/// AAAA records are addresses of the VPC's own IPv6 range).
fn unexpected_public(result: &ProbeResult, answer: &ProbeAnswer) -> bool {
    let dual_stack = answer.ip.contains(':')
        && result
            .answers
            .iter()
            .any(|a| a.private && !a.ip.contains(':'));
    !answer.private && !public_by_design(&result.name) && !dual_stack
}

/// What one answer did: a verdict and a clause that follows its address ("10.0.1.5: …").
fn judge_answer(result: &ProbeResult, answer: &ProbeAnswer, port: u16) -> (ProbeVerdict, String) {
    let name = &result.name;
    if answer.ip.parse().is_ok_and(is_sinkhole) {
        return (
            ProbeVerdict::Fail,
            ": not a service address (a DNS filter sinkholes the name); not connected".into(),
        );
    }
    let public = unexpected_public(result, answer);
    let lead = match public {
        true => " is public (private DNS not in effect here)",
        false => "",
    };
    let tls = &answer.tls;
    let issuer = tls.issuer.as_deref().unwrap_or("unknown issuer");
    let why = tls.detail.as_deref().unwrap_or("no detail");
    let (verdict, clause) = match (answer.tcp.result, tls.result) {
        (TcpResult::Skipped, _) if public => {
            (ProbeVerdict::Fail, "not connected (--dns-only)".to_string())
        }
        (TcpResult::Skipped, _) => (
            ProbeVerdict::Pass,
            format!(
                "{}, not connected (--dns-only)",
                if answer.private { "private" } else { "public" }
            ),
        ),
        (TcpResult::Refused, _) => (
            ProbeVerdict::Fail,
            format!(
                "refuses connections on {port}: nothing listens there (not an endpoint interface) or a firewall rejects them"
            ),
        ),
        (TcpResult::Timeout, _) => (
            ProbeVerdict::Fail,
            format!(
                "timeout on {port}: a security group, network ACL, route or firewall drops the traffic"
            ),
        ),
        (TcpResult::Error, _) => (ProbeVerdict::Fail, format!("cannot connect on {port}")),
        (TcpResult::Ok, TlsResult::VerifyError) => (
            ProbeVerdict::Fail,
            format!(
                "presents a certificate that does not verify ({why}; issuer {issuer}): a TLS-inspecting proxy or not the service"
            ),
        ),
        (TcpResult::Ok, TlsResult::HandshakeError) => (
            ProbeVerdict::Fail,
            format!("the TLS handshake failed ({why})"),
        ),
        (TcpResult::Ok, TlsResult::Inspected) => (
            ProbeVerdict::Warn,
            format!("TLS is inspected by a proxy you trust (--ca-file; issuer {issuer})"),
        ),
        (TcpResult::Ok, _) if public => (
            ProbeVerdict::Warn,
            "reachable (a NAT or internet route), not a VPC endpoint".to_string(),
        ),
        (TcpResult::Ok, _) => (
            ProbeVerdict::Pass,
            format!("TLS on {port} verified for {name}"),
        ),
    };
    (verdict, format!("{lead}: {clause}"))
}

/// The verdict on one name as one resolver answered it: pass when every answer works, fail
/// when none does, warn in between or when it works the wrong way.
pub fn judge(result: &ProbeResult, port: u16) -> (ProbeVerdict, String) {
    let resolver = &result.resolver;
    match result.rcode {
        Rcode::NxDomain => {
            return (
                ProbeVerdict::Fail,
                format!(
                    "NXDOMAIN from the {resolver} resolver: the name does not exist here (a private zone without its record?)"
                ),
            );
        }
        Rcode::ServFail => {
            return (
                ProbeVerdict::Fail,
                format!("the {resolver} resolver failed (SERVFAIL)"),
            );
        }
        Rcode::Timeout => {
            return (
                ProbeVerdict::Fail,
                format!("the {resolver} resolver did not answer in time"),
            );
        }
        Rcode::NoError if result.answers.is_empty() => {
            return (
                ProbeVerdict::Fail,
                format!("the {resolver} resolver has no A or AAAA record"),
            );
        }
        Rcode::NoError => {}
    }
    let judged: Vec<(ProbeVerdict, String)> = result
        .answers
        .iter()
        .map(|a| judge_answer(result, a, port))
        .collect();
    let worst = judged
        .iter()
        .map(|(v, _)| *v)
        .max_by_key(|v| rank(*v))
        .unwrap_or(ProbeVerdict::Fail);
    let best = judged
        .iter()
        .map(|(v, _)| *v)
        .min_by_key(|v| rank(*v))
        .unwrap_or(ProbeVerdict::Fail);
    let verdict = match (best, worst) {
        (ProbeVerdict::Fail, _) => ProbeVerdict::Fail,
        (_, ProbeVerdict::Pass) => ProbeVerdict::Pass,
        _ => ProbeVerdict::Warn,
    };
    // Answers that fared alike share one clause: "10.0.1.5, 10.0.2.7: timeout on 443: …".
    let mut clauses: Vec<(String, Vec<&str>)> = Vec::new();
    for ((v, clause), answer) in judged.iter().zip(&result.answers) {
        if *v != worst {
            continue;
        }
        match clauses.iter_mut().find(|(c, _)| c == clause) {
            Some((_, ips)) => ips.push(&answer.ip),
            None => clauses.push((clause.clone(), vec![&answer.ip])),
        }
    }
    let explanation: Vec<String> = clauses
        .iter()
        .map(|(clause, ips)| format!("{}{clause}", ips.join(", ")))
        .collect();
    (verdict, explanation.join("; "))
}

/// The finding status a probe verdict reads as, for the reports and panes.
pub fn status(verdict: ProbeVerdict) -> Status {
    match verdict {
        ProbeVerdict::Pass => Status::Pass,
        ProbeVerdict::Warn => Status::Warn,
        ProbeVerdict::Fail => Status::Fail,
    }
}

fn rank(verdict: ProbeVerdict) -> u8 {
    match verdict {
        ProbeVerdict::Pass => 0,
        ProbeVerdict::Warn => 1,
        ProbeVerdict::Fail => 2,
    }
}

/// One probe result with where it ran, as the audit keeps it (and the JSON report's
/// `probes` lists it: `ran_on` beside the probe's own result fields).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NameProbe {
    /// Where the probe ran ("host (10.0.1.5, i-…)").
    pub ran_on: String,
    /// What it found for the name.
    #[serde(flatten)]
    pub result: ProbeResult,
}

/// The probe results of `reports`, by name.
pub fn evidence(reports: &[ProbeReport]) -> Vec<NameProbe> {
    reports
        .iter()
        .flat_map(|r| {
            r.results.iter().map(|result| NameProbe {
                ran_on: r.ran_on.describe(),
                result: result.clone(),
            })
        })
        .collect()
}

/// The probe results for a published private DNS name (a wildcard matches one label).
pub fn for_name<'a>(
    probes: &'a [NameProbe],
    published: &'a str,
) -> impl Iterator<Item = &'a NameProbe> + 'a {
    probes
        .iter()
        .filter(move |p| is_name_of(published, &p.result.name))
}

/// The addresses the VPC's configuration says a name should resolve to, when it says.
fn expected_ips(ctx: &Ctx, service: &str) -> Option<(String, Vec<String>)> {
    let path = ctx.name_path(service)?;
    match &path.path.answer {
        Answer::EndpointIps { endpoint_id, ips } => Some((
            endpoint_id.clone(),
            ips.iter().map(|(_, ip)| ip.clone()).collect(),
        )),
        _ => None,
    }
}

/// Folds the probe evidence into the checklist's endpoint rows: a failing probe fails a row
/// whose configuration passes, a warning makes it a warning, and a private answer that is
/// none of the endpoint's interface IPs the DNS path predicts is called out by name.
pub fn merge(ctx: &Ctx, findings: &mut [Finding], probes: &[NameProbe]) {
    for finding in findings.iter_mut() {
        let Some(ChecklistItem::Endpoint(suffix)) = &finding.checklist else {
            continue;
        };
        let service = ctx.service_name(suffix);
        let Some(published) = ctx.name_path(&service).map(|p| p.scoped.published.clone()) else {
            continue;
        };
        let expected = expected_ips(ctx, &service);
        // What the configuration said, before any probe changed the row.
        let configured = finding.status;
        let mut contradicted = false;
        for probe in for_name(probes, &published) {
            let name = &probe.result.name;
            let result = &probe.result;
            let mut notes = Vec::new();
            let mut verdict = result.verdict;
            if result.verdict != ProbeVerdict::Pass {
                notes.push(format!(
                    "The probe from {} ({} resolver) says: {}.",
                    probe.ran_on, result.resolver, result.explanation
                ));
            }
            if let Some((endpoint, ips)) = &expected {
                let strays: Vec<&str> = result
                    .answers
                    .iter()
                    .filter(|a| a.private && !ips.contains(&a.ip))
                    .map(|a| a.ip.as_str())
                    .collect();
                if !strays.is_empty() {
                    notes.push(format!(
                        "The probe from {} got {} for {name}, which is none of {endpoint}'s interface IPs ({}): something else answers the name there.",
                        probe.ran_on,
                        strays.join(", "),
                        ips.join(", ")
                    ));
                    verdict = worse(verdict, ProbeVerdict::Warn);
                }
            }
            if notes.is_empty() {
                // Evidence that it works settles a row the configuration could not, and
                // contradicts a failure (the configuration in effect there differs).
                let connected = result.answers.iter().all(|a| a.tcp.result == TcpResult::Ok);
                let reached = format!(
                    "The probe from {} reached it: {}.",
                    probe.ran_on, result.explanation
                );
                match configured {
                    Status::Unknown if connected && finding.status == Status::Unknown => {
                        finding.status = Status::Pass;
                        finding.severity = Severity::Info;
                        finding.detail = format!("{} {reached}", finding.detail);
                    }
                    Status::Fail if connected && !contradicted => {
                        contradicted = true;
                        finding.detail = format!(
                            "{} {reached} What linkscope sees here is not what the probe's host uses: check where its DNS and routes really go.",
                            finding.detail
                        );
                    }
                    _ => {}
                }
                continue;
            }
            finding.detail = format!("{} {}", finding.detail, notes.join(" "));
            let (status, severity) = match verdict {
                ProbeVerdict::Fail => (Status::Fail, Severity::Error),
                _ => (Status::Warn, Severity::Warn),
            };
            if matches!(
                finding.status,
                Status::Pass | Status::Info | Status::Unknown
            ) || (finding.status == Status::Warn && status == Status::Fail)
            {
                finding.status = status;
                finding.severity = severity;
            }
        }
    }
}

fn worse(a: ProbeVerdict, b: ProbeVerdict) -> ProbeVerdict {
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::Fixture;
    use crate::checks::{Audit, audit_with};
    use crate::model::{ProbeReport, RanOn, TcpStep, TlsStep};

    fn answer(ip: &str, tcp: TcpResult, tls: TlsResult) -> ProbeAnswer {
        ProbeAnswer {
            ip: ip.into(),
            private: is_private(ip.parse().unwrap()),
            tcp: TcpStep {
                result: tcp,
                ms: Some(1),
            },
            tls: TlsStep {
                result: tls,
                ms: Some(2),
                subject: Some("CN=sqs.us-east-1.amazonaws.com".into()),
                issuer: Some("CN=Amazon RSA 2048 M02".into()),
                detail: None,
            },
            http: None,
        }
    }

    fn result(name: &str, rcode: Rcode, answers: Vec<ProbeAnswer>) -> ProbeResult {
        let mut result = ProbeResult {
            name: name.into(),
            resolver: "system".into(),
            rcode,
            answers,
            verdict: ProbeVerdict::Fail,
            explanation: String::new(),
        };
        (result.verdict, result.explanation) = judge(&result, 443);
        result
    }

    fn report(results: Vec<ProbeResult>) -> ProbeReport {
        ProbeReport {
            roots: "webpki".into(),
            ran_on: RanOn {
                hostname: Some("worker-1".into()),
                local_ips: vec!["10.0.1.9".into()],
                ..RanOn::default()
            },
            results,
        }
    }

    const SQS: &str = "sqs.us-east-1.amazonaws.com";

    fn sqs_ips(f: &Fixture) -> Vec<String> {
        let endpoint = f
            .endpoints
            .iter()
            .find(|e| e.service_name.ends_with(".sqs"))
            .unwrap();
        f.enis_of(endpoint)
            .filter_map(|e| e.private_ip.clone())
            .collect()
    }

    fn sqs_row(audit: &Audit) -> &Finding {
        audit
            .findings
            .iter()
            .find(|f| f.checklist == Some(ChecklistItem::Endpoint("sqs".into())))
            .unwrap()
    }

    #[test]
    fn private_public_and_loopback_addresses_are_told_apart() {
        for (ip, private) in [
            ("10.0.1.5", true),
            ("172.31.0.2", true),
            ("192.168.1.1", true),
            ("100.64.0.1", true),
            ("127.0.0.2", true),
            ("fd00::1", true),
            ("52.94.133.131", false),
            ("100.128.0.1", false),
            ("2600:1f18::1", false),
        ] {
            assert_eq!(is_private(ip.parse().unwrap()), private, "{ip}");
        }
    }

    #[test]
    fn each_answer_outcome_has_its_verdict_and_reason() {
        let cases = [
            (
                answer("10.0.1.23", TcpResult::Ok, TlsResult::Ok),
                ProbeVerdict::Pass,
                "TLS on 443 verified",
            ),
            (
                answer("10.0.1.23", TcpResult::Refused, TlsResult::Skipped),
                ProbeVerdict::Fail,
                "refuses",
            ),
            (
                answer("10.0.1.23", TcpResult::Timeout, TlsResult::Skipped),
                ProbeVerdict::Fail,
                "timeout",
            ),
            (
                answer("10.0.1.23", TcpResult::Ok, TlsResult::VerifyError),
                ProbeVerdict::Fail,
                "inspecting proxy",
            ),
            (
                answer("10.0.1.23", TcpResult::Ok, TlsResult::HandshakeError),
                ProbeVerdict::Fail,
                "handshake failed",
            ),
            (
                answer("10.0.1.23", TcpResult::Ok, TlsResult::Inspected),
                ProbeVerdict::Warn,
                "inspected",
            ),
            (
                answer("52.94.133.131", TcpResult::Ok, TlsResult::Ok),
                ProbeVerdict::Warn,
                "public",
            ),
            (
                answer("52.94.133.131", TcpResult::Skipped, TlsResult::Skipped),
                ProbeVerdict::Fail,
                "private DNS not in effect",
            ),
            (
                answer("10.0.1.23", TcpResult::Skipped, TlsResult::Skipped),
                ProbeVerdict::Pass,
                "--dns-only",
            ),
        ];
        for (answer, verdict, reason) in cases {
            let r = result(SQS, Rcode::NoError, vec![answer.clone()]);
            assert_eq!(r.verdict, verdict, "{answer:?}");
            assert!(r.explanation.contains(reason), "{}", r.explanation);
        }
        // S3's public names are public by design.
        let s3 = result(
            "s3.us-east-1.amazonaws.com",
            Rcode::NoError,
            vec![answer("52.216.1.1", TcpResult::Ok, TlsResult::Ok)],
        );
        assert_eq!(s3.verdict, ProbeVerdict::Pass);
    }

    #[test]
    fn dns_failures_fail_and_mixed_answers_warn() {
        for rcode in [
            Rcode::NxDomain,
            Rcode::ServFail,
            Rcode::Timeout,
            Rcode::NoError,
        ] {
            assert_eq!(
                result(SQS, rcode, vec![]).verdict,
                ProbeVerdict::Fail,
                "{rcode:?}"
            );
        }
        let mixed = result(
            SQS,
            Rcode::NoError,
            vec![
                answer("10.0.1.23", TcpResult::Ok, TlsResult::Ok),
                answer("10.0.2.23", TcpResult::Timeout, TlsResult::Skipped),
            ],
        );
        assert_eq!(mixed.verdict, ProbeVerdict::Warn);
        assert!(
            mixed.explanation.contains("10.0.2.23"),
            "{}",
            mixed.explanation
        );
    }

    #[test]
    fn a_failing_probe_fails_a_row_the_configuration_passes() {
        let f = Fixture::healthy();
        let ip = sqs_ips(&f)[0].clone();
        let clean = audit_with(&f, &[]);
        assert_eq!(sqs_row(&clean).status, Status::Pass);
        let probe = report(vec![result(
            SQS,
            Rcode::NoError,
            vec![answer(&ip, TcpResult::Timeout, TlsResult::Skipped)],
        )]);
        let audit = audit_with(&f, &[probe]);
        let row = sqs_row(&audit);
        assert_eq!(row.status, Status::Fail);
        assert!(
            row.detail.contains("The probe from worker-1 (10.0.1.9)"),
            "{}",
            row.detail
        );
        assert_eq!(audit.probes.len(), 1);
    }

    #[test]
    fn a_passing_probe_keeps_a_pass_and_a_stray_address_warns() {
        let f = Fixture::healthy();
        let ip = sqs_ips(&f)[0].clone();
        let good = report(vec![result(
            SQS,
            Rcode::NoError,
            vec![answer(&ip, TcpResult::Ok, TlsResult::Ok)],
        )]);
        assert_eq!(sqs_row(&audit_with(&f, &[good])).status, Status::Pass);
        let stray = report(vec![result(
            SQS,
            Rcode::NoError,
            vec![answer("10.99.0.7", TcpResult::Ok, TlsResult::Ok)],
        )]);
        let audit = audit_with(&f, &[stray]);
        let row = sqs_row(&audit);
        assert_eq!(row.status, Status::Warn);
        assert!(
            row.detail.contains("10.99.0.7") && row.detail.contains("none of"),
            "{}",
            row.detail
        );
    }

    #[test]
    fn wildcard_names_match_one_label() {
        assert!(is_name_of(
            "*.dkr.ecr.us-east-1.amazonaws.com",
            "111122223333.dkr.ecr.us-east-1.amazonaws.com"
        ));
        assert!(!is_name_of(
            "*.dkr.ecr.us-east-1.amazonaws.com",
            "dkr.ecr.us-east-1.amazonaws.com"
        ));
        assert!(!is_name_of(
            "*.dkr.ecr.us-east-1.amazonaws.com",
            "a.b.dkr.ecr.us-east-1.amazonaws.com"
        ));
        assert!(is_name_of(SQS, SQS));
        assert!(!is_name_of(SQS, "sqs.us-east-2.amazonaws.com"));
    }

    #[test]
    fn a_probe_that_connects_settles_an_unknown_row() {
        let mut f = Fixture::healthy();
        let ip = sqs_ips(&f)[0].clone();
        f.fail(crate::model::Source::VpcEndpoints);
        let before = audit_with(&f, &[]);
        assert_eq!(sqs_row(&before).status, Status::Unknown);
        let dns_only = report(vec![result(
            SQS,
            Rcode::NoError,
            vec![answer(&ip, TcpResult::Skipped, TlsResult::Skipped)],
        )]);
        assert_eq!(
            sqs_row(&audit_with(&f, &[dns_only])).status,
            Status::Unknown
        );
        let good = report(vec![result(
            SQS,
            Rcode::NoError,
            vec![answer(&ip, TcpResult::Ok, TlsResult::Ok)],
        )]);
        assert_eq!(sqs_row(&audit_with(&f, &[good])).status, Status::Pass);
    }
}
