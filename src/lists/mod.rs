//! The rows of the two list screens that are not tabs: the start screen's environments and
//! VPCs ([`picker`]) and the Fleet screen's targets ([`fleet`]), each as the filter leaves
//! them. Pure: `app` keeps the selection and `ui` draws them.

pub mod fleet;
pub mod picker;
