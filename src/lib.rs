//! linkscope: a terminal dashboard and audit for AWS PrivateLink and Amazon MWAA private
//! networking.
//!
//! Layers, each importing only those before it: [`model`] (the snapshot, plain data) ←
//! [`aws`] (the only SDK user, which collects a snapshot) and [`checks`] (pure judgements
//! over it) ← [`diff`] (what changed between two snapshots) ← [`show`] (text every face shares) ← [`report`] (text, JSON, Markdown, SARIF)
//! and [`panes`] (one file per dashboard tab) ← [`app`] (state and its pure `update`) ←
//! [`ui`] (drawing) ← [`runtime`] (terminal, event loop, worker). [`input`] chooses where a
//! snapshot comes from; [`run`] carries out a command line. `ARCHITECTURE.md` has the map.

pub mod app;
pub mod aws;
pub mod checks;
pub mod cli;
pub mod diff;
pub mod failure;
pub mod fleet;
pub mod input;
pub mod lists;
pub mod model;
pub mod panes;
pub mod probe;
pub mod report;
pub mod run;
pub mod runtime;
pub mod show;
pub mod ui;
