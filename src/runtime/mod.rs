//! The interactive runtime: terminal set-up and restore, the event loop, and the worker
//! that carries out the app's commands. The UI never waits for AWS.

mod event_loop;
mod panic;
mod terminal;
pub mod worker;

pub use event_loop::run;
