//! What a panic does while the dashboard runs. On the UI thread (or any thread outside a
//! task) the terminal is restored before the report prints. In a worker task the terminal is
//! left alone and nothing is printed over the screen: tokio catches the panic and [`caught`]
//! turns it into a message the dashboard shows.

use std::future::Future;

/// Installs the policy in front of the current hook; `restore` puts the terminal back.
pub fn install(restore: fn()) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if tokio::task::try_id().is_some() {
            return;
        }
        restore();
        previous(info);
    }));
}

/// Runs `future` as a task of its own; a panic in it comes back as an error message.
pub async fn caught<T, F>(future: F) -> Result<T, String>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    tokio::spawn(future)
        .await
        .map_err(|error| match error.try_into_panic() {
            Ok(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_string());
                format!("internal error: a fetch panicked ({message})")
            }
            Err(error) => format!("internal error: a fetch was cancelled ({error})"),
        })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static RESTORED: AtomicUsize = AtomicUsize::new(0);

    fn count_restore() {
        RESTORED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn task_panics_reach_the_ui_and_other_panics_restore_the_terminal() {
        install(count_restore);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();

        let result: Result<(), String> = runtime.block_on(caught(async { panic!("boom") }));
        assert_eq!(
            result.unwrap_err(),
            "internal error: a fetch panicked (boom)"
        );
        assert_eq!(
            RESTORED.load(Ordering::SeqCst),
            0,
            "a task panic kept the terminal"
        );

        let id = 7;
        let result: Result<(), String> =
            runtime.block_on(caught(async move { panic!("endpoint {id}") }));
        assert_eq!(
            result.unwrap_err(),
            "internal error: a fetch panicked (endpoint 7)"
        );
        assert_eq!(runtime.block_on(caught(async { 42 })), Ok(42));

        let _ = std::thread::spawn(|| panic!("on the UI thread")).join();
        assert!(
            RESTORED.load(Ordering::SeqCst) >= 1,
            "the terminal was restored"
        );
    }
}
