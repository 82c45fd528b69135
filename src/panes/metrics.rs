//! Tab 5: the five PrivateLink metrics per endpoint and, below them, the MWAA environment's
//! own health (scheduler heartbeat, queued and running tasks, CPU and memory per component),
//! as sparklines, and a chart of the selected one. An environment series without datapoints is
//! unknown, an endpoint's idle, never zero; gateway endpoints say that metrics are not
//! published for them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::cut::cut;
use super::spark::spark;
use super::{Col, Data, Listing, Pane, Row as VisibleRow, View};
use crate::checks::metrics::{billed_gb, rule_for_metric};
use crate::checks::mwaa::health;
use crate::model::{
    Component, EndpointType, EnvironmentMetric, EnvironmentSeries, MetricName, Source, VpcEndpoint,
};
use crate::show::clean;

/// The metrics tab.
pub struct Metrics;

/// True when the audit flags this metric of this endpoint.
fn flagged(view: &View, endpoint_id: &str, metric: MetricName) -> bool {
    rule_for_metric(metric).is_some_and(|rule| {
        view.audit
            .involving(endpoint_id)
            .any(|f| f.rule == rule.id && f.status.is_problem())
    })
}

/// The metrics error, when CloudWatch could not be read.
fn unavailable(view: &View) -> Option<String> {
    view.snapshot
        .failed_sources()
        .find(|(s, _)| *s == Source::Metrics)
        .map(|(_, e)| format!("metrics unavailable: {e}"))
}

/// The row id of an environment series: `mwaa:<metric>` or `mwaa:<metric>:<component>`
/// (never an endpoint id).
fn env_row(series: &EnvironmentSeries) -> String {
    match series.component {
        Some(c) => format!("mwaa:{}:{}", series.metric, c.as_str()),
        None => format!("mwaa:{}", series.metric),
    }
}

/// The environment series a row id names.
fn env_series<'a>(view: &View<'a>, id: &str) -> Option<&'a EnvironmentSeries> {
    view.snapshot
        .metrics
        .environment
        .iter()
        .find(|s| env_row(s) == id)
}

/// A series' short label: `heartbeat`, `queued`, `cpu Scheduler`.
fn env_label(series: &EnvironmentSeries) -> String {
    let metric = match series.metric {
        EnvironmentMetric::SchedulerHeartbeat => "heartbeat",
        EnvironmentMetric::QueuedTasks => "queued",
        EnvironmentMetric::RunningTasks => "running",
        EnvironmentMetric::CpuUtilization => "cpu",
        EnvironmentMetric::MemoryUtilization => "memory",
    };
    match series.component {
        Some(c) => format!("{metric} {}", component_label(c)),
        None => metric.to_string(),
    }
}

fn component_label(component: Component) -> &'static str {
    match component {
        Component::Scheduler => "sched",
        Component::BaseWorker => "worker",
        Component::AdditionalWorker => "extra wk",
        Component::WebServer => "web",
    }
}

/// True when the audit flags this series: its rule has a problem, and for a component's
/// series, that component is the one at its limit.
fn env_flagged(view: &View, series: &EnvironmentSeries) -> bool {
    let rule = health::rule_for(series.metric);
    let problem = view
        .audit
        .findings
        .iter()
        .any(|f| f.rule == rule.id && f.status.is_problem());
    problem
        && series.component.is_none_or(|component| {
            health::at_limit(&view.snapshot.metrics, series.metric, component)
        })
}

/// The cells of an environment series' row: its sparkline, or `unknown` without datapoints.
fn env_cells<'a>(view: &View, series: &EnvironmentSeries) -> Vec<Line<'a>> {
    let m = &view.snapshot.metrics;
    let name = view
        .snapshot
        .environment
        .as_ref()
        .map_or("MWAA", |e| e.name.as_str());
    let spark_cell = match series.points.is_empty() {
        true => Line::styled("unknown", view.theme.muted),
        false => Line::styled(
            spark(&series.points, m.end - view.window_seconds, m.end, 10),
            match env_flagged(view, series) {
                true => view.theme.warn,
                false => view.theme.accent,
            },
        ),
    };
    vec![
        Line::from(name.to_string()),
        Line::from(env_label(series)),
        spark_cell,
    ]
}

/// The details of an environment series: what it measures and its datapoints.
fn env_totals<'a>(view: &View<'a>, series: &EnvironmentSeries) -> Vec<Line<'a>> {
    let m = &view.snapshot.metrics;
    let start = m.end - view.window_seconds;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {}{}",
            series.metric.namespace(),
            series.metric,
            series
                .component
                .map(|c| format!(" · {}", c.as_str()))
                .unwrap_or_default()
        ),
        view.theme.title,
    ))];
    if let Some(error) = unavailable(view) {
        lines.push(Line::from(Span::styled(error, view.theme.error)));
    }
    let points: Vec<&(i64, f64)> = series.points.iter().filter(|p| p.0 >= start).collect();
    lines.push(Line::from(match points.last() {
        None => "  unknown: no datapoints in this window (not zero)".to_string(),
        Some((_, last)) => {
            let peak = points.iter().map(|p| p.1).fold(0.0, f64::max);
            format!(
                "  {} minutes with datapoints, last {last}, peak {peak} ({})",
                points.len(),
                series.statistic
            )
        }
    }));
    lines
}

fn cell<'a>(view: &View, e: &VpcEndpoint, metric: MetricName) -> Line<'a> {
    let m = &view.snapshot.metrics;
    match view.series(&e.id, metric) {
        _ if e.endpoint_type == EndpointType::Gateway => Line::styled("—", view.theme.muted),
        Some(s) if s.points.is_empty() => Line::styled("idle", view.theme.muted),
        Some(s) => {
            let style = if flagged(view, &e.id, metric) {
                view.theme.warn
            } else {
                view.theme.accent
            };
            Line::styled(
                spark(&s.points, m.end - view.window_seconds, m.end, 10),
                style,
            )
        }
        None => Line::styled("-", view.theme.muted),
    }
}

/// Text details for the opened view: totals per metric.
fn totals<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(e) = view.endpoint(id) else {
        return Vec::new();
    };
    let mut lines = vec![Line::from(Span::styled(
        format!("{}  {}", e.id, clean(&e.service_name)),
        view.theme.title,
    ))];
    if let Some(error) = unavailable(view) {
        lines.push(Line::from(Span::styled(error, view.theme.error)));
    }
    let m = &view.snapshot.metrics;
    let start = m.end - view.window_seconds;
    for metric in MetricName::ALL {
        let points: Vec<&(i64, f64)> = m
            .series_for(id, metric)
            .map(|s| s.points.iter().filter(|p| p.0 >= start).collect())
            .unwrap_or_default();
        let text = if points.is_empty() {
            "idle (no datapoints)".to_string()
        } else {
            let total: f64 = points.iter().map(|p| p.1).sum();
            let peak = points.iter().map(|p| p.1).fold(0.0, f64::max);
            format!(
                "{} active minutes, total {total}, peak {peak} ({})",
                points.len(),
                metric.statistic()
            )
        };
        lines.push(Line::from(format!("  {:<20} {text}", metric.as_str())));
    }
    if let Some(gb) = billed_gb(m, id, start) {
        lines.push(Line::from(format!(
            "  {:<20} {gb:.3} GB over the last {} (BytesProcessed, both directions)",
            "billed", view.window_label
        )));
    }
    lines
}

/// The chart of the selected metric (`m` cycles) over the window (`w` cycles), or of the
/// selected environment series.
fn chart(view: &View, frame: &mut Frame, area: Rect, id: &str) {
    let env = env_series(view, id);
    let title = match env {
        Some(series) => format!(" {} · last {} ", env_label(series), view.window_label),
        None => format!(
            " {} · {id} · last {} · m next metric ",
            view.metric, view.window_label
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(cut(
            Line::styled(title, view.theme.title),
            usize::from(area.width.saturating_sub(2)),
        ))
        .border_style(view.theme.muted);
    let m = &view.snapshot.metrics;
    let start = m.end - view.window_seconds;
    let message = match (unavailable(view), view.endpoint(id)) {
        (Some(error), _) => Some((error, view.theme.error)),
        (_, Some(e)) if e.endpoint_type == EndpointType::Gateway => Some((
            "Gateway endpoints publish no CloudWatch metrics, by design.".into(),
            view.theme.muted,
        )),
        _ => None,
    };
    let series = match env {
        Some(series) => Some(&series.points),
        None => m.series_for(id, view.metric).map(|s| &s.points),
    };
    let points: Vec<(f64, f64)> = series
        .map(|points| {
            points
                .iter()
                .filter(|p| p.0 >= start)
                .map(|(t, v)| (((t - m.end) as f64) / 60.0, *v))
                .collect()
        })
        .unwrap_or_default();
    let message = message.or_else(|| {
        points.is_empty().then(|| {
            let text = match env {
                Some(_) => "Unknown: no datapoints in this window (not zero).",
                None => "Idle: no datapoints in this window (no traffic, not zero).",
            };
            (text.to_string(), view.theme.muted)
        })
    });
    if let Some((text, style)) = message {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style))
                .block(block)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let peak = points.iter().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0);
    let minutes = view.window_seconds as f64 / 60.0;
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(view.theme.accent)
        .data(&points);
    let axis_style = Style::default().patch(view.theme.muted);
    let chart = Chart::new(vec![dataset])
        .block(block)
        .x_axis(
            Axis::default()
                .bounds([-minutes, 0.0])
                .labels([format!("-{}", view.window_label), "now".to_string()])
                .style(axis_style),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, peak * 1.1])
                .labels(["0".to_string(), format!("{peak}")])
                .style(axis_style),
        );
    frame.render_widget(chart, area);
}

impl Pane for Metrics {
    fn title(&self) -> &'static str {
        "Metrics"
    }

    fn short_title(&self) -> &'static str {
        "Metr"
    }

    fn sources(&self) -> &'static [Source] {
        &[Source::VpcEndpoints, Source::Metrics]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        let endpoints = data.snapshot.endpoints.iter().map(|e| e.id.clone());
        endpoints
            .chain(data.snapshot.metrics.environment.iter().map(env_row))
            .collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        let env = data
            .snapshot
            .metrics
            .environment
            .iter()
            .find(|s| env_row(s) == id);
        if let Some(series) = env {
            let name = data
                .snapshot
                .environment
                .as_ref()
                .map_or("", |e| e.name.as_str());
            return format!("mwaa {name} {} {}", series.metric, env_label(series));
        }
        data.index
            .endpoint(data.snapshot, id)
            .map_or_else(String::new, |e| {
                let kind = if e.endpoint_type == EndpointType::Gateway {
                    "gateway"
                } else {
                    ""
                };
                format!("{} {} {} {kind}", e.id, e.service_name, e.state)
            })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[VisibleRow]) -> Listing<'a> {
        let rows = shown
            .iter()
            .filter_map(|r| match env_series(view, &r.id) {
                Some(series) => Some(env_cells(view, series)),
                None => view.endpoint(&r.id).map(|e| {
                    let mut cells = vec![
                        Line::from(e.id.clone()),
                        Line::from(e.short_service_name().to_string()),
                    ];
                    cells.extend(MetricName::ALL.iter().map(|m| cell(view, e, *m)));
                    cells
                }),
            })
            .collect();
        Listing {
            header: vec![
                "ENDPOINT", "SERVICE", "ACTIVE", "BYTES", "NEW", "DROPPED", "RST",
            ],
            rows,
            widths: vec![
                Col(22, 22),
                Col(12, 8),
                // A cut sparkline would read as idle minutes: shown whole or not at all.
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
            ],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        match env_series(view, id) {
            Some(series) => env_totals(view, series),
            None => totals(view, id),
        }
    }

    fn side(&self, view: &View, frame: &mut Frame, area: Rect, id: &str) -> bool {
        chart(view, frame, area, id);
        true
    }
}
