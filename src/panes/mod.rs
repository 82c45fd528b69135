//! The dashboard's panes, one file each: the rows a tab lists (which `app` selects and
//! filters) and how it draws them (which `ui` lays out next to the header and footer).
//! A new tab is one file here and one line in [`PANES`].

pub mod changes;
pub mod checklist;
pub mod cut;
pub mod dns;
pub mod endpoints;
mod index;
pub mod metrics;
pub mod routes;
pub mod security;
pub mod spark;
pub mod theme;
mod view;

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::checks::Audit;
use crate::model::{Snapshot, Source};

pub use index::{Index, Place};
pub use theme::Theme;
pub use view::{Col, Listing, View, docs, field, findings_for, heading, probe_lines};

/// What a pane lists rows from: the snapshot, its audit, and the lookups built once per snapshot.
#[derive(Clone, Copy)]
pub struct Data<'a> {
    /// The snapshot on screen.
    pub snapshot: &'a Snapshot,
    /// Its audit.
    pub audit: &'a Audit,
    /// Lookups by id.
    pub index: &'a Index,
    /// With `--baseline`, the row ids that changed since the baseline.
    pub changed: Option<&'a BTreeSet<String>>,
}

/// The filter that shows only the rows changed since the baseline.
pub const CHANGED_FILTER: &str = ":changed";

/// One selectable row: a stable id, kept across refreshes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's id (a resource id, or a finding key on the checklist).
    pub id: String,
}

/// One tab of the dashboard.
pub trait Pane: Sync {
    /// The tab's title.
    fn title(&self) -> &'static str;

    /// The tab's title in at most five columns, for narrow tab bars.
    fn short_title(&self) -> &'static str;

    /// The sources the rows are listed from: when one failed, the tab's body says so
    /// instead of passing an empty or short list for the whole truth.
    fn sources(&self) -> &'static [Source];

    /// Every row's id, unfiltered, in display order.
    fn row_ids(&self, data: &Data) -> Vec<String>;

    /// The text `/` filters a row on. Made only while a filter is set: on a big VPC,
    /// formatting text nobody searches was most of a frame.
    fn search_text(&self, data: &Data, id: &str) -> String;

    /// The table of the rows in `shown` (the part of the visible rows on screen).
    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a>;

    /// The details of one row.
    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>>;

    /// The text `y` copies for a row: its id, unless the pane knows better (a fix).
    fn copy_text(&self, _data: &Data, id: &str) -> String {
        id.to_string()
    }

    /// A line above the table (the checklist shows the environment's last error).
    fn banner<'a>(&self, _view: &View<'a>) -> Option<Line<'a>> {
        None
    }

    /// Draws something else than the details beside the table (the metrics chart); returns
    /// false to get the details.
    fn side(&self, _view: &View, _frame: &mut Frame, _area: Rect, _id: &str) -> bool {
        false
    }
}

/// The tabs, in order.
pub static PANES: [&dyn Pane; 7] = [
    &checklist::Checklist,
    &endpoints::Endpoints,
    &routes::Routes,
    &security::Security,
    &metrics::Metrics,
    &dns::Dns,
    &changes::Changes,
];

/// The rows of `pane` whose text contains `filter` (case-insensitive); all when it is empty;
/// with [`CHANGED_FILTER`], the rows changed since the baseline.
pub fn visible(pane: &dyn Pane, data: &Data, filter: &str) -> Vec<Row> {
    let needle = filter.to_lowercase();
    let changed_only = needle.trim() == CHANGED_FILTER;
    pane.row_ids(data)
        .into_iter()
        .filter(|id| match changed_only {
            true => data.changed.is_some_and(|changed| changed.contains(id)),
            false => {
                needle.is_empty() || pane.search_text(data, id).to_lowercase().contains(&needle)
            }
        })
        .map(|id| Row { id })
        .collect()
}

/// Tags as `key=value` words, for search text.
pub fn tags_text(tags: &crate::model::Tags) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
