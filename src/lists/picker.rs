//! The start screen's rows: the Region's MWAA environments, then its VPCs, as the filter
//! leaves them. Not a tab: it is on screen before any target is open, and with `t`.

use crate::model::{Choice, Choices};

/// One row of the start screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRow {
    /// What Enter opens.
    pub choice: Choice,
    /// `MWAA` or `VPC`.
    pub kind: &'static str,
    /// The environment's name, or the VPC's `Name` tag.
    pub name: String,
    /// The VPC id; empty for an environment.
    pub id: String,
    /// The environment's status and Airflow version, or the VPC's CIDR (and `default`).
    pub about: String,
    /// `10 endpoints` for a VPC (`? endpoints` when they could not be listed); empty for an
    /// environment.
    pub endpoints: String,
}

/// The rows whose text contains `filter` (case-insensitive).
pub fn rows(choices: &Choices, filter: &str) -> Vec<ChoiceRow> {
    let environments = choices.environments.iter().map(|e| ChoiceRow {
        choice: Choice::Environment(e.name.clone()),
        kind: "MWAA",
        name: e.name.clone(),
        id: String::new(),
        about: [
            e.status.as_ref().map(|s| s.as_str().to_string()),
            e.airflow_version.as_ref().map(|v| format!("Airflow {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        endpoints: String::new(),
    });
    let vpcs = choices.vpcs.iter().map(|v| ChoiceRow {
        choice: Choice::Vpc(v.id.clone()),
        kind: "VPC",
        name: v.name.clone().unwrap_or_default(),
        id: v.id.clone(),
        about: match (&v.cidr, v.is_default) {
            (Some(cidr), true) => format!("{cidr} · default"),
            (Some(cidr), false) => cidr.clone(),
            (None, _) => String::new(),
        },
        endpoints: match v.endpoints {
            Some(1) => "1 endpoint".into(),
            Some(n) => format!("{n} endpoints"),
            None => "? endpoints".into(),
        },
    });
    let needle = filter.to_lowercase();
    environments
        .chain(vpcs)
        .filter(|r| {
            needle.is_empty()
                || format!("{} {} {} {}", r.kind, r.name, r.id, r.about)
                    .to_lowercase()
                    .contains(&needle)
        })
        .collect()
}
