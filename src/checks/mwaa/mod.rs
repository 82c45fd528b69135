//! The MWAA environment: the private-routing checklist, the environment's settings and its
//! own security groups.

pub mod checklist;
pub mod environment;
pub mod workload_groups;
