//! Tab 7: the CloudTrail change timeline of `--changes`, newest first: when, who, what, on
//! which resource, and the findings that are a problem on it now; the details show the event
//! and those findings with their fixes.

use ratatui::text::{Line, Span};

use super::{Col, Data, Listing, Pane, Row, View, field, findings_for, heading};
use crate::checks::changes::LinkedEvent;
use crate::model::Source;
use crate::show::{clean, icon};

/// The Changes tab.
pub struct Changes;

fn event<'a>(data: &Data<'a>, id: &str) -> Option<&'a LinkedEvent> {
    data.audit
        .timeline
        .as_ref()?
        .events
        .iter()
        .find(|e| e.event.event_id == id)
}

/// `11-25 03:12` out of `2026-11-25T03:12:00Z`.
fn short_time(time: &str) -> String {
    match (time.get(5..10), time.get(11..16)) {
        (Some(day), Some(clock)) => format!("{day} {clock}"),
        _ => time.to_string(),
    }
}

impl Pane for Changes {
    fn title(&self) -> &'static str {
        "Changes"
    }

    fn short_title(&self) -> &'static str {
        "Chg"
    }

    /// None of the snapshot's: the banner says when CloudTrail could not be read.
    fn sources(&self) -> &'static [Source] {
        &[]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        data.audit.timeline.as_ref().map_or_else(Vec::new, |t| {
            t.events.iter().map(|e| e.event.event_id.clone()).collect()
        })
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        event(data, id).map_or_else(String::new, |e| {
            format!(
                "{} {} {} {}",
                e.event.event_name,
                e.event.actor.as_deref().unwrap_or_default(),
                e.event.resources.join(" "),
                e.sentence
            )
        })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let data = view.data();
        let rows = shown
            .iter()
            .filter_map(|r| event(&data, &r.id))
            .map(|e| {
                let status = e.status();
                let what = match e.event.summary.is_empty() {
                    true => "-",
                    false => e.event.summary.as_str(),
                };
                vec![
                    Line::styled(icon(status), view.theme.status(status)),
                    Line::from(short_time(&e.event.time)),
                    Line::from(clean(e.event.actor.as_deref().unwrap_or("-")).into_owned()),
                    Line::from(clean(&e.event.event_name).into_owned()),
                    Line::from(
                        clean(e.event.resources.first().map_or("-", String::as_str)).into_owned(),
                    ),
                    Line::from(clean(what).into_owned()),
                ]
            })
            .collect();
        Listing {
            header: vec!["", "TIME", "WHO", "EVENT", "RESOURCE", "WHAT"],
            rows,
            widths: vec![
                Col(1, 1),
                Col(11, 11),
                Col(20, 8),
                Col(28, 12),
                Col(26, 22),
                Col(40, 10),
            ],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        let data = view.data();
        let Some(e) = event(&data, id) else {
            return Vec::new();
        };
        let theme = view.theme;
        let status = e.status();
        let mut lines = vec![
            Line::from(Span::styled(
                format!("{} {}", icon(status), clean(&e.sentence)),
                theme.status(status),
            )),
            Line::default(),
            field("time", &e.event.time, theme),
            field("event", &e.event.event_name, theme),
            field("source", &e.event.event_source, theme),
            field("who", e.event.actor.as_deref().unwrap_or("-"), theme),
            field("resources", e.event.resources.join(", "), theme),
            field("what", &e.event.summary, theme),
            field("event id", &e.event.event_id, theme),
        ];
        for resource in &e.event.resources {
            lines.push(heading(
                format!("Problems on {} now", clean(resource)),
                theme,
            ));
            lines.extend(findings_for(view, resource));
        }
        lines
    }

    fn banner<'a>(&self, view: &View<'a>) -> Option<Line<'a>> {
        let theme = view.theme;
        let Some(timeline) = &view.audit.timeline else {
            return Some(Line::from(Span::styled(
                match view.changes_reading {
                    true => "Reading CloudTrail…".to_string(),
                    false => "No change timeline: start linkscope with --changes 24h (live data; cloudtrail:LookupEvents)".to_string(),
                },
                theme.muted,
            )));
        };
        let window = format!("{} → {}", timeline.since, timeline.until);
        let text = match (&timeline.note, view.changes_reading) {
            (_, true) => format!(
                "Reading CloudTrail… {} events so far ({window})",
                timeline.events.len()
            ),
            (Some(note), false) => format!("{note} ({window})"),
            (None, false) => format!("{} events, {window}", timeline.events.len()),
        };
        let style = match view.changes_reading {
            true => theme.accent,
            false => theme.status(timeline.status),
        };
        Some(Line::from(Span::styled(clean(&text).into_owned(), style)))
    }
}
