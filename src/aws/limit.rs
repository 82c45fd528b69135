//! The concurrency cap every collection shares: at most this many API calls in flight.

use std::future::Future;

use tokio::sync::Semaphore;

/// At most this many API calls are in flight at once, per collection.
pub(super) const MAX_CONCURRENT_REQUESTS: usize = 16;

/// Runs `call` once a slot under the cap is free.
pub(super) async fn gated<T>(limit: &Semaphore, call: impl Future<Output = T>) -> T {
    let _slot = limit
        .acquire()
        .await
        .expect("the semaphore is never closed");
    call.await
}
