//! Timestamps: snapshots keep AWS's RFC 3339 strings; rules that need an age parse them here.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch of an RFC 3339 timestamp (`2026-11-25T06:00:00Z`).
pub fn epoch_seconds(rfc3339: &str) -> Option<i64> {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::epoch_seconds;

    #[test]
    fn rfc3339_timestamps_parse_and_others_do_not() {
        assert_eq!(epoch_seconds("1970-01-01T00:01:00Z"), Some(60));
        assert_eq!(
            epoch_seconds("2026-11-25T06:00:00.500+01:00"),
            Some(1_795_582_800)
        );
        assert_eq!(epoch_seconds("yesterday"), None);
    }
}
