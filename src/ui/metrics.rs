//! Tab 5: the five PrivateLink metrics per endpoint as sparklines, and a chart of the
//! selected one. Minutes without datapoints are idle, never zero; gateway endpoints say
//! that metrics are not published for them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Wrap,
};

use super::spark::spark;
use super::{Col, Listing, View};
use crate::app::rows;
use crate::model::{EndpointType, MetricName, Source, VpcEndpoint};
use crate::report::table::truncate;

/// The metrics error, when CloudWatch could not be read.
fn unavailable(view: &View) -> Option<String> {
    view.snapshot
        .failed_sources()
        .find(|(s, _)| *s == Source::Metrics)
        .map(|(_, e)| format!("metrics unavailable: {e}"))
}

fn cell<'a>(view: &View, e: &VpcEndpoint, metric: MetricName) -> Cell<'a> {
    let m = &view.snapshot.metrics;
    match view.series(&e.id, metric) {
        _ if e.endpoint_type == EndpointType::Gateway => {
            Cell::from(Span::styled("—", view.theme.muted))
        }
        Some(s) if s.points.is_empty() => Cell::from(Span::styled("idle", view.theme.muted)),
        Some(s) => {
            let style = if matches!(
                metric,
                MetricName::PacketsDropped | MetricName::RstPacketsReceived
            ) && s.points.iter().any(|p| p.1 > 0.0)
            {
                view.theme.warn
            } else {
                view.theme.accent
            };
            Cell::from(Span::styled(
                spark(&s.points, m.end - view.app.window.seconds(), m.end, 10),
                style,
            ))
        }
        None => Cell::from(Span::styled("-", view.theme.muted)),
    }
}

/// The table of the rows in `shown` (the part of `View::rows` on screen).
pub fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
    let rows = shown
        .iter()
        .filter_map(|r| view.endpoint(&r.id))
        .map(|e| {
            let mut cells = vec![
                Cell::from(e.id.clone()),
                Cell::from(truncate(e.short_service_name(), 12)),
            ];
            cells.extend(MetricName::ALL.iter().map(|m| cell(view, e, *m)));
            Row::new(cells)
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
            Col(10, 6),
            Col(10, 6),
            Col(10, 6),
            Col(10, 6),
            Col(10, 6),
        ],
    }
}

/// Text details for the opened view: totals per metric.
pub fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(e) = view.endpoint(id) else {
        return Vec::new();
    };
    let mut lines = vec![Line::from(Span::styled(
        format!("{}  {}", e.id, e.service_name),
        view.theme.title,
    ))];
    if let Some(error) = unavailable(view) {
        lines.push(Line::from(Span::styled(error, view.theme.error)));
    }
    let m = &view.snapshot.metrics;
    let start = m.end - view.app.window.seconds();
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
    lines
}

/// The chart of the selected metric (`m` cycles) over the window (`w` cycles).
pub fn chart(view: &View, frame: &mut Frame, area: Rect, id: &str) {
    let metric = MetricName::ALL[view.app.metric % MetricName::ALL.len()];
    let title = format!(
        " {metric} · {id} · last {} · m next metric ",
        view.app.window.label()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, view.theme.title))
        .border_style(view.theme.muted);
    let m = &view.snapshot.metrics;
    let start = m.end - view.app.window.seconds();
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
    let minutes = view.app.window.seconds() as f64 / 60.0;
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
                .labels([format!("-{}", view.app.window.label()), "now".to_string()])
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
