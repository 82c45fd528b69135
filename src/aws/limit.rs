//! The limits every collection shares: at most [`MAX_CONCURRENT_REQUESTS`] API calls in flight
//! per collection, and the client-side rate limits ([`RateLimit`]) that pace a service's calls
//! per account and Region (a fleet audit's EC2, Route 53, CloudWatch and STS calls at the
//! rates of [`super::rates`], CloudTrail's `LookupEvents`), slowed when AWS throttles.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

/// At most this many API calls are in flight at once, per collection.
pub(super) const MAX_CONCURRENT_REQUESTS: usize = 16;

/// At most this many API calls are in flight at once for the targets of one account and
/// Region collected together (a fleet's): fewer calls than their separate collections would
/// make, most of them the VPCs' two DNS attributes, which have no multi-VPC form.
pub(super) const MAX_REGION_REQUESTS: usize = 32;

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

/// How much slower than its rate a throttled limit may get: each throttling signal halves
/// the rate, down to a sixteenth.
const MOST_SLOWDOWN: u32 = 16;

/// Throttling signals this close to the one that slowed the limit are the same episode (the
/// calls that were in flight then): they do not slow it again.
const SAME_EPISODE: Duration = Duration::from_secs(1);

/// Each spell this long without a throttling signal doubles a slowed rate again, until it is
/// the configured one (with its burst) once more.
const RECOVERY_STEP: Duration = Duration::from_secs(2);

/// A client-side rate limit shared by every task that holds it: at most `burst` calls start at
/// once, and over any longer span at most `burst + per_second × span` (the generic cell rate
/// algorithm, a token bucket that books each start). Each caller books the next free start
/// under a lock and then sleeps until it, so the order is first come, first served, and time
/// idle refills the burst, never more. With a burst of 1 the starts are spaced by at least
/// `1 / per_second`.
///
/// Adaptive: AWS answering `RequestLimitExceeded` or `Throttling` ([`RateLimit::throttled`],
/// called for every throttled attempt, retries included) means the account's bucket is
/// shared with someone else. The limit then halves its rate (down to a sixteenth) and drops
/// its burst, and takes back a doubling of the rate every [`RECOVERY_STEP`] without a throttle.
#[derive(Debug)]
pub struct RateLimit {
    interval: Duration,
    tolerance: Duration,
    state: Mutex<State>,
}

/// What a [`RateLimit`] has booked, and how slowed it is.
#[derive(Debug, Default)]
struct State {
    /// The theoretical start of the next call were the limit always busy.
    next: Option<Instant>,
    /// How many times slower than the configured rate the limit runs (1 when not slowed).
    slowdown: u32,
    /// When the limit was last slowed, or last recovered a step.
    since: Option<Instant>,
    /// When a throttling signal last slowed the limit.
    throttled_at: Option<Instant>,
}

impl State {
    /// Takes back a doubling of the rate for each [`RECOVERY_STEP`] since the last change.
    fn recover(&mut self, now: Instant) {
        let Some(since) = self.since.filter(|_| self.slowdown > 1) else {
            return;
        };
        let steps = (now.saturating_duration_since(since).as_secs_f64()
            / RECOVERY_STEP.as_secs_f64()) as u32;
        if steps > 0 {
            self.slowdown = (self.slowdown >> steps.min(31)).max(1);
            self.since = Some(since + RECOVERY_STEP * steps);
        }
    }
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
            state: Mutex::new(State {
                slowdown: 1,
                ..State::default()
            }),
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
            let mut state = self.state.lock().expect("the lock is never poisoned");
            let now = Instant::now();
            state.recover(now);
            let (interval, tolerance) = match state.slowdown {
                1 => (self.interval, self.tolerance),
                slowdown => (self.interval * slowdown, Duration::ZERO),
            };
            let base = state.next.map_or(now, |n| n.max(now));
            state.next = Some(base + interval);
            base.checked_sub(tolerance).map_or(now, |s| s.max(now))
        };
        tokio::time::sleep_until(start).await;
    }

    /// AWS throttled a call made under this limit: slows it (see [`RateLimit`]).
    pub fn throttled(&self) {
        if self.interval.is_zero() {
            return;
        }
        let mut state = self.state.lock().expect("the lock is never poisoned");
        let now = Instant::now();
        if state.throttled_at.is_some_and(|at| now < at + SAME_EPISODE) {
            return;
        }
        state.recover(now);
        state.slowdown = (state.slowdown * 2).min(MOST_SLOWDOWN);
        state.since = Some(now);
        state.throttled_at = Some(now);
        // The account's bucket is empty: the next call waits a whole (slowed) interval.
        let next = state.next.map_or(now, |n| n.max(now));
        state.next = Some(next.max(now + self.interval * state.slowdown));
    }

    /// How many times slower than its rate the limit runs now (1 when not slowed).
    pub fn slowdown(&self) -> u32 {
        let mut state = self.state.lock().expect("the lock is never poisoned");
        state.recover(Instant::now());
        state.slowdown
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

    #[tokio::test(start_paused = true)]
    async fn at_the_documented_ec2_rate_a_burst_never_exceeds_the_bucket() {
        let ec2 = crate::aws::rates::EC2;
        let starts = burst(ec2.limit(), 400).await;
        assert_eq!(starts.iter().filter(|s| s.is_zero()).count(), 100);
        for span in [50, 500, 1_000, 5_000, 15_000] {
            let span = Duration::from_millis(span);
            let allowed = 100 + (span.as_secs_f64() * 20.0).ceil() as usize;
            assert!(most_within(&starts, span) <= allowed, "{span:?}");
        }
        assert_eq!(
            starts[399],
            Duration::from_millis(15_000),
            "300 more at 20 a second"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_halves_the_rate_drops_the_burst_and_recovers_step_by_step() {
        let limit = RateLimit::shared(10.0, 5);
        burst(limit.clone(), 5).await;
        limit.throttled();
        // The calls that were in flight with the first are throttled too: the same episode.
        limit.throttled();
        limit.throttled();
        assert_eq!(limit.slowdown(), 2);
        let origin = Instant::now();
        let starts = burst(limit.clone(), 5).await;
        assert_eq!(
            starts,
            [500, 700, 900, 1_100, 1_300].map(Duration::from_millis),
            "half the rate and no burst: after the booked burst, one every 200 ms"
        );
        // A throttle after the episode halves it again, and the next call waits.
        assert!(origin.elapsed() >= SAME_EPISODE);
        limit.throttled();
        assert_eq!(limit.slowdown(), 4);
        let starts = burst(limit.clone(), 3).await;
        assert_eq!(starts, [400, 800, 1_200].map(Duration::from_millis));
        // Down to a sixteenth at most.
        for _ in 0..6 {
            tokio::time::sleep(SAME_EPISODE).await;
            limit.throttled();
        }
        assert_eq!(limit.slowdown(), MOST_SLOWDOWN);
        // Each quiet spell doubles the rate back; the burst returns with the full rate.
        tokio::time::sleep(RECOVERY_STEP).await;
        assert_eq!(limit.slowdown(), 8);
        tokio::time::sleep(RECOVERY_STEP * 3).await;
        assert_eq!(limit.slowdown(), 1);
        tokio::time::sleep(Duration::from_secs(10)).await;
        let starts = burst(limit, 7).await;
        assert_eq!(
            starts,
            [0, 0, 0, 0, 0, 100, 200].map(Duration::from_millis),
            "the configured rate and burst again, and never more"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_slowed_limit_never_exceeds_its_configured_rate_while_recovering() {
        let limit = RateLimit::shared(20.0, 10);
        let origin = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..200u64 {
            let limit = limit.clone();
            tasks.spawn(async move {
                // Calls arrive all along; AWS throttles twice early on.
                tokio::time::sleep(Duration::from_millis(i * 20)).await;
                limit.ready().await;
                if i == 20 || i == 60 {
                    limit.throttled();
                }
                origin.elapsed()
            });
        }
        let mut starts = tasks.join_all().await;
        starts.sort();
        for span in [100, 1_000, 3_000] {
            let span = Duration::from_millis(span);
            let allowed = 10 + (span.as_secs_f64() * 20.0).ceil() as usize;
            assert!(most_within(&starts, span) <= allowed, "{span:?}");
        }
        assert_eq!(limit.slowdown(), 1, "recovered once the throttles stopped");
        let last = *starts.last().unwrap();
        assert!(
            last > Duration::from_millis(9_500),
            "slower than unthrottled: {last:?}"
        );
    }
}
