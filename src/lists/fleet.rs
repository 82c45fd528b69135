//! The Fleet screen's rows: one per target of a fleet read, as the filter leaves them, in
//! account, Region and name order or worst first. Not a tab: it is on screen before a target
//! is opened, and with Esc or `t` from one.

use crate::checks::Status;
use crate::fleet::Entry;

/// One row of the Fleet screen.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetRow {
    /// The position of its entry in the fleet read.
    pub entry: usize,
    /// The environment's name, else the VPC id; for a target that was not audited, what
    /// could not be read.
    pub target: String,
    /// The Region, or empty.
    pub region: String,
    /// The account, or empty.
    pub account: String,
    /// The environment's status, `not audited`, or empty.
    pub status: String,
    /// The checklist's requirement rows, in order (empty when not audited).
    pub strip: Vec<Status>,
    /// The checklist's readiness as the dashboard header counts it (`10/12`), or `-`.
    pub checklist: String,
    /// The worst finding's id (`mwaa.endpoint.sqs`; its status is the row's icon), or why
    /// the target was not audited.
    pub worst: String,
    /// The worst finding's status; `Fail` for a target that was not audited.
    pub tone: Status,
    /// True when some of the target's sources could not be read.
    pub partial: bool,
}

fn row(entry: usize, e: &Entry) -> FleetRow {
    match e {
        Entry::Audited { audited, .. } => {
            let row = &audited.row;
            FleetRow {
                entry,
                target: row.target.clone(),
                region: row.region.clone(),
                account: row.account.clone().unwrap_or_default(),
                status: row.environment_status.clone().unwrap_or_default(),
                strip: row.strip.clone(),
                checklist: match row.readiness.required {
                    0 => "-".into(),
                    _ => row.readiness.short(),
                },
                worst: row
                    .worst
                    .as_ref()
                    .map_or_else(|| "no problem found".into(), |w| w.id.clone()),
                tone: row.worst.as_ref().map_or(Status::Pass, |w| w.status),
                partial: row.partial,
            }
        }
        Entry::Failed(f) => FleetRow {
            entry,
            target: f.target.clone(),
            region: f.region.clone().unwrap_or_default(),
            account: f.account.clone().unwrap_or_default(),
            status: "not audited".into(),
            strip: Vec::new(),
            checklist: "-".into(),
            worst: f.reason.clone(),
            tone: Status::Fail,
            partial: false,
        },
    }
}

/// The rows whose text contains `filter` (case-insensitive). `by_worst` puts the targets
/// that could not be audited first, then the rest by [`crate::fleet::Row::rank`], worst
/// first; ties keep the read's order.
pub fn rows(entries: &[Entry], filter: &str, by_worst: bool) -> Vec<FleetRow> {
    let needle = filter.to_lowercase();
    let mut rows: Vec<(usize, FleetRow)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i, row(i, e)))
        .filter(|(_, r)| {
            needle.is_empty()
                || [&r.target, &r.region, &r.account, &r.status, &r.worst]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&needle))
        })
        .collect();
    if by_worst {
        rows.sort_by_key(|(i, _)| {
            std::cmp::Reverse(match &entries[*i] {
                Entry::Failed(_) => (1, (0, None, 0)),
                Entry::Audited { audited, .. } => (0, audited.row.rank()),
            })
        });
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::fleet::Failed;
    use crate::fleet::audited::audited;
    use crate::input::demo;

    fn fleet() -> Vec<Entry> {
        let audited = |scenario| {
            let snapshot = demo(scenario);
            Entry::Audited {
                audited: Box::new(audited(&snapshot, Some("111111111111".into()), &[])),
                snapshot: Box::new(snapshot),
            }
        };
        vec![
            audited(DemoScenario::Healthy),
            audited(DemoScenario::Troubled),
            Entry::Failed(Failed {
                target: "all environments".into(),
                region: Some("eu-west-1".into()),
                account: Some("111111111111".into()),
                reason: "AccessDenied: not authorized".into(),
            }),
        ]
    }

    #[test]
    fn rows_keep_the_read_order_or_put_the_worst_first() {
        let entries = fleet();
        let order = |rows: Vec<FleetRow>| rows.iter().map(|r| r.entry).collect::<Vec<_>>();
        assert_eq!(order(rows(&entries, "", false)), [0, 1, 2]);
        assert_eq!(
            order(rows(&entries, "", true)),
            [2, 1, 0],
            "not audited, then failing, then clean"
        );
    }

    #[test]
    fn a_row_shows_the_checklist_strip_and_the_worst_finding() {
        let entries = fleet();
        let rows = rows(&entries, "", false);
        let healthy = &rows[0];
        assert!(
            healthy.strip.iter().all(|s| *s == Status::Pass),
            "{healthy:?}"
        );
        assert_eq!(healthy.tone, Status::Pass);
        let troubled = &rows[1];
        assert!(troubled.strip.contains(&Status::Fail));
        assert!(troubled.worst.starts_with("mwaa."), "{}", troubled.worst);
        assert_eq!(troubled.tone, Status::Fail);
        let failed = &rows[2];
        assert_eq!(
            (failed.status.as_str(), failed.tone),
            ("not audited", Status::Fail)
        );
        assert!(failed.worst.contains("AccessDenied"));
    }

    #[test]
    fn the_filter_matches_target_region_account_status_and_reason() {
        let entries = fleet();
        assert_eq!(rows(&entries, "EU-WEST", false).len(), 1);
        assert_eq!(rows(&entries, "accessdenied", false).len(), 1);
        assert_eq!(rows(&entries, "1111", false).len(), 3);
        assert!(rows(&entries, "nothing-like-this", false).is_empty());
    }
}
