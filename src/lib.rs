//! linkscope: a terminal dashboard and audit for AWS PrivateLink and Amazon MWAA private
//! networking.
//!
//! One engine with several faces: [`aws`] collects a [`model::Snapshot`], [`checks`] judges
//! it, and the faces ([`report`], and the dashboard: [`panes`], [`lists`], [`app`], [`ui`],
//! [`runtime`]) display what it found; [`run`] carries out a command line. The layers, and
//! exactly which modules each one imports, are the table of `ARCHITECTURE.md` (a test,
//! `tests/integration/layers.rs`, holds the code to it).

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
