//! Rules over CloudWatch `AWS/PrivateLinkEndpoints` series (rules 73–76). Source:
//! `../shared/rules.md` §M and §2; [002] CloudWatch metrics for AWS PrivateLink.

use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{MetricName, MetricSeries, Source};

pub const PACKETS_DROPPED: Rule = Rule {
    id: "metric-packets-dropped-rising",
    severity: Severity::Warn,
    title: "Endpoints drop no packets",
    source: "rules.md 73 · [002] PacketsDropped: \"Increasing values could indicate that the endpoint or endpoint service is unhealthy\"",
};
pub const RST_RISING: Rule = Rule {
    id: "metric-rst-received-rising",
    severity: Severity::Warn,
    title: "RST packets received by endpoints are not rising",
    source: "rules.md 74 · [002] RstPacketsReceived: \"Increasing values could indicate that the endpoint service is unhealthy\"",
};
pub const IDLE: Rule = Rule {
    id: "metric-no-datapoints",
    severity: Severity::Info,
    title: "Endpoints without traffic in the window (idle, not zero)",
    source: "rules.md 75 · [002] metrics are published when \"The endpoint received traffic during the one-minute period\"",
};
pub const GATEWAY_NONE: Rule = Rule {
    id: "metric-gateway-endpoint-none",
    severity: Severity::Info,
    title: "Gateway endpoints publish no metrics, by design",
    source: "rules.md 76 · [002]: metrics \"are not published for gateway endpoints\"",
};

/// Totals of the first and second half of a series' window.
fn halves(series: &MetricSeries, start: i64, end: i64) -> (f64, f64) {
    let middle = start + (end - start) / 2;
    series.points.iter().fold((0.0, 0.0), |(a, b), (t, v)| {
        if *t < middle { (a + v, b) } else { (a, b + v) }
    })
}

fn clock(epoch: i64) -> String {
    let day = epoch.rem_euclid(86_400);
    format!("{:02}:{:02} UTC", day / 3600, day % 3600 / 60)
}

fn rising(ctx: &Ctx, rule: Rule, metric: MetricName, what: &str) -> Vec<Finding> {
    let m = &ctx.snap.metrics;
    let hours = (m.end - m.start) as f64 / 3600.0;
    let findings: Vec<Finding> = m
        .series
        .iter()
        .filter(|s| s.metric == metric)
        .filter_map(|s| {
            let (first, second) = halves(s, m.start, m.end);
            let (peak_t, peak) = s.points.iter().copied().fold((0, 0.0), |best, p| if p.1 > best.1 { p } else { best });
            let flagged = match metric {
                MetricName::PacketsDropped => first + second > 0.0,
                _ => second >= 10.0 && second > 2.0 * first,
            };
            let endpoint = ctx.snap.endpoints.iter().find(|e| e.id == s.endpoint_id);
            let service = endpoint.map_or("?", |e| e.short_service_name());
            flagged.then(|| {
                let trend = if second > first { format!(", rising ({first} then {second})") } else { String::new() };
                rule.violated(vec![s.endpoint_id.clone()], format!(
                    "{} ({service}): {} {what} in the last {hours:.0} h{trend}; peak {peak} in the minute at {}.",
                    s.endpoint_id,
                    first + second,
                    clock(peak_t)
                ))
                .fix(format!(
                    "aws cloudwatch get-metric-statistics --namespace AWS/PrivateLinkEndpoints --metric-name {metric} --statistics Sum --period 60 --dimensions Name='VPC Endpoint Id',Value={} --start-time <from> --end-time <to>; check the endpoint service's health, and packets over the 8500-byte MTU",
                    s.endpoint_id
                ))
            })
        })
        .collect();
    rule.or_pass(
        findings,
        &format!("No {what} worth flagging in the window."),
    )
}

fn idle(ctx: &Ctx) -> Finding {
    let m = &ctx.snap.metrics;
    let idle: Vec<String> = ctx
        .available_interfaces()
        .filter(|e| {
            m.series
                .iter()
                .filter(|s| s.endpoint_id == e.id)
                .all(|s| s.points.is_empty())
        })
        .map(|e| e.id.clone())
        .collect();
    if idle.is_empty() {
        IDLE.pass(
            vec![],
            "Every available interface endpoint carried traffic in the window.",
        )
    } else {
        let hours = (m.end - m.start) / 3600;
        IDLE.info(idle.clone(), format!("{} received no traffic in the last {hours} h (no datapoints means idle, not zero).", idle.join(", ")))
    }
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let gateways = ctx.gateway_endpoint_ids();
    let gateway = if gateways.is_empty() {
        GATEWAY_NONE.pass(vec![], "No gateway endpoints.")
    } else {
        GATEWAY_NONE.info(
            gateways.clone(),
            format!(
                "Gateway endpoints publish no CloudWatch metrics by design: {}.",
                gateways.join(", ")
            ),
        )
    };
    if let Some(reason) = ctx.missing(&[Source::Metrics, Source::VpcEndpoints]) {
        return vec![
            PACKETS_DROPPED.unknown(reason.clone()),
            RST_RISING.unknown(reason.clone()),
            IDLE.unknown(reason),
            gateway,
        ];
    }
    let mut findings = rising(
        ctx,
        PACKETS_DROPPED,
        MetricName::PacketsDropped,
        "packets dropped",
    );
    findings.extend(rising(
        ctx,
        RST_RISING,
        MetricName::RstPacketsReceived,
        "RST packets received",
    ));
    findings.push(idle(ctx));
    findings.push(gateway);
    findings
}
