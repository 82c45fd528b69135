//! Tab 3: route tables with their subnets (the main table's implicit ones shown), routes
//! with prefix lists resolved to service names, and the S3 routing verdict of each
//! workload subnet as the checklist found it.

use ratatui::text::{Line, Span};

use super::{Col, Data, Listing, Pane, Row, View, field, heading, tags_text};
use crate::checks::{ChecklistItem, Finding};
use crate::model::{EndpointType, Route, RouteTable, Source};
use crate::show::{clean, icon};

/// The route tables tab.
pub struct Routes;

fn table<'a>(snapshot: &'a crate::model::Snapshot, id: &str) -> Option<&'a RouteTable> {
    snapshot.route_tables.iter().find(|t| t.id == id)
}

/// Subnets using a table, as the audit resolved each subnet's table: explicit associations,
/// then the subnets that use the main table implicitly.
fn subnets<'a>(view: &View<'a>, t: &RouteTable) -> (Vec<&'a str>, Vec<&'a str>) {
    let using = |explicit: bool| -> Vec<&'a str> {
        view.audit
            .subnet_tables
            .iter()
            .filter(|(_, s)| s.table_id == t.id && s.explicit == explicit)
            .map(|(subnet, _)| subnet.as_str())
            .collect()
    };
    (using(true), using(false))
}

/// The checklist's S3 route rows of the workload subnets that use this table and have a
/// problem.
fn lacking_s3<'a>(view: &View<'a>, t: &RouteTable) -> Vec<&'a Finding> {
    view.audit
        .checklist()
        .filter(|f| {
            matches!(f.checklist, Some(ChecklistItem::S3Route(_)))
                && f.status.is_problem()
                && f.involves(&t.id)
        })
        .collect()
}

/// True when an S3 gateway endpoint lists this table (a fact of the snapshot).
fn has_s3_gateway(view: &View, t: &RouteTable) -> bool {
    view.snapshot.endpoints.iter().any(|e| {
        e.endpoint_type == EndpointType::Gateway
            && e.short_service_name() == "s3"
            && e.route_table_ids.contains(&t.id)
    })
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

fn table_details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(t) = table(view.snapshot, id) else {
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
                    .map(|n| format!("  {}", clean(n)))
                    .unwrap_or_default()
            ),
            theme.title,
        )),
        field("main table", if t.is_main() { "yes" } else { "no" }, theme),
        Line::default(),
        heading("Subnets", theme),
    ];
    let workload = &view.audit.workload.subnet_ids;
    for (subnet, how) in explicit
        .iter()
        .map(|s| (*s, "explicit"))
        .chain(implicit.iter().map(|s| (*s, "implicit (main)")))
    {
        let row = lacking.iter().find(|f| f.subject.id == subnet);
        let mark = if let Some(row) = row {
            Span::styled(
                format!("  {} S3 route {}", icon(row.status), row.status),
                theme.status(row.status),
            )
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
        let state = r
            .state
            .as_ref()
            .map_or("active", |s| s.as_str())
            .to_string();
        let style = if r.is_blackhole() {
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
            Span::styled(state, style),
        ]));
    }
    lines
}

impl Pane for Routes {
    fn title(&self) -> &'static str {
        "Routes"
    }

    fn short_title(&self) -> &'static str {
        "Rte"
    }

    fn sources(&self) -> &'static [Source] {
        &[Source::RouteTables, Source::Subnets, Source::PrefixLists]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        data.snapshot
            .route_tables
            .iter()
            .map(|t| t.id.clone())
            .collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        table(data.snapshot, id).map_or_else(String::new, |t| {
            let subnets: Vec<&str> = t
                .associations
                .iter()
                .filter_map(|a| a.subnet_id.as_deref())
                .collect();
            format!("{} {} {}", t.id, subnets.join(" "), tags_text(&t.tags))
        })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let rows = shown
            .iter()
            .filter_map(|r| table(view.snapshot, &r.id))
            .map(|t| {
                let (explicit, implicit) = subnets(view, t);
                let lacking = lacking_s3(view, t);
                let s3_cell = if let Some(worst) =
                    lacking.iter().map(|f| f.status).max_by_key(|s| s.rank())
                {
                    Span::styled(
                        format!(
                            "{} {} workload subnet(s) lack it",
                            icon(worst),
                            lacking.len()
                        ),
                        view.theme.status(worst),
                    )
                } else if has_s3_gateway(view, t) {
                    let verdict = view.verdict(&t.id);
                    Span::styled(format!("{} S3 gateway", verdict.content), verdict.style)
                } else {
                    Span::styled("-", view.theme.muted)
                };
                vec![
                    Line::from(t.id.clone()),
                    Line::from(clean(t.tags.get("Name").map_or("", String::as_str)).into_owned()),
                    Line::from(if t.is_main() { "main" } else { "" }),
                    Line::from(format!(
                        "{}{}",
                        explicit.len(),
                        if implicit.is_empty() {
                            String::new()
                        } else {
                            format!(" +{} implicit", implicit.len())
                        }
                    )),
                    Line::from(t.routes.len().to_string()),
                    Line::from(s3_cell),
                ]
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

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        table_details(view, id)
    }
}
