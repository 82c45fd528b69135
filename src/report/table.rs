//! Plain-text tables whose columns line up with wide (CJK, emoji) characters too.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces control characters so that odd tags cannot move the cursor.
fn printable(cell: &str) -> String {
    cell.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Cuts `cell` to at most `width` columns, marking the cut with `…`.
pub fn truncate(cell: &str, width: usize) -> String {
    let cell = printable(cell);
    if cell.width() <= width {
        return cell;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in cell.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Renders rows under a header, each column as wide as its widest cell (capped at `max`).
pub fn render(header: &[&str], rows: &[Vec<String>], max: usize) -> String {
    let cells: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(
            rows.iter()
                .map(|row| row.iter().map(|c| truncate(c, max)).collect()),
        )
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|row| row.get(i).map_or(0, |c| c.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_keep_columns_aligned() {
        let out = render(
            &["A", "B"],
            &[
                vec!["数据".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
            20,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1].width(), lines[2].width());
    }

    #[test]
    fn truncation_respects_display_width_and_strips_controls() {
        assert_eq!(truncate("数据平台", 5), "数据…");
        assert_eq!(truncate("a\u{1b}[2Jb", 10), "a?[2Jb");
        assert_eq!(truncate("short", 10), "short");
    }
}
