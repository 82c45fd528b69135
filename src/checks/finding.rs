//! Findings and the rule descriptions they come from.

use std::fmt;

use serde::Serialize;

/// How bad a violation of a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Error,
}

/// The outcome of one check on one set of resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Info,
    /// The input was not fetched (or cannot be known), so the rule could not be evaluated.
    Unknown,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }

    /// The status a violation of this severity gets.
    fn violation(self) -> Status {
        match self {
            Self::Error => Status::Fail,
            Self::Warn => Status::Warn,
            Self::Info => Status::Info,
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checkable condition from `../shared/rules.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// The default severity of a violation.
    pub severity: Severity,
    /// What the rule expects, phrased as the passing state.
    pub title: &'static str,
    /// The rule catalogue entry and seed sections it comes from.
    pub source: &'static str,
}

/// One result of the audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: String,
    pub status: Status,
    pub severity: Severity,
    pub title: String,
    pub resources: Vec<String>,
    /// Why, in one or two sentences, with the evidence.
    pub detail: String,
    /// An AWS CLI command with the real ids, or a precise instruction.
    pub remediation: Option<String>,
    pub source: String,
}

impl Rule {
    fn finding(
        &self,
        status: Status,
        severity: Severity,
        resources: Vec<String>,
        detail: String,
    ) -> Finding {
        Finding {
            id: self.id.to_string(),
            status,
            severity,
            title: self.title.to_string(),
            resources,
            detail,
            remediation: None,
            source: self.source.to_string(),
        }
    }

    /// The rule holds.
    /// `findings`, or one pass with `detail` when there are none.
    pub fn or_pass(&self, findings: Vec<Finding>, detail: &str) -> Vec<Finding> {
        if findings.is_empty() {
            vec![self.pass(vec![], detail)]
        } else {
            findings
        }
    }

    pub fn pass(&self, resources: Vec<String>, detail: impl Into<String>) -> Finding {
        self.finding(Status::Pass, self.severity, resources, detail.into())
    }

    /// The rule is violated, at its default severity.
    pub fn violated(&self, resources: Vec<String>, detail: impl Into<String>) -> Finding {
        self.violated_at(self.severity, resources, detail)
    }

    /// The rule is violated, at a severity that depends on the context.
    pub fn violated_at(
        &self,
        severity: Severity,
        resources: Vec<String>,
        detail: impl Into<String>,
    ) -> Finding {
        self.finding(severity.violation(), severity, resources, detail.into())
    }

    /// Context worth showing, not a problem.
    pub fn info(&self, resources: Vec<String>, detail: impl Into<String>) -> Finding {
        self.finding(Status::Info, Severity::Info, resources, detail.into())
    }

    /// The rule could not be evaluated; `reason` says why.
    pub fn unknown(&self, reason: impl Into<String>) -> Finding {
        self.finding(Status::Unknown, self.severity, Vec::new(), reason.into())
    }
}

impl Finding {
    /// Attaches the fix.
    pub fn fix(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = Some(remediation.into());
        self
    }

    /// Overrides the rule's id (used for per-resource checklist ids).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Overrides the rule's title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// True for `fail` and `warn` findings at or above `threshold`.
    pub fn is_problem_at(&self, threshold: Severity) -> bool {
        matches!(self.status, Status::Fail | Status::Warn) && self.severity >= threshold
    }
}
