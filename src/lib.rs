//! linkscope: a terminal dashboard and audit for AWS PrivateLink and Amazon MWAA private networking.
//!
//! Layers: [`aws`] collects a [`model::Snapshot`] (the only SDK user); [`input`] chooses
//! between live AWS, a snapshot file and the bundled demo; [`report`] renders it.

pub mod app;
pub mod aws;
pub mod checks;
pub mod cli;
pub mod failure;
pub mod input;
pub mod model;
pub mod report;
pub mod run;
pub mod runtime;
pub mod ui;
