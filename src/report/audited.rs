//! One collected target of a fleet as its `linkscope.audit/v1` report object and its row, and
//! a fleet read as the entries of the dashboard's Fleet screen.

use serde_json::Value;

use crate::fleet::{Audited, Entry, Outcome};
use crate::model::{ProbeReport, Snapshot};

/// The report of one collected target (audited with `probes`), with the account the fleet
/// flags name for it (else the caller's), and its row.
pub fn audited(snapshot: &Snapshot, account: Option<String>, probes: &[ProbeReport]) -> Audited {
    let audit = crate::checks::audit_with(snapshot, probes);
    let mut report: Value =
        serde_json::from_str(&super::json::render(snapshot, &audit)).expect("our own JSON parses");
    if let Some(account) = account {
        report["account"] = account.into();
    }
    Audited::new(report).expect("our own report has a row")
}

/// The entries of a fleet read, audited with `probes`: audited targets in account, Region
/// and name order, then the failed ones.
pub fn entries(outcomes: Vec<Outcome>, probes: &[ProbeReport]) -> Vec<Entry> {
    let (mut audited_entries, mut failed) = (Vec::new(), Vec::new());
    for outcome in outcomes {
        match outcome {
            Outcome::Collected { account, snapshot } => {
                let report = audited(&snapshot, account, probes);
                audited_entries.push(Entry::Audited {
                    audited: Box::new(report),
                    snapshot,
                });
            }
            Outcome::Failed(f) => failed.push(f),
        }
    }
    audited_entries.sort_by_cached_key(|e| e.key());
    failed.sort();
    audited_entries.extend(failed.into_iter().map(Entry::Failed));
    audited_entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::fleet::Failed;
    use crate::input::demo;

    #[test]
    fn entries_are_audited_in_key_order_then_failed() {
        let collected = |scenario, account: &str| Outcome::Collected {
            account: Some(account.into()),
            snapshot: Box::new(demo(scenario)),
        };
        let failed = Failed {
            target: "all environments".into(),
            region: Some("eu-west-1".into()),
            account: Some("111111111111".into()),
            reason: "AccessDenied".into(),
        };
        let entries = entries(
            vec![
                collected(DemoScenario::Troubled, "222222222222"),
                Outcome::Failed(failed.clone()),
                collected(DemoScenario::Healthy, "111111111111"),
            ],
            &[],
        );
        let accounts: Vec<Option<String>> = entries
            .iter()
            .map(|e| e.key().map(|k| k[0].clone()))
            .collect();
        assert_eq!(
            accounts,
            [
                Some("111111111111".to_string()),
                Some("222222222222".to_string()),
                None
            ]
        );
        assert_eq!(entries[2], Entry::Failed(failed));
    }

    #[test]
    fn a_target_report_carries_its_account_and_environment_status() {
        let troubled = demo(DemoScenario::Troubled);
        let a = audited(&troubled, Some("111111111111".into()), &[]);
        assert_eq!(a.report["account"], "111111111111");
        assert_eq!(
            a.row.environment_status.as_deref(),
            troubled
                .environment
                .as_ref()
                .unwrap()
                .status
                .as_ref()
                .map(|s| s.as_str())
        );
        let healthy = audited(&demo(DemoScenario::Healthy), None, &[]);
        assert!(healthy.row.failing < a.row.failing);
    }
}
