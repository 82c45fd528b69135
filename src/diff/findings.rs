//! The audit's side of a diff: findings whose status changed, and service names whose path
//! or verdict changed.

use std::collections::BTreeMap;

use super::{Change, FindingChange, Kind, Line, What};
use crate::checks::{Audit, Finding, Status};

/// Findings by key. A rule that makes two findings on one subject keeps both apart by order.
fn by_key(audit: &Audit) -> BTreeMap<String, &Finding> {
    let mut keyed = BTreeMap::new();
    for f in &audit.findings {
        let mut key = f.key();
        let mut n = 1;
        while keyed.contains_key(&key) {
            n += 1;
            key = format!("{} #{n}", f.key());
        }
        keyed.insert(key, f);
    }
    keyed
}

/// The order findings are listed in: new failures, fixed failures, then the others.
fn rank(change: &FindingChange) -> u8 {
    match (change.is_new_failure(), change.is_fixed()) {
        (true, _) => 0,
        (_, true) => 1,
        _ => 2,
    }
}

/// Findings whose status changed, appeared or disappeared; a passing finding that appears
/// or disappears is not a change anyone acts on, and is left out.
pub fn changes(old: &Audit, new: &Audit) -> Vec<FindingChange> {
    let (before, after) = (by_key(old), by_key(new));
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes: Vec<FindingChange> = keys
        .into_iter()
        .filter_map(|key| {
            let (b, a) = (before.get(key), after.get(key));
            let (was, is) = (b.map(|f| f.status), a.map(|f| f.status));
            let quiet = |s: Option<Status>| matches!(s, None | Some(Status::Pass));
            if was == is || (quiet(was) && quiet(is)) {
                return None;
            }
            let f = a.or(b)?;
            Some(FindingChange {
                key: key.clone(),
                id: f.id.clone(),
                subject: f.subject.clone(),
                before: was,
                after: is,
                detail: f.detail.clone(),
                resources: f.resources.clone(),
            })
        })
        .collect();
    changes.sort_by_key(rank);
    changes
}

/// Service names whose answer or verdict changed.
pub fn names(old: &Audit, new: &Audit) -> Vec<Change> {
    let before: BTreeMap<&str, _> = old.names.iter().map(|n| (n.name.as_str(), n)).collect();
    let after: BTreeMap<&str, _> = new.names.iter().map(|n| (n.name.as_str(), n)).collect();
    let mut names: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let line = |sign, n: &crate::checks::DnsName| Line {
                sign,
                text: format!("{}: {}", n.status, n.explanation),
            };
            let (what, lines) = match (before.get(name), after.get(name)) {
                (Some(b), Some(a)) if b.status == a.status && b.explanation == a.explanation => {
                    return None;
                }
                (Some(b), Some(a)) => (What::Changed, vec![line('-', b), line('+', a)]),
                (None, Some(a)) => (What::Added, vec![line('+', a)]),
                (Some(b), None) => (What::Removed, vec![line('-', b)]),
                (None, None) => return None,
            };
            Some(Change {
                kind: Kind::DnsName,
                id: name.to_string(),
                label: String::new(),
                what,
                lines,
            })
        })
        .collect()
}
