//! Network paths: S3 gateway routing (one judgement, [`s3_path`]), network ACLs, and
//! subnets shared with the caller.

mod agreement;
pub mod gateway;
pub mod gateway_limits;
pub mod nacl;
pub mod nacl_eval;
pub mod s3_path;
pub mod shared_vpc;

pub use agreement::s3_routing_disagreements;
