//! Tab 2: every endpoint, colored by state; details with DNS entries, ENIs, the 443 rules
//! of its security groups, its policy with risky statements highlighted, and its findings.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::spark::spark;
use super::{Col, Listing, View, field, findings_for, heading};
use crate::app::rows;
use crate::checks::policy::{Principal, parse};
use crate::model::{EndpointType, MetricName, VpcEndpoint};
use crate::report::table::truncate;

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

/// The policy's class, as the audit found it (parsing every policy each frame would be slow).
fn policy_kind(view: &View, e: &VpcEndpoint) -> &'static str {
    match (&e.policy_document, view.policy_class(&e.id)) {
        (None, _) => "-",
        (Some(_), Some(class)) => class,
        (Some(_), None) => "full",
    }
}

/// The ActiveConnections sparkline of an endpoint over the selected window.
pub fn connections(view: &View, e: &VpcEndpoint, width: usize) -> String {
    if e.endpoint_type == EndpointType::Gateway {
        return "n/a".into();
    }
    let m = &view.snapshot.metrics;
    match view.series(&e.id, MetricName::ActiveConnections) {
        Some(s) if s.points.is_empty() => "idle".into(),
        Some(s) => spark(&s.points, m.end - view.app.window.seconds(), m.end, width),
        None => "-".into(),
    }
}

/// The table of the rows in `shown` (the part of `View::rows` on screen).
pub fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
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
            Row::new(vec![
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
                Cell::from(policy_kind(view, e)),
                Cell::from(Span::styled(connections(view, e, 12), view.theme.accent)),
            ])
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

fn dns_entries<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let zones: Vec<&str> = view
        .snapshot
        .subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .collect();
    e.dns_entries
        .iter()
        .map(|d| {
            let kind = if !d.dns_name.contains(".vpce.") {
                Span::styled("private ", view.theme.accent)
            } else if zones.iter().any(|z| d.dns_name.contains(&format!("-{z}."))) {
                Span::styled("zonal   ", view.theme.muted)
            } else {
                Span::styled("regional", view.theme.muted)
            };
            Line::from(vec![
                Span::raw("  "),
                kind,
                Span::raw(format!(" {}", d.dns_name)),
            ])
        })
        .collect()
}

fn https_rules<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for id in &e.security_group_ids {
        let Some(g) = view.snapshot.security_groups.iter().find(|g| &g.id == id) else {
            lines.push(Line::from(format!("  {id} (not found)")));
            continue;
        };
        let rules: Vec<String> = g
            .ingress
            .iter()
            .filter(|r| {
                r.protocol == "-1"
                    || ((r.protocol == "tcp" || r.protocol == "6")
                        && r.from_port.unwrap_or(0) <= 443
                        && 443 <= r.to_port.unwrap_or(65535))
            })
            .map(|r| {
                let from: Vec<String> = r
                    .group_ids
                    .iter()
                    .chain(&r.ipv4_ranges)
                    .chain(&r.prefix_list_ids)
                    .cloned()
                    .collect();
                format!(
                    "{} from {}",
                    if r.protocol == "-1" {
                        "all traffic"
                    } else {
                        "tcp 443"
                    },
                    from.join(", ")
                )
            })
            .collect();
        let style = if rules.is_empty() {
            view.theme.error
        } else {
            view.theme.ok
        };
        let summary = if rules.is_empty() {
            "no inbound rule covers 443".to_string()
        } else {
            rules.join("; ")
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {id} {} ", g.name)),
            Span::styled(summary, style),
        ]));
    }
    lines
}

fn policy<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let Some(text) = &e.policy_document else {
        return vec![Line::from("  (none: full access)")];
    };
    let parsed = parse(text);
    let pretty = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.clone());
    let risky = |statement: &crate::checks::policy::Statement| {
        !statement.allow
            || statement.principal != Principal::Anyone
            || statement.actions.negated
            || statement.resources.negated
            || statement
                .condition_keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case("aws:SourceIp"))
    };
    let any_risky = parsed
        .as_ref()
        .map(|p| p.statements.iter().any(risky))
        .unwrap_or(true);
    let mut lines: Vec<Line> = match &parsed {
        Ok(p) if p.is_full_access() => vec![Line::from(Span::styled(
            "  full access (the default policy)",
            view.theme.ok,
        ))],
        Ok(_) if any_risky => vec![Line::from(Span::styled(
            "  custom, with statements to review (highlighted)",
            view.theme.warn,
        ))],
        Ok(_) => vec![Line::from(Span::styled("  custom", view.theme.accent))],
        Err(why) => vec![Line::from(Span::styled(
            format!("  invalid: {why}"),
            view.theme.error,
        ))],
    };
    // Highlight the lines of risky statements: Deny, named principals, Not*, aws:SourceIp.
    let markers = [
        "\"Deny\"",
        "NotAction",
        "NotResource",
        "NotPrincipal",
        "\"AWS\"",
        "aws:SourceIp",
    ];
    lines.extend(pretty.lines().map(|l| {
        let style = if markers.iter().any(|m| l.contains(m)) {
            view.theme.warn
        } else {
            view.theme.muted
        };
        Line::from(Span::styled(format!("  {l}"), style))
    }));
    lines
}

pub fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let Some(e) = view.endpoint(id) else {
        return Vec::new();
    };
    let theme = view.theme;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(e.id.clone(), theme.title),
            Span::raw(format!("  {}", e.service_name)),
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
        lines.push(Line::from(Span::styled(
            "You can't delete a gateway endpoint if private DNS is enabled.",
            theme.muted,
        )));
    } else {
        lines.push(Line::default());
        lines.push(heading("DNS entries", theme));
        lines.extend(dns_entries(view, e));
        lines.push(heading("Network interfaces", theme));
        for eni in view
            .snapshot
            .endpoint_enis
            .iter()
            .filter(|n| e.network_interface_ids.contains(&n.id))
        {
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
    lines.push(heading("Findings", theme));
    lines.extend(findings_for(view, &e.id));
    lines
}
