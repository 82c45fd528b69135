//! Network ACL evaluation as AWS does it: entries in ascending rule number, first match wins,
//! inbound and outbound separately, for a TCP flow over a port range and a peer range
//! (IPv4 flows meet IPv4 entries, IPv6 flows IPv6 entries). The rules of [`super::nacl`] and
//! [`super::path`] judge with it.

use crate::checks::net::{IpNet, net, overlaps};
use crate::model::{NaclEntry, NetworkAcl, Protocol, RuleAction};

/// TCP traffic crossing one network ACL in one direction.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    /// True for outbound traffic, false for inbound.
    pub egress: bool,
    /// Destination ports, inclusive.
    pub ports: (i32, i32),
    /// The other end: the destination of egress traffic, the source of ingress traffic.
    pub peer: IpNet,
}

/// Whether every packet of a flow is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Allowed by this rule number.
    Allowed(i32),
    /// Denied (at least in part) by this rule number, or by the implicit final deny.
    Denied(Option<i32>),
}

/// Ephemeral ports of the Linux clients MWAA runs (`net.ipv4.ip_local_port_range`).
pub const EPHEMERAL: (i32, i32) = (32768, 60999);

/// The entry's range in the flow's address family, if it has one.
fn entry_net(entry: &NaclEntry, peer: IpNet) -> Option<IpNet> {
    let text = match peer {
        IpNet::V4(_) => entry.cidr_block.as_deref(),
        IpNet::V6(_) => entry.ipv6_cidr_block.as_deref(),
    };
    text.and_then(net)
}

/// A verdict that blocks, in a few words.
pub fn describe(verdict: Verdict) -> String {
    match verdict {
        Verdict::Denied(Some(rule)) => format!("denied by rule {rule}"),
        Verdict::Denied(None) | Verdict::Allowed(_) => {
            "not allowed by any rule (implicit deny)".into()
        }
    }
}

/// What an allow entry for `flow` is, rule number aside: flows that need the same entry share it.
pub fn entry_key(flow: Flow) -> String {
    let range = match flow.peer {
        IpNet::V4(_) => "--cidr-block",
        IpNet::V6(_) => "--ipv6-cidr-block",
    };
    format!(
        "--protocol tcp --port-range From={},To={} {range} {}",
        flow.ports.0, flow.ports.1, flow.peer
    )
}

/// The highest rule number below `below` that no entry of the ACL in that direction uses
/// and that no other fix takes: AWS evaluates entries in ascending order, so the new allow
/// comes just before the deny.
pub fn free_number(
    acl: &NetworkAcl,
    egress: bool,
    below: i32,
    taken: &[(bool, i32)],
) -> Option<i32> {
    (1..below.min(32767)).rev().find(|n| {
        !taken.contains(&(egress, *n))
            && !acl
                .entries
                .iter()
                .any(|e| e.egress == egress && e.rule_number == *n)
    })
}

/// The entry that lets `flow` through `acl`, numbered before the entry that denies it.
pub fn entry_fix(acl: &NetworkAcl, flow: Flow, number: Option<i32>, below: i32) -> String {
    let direction = if flow.egress { "--egress" } else { "--ingress" };
    let (unknown, number) = match number {
        Some(n) => (String::new(), n.to_string()),
        None => (
            format!(
                "# RULE_NUMBER: a rule number below {below} that {} does not use\n",
                acl.id
            ),
            r#""$RULE_NUMBER""#.to_string(),
        ),
    };
    format!(
        "{unknown}aws ec2 create-network-acl-entry --network-acl-id {} --rule-number {number} {} --rule-action allow {direction}",
        acl.id,
        entry_key(flow)
    )
}

/// The entry a denied flow needs, numbered just below the entry that denies it.
pub fn allow_fix(acl: &NetworkAcl, flow: Flow, verdict: Verdict) -> String {
    let below = match verdict {
        Verdict::Denied(Some(rule_number)) => rule_number,
        _ => 32767,
    };
    entry_fix(acl, flow, free_number(acl, flow.egress, below, &[]), below)
}

/// Evaluates a TCP flow against one direction of a network ACL.
pub fn evaluate(acl: &NetworkAcl, flow: Flow) -> Verdict {
    let mut entries: Vec<_> = acl
        .entries
        .iter()
        .filter(|e| e.egress == flow.egress)
        .collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut partly_denied = None;
    for entry in entries {
        // Entries of the other address family never match; ICMP and UDP never match TCP.
        let Some(range) = entry_net(entry, flow.peer) else {
            continue;
        };
        let (lo, hi) = match entry.protocol {
            Protocol::All => (0, 65535),
            Protocol::Tcp => entry.port_range.unwrap_or((0, 65535)),
            _ => continue,
        };
        let ports_overlap = lo <= flow.ports.1 && flow.ports.0 <= hi;
        if !ports_overlap || !overlaps(range, flow.peer) {
            continue;
        }
        let covers_all = lo <= flow.ports.0 && flow.ports.1 <= hi && range.contains(&flow.peer);
        let allow = entry.rule_action == RuleAction::Allow;
        match (covers_all, allow) {
            (true, true) => {
                return partly_denied.map_or(Verdict::Allowed(entry.rule_number), |r| {
                    Verdict::Denied(Some(r))
                });
            }
            (true, false) => {
                return Verdict::Denied(Some(partly_denied.unwrap_or(entry.rule_number)));
            }
            (false, false) => partly_denied = partly_denied.or(Some(entry.rule_number)),
            (false, true) => {}
        }
    }
    Verdict::Denied(partly_denied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IcmpTypeCode;

    fn entry(
        rule_number: i32,
        protocol: &str,
        ports: Option<(i32, i32)>,
        cidr: &str,
        action: &str,
        egress: bool,
    ) -> NaclEntry {
        NaclEntry {
            rule_number,
            protocol: Protocol::parse(protocol),
            rule_action: RuleAction::parse(action),
            egress,
            cidr_block: Some(cidr.into()),
            ipv6_cidr_block: None,
            port_range: ports,
            icmp: None,
        }
    }

    fn acl(entries: Vec<NaclEntry>) -> NetworkAcl {
        NetworkAcl {
            id: "acl-1".into(),
            vpc_id: "vpc-1".into(),
            is_default: false,
            entries,
            associations: vec![],
            tags: Default::default(),
        }
    }

    fn https_in(peer: &str) -> Flow {
        Flow {
            egress: false,
            ports: (443, 443),
            peer: net(peer).unwrap(),
        }
    }

    #[test]
    fn lowest_rule_number_wins_whatever_the_order() {
        let rules = acl(vec![
            entry(200, "-1", None, "0.0.0.0/0", "allow", false),
            entry(100, "6", Some((443, 443)), "10.0.0.0/16", "deny", false),
        ]);
        assert_eq!(
            evaluate(&rules, https_in("10.0.1.0/24")),
            Verdict::Denied(Some(100))
        );
        assert_eq!(
            evaluate(&rules, https_in("192.168.0.0/24")),
            Verdict::Allowed(200)
        );
    }

    #[test]
    fn deny_before_allow_even_in_part() {
        let rules = acl(vec![
            entry(90, "6", Some((443, 443)), "10.0.1.128/25", "deny", false),
            entry(100, "6", Some((0, 65535)), "10.0.0.0/16", "allow", false),
        ]);
        assert_eq!(
            evaluate(&rules, https_in("10.0.1.0/24")),
            Verdict::Denied(Some(90))
        );
        assert_eq!(
            evaluate(&rules, https_in("10.0.2.0/24")),
            Verdict::Allowed(100)
        );
    }

    #[test]
    fn icmp_and_udp_entries_do_not_match_tcp() {
        let mut icmp = entry(50, "1", None, "0.0.0.0/0", "deny", false);
        icmp.icmp = Some(IcmpTypeCode {
            icmp_type: -1,
            code: -1,
        });
        let rules = acl(vec![
            icmp,
            entry(60, "17", Some((443, 443)), "0.0.0.0/0", "deny", false),
            entry(100, "6", Some((443, 443)), "0.0.0.0/0", "allow", false),
        ]);
        assert_eq!(
            evaluate(&rules, https_in("10.0.0.0/16")),
            Verdict::Allowed(100)
        );
    }

    #[test]
    fn all_protocol_entries_match_every_port() {
        let rules = acl(vec![entry(
            100,
            "-1",
            Some((22, 22)),
            "0.0.0.0/0",
            "allow",
            true,
        )]);
        let flow = Flow {
            egress: true,
            ports: EPHEMERAL,
            peer: net("10.0.0.0/16").unwrap(),
        };
        assert_eq!(
            evaluate(&rules, flow),
            Verdict::Allowed(100),
            "-1 ignores the port range"
        );
        assert_eq!(
            evaluate(
                &rules,
                Flow {
                    egress: false,
                    ..flow
                }
            ),
            Verdict::Denied(None),
            "directions are separate"
        );
    }

    #[test]
    fn port_ranges_must_cover_the_whole_flow() {
        let rules = acl(vec![
            entry(100, "6", Some((1024, 40000)), "0.0.0.0/0", "allow", false),
            entry(32767, "-1", None, "0.0.0.0/0", "deny", false),
        ]);
        let ephemeral = Flow {
            egress: false,
            ports: EPHEMERAL,
            peer: net("10.0.0.10").unwrap(),
        };
        assert_eq!(evaluate(&rules, ephemeral), Verdict::Denied(Some(32767)));
        let wide = acl(vec![entry(
            100,
            "6",
            Some((1024, 65535)),
            "0.0.0.0/0",
            "allow",
            false,
        )]);
        assert_eq!(evaluate(&wide, ephemeral), Verdict::Allowed(100));
    }

    #[test]
    fn entries_on_other_ports_leave_the_flow_alone() {
        // Below and above the flow's ports: neither overlaps 443.
        for ports in [(22, 22), (8080, 8443)] {
            let rules = acl(vec![
                entry(50, "6", Some(ports), "0.0.0.0/0", "deny", false),
                entry(200, "-1", None, "0.0.0.0/0", "allow", false),
            ]);
            assert_eq!(
                evaluate(&rules, https_in("10.0.0.0/16")),
                Verdict::Allowed(200),
                "{ports:?}"
            );
        }
    }

    #[test]
    fn ipv6_flows_meet_ipv6_entries_only() {
        let mut v6_deny = entry(50, "-1", None, "0.0.0.0/0", "deny", false);
        v6_deny.cidr_block = None;
        v6_deny.ipv6_cidr_block = Some("::/0".into());
        let rules = acl(vec![
            v6_deny,
            entry(100, "-1", None, "0.0.0.0/0", "allow", false),
        ]);
        assert_eq!(
            evaluate(&rules, https_in("10.0.0.0/16")),
            Verdict::Allowed(100)
        );
        assert_eq!(
            evaluate(&rules, https_in("2001:db8::/56")),
            Verdict::Denied(Some(50))
        );
    }

    #[test]
    fn a_deny_on_part_of_the_peer_range_blocks_the_flow() {
        let rules = acl(vec![
            entry(50, "-1", None, "10.0.1.0/25", "deny", false),
            entry(100, "-1", None, "0.0.0.0/0", "allow", false),
        ]);
        assert_eq!(
            evaluate(&rules, https_in("10.0.1.0/24")),
            Verdict::Denied(Some(50))
        );
        assert_eq!(
            evaluate(&rules, https_in("10.0.2.0/24")),
            Verdict::Allowed(100)
        );
    }
}
