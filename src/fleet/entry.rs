//! A target on the dashboard's Fleet screen: audited, with the snapshot that Enter opens, or
//! not audited, with why (`report::audited::entries` makes them from a fleet read).

use super::summary::{Audited, Failed};
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
    pub fn key(&self) -> Option<[String; 4]> {
        match self {
            Entry::Audited { audited, .. } => {
                let (account, region, target, vpc) = audited.row.key();
                Some([account, region, target, vpc].map(str::to_string))
            }
            Entry::Failed(_) => None,
        }
    }
}
