//! Rules over CloudWatch `AWS/PrivateLinkEndpoints` series (*CloudWatch metrics for AWS
//! PrivateLink › Endpoint metrics*).

use super::context::Ctx;
use super::docs::{METRICS, cite};
use super::finding::{Finding, Severity, Subject};
use super::rule::{Family, Rule};
use super::shell::quote;
use crate::model::{
    MetricName, MetricSeries, Metrics, Source, VpcEndpoint, endpoint_dimensions, rfc3339,
};

const NEEDS: &[Source] = &[Source::Metrics, Source::VpcEndpoints];

/// Packets dropped by an endpoint (*CloudWatch metrics for AWS PrivateLink › Endpoint metrics:
/// PacketsDropped*).
pub const PACKETS_DROPPED: Rule = Rule {
    id: "metric-packets-dropped-rising",
    severity: Severity::Warn,
    title: "Endpoints drop no packets",
    docs: &[cite(METRICS, "Endpoint metrics: PacketsDropped")],
    needs: NEEDS,
    reads: &[],
};
/// RST packets received rising (*CloudWatch metrics for AWS PrivateLink › Endpoint metrics:
/// RstPacketsReceived*).
pub const RST_RISING: Rule = Rule {
    id: "metric-rst-received-rising",
    severity: Severity::Warn,
    title: "RST packets received by endpoints are not rising",
    docs: &[cite(METRICS, "Endpoint metrics: RstPacketsReceived")],
    needs: NEEDS,
    reads: &[],
};
/// An endpoint without datapoints in the window: idle, not zero (*CloudWatch metrics for AWS
/// PrivateLink › Endpoint metrics*).
pub const IDLE: Rule = Rule {
    id: "metric-no-datapoints",
    severity: Severity::Info,
    title: "Endpoints without traffic in the window (idle, not zero)",
    docs: &[cite(METRICS, "Endpoint metrics")],
    needs: NEEDS,
    reads: &[],
};
/// Gateway endpoints publish no metrics (*CloudWatch metrics for AWS PrivateLink › Endpoint
/// metrics*).
pub const GATEWAY_NONE: Rule = Rule {
    id: "metric-gateway-endpoint-none",
    severity: Severity::Info,
    title: "Gateway endpoints publish no metrics, by design",
    docs: &[cite(METRICS, "Endpoint metrics")],
    needs: &[Source::VpcEndpoints],
    reads: &[],
};

/// CloudWatch metric rules.
pub const FAMILY: Family = Family {
    name: "CloudWatch metrics",
    rules: &[PACKETS_DROPPED, RST_RISING, IDLE, GATEWAY_NONE],
    run,
};

/// The rule that judges a metric's series, for the panes that colour it.
pub fn rule_for_metric(metric: MetricName) -> Option<&'static Rule> {
    match metric {
        MetricName::PacketsDropped => Some(&PACKETS_DROPPED),
        MetricName::RstPacketsReceived => Some(&RST_RISING),
        _ => None,
    }
}

/// The bytes billed to the endpoint's owner since `since` (`BytesProcessed`, *CloudWatch metrics
/// for AWS PrivateLink › Endpoint metrics*; both directions), in GB as the bill shows them; `None`
/// without the series.
pub fn billed_gb(metrics: &Metrics, endpoint_id: &str, since: i64) -> Option<f64> {
    let series = metrics.series_for(endpoint_id, MetricName::BytesProcessed)?;
    let bytes: f64 = series
        .points
        .iter()
        .filter(|(t, _)| *t >= since)
        .map(|(_, v)| v)
        .sum();
    Some(bytes / 1e9)
}

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

/// The CloudWatch query of the series the audit read: the collector's full dimension set
/// (CloudWatch matches dimensions exactly), its statistic and period, and the window as the
/// variables FROM and TO.
fn query_fix(metrics: &Metrics, endpoint: &VpcEndpoint, metric: MetricName) -> String {
    let dimensions: Vec<serde_json::Value> = endpoint_dimensions(endpoint)
        .iter()
        .map(|(name, value)| serde_json::json!({"Name": name, "Value": value}))
        .collect();
    let dimensions = serde_json::Value::Array(dimensions).to_string();
    let time = |epoch| rfc3339(epoch).unwrap_or_default();
    format!(
        "# FROM, TO: the window the audit read (UTC); change them to look at another\nFROM={} TO={}\naws cloudwatch get-metric-statistics --namespace AWS/PrivateLinkEndpoints --metric-name {metric} --statistics {} --period {} --dimensions {} --start-time \"$FROM\" --end-time \"$TO\"\n# Then check the endpoint service's health, and packets over the 8500-byte MTU.",
        time(metrics.start),
        time(metrics.end),
        metric.statistic(),
        metrics.period_seconds,
        quote(&dimensions)
    )
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
                rule.violated(Subject::endpoint(&s.endpoint_id), format!(
                    "{} ({service}): {} {what} in the last {hours:.0} h{trend}; peak {peak} in the minute at {}.",
                    s.endpoint_id,
                    first + second,
                    clock(peak_t)
                ))
                .fix_if(endpoint.map(|e| query_fix(m, e, metric)))
            })
        })
        .collect();
    rule.or_pass(
        findings,
        ctx.vpc(),
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
            ctx.vpc(),
            "Every available interface endpoint carried traffic in the window.",
        )
    } else {
        let hours = (m.end - m.start) / 3600;
        IDLE.info(ctx.vpc(), format!("{} received no traffic in the last {hours} h (no datapoints means idle, not zero).", idle.join(", "))).involving(idle)
    }
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let gateways = ctx.gateway_endpoint_ids();
    let gateway = if gateways.is_empty() {
        GATEWAY_NONE.pass(ctx.vpc(), "No gateway endpoints.")
    } else {
        GATEWAY_NONE
            .info(
                ctx.vpc(),
                format!(
                    "Gateway endpoints publish no CloudWatch metrics by design: {}.",
                    gateways.join(", ")
                ),
            )
            .involving(gateways)
    };
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

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    #[test]
    fn bytes_billed_are_summed_over_the_window_in_gb() {
        let mut snap = Fixture::healthy();
        let sqs = snap.id_of("sqs");
        snap.metrics
            .series
            .retain(|s| !(s.endpoint_id == sqs && s.metric == MetricName::BytesProcessed));
        assert_eq!(super::billed_gb(&snap.metrics, &sqs, 0), None);
        snap.metrics.series.push(MetricSeries {
            endpoint_id: sqs.clone(),
            metric: MetricName::BytesProcessed,
            statistic: "Sum".into(),
            points: vec![(100, 1.5e9), (200, 2.5e9), (300, 1e9)],
        });
        assert_eq!(super::billed_gb(&snap.metrics, &sqs, 0), Some(5.0));
        assert_eq!(super::billed_gb(&snap.metrics, &sqs, 200), Some(3.5));
    }

    #[test]
    fn metric_rules() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "metric-packets-dropped-rising");
        assert_pass(&snap, "metric-rst-received-rising");
        assert_pass(&snap, "metric-no-datapoints");
        let s3 = snap.id_of("s3");
        assert_flags(&snap, "metric-gateway-endpoint-none", Status::Info, &s3);

        let mut s = snap;
        let (sqs, kms, logs) = (s.id_of("sqs"), s.id_of("kms"), s.id_of("logs"));
        let end = s.metrics.end;
        for series in &mut s.metrics.series {
            if series.endpoint_id == sqs && series.metric == MetricName::PacketsDropped {
                series.points.push((end - 120, 40.0));
            }
            if series.endpoint_id == sqs && series.metric == MetricName::RstPacketsReceived {
                series.points = (0..30).map(|i| (end - 60 * (i + 1), 2.0)).collect();
            }
            // Steady resets, as many early as late: not rising.
            if series.endpoint_id == logs && series.metric == MetricName::RstPacketsReceived {
                series.points = (0..180).map(|i| (end - 60 * (i + 1), 1.0)).collect();
            }
            if series.endpoint_id == kms {
                series.points.clear();
            }
        }
        let dropped = assert_flags(&s, "metric-packets-dropped-rising", Status::Warn, &sqs);
        // The peak is the largest minute, at its time of day.
        assert!(
            dropped
                .detail
                .contains("(sqs): 40 packets dropped in the last 3 h")
                && dropped
                    .detail
                    .contains("peak 40 in the minute at 05:58 UTC"),
            "{}",
            dropped.detail
        );
        // The fix queries the series the audit read: its metric, every dimension the
        // collector used, and the window as FROM and TO.
        let fix = dropped.remediation.as_deref().unwrap();
        assert!(
            fix.contains("aws cloudwatch get-metric-statistics --namespace AWS/PrivateLinkEndpoints --metric-name PacketsDropped")
                && fix.contains(&format!("\"Value\":\"{sqs}\""))
                && fix.contains("--start-time \"$FROM\" --end-time \"$TO\"")
                && fix.contains("\nFROM="),
            "{fix}"
        );
        assert_flags(&s, "metric-rst-received-rising", Status::Warn, &sqs);
        assert!(
            !findings(&s, "metric-rst-received-rising")
                .iter()
                .any(|f| f.involves(&logs))
        );
        let idle = assert_flags(&s, "metric-no-datapoints", Status::Info, &kms);
        assert!(
            idle.detail
                .contains("in the last 3 h (no datapoints means idle, not zero)"),
            "{}",
            idle.detail
        );
        assert_eq!(
            super::rule_for_metric(MetricName::PacketsDropped),
            Some(&super::PACKETS_DROPPED)
        );
        assert_eq!(
            super::rule_for_metric(MetricName::RstPacketsReceived),
            Some(&super::RST_RISING)
        );
        assert_eq!(super::rule_for_metric(MetricName::ActiveConnections), None);

        s.fail(Source::Metrics);
        for id in [
            "metric-packets-dropped-rising",
            "metric-rst-received-rising",
            "metric-no-datapoints",
        ] {
            let f = only(&s, id);
            assert_eq!(f.status, Status::Unknown, "{id}");
            assert!(f.detail.contains("cloudwatch:GetMetricData"));
        }
    }
}
