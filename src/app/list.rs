//! What the two list screens (the start screen and the Fleet screen) share: moving the
//! selection, and the keys that belong to a target's tabs and do nothing on a list.

use super::Action;

/// Moves `selected` among `count` rows for a movement key; false for any other action.
pub(super) fn moved(selected: &mut usize, count: usize, action: &Action) -> bool {
    let last = count.saturating_sub(1);
    *selected = match action {
        Action::Up => (*selected).min(last).saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::PageDown => (*selected + 10).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return false,
    };
    true
}

/// True for the keys of a target's tabs (switching tabs, copy, export, metrics, `:`, `t`),
/// which a list does not act on.
pub(super) fn tabs_only(action: &Action) -> bool {
    matches!(
        action,
        Action::NextTab
            | Action::PrevTab
            | Action::SelectTab(_)
            | Action::Copy
            | Action::Export
            | Action::CycleWindow
            | Action::CycleMetric
            | Action::ToggleAutoRefresh
            | Action::StartCommand
            | Action::OpenPicker
    )
}

/// What a key of a target's tabs says on a list, for the keys that act on a target (not
/// those that switch tabs, which say nothing).
pub(super) fn not_on_a_list(action: &Action) -> Option<String> {
    let key = match action {
        Action::Copy => "y",
        Action::Export => "e",
        Action::CycleWindow => "w",
        Action::CycleMetric => "m",
        Action::ToggleAutoRefresh => "a",
        _ => return None,
    };
    Some(format!("{key} works in a target's tabs: Enter opens one"))
}
