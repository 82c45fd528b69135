//! CloudTrail: the management events of a window that changed what linkscope checks, on
//! the resources of a snapshot. `LookupEvents` is the only call (read-only), paginated by
//! hand so that every page can be reported, bounded in pages and paced under the API's
//! limit of two requests per second per account and Region.
//!
//! CloudTrail records Route 53 (a global service) in `us-east-1` only: hosted zone and
//! record changes appear when the Region looked up is `us-east-1`.

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::time::SystemTime;

use super::convert;
use super::error::fetch_error;
use super::limit::RateLimit;
use crate::model::{Changes, epoch_seconds};
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};

/// `LookupEvents` returns at most 50 events a page.
const PAGE_SIZE: i32 = 50;

/// The default of [`ChangeLimits::per_second`]: `LookupEvents`' own limit.
const DEFAULT_PER_SECOND: f64 = super::rates::CLOUDTRAIL.per_second;

/// The slowest pace [`ChangeLimits::per_second`] can set: one request every 1,000 s.
const SLOWEST_PER_SECOND: f64 = 0.001;

/// Bounds on one read of CloudTrail.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeLimits {
    /// The most `LookupEvents` pages read (50 events each); default 20.
    pub max_pages: u32,
    /// The most requests started per second; default 2, `LookupEvents`' limit per account
    /// and Region. Zero, negative or NaN means the default.
    pub per_second: f64,
}

impl Default for ChangeLimits {
    fn default() -> Self {
        Self {
            max_pages: 20,
            per_second: DEFAULT_PER_SECOND,
        }
    }
}

/// The changes in `[since, until]` to the ids in `scope` (see [`crate::model::ids_in_scope`]):
/// the write events (`ReadOnly=false`) of [`crate::model::CHANGE_EVENTS`] that succeeded and
/// touched an id in scope, newest first. Reads at most `limits.max_pages` pages (then `more`
/// says whether events were left) and calls `on_page` with what it has after every page.
/// A call that still fails after the SDK's retries (throttling included) stops the read:
/// the events so far are kept and `error` says why (on the first page: no events).
pub async fn lookup_changes(
    client: &aws_sdk_cloudtrail::Client,
    scope: &BTreeSet<String>,
    since: SystemTime,
    until: SystemTime,
    limits: &ChangeLimits,
    on_page: &mut (dyn FnMut(&Changes) + Send),
) -> Changes {
    let mut changes = Changes {
        since: convert::rfc3339(since),
        until: convert::rfc3339(until),
        ..Changes::default()
    };
    let writes = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::ReadOnly)
        .attribute_value("false")
        .build()
        .expect("the key and the value are set");
    let pacer = pacer(limits.per_second);
    let mut token: Option<String> = None;
    loop {
        if changes.pages >= limits.max_pages {
            changes.more = true;
            break;
        }
        pacer.ready().await;
        let page = client
            .lookup_events()
            .lookup_attributes(writes.clone())
            .start_time(whole_seconds(since))
            .end_time(whole_seconds(until))
            .max_results(PAGE_SIZE)
            .set_next_token(token.take())
            .send()
            .await;
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                changes.error = Some(fetch_error(error));
                break;
            }
        };
        changes.pages += 1;
        for event in page.events() {
            let Some(change) = convert::change_event(event, scope) else {
                continue;
            };
            let seen = !change.event_id.is_empty()
                && changes.events.iter().any(|c| c.event_id == change.event_id);
            if !seen {
                changes.events.push(change);
            }
        }
        // CloudTrail answers newest first; a stable sort keeps its order within a second.
        changes
            .events
            .sort_by_key(|c| Reverse(epoch_seconds(&c.time)));
        on_page(&changes);
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    changes
}

/// The request's time, to the second (as the window's bounds are reported).
fn whole_seconds(time: SystemTime) -> DateTime {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Spaces the starts of requests by at least `1 / per_second` (a [`RateLimit`] with a burst
/// of 1); the first starts at once. Time idle earns no burst: after a pause the next request
/// starts at once and the one after it waits a whole interval. Zero, negative or NaN is the
/// default rate; the slowest is [`SLOWEST_PER_SECOND`].
fn pacer(per_second: f64) -> RateLimit {
    let rate = if per_second.is_nan() || per_second <= 0.0 {
        DEFAULT_PER_SECOND
    } else {
        per_second.max(SLOWEST_PER_SECOND)
    };
    RateLimit::new(rate, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::time::Instant;

    /// The start of each of `n` back-to-back requests, from the first.
    async fn burst(pacer: &RateLimit, n: usize) -> Vec<Duration> {
        let origin = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..n {
            pacer.ready().await;
            starts.push(origin.elapsed());
        }
        starts
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_never_starts_faster_than_the_rate() {
        let pacer = pacer(2.0);
        let starts = burst(&pacer, 10).await;
        assert_eq!(starts[0], Duration::ZERO, "the first starts at once");
        for pair in starts.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(500),
                "{starts:?}"
            );
        }
        // In any one second at most two requests start.
        for (i, start) in starts.iter().enumerate() {
            let within = starts[i..]
                .iter()
                .filter(|s| **s - *start < Duration::from_secs(1))
                .count();
            assert!(within <= 2, "{starts:?}");
        }
        assert_eq!(starts[9], Duration::from_millis(4_500), "and no slower");
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_earns_no_burst() {
        let pacer = pacer(2.0);
        pacer.ready().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let starts = burst(&pacer, 2).await;
        assert_eq!(starts, [Duration::ZERO, Duration::from_millis(500)]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unlimited_rate_never_waits_and_a_bad_one_is_the_default() {
        let fast = pacer(f64::INFINITY);
        assert!(burst(&fast, 100).await.iter().all(|s| s.is_zero()));
        for bad in [0.0, -1.0, f64::NAN] {
            let pacer = pacer(bad);
            assert_eq!(
                burst(&pacer, 3).await,
                [
                    Duration::ZERO,
                    Duration::from_millis(500),
                    Duration::from_secs(1)
                ],
                "{bad}"
            );
        }
    }

    #[test]
    fn default_limits_are_twenty_pages_at_two_a_second() {
        assert_eq!(
            ChangeLimits::default(),
            ChangeLimits {
                max_pages: 20,
                per_second: 2.0
            }
        );
    }
}
