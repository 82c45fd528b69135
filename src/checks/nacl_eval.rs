//! Network ACL evaluation as AWS does it: entries in ascending rule number, first match wins,
//! inbound and outbound separately, for a TCP flow over a port range and a peer range.

use super::cidr::Cidr;
use crate::model::NetworkAcl;

/// TCP traffic crossing one network ACL in one direction.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    pub egress: bool,
    /// Destination ports, inclusive.
    pub ports: (i32, i32),
    /// The other end: the destination of egress traffic, the source of ingress traffic.
    pub peer: Cidr,
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

fn applies_to_tcp(protocol: &str) -> Option<bool> {
    match protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(true),
        "6" | "tcp" => Some(false),
        _ => None,
    }
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
        // IPv6 entries never match IPv4 traffic; ICMP and UDP entries never match TCP.
        let Some(cidr) = entry.cidr_block.as_deref().and_then(Cidr::parse) else {
            continue;
        };
        let Some(all_protocols) = applies_to_tcp(&entry.protocol) else {
            continue;
        };
        let (lo, hi) = if all_protocols {
            (0, 65535)
        } else {
            entry.port_range.unwrap_or((0, 65535))
        };
        let ports_overlap = lo <= flow.ports.1 && flow.ports.0 <= hi;
        if !ports_overlap || !cidr.overlaps(flow.peer) {
            continue;
        }
        let covers_all = lo <= flow.ports.0 && flow.ports.1 <= hi && cidr.contains(flow.peer);
        let allow = entry.rule_action.eq_ignore_ascii_case("allow");
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
    use crate::model::{IcmpTypeCode, NaclEntry};

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
            protocol: protocol.into(),
            rule_action: action.into(),
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
            peer: Cidr::parse(peer).unwrap(),
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
            peer: Cidr::parse("10.0.0.0/16").unwrap(),
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
            peer: Cidr::parse("10.0.0.10").unwrap(),
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
}
