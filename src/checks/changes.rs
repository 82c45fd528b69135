//! The change timeline: the CloudTrail events of `--changes`, newest first, each linked to the
//! findings that now rest on what it changed ("sg-0ab… revoked tcp/443 at 03:12 by
//! role/deployer; mwaa.endpoint.sqs fails now"). The links say what is wrong now on the
//! resource an event touched; they do not claim the event caused it.

use serde::{Deserialize, Serialize};

use super::finding::{Finding, Status};
use crate::model::{ChangeEvent, Changes};

/// One event with the findings on its resources that are a problem now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedEvent {
    /// The event.
    #[serde(flatten)]
    pub event: ChangeEvent,
    /// The keys ([`Finding::key`]) of the failing or warning findings on its resources.
    pub findings: Vec<String>,
    /// The event in one sentence, with those findings.
    pub sentence: String,
}

impl LinkedEvent {
    /// `fail` when a problem rests on the event's resources now, else `info`.
    pub fn status(&self) -> Status {
        match self.findings.is_empty() {
            true => Status::Info,
            false => Status::Fail,
        }
    }
}

/// The timeline of one audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// `pass` when the window was read whole, `warn` when it was read in part (an error, or
    /// more events than the page bound), `unknown` when nothing could be read.
    pub status: Status,
    /// Why the timeline is partial or unknown, when it is.
    pub note: Option<String>,
    /// The window's start (RFC 3339).
    pub since: String,
    /// The window's end (RFC 3339).
    pub until: String,
    /// The events, newest first.
    pub events: Vec<LinkedEvent>,
}

/// `03:12` out of `2026-11-25T03:12:00Z`, or the whole time when it has another shape.
fn clock(time: &str) -> &str {
    time.split_once('T')
        .and_then(|(_, rest)| rest.get(..5))
        .unwrap_or(time)
}

fn sentence(event: &ChangeEvent, failing: &[&Finding]) -> String {
    let subject = event.resources.first().map_or("", String::as_str);
    let what = match event.summary.is_empty() {
        true => event.event_name.as_str(),
        false => event.summary.as_str(),
    };
    let actor = event
        .actor
        .as_deref()
        .map(|a| format!(" by {a}"))
        .unwrap_or_default();
    let mut text = format!("{subject}: {what} at {}{actor}", clock(&event.time));
    let mut now: Vec<String> = Vec::new();
    for f in failing {
        let said = format!("{} {}s", f.id, f.status);
        if !now.contains(&said) {
            now.push(said);
        }
    }
    if !now.is_empty() {
        text.push_str(&format!("; now {}", now.join(", ")));
    }
    text
}

/// The timeline of `changes`, linked to `findings`; `None` when changes were not read.
pub fn timeline(changes: Option<&Changes>, findings: &[Finding]) -> Option<Timeline> {
    let changes = changes?;
    let events: Vec<LinkedEvent> = changes
        .events
        .iter()
        .map(|event| {
            let failing: Vec<&Finding> = findings
                .iter()
                .filter(|f| matches!(f.status, Status::Fail | Status::Warn))
                .filter(|f| event.resources.iter().any(|r| f.involves(r)))
                .collect();
            LinkedEvent {
                event: event.clone(),
                findings: failing.iter().map(|f| f.key()).collect(),
                sentence: sentence(event, &failing),
            }
        })
        .collect();
    let (status, note) = match (&changes.error, changes.pages) {
        (Some(error), 0) => (
            Status::Unknown,
            Some(format!("cloudtrail:LookupEvents failed: {error}")),
        ),
        (Some(error), pages) => (
            Status::Warn,
            Some(format!(
                "partial: cloudtrail:LookupEvents failed after {pages} page(s): {error}"
            )),
        ),
        (None, _) if changes.more => (
            Status::Warn,
            Some(format!(
                "partial: the window holds more events than the {} page(s) read; narrow --changes",
                changes.pages
            )),
        ),
        (None, _) => (Status::Pass, None),
    };
    Some(Timeline {
        status,
        note,
        since: changes.since.clone(),
        until: changes.until.clone(),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::audit;
    use crate::checks::testkit::Fixture;
    use crate::model::FetchError;

    fn event(resource: &str, summary: &str) -> ChangeEvent {
        ChangeEvent {
            event_id: "e1".into(),
            time: "2026-11-25T03:12:00Z".into(),
            event_name: "RevokeSecurityGroupIngress".into(),
            event_source: "ec2.amazonaws.com".into(),
            actor: Some("role/deployer".into()),
            resources: vec![resource.into()],
            summary: summary.into(),
        }
    }

    fn changes(events: Vec<ChangeEvent>) -> Changes {
        Changes {
            since: "2026-11-24T06:00:00Z".into(),
            until: "2026-11-25T06:00:00Z".into(),
            events,
            pages: 1,
            more: false,
            error: None,
        }
    }

    #[test]
    fn an_event_links_to_the_findings_failing_on_its_resource() {
        let snapshot = Fixture::troubled();
        let findings = audit(&snapshot).findings;
        let revoked = event("sg-0e5dee86109f10b11", "revoked tcp/443 from 10.42.0.0/16");
        let elsewhere = event("sg-0d62a9e10db7597e7", "authorized tcp/443");
        let t = timeline(Some(&changes(vec![revoked, elsewhere])), &findings).unwrap();
        assert_eq!(t.status, Status::Pass);
        let linked = &t.events[0];
        assert!(
            linked.sentence.starts_with(
                "sg-0e5dee86109f10b11: revoked tcp/443 from 10.42.0.0/16 at 03:12 by role/deployer; now "
            ),
            "{}",
            linked.sentence
        );
        assert!(linked.sentence.contains("mwaa.endpoint.sqs fails"));
        assert!(
            linked
                .findings
                .iter()
                .any(|k| k.starts_with("mwaa.endpoint.sqs "))
        );
        // The workload's own group has no problem resting on it.
        assert!(t.events[1].findings.is_empty(), "{:?}", t.events[1]);
        assert!(!t.events[1].sentence.contains("now"));
    }

    #[test]
    fn a_denied_or_cut_read_is_unknown_or_partial() {
        let denied = FetchError {
            code: Some("AccessDeniedException".into()),
            message: "not authorized".into(),
        };
        let mut read = changes(Vec::new());
        read.pages = 0;
        read.error = Some(denied);
        assert_eq!(timeline(Some(&read), &[]).unwrap().status, Status::Unknown);
        read.pages = 2;
        let t = timeline(Some(&read), &[]).unwrap();
        assert_eq!(t.status, Status::Warn);
        assert!(t.note.unwrap().contains("after 2 page(s)"));
        let mut more = changes(Vec::new());
        more.more = true;
        assert_eq!(timeline(Some(&more), &[]).unwrap().status, Status::Warn);
        assert_eq!(timeline(None, &[]), None);
    }
}
