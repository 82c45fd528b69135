//! The limits every collection shares: at most [`MAX_CONCURRENT_REQUESTS`] API calls in flight
//! per collection, and the client-side rate limits ([`RateLimit`]) that pace a service's calls
//! per account and Region (a fleet audit's EC2 and CloudWatch calls, CloudTrail's
//! `LookupEvents`).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

/// At most this many API calls are in flight at once, per collection.
pub(super) const MAX_CONCURRENT_REQUESTS: usize = 16;

/// At most this many IAM, S3 and KMS calls (the environment's role, bucket and key) are in
/// flight at once, per collection, beside [`MAX_CONCURRENT_REQUESTS`]: other services with
/// their own limits (IAM's are low), which must not wait behind the VPC's describes.
pub(super) const MAX_ACCESS_REQUESTS: usize = 8;

/// Runs `call` once a slot under the cap is free.
pub(super) async fn gated<T>(limit: &Semaphore, call: impl Future<Output = T>) -> T {
    paced(limit, None, call).await
}

/// Runs `call` once a slot under the cap is free and, with a rate limit, once the limit lets
/// it start. The slot is taken first, so that a call whose start the limit booked starts then
/// (were the slot taken after, calls booked apart could start together).
pub(super) async fn paced<T>(
    limit: &Semaphore,
    rate: Option<&RateLimit>,
    call: impl Future<Output = T>,
) -> T {
    let _slot = limit
        .acquire()
        .await
        .expect("the semaphore is never closed");
    if let Some(rate) = rate {
        rate.ready().await;
    }
    call.await
}

/// A client-side rate limit shared by every task that holds it: at most `burst` calls start at
/// once, and over any longer span at most `burst + per_second × span` (the generic cell rate
/// algorithm, a token bucket that books each start). Each caller books the next free start
/// under a lock and then sleeps until it, so the order is first come, first served, and time
/// idle refills the burst, never more. With a burst of 1 the starts are spaced by at least
/// `1 / per_second`.
#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    tolerance: Duration,
    /// The theoretical start of the next call were the limit always busy.
    next: Mutex<Option<Instant>>,
}

impl RateLimit {
    /// `per_second` calls a second (infinite: no limit), up to `burst` at once (at least 1).
    /// A rate that is not positive is taken as no limit; callers validate their own inputs.
    pub fn new(per_second: f64, burst: u32) -> Self {
        let interval = if per_second.is_finite() && per_second > 0.0 {
            Duration::from_secs_f64(1.0 / per_second)
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            next: Mutex::new(None),
        }
    }

    /// A limit to share between tasks.
    pub fn shared(per_second: f64, burst: u32) -> Arc<Self> {
        Arc::new(Self::new(per_second, burst))
    }

    /// Waits until the next call may start, and books it.
    pub async fn ready(&self) {
        if self.interval.is_zero() {
            return;
        }
        let start = {
            let mut next = self.next.lock().expect("the lock is never poisoned");
            let now = Instant::now();
            let base = next.map_or(now, |n| n.max(now));
            *next = Some(base + self.interval);
            base.checked_sub(self.tolerance).map_or(now, |s| s.max(now))
        };
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The starts of `n` calls made all at once by `n` tasks, from the first, sorted.
    async fn burst(limit: Arc<RateLimit>, n: usize) -> Vec<Duration> {
        let origin = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..n {
            let limit = limit.clone();
            tasks.spawn(async move {
                limit.ready().await;
                origin.elapsed()
            });
        }
        let mut starts = tasks.join_all().await;
        starts.sort();
        starts
    }

    /// The most starts in any window of `span` that opens at a start.
    fn most_within(starts: &[Duration], span: Duration) -> usize {
        (0..starts.len())
            .map(|i| {
                starts[i..]
                    .iter()
                    .filter(|s| **s - starts[i] < span)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_concurrent_calls_never_exceeds_the_rate() {
        let limit = RateLimit::shared(10.0, 5);
        let starts = burst(limit, 100).await;
        assert_eq!(starts.len(), 100);
        assert_eq!(
            starts.iter().filter(|s| s.is_zero()).count(),
            5,
            "the burst starts at once"
        );
        for span in [100, 250, 1_000, 3_000] {
            let span = Duration::from_millis(span);
            let allowed = 5 + (span.as_secs_f64() * 10.0).ceil() as usize;
            assert!(
                most_within(&starts, span) <= allowed,
                "{span:?}: {starts:?}"
            );
        }
        // After the burst, one every 100 ms: the limit is a rate, not a slower one.
        assert_eq!(starts[99], Duration::from_millis(9_500));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_refills_the_burst_and_no_more() {
        let limit = RateLimit::shared(2.0, 3);
        burst(limit.clone(), 3).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let starts = burst(limit, 5).await;
        assert_eq!(
            starts,
            [0, 0, 0, 500, 1_000].map(Duration::from_millis),
            "three at once after a long pause, then the rate"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_one_spaces_every_start_and_no_rate_never_waits() {
        let starts = burst(RateLimit::shared(4.0, 1), 4).await;
        assert_eq!(starts, [0, 250, 500, 750].map(Duration::from_millis));
        for unlimited in [f64::INFINITY, 0.0, -1.0, f64::NAN] {
            let starts = burst(RateLimit::shared(unlimited, 1), 50).await;
            assert!(starts.iter().all(|s| s.is_zero()), "{unlimited}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_is_taken_before_the_rate_is_waited_for() {
        let slots = Semaphore::new(2);
        let rate = RateLimit::new(10.0, 1);
        let origin = Instant::now();
        let starts = tokio::join!(
            paced(&slots, Some(&rate), async { origin.elapsed() }),
            paced(&slots, Some(&rate), async { origin.elapsed() }),
            paced(&slots, Some(&rate), async { origin.elapsed() }),
        );
        assert_eq!(
            [starts.0, starts.1, starts.2],
            [0, 100, 200].map(Duration::from_millis)
        );
    }
}
