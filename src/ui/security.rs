//! Tab 4: security groups and network ACLs, workload and endpoint ones first, with the
//! rules that matter for 443 and the ones that block it highlighted.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{Col, Listing, View, field, findings_for, heading};
use crate::app::rows;
use crate::checks::Status;
use crate::model::{NaclEntry, SgRule};
use crate::report::table::truncate;

fn role(view: &View, id: &str) -> &'static str {
    let s = view.snapshot;
    if s.workload.security_group_ids.iter().any(|g| g == id) {
        "workload"
    } else if s
        .endpoints
        .iter()
        .any(|e| e.security_group_ids.iter().any(|g| g == id))
    {
        "endpoints"
    } else if let Some(acl) = s.network_acls.iter().find(|a| a.id == id) {
        if acl
            .associations
            .iter()
            .any(|a| s.workload.subnet_ids.contains(&a.subnet_id))
        {
            "workload"
        } else {
            ""
        }
    } else {
        ""
    }
}

/// The worst status of the findings naming a resource.
fn worst(view: &View, id: &str) -> Option<Status> {
    let found: Vec<Status> = view
        .audit
        .findings
        .iter()
        .filter(|f| f.resources.iter().any(|r| r == id))
        .map(|f| f.status)
        .collect();
    [Status::Fail, Status::Warn]
        .into_iter()
        .find(|s| found.contains(s))
}

fn sg_rule(rule: &SgRule) -> String {
    let ports = match (rule.protocol.as_str(), rule.from_port, rule.to_port) {
        ("-1", ..) => "all traffic".to_string(),
        (p, Some(a), Some(b)) if a == b => format!("{p} {a}"),
        (p, Some(a), Some(b)) => format!("{p} {a}-{b}"),
        (p, ..) => p.to_string(),
    };
    let peers: Vec<String> = rule
        .group_ids
        .iter()
        .chain(&rule.ipv4_ranges)
        .chain(&rule.ipv6_ranges)
        .chain(&rule.prefix_list_ids)
        .cloned()
        .collect();
    format!("{ports}  {}", peers.join(", "))
}

fn nacl_entry(e: &NaclEntry) -> String {
    let protocol = match e.protocol.as_str() {
        "-1" => "all".to_string(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        other => other.to_string(),
    };
    let ports = e
        .port_range
        .map(|(a, b)| {
            if a == b {
                format!(" {a}")
            } else {
                format!(" {a}-{b}")
            }
        })
        .unwrap_or_default();
    let number = if e.rule_number == 32767 {
        "*".to_string()
    } else {
        e.rule_number.to_string()
    };
    format!(
        "{number:>5}  {:<5} {protocol}{ports}  {}",
        e.rule_action,
        e.cidr_block
            .as_deref()
            .or(e.ipv6_cidr_block.as_deref())
            .unwrap_or("?")
    )
}

fn blocks_https(e: &NaclEntry) -> bool {
    e.rule_action == "deny"
        && e.rule_number != 32767
        && (e.protocol == "-1"
            || (e.protocol == "6" && e.port_range.is_none_or(|(a, b)| a <= 443 && 443 <= b)))
}

/// The table of the rows in `shown` (the part of `View::rows` on screen).
pub fn listing<'a>(view: &View<'a>, shown: &[rows::Row]) -> Listing<'a> {
    let rows = shown
        .iter()
        .filter_map(|r| {
            let status = worst(view, &r.id);
            let style = status.map_or(view.theme.ok, |s| view.theme.status(s));
            let mark = Span::styled(status.map_or("✔", |s| crate::report::text::icon(s)), style);
            if let Some(g) = view.snapshot.security_groups.iter().find(|g| g.id == r.id) {
                let https = g.ingress.iter().any(SgRule::covers_https);
                return Some(Row::new(vec![
                    Cell::from(mark),
                    Cell::from("SG"),
                    Cell::from(g.id.clone()),
                    Cell::from(truncate(&g.name, 22)),
                    Cell::from(role(view, &g.id)),
                    Cell::from(format!("{} in / {} out", g.ingress.len(), g.egress.len())),
                    Cell::from(Span::styled(
                        if https { "443 in" } else { "no 443 in" },
                        if https {
                            view.theme.ok
                        } else {
                            view.theme.muted
                        },
                    )),
                ]));
            }
            let a = view.snapshot.network_acls.iter().find(|a| a.id == r.id)?;
            Some(Row::new(vec![
                Cell::from(mark),
                Cell::from("ACL"),
                Cell::from(a.id.clone()),
                Cell::from(if a.is_default { "default" } else { "" }),
                Cell::from(role(view, &a.id)),
                Cell::from(format!("{} entries", a.entries.len())),
                Cell::from(format!("{} subnets", a.associations.len())),
            ]))
        })
        .collect();
    Listing {
        header: vec!["", "KIND", "ID", "NAME", "ROLE", "RULES", "HTTPS"],
        rows,
        widths: vec![
            Col(1, 1),
            Col(4, 4),
            Col(21, 21),
            Col(18, 10),
            Col(9, 9),
            Col(13, 8),
            Col(10, 9),
        ],
    }
}

pub fn details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let theme = view.theme;
    let mut lines = Vec::new();
    if let Some(g) = view.snapshot.security_groups.iter().find(|g| g.id == id) {
        lines.push(Line::from(Span::styled(
            format!("{}  {}", g.id, g.name),
            theme.title,
        )));
        lines.push(field("role", role(view, id), theme));
        lines.push(field(
            "description",
            g.description.clone().unwrap_or_default(),
            theme,
        ));
        for (title, rules) in [("Inbound", &g.ingress), ("Outbound", &g.egress)] {
            lines.push(heading(title, theme));
            if rules.is_empty() {
                lines.push(Line::from(Span::styled("  (none)", theme.muted)));
            }
            for rule in rules.iter() {
                let style = if rule.covers_https() {
                    theme.accent
                } else {
                    theme.muted
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", sg_rule(rule)),
                    style,
                )));
            }
        }
    } else if let Some(a) = view.snapshot.network_acls.iter().find(|a| a.id == id) {
        lines.push(Line::from(Span::styled(a.id.clone(), theme.title)));
        lines.push(field(
            "subnets",
            a.associations
                .iter()
                .map(|s| s.subnet_id.clone())
                .collect::<Vec<_>>()
                .join(", "),
            theme,
        ));
        for (title, egress) in [
            ("Inbound (first match wins)", false),
            ("Outbound (first match wins)", true),
        ] {
            lines.push(heading(title, theme));
            let mut entries: Vec<&NaclEntry> =
                a.entries.iter().filter(|e| e.egress == egress).collect();
            entries.sort_by_key(|e| e.rule_number);
            for e in entries {
                let style = if blocks_https(e) {
                    theme.error
                } else if e.rule_action == "allow" {
                    theme.ok
                } else {
                    theme.muted
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", nacl_entry(e)),
                    style,
                )));
            }
        }
    }
    lines.push(heading("Findings", theme));
    lines.extend(findings_for(view, id));
    lines
}
