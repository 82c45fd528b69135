//! Plain-text tables whose columns line up with wide (CJK, emoji) characters too.

use unicode_width::UnicodeWidthStr;

use crate::show::truncate;

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
}
