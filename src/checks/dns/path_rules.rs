//! Rules over the DNS path as Route 53 Resolver takes it (*How Resolver determines whether the
//! domain name in a query matches any rules*): custom DHCP DNS servers, Resolver rules that take a
//! name away from the VPC's own endpoint, private zones that answer NXDOMAIN, and private zones
//! that answer a service name.

use std::collections::BTreeMap;

use super::names::{NamePath, Outcome};
use super::records::{alias_records, alias_target};
use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_ENDPOINTS, RESOLVER_AUTODEFINED, RESOLVER_RULES, S3_GATEWAY, cite};
use crate::checks::finding::{Finding, Severity};
use crate::checks::rule::{Family, Rule};
use crate::model::{Source, VpcEndpoint};

/// A DHCP option set that names its own DNS servers, which linkscope cannot follow (*Gateway
/// endpoints for Amazon S3 › Considerations: your own DNS server*; *Creating the required VPC
/// service endpoints in an Amazon VPC with private routing › VPCs with custom DNS*).
pub const CUSTOM_DNS: Rule = Rule {
    id: "vpc-custom-dns",
    severity: Severity::Warn,
    title: "The VPC's DHCP option set uses AmazonProvidedDNS",
    docs: &[
        cite(S3_GATEWAY, "Considerations: your own DNS server"),
        cite(MWAA_ENDPOINTS, "VPCs with custom DNS"),
    ],
    needs: &[Source::DhcpOptions],
    reads: &[],
};
/// A FORWARD rule wins for a name the VPC's own endpoint would answer.
pub const RULE_OVERRIDES: Rule = Rule {
    id: "dns-resolver-rule-overrides",
    severity: Severity::Error,
    title: "No Resolver forwarding rule takes a service name away from the VPC's endpoint",
    docs: &[cite(RESOLVER_RULES, "")],
    needs: &[Source::ResolverRules, Source::VpcEndpoints],
    reads: &[],
};
/// A private zone is the winning match for a required name but holds no record for it.
pub const ZONE_MISSING_RECORD: Rule = Rule {
    id: "dns-zone-missing-record",
    severity: Severity::Error,
    title: "Private hosted zones that match a service name hold a record for it",
    docs: &[cite(RESOLVER_AUTODEFINED, "Rules for private hosted zones")],
    needs: &[Source::HostedZones, Source::RecordSets],
    reads: &[],
};
/// Private zones that answer a service name: centralised endpoints, or a zone over the
/// VPC's own endpoint.
pub const ZONE_OVERRIDES: Rule = Rule {
    id: "dns-phz-overrides-service",
    severity: Severity::Info,
    title: "Private hosted zones that answer service names (centralised endpoints)",
    docs: &[cite(RESOLVER_AUTODEFINED, "Rules for private hosted zones")],
    needs: &[Source::HostedZones, Source::RecordSets],
    reads: &[],
};

/// The DNS path.
pub const FAMILY: Family = Family {
    name: "DNS path",
    rules: &[
        CUSTOM_DNS,
        RULE_OVERRIDES,
        ZONE_MISSING_RECORD,
        ZONE_OVERRIDES,
    ],
    run,
};

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = vec![custom_dns(ctx)];
    findings.extend(rule_overrides(ctx));
    findings.extend(missing_records(ctx));
    findings.extend(zone_overrides(ctx));
    findings
}

/// Rule 10: the DHCP option set's servers are not AmazonProvidedDNS (nor the VPC resolver).
fn custom_dns(ctx: &Ctx) -> Finding {
    let options = match super::names::dhcp_options(ctx) {
        Err(reason) => return CUSTOM_DNS.unknown(ctx.vpc(), reason),
        Ok(None) => {
            return CUSTOM_DNS.pass(
                ctx.vpc(),
                "The VPC has no DHCP option set: it uses Amazon DNS.",
            );
        }
        Ok(Some(options)) => options,
    };
    // The path's DHCP hop says whether the first server is Amazon DNS (`dns::resolution`).
    let custom = ctx.names.iter().any(|n| {
        n.path
            .hops
            .iter()
            .any(|h| matches!(h, crate::model::Hop::Dhcp { amazon: false, .. }))
    });
    let subject = ctx.vpc();
    if !custom {
        return CUSTOM_DNS
            .pass(
                subject,
                format!(
                    "{} gives instances {}.",
                    options.id,
                    options.domain_name_servers.join(", ")
                ),
            )
            .involving([options.id.clone()]);
    }
    let detail = if options.domain_name_servers.is_empty() {
        format!(
            "{} gives instances no DNS servers, so they cannot resolve the service names.",
            options.id
        )
    } else {
        format!(
            "{} gives instances the DNS servers {}, asked in that order, instead of AmazonProvidedDNS first: whether they resolve the service names to the VPC's endpoints cannot be seen from the AWS APIs.",
            options.id,
            options.domain_name_servers.join(", ")
        )
    };
    CUSTOM_DNS
        .violated(subject, detail)
        .involving([options.id.clone()])
        .fix_if(Outcome::CustomDns.remedy(ctx))
}

/// The names of the paths that match, grouped by a key.
fn grouped<'a, 'b>(
    ctx: &'b Ctx<'a>,
    key: impl Fn(&NamePath) -> Option<String>,
) -> BTreeMap<String, Vec<&'b NamePath<'a>>> {
    let mut groups: BTreeMap<String, Vec<&NamePath>> = BTreeMap::new();
    for name in &ctx.names {
        if let Some(k) = key(name) {
            groups.entry(k).or_default().push(name);
        }
    }
    groups
}

fn names_of(paths: &[&NamePath]) -> String {
    paths
        .iter()
        .map(|p| p.scoped.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A FORWARD rule whose domain is exactly an endpoint's private DNS name: the rule wins the
/// tie, so the endpoint is not used. Fail for the MWAA names, warn for others.
fn rule_overrides(ctx: &Ctx) -> Vec<Finding> {
    let groups = grouped(ctx, |n| match &n.outcome {
        Outcome::Overridden { rule_id } => Some(rule_id.clone()),
        _ => None,
    });
    let findings = groups
        .into_iter()
        .filter_map(|(rule_id, paths)| {
            let rule = ctx.snap.dns.resolver_rules.iter().find(|r| r.id == rule_id)?;
            let severity = if paths.iter().any(|p| p.required) {
                Severity::Error
            } else {
                Severity::Warn
            };
            let endpoints: Vec<String> = paths.iter().filter_map(|p| p.local.map(|e| e.id.clone())).collect();
            Some(
                RULE_OVERRIDES
                    .violated_at(severity, ctx.vpc(), format!(
                        "Resolver rule {rule_id} forwards {} to {}; its domain is exactly the private DNS name, so it wins over the endpoint's private zone for: {}.",
                        if rule.domain.is_empty() { "." } else { &rule.domain },
                        rule.targets.join(", "),
                        names_of(&paths)
                    ))
                    .involving([rule_id.clone()])
                    .involving(endpoints)
                    .fix_if(paths[0].outcome.remedy(ctx)),
            )
        })
        .collect();
    RULE_OVERRIDES.or_pass(
        findings,
        ctx.vpc(),
        "No forwarding rule takes a service name away from the VPC's endpoints.",
    )
}

/// A private zone that is the winning match for a name but holds no record: NXDOMAIN.
/// The records the zone lacks, each pointing at an endpoint of its service outside the VPC
/// when the snapshot knows one; or, commented out, the zone taken from the VPC so that the
/// names fall through to the endpoints' own zones.
fn record_fix(ctx: &Ctx, zone_id: &str, paths: &[&NamePath]) -> String {
    let records: Vec<(&str, Option<&VpcEndpoint>)> = paths
        .iter()
        .map(|p| {
            let elsewhere = ctx.snap.dns.hub_endpoints.iter();
            let candidates = elsewhere.chain(&ctx.snap.endpoints_elsewhere);
            let target = alias_target(&p.scoped.service_name, candidates);
            (p.scoped.published.as_str(), target)
        })
        .collect();
    format!(
        "{}\n# or let the names fall through to the endpoints' own zones:\n# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {zone_id} --vpc VPCRegion={},VPCId={}",
        alias_records(zone_id, &records),
        ctx.region(),
        ctx.vpc_id()
    )
}

fn missing_records(ctx: &Ctx) -> Vec<Finding> {
    let groups = grouped(ctx, |n| match &n.outcome {
        Outcome::Nxdomain { zone_id } => Some(zone_id.clone()),
        _ => None,
    });
    let findings = groups
        .into_iter()
        .map(|(zone_id, paths)| {
            let zone = ctx.snap.dns.hosted_zones.iter().find(|z| z.id == zone_id);
            let zone_name = zone.map_or("?", |z| z.name.as_str());
            let severity = if paths.iter().any(|p| p.required) {
                Severity::Error
            } else {
                Severity::Warn
            };
            ZONE_MISSING_RECORD
                .violated_at(severity, ctx.vpc(), format!(
                    "Private hosted zone {zone_id} ({zone_name}) is the most specific match for {} but holds no record for it: the VPC gets NXDOMAIN.",
                    names_of(&paths)
                ))
                .involving([zone_id.clone()])
                .fix(record_fix(ctx, &zone_id, &paths))
        })
        .collect();
    ZONE_MISSING_RECORD.or_pass(
        findings,
        ctx.vpc(),
        "No private hosted zone swallows a service name with NXDOMAIN.",
    )
}

/// Zones that answer service names: centralised endpoints (context), or a zone that takes a
/// name from the VPC's own endpoint (a warning: traffic goes wherever the zone says).
fn zone_overrides(ctx: &Ctx) -> Vec<Finding> {
    let groups = grouped(ctx, |n| match &n.outcome {
        Outcome::Hub { zone_id, .. } | Outcome::ShadowedByZone { zone_id } => Some(zone_id.clone()),
        Outcome::Unverifiable => n.path.hops.iter().find_map(|h| match h {
            crate::model::Hop::PrivateZone { zone_id, .. } => Some(zone_id.clone()),
            _ => None,
        }),
        _ => None,
    });
    let findings = groups
        .into_iter()
        .map(|(zone_id, paths)| {
            let lines: Vec<String> = paths.iter().map(|p| p.explanation.clone()).collect();
            let shadows = paths
                .iter()
                .any(|p| matches!(p.outcome, Outcome::ShadowedByZone { .. }));
            let subject = ctx.vpc();
            let detail = lines.join(" ");
            let hubs = paths.iter().filter_map(|p| match &p.outcome {
                Outcome::Hub { endpoint_id, .. } => Some(endpoint_id.clone()),
                _ => None,
            });
            let finding = if shadows {
                ZONE_OVERRIDES.violated_at(Severity::Warn, subject, detail)
            } else {
                ZONE_OVERRIDES.info(subject, detail)
            };
            finding.involving([zone_id]).involving(hubs)
        })
        .collect();
    ZONE_OVERRIDES.or_pass(
        findings,
        ctx.vpc(),
        "No private hosted zone answers a service name.",
    )
}

#[cfg(test)]
mod tests {
    use crate::checks::testkit::*;
    use crate::checks::{Status, audit};
    use crate::model::*;

    const SQS: &str = "sqs.us-east-1.amazonaws.com";

    fn row(snap: &Snapshot, suffix: &str) -> crate::checks::Finding {
        only(snap, &format!("mwaa.endpoint.{suffix}"))
    }

    #[test]
    fn custom_dhcp_servers_warn_and_leave_the_rows_unknown() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "vpc-custom-dns");
        snap.dns.dhcp_options.as_mut().unwrap().domain_name_servers = vec!["10.50.0.10".into()];
        let options = snap.dns.dhcp_options.as_ref().unwrap().id.clone();
        let f = assert_flags(&snap, "vpc-custom-dns", Status::Warn, &options);
        assert!(f.detail.contains("10.50.0.10"), "{}", f.detail);
        assert!(
            f.remediation
                .unwrap()
                .contains("10.30.0.2 or 169.254.169.253")
        );
        assert_eq!(
            row(&snap, "sqs").status,
            Status::Unknown,
            "cannot see past them"
        );
        // The VPC resolver's own address counts as Amazon DNS.
        snap.dns.dhcp_options.as_mut().unwrap().domain_name_servers = vec!["10.30.0.2".into()];
        assert_pass(&snap, "vpc-custom-dns");
        assert_eq!(row(&snap, "sqs").status, Status::Pass);
    }

    #[test]
    fn a_forwarding_rule_for_the_exact_name_fails_the_row_and_a_parent_rule_does_not() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "dns-resolver-rule-overrides");
        snap.dns.resolver_rules = vec![resolver_rule(
            "rslvr-rr-1",
            "amazonaws.com",
            RuleType::Forward,
        )];
        assert_pass(&snap, "dns-resolver-rule-overrides");
        assert_eq!(
            row(&snap, "sqs").status,
            Status::Pass,
            "the endpoint's zone is more specific"
        );
        snap.dns
            .resolver_rules
            .push(resolver_rule("rslvr-rr-2", SQS, RuleType::Forward));
        let f = assert_flags(
            &snap,
            "dns-resolver-rule-overrides",
            Status::Fail,
            "rslvr-rr-2",
        );
        assert!(
            f.detail.contains(SQS) && f.detail.contains("10.9.0.2:53"),
            "{}",
            f.detail
        );
        assert!(
            !f.detail.contains("kms"),
            "names the rule does not win are not listed"
        );
        let sqs = row(&snap, "sqs");
        assert_eq!(sqs.status, Status::Fail);
        assert!(sqs.involves("rslvr-rr-2"));
        // The row and the rule print the same fix, with the real ids.
        let fix = format!(
            "aws route53resolver disassociate-resolver-rule --vpc-id {} --resolver-rule-id rslvr-rr-2",
            snap.vpc.id
        );
        assert!(sqs.remediation.unwrap().starts_with(&fix));
        assert!(f.remediation.unwrap().starts_with(&fix));
        // A SYSTEM rule for the name gives it back.
        snap.dns.resolver_rules[1].rule_type = RuleType::System;
        assert_pass(&snap, "dns-resolver-rule-overrides");
        // Another service's name is a warning.
        let mut other = Fixture::healthy();
        let mut ssm = other.endpoint("kms").clone();
        ssm.id = "vpce-0aaaabbbbccccdddd".into();
        ssm.service_name = "com.amazonaws.us-east-1.ssm".into();
        ssm.dns_entries = vec![DnsEntry {
            dns_name: "ssm.us-east-1.amazonaws.com".into(),
            hosted_zone_id: None,
        }];
        other.endpoints.push(ssm);
        other.dns.resolver_rules = vec![resolver_rule(
            "rslvr-rr-3",
            "ssm.us-east-1.amazonaws.com",
            RuleType::Forward,
        )];
        assert_flags(
            &other,
            "dns-resolver-rule-overrides",
            Status::Warn,
            "rslvr-rr-3",
        );
    }

    #[test]
    fn a_required_name_without_an_endpoint_that_is_forwarded_is_unknown_not_fail() {
        let mut snap = Fixture::healthy();
        snap.without("airflow.ops");
        assert_eq!(row(&snap, "airflow.ops").status, Status::Fail);
        snap.dns.resolver_rules = vec![resolver_rule(
            "rslvr-rr-4",
            "amazonaws.com",
            RuleType::Forward,
        )];
        let f = row(&snap, "airflow.ops");
        assert_eq!(f.status, Status::Unknown);
        assert!(
            f.detail.contains("10.9.0.2:53 through rslvr-rr-4")
                && f.detail.contains("linkscope probe"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn a_zone_without_the_record_answers_nxdomain_and_fails() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "dns-zone-missing-record");
        snap.without("sqs");
        snap.dns.hosted_zones = vec![hosted_zone("Z1", "us-east-1.amazonaws.com")];
        let f = assert_flags(&snap, "dns-zone-missing-record", Status::Fail, "Z1");
        assert!(
            f.detail.contains(SQS) && f.detail.contains("NXDOMAIN"),
            "{}",
            f.detail
        );
        let sqs = row(&snap, "sqs");
        assert_eq!(sqs.status, Status::Fail);
        assert!(
            sqs.detail.contains("NXDOMAIN") && sqs.involves("Z1"),
            "{sqs:?}"
        );
        let fix = sqs.remediation.unwrap();
        assert!(
            fix.starts_with("aws ec2 create-vpc-endpoint ")
                && fix.contains("\n# aws route53 change-resource-record-sets --hosted-zone-id Z1 "),
            "one command to run, the alternative commented out: {fix}"
        );
        let fix = f.remediation.unwrap();
        assert!(
            fix.starts_with("# records.json: ")
                && fix.contains("\naws route53 change-resource-record-sets --hosted-zone-id Z1 ")
                && fix.contains("\n# aws route53 disassociate-vpc-from-hosted-zone"),
            "explained, then run; the alternative commented out: {fix}"
        );
        // The other names have endpoints, whose zones are more specific.
        assert_eq!(row(&snap, "kms").status, Status::Pass);
    }

    #[test]
    fn centralised_endpoints_pass_when_seen_and_are_unknown_when_not() {
        let snap = Fixture::spoke();
        let result = audit(&snap);
        let rows: Vec<(&str, Status)> = result
            .checklist()
            .map(|f| (f.id.as_str(), f.status))
            .collect();
        assert!(
            rows.contains(&("mwaa.endpoint.sqs", Status::Pass)),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("mwaa.endpoint.kms", Status::Fail)),
            "NXDOMAIN: {rows:?}"
        );
        assert!(
            rows.contains(&("mwaa.endpoint.airflow.ops", Status::Unknown)),
            "{rows:?}"
        );
        let hub = &snap.dns.hub_endpoints[0];
        let zone = findings(&snap, "dns-phz-overrides-service")
            .into_iter()
            .find(|f| f.involves(&hub.id))
            .unwrap();
        assert_eq!(zone.status, Status::Info);
        // The hub endpoint out of sight: unknown, never fail.
        let mut hidden = snap.clone();
        hidden.dns.hub_endpoints.clear();
        let sqs = row(&hidden, "sqs");
        assert_eq!(sqs.status, Status::Unknown, "{sqs:?}");
        // The hub endpoint no longer available: unknown with its state, never fail.
        let mut gone = snap.clone();
        for e in &mut gone.dns.hub_endpoints {
            e.state = EndpointState::Deleted;
        }
        let sqs = row(&gone, "sqs");
        assert_eq!(sqs.status, Status::Unknown);
        assert!(sqs.detail.contains("which is deleted"), "{}", sqs.detail);
        // A record that points at another service's endpoint fails: that endpoint's
        // certificate and service are not SQS's.
        let mut crossed = snap.clone();
        for e in &mut crossed.dns.hub_endpoints {
            if e.service_name.ends_with(".sqs") {
                e.service_name = "com.amazonaws.us-east-1.kms".into();
            }
        }
        let sqs = row(&crossed, "sqs");
        assert_eq!(sqs.status, Status::Fail, "{}", sqs.detail);
        assert!(
            sqs.detail
                .contains("is for com.amazonaws.us-east-1.kms, not"),
            "{}",
            sqs.detail
        );
    }

    #[test]
    fn a_zone_over_the_vpcs_own_endpoint_warns() {
        let mut snap = Fixture::healthy();
        snap.dns.hosted_zones = vec![hosted_zone("Z2", SQS)];
        snap.dns.records = vec![alias("Z2", SQS, "elsewhere.example.com")];
        // The customer's zone ties with the endpoint's hidden zone and wins.
        let f = assert_flags(&snap, "dns-phz-overrides-service", Status::Warn, "Z2");
        assert!(f.detail.contains("not to"), "{}", f.detail);
        assert_eq!(row(&snap, "sqs").status, Status::Warn);
    }

    #[test]
    fn private_dns_without_the_dns_attributes_fails_the_row() {
        let mut snap = Fixture::healthy();
        snap.vpc.enable_dns_hostnames = Some(false);
        let f = row(&snap, "sqs");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.detail.contains(
                "DNS hostnames (enableDnsHostnames) is off, so its private zone does not exist"
            ),
            "{}",
            f.detail
        );
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-attribute --vpc-id {} --enable-dns-hostnames '{{\"Value\":true}}' --region us-east-1 --profile data-platform-prod",
                snap.vpc.id
            ),
            "only the attribute that is off"
        );
    }

    fn name(snap: &Snapshot, name: &str) -> (Status, String) {
        let result = audit(snap);
        let n = result.names.iter().find(|n| n.name == name).unwrap();
        (n.status, n.explanation.clone())
    }

    #[test]
    fn s3_names_follow_the_gateway_routes_even_beside_an_inbound_only_interface_endpoint() {
        const S3: &str = "s3.us-east-1.amazonaws.com";
        let mut snap = Fixture::healthy();
        assert_eq!(name(&snap, S3).0, Status::Pass);
        // An S3 interface endpoint whose private DNS serves only inbound Resolver endpoints
        // (AWS's default beside a gateway) leaves the VPC on the gateway's routes.
        let mut interface = snap.endpoint("kms").clone();
        interface.id = "vpce-0s3interface0000".into();
        interface.service_name = "com.amazonaws.us-east-1.s3".into();
        interface.dns_options = Some(DnsOptions {
            dns_record_ip_type: None,
            private_dns_only_for_inbound_resolver_endpoint: Some(true),
        });
        snap.endpoints.push(interface);
        assert_eq!(name(&snap, S3), name(&Fixture::healthy(), S3));
        // A workload subnet the gateway does not route fails the name, naming the subnet.
        let table = snap.private_table_id();
        snap.endpoint("s3").route_table_ids.retain(|t| *t != table);
        let (status, why) = name(&snap, S3);
        assert_eq!(status, Status::Fail);
        assert!(
            why.contains(&snap.workload_subnet(0)) || why.contains(&snap.workload_subnet(1)),
            "{why}"
        );
        // Without route tables nobody can say.
        snap.route_tables.clear();
        snap.fail(Source::RouteTables);
        assert_eq!(name(&snap, S3).0, Status::Unknown);
    }

    #[test]
    fn a_broad_forward_rule_with_the_attributes_off_is_not_an_override() {
        let mut snap = Fixture::healthy();
        snap.vpc.enable_dns_hostnames = Some(false);
        snap.dns.resolver_rules = vec![resolver_rule(
            "rslvr-rr-5",
            "amazonaws.com",
            RuleType::Forward,
        )];
        // The endpoint's zone does not exist, so the rule took nothing from it.
        assert_pass(&snap, "dns-resolver-rule-overrides");
        let sqs = row(&snap, "sqs");
        assert_eq!(sqs.status, Status::Fail);
        assert!(sqs.detail.contains("DNS hostnames"), "{}", sqs.detail);
    }

    #[test]
    fn a_cname_is_looked_up_again_and_an_alias_is_not() {
        let mut snap = Fixture::spoke();
        assert_eq!(row(&snap, "sqs").status, Status::Pass);
        // The same target as a CNAME, with a FORWARD rule for amazonaws.com: the VPC
        // resolver asks the rule's targets for the endpoint's name.
        for record in &mut snap.dns.records {
            if record.name == SQS {
                let target = record.alias_target.take().unwrap();
                record.kind = RecordKind::Cname;
                record.values = vec![target];
            }
        }
        assert_eq!(
            row(&snap, "sqs").status,
            Status::Pass,
            "public DNS answers it"
        );
        snap.dns.resolver_rules.push(resolver_rule(
            "rslvr-rr-6",
            "amazonaws.com",
            RuleType::Forward,
        ));
        let sqs = row(&snap, "sqs");
        assert_eq!(sqs.status, Status::Unknown, "{}", sqs.detail);
        assert!(
            sqs.detail.contains("CNAME") && sqs.detail.contains("rslvr-rr-6"),
            "{}",
            sqs.detail
        );
    }

    #[test]
    fn a_zone_alias_to_the_vpcs_own_endpoint_passes() {
        let mut snap = Fixture::healthy();
        let sqs = snap.endpoint("sqs");
        sqs.private_dns_enabled = false;
        let regional = sqs.dns_entries[0].dns_name.clone();
        snap.dns.hosted_zones = vec![hosted_zone("Z3", SQS)];
        snap.dns.records = vec![alias("Z3", SQS, &regional)];
        let (status, why) = name(&snap, SQS);
        assert_eq!(status, Status::Pass, "{why}");
    }

    #[test]
    fn a_dhcp_option_set_that_cannot_be_read_is_unknown() {
        let mut snap = Fixture::healthy();
        snap.dns.dhcp_options = None;
        let f = only(&snap, "vpc-custom-dns");
        assert_eq!(f.status, Status::Unknown, "{}", f.detail);
        assert!(f.detail.contains("not returned"), "{}", f.detail);
        snap.vpc.dhcp_options_id = None;
        assert_pass(&snap, "vpc-custom-dns");
    }

    #[test]
    fn a_snapshot_without_dns_data_leaves_the_rows_unknown() {
        let mut old = Fixture::healthy();
        old.dns = Dns::default();
        for source in [
            Source::DhcpOptions,
            Source::EndpointServices,
            Source::HostedZones,
            Source::RecordSets,
            Source::ResolverRules,
            Source::HubEndpoints,
        ] {
            old.sources.remove(&source);
        }
        let f = row(&old, "sqs");
        assert_eq!(f.status, Status::Unknown);
        assert!(f.detail.contains("was not collected"), "{}", f.detail);
        assert_eq!(only(&old, "vpc-custom-dns").status, Status::Unknown);
        assert_eq!(
            row(&old, "s3").status,
            Status::Pass,
            "the gateway needs no DNS data"
        );
    }
}
