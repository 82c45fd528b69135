//! Styled text made to fit a width: cut the way `show::truncate` cuts plain text (escaped,
//! never a wide character halved, every cut marked by `…` in the style of the text it ends),
//! or wrapped into as many lines as it takes, so that the lines drawn are the lines counted.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::show::{clean, head};

/// `line`, escaped and cut to at most `width` columns; a cut ends in `…`.
pub fn cut(line: Line<'_>, width: usize) -> Line<'static> {
    let spans: Vec<Span<'static>> = line
        .spans
        .into_iter()
        .map(|s| Span::styled(clean(&s.content).into_owned(), s.style))
        .collect();
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    let spans = if total <= width {
        spans
    } else {
        let mut kept = Vec::new();
        let mut room = width.saturating_sub(1);
        for span in spans {
            let (text, used) = head(&span.content, room);
            let whole = text.len() == span.content.len();
            kept.push(Span::styled(text.to_string(), span.style));
            room -= used;
            if !whole {
                if width > 0 {
                    kept.push(Span::styled("…", span.style));
                }
                break;
            }
        }
        kept
    };
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// Runs of blanks and of other characters, in order.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut blank = None;
    for (at, c) in text.char_indices() {
        let is_blank = c.is_whitespace();
        if blank.is_some_and(|b| b != is_blank) {
            out.push(&text[start..at]);
            start = at;
        }
        blank = Some(is_blank);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// `line`, escaped and wrapped at blanks into lines of at most `width` columns; a word
/// longer than a line is broken, and the blanks where a line breaks are dropped.
pub fn wrap(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let (mut used, mut worded) = (0, false);
    for span in &line.spans {
        let content = clean(&span.content);
        for token in tokens(&content) {
            let w = token.width();
            let blank = token.starts_with(char::is_whitespace);
            if used + w <= width {
                lines
                    .last_mut()
                    .unwrap()
                    .push(Span::styled(token.to_string(), span.style));
                used += w;
                worded |= !blank;
                continue;
            }
            if blank || (worded && w <= width) {
                lines.push(Vec::new());
                (used, worded) = (0, false);
                if blank {
                    continue;
                }
            }
            let mut rest = token;
            while !rest.is_empty() {
                let (mut part, mut part_width) = head(rest, width - used);
                if part.is_empty() {
                    if used > 0 {
                        lines.push(Vec::new());
                        used = 0;
                        continue;
                    }
                    // A character wider than the whole line: it goes alone.
                    let first = rest.chars().next().map_or(0, char::len_utf8);
                    part = &rest[..first];
                    part_width = part.width();
                }
                lines
                    .last_mut()
                    .unwrap()
                    .push(Span::styled(part.to_string(), span.style));
                (used, worded) = (used + part_width, true);
                rest = &rest[part.len()..];
                if !rest.is_empty() {
                    lines.push(Vec::new());
                    used = 0;
                }
            }
        }
    }
    lines
        .into_iter()
        .map(|spans| Line {
            spans,
            style: line.style,
            alignment: line.alignment,
        })
        .collect()
}

/// Every line of `lines` wrapped to `width` (see [`wrap`]).
pub fn wrap_all(lines: &[Line<'_>], width: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap(l, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_cut_ends_in_an_ellipsis_in_the_style_it_cuts() {
        let red = Style::new().fg(Color::Red);
        let line = Line::from(vec![Span::raw("✘ "), Span::styled("endpoint sqs", red)]);
        assert_eq!(text(&cut(line.clone(), 14)), "✘ endpoint sqs");
        let short = cut(line.clone(), 8);
        assert_eq!(text(&short), "✘ endpo…");
        assert_eq!(short.spans.last().unwrap().style, red);
        assert_eq!(text(&cut(line.clone(), 3)), "✘ …");
        assert_eq!(text(&cut(line, 0)), "");
        let escaped = cut(Line::from("a\u{1b}b"), 20);
        assert_eq!(text(&escaped), "a\\u{1b}b");
    }

    #[test]
    fn wrapping_breaks_at_blanks_then_inside_words_and_loses_nothing() {
        let texts = |lines: Vec<Line>| lines.iter().map(text).collect::<Vec<_>>();
        let line =
            Line::from("  CREATE_FAILED: the execution role lacks ec2:CreateNetworkInterface");
        let wrapped = texts(wrap(&line, 24));
        assert_eq!(
            wrapped,
            [
                "  CREATE_FAILED: the ",
                "execution role lacks ec2",
                ":CreateNetworkInterface"
            ]
        );
        assert!(wrapped.iter().all(|l| l.width() <= 24));
        assert_eq!(
            texts(wrap(&Line::default(), 10)),
            [""],
            "a blank line stays"
        );
        assert_eq!(
            texts(wrap(&Line::from("数据平台"), 3)),
            ["数", "据", "平", "台"]
        );
        let styled = Line::from(vec![
            Span::raw("ab "),
            Span::styled("cd", Style::new().fg(Color::Red)),
        ]);
        let lines = wrap(&styled, 3);
        assert_eq!(texts(lines.clone()), ["ab ", "cd"]);
        assert_eq!(lines[1].spans[0].style.fg, Some(Color::Red));
    }
}
