//! Network paths: the way to each name's interfaces and back ([`path`]), S3 gateway routing
//! (one judgement, [`s3_path`]), network ACLs, and subnets shared with the caller.

mod agreement;
pub mod gateway;
pub mod gateway_limits;
mod hops;
pub mod nacl;
pub mod nacl_eval;
pub mod path;
pub mod path_rule;
mod routing;
pub mod s3_path;
pub mod shared_vpc;
mod step;

pub use agreement::s3_routing_disagreements;
