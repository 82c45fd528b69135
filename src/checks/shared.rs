//! Problems that share a fix. One broken resource often fails a checklist row and one or
//! more rules (a security group that does not admit 443 fails the rows of every endpoint
//! it guards and `vpce-sg-no-https-inbound` for each), so the reports say which findings one
//! fix clears, and how many fixes the problems need in all.

use super::{Finding, Status};

/// The `fail` and `warn` findings one fix clears.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedFix<'a> {
    /// The fix, when the findings have one (each finding without one is its own group).
    pub fix: Option<&'a str>,
    /// The findings, in report order.
    pub findings: Vec<&'a Finding>,
    /// The resources every one of them rests on, in the first finding's order.
    pub resources: Vec<&'a str>,
}

impl SharedFix<'_> {
    /// The findings' ids, each once, with how many findings have it when several do
    /// (`vpce-sg-no-https-inbound ×2`).
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<(&str, usize)> = Vec::new();
        for f in &self.findings {
            match ids.iter_mut().find(|(id, _)| *id == f.id) {
                Some((_, n)) => *n += 1,
                None => ids.push((&f.id, 1)),
            }
        }
        ids.into_iter()
            .map(|(id, n)| match n {
                1 => id.to_string(),
                n => format!("{id} ×{n}"),
            })
            .collect()
    }
}

/// The `fail` and `warn` findings grouped by fix, in report order: as many groups as the
/// problems need fixes.
pub fn by_fix(findings: &[Finding]) -> Vec<SharedFix<'_>> {
    let mut groups: Vec<SharedFix> = Vec::new();
    for f in findings.iter().filter(|f| f.status.is_problem()) {
        let fix = f.remediation.as_deref();
        match groups.iter_mut().find(|g| fix.is_some() && g.fix == fix) {
            Some(group) => {
                group.resources.retain(|r| f.involves(r));
                group.findings.push(f);
            }
            None => groups.push(SharedFix {
                fix,
                findings: vec![f],
                resources: f.resources.iter().map(String::as_str).collect(),
            }),
        }
    }
    groups
}

/// How many findings have `status` among the groups.
pub fn count(groups: &[SharedFix], status: Status) -> usize {
    groups
        .iter()
        .flat_map(|g| &g.findings)
        .filter(|f| f.status == status)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::audit;
    use crate::checks::testkit::Fixture;

    #[test]
    fn the_troubled_demo_has_seventeen_problems_and_eleven_fixes() {
        let troubled = audit(&Fixture::troubled());
        let groups = by_fix(&troubled.findings);
        assert_eq!(
            (count(&groups, Status::Fail), count(&groups, Status::Warn)),
            (13, 4)
        );
        assert_eq!(groups.len(), 11, "{groups:#?}");
        let group = groups.iter().find(|g| g.findings.len() == 4).unwrap();
        assert_eq!(group.resources, ["sg-0e5dee86109f10b11"]);
        assert_eq!(
            group.ids(),
            [
                "mwaa.endpoint.sqs",
                "mwaa.endpoint.kms",
                "vpce-sg-no-https-inbound ×2"
            ]
        );
        assert!(by_fix(&audit(&Fixture::healthy()).findings).is_empty());
    }

    #[test]
    fn findings_without_a_fix_are_never_grouped() {
        let mut audit = audit(&Fixture::troubled());
        for f in &mut audit.findings {
            f.remediation = None;
        }
        let problems = audit.findings.iter().filter(|f| f.status.is_problem());
        assert_eq!(by_fix(&audit.findings).len(), problems.count());
    }
}
