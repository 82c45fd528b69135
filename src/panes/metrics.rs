//! Tab 5: the five PrivateLink metrics per endpoint as sparklines, and a chart of the
//! selected one. Minutes without datapoints are idle, never zero; gateway endpoints say
//! that metrics are not published for them.

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
use crate::model::{EndpointType, MetricName, Source, VpcEndpoint};
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

/// The chart of the selected metric (`m` cycles) over the window (`w` cycles).
fn chart(view: &View, frame: &mut Frame, area: Rect, id: &str) {
    let metric = view.metric;
    let title = format!(
        " {metric} · {id} · last {} · m next metric ",
        view.window_label
    );
    let title = cut(
        Line::styled(title, view.theme.title),
        usize::from(area.width.saturating_sub(2)),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
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
    let points: Vec<(f64, f64)> = m
        .series_for(id, metric)
        .map(|s| {
            s.points
                .iter()
                .filter(|p| p.0 >= start)
                .map(|(t, v)| (((t - m.end) as f64) / 60.0, *v))
                .collect()
        })
        .unwrap_or_default();
    let message = message.or_else(|| {
        points.is_empty().then(|| {
            (
                "Idle: no datapoints in this window (no traffic, not zero).".to_string(),
                view.theme.muted,
            )
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
        data.snapshot
            .endpoints
            .iter()
            .map(|e| e.id.clone())
            .collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
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
            .filter_map(|r| view.endpoint(&r.id))
            .map(|e| {
                let mut cells = vec![
                    Line::from(e.id.clone()),
                    Line::from(e.short_service_name().to_string()),
                ];
                cells.extend(MetricName::ALL.iter().map(|m| cell(view, e, *m)));
                cells
            })
            .collect();
        Listing {
            header: vec![
                "ENDPOINT", "SERVICE", "ACTIVE", "BYTES", "NEW", "DROPPED", "RST",
            ],
            rows,
            // A cut sparkline would read as idle minutes: they are shown whole or not at all.
            widths: vec![
                Col(22, 22),
                Col(12, 8),
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
                Col(10, 10),
            ],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        totals(view, id)
    }

    fn side(&self, view: &View, frame: &mut Frame, area: Rect, id: &str) -> bool {
        chart(view, frame, area, id);
        true
    }
}
