//! Tab 2: every endpoint, colored by state, with the audit's verdict on it; then the
//! endpoints of other VPCs the snapshot holds (a hub's, behind a private zone's records, and
//! those of services this VPC lacks), marked as such. Details with DNS entries, ENIs, the 443
//! rules of its security groups, its policy as the checks classify it, and its findings.

use ratatui::text::{Line, Span};

use super::spark::spark;
use super::{
    Col, Data, Listing, Pane, Place, Row, View, field, findings_for, heading, probe_lines,
    tags_text,
};
use crate::checks::PolicyClass;
use crate::checks::endpoints::policy_diff::{DiffLine, against_reference, reference};
use crate::checks::network::gateway_limits::delete_blocked_by;
use crate::model::{DnsEntryKind, EndpointType, MetricName, Protocol, Source, VpcEndpoint};
use crate::show::clean;

/// The endpoints tab.
pub struct Endpoints;

/// Where an endpoint is, for the table: its Availability Zones in this VPC, else which
/// other VPC holds it.
fn place_words(place: Option<Place>) -> Option<&'static str> {
    match place {
        Some(Place::Here) | None => None,
        Some(Place::Hub) => Some("hub VPC"),
        Some(Place::Elsewhere) => Some("other VPC"),
    }
}

fn azs(view: &View, e: &VpcEndpoint) -> String {
    if let Some(words) = place_words(view.index.place(&e.id)) {
        return words.into();
    }
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

/// The endpoint type in a word of at most four letters (the details spell it out).
fn type_word(kind: &EndpointType) -> String {
    match kind {
        EndpointType::Interface => "intf".into(),
        EndpointType::Gateway => "gw".into(),
        EndpointType::GatewayLoadBalancer => "gwlb".into(),
        EndpointType::Other(other) => other.clone(),
    }
}

/// The ActiveConnections sparkline of an endpoint over the selected window.
pub fn connections(view: &View, e: &VpcEndpoint, width: usize) -> String {
    if e.endpoint_type == EndpointType::Gateway {
        return "n/a".into();
    }
    if view.index.place(&e.id) != Some(Place::Here) {
        return "not read".into();
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

/// The policy against the MWAA guide's reference (*Security in your VPC on Amazon MWAA › VPC
/// endpoint policies (private routing only)*), as a diff (`-` the reference, `+` this policy);
/// empty when the policy is not JSON.
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
    let mut lines = vec![Line::from(vec![
        Span::styled(e.id.clone(), theme.title),
        Span::raw(format!("  {}", clean(&e.service_name))),
    ])];
    lines.extend(facts(view, e));
    lines.extend(network(view, e));
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

/// Where the endpoint is (when not in this VPC), its state, type, private DNS, IP type,
/// creation and last error.
fn facts<'a>(view: &View, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let theme = view.theme;
    let mut lines = Vec::new();
    match view.index.place(&e.id) {
        Some(Place::Hub) => lines.push(field(
            "VPC",
            format!(
                "{}, another VPC: a private zone's record points at this endpoint",
                e.vpc_id
            ),
            theme,
        )),
        Some(Place::Elsewhere) => lines.push(field(
            "VPC",
            format!(
                "{}, another VPC of the account: not usable from this one",
                e.vpc_id
            ),
            theme,
        )),
        _ => {}
    }
    lines.extend([
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
    ]);
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
    lines
}

/// A gateway endpoint's route tables; an interface endpoint's DNS entries, and, in this VPC,
/// its network interfaces and the 443 rules of its security groups.
fn network<'a>(view: &View<'a>, e: &VpcEndpoint) -> Vec<Line<'a>> {
    let theme = view.theme;
    let mut lines = Vec::new();
    if e.endpoint_type == EndpointType::Gateway {
        lines.push(field("route tables", e.route_table_ids.join(", "), theme));
        // Gateway endpoints for Amazon S3 › Delete a gateway endpoint: on the S3 gateway only.
        if e.short_service_name() == "s3" {
            lines.push(Line::from(Span::styled(
                "You can't delete a gateway endpoint if private DNS is enabled.",
                theme.muted,
            )));
        }
        return lines;
    }
    lines.push(Line::default());
    lines.push(heading("DNS entries", theme));
    lines.extend(dns_entries(view, e));
    if view.index.place(&e.id) != Some(Place::Here) {
        lines.push(Line::styled(
            format!(
                "Its network interfaces, security groups and metrics are {}'s: linkscope \
                 does not read them.",
                e.vpc_id
            ),
            theme.muted,
        ));
        return lines;
    }
    lines.push(heading("Network interfaces", theme));
    for unread in view.unread(&[Source::NetworkInterfaces]) {
        lines.push(Line::styled(
            format!("  could not read {unread}"),
            theme.error,
        ));
    }
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
    lines
}

impl Pane for Endpoints {
    fn title(&self) -> &'static str {
        "Endpoints"
    }

    fn short_title(&self) -> &'static str {
        "Endp"
    }

    fn sources(&self) -> &'static [Source] {
        &[
            Source::VpcEndpoints,
            Source::HubEndpoints,
            Source::EndpointsElsewhere,
        ]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        data.index.endpoint_ids().to_vec()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        data.index
            .endpoint(data.snapshot, id)
            .map_or_else(String::new, |e| {
                format!(
                    "{} {} {} {} {} {} {}",
                    e.id,
                    e.service_name,
                    e.endpoint_type,
                    e.state,
                    e.vpc_id,
                    place_words(data.index.place(id)).unwrap_or_default(),
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
                let here = view.index.place(&e.id) == Some(Place::Here);
                vec![
                    Line::from(e.id.clone()),
                    Line::from(e.short_service_name().to_string()),
                    view.verdict_cell(&e.id),
                    Line::styled(e.state.to_string(), state),
                    Line::styled(
                        dns,
                        if dns == "off" {
                            view.theme.warn
                        } else {
                            view.theme.ok
                        },
                    ),
                    match here {
                        true => Line::from(azs(view, e)),
                        false => Line::styled(azs(view, e), view.theme.accent),
                    },
                    Line::from(type_word(&e.endpoint_type)),
                    Line::from(e.security_group_ids.len().to_string()),
                    Line::from(view.index.policy_class(&e.id).as_str()),
                    Line::styled(connections(view, e, 10), view.theme.accent),
                ]
            })
            .collect();
        // Narrow terminals shrink the verdict last and drop the columns from the right.
        Listing {
            header: vec![
                "ENDPOINT", "SERVICE", "VERDICT", "STATE", "DNS", "AZS", "TYPE", "SGS", "POLICY",
                "ACTIVE",
            ],
            rows,
            widths: vec![
                Col(22, 22),
                Col(12, 6),
                Col(21, 14),
                Col(17, 9),
                Col(3, 3),
                Col(9, 5),
                Col(4, 4),
                Col(3, 3),
                Col(6, 4),
                Col(10, 10),
            ],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        endpoint_details(view, id)
    }
}
