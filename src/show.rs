//! How values read in every face of linkscope (dashboard, reports, runtime messages): status
//! icons, checklist labels, and strings from AWS made safe to print. A tag, a name, a policy
//! or an error message must never move the cursor, retitle the terminal or reorder text, so
//! control characters (C0, DEL, C1) and bidirectional controls are shown escaped.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::checks::mwaa::environment::ENV_STATUS;
use crate::checks::{Audit, Finding, Status};

/// The finding on the MWAA environment's own status, when an environment was named.
pub fn environment_status(audit: &Audit) -> Option<&Finding> {
    audit.findings.iter().find(|f| f.rule == ENV_STATUS.id)
}

/// The icon of a status, the same in every face.
pub fn icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✔",
        Status::Fail => "✘",
        Status::Warn => "▲",
        Status::Info => "●",
        Status::Unknown => "?",
    }
}

/// The short label of a finding: its checklist row (`endpoint ecr.dkr`), else its id.
pub fn label(finding: &Finding) -> String {
    finding
        .checklist
        .as_ref()
        .map_or_else(|| finding.id.clone(), |item| item.label())
}

/// The resource a finding's row names: the endpoint that serves a service, the route table
/// of a subnet, the first resource within the VPC, else the subject itself.
pub fn resource(finding: &Finding) -> &str {
    use crate::checks::SubjectKind;
    match finding.subject.kind {
        SubjectKind::Service => finding.resources.first().map_or("-", String::as_str),
        SubjectKind::Subnet | SubjectKind::Vpc => finding
            .resources
            .get(1)
            .map_or(finding.subject.id.as_str(), String::as_str),
        _ => &finding.subject.id,
    }
}

/// True for characters that must not reach a terminal raw: C0, DEL and C1 controls, and the
/// bidirectional marks, embeddings, overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with unsafe characters escaped (`\n`, `\t`, `\u{1b}`, `\u{202e}`); borrowed when
/// there is nothing to escape.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes, inside a JSON document, the unsafe characters JSON itself leaves raw (DEL, C1 and
/// bidirectional controls) as `\uXXXX`. A serializer escapes the other controls in strings,
/// and outside strings JSON has only its whitespace, so such characters can only sit inside
/// strings, where the escape means the same character to any parser.
pub fn json_safe(document: &str) -> String {
    let mut out = String::with_capacity(document.len());
    for c in document.chars() {
        if is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t') {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The longest start of `text` that fits in `columns` terminal columns, and its width.
pub fn head(text: &str, columns: usize) -> (&str, usize) {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > columns {
            return (&text[..at], used);
        }
        used += w;
    }
    (text, used)
}

/// `cell`, escaped, cut to at most `width` columns with the cut marked by `…`. The one way
/// every face shortens a value: a cut value always ends in `…`, so it never passes for
/// another whole one (`10.42.1.20` for `10.42.1.205`).
pub fn truncate(cell: &str, width: usize) -> String {
    let cell = clean(cell);
    if cell.width() <= width {
        return cell.into_owned();
    }
    match width {
        0 => String::new(),
        _ => format!("{}…", head(&cell, width - 1).0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(clean("plain name"), "plain name");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(clean("prod\u{202e}dorp"), "prod\\u{202e}dorp");
        assert_eq!(clean("x\u{9b}31m"), "x\\u{9b}31m", "C1 CSI");
        assert_eq!(clean("two\nlines\t!"), "two\\nlines\\t!");
        assert_eq!(clean("\u{2066}iso\u{2069}"), "\\u{2066}iso\\u{2069}");
        assert_eq!(
            clean("数据平台 ✔"),
            "数据平台 ✔",
            "wide and symbol characters stay"
        );
    }

    #[test]
    fn json_keeps_meaning_and_loses_raw_controls() {
        let value = ["evil\u{202e}name\u{9b}\u{7f}", "tab\tline\n\u{1b}"];
        let document = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_safe(&document);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn truncation_respects_display_width_and_escapes() {
        assert_eq!(truncate("数据平台", 5), "数据…");
        assert_eq!(truncate("a\u{1b}[2Jb", 20), "a\\u{1b}[2Jb");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcdef", 1), "…");
        assert_eq!(truncate("abcdef", 0), "", "a dropped column shows nothing");
        assert_eq!(truncate("10.42.1.205", 10), "10.42.1.2…");
        assert_eq!(
            head("数据平台", 3),
            ("数", 2),
            "a wide character is never halved"
        );
    }
}
