//! Tab 6: the DNS path of every name in scope: which hops it takes (DHCP ▸ Resolver rule ▸
//! private zone ▸ endpoint private DNS ▸ public), what answers it, and the checks' verdict;
//! the details show each hop with its ids and the answer the workload should get.

use ratatui::text::{Line, Span};

use super::{Col, Data, Listing, Pane, Row, View, field, findings_for, heading, probe_lines};
use crate::checks::DnsName;
use crate::checks::network::path::{Leg, Reach};
use crate::model::{Answer, Hop, RuleType, Source};
use crate::show::{clean, icon};

/// The DNS tab.
pub struct Dns;

fn name<'a>(data: &Data<'a>, id: &str) -> Option<&'a DnsName> {
    data.audit.names.iter().find(|n| n.name == id)
}

/// A hop in a few words, for the table.
fn hop_word(hop: &Hop) -> String {
    match hop {
        Hop::Dhcp { amazon: true, .. } => "DHCP".into(),
        Hop::Dhcp { amazon: false, .. } => "DHCP (custom)".into(),
        Hop::ResolverRule { rule_type, .. } => format!("rule {}", rule_type.as_str()),
        Hop::PrivateZone { .. } => "private zone".into(),
        Hop::EndpointPrivateDns { .. } => "endpoint private DNS".into(),
        Hop::PublicDns => "public".into(),
    }
}

/// The answer in a few words.
fn answer_words(answer: &Answer) -> String {
    match answer {
        Answer::EndpointIps { ips, .. } => ips
            .iter()
            .map(|(_, ip)| ip.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Record { targets, alias, .. } => {
            let kind = if *alias { "alias" } else { "record" };
            format!("{kind} {}", targets.join(", "))
        }
        Answer::Nxdomain { .. } => "NXDOMAIN".into(),
        Answer::Forwarded { targets, .. } => format!("forwarded to {}", targets.join(", ")),
        Answer::CustomDns { servers } => format!("custom DNS {}", servers.join(", ")),
        Answer::Public => "public IPs".into(),
        Answer::Unknown { .. } => "unknown".into(),
    }
}

/// A hop with its ids, for the details.
fn hop_line<'a>(hop: &Hop, view: &View) -> Line<'a> {
    let text = match hop {
        Hop::Dhcp {
            options_id,
            servers,
            amazon,
        } => format!(
            "DHCP options {options_id}: {} ({})",
            servers.join(", "),
            if *amazon {
                "the VPC resolver"
            } else {
                "custom servers: linkscope cannot see past them"
            }
        ),
        Hop::ResolverRule {
            id,
            domain,
            rule_type,
        } => {
            let does = match rule_type {
                RuleType::Forward => "forwards the query",
                RuleType::System => "has the VPC resolver answer",
                RuleType::Recursive => "resolves it publicly",
                RuleType::Other(_) => "applies",
            };
            let domain = if domain.is_empty() { "." } else { domain };
            format!(
                "Resolver rule {id} ({} {domain}) {does}",
                rule_type.as_str()
            )
        }
        Hop::PrivateZone { zone_id, zone_name } => {
            format!("private hosted zone {zone_id} ({zone_name}) is the most specific match")
        }
        Hop::EndpointPrivateDns { endpoint_id } => {
            format!("the private DNS zone of {endpoint_id} answers")
        }
        Hop::PublicDns => "no rule or zone matches: public DNS answers".into(),
    };
    Line::from(vec![
        Span::styled("  ▸ ", view.theme.muted),
        Span::raw(clean(&text).into_owned()),
    ])
}

/// The way TCP 443 takes from each workload subnet to one interface and back, hop by hop,
/// the hop that decides marked; then the Reachability Analyzer hand-off when it does not pass.
fn way_lines<'a>(reach: &Reach, view: &View) -> Vec<Line<'a>> {
    let theme = view.theme;
    let mut lines = vec![
        Line::default(),
        heading("Way there and back (TCP 443)", theme),
        Line::from(Span::styled(
            clean(&reach.summary()).into_owned(),
            theme.status(reach.status),
        )),
    ];
    // One leg per subnet: the one that decides the verdict, else the subnet's first.
    let deciding = reach.blocking().map(|(leg, _)| leg);
    let mut shown: Vec<&Leg> = Vec::new();
    for leg in &reach.legs {
        if !shown.iter().any(|l| l.subnet_id == leg.subnet_id) {
            shown.push(
                deciding
                    .filter(|d| d.subnet_id == leg.subnet_id)
                    .unwrap_or(leg),
            );
        }
    }
    for leg in shown {
        lines.push(Line::from(Span::styled(
            clean(&format!(
                "  {} → {} ({})",
                leg.subnet_id, leg.address, leg.eni_id
            ))
            .into_owned(),
            theme.muted,
        )));
        let blocking = leg.blocking();
        for hop in &leg.hops {
            let mark = match blocking.is_some_and(|b| std::ptr::eq(b, hop)) {
                true => " ◀",
                false => "",
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", icon(hop.status)), theme.status(hop.status)),
                Span::styled(format!("{:<28}", hop.step.label()), theme.muted),
                Span::raw(clean(&hop.text).into_owned()),
                Span::styled(mark, theme.status(hop.status)),
            ]));
        }
    }
    if let Some(commands) = reach.analyzer(&view.snapshot.region) {
        lines.push(heading("Prove it with Reachability Analyzer", theme));
        lines.extend(
            commands
                .lines()
                .map(|l| Line::from(Span::styled(format!("  {}", clean(l)), theme.muted))),
        );
    }
    lines
}

impl Pane for Dns {
    fn title(&self) -> &'static str {
        "DNS"
    }

    fn short_title(&self) -> &'static str {
        "DNS"
    }

    fn sources(&self) -> &'static [Source] {
        &[
            Source::VpcEndpoints,
            Source::DhcpOptions,
            Source::EndpointServices,
            Source::HostedZones,
            Source::RecordSets,
            Source::ResolverRules,
            Source::HubEndpoints,
        ]
    }

    fn row_ids(&self, data: &Data) -> Vec<String> {
        data.audit.names.iter().map(|n| n.name.clone()).collect()
    }

    fn search_text(&self, data: &Data, id: &str) -> String {
        name(data, id).map_or_else(String::new, |n| {
            format!(
                "{} {} {} {}",
                n.name,
                n.service_name,
                n.status,
                answer_words(&n.path.answer)
            )
        })
    }

    fn listing<'a>(&self, view: &View<'a>, shown: &[Row]) -> Listing<'a> {
        let data = view.data();
        let rows = shown
            .iter()
            .filter_map(|r| name(&data, &r.id))
            .map(|n| {
                let verdict = n.verdict();
                let style = view.theme.status(verdict);
                let path: Vec<String> = n.path.hops.iter().map(hop_word).collect();
                vec![
                    Line::styled(icon(verdict), style),
                    Line::from(clean(&n.name).into_owned()),
                    Line::styled(path.join(" ▸ "), view.theme.muted),
                    Line::from(clean(&answer_words(&n.path.answer)).into_owned()),
                ]
            })
            .collect();
        Listing {
            header: vec!["", "NAME", "PATH", "ANSWER"],
            rows,
            widths: vec![Col(1, 1), Col(44, 24), Col(34, 12), Col(36, 10)],
        }
    }

    fn details<'a>(&self, view: &View<'a>, id: &str) -> Vec<Line<'a>> {
        let data = view.data();
        let Some(n) = name(&data, id) else {
            return Vec::new();
        };
        let theme = view.theme;
        let verdict = n.verdict();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!("{} ", icon(verdict)), theme.status(verdict)),
                Span::styled(clean(&n.name).into_owned(), theme.title),
            ]),
            field("service", &n.service_name, theme),
            field("published as", &n.published, theme),
            field(
                "endpoint",
                n.local_endpoint.as_deref().unwrap_or("none in this VPC"),
                theme,
            ),
            Line::default(),
            heading("Path", theme),
        ];
        lines.extend(n.path.hops.iter().map(|h| hop_line(h, view)));
        lines.push(heading("Answer", theme));
        lines.push(Line::from(format!(
            "  {}",
            clean(&answer_words(&n.path.answer))
        )));
        if let Some(endpoint) = n.local_endpoint.as_deref().and_then(|id| view.endpoint(id)) {
            lines.push(heading("Expected: the endpoint's interfaces", theme));
            for eni in view.enis_of(endpoint) {
                lines.push(Line::from(format!(
                    "  {}  {}  {}",
                    eni.availability_zone,
                    eni.private_ip.as_deref().unwrap_or("-"),
                    eni.id
                )));
            }
        }
        lines.push(Line::default());
        lines.push(heading("Verdict", theme));
        lines.push(Line::from(Span::styled(
            clean(&n.explanation).into_owned(),
            theme.status(n.status),
        )));
        if let Some(reach) = &n.reach {
            lines.extend(way_lines(reach, view));
        }
        lines.extend(probe_lines(view, &n.published));
        if let Some(endpoint) = &n.local_endpoint {
            lines.push(heading("Findings on the endpoint", theme));
            lines.extend(findings_for(view, endpoint));
        }
        lines
    }
}
