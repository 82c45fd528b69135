//! Text sparklines for table cells: one block character per time bucket, a space for
//! buckets without datapoints (idle, not zero).

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Buckets `points` over `[start, end)` into `width` cells, each the bucket's maximum.
pub fn buckets(points: &[(i64, f64)], start: i64, end: i64, width: usize) -> Vec<Option<f64>> {
    let mut cells = vec![None; width];
    if width == 0 {
        return cells;
    }
    let span = (end - start).max(1);
    for (t, v) in points.iter().filter(|(t, _)| *t >= start && *t < end) {
        let i = ((t - start) * width as i64 / span) as usize;
        let cell = &mut cells[i.min(width.saturating_sub(1))];
        *cell = Some(cell.map_or(*v, |c: f64| c.max(*v)));
    }
    cells
}

/// A sparkline string of exactly `width` characters.
pub fn spark(points: &[(i64, f64)], start: i64, end: i64, width: usize) -> String {
    let cells = buckets(points, start, end, width);
    let max = cells.iter().flatten().copied().fold(0.0_f64, f64::max);
    cells
        .into_iter()
        .map(|cell| match cell {
            None => ' ',
            Some(_) if max <= 0.0 => BARS[0],
            Some(v) => BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_buckets_are_blank_and_values_scale() {
        let points = [(0, 1.0), (60, 8.0), (300, 0.0)];
        assert_eq!(spark(&points, 0, 360, 6), "▂█   ▁");
        assert_eq!(spark(&[], 0, 360, 3), "   ");
        assert_eq!(spark(&[(10, 5.0)], 0, 360, 0), "");
    }
}
