//! The audit engine: pure functions over a [`Snapshot`] that return findings. Every judgement
//! (the S3 path, a network ACL flow, a policy's class) is made here once; the faces of
//! linkscope only display findings and typed facts.
//!
//! No I/O and no SDK types. The MWAA checklist comes first, in its stable order, then the
//! other families of rules.

pub mod access;
mod audit;
pub mod changes;
mod context;
pub mod dns;
pub mod docs;
pub mod endpoints;
mod facts;
mod finding;
pub mod fixes;
pub mod metrics;
pub mod mwaa;
mod net;
pub mod network;
pub mod policy;
pub mod probe;
mod readiness;
mod rule;
pub mod shared;
pub mod shell;

pub use audit::{Audit, AuditedWorkload, GroupVerdict, SubnetTable, audit, audit_with};
pub use context::{Ctx, MWAA_SUFFIXES};
pub use dns::names::DnsName;
pub use endpoints::policies::{PolicyClass, policy_class};

pub use finding::{ChecklistItem, Evidence, Finding, Severity, Status, Subject, SubjectKind};
pub use network::s3_routing_disagreements;
pub use readiness::Readiness;
pub use rule::{Family, Rule};

/// Every family, in report order. A new family is one line here.
pub static FAMILIES: [Family; 24] = [
    mwaa::checklist::FAMILY,
    mwaa::environment::FAMILY,
    mwaa::wrong_place::FAMILY,
    network::shared_vpc::FAMILY,
    endpoints::states::FAMILY,
    dns::vpc_dns::FAMILY,
    dns::path_rules::FAMILY,
    endpoints::private_dns::FAMILY,
    endpoints::catalogue::FAMILY,
    endpoints::availability_zones::FAMILY,
    endpoints::ip_types::FAMILY,
    endpoints::security_groups::FAMILY,
    mwaa::workload_groups::FAMILY,
    network::nacl::FAMILY,
    network::path_rule::FAMILY,
    network::gateway::FAMILY,
    network::gateway_limits::FAMILY,
    endpoints::policies::FAMILY,
    endpoints::quotas::FAMILY,
    metrics::FAMILY,
    mwaa::health::FAMILY,
    access::role::FAMILY,
    access::bucket::FAMILY,
    access::key::FAMILY,
];

/// Every rule linkscope checks, for documentation and SARIF rule metadata.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter())
}

/// The rule a finding comes from.
pub fn rule_of(finding: &Finding) -> Option<&'static Rule> {
    rules().find(|r| r.id == finding.rule)
}

#[cfg(test)]
mod testkit;

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use crate::model::Source;

    #[test]
    fn healthy_demo_has_no_problems_and_troubled_demo_has_the_expected_ones() {
        let audit = audit(&Fixture::healthy());
        let problems: Vec<&Finding> = audit
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown))
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(
            audit.checklist().count(),
            14,
            "with two context rows: MWAA manages its endpoints"
        );
        assert_eq!(audit.readiness().to_string(), "12/12 pass");

        let troubled = super::audit(&Fixture::troubled());
        let mut failed: Vec<&str> = troubled
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && f.checklist.is_none())
            .map(|f| f.id.as_str())
            .collect();
        failed.sort();
        failed.dedup();
        assert_eq!(
            failed,
            [
                "dns-resolver-rule-overrides",
                "mwaa-env-status",
                "mwaa-s3-policy-missing-ecr-layer-bucket",
                "s3-gateway-rt-not-associated",
                "vpce-private-dns-off",
                "vpce-sg-no-https-inbound",
            ]
        );
        let rows: Vec<&str> = troubled
            .checklist()
            .filter(|f| f.status.is_problem())
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(rows.len(), 6, "{rows:?}");
        assert_eq!(troubled.readiness().to_string(), "6/12 pass");
        assert!(rows.contains(&"mwaa.endpoint.monitoring"), "forwarded away");
    }

    #[test]
    fn the_worst_finding_naming_an_endpoint_is_its_verdict() {
        let snap = Fixture::troubled();
        let troubled = audit(&snap);
        // The sqs endpoint is `available` with private DNS on, and its group drops 443.
        let sqs = snap
            .endpoints
            .iter()
            .find(|e| e.short_service_name() == "sqs")
            .unwrap();
        let worst = troubled.worst_naming(&sqs.id).unwrap();
        assert_eq!(worst.status, Status::Fail, "{worst:?}");
        let healthy = audit(&Fixture::healthy());
        let snap = Fixture::healthy();
        let any = &snap.endpoints[0];
        let verdict = healthy.worst_naming(&any.id).unwrap();
        assert!(!verdict.status.is_problem(), "{verdict:?}");
        assert!(healthy.worst_naming("vpce-0000000000000000f").is_none());
    }

    #[test]
    fn every_finding_belongs_to_a_rule_of_its_family() {
        let ids: Vec<&str> = rules().map(|r| r.id).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicate rule ids");
        let ctx_snap = Fixture::troubled();
        let ctx = Ctx::new(&ctx_snap);
        for family in FAMILIES.iter() {
            for finding in family.audit(&ctx) {
                let rule = family
                    .rules
                    .iter()
                    .find(|r| r.id == finding.rule)
                    .unwrap_or_else(|| panic!("{} reports {}", family.name, finding.rule));
                assert_eq!(rule.title, finding.title);
                if let Some(id) = finding.subject.resource() {
                    assert_eq!(finding.resources[0], id, "subject first");
                }
            }
        }
        for scenario in [Fixture::healthy(), Fixture::troubled()] {
            for finding in audit(&scenario).findings {
                assert!(rule_of(&finding).is_some(), "unregistered {}", finding.id);
            }
        }
    }

    #[test]
    fn every_rule_cites_aws_documentation() {
        for rule in rules() {
            assert!(!rule.docs.is_empty(), "{}", rule.id);
            for cite in rule.docs {
                assert!(
                    cite.page.url.starts_with("https://docs.aws.amazon.com/"),
                    "{}: {}",
                    rule.id,
                    cite.page.url
                );
            }
            assert!(!rule.source().contains("rules.md") && !rule.source().contains("[00"));
        }
    }

    #[test]
    fn a_rule_whose_input_failed_is_unknown_and_others_keep_their_verdicts() {
        let mut snap = Fixture::healthy();
        snap.endpoints.clear();
        snap.fail(Source::VpcEndpoints);
        let audit = audit(&snap);
        let endpoint_rows: Vec<&Finding> = audit
            .checklist()
            .filter(|f| matches!(f.checklist, Some(ChecklistItem::Endpoint(_))))
            .collect();
        assert_eq!(endpoint_rows.len(), 12);
        assert!(endpoint_rows.iter().all(|f| f.status == Status::Unknown));
        assert!(
            endpoint_rows
                .iter()
                .all(|f| f.detail.contains("ec2:DescribeVpcEndpoints failed"))
        );
        // One unknown per rule, not one per endpoint.
        assert_eq!(findings(&snap, "vpce-state-failed").len(), 1);
        assert_eq!(
            only(&snap, "vpc-dns-support-off").status,
            Status::Pass,
            "unrelated rules still pass"
        );
    }

    #[test]
    fn counts_and_worst_status() {
        let audit = audit(&Fixture::troubled());
        for status in [
            Status::Pass,
            Status::Fail,
            Status::Warn,
            Status::Info,
            Status::Unknown,
        ] {
            let by_hand = audit.findings.iter().filter(|f| f.status == status).count();
            assert_eq!(audit.count(status), by_hand, "{status}");
        }
        assert!(audit.count(Status::Fail) > 1 && audit.count(Status::Pass) > 1);
        let logs = Fixture::troubled().id_of("logs");
        assert_eq!(audit.worst_for(&logs), Some(Status::Fail));
        let ecr = Fixture::troubled().id_of("ecr.api");
        assert_eq!(audit.worst_for(&ecr), None);
        assert_eq!(audit.worst_for("nothing-here"), None);
    }

    #[test]
    fn the_group_that_blocks_443_is_a_resource_of_the_rows_it_breaks() {
        let snap = Fixture::troubled();
        let audit = audit(&snap);
        let legacy = snap
            .security_groups
            .iter()
            .find(|g| g.name == "legacy-endpoints")
            .unwrap()
            .id
            .clone();
        for row in ["mwaa.endpoint.sqs", "mwaa.endpoint.kms"] {
            let f = audit.findings.iter().find(|f| f.id == row).unwrap();
            assert_eq!(f.status, Status::Fail);
            assert!(f.involves(&legacy), "{f:#?}");
        }
        assert_eq!(audit.worst_for(&legacy), Some(Status::Fail));
    }
}
