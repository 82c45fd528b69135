//! The one judgement of where a name resolves inside the VPC (the DNS path), decided the way
//! Route 53 Resolver does it: the DHCP option set first; then, among the Resolver rules
//! associated with the VPC and the autodefined rules Resolver keeps for every private hosted
//! zone associated with it (the hidden zone behind an endpoint's private DNS included), the
//! most specific domain wins, an explicit rule winning an exact tie. A FORWARD rule sends the
//! query away; a SYSTEM rule or a zone has the VPC resolver answer: a zone with the record
//! answers it, a zone without it answers NXDOMAIN. Otherwise public DNS answers.
//!
//! Route 53 Developer Guide: "How Resolver determines whether the domain name in a query
//! matches any rules" and "Domain names that Resolver creates autodefined system rules for".

use std::net::Ipv4Addr;

use crate::model::{
    Answer, DhcpOptions, EndpointEni, EndpointState, EndpointType, Hop, HostedZone, RecordKind,
    RecordSet, ResolutionPath, ResolverRule, RuleType, VpcEndpoint,
};

/// The hidden private zone an interface endpoint with private DNS creates in the VPC.
#[derive(Debug, Clone)]
pub struct EndpointZone<'a> {
    /// The zone's domain (the private DNS name, a wildcard's `*.` removed).
    pub domain: String,
    /// The endpoint.
    pub endpoint: &'a VpcEndpoint,
    /// `(availability zone, IP)` of its network interfaces.
    pub ips: Vec<(String, String)>,
}

/// One input of the path, or why it is not known.
pub type Known<T> = Result<T, String>;

/// What the resolution of a name depends on.
#[derive(Debug, Clone)]
pub struct Resolver<'a> {
    /// The VPC's DHCP option set (`Ok(None)`: the VPC has none, so Amazon DNS).
    pub dhcp: Known<Option<&'a DhcpOptions>>,
    /// The VPC resolver's own addresses: the VPC CIDR base + 2, and 169.254.169.253.
    pub vpc_resolver: Vec<String>,
    /// Resolver rules associated with the VPC.
    pub rules: Known<&'a [ResolverRule]>,
    /// Private hosted zones associated with the VPC.
    pub zones: Known<&'a [HostedZone]>,
    /// Their records for the names in scope.
    pub records: Known<&'a [RecordSet]>,
    /// The hidden zones of the VPC's endpoints with private DNS in effect.
    pub endpoint_zones: Known<Vec<EndpointZone<'a>>>,
}

/// `name` is `domain` or below it; the root (empty) domain matches every name.
pub fn in_domain(name: &str, domain: &str) -> bool {
    domain.is_empty() || name == domain || name.ends_with(&format!(".{domain}"))
}

fn labels(domain: &str) -> usize {
    if domain.is_empty() {
        0
    } else {
        domain.split('.').count()
    }
}

/// The VPC resolver's addresses for a VPC CIDR: its base + 2, and the link-local one.
pub fn vpc_resolver_addresses(cidrs: &[String]) -> Vec<String> {
    let mut addresses: Vec<String> = cidrs
        .iter()
        .filter_map(|c| c.parse::<ipnet::Ipv4Net>().ok())
        .map(|net| Ipv4Addr::from(u32::from(net.network()) + 2).to_string())
        .collect();
    addresses.push("169.254.169.253".into());
    addresses
}

/// Whether an endpoint's private DNS answers queries from the VPC itself: an available
/// interface endpoint with private DNS on, not limited to inbound Resolver endpoints (given the
/// VPC's DNS attributes are on).
pub fn answers_vpc_queries(e: &VpcEndpoint) -> bool {
    e.endpoint_type == EndpointType::Interface
        && e.state == EndpointState::Available
        && e.private_dns_enabled
        && !e
            .dns_options
            .as_ref()
            .and_then(|o| o.private_dns_only_for_inbound_resolver_endpoint)
            .unwrap_or(false)
}

/// The endpoint zones of the VPC: the endpoints that [`answers_vpc_queries`], each under its
/// service's published private names.
pub fn endpoint_zones<'a>(
    endpoints: &'a [VpcEndpoint],
    enis: &'a [EndpointEni],
    published: impl Fn(&str) -> Vec<String>,
) -> Vec<EndpointZone<'a>> {
    endpoints
        .iter()
        .filter(|e| answers_vpc_queries(e))
        .flat_map(|e| {
            let ips: Vec<(String, String)> = enis
                .iter()
                .filter(|n| e.network_interface_ids.contains(&n.id))
                .filter_map(|n| Some((n.availability_zone.clone(), n.private_ip.clone()?)))
                .collect();
            published(&e.service_name)
                .into_iter()
                .map(move |name| EndpointZone {
                    domain: name.trim_start_matches("*.").to_string(),
                    endpoint: e,
                    ips: ips.clone(),
                })
        })
        .collect()
}

/// A match for a name, from most to least specific.
enum Candidate<'a, 'b> {
    Rule(&'a ResolverRule),
    Zone(&'a HostedZone),
    Endpoint(&'b EndpointZone<'a>),
}

impl Candidate<'_, '_> {
    fn domain(&self) -> &str {
        match self {
            Candidate::Rule(r) => &r.domain,
            Candidate::Zone(z) => &z.name,
            Candidate::Endpoint(e) => &e.domain,
        }
    }

    /// Order of an exact tie: an explicit rule, then a zone of the account, then an
    /// endpoint's hidden zone.
    fn rank(&self) -> u8 {
        match self {
            Candidate::Rule(_) => 0,
            Candidate::Zone(_) => 1,
            Candidate::Endpoint(_) => 2,
        }
    }
}

impl<'a> Resolver<'a> {
    /// The DHCP hop, if known, and the answer when the path stops there (custom DNS servers,
    /// or an option set that could not be read).
    fn dhcp_hop(&self) -> (Option<Hop>, Option<Answer>) {
        let options = match &self.dhcp {
            Ok(Some(options)) => *options,
            Ok(None) => return (None, None),
            Err(reason) => {
                let reason = reason.clone();
                return (None, Some(Answer::Unknown { reason }));
            }
        };
        // Clients ask the first server and try the others only when it does not answer, so
        // the first decides.
        let servers = &options.domain_name_servers;
        let amazon = servers.first().is_some_and(|s| {
            s.eq_ignore_ascii_case("AmazonProvidedDNS") || self.vpc_resolver.contains(s)
        });
        let hop = Hop::Dhcp {
            options_id: options.id.clone(),
            servers: servers.clone(),
            amazon,
        };
        let stop = match (amazon, servers.is_empty()) {
            (true, _) => None,
            (false, true) => Some(Answer::Unknown {
                reason: format!(
                    "The VPC's DHCP option set {} gives instances no DNS servers.",
                    options.id
                ),
            }),
            (false, false) => Some(Answer::CustomDns {
                servers: servers.clone(),
            }),
        };
        (Some(hop), stop)
    }

    /// Every rule, zone and endpoint zone whose domain matches `name`, most specific first.
    fn candidates<'b>(
        &'b self,
        name: &str,
        zones_only: bool,
    ) -> Result<Vec<Candidate<'a, 'b>>, String> {
        let mut found: Vec<Candidate> = Vec::new();
        if !zones_only {
            found.extend(
                self.rules
                    .clone()?
                    .iter()
                    .filter(|r| in_domain(name, &r.domain))
                    .map(Candidate::Rule),
            );
        }
        found.extend(
            self.zones
                .clone()?
                .iter()
                .filter(|z| in_domain(name, &z.name))
                .map(Candidate::Zone),
        );
        match &self.endpoint_zones {
            Ok(zones) => found.extend(
                zones
                    .iter()
                    .filter(|z| in_domain(name, &z.domain))
                    .map(Candidate::Endpoint),
            ),
            Err(reason) => return Err(reason.clone()),
        }
        found.sort_by_key(|c| (std::cmp::Reverse(labels(c.domain())), c.rank()));
        Ok(found)
    }

    /// What a zone answers for `name`: its record (exact, else the nearest wildcard), or
    /// NXDOMAIN, since Route 53 does not fall through to public DNS.
    fn zone_answer(&self, zone: &HostedZone, name: &str) -> Answer {
        let records = match &self.records {
            Ok(records) => *records,
            Err(reason) => {
                return Answer::Unknown {
                    reason: reason.clone(),
                };
            }
        };
        let of_zone = |record_name: &str| -> Vec<&RecordSet> {
            records
                .iter()
                .filter(|r| r.zone_id == zone.id && r.name == record_name)
                .collect()
        };
        let mut found = of_zone(name);
        let mut parent = name;
        while found.is_empty() {
            let Some((_, rest)) = parent.split_once('.') else {
                break;
            };
            if !in_domain(rest, &zone.name) {
                break;
            }
            found = of_zone(&format!("*.{rest}"));
            parent = rest;
        }
        let best = found
            .iter()
            .find(|r| r.kind != RecordKind::Aaaa)
            .or(found.first());
        match best {
            Some(record) => Answer::Record {
                zone_id: zone.id.clone(),
                kind: record.kind,
                targets: match &record.alias_target {
                    Some(target) => vec![target.clone()],
                    None => record.values.clone(),
                },
                alias: record.alias_target.is_some(),
            },
            None => Answer::Nxdomain {
                zone_id: zone.id.clone(),
            },
        }
    }

    /// The VPC resolver answers from the most specific zone, else public DNS.
    fn vpc_resolver_answers(&self, name: &str, hops: &mut Vec<Hop>) -> Answer {
        let candidates = match self.candidates(name, true) {
            Ok(candidates) => candidates,
            Err(reason) => return Answer::Unknown { reason },
        };
        match candidates.first() {
            Some(Candidate::Zone(zone)) => {
                hops.push(Hop::PrivateZone {
                    zone_id: zone.id.clone(),
                    zone_name: zone.name.clone(),
                });
                self.zone_answer(zone, name)
            }
            Some(Candidate::Endpoint(zone)) => {
                hops.push(Hop::EndpointPrivateDns {
                    endpoint_id: zone.endpoint.id.clone(),
                });
                Answer::EndpointIps {
                    endpoint_id: zone.endpoint.id.clone(),
                    ips: zone.ips.clone(),
                }
            }
            _ => {
                hops.push(Hop::PublicDns);
                Answer::Public
            }
        }
    }

    /// The path `name` takes.
    pub fn resolve(&self, name: &str) -> ResolutionPath {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let mut hops = Vec::new();
        let (dhcp, stop) = self.dhcp_hop();
        hops.extend(dhcp);
        let answer = match stop {
            Some(answer) => answer,
            None => self.after_dhcp(&name, &mut hops),
        };
        ResolutionPath { name, hops, answer }
    }

    fn after_dhcp(&self, name: &str, hops: &mut Vec<Hop>) -> Answer {
        let candidates = match self.candidates(name, false) {
            Ok(candidates) => candidates,
            Err(reason) => return Answer::Unknown { reason },
        };
        let Some(Candidate::Rule(rule)) = candidates.first() else {
            return self.vpc_resolver_answers(name, hops);
        };
        hops.push(Hop::ResolverRule {
            id: rule.id.clone(),
            domain: rule.domain.clone(),
            rule_type: rule.rule_type.clone(),
        });
        match rule.rule_type {
            RuleType::Forward => Answer::Forwarded {
                rule_id: rule.id.clone(),
                targets: rule.targets.clone(),
            },
            RuleType::Recursive => {
                hops.push(Hop::PublicDns);
                Answer::Public
            }
            RuleType::System => self.vpc_resolver_answers(name, hops),
            RuleType::Other(ref kind) => Answer::Unknown {
                reason: format!(
                    "Resolver rule {} has the type {kind}, which linkscope does not know.",
                    rule.id
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::{hosted_zone as zone, resolver_rule as rule};

    fn sqs_endpoint() -> VpcEndpoint {
        let mut endpoint = crate::model::test_endpoint("vpce-0sqs", "com.amazonaws.us-east-1.sqs");
        endpoint.network_interface_ids = vec!["eni-1".into()];
        endpoint
    }

    fn eni() -> EndpointEni {
        EndpointEni {
            id: "eni-1".into(),
            subnet_id: "subnet-1".into(),
            availability_zone: "us-east-1a".into(),
            private_ip: Some("10.0.1.23".into()),
            ipv6_addresses: vec![],
            security_group_ids: vec![],
            requester_managed: true,
            status: None,
            deny_all_igw_traffic: None,
        }
    }

    const SQS: &str = "sqs.us-east-1.amazonaws.com";

    /// A resolver over Amazon DHCP, the given rules and zones, and the sqs endpoint.
    fn with<'a>(
        dhcp: &'a DhcpOptions,
        rules: &'a [ResolverRule],
        zones: &'a [HostedZone],
        records: &'a [RecordSet],
        endpoints: &'a [VpcEndpoint],
        enis: &'a [EndpointEni],
    ) -> Resolver<'a> {
        Resolver {
            dhcp: Ok(Some(dhcp)),
            vpc_resolver: vpc_resolver_addresses(&["10.0.0.0/16".into()]),
            rules: Ok(rules),
            zones: Ok(zones),
            records: Ok(records),
            endpoint_zones: Ok(endpoint_zones(endpoints, enis, |_| vec![SQS.into()])),
        }
    }

    fn amazon() -> DhcpOptions {
        DhcpOptions {
            id: "dopt-1".into(),
            domain_name_servers: vec!["AmazonProvidedDNS".into()],
            domain_name: None,
        }
    }

    fn endpoint_answer() -> Answer {
        Answer::EndpointIps {
            endpoint_id: "vpce-0sqs".into(),
            ips: vec![("us-east-1a".into(), "10.0.1.23".into())],
        }
    }

    #[test]
    fn a_forward_rule_for_a_parent_loses_to_the_endpoints_zone() {
        let (dhcp, endpoints, enis) = (amazon(), [sqs_endpoint()], [eni()]);
        let rules = [rule("rslvr-rr-1", "amazonaws.com", RuleType::Forward)];
        let path = with(&dhcp, &rules, &[], &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(path.answer, endpoint_answer());
        assert_eq!(
            path.hops.last(),
            Some(&Hop::EndpointPrivateDns {
                endpoint_id: "vpce-0sqs".into()
            })
        );
    }

    #[test]
    fn a_forward_rule_for_the_exact_name_wins_the_tie() {
        let (dhcp, endpoints, enis) = (amazon(), [sqs_endpoint()], [eni()]);
        let rules = [rule("rslvr-rr-2", SQS, RuleType::Forward)];
        let path = with(&dhcp, &rules, &[], &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(
            path.answer,
            Answer::Forwarded {
                rule_id: "rslvr-rr-2".into(),
                targets: vec!["10.9.0.2:53".into()]
            }
        );
    }

    #[test]
    fn a_system_rule_under_a_forward_rule_gives_the_name_back_to_the_vpc_resolver() {
        let (dhcp, endpoints, enis) = (amazon(), [sqs_endpoint()], [eni()]);
        let rules = [
            rule("rslvr-rr-1", "us-east-1.amazonaws.com", RuleType::Forward),
            rule("rslvr-rr-3", SQS, RuleType::System),
        ];
        let path = with(&dhcp, &rules, &[], &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(path.answer, endpoint_answer());
        // Without the endpoint, the VPC resolver goes to public DNS.
        let path = with(&dhcp, &rules, &[], &[], &[], &[]).resolve(SQS);
        assert_eq!(path.answer, Answer::Public);
        assert!(matches!(path.hops[1], Hop::ResolverRule { ref id, .. } if id == "rslvr-rr-3"));
        // And a name outside the SYSTEM rule is still forwarded.
        let path = with(&dhcp, &rules, &[], &[], &[], &[]).resolve("kms.us-east-1.amazonaws.com");
        assert!(matches!(path.answer, Answer::Forwarded { .. }));
    }

    #[test]
    fn a_zone_without_the_record_answers_nxdomain_and_with_it_the_record() {
        let dhcp = amazon();
        let zones = [zone("Z1", "us-east-1.amazonaws.com")];
        let path = with(&dhcp, &[], &zones, &[], &[], &[]).resolve(SQS);
        assert_eq!(
            path.answer,
            Answer::Nxdomain {
                zone_id: "Z1".into()
            }
        );
        let records = [RecordSet {
            zone_id: "Z1".into(),
            name: SQS.into(),
            kind: RecordKind::A,
            alias_target: Some("vpce-0hub-abc.sqs.us-east-1.vpce.amazonaws.com".into()),
            values: vec![],
        }];
        let path = with(&dhcp, &[], &zones, &records, &[], &[]).resolve(SQS);
        assert!(
            matches!(path.answer, Answer::Record { alias: true, .. }),
            "{path:?}"
        );
        // A wildcard record above the name answers it too.
        let wildcard = [RecordSet {
            name: "*.us-east-1.amazonaws.com".into(),
            ..records[0].clone()
        }];
        let path = with(&dhcp, &[], &zones, &wildcard, &[], &[]).resolve(SQS);
        assert!(matches!(path.answer, Answer::Record { .. }), "{path:?}");
        // A more specific endpoint zone beats the broader zone.
        let (endpoints, enis) = ([sqs_endpoint()], [eni()]);
        let path = with(&dhcp, &[], &zones, &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(path.answer, endpoint_answer());
    }

    #[test]
    fn custom_dhcp_servers_come_first_and_the_vpc_resolver_counts_as_amazon() {
        let custom = DhcpOptions {
            id: "dopt-2".into(),
            domain_name_servers: vec!["10.50.0.10".into()],
            domain_name: None,
        };
        let (endpoints, enis) = ([sqs_endpoint()], [eni()]);
        let path = with(&custom, &[], &[], &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(
            path.answer,
            Answer::CustomDns {
                servers: vec!["10.50.0.10".into()]
            }
        );
        for server in ["10.0.0.2", "169.254.169.253"] {
            let own = DhcpOptions {
                domain_name_servers: vec![server.into()],
                ..custom.clone()
            };
            let path = with(&own, &[], &[], &[], &endpoints, &enis).resolve(SQS);
            assert_eq!(path.answer, endpoint_answer(), "{server}");
        }
        // The first server decides: the others answer only when it does not.
        let custom_first = DhcpOptions {
            domain_name_servers: vec!["10.50.0.10".into(), "AmazonProvidedDNS".into()],
            ..custom.clone()
        };
        let path = with(&custom_first, &[], &[], &[], &endpoints, &enis).resolve(SQS);
        assert!(matches!(path.answer, Answer::CustomDns { .. }), "{path:?}");
        let amazon_first = DhcpOptions {
            domain_name_servers: vec!["AmazonProvidedDNS".into(), "10.50.0.10".into()],
            ..custom.clone()
        };
        let path = with(&amazon_first, &[], &[], &[], &endpoints, &enis).resolve(SQS);
        assert_eq!(path.answer, endpoint_answer());
        // No servers at all: nothing answers, and linkscope does not guess.
        let none = DhcpOptions {
            domain_name_servers: vec![],
            ..custom
        };
        let path = with(&none, &[], &[], &[], &endpoints, &enis).resolve(SQS);
        assert!(matches!(path.answer, Answer::Unknown { .. }), "{path:?}");
    }

    #[test]
    fn no_match_is_public_and_missing_inputs_are_unknown() {
        let dhcp = amazon();
        let path = with(&dhcp, &[], &[], &[], &[], &[]).resolve(SQS);
        assert_eq!(path.answer, Answer::Public);
        assert_eq!(path.hops.last(), Some(&Hop::PublicDns));
        let mut resolver = with(&dhcp, &[], &[], &[], &[], &[]);
        resolver.rules = Err("rules denied".into());
        assert_eq!(
            resolver.resolve(SQS).answer,
            Answer::Unknown {
                reason: "rules denied".into()
            }
        );
        let root = [rule("rslvr-rr-9", "", RuleType::Forward)];
        let path = with(&dhcp, &root, &[], &[], &[], &[]).resolve(SQS);
        assert!(
            matches!(path.answer, Answer::Forwarded { .. }),
            "the root rule matches all"
        );
        let recursive = [rule("rslvr-rr-8", "amazonaws.com", RuleType::Recursive)];
        let path = with(&dhcp, &recursive, &[], &[], &[], &[]).resolve(SQS);
        assert_eq!(path.answer, Answer::Public);
        let strange = [rule("rslvr-rr-7", SQS, RuleType::Other("DELEGATE".into()))];
        let path = with(&dhcp, &strange, &[], &[], &[], &[]).resolve(SQS);
        assert!(
            matches!(&path.answer, Answer::Unknown { reason } if reason.contains("DELEGATE")),
            "a type linkscope does not know is not guessed: {path:?}"
        );
    }

    #[test]
    fn only_endpoints_whose_private_dns_is_in_effect_have_a_zone() {
        let mut off = sqs_endpoint();
        off.private_dns_enabled = false;
        let mut pending = sqs_endpoint();
        pending.state = EndpointState::Pending;
        let mut inbound = sqs_endpoint();
        inbound.dns_options = Some(crate::model::DnsOptions {
            dns_record_ip_type: None,
            private_dns_only_for_inbound_resolver_endpoint: Some(true),
        });
        for endpoint in [off, pending, inbound] {
            let endpoints = [endpoint];
            assert!(endpoint_zones(&endpoints, &[], |_| vec![SQS.into()]).is_empty());
        }
        let wildcard = [sqs_endpoint()];
        let zones = endpoint_zones(&wildcard, &[], |_| {
            vec!["*.dkr.ecr.us-east-1.amazonaws.com".into()]
        });
        assert_eq!(zones[0].domain, "dkr.ecr.us-east-1.amazonaws.com");
        assert!(in_domain(
            "111122223333.dkr.ecr.us-east-1.amazonaws.com",
            &zones[0].domain
        ));
        assert!(!in_domain("ecr.us-east-1.amazonaws.com", &zones[0].domain));
    }
}
