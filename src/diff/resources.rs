//! The snapshots' side of a diff: endpoints, route tables, security groups, network ACLs,
//! the VPC's attributes and the DNS path, each as added, removed or changed lines.

use similar::{ChangeTag, TextDiff};

use super::{Change, Kind, Line, What};
use crate::model::{
    NetworkAcl, RecordSet, ResolverRule, RouteTable, SecurityGroup, Snapshot, VpcEndpoint,
};

fn line(sign: char, text: impl Into<String>) -> Line {
    Line {
        sign,
        text: text.into(),
    }
}

/// `-` for what left `old`, `+` for what joined `new`, each prefixed with `what`.
fn set_lines(what: &str, old: &[String], new: &[String]) -> Vec<Line> {
    let prefix = |item: &String| match what {
        "" => item.clone(),
        _ => format!("{what} {item}"),
    };
    old.iter()
        .filter(|item| !new.contains(item))
        .map(|item| line('-', prefix(item)))
        .chain(
            new.iter()
                .filter(|item| !old.contains(item))
                .map(|item| line('+', prefix(item))),
        )
        .collect()
}

/// `~ what: old → new` when the values differ.
fn value_line(what: &str, old: &str, new: &str) -> Option<Line> {
    (old != new).then(|| line('~', format!("{what}: {old} → {new}")))
}

fn on_off(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    }
}

/// Pairs `old` and `new` items by id into added, removed and changed resources.
fn compare<T>(
    kind: Kind,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> String,
    label: impl Fn(&T) -> String,
    summary: impl Fn(&T) -> String,
    lines: impl Fn(&T, &T) -> Vec<Line>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for o in old {
        let change = match new.iter().find(|n| id(n) == id(o)) {
            Some(n) => {
                let lines = lines(o, n);
                if lines.is_empty() {
                    continue;
                }
                (What::Changed, lines, label(n))
            }
            None => (What::Removed, vec![line('-', summary(o))], label(o)),
        };
        changes.push(Change {
            kind,
            id: id(o),
            label: change.2,
            what: change.0,
            lines: change.1,
        });
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| id(o) == id(n))) {
        changes.push(Change {
            kind,
            id: id(n),
            label: label(n),
            what: What::Added,
            lines: vec![line('+', summary(n))],
        });
    }
    changes
}

/// The policy document, one statement part per line, so a line diff reads well.
fn policy_lines(policy: Option<&str>) -> String {
    let Some(text) = policy else {
        return String::new();
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_else(|_| text.to_string()),
        Err(_) => text.to_string(),
    }
}

/// The policy's changed lines (`-`/`+ policy  …`).
fn policy_diff(old: Option<&str>, new: Option<&str>) -> Vec<Line> {
    let (old, new) = (policy_lines(old), policy_lines(new));
    if old == new {
        return Vec::new();
    }
    TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .filter_map(|c| {
            let sign = match c.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => return None,
            };
            Some(line(sign, format!("policy  {}", c.value().trim_end())))
        })
        .collect()
}

fn endpoint_lines(o: &VpcEndpoint, n: &VpcEndpoint) -> Vec<Line> {
    let dns = |e: &VpcEndpoint| -> Vec<String> {
        e.dns_entries.iter().map(|d| d.dns_name.clone()).collect()
    };
    let mut lines: Vec<Line> = [
        value_line("state", &o.state.to_string(), &n.state.to_string()),
        value_line(
            "private DNS",
            on_off(Some(o.private_dns_enabled)),
            on_off(Some(n.private_dns_enabled)),
        ),
        value_line(
            "IP address type",
            o.ip_address_type.as_deref().unwrap_or("-"),
            n.ip_address_type.as_deref().unwrap_or("-"),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    lines.extend(set_lines("subnet", &o.subnet_ids, &n.subnet_ids));
    lines.extend(set_lines(
        "security group",
        &o.security_group_ids,
        &n.security_group_ids,
    ));
    lines.extend(set_lines(
        "route table",
        &o.route_table_ids,
        &n.route_table_ids,
    ));
    lines.extend(set_lines("DNS entry", &dns(o), &dns(n)));
    lines.extend(policy_diff(
        o.policy_document.as_deref(),
        n.policy_document.as_deref(),
    ));
    lines
}

fn route_table_lines(o: &RouteTable, n: &RouteTable) -> Vec<Line> {
    let routes =
        |t: &RouteTable| -> Vec<String> { t.routes.iter().map(|r| r.describe()).collect() };
    let associations = |t: &RouteTable| -> Vec<String> {
        t.associations
            .iter()
            .map(|a| match (&a.subnet_id, &a.gateway_id, a.main) {
                (_, _, true) => "main".to_string(),
                (Some(subnet), ..) => subnet.clone(),
                (None, Some(gateway), _) => gateway.clone(),
                _ => "?".to_string(),
            })
            .collect()
    };
    let mut lines = set_lines("route", &routes(o), &routes(n));
    lines.extend(set_lines("association", &associations(o), &associations(n)));
    lines
}

fn group_lines(o: &SecurityGroup, n: &SecurityGroup) -> Vec<Line> {
    let rules = |g: &SecurityGroup| -> Vec<String> {
        g.ingress
            .iter()
            .map(|r| format!("inbound {}", r.describe()))
            .chain(
                g.egress
                    .iter()
                    .map(|r| format!("outbound {}", r.describe())),
            )
            .collect()
    };
    set_lines("", &rules(o), &rules(n))
}

fn acl_lines(o: &NetworkAcl, n: &NetworkAcl) -> Vec<Line> {
    let entries = |a: &NetworkAcl| -> Vec<String> {
        a.entries
            .iter()
            .map(|e| {
                let direction = if e.egress { "outbound" } else { "inbound" };
                format!("{direction} {}", e.describe().trim_start())
            })
            .collect()
    };
    let subnets = |a: &NetworkAcl| -> Vec<String> {
        a.associations.iter().map(|s| s.subnet_id.clone()).collect()
    };
    let mut lines = set_lines("", &entries(o), &entries(n));
    lines.extend(set_lines("subnet", &subnets(o), &subnets(n)));
    lines
}

fn vpc_change(old: &Snapshot, new: &Snapshot) -> Option<Change> {
    let (o, n) = (&old.vpc, &new.vpc);
    let mut lines: Vec<Line> = [
        value_line(
            "DNS support",
            on_off(o.enable_dns_support),
            on_off(n.enable_dns_support),
        ),
        value_line(
            "DNS hostnames",
            on_off(o.enable_dns_hostnames),
            on_off(n.enable_dns_hostnames),
        ),
        value_line(
            "DHCP options",
            o.dhcp_options_id.as_deref().unwrap_or("-"),
            n.dhcp_options_id.as_deref().unwrap_or("-"),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    lines.extend(set_lines("CIDR", &o.cidr_blocks, &n.cidr_blocks));
    (!lines.is_empty()).then(|| Change {
        kind: Kind::Vpc,
        id: n.id.clone(),
        label: String::new(),
        what: What::Changed,
        lines,
    })
}

fn dhcp_change(old: &Snapshot, new: &Snapshot) -> Option<Change> {
    let servers = |s: &Snapshot| -> String {
        s.dns
            .dhcp_options
            .as_ref()
            .map(|d| format!("{} ({})", d.id, d.domain_name_servers.join(", ")))
            .unwrap_or_else(|| "-".into())
    };
    let line = value_line("DHCP DNS servers", &servers(old), &servers(new))?;
    Some(Change {
        kind: Kind::DnsPath,
        id: new
            .dns
            .dhcp_options
            .as_ref()
            .map_or_else(|| "dhcp".to_string(), |d| d.id.clone()),
        label: "DHCP options".into(),
        what: What::Changed,
        lines: vec![line],
    })
}

fn rule_summary(r: &ResolverRule) -> String {
    let targets = match r.targets.is_empty() {
        true => String::new(),
        false => format!(" → {}", r.targets.join(", ")),
    };
    format!("{} {}{targets}", r.rule_type.as_str(), r.domain)
}

fn record_summary(r: &RecordSet) -> String {
    let values = r.alias_target.iter().chain(&r.values).cloned();
    format!(
        "{} {} {}",
        r.name,
        r.kind.as_str(),
        values.collect::<Vec<_>>().join(", ")
    )
}

fn dns_path_changes(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut changes: Vec<Change> = dhcp_change(old, new).into_iter().collect();
    changes.extend(compare(
        Kind::DnsPath,
        &old.dns.resolver_rules,
        &new.dns.resolver_rules,
        |r| r.id.clone(),
        |_| "Resolver rule".into(),
        rule_summary,
        |o, n| {
            value_line("rule", &rule_summary(o), &rule_summary(n))
                .into_iter()
                .collect()
        },
    ));
    changes.extend(compare(
        Kind::DnsPath,
        &old.dns.hosted_zones,
        &new.dns.hosted_zones,
        |z| z.id.clone(),
        |_| "private hosted zone".into(),
        |z| z.name.clone(),
        |o, n| {
            let records = |s: &Snapshot, zone: &str| -> Vec<String> {
                s.dns
                    .records
                    .iter()
                    .filter(|r| r.zone_id == zone)
                    .map(record_summary)
                    .collect()
            };
            set_lines("record", &records(old, &o.id), &records(new, &n.id))
        },
    ));
    changes
}

/// Every resource that changed, endpoints first.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut changes = compare(
        Kind::Endpoint,
        &old.endpoints,
        &new.endpoints,
        |e| e.id.clone(),
        |e| e.short_service_name().to_string(),
        |e| format!("{} {} ({})", e.endpoint_type, e.service_name, e.state),
        endpoint_lines,
    );
    changes.extend(compare(
        Kind::RouteTable,
        &old.route_tables,
        &new.route_tables,
        |t| t.id.clone(),
        |t| t.tags.get("Name").cloned().unwrap_or_default(),
        |t| format!("{} routes", t.routes.len()),
        route_table_lines,
    ));
    changes.extend(compare(
        Kind::SecurityGroup,
        &old.security_groups,
        &new.security_groups,
        |g| g.id.clone(),
        |g| g.name.clone(),
        |g| {
            format!(
                "{} inbound, {} outbound rules",
                g.ingress.len(),
                g.egress.len()
            )
        },
        group_lines,
    ));
    changes.extend(compare(
        Kind::NetworkAcl,
        &old.network_acls,
        &new.network_acls,
        |a| a.id.clone(),
        |a| a.tags.get("Name").cloned().unwrap_or_default(),
        |a| format!("{} entries", a.entries.len()),
        acl_lines,
    ));
    changes.extend(vpc_change(old, new));
    changes.extend(dns_path_changes(old, new));
    changes
}
