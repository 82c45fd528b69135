//! Fleet audits: many environments, Regions and accounts in one run, in `linkscope audit`
//! and on the dashboard's Fleet screen.
//!
//! [`targets`] turns the fleet flags into a [`Plan`] (pure); [`collect`] discovers the
//! targets (AssumeRole, DescribeRegions, ListEnvironments) and collects each account and
//! Region's targets together, every account and Region at once under its own rate limits,
//! reporting each step ([`Event`]); [`progress`] counts those steps per Region; [`report`]
//! is one target's typed report (`linkscope.audit/v1`), which [`audited`] builds from the
//! audit and `linkscope merge` reads back; [`fleet_report`] holds the fleet report as data and
//! every judgement over it (rows, worst finding, exit code), which `linkscope audit` and
//! `linkscope merge` share; [`entry`] is a target as the dashboard's Fleet screen holds it.

pub mod audited;
pub mod collect;
pub mod entry;
pub mod fleet_report;
pub mod progress;
pub mod report;
pub mod targets;

pub use collect::{Event, Outcome, Place, collect_each};
pub use entry::{Entry, sort};
pub use fleet_report::{Audited, Failed, Fleet, Row, Summary};
pub use progress::Progress;
pub use targets::{Plan, Principal, Regions, plan};
