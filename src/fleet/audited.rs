//! One collected target of a fleet as its typed report and row (from the typed audit, as
//! `linkscope audit` makes it), and as the entry of the dashboard's Fleet screen.

use super::collect::Outcome;
use super::entry::Entry;
use super::fleet_report::Audited;
use super::report::TargetReport;
use crate::model::{ProbeReport, Snapshot};

/// The report of one collected target (audited with `probes`), with the account the fleet
/// flags name for it (else the caller's), and its row.
pub fn audited(snapshot: &Snapshot, account: Option<String>, probes: &[ProbeReport]) -> Audited {
    let audit = crate::checks::audit_with(snapshot, probes);
    let mut report = TargetReport::new(snapshot, &audit);
    if account.is_some() {
        report.account = account;
    }
    Audited::new(report).expect("our own report has our schema")
}

/// A target's outcome as the Fleet screen holds it, audited with `probes`.
pub fn entry(outcome: Outcome, probes: &[ProbeReport]) -> Entry {
    match outcome {
        Outcome::Collected { account, snapshot } => Entry::Audited {
            audited: Box::new(audited(&snapshot, account, probes)),
            snapshot,
        },
        Outcome::Failed(failed) => Entry::Failed(failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::fleet::Failed;
    use crate::input::demo;

    #[test]
    fn an_outcome_becomes_an_audited_or_a_failed_entry() {
        let collected = Outcome::Collected {
            account: Some("222222222222".into()),
            snapshot: Box::new(demo(DemoScenario::Troubled)),
        };
        let Entry::Audited { audited, snapshot } = entry(collected, &[]) else {
            panic!("a collected target is audited");
        };
        assert_eq!(audited.row.account.as_deref(), Some("222222222222"));
        assert_eq!(audited.row.vpc_id, snapshot.vpc.id);
        let failed = Failed {
            target: "all environments".into(),
            region: Some("eu-west-1".into()),
            account: Some("111111111111".into()),
            reason: "AccessDenied".into(),
        };
        assert_eq!(
            entry(Outcome::Failed(failed.clone()), &[]),
            Entry::Failed(failed)
        );
    }
    #[test]
    fn a_target_report_carries_its_account_and_environment_status() {
        let troubled = demo(DemoScenario::Troubled);
        let a = audited(&troubled, Some("111111111111".into()), &[]);
        assert_eq!(a.report.account.as_deref(), Some("111111111111"));
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
        assert!(healthy.row.readiness.not_passing() < a.row.readiness.not_passing());
        for scenario in [
            DemoScenario::Troubled,
            DemoScenario::Healthy,
            DemoScenario::Spoke,
            DemoScenario::Setup,
        ] {
            let snapshot = demo(scenario);
            assert_eq!(
                audited(&snapshot, None, &[]).row.readiness,
                crate::checks::audit(&snapshot).readiness(),
                "one count, read back from the report: {scenario:?}"
            );
        }
    }
}
