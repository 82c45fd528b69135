//! Timestamps: snapshots keep AWS's RFC 3339 strings; rules that need an age parse them here.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch of an RFC 3339 timestamp (`2026-11-25T06:00:00Z`).
pub fn epoch_seconds(rfc3339: &str) -> Option<i64> {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// The RFC 3339 timestamp (`2026-11-25T06:00:00Z`) of seconds since the Unix epoch, UTC.
pub fn rfc3339(epoch: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(epoch)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::{epoch_seconds, rfc3339};

    #[test]
    fn rfc3339_timestamps_parse_and_others_do_not() {
        assert_eq!(epoch_seconds("1970-01-01T00:01:00Z"), Some(60));
        assert_eq!(
            epoch_seconds("2026-11-25T06:00:00.500+01:00"),
            Some(1_795_582_800)
        );
        assert_eq!(epoch_seconds("yesterday"), None);
        assert_eq!(
            rfc3339(1_795_586_400).as_deref(),
            Some("2026-11-25T06:00:00Z")
        );
        assert_eq!(rfc3339(i64::MAX), None);
    }
}
