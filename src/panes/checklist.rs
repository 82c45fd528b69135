//! Tab 1: the MWAA checklist, then every other finding that is a problem or unknown.

use std::collections::HashMap;

use ratatui::text::{Line, Span};

use super::{Col, Data, Listing, Pane, Row, View, docs, field, heading};
use crate::checks::{Audit, Finding};
use crate::model::Source;
use crate::show::{clean, environment_status, icon, label, resource};

/// The checklist tab.
pub struct Checklist;

/// Stable row keys: the check id and subject, numbered when one subject has several findings
/// of a rule (a policy with two bad statements).
fn keyed(audit: &Audit) -> Vec<(String, &Finding)> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    listed(audit)
        .map(|f| {
            let n = seen.entry((&f.id, &f.subject.id)).or_default();
            *n += 1;
            let key = match *n {
                1 => f.key(),
                n => format!("{} #{n}", f.key()),
            };
            (key, f)
        })
        .collect()
}

/// The findings the tab lists: the checklist rows, then problems and unknowns.
fn listed(audit: &Audit) -> impl Iterator<Item = &Finding> {
    audit.checklist().chain(
        audit
            .findings
            .iter()
            .filter(|f| f.checklist.is_none() && f.status.needs_attention()),
    )
}

/// The finding behind a row key.
pub fn finding<'a>(audit: &'a Audit, key: &str) -> Option<&'a Finding> {
    keyed(audit)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, f)| f)
}

impl Pane for Checklist {
    fn title(&self) -> &'static str {
        "Checklist"
    }

    fn short_title(&self) -> &'static str {
        "Check"
    }

    /// None: a rule whose source failed is a row of its own, `unknown` with the reason.
    fn sources(&self) -> &'static [Source] {
        &[]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        keyed(data.audit).into_iter().map(|(key, _)| key).collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        finding(data.audit, id).map_or_else(String::new, |f| {
            format!(
                "{} {} {} {}",
                f.id,
                f.status,
                f.resources.join(" "),
                f.title
            )
        })
    }

    /// The fix of the finding, else its first resource.
    fn copy_text(&self, data: &Data, id: &str) -> String {
        finding(data.audit, id).map_or_else(
            || id.to_string(),
            |f| {
                f.remediation
                    .clone()
                    .unwrap_or_else(|| resource(f).to_string())
            },
        )
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let by_key: HashMap<String, &Finding> = keyed(view.audit).into_iter().collect();
        let rows = shown
            .iter()
            .filter_map(|r| by_key.get(&r.id).copied())
            .map(|f| {
                let style = view.theme.status(f.status);
                vec![
                    Line::styled(icon(f.status), style),
                    Line::from(label(f)),
                    Line::styled(f.status.as_str(), style),
                    Line::from(resource(f).to_string()),
                ]
            })
            .collect();
        Listing {
            header: vec!["", "CHECK", "STATUS", "RESOURCE"],
            rows,
            widths: vec![Col(1, 1), Col(34, 20), Col(7, 4), Col(22, 22)],
        }
    }

    /// The environment's status and last error, when it is not available.
    fn banner<'a>(&self, view: &View<'a>) -> Option<Line<'a>> {
        let status = environment_status(view.audit).filter(|f| f.status.is_problem())?;
        let env = view.snapshot.environment.as_ref()?;
        let mut text = format!(
            "{} {} is {}",
            icon(status.status),
            env.name,
            env.status.as_ref().map_or("?", |s| s.as_str())
        );
        if let Some(update) = &env.last_update
            && (update.error_code.is_some() || update.error_message.is_some())
        {
            text.push_str(&format!(
                " · LastUpdate.Error {}: {}",
                update.error_code.as_deref().unwrap_or("-"),
                update.error_message.as_deref().unwrap_or("")
            ));
        }
        Some(Line::from(Span::styled(
            clean(&text).into_owned(),
            view.theme.status(status.status),
        )))
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        let Some(f) = finding(view.audit, id) else {
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
            Line::from(clean(&f.detail).into_owned()),
        ];
        if let Some(fix) = &f.remediation {
            lines.push(Line::default());
            lines.push(heading("Fix (y copies)", theme));
            lines.extend(
                fix.lines()
                    .map(|l| Line::from(Span::styled(format!("$ {}", clean(l)), theme.accent))),
            );
        }
        lines.push(Line::default());
        lines.push(heading("AWS documentation", theme));
        lines.extend(docs(f, theme, ""));
        lines.push(Line::from(Span::styled(
            clean(&view.audit.workload.description).into_owned(),
            theme.muted,
        )));
        lines
    }
}
