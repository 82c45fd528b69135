//! Renderers over a snapshot and its audit.

pub mod diff;
pub mod fleet;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod probe_text;
pub mod rule_table;
pub mod sarif;
pub mod table;
pub mod text;
