//! A target on the dashboard's Fleet screen: audited, with the snapshot that Enter opens, or
//! not audited, with why ([`super::audited::entry`] makes one from a target's outcome).

use super::fleet_report::{Audited, Failed};
use crate::model::Snapshot;

/// One target of the fleet.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Collected and audited.
    Audited {
        /// Its report and row, as `linkscope audit` makes them.
        audited: Box<Audited>,
        /// What was collected; Enter opens it in the panes.
        snapshot: Box<Snapshot>,
    },
    /// Not collected, and why.
    Failed(Failed),
}

impl Entry {
    /// What identifies an audited target across reads (account, Region, target, VPC).
    pub fn key(&self) -> Option<[&str; 4]> {
        match self {
            Entry::Audited { audited, .. } => {
                let (account, region, target, vpc) = audited.row.key();
                Some([account, region, target, vpc])
            }
            Entry::Failed(_) => None,
        }
    }
}

/// The Fleet screen's order: audited targets by account, Region and name, then the ones that
/// could not be audited, by account, Region and target.
pub fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| match (a, b) {
        (Entry::Failed(a), Entry::Failed(b)) => a.cmp(b),
        _ => (a.key().is_none(), a.key()).cmp(&(b.key().is_none(), b.key())),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::fleet::audited::audited;
    use crate::input::demo;

    #[test]
    fn audited_targets_come_in_key_order_then_the_failed_ones() {
        let entry = |scenario, account: &str| {
            let snapshot = demo(scenario);
            Entry::Audited {
                audited: Box::new(audited(&snapshot, Some(account.into()), &[])),
                snapshot: Box::new(snapshot),
            }
        };
        let failed = |region: &str| {
            Entry::Failed(Failed {
                target: "all environments".into(),
                region: Some(region.into()),
                account: Some("111111111111".into()),
                reason: "AccessDenied".into(),
            })
        };
        let mut entries = vec![
            failed("eu-west-1"),
            entry(DemoScenario::Troubled, "222222222222"),
            failed("ap-south-1"),
            entry(DemoScenario::Healthy, "111111111111"),
        ];
        sort(&mut entries);
        let order: Vec<String> = entries
            .iter()
            .map(|e| match e {
                Entry::Audited { audited, .. } => audited.row.account.clone().unwrap(),
                Entry::Failed(f) => f.region.clone().unwrap(),
            })
            .collect();
        assert_eq!(
            order,
            ["111111111111", "222222222222", "ap-south-1", "eu-west-1"]
        );
    }
}
