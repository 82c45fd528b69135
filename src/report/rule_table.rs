//! The README's table of checks, generated from the rule registry.

use crate::checks::rules;

/// One Markdown row per check id: id, severity, what it expects, source.
pub fn markdown() -> String {
    let mut out = String::from("| check id | severity | expects | source |\n|---|---|---|---|\n");
    for rule in rules() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id,
            rule.severity.as_str(),
            rule.title,
            rule.source.replace('|', "\\|")
        ));
    }
    out
}
