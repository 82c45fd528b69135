//! A fleet run's progress in each account and Region: the environments found (listed), the
//! targets collected (or that could not be), and those audited. Pure: the Fleet screen and
//! `linkscope audit` on a terminal show it as the reads complete.

use std::collections::BTreeMap;

use super::collect::{Event, Place};

/// The progress of one account and Region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// The targets listed, once they are.
    pub found: Option<usize>,
    /// Targets collected.
    pub collected: usize,
    /// Targets (or listings) that could not be collected.
    pub failed: usize,
    /// Collected targets audited.
    pub audited: usize,
}

impl Counts {
    /// True once every target found is collected or failed (a listing that failed counts
    /// as done).
    pub fn done(&self) -> bool {
        match self.found {
            Some(found) => self.collected + self.failed >= found,
            None => self.failed > 0,
        }
    }
}

/// The progress of every account and Region of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    places: BTreeMap<Place, Counts>,
}

impl Progress {
    /// Counts a step of the run (a target's outcome is collected, not yet audited).
    pub fn step(&mut self, event: &Event) {
        match event {
            Event::Listed { place, targets } => {
                self.places.entry(place.clone()).or_default().found = Some(*targets);
            }
            Event::Done {
                place: Some(place),
                outcome,
            } => {
                let counts = self.places.entry(place.clone()).or_default();
                match outcome {
                    super::Outcome::Collected { .. } => counts.collected += 1,
                    super::Outcome::Failed(_) => counts.failed += 1,
                }
            }
            Event::Done { place: None, .. } => {}
        }
    }

    /// Counts a collected target of `place` as audited.
    pub fn audited(&mut self, place: &Place) {
        self.places.entry(place.clone()).or_default().audited += 1;
    }

    /// True before anything is known.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// True once every account and Region known is done.
    pub fn done(&self) -> bool {
        self.places.values().all(Counts::done)
    }

    /// Each account and Region with its counts, in order.
    pub fn places(&self) -> impl Iterator<Item = (&Place, &Counts)> {
        self.places.iter()
    }

    /// One line per account and Region: `us-east-1: 50 found · 30 collected · 20 audited`
    /// (the account after the Region when the flags name one; `· 1 failed` when some were).
    pub fn lines(&self) -> Vec<String> {
        self.places
            .iter()
            .map(|(place, counts)| {
                let account = place
                    .account
                    .as_ref()
                    .map_or_else(String::new, |a| format!(" ({a})"));
                let found = counts.found.map_or("?".into(), |n| n.to_string());
                let mut line = format!(
                    "{}{account}: {found} found · {} collected · {} audited",
                    place.region, counts.collected, counts.audited
                );
                if counts.failed > 0 {
                    line.push_str(&format!(" · {} failed", counts.failed));
                }
                line
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DemoScenario;
    use crate::fleet::{Failed, Outcome};
    use crate::input::demo;

    fn place(region: &str, account: Option<&str>) -> Place {
        Place {
            account: account.map(str::to_string),
            region: region.into(),
        }
    }

    #[test]
    fn each_region_counts_what_was_found_collected_and_audited() {
        let (east, west) = (
            place("us-east-1", None),
            place("eu-west-1", Some("profile b")),
        );
        let mut progress = Progress::default();
        assert!(progress.is_empty() && progress.done());
        progress.step(&Event::Listed {
            place: east.clone(),
            targets: 2,
        });
        let collected = || Outcome::Collected {
            account: None,
            snapshot: Box::new(demo(DemoScenario::Healthy)),
        };
        progress.step(&Event::Done {
            place: Some(east.clone()),
            outcome: collected(),
        });
        progress.audited(&east);
        let failed = Failed {
            target: "all environments".into(),
            region: Some("eu-west-1".into()),
            account: Some("profile b".into()),
            reason: "AccessDenied".into(),
        };
        progress.step(&Event::Done {
            place: Some(west),
            outcome: Outcome::Failed(failed.clone()),
        });
        // A principal-wide failure has no place.
        progress.step(&Event::Done {
            place: None,
            outcome: Outcome::Failed(failed),
        });
        assert_eq!(
            progress.lines(),
            [
                "eu-west-1 (profile b): ? found · 0 collected · 0 audited · 1 failed",
                "us-east-1: 2 found · 1 collected · 1 audited",
            ]
        );
        assert!(
            !progress.done(),
            "one of us-east-1's two is still being read"
        );
        progress.step(&Event::Done {
            place: Some(east),
            outcome: collected(),
        });
        assert!(progress.done());
    }
}
