//! The MWAA checklist's readiness, counted once for every face: the dashboard header, the
//! text, Markdown and JSON reports, and the rows of a fleet audit and of `linkscope merge`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Status;

/// The checklist rows that are requirements (context rows, `info`, are not), by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    /// Requirements that pass.
    pub pass: usize,
    /// Requirements that fail or warn.
    pub failing: usize,
    /// Requirements linkscope could not judge: neither passing nor failing.
    pub unknown: usize,
    /// Every requirement.
    pub required: usize,
}

impl Readiness {
    /// The readiness of checklist rows with these statuses.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Self {
        let mut readiness = Self::default();
        for status in statuses {
            match status {
                Status::Info => continue,
                Status::Pass => readiness.pass += 1,
                Status::Fail | Status::Warn => readiness.failing += 1,
                Status::Unknown => readiness.unknown += 1,
            }
            readiness.required += 1;
        }
        readiness
    }

    /// True when every requirement passes.
    pub fn is_ready(&self) -> bool {
        self.pass == self.required
    }

    /// The count without the word, for the dashboard header: `10/12`, `9/12 · 1 unknown`.
    pub fn short(&self) -> String {
        let mut text = format!("{}/{}", self.pass, self.required);
        if self.unknown > 0 {
            text.push_str(&format!(" · {} unknown", self.unknown));
        }
        text
    }

    /// Requirements that do not pass, failing or unknown: how far from ready.
    pub fn not_passing(&self) -> usize {
        self.required - self.pass
    }
}

/// `10/12 pass`, and `· 1 unknown` when some requirement could not be judged.
impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} pass", self.pass, self.required)?;
        if self.unknown > 0 {
            write!(f, " · {} unknown", self.unknown)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_rows_are_not_requirements_and_unknown_is_its_own_count() {
        let r = Readiness::of([
            Status::Pass,
            Status::Fail,
            Status::Warn,
            Status::Unknown,
            Status::Info,
            Status::Pass,
        ]);
        assert_eq!(
            r,
            Readiness {
                pass: 2,
                failing: 2,
                unknown: 1,
                required: 5
            }
        );
        assert_eq!(r.to_string(), "2/5 pass · 1 unknown");
        assert_eq!(r.short(), "2/5 · 1 unknown");
        assert_eq!((r.is_ready(), r.not_passing()), (false, 3));
        let ready = Readiness::of([Status::Pass, Status::Info]);
        assert_eq!(ready.to_string(), "1/1 pass");
        assert!(ready.is_ready());
    }
}
