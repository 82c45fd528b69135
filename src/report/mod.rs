//! Renderers over a snapshot.

pub mod inventory;
mod table;
