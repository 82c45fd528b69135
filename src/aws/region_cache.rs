//! The answers that are the same for every target of one account and Region (the prefix
//! lists, the Region's gateway endpoint count, the DHCP option sets, the endpoint service
//! catalogue): in a fleet run, the first target to need one reads it and the others reuse it,
//! so that a Region's rate limit is spent on what differs between targets.

use std::future::Future;

use tokio::sync::OnceCell;

use crate::model::{DhcpOptions, FetchError, PrefixList, ServiceDetail};

/// Region-wide answers, read at most once while they succeed (a failed read is not kept: the
/// next target tries again).
#[derive(Debug, Default)]
pub struct RegionCache {
    pub(super) prefix_lists: OnceCell<Vec<PrefixList>>,
    pub(super) region_gateways: OnceCell<u32>,
    pub(super) dhcp_options: OnceCell<Vec<DhcpOptions>>,
    pub(super) services: OnceCell<Vec<ServiceDetail>>,
}

/// The cached answer, else `read`'s (kept for the next caller when it succeeds). Without a
/// cache, `read` runs as it is. `read` is not started when the answer is already there, so
/// it neither waits for a rate limit nor sends a request.
pub(super) async fn once<T: Clone>(
    cell: Option<&OnceCell<T>>,
    read: impl Future<Output = Result<T, FetchError>>,
) -> Result<T, FetchError> {
    match cell {
        Some(cell) => cell.get_or_try_init(|| read).await.cloned(),
        None => read.await,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_region_wide_answer_is_read_once_and_a_failure_is_not_kept() {
        let cell = OnceCell::new();
        let reads = AtomicUsize::new(0);
        let read = |ok: bool| {
            let reads = &reads;
            async move {
                reads.fetch_add(1, Ordering::SeqCst);
                match ok {
                    true => Ok(7u32),
                    false => Err(FetchError {
                        code: Some("Throttling".into()),
                        message: "slow down".into(),
                    }),
                }
            }
        };
        assert!(once(Some(&cell), read(false)).await.is_err());
        assert_eq!(once(Some(&cell), read(true)).await.unwrap(), 7);
        assert_eq!(once(Some(&cell), read(false)).await.unwrap(), 7, "kept");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        // Without a cache every call reads.
        once(None, read(true)).await.unwrap();
        once(None, read(true)).await.unwrap();
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }
}
