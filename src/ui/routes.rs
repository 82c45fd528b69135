//! Tab 3: route tables with their subnets (the main table's implicit ones shown), routes
//! with prefix lists resolved to service names, and workload subnets lacking the S3 route.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{Col, Listing, View, field, heading};
use crate::app::rows;
use crate::checks::Status;
use crate::model::{Route, RouteTable};
use crate::report::table::truncate;

fn table<'a>(view: &View<'a>, id: &str) -> Option<&'a RouteTable> {
    view.snapshot.route_tables.iter().find(|t| t.id == id)
}

/// Subnets using a table: explicit associations, plus every unassociated subnet for the main table.
fn subnets<'a>(view: &View<'a>, t: &RouteTable) -> (Vec<&'a str>, Vec<&'a str>) {
    let explicit: Vec<&str> = view
        .snapshot
        .subnets
        .iter()
        .filter(|s| {
            t.associations
                .iter()
                .any(|a| a.subnet_id.as_deref() == Some(s.id.as_str()))
        })
        .map(|s| s.id.as_str())
        .collect();
    let implicit = if t.is_main() {
        view.snapshot
            .subnets
            .iter()
            .filter(|s| {
                !view.snapshot.route_tables.iter().any(|o| {
                    o.associations
                        .iter()
                        .any(|a| a.subnet_id.as_deref() == Some(s.id.as_str()))
                })
            })
            .map(|s| s.id.as_str())
            .collect()
    } else {
        Vec::new()
    };
    (explicit, implicit)
}

/// Workload subnets whose S3 route check fails on this table.
fn lacking_s3<'a>(view: &View<'a>, t: &RouteTable) -> Vec<&'a str> {
    view.audit
        .checklist()
        .filter(|f| {
            f.id.starts_with("mwaa.s3-route.")
                && f.status == Status::Fail
                && f.resources.iter().any(|r| r == &t.id)
        })
        .filter_map(|f| f.resources.first().map(String::as_str))
        .collect()
}

fn destination(view: &View, r: &Route) -> String {
    match &r.destination_prefix_list_id {
        Some(pl) => match view.snapshot.prefix_lists.iter().find(|p| &p.id == pl) {
            Some(list) => format!("{pl} ({})", list.name),
            None => pl.clone(),
        },
        None => r
            .destination_cidr
            .clone()
            .or_else(|| r.destination_ipv6_cidr.clone())
            .unwrap_or_else(|| "?".into()),
    }
}

/// The table of the rows in `shown` (the part of `View::rows` on screen).
pub fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
    let rows = shown
        .iter()
        .filter_map(|r| table(view, &r.id))
        .map(|t| {
            let (explicit, implicit) = subnets(view, t);
            let lacking = lacking_s3(view, t);
            let s3 = t.routes.iter().any(|r| {
                r.target.as_deref().is_some_and(|x| x.starts_with("vpce-"))
                    && r.destination_prefix_list_id.is_some()
            });
            let s3_cell = if !lacking.is_empty() {
                Span::styled(
                    format!("✘ {} workload subnet(s) lack it", lacking.len()),
                    view.theme.error,
                )
            } else if s3 {
                Span::styled("✔ S3 gateway", view.theme.ok)
            } else {
                Span::styled("-", view.theme.muted)
            };
            Row::new(vec![
                Cell::from(t.id.clone()),
                Cell::from(truncate(t.tags.get("Name").map_or("", String::as_str), 20)),
                Cell::from(if t.is_main() { "main" } else { "" }),
                Cell::from(format!(
                    "{}{}",
                    explicit.len(),
                    if implicit.is_empty() {
                        String::new()
                    } else {
                        format!(" +{} implicit", implicit.len())
                    }
                )),
                Cell::from(t.routes.len().to_string()),
                Cell::from(s3_cell),
            ])
        })
        .collect();
    Listing {
        header: vec![
            "ROUTE TABLE",
            "NAME",
            "MAIN",
            "SUBNETS",
            "ROUTES",
            "S3 ROUTE",
        ],
        rows,
        widths: vec![
            Col(21, 21),
            Col(18, 10),
            Col(4, 4),
            Col(14, 8),
            Col(6, 6),
            Col(30, 12),
        ],
    }
}

pub fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(t) = table(view, id) else {
        return Vec::new();
    };
    let theme = view.theme;
    let (explicit, implicit) = subnets(view, t);
    let lacking = lacking_s3(view, t);
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{}{}",
                t.id,
                t.tags
                    .get("Name")
                    .map(|n| format!("  {n}"))
                    .unwrap_or_default()
            ),
            theme.title,
        )),
        field("main table", if t.is_main() { "yes" } else { "no" }, theme),
        Line::default(),
        heading("Subnets", theme),
    ];
    let workload = &view.snapshot.workload.subnet_ids;
    for (subnet, how) in explicit
        .iter()
        .map(|s| (*s, "explicit"))
        .chain(implicit.iter().map(|s| (*s, "implicit (main)")))
    {
        let mark = if lacking.contains(&subnet) {
            Span::styled("  ✘ no S3 gateway route", theme.error)
        } else if workload.iter().any(|w| w == subnet) {
            Span::styled("  workload", theme.accent)
        } else {
            Span::raw("")
        };
        let az = view
            .snapshot
            .subnets
            .iter()
            .find(|s| s.id == subnet)
            .map_or("", |s| s.availability_zone.as_str());
        lines.push(Line::from(vec![
            Span::raw(format!("  {subnet}  {az}  {how}")),
            mark,
        ]));
    }
    lines.push(heading("Routes", theme));
    for r in &t.routes {
        let state = r.state.as_deref().unwrap_or("active");
        let style = if state == "blackhole" {
            theme.error
        } else {
            theme.muted
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {} → {}  ",
                destination(view, r),
                r.target.as_deref().unwrap_or("?")
            )),
            Span::styled(state.to_string(), style),
        ]));
    }
    lines
}
