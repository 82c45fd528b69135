//! The table of checks in `docs/checks.md`, generated from the rule registry.

use crate::checks::{FAMILIES, Rule};

fn sources(rule: &Rule) -> String {
    rule.docs
        .iter()
        .map(|d| format!("[{}]({})", d.text(), d.page.url))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every API the rule reads, each once, in the order of its sources.
fn reads(rule: &Rule) -> String {
    let mut apis: Vec<String> = Vec::new();
    for api in rule
        .needs
        .iter()
        .chain(rule.reads)
        .flat_map(|s| s.api().split(", ").map(str::to_string).collect::<Vec<_>>())
    {
        if !apis.contains(&api) {
            apis.push(api);
        }
    }
    apis.iter()
        .map(|api| format!("`{api}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One Markdown row per check id: id, severity, what it expects, what it reads, source.
pub fn markdown() -> String {
    let mut out =
        String::from("| check id | severity | expects | reads | source |\n|---|---|---|---|---|\n");
    for family in FAMILIES.iter() {
        for rule in family.rules {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                rule.id,
                rule.severity.as_str(),
                rule.title.replace('|', "\\|"),
                reads(rule),
                sources(rule).replace('|', "\\|")
            ));
        }
    }
    out
}
