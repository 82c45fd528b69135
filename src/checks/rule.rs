//! Rules and the families that own them. A rule is declared once, in its family's file: its id,
//! severity, title, the documentation it rests on and the inputs it needs. The registry in
//! `checks/mod.rs` lists families, and the check table of `docs/checks.md`, JSON and SARIF read the
//! rules from it.

use super::context::Ctx;
use super::docs::Cite;
use super::finding::{Finding, Severity, Status, Subject};
use crate::model::Source;

/// A checkable condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id (`vpc-dns-hostnames-off`).
    pub id: &'static str,
    /// The default severity of a violation.
    pub severity: Severity,
    /// What the rule expects, phrased as the passing state.
    pub title: &'static str,
    /// The AWS documentation the rule rests on.
    pub docs: &'static [Cite],
    /// The sources the verdict cannot do without: when one failed, the rule is `unknown`.
    pub needs: &'static [Source],
    /// Further sources parts of the verdict read: when one failed, the findings that depend
    /// on it say `unknown` and why, and the rest of the verdict stands.
    pub reads: &'static [Source],
}

impl Rule {
    /// The documentation as one line: `Page › Section; Page › Section`.
    pub fn source(&self) -> String {
        self.docs
            .iter()
            .map(Cite::text)
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn finding(
        &self,
        status: Status,
        severity: Severity,
        subject: Subject,
        detail: String,
    ) -> Finding {
        Finding {
            id: self.id.to_string(),
            rule: self.id,
            status,
            severity,
            title: self.title.to_string(),
            resources: subject.resource().map(str::to_string).into_iter().collect(),
            evidence: Vec::new(),
            subject,
            checklist: None,
            detail,
            remediation: None,
            source: self.source(),
            docs: self.docs,
        }
    }

    /// The rule holds.
    pub fn pass(&self, subject: Subject, detail: impl Into<String>) -> Finding {
        self.finding(Status::Pass, self.severity, subject, detail.into())
    }

    /// The rule is violated, at its default severity.
    pub fn violated(&self, subject: Subject, detail: impl Into<String>) -> Finding {
        self.violated_at(self.severity, subject, detail)
    }

    /// The rule is violated, at a severity that depends on the context.
    pub fn violated_at(
        &self,
        severity: Severity,
        subject: Subject,
        detail: impl Into<String>,
    ) -> Finding {
        self.finding(severity.violation(), severity, subject, detail.into())
    }

    /// Context worth showing, not a problem.
    pub fn info(&self, subject: Subject, detail: impl Into<String>) -> Finding {
        self.finding(Status::Info, Severity::Info, subject, detail.into())
    }

    /// The rule could not be evaluated; `reason` says why.
    pub fn unknown(&self, subject: Subject, reason: impl Into<String>) -> Finding {
        self.finding(Status::Unknown, self.severity, subject, reason.into())
    }

    /// `findings`, or one pass on `subject` with `detail` when there are none.
    pub fn or_pass(&self, findings: Vec<Finding>, subject: Subject, detail: &str) -> Vec<Finding> {
        if findings.is_empty() {
            vec![self.pass(subject, detail)]
        } else {
            findings
        }
    }
}

/// A family of rules: the rules it owns and the function that judges them.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// A short name for documentation (`endpoint states`).
    pub name: &'static str,
    /// Every rule the family reports, in report order.
    pub rules: &'static [Rule],
    /// Judges the snapshot; returns findings of `rules` only.
    pub run: fn(&Ctx) -> Vec<Finding>,
}

impl Family {
    /// Runs the family. Findings of a rule whose needed input failed become `unknown`: a
    /// checklist row stays a row, other findings fold into one per rule.
    pub fn audit(&self, ctx: &Ctx) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        let mut folded: Vec<&'static str> = Vec::new();
        for finding in (self.run)(ctx) {
            let reason = self
                .rules
                .iter()
                .find(|r| r.id == finding.rule)
                .and_then(|r| ctx.missing(r.needs));
            match reason {
                None => out.push(finding),
                Some(reason) if finding.checklist.is_some() => out.push(finding.unknown(reason)),
                Some(reason) if !folded.contains(&finding.rule) => {
                    folded.push(finding.rule);
                    let rule = self.rules.iter().find(|r| r.id == finding.rule);
                    out.extend(rule.map(|r| r.unknown(ctx.vpc(), reason)));
                }
                Some(_) => {}
            }
        }
        // A rule that produced nothing because its input is missing still says so.
        for rule in self.rules {
            if let Some(reason) = ctx.missing(rule.needs)
                && !out.iter().any(|f| f.rule == rule.id)
            {
                out.push(rule.unknown(ctx.vpc(), reason));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{Status, audit};
    use crate::model::Source;

    /// Unknowns sit where their rule's findings were, once per rule; the rules whose inputs
    /// are there keep their verdicts around them.
    #[test]
    fn unknowns_take_their_rules_place_once() {
        let mut snap = Fixture::healthy();
        snap.route_tables.clear();
        snap.fail(Source::RouteTables);
        let ids: Vec<String> = audit(&snap)
            .findings
            .into_iter()
            .filter(|f| f.id.starts_with("s3-interface-") || f.id == "vpce-private-dns-off")
            .map(|f| format!("{} {}", f.id, f.status))
            .collect();
        assert_eq!(
            ids,
            [
                "vpce-private-dns-off pass",
                "s3-interface-public-resolution unknown",
                "s3-interface-inbound-only-without-gateway unknown",
                "s3-interface-private-dns-cost pass",
            ]
        );
    }

    #[test]
    fn a_rule_that_found_nothing_for_lack_of_input_still_says_unknown() {
        // No subnets, so no S3 route rows; without route tables the rule says why.
        let mut snap = Fixture::healthy();
        snap.subnets.clear();
        snap.route_tables.clear();
        snap.fail(Source::RouteTables);
        let f = only(&snap, "mwaa.s3-route.<subnet-id>");
        assert_eq!(f.status, Status::Unknown);
        assert!(
            f.detail.contains("ec2:DescribeRouteTables failed"),
            "{}",
            f.detail
        );
        // With the input there and nothing to judge, there is no row at all.
        let mut empty = Fixture::healthy();
        empty.subnets.clear();
        assert!(findings(&empty, "mwaa.s3-route.<subnet-id>").is_empty());
    }
}
