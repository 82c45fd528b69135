//! The fleet report as data, and every judgement made over it: each target's row (its
//! checklist's [`Readiness`], its worst finding), the order of targets, the summary and
//! the exit code. Pure: it judges typed target reports ([`TargetReport`]), built from the
//! audit or read back by `linkscope merge`, so that a live fleet audit and a merge of
//! reports made elsewhere judge alike.

use serde::{Deserialize, Serialize};

use super::report::{AUDIT_SCHEMA, TargetReport};
use crate::checks::{Readiness, Severity, Status};

/// The schema of a fleet report.
pub const SCHEMA: &str = "linkscope.fleet/v1";

/// The exit code of a target that could not be audited: as `3` for a single target (AWS
/// unreachable, denied, no credentials), whatever the reason.
pub const FAILED_TARGET_EXIT: u8 = 3;

/// A finding as a row of the fleet table names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Worst {
    /// The check id (`mwaa.endpoint.sqs`, `mwaa-env-status`).
    pub id: String,
    /// Its status: `fail`, `warn` or `unknown`.
    pub status: Status,
    /// Its rule's severity.
    pub severity: Severity,
}

/// What the fleet table shows of one audited target.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The environment's name, else the VPC id.
    pub target: String,
    /// The VPC id.
    pub vpc_id: String,
    /// The Region.
    pub region: String,
    /// The account, when known.
    pub account: Option<String>,
    /// The environment's status (`AVAILABLE`, `CREATE_FAILED`, …), when there is one and it is
    /// known.
    pub environment_status: Option<String>,
    /// The checklist's readiness, counted as for one target.
    pub readiness: Readiness,
    /// The status of each checklist row that is a requirement, in checklist order (the
    /// Fleet screen's ✔✘ strip).
    pub strip: Vec<Status>,
    /// The worst finding: `fail` before `warn` before `unknown`, then by severity, then the
    /// first in report order (the checklist first).
    pub worst: Option<Worst>,
    /// The severity of every `fail` or `warn` finding.
    pub problems: Vec<Severity>,
    /// Findings by status.
    pub counts: Counts,
    /// True when a source could not be read (some checks are `unknown`).
    pub partial: bool,
}

/// One audited target: its report (with `account` and `environment_status`) and its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    /// The report, as the fleet JSON carries it.
    pub report: TargetReport,
    /// What the table shows.
    pub row: Row,
}

/// A target that could not be audited, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Failed {
    /// The environment or VPC; or what could not be listed (`environments`, `regions`), or
    /// the role that could not be assumed.
    pub target: String,
    /// The Region, when the failure is in one.
    pub region: Option<String>,
    /// The account (or `profile NAME` when only the profile is known).
    pub account: Option<String>,
    /// The error, one line.
    pub reason: String,
}

/// A fleet report: audited targets and failed ones, each in a stable order (account,
/// Region, target).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fleet {
    /// The audited targets.
    pub audited: Vec<Audited>,
    /// The targets that could not be audited.
    pub failed: Vec<Failed>,
}

/// The fleet's totals (the JSON `summary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Audited and failed targets.
    pub targets: usize,
    /// Targets audited.
    pub audited: usize,
    /// Targets that could not be audited.
    pub failed: usize,
    /// Audited targets with a `fail` finding.
    pub with_failures: usize,
    /// Audited targets with a `warn` finding and no `fail`.
    pub with_warnings: usize,
    /// The worst status over every audited target (`pass` when nothing is worse; `null`
    /// when nothing was audited).
    pub worst: Option<&'static str>,
    /// Findings by status over every audited target.
    pub checks: Counts,
}

/// Findings by status.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub info: usize,
    pub unknown: usize,
}

impl Counts {
    /// Counts one more finding of `status`.
    fn add(&mut self, status: Status) {
        *match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Warn => &mut self.warn,
            Status::Info => &mut self.info,
            Status::Unknown => &mut self.unknown,
        } += 1;
    }

    /// The sum of several counts.
    fn total<'a>(counts: impl Iterator<Item = &'a Counts>) -> Counts {
        counts.fold(Counts::default(), |sum, c| Counts {
            pass: sum.pass + c.pass,
            fail: sum.fail + c.fail,
            warn: sum.warn + c.warn,
            info: sum.info + c.info,
            unknown: sum.unknown + c.unknown,
        })
    }
}

impl Row {
    /// The row of a target's report.
    pub fn of(report: &TargetReport) -> Self {
        let mut row = Row {
            target: report.target().to_string(),
            vpc_id: report.vpc_id.clone(),
            region: report.region.clone(),
            account: report.account.clone(),
            environment_status: report.environment_status.clone(),
            readiness: Readiness::default(),
            strip: Vec::new(),
            worst: None,
            problems: Vec::new(),
            counts: Counts::default(),
            partial: report.partial,
        };
        let mut checklist = Vec::new();
        for check in &report.checks {
            let status = check.status;
            row.counts.add(status);
            if check.checklist.is_some() {
                checklist.push(status);
                if status != Status::Info {
                    row.strip.push(status);
                }
            }
            if status.is_problem() {
                row.problems.push(check.severity);
            }
            let worse = match &row.worst {
                None => status.needs_attention(),
                Some(w) => (status.rank(), check.severity) > (w.status.rank(), w.severity),
            };
            if worse {
                row.worst = Some(Worst {
                    id: check.id.clone(),
                    status,
                    severity: check.severity,
                });
            }
        }
        row.readiness = Readiness::of(checklist);
        row
    }

    /// The target's exit code: `1` when a `fail` or `warn` finding is at or above
    /// `threshold` (as `linkscope audit --fail-on`), else `0`.
    pub fn exit_code(&self, threshold: Severity) -> u8 {
        u8::from(self.problems.iter().any(|s| *s >= threshold))
    }

    /// The checklist's readiness as every report shows it (`10/12 pass`), or `-` without
    /// one.
    pub fn checklist(&self) -> String {
        match self.readiness.required {
            0 => "-".into(),
            _ => self.readiness.to_string(),
        }
    }

    /// How bad the target is, for sorting by worst (greater is worse): its worst finding's
    /// status and severity, then how many checklist rows do not pass.
    pub fn rank(&self) -> (u8, Option<Severity>, usize) {
        let worst = self.worst.as_ref();
        (
            worst.map_or(0, |w| w.status.rank()),
            worst.map(|w| w.severity),
            self.readiness.not_passing(),
        )
    }

    /// Account, Region, target and VPC: what identifies a target across runs.
    pub fn key(&self) -> (&str, &str, &str, &str) {
        (
            self.account.as_deref().unwrap_or_default(),
            &self.region,
            &self.target,
            &self.vpc_id,
        )
    }
}

impl Audited {
    /// A target from its report; a report of another schema is refused.
    pub fn new(report: TargetReport) -> Result<Self, String> {
        if report.schema != AUDIT_SCHEMA {
            return Err(format!(
                "not a {AUDIT_SCHEMA} report (schema {:?})",
                report.schema
            ));
        }
        Ok(Self {
            row: Row::of(&report),
            report,
        })
    }
}

/// What the first look at a report reads: its schema.
#[derive(Deserialize)]
struct Head {
    schema: Option<String>,
}

/// A `linkscope.fleet/v1` document as `linkscope merge` reads it.
#[derive(Deserialize)]
struct Document {
    reports: Vec<TargetReport>,
    #[serde(default)]
    failed: Vec<Failed>,
}

impl Fleet {
    /// A fleet report, each list in its stable order.
    pub fn new(mut audited: Vec<Audited>, mut failed: Vec<Failed>) -> Self {
        audited.sort_by(|a, b| a.row.key().cmp(&b.row.key()));
        failed.sort_by(|a, b| {
            (&a.account, &a.region, &a.target).cmp(&(&b.account, &b.region, &b.target))
        });
        Self { audited, failed }
    }

    /// Reads a report: a `linkscope.audit/v1` one (one target) or a `linkscope.fleet/v1` one,
    /// into the same typed reports a live fleet audit makes.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let head: Head = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match head.schema.as_deref() {
            Some(AUDIT_SCHEMA) => {
                let report: TargetReport = serde_json::from_str(text)
                    .map_err(|e| format!("not a readable {AUDIT_SCHEMA} report: {e}"))?;
                Ok(Self::new(vec![Audited::new(report)?], Vec::new()))
            }
            Some(SCHEMA) => {
                let document: Document = serde_json::from_str(text)
                    .map_err(|e| format!("not a readable {SCHEMA} report: {e}"))?;
                let audited = document
                    .reports
                    .into_iter()
                    .map(Audited::new)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::new(audited, document.failed))
            }
            other => Err(format!(
                "not a {AUDIT_SCHEMA} or {SCHEMA} report (schema {})",
                other.map_or("missing".into(), |s| format!("{s:?}"))
            )),
        }
    }

    /// Several reports as one.
    pub fn merge(fleets: impl IntoIterator<Item = Fleet>) -> Self {
        let (mut audited, mut failed) = (Vec::new(), Vec::new());
        for fleet in fleets {
            audited.extend(fleet.audited);
            failed.extend(fleet.failed);
        }
        Self::new(audited, failed)
    }

    /// The exit code of the fleet: the worst of its targets, a failed target counting as
    /// [`FAILED_TARGET_EXIT`] (`3`), then `1` when a target has a finding at or above
    /// `threshold`, else `0`.
    pub fn exit_code(&self, threshold: Severity) -> u8 {
        let failed = match self.failed.is_empty() {
            true => 0,
            false => FAILED_TARGET_EXIT,
        };
        self.audited
            .iter()
            .map(|a| a.row.exit_code(threshold))
            .chain([failed])
            .max()
            .unwrap_or(0)
    }

    /// The fleet's totals.
    pub fn summary(&self) -> Summary {
        let rows: Vec<&Row> = self.audited.iter().map(|a| &a.row).collect();
        let worst = (!rows.is_empty()).then(|| {
            rows.iter()
                .filter_map(|r| r.worst.as_ref())
                .fold(Status::Pass, |worst, w| worst.worst(w.status))
                .as_str()
        });
        Summary {
            targets: rows.len() + self.failed.len(),
            audited: rows.len(),
            failed: self.failed.len(),
            with_failures: rows.iter().filter(|r| r.counts.fail > 0).count(),
            with_warnings: rows
                .iter()
                .filter(|r| r.counts.fail == 0 && r.counts.warn > 0)
                .count(),
            worst,
            checks: Counts::total(rows.iter().map(|r| &r.counts)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn check(id: &str, status: &str, severity: &str, checklist: bool) -> Value {
        let row = checklist.then(|| json!({"row": "endpoint", "key": id}));
        json!({"id": id, "rule": id, "status": status, "severity": severity, "checklist": row,
               "subject": {"kind": "vpc", "id": "vpc-1"}})
    }

    /// The typed report of a JSON one, as `linkscope merge` reads it.
    fn typed(report: Value) -> TargetReport {
        serde_json::from_value(report).unwrap()
    }

    fn row(report: &Value) -> Result<Row, String> {
        Audited::new(typed(report.clone())).map(|a| a.row)
    }

    fn report(env: Option<&str>, region: &str, checks: Vec<Value>) -> Value {
        json!({"schema": AUDIT_SCHEMA, "region": region, "vpc_id": "vpc-1", "environment": env,
               "workload": "w", "partial": false, "checks": checks})
    }

    #[test]
    fn a_row_counts_required_checklist_rows_and_picks_the_worst_finding() {
        let r = row(&report(
            Some("prod"),
            "us-east-1",
            vec![
                check("mwaa.endpoint.sqs", "pass", "error", true),
                check("mwaa.endpoint.kms", "unknown", "error", true),
                check("mwaa.endpoint.database", "info", "info", true),
                check("mwaa.endpoint.logs", "warn", "warn", true),
                check("vpce-policy", "warn", "error", false),
                check("vpce-sg", "fail", "error", false),
                check("vpce-other", "fail", "error", false),
            ],
        ))
        .unwrap();
        assert_eq!(
            (r.readiness.pass, r.readiness.required),
            (1, 3),
            "info rows are context"
        );
        assert_eq!(
            r.checklist(),
            "1/3 pass · 1 unknown",
            "as one target's report"
        );
        assert_eq!(r.strip, [Status::Pass, Status::Unknown, Status::Warn]);
        assert_eq!(r.target, "prod");
        let worst = r.worst.unwrap();
        assert_eq!((worst.id.as_str(), worst.status), ("vpce-sg", Status::Fail));
        let counts = Counts {
            pass: 1,
            fail: 2,
            warn: 2,
            info: 1,
            unknown: 1,
        };
        assert_eq!(r.counts, counts);
        assert_eq!(r.problems.len(), 4);
    }

    #[test]
    fn a_clean_target_has_no_worst_finding_and_exits_zero() {
        let r = row(&report(
            None,
            "eu-west-1",
            vec![check("a", "pass", "error", true)],
        ))
        .unwrap();
        assert_eq!(r.worst, None);
        assert_eq!(r.target, "vpc-1", "the VPC without an environment");
        assert_eq!(r.exit_code(Severity::Warn), 0);
        let only_unknown = row(&report(
            None,
            "r",
            vec![check("a", "unknown", "error", true)],
        ));
        let only_unknown = only_unknown.unwrap();
        assert_eq!(only_unknown.worst.as_ref().unwrap().status, Status::Unknown);
        assert_eq!(
            only_unknown.exit_code(Severity::Warn),
            0,
            "as for one target"
        );
    }

    #[test]
    fn the_exit_code_is_the_worst_of_the_targets_and_a_failed_target_is_three() {
        let warned = Audited::new(typed(report(
            None,
            "a",
            vec![check("x", "warn", "warn", false)],
        )));
        let clean = Audited::new(typed(report(
            None,
            "b",
            vec![check("y", "pass", "error", false)],
        )));
        let fleet = Fleet::new(vec![warned.unwrap(), clean.unwrap()], Vec::new());
        assert_eq!(fleet.exit_code(Severity::Error), 0);
        assert_eq!(fleet.exit_code(Severity::Warn), 1);
        let failed = Failed {
            target: "prod".into(),
            region: Some("eu-west-1".into()),
            account: None,
            reason: "AccessDenied".into(),
        };
        let with_failed = Fleet::new(fleet.audited, vec![failed]);
        assert_eq!(with_failed.exit_code(Severity::Error), 3);
        assert_eq!(with_failed.exit_code(Severity::Warn), 3);
        assert_eq!(Fleet::default().exit_code(Severity::Warn), 0);
    }

    #[test]
    fn targets_are_ordered_by_account_region_and_name_and_summed() {
        let mut a = report(
            Some("b-env"),
            "us-east-1",
            vec![check("x", "fail", "error", true)],
        );
        a["account"] = json!("222222222222");
        let mut b = report(
            Some("a-env"),
            "us-east-1",
            vec![check("x", "pass", "error", true)],
        );
        b["account"] = json!("222222222222");
        let c = report(
            Some("z-env"),
            "eu-west-1",
            vec![check("x", "warn", "warn", true)],
        );
        let fleet = Fleet::new(
            [a, b, c]
                .into_iter()
                .map(|r| Audited::new(typed(r)).unwrap())
                .collect(),
            Vec::new(),
        );
        let order: Vec<&str> = fleet
            .audited
            .iter()
            .map(|a| a.row.target.as_str())
            .collect();
        assert_eq!(order, ["z-env", "a-env", "b-env"], "no account sorts first");
        let summary = fleet.summary();
        assert_eq!(
            (
                summary.targets,
                summary.with_failures,
                summary.with_warnings
            ),
            (3, 1, 1)
        );
        assert_eq!(summary.worst, Some("fail"));
        assert_eq!(summary.checks.pass, 1);
    }

    #[test]
    fn reports_are_read_back_and_bad_ones_are_named() {
        let one = report(
            Some("prod"),
            "us-east-1",
            vec![check("x", "pass", "error", true)],
        );
        let fleet = Fleet::from_json(&one.to_string()).unwrap();
        assert_eq!(fleet.audited.len(), 1);
        let again = json!({"schema": SCHEMA, "reports": [one],
            "failed": [{"target": "t", "region": null, "account": "1", "reason": "r"}]});
        let fleet = Fleet::from_json(&again.to_string()).unwrap();
        assert_eq!((fleet.audited.len(), fleet.failed.len()), (1, 1));
        let merged = Fleet::merge([fleet.clone(), fleet]);
        assert_eq!((merged.audited.len(), merged.failed.len()), (2, 2));
        for bad in [
            "{".to_string(),
            json!({"schema": "linkscope.diff/v1"}).to_string(),
            json!({"schema": AUDIT_SCHEMA, "region": "r"}).to_string(),
            json!({"schema": SCHEMA, "reports": [{"schema": "x"}]}).to_string(),
            json!({"schema": SCHEMA, "reports": [{"schema": "linkscope.other/v1", "region": "r",
                   "vpc_id": "vpc-1", "checks": []}]})
            .to_string(),
            json!({"schema": AUDIT_SCHEMA, "region": "r", "vpc_id": "vpc-1",
                   "checks": [{"id": "x", "status": "sideways"}]})
            .to_string(),
        ] {
            assert!(Fleet::from_json(&bad).is_err(), "{bad}");
        }
    }
}
