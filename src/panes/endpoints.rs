//! Tab 2: every endpoint, colored by state; details with DNS entries, ENIs, the 443 rules
//! of its security groups, its policy as the checks classify it, and its findings.

use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::spark::spark;
use super::{
    Col, Data, Listing, Pane, Row, View, field, findings_for, heading, probe_lines, tags_text,
};
use crate::checks::PolicyClass;
use crate::checks::endpoints::policy_diff::{DiffLine, against_reference, reference};
use crate::checks::network::gateway_limits::delete_blocked_by;
use crate::model::{DnsEntryKind, EndpointType, MetricName, Protocol, VpcEndpoint};
use crate::show::{clean, truncate};

/// The endpoints tab.
pub struct Endpoints;

fn azs(view: &View, e: &VpcEndpoint) -> String {
    let mut zones: Vec<&str> = e
        .subnet_ids
        .iter()
        .filter_map(|id| view.snapshot.subnets.iter().find(|s| &s.id == id))
        .map(|s| s.availability_zone.as_str())
        .collect();
    zones.sort();
    zones.dedup();
    zones
        .iter()
        .map(|z| z.rsplit('-').next().unwrap_or(z))
        .collect::<Vec<_>>()
        .join(",")
}

/// The ActiveConnections sparkline of an endpoint over the selected window.
pub fn connections(view: &View, e: &VpcEndpoint, width: usize) -> String {
    if e.endpoint_type == EndpointType::Gateway {
        return "n/a".into();
    }
    let m = &view.snapshot.metrics;
    match view.series(&e.id, MetricName::ActiveConnections) {
        Some(s) if s.points.is_empty() => "idle".into(),
        Some(s) => spark(&s.points, m.end - view.window_seconds, m.end, width),
        None => "-".into(),
    }
}

fn dns_entries<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    e.dns_entries
        .iter()
        .map(|d| {
            let kind = match d.kind() {
                DnsEntryKind::Private => Span::styled("private ", view.theme.accent),
                DnsEntryKind::Zonal => Span::styled("zonal   ", view.theme.muted),
                DnsEntryKind::Regional => Span::styled("regional", view.theme.muted),
            };
            Line::from(vec![
                Span::raw("  "),
                kind,
                Span::raw(format!(" {}", clean(&d.dns_name))),
            ])
        })
        .collect()
}

/// Each security group of the endpoint with the inbound rules that cover 443, marked by the
/// worst finding that rests on the group.
fn https_rules<'a>(view: &View<'a>, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for id in &e.security_group_ids {
        let Some(g) = view.snapshot.security_groups.iter().find(|g| &g.id == id) else {
            lines.push(Line::from(format!("  {id} (not found)")));
            continue;
        };
        let rules: Vec<String> = g
            .ingress
            .iter()
            .filter(|r| r.covers_https())
            .map(|r| {
                let from: Vec<String> = r
                    .group_ids
                    .iter()
                    .chain(&r.ipv4_ranges)
                    .chain(&r.ipv6_ranges)
                    .chain(&r.prefix_list_ids)
                    .cloned()
                    .collect();
                let what = match r.protocol {
                    Protocol::All => "all traffic".to_string(),
                    ref p => format!("{p} 443"),
                };
                format!("{what} from {}", from.join(", "))
            })
            .collect();
        let summary = if rules.is_empty() {
            "no inbound rule covers 443".to_string()
        } else {
            rules.join("; ")
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            view.verdict(id),
            Span::raw(format!(" {id} {} ", clean(&g.name))),
            Span::styled(summary, view.theme.muted),
        ]));
    }
    lines
}

/// The policy as the checks classify it, pretty-printed; its findings follow in "Findings".
fn policy<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let Some(text) = &e.policy_document else {
        return vec![Line::from("  (none: full access)")];
    };
    let (summary, style) = match view.index.policy_class(&e.id) {
        PolicyClass::Full => ("full access (the default policy)", view.theme.ok),
        PolicyClass::Custom => ("custom: see its findings below", view.theme.accent),
        PolicyClass::Invalid => ("invalid: see its findings below", view.theme.error),
        PolicyClass::None => ("none", view.theme.muted),
    };
    let pretty = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.clone());
    let mut lines = vec![Line::from(Span::styled(format!("  {summary}"), style))];
    let diff = reference_diff(view, e);
    if diff.is_empty() {
        lines.extend(
            pretty
                .lines()
                .map(|l| Line::from(Span::styled(format!("  {}", clean(l)), view.theme.muted))),
        );
    }
    lines.extend(diff);
    lines
}

/// The policy against the MWAA guide's reference (rules.md 61), as a diff (`-` the reference,
/// `+` this policy); empty when the policy is not JSON.
fn reference_diff<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let Some(diff) = against_reference(e, &view.snapshot.region) else {
        return Vec::new();
    };
    let (name, _) = reference(e, &view.snapshot.region);
    let heading = match diff.iter().all(|l| matches!(l, DiffLine::Same(_))) {
        true => format!("  Identical to {name}:"),
        false => format!("  Against {name} (- the example, + this policy):"),
    };
    let mut lines = vec![Line::from(Span::styled(heading, view.theme.muted))];
    lines.extend(diff.into_iter().map(|line| {
        let (mark, text, style) = match line {
            DiffLine::Same(t) => (' ', t, view.theme.muted),
            DiffLine::Added(t) => ('+', t, view.theme.ok),
            DiffLine::Removed(t) => ('-', t, view.theme.error),
        };
        Line::from(Span::styled(format!("  {mark}{}", clean(&text)), style))
    }));
    lines
}

fn endpoint_details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(e) = view.endpoint(id) else {
        return Vec::new();
    };
    let theme = view.theme;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(e.id.clone(), theme.title),
            Span::raw(format!("  {}", clean(&e.service_name))),
        ]),
        field("state", e.state.to_string(), theme),
        field("type", e.endpoint_type.to_string(), theme),
        field(
            "private DNS",
            if e.private_dns_enabled { "on" } else { "off" },
            theme,
        ),
        field(
            "IP type",
            e.ip_address_type.clone().unwrap_or_else(|| "-".into()),
            theme,
        ),
        field(
            "created",
            e.creation_timestamp.clone().unwrap_or_else(|| "-".into()),
            theme,
        ),
    ];
    if let Some(error) = &e.last_error {
        lines.push(field(
            "last error",
            format!(
                "{} {}",
                error.code.as_deref().unwrap_or(""),
                error.message.as_deref().unwrap_or("")
            ),
            theme,
        ));
    }
    if e.endpoint_type == EndpointType::Gateway {
        lines.push(field("route tables", e.route_table_ids.join(", "), theme));
        // Rules.md 17, shown on the S3 gateway's details only.
        if e.short_service_name() == "s3" {
            lines.push(Line::from(Span::styled(
                "You can't delete a gateway endpoint if private DNS is enabled.",
                theme.muted,
            )));
        }
    } else {
        lines.push(Line::default());
        lines.push(heading("DNS entries", theme));
        lines.extend(dns_entries(view, e));
        lines.push(heading("Network interfaces", theme));
        for eni in view.enis_of(e) {
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}",
                eni.id,
                eni.private_ip.as_deref().unwrap_or("-"),
                eni.availability_zone,
                eni.subnet_id
            )));
        }
        lines.push(heading("Security groups (TCP 443)", theme));
        lines.extend(https_rules(view, e));
    }
    lines.push(heading("Policy", theme));
    lines.extend(policy(view, e));
    let blockers = delete_blocked_by(view.snapshot, e);
    if !blockers.is_empty() {
        let ids: Vec<&str> = blockers.iter().map(|b| b.id.as_str()).collect();
        lines.push(Line::from(Span::styled(
            format!(
                "  Note: you can't delete this gateway endpoint while private DNS is enabled on {}.",
                ids.join(", ")
            ),
            theme.muted,
        )));
    }
    let published = view
        .audit
        .names
        .iter()
        .filter(|n| n.local_endpoint.as_deref() == Some(e.id.as_str()))
        .map(|n| n.published.as_str());
    for published in published {
        lines.extend(probe_lines(view, published));
    }
    lines.push(heading("Findings", theme));
    lines.extend(findings_for(view, &e.id));
    lines
}

impl Pane for Endpoints {
    fn title(&self) -> &'static str {
        "Endpoints"
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        data.snapshot
            .endpoints
            .iter()
            .map(|e| e.id.clone())
            .collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        data.index
            .endpoint(data.snapshot, id)
            .map_or_else(String::new, |e| {
                format!(
                    "{} {} {} {} {}",
                    e.id,
                    e.service_name,
                    e.endpoint_type,
                    e.state,
                    tags_text(&e.tags)
                )
            })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let rows = shown
            .iter()
            .filter_map(|r| view.endpoint(&r.id))
            .map(|e| {
                let state = view.theme.state(&e.state);
                let dns = match e.endpoint_type {
                    EndpointType::Gateway => "-",
                    _ if e.private_dns_enabled => "on",
                    _ => "off",
                };
                vec![
                    Cell::from(e.id.clone()),
                    Cell::from(truncate(e.short_service_name(), 18)),
                    Cell::from(
                        e.endpoint_type
                            .as_str()
                            .replace("GatewayLoadBalancer", "GWLB"),
                    ),
                    Cell::from(Span::styled(e.state.to_string(), state)),
                    Cell::from(Span::styled(
                        dns,
                        if dns == "off" {
                            view.theme.warn
                        } else {
                            view.theme.ok
                        },
                    )),
                    Cell::from(azs(view, e)),
                    Cell::from(e.security_group_ids.len().to_string()),
                    Cell::from(view.index.policy_class(&e.id).as_str()),
                    Cell::from(Span::styled(connections(view, e, 12), view.theme.accent)),
                ]
            })
            .collect();
        Listing {
            header: vec![
                "ENDPOINT",
                "SERVICE",
                "TYPE",
                "STATE",
                "DNS",
                "AZS",
                "SGS",
                "POLICY",
                "CONNECTIONS",
            ],
            rows,
            widths: vec![
                Col(22, 22),
                Col(18, 10),
                Col(9, 6),
                Col(17, 9),
                Col(3, 3),
                Col(5, 5),
                Col(3, 3),
                Col(6, 4),
                Col(12, 4),
            ],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        endpoint_details(view, id)
    }
}
