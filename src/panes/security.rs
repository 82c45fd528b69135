//! Tab 4: security groups and network ACLs, with the rules that matter for 443 and the
//! network ACL entries the checks found blocking highlighted; after the VPC's own, those of
//! the hub VPCs its names lead to, whose verdict is the way there.

use ratatui::text::{Line, Span};

use super::{Col, Data, Listing, Pane, Row, View, field, findings_for, heading, tags_text};
use crate::checks::Evidence;
use crate::model::{NaclEntry, NetworkAcl, RuleAction, SecurityGroup, Snapshot, Source};
use crate::show::{clean, icon};

/// The security groups and network ACLs tab.
pub struct Security;

/// A security group of the VPC, or of a hub endpoint the names lead to.
fn group<'a>(snapshot: &'a Snapshot, id: &str) -> Option<&'a SecurityGroup> {
    snapshot
        .security_groups
        .iter()
        .chain(&snapshot.transit.hub_security_groups)
        .find(|g| g.id == id)
}

/// A network ACL of the VPC, or of a hub VPC.
fn acl<'a>(snapshot: &'a Snapshot, id: &str) -> Option<&'a NetworkAcl> {
    snapshot
        .network_acls
        .iter()
        .chain(&snapshot.transit.hub_network_acls)
        .find(|a| a.id == id)
}

/// True for a group or ACL of a hub VPC.
fn in_hub(snapshot: &Snapshot, id: &str) -> bool {
    let transit = &snapshot.transit;
    transit.hub_security_groups.iter().any(|g| g.id == id)
        || transit.hub_network_acls.iter().any(|a| a.id == id)
}

fn role(view: &View, id: &str) -> &'static str {
    let s = view.snapshot;
    let workload = &view.audit.workload;
    if in_hub(s, id) {
        "hub VPC"
    } else if workload.security_group_ids.iter().any(|g| g == id) {
        "workload"
    } else if s
        .endpoints
        .iter()
        .any(|e| e.security_group_ids.iter().any(|g| g == id))
    {
        "endpoints"
    } else if let Some(acl) = acl(s, id) {
        let on_workload = acl
            .associations
            .iter()
            .any(|a| workload.subnet_ids.contains(&a.subnet_id));
        if on_workload { "workload" } else { "" }
    } else {
        ""
    }
}

/// The HTTPS column: whether the group admits the workload's 443, as the checks judged it
/// for an endpoint's group; nothing for other groups.
fn https<'a>(view: &View, id: &str) -> Line<'a> {
    match view.audit.groups.get(id) {
        Some(v) => Line::styled(
            format!("{} 443", icon(v.status)),
            view.theme.status(v.status),
        ),
        None => Line::styled("-", view.theme.muted),
    }
}

/// True when a finding names this entry as blocking the workload's traffic.
fn blocking(view: &View, acl_id: &str, e: &NaclEntry) -> bool {
    view.audit.involving(acl_id).any(|f| {
        f.status.is_problem()
            && f.evidence.iter().any(|ev| match ev {
                Evidence::NaclEntry {
                    acl,
                    egress,
                    rule_number,
                } => acl == acl_id && *egress == e.egress && *rule_number == e.rule_number,
            })
    })
}

fn group_or_acl_details<'a>(view: &View<'a>, id: &str) -> Vec<Line<'a>> {
    let theme = view.theme;
    let mut lines = Vec::new();
    if let Some(g) = group(view.snapshot, id) {
        lines.push(Line::from(Span::styled(
            format!("{}  {}", g.id, clean(&g.name)),
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
                    format!("  {}", rule.describe()),
                    style,
                )));
            }
        }
    } else if let Some(a) = acl(view.snapshot, id) {
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
                let style = if blocking(view, &a.id, e) {
                    theme.error
                } else if e.rule_action == RuleAction::Allow {
                    theme.ok
                } else {
                    theme.muted
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", e.describe()),
                    style,
                )));
            }
        }
    }
    lines.push(heading("Findings", theme));
    lines.extend(findings_for(view, id));
    lines
}

impl Pane for Security {
    fn title(&self) -> &'static str {
        "Security"
    }

    fn short_title(&self) -> &'static str {
        "Sec"
    }

    fn sources(&self) -> &'static [Source] {
        &[
            Source::SecurityGroups,
            Source::NetworkAcls,
            Source::HubSecurityGroups,
            Source::HubNetworkAcls,
        ]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        let s = data.snapshot;
        let hub = &s.transit;
        s.security_groups
            .iter()
            .map(|g| g.id.clone())
            .chain(s.network_acls.iter().map(|a| a.id.clone()))
            .chain(hub.hub_security_groups.iter().map(|g| g.id.clone()))
            .chain(hub.hub_network_acls.iter().map(|a| a.id.clone()))
            .collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        if let Some(g) = group(data.snapshot, id) {
            let hub = if in_hub(data.snapshot, id) { "hub" } else { "" };
            return format!("{} {} {hub} {}", g.id, g.name, tags_text(&g.tags));
        }
        acl(data.snapshot, id).map_or_else(String::new, |a| {
            let subnets: Vec<&str> = a
                .associations
                .iter()
                .map(|s| s.subnet_id.as_str())
                .collect();
            let hub = if in_hub(data.snapshot, id) { "hub" } else { "" };
            format!(
                "{} {} {hub} {}",
                a.id,
                subnets.join(" "),
                tags_text(&a.tags)
            )
        })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let rows = shown
            .iter()
            .filter_map(|r| {
                let mark = view.verdict(&r.id);
                if let Some(g) = group(view.snapshot, &r.id) {
                    return Some(vec![
                        Line::from(mark),
                        Line::from("SG"),
                        Line::from(g.id.clone()),
                        Line::from(clean(&g.name).into_owned()),
                        Line::from(role(view, &g.id)),
                        Line::from(format!("{} in / {} out", g.ingress.len(), g.egress.len())),
                        https(view, &g.id),
                    ]);
                }
                let a = acl(view.snapshot, &r.id)?;
                Some(vec![
                    Line::from(mark),
                    Line::from("ACL"),
                    Line::from(a.id.clone()),
                    Line::from(if a.is_default { "default" } else { "" }),
                    Line::from(role(view, &a.id)),
                    Line::from(format!("{} entries", a.entries.len())),
                    Line::from(format!("{} subnets", a.associations.len())),
                ])
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

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        group_or_acl_details(view, id)
    }
}
