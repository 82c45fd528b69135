//! The MWAA environment: the private-routing checklist, the environment's settings and its
//! own security groups.

pub mod checklist;
pub mod customer_endpoints;
pub mod environment;
pub mod health;
pub mod workload_groups;
pub mod wrong_place;
