//! Network paths: S3 gateway routing (one judgement, [`s3_path`]) and network ACLs.

mod agreement;
pub mod gateway;
pub mod nacl;
pub mod nacl_eval;
pub mod s3_path;

pub use agreement::s3_routing_disagreements;
