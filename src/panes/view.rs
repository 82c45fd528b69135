//! What a pane reads while it draws, and the pieces every pane's details are made of.

use std::collections::BTreeSet;

use ratatui::text::{Line, Span};

use super::{Data, Index, Row, Theme};
use crate::checks::{Audit, Finding, Status};
use crate::model::{EndpointEni, MetricName, MetricSeries, Snapshot, Source, VpcEndpoint};
use crate::show::{clean, icon, label};

/// Everything a pane reads for one frame.
pub struct View<'a> {
    /// The snapshot on screen.
    pub snapshot: &'a Snapshot,
    /// Its audit.
    pub audit: &'a Audit,
    /// Lookups by id.
    pub index: &'a Index,
    /// With `--baseline`, the row ids that changed since the baseline.
    pub changed: Option<&'a BTreeSet<String>>,
    /// True while CloudTrail is being read (`--changes`).
    pub changes_reading: bool,
    /// The colours.
    pub theme: &'a Theme,
    /// The metrics window, in seconds.
    pub window_seconds: i64,
    /// The metrics window as the header shows it (`3h`).
    pub window_label: &'static str,
    /// The metric the chart shows.
    pub metric: MetricName,
    /// The visible rows of the current tab.
    pub rows: Vec<Row>,
    /// The selected row, as an index into `rows`.
    pub selection: Option<usize>,
}

impl<'a> View<'a> {
    /// The data panes list their rows from.
    pub fn data(&self) -> Data<'a> {
        Data {
            snapshot: self.snapshot,
            audit: self.audit,
            index: self.index,
            changed: self.changed,
        }
    }

    /// An endpoint by id.
    pub fn endpoint(&self, id: &str) -> Option<&'a VpcEndpoint> {
        self.index.endpoint(self.snapshot, id)
    }

    /// The network interfaces of an endpoint.
    pub fn enis_of(&self, endpoint: &'a VpcEndpoint) -> impl Iterator<Item = &'a EndpointEni> {
        self.snapshot.enis_of(endpoint)
    }

    /// The series of one metric of one endpoint.
    pub fn series(&self, endpoint_id: &str, metric: MetricName) -> Option<&'a MetricSeries> {
        self.index.series(self.snapshot, endpoint_id, metric)
    }

    /// The selected row's id.
    pub fn selected_id(&self) -> Option<String> {
        self.selection
            .and_then(|i| self.rows.get(i))
            .map(|r| r.id.clone())
    }

    /// The icon and style of the worst finding resting on a resource (✔ when none is a problem).
    pub fn verdict(&self, resource: &str) -> Span<'a> {
        match self.audit.worst_for(resource) {
            Some(status) => Span::styled(icon(status), self.theme.status(status)),
            None => Span::styled(icon(Status::Pass), self.theme.ok),
        }
    }

    /// The audit's verdict on a resource as a cell: the worst finding that names it (its
    /// icon and label) when that is a problem or unknown, `✔` when every finding on it
    /// passes, `-` when none names it.
    pub fn verdict_cell(&self, id: &str) -> Line<'a> {
        match self.audit.worst_naming(id) {
            Some(f) if matches!(f.status, Status::Pass | Status::Info) => {
                Line::styled(icon(Status::Pass), self.theme.ok)
            }
            Some(f) => Line::styled(
                format!("{} {}", icon(f.status), label(f)),
                self.theme.status(f.status),
            ),
            None => Line::styled("-", self.theme.muted),
        }
    }

    /// What could not be read of `sources`, one `api: error` line each.
    pub fn unread(&self, sources: &[Source]) -> Vec<String> {
        self.snapshot
            .failed_sources()
            .filter(|(s, _)| sources.contains(s))
            .map(|(s, e)| format!("{}: {}", s.api(), clean(&e.to_string())))
            .collect()
    }
}

/// A pane's table: header, rows and column widths, in the order of the visible rows.
pub struct Listing<'a> {
    /// Column headings.
    pub header: Vec<&'static str>,
    /// One row of cells per shown row (the dashboard adds the ∆ column with a baseline).
    /// The dashboard cuts each cell to its column with `show::truncate`'s `…`.
    pub rows: Vec<Vec<Line<'a>>>,
    /// Each column's preferred and smallest width.
    pub widths: Vec<Col>,
}

/// A column's preferred and smallest width.
#[derive(Debug, Clone, Copy)]
pub struct Col(pub u16, pub u16);

/// A labelled line for details panes; the value is escaped.
pub fn field<'a>(label: &str, value: impl AsRef<str>, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), theme.muted),
        Span::raw(clean(value.as_ref()).into_owned()),
    ])
}

/// A section heading in a details pane.
pub fn heading<'a>(text: impl Into<String>, theme: &Theme) -> Line<'a> {
    Line::from(Span::styled(text.into(), theme.title))
}

/// The AWS pages a finding cites, each with its address, indented by `indent`.
pub fn docs<'a>(f: &Finding, theme: &Theme, indent: &str) -> Vec<Line<'a>> {
    f.docs
        .iter()
        .map(|cite| {
            Line::from(vec![
                Span::styled(format!("{indent}{} ", cite.text()), theme.muted),
                Span::styled(cite.page.url, theme.accent),
            ])
        })
        .collect()
}

/// What `--probe` evidence says about a published name, as detail lines (none without it).
pub fn probe_lines<'a>(view: &View, published: &str) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for p in crate::checks::probe::for_name(&view.audit.probes, published) {
        if lines.is_empty() {
            lines.push(heading("Probe (from inside the VPC)", view.theme));
        }
        let status = crate::checks::probe::status(p.result.verdict);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {}", icon(status), clean(&p.result.name)),
                view.theme.status(status),
            ),
            Span::styled(
                format!(
                    "  {} resolver, from {}",
                    clean(&p.result.resolver),
                    clean(&p.ran_on)
                ),
                view.theme.muted,
            ),
        ]));
        lines.push(Line::from(format!("  {}", clean(&p.result.explanation))));
    }
    lines
}

/// The findings that rest on a resource and are not a pass, as detail lines.
pub fn findings_for<'a>(view: &View, resource: &str) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for f in view
        .audit
        .involving(resource)
        .filter(|f| f.status != Status::Pass)
    {
        lines.push(Line::from(Span::styled(
            format!("{} {}", icon(f.status), f.id),
            view.theme.status(f.status),
        )));
        lines.push(Line::from(format!("  {}", clean(&f.detail))));
        if let Some(fix) = &f.remediation {
            for fix_line in fix.lines() {
                lines.push(Line::from(Span::styled(
                    format!("  $ {}", clean(fix_line)),
                    view.theme.accent,
                )));
            }
        }
        lines.extend(docs(f, view.theme, "  "));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("✔ no findings", view.theme.ok)));
    }
    lines
}
