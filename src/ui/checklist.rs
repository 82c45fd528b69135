//! Tab 1: the MWAA checklist, then every other finding that is not a pass.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{Col, Listing, View, field, heading};
use crate::app::rows;
use std::collections::HashMap;

use crate::app::rows::finding_key;
use crate::checks::Finding;
use crate::report::text::{checklist_label, icon};

/// The findings the checklist tab lists, in row order.
fn findings<'a>(view: &View<'a>, shown: &[rows::Row]) -> Vec<&'a Finding> {
    let by_key: HashMap<String, &Finding> = view
        .audit
        .findings
        .iter()
        .map(|f| (finding_key(f), f))
        .collect();
    shown
        .iter()
        .filter_map(|r| by_key.get(&r.id).copied())
        .collect()
}

/// The table of the rows in `shown` (the part of `View::rows` on screen).
pub fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
    let rows = findings(view, shown)
        .into_iter()
        .map(|f| {
            let style = view.theme.status(f.status);
            Row::new(vec![
                Cell::from(Span::styled(icon(f.status), style)),
                Cell::from(checklist_label(f)),
                Cell::from(Span::styled(f.status.as_str(), style)),
                Cell::from(f.resources.last().cloned().unwrap_or_default()),
            ])
        })
        .collect();
    Listing {
        header: vec!["", "CHECK", "STATUS", "RESOURCE"],
        rows,
        widths: vec![Col(1, 1), Col(34, 20), Col(7, 4), Col(22, 22)],
    }
}

pub fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(f) = view.audit.findings.iter().find(|f| finding_key(f) == id) else {
        return Vec::new();
    };
    let theme = view.theme;
    let mut lines = vec![
        Line::from(vec![Span::styled(
            format!("{} {}", icon(f.status), f.id),
            theme.status(f.status),
        )]),
        Line::from(Span::styled(f.title.clone(), theme.muted)),
        Line::default(),
        field(
            "status",
            format!("{} (severity {})", f.status, f.severity.as_str()),
            theme,
        ),
        field(
            "resources",
            if f.resources.is_empty() {
                "-".into()
            } else {
                f.resources.join(", ")
            },
            theme,
        ),
        Line::default(),
        heading("Why", theme),
        Line::from(f.detail.clone()),
    ];
    if let Some(fix) = &f.remediation {
        lines.push(Line::default());
        lines.push(heading("Fix (y copies)", theme));
        lines.extend(
            fix.lines()
                .map(|l| Line::from(Span::styled(format!("$ {l}"), theme.accent))),
        );
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!("Source: {}", f.source),
        theme.muted,
    )));
    lines.push(Line::from(Span::styled(
        view.audit.workload.clone(),
        theme.muted,
    )));
    lines
}
