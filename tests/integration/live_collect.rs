//! The real collector and the built binary against the moto server.

use linkscope::aws::{Target, collect};
use linkscope::input::read_file;
use linkscope::model::{EndpointState, EndpointType, FetchStatus, MetricName, Protocol};

use crate::cli::{assert_clean_failure, run, scratch};
use crate::moto::{self, MWAA_SUFFIXES, REGION};

#[tokio::test]
async fn live_collector_reads_every_part_of_a_seeded_vpc() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.11").await;
    let target = Target {
        vpc_id: Some(seeded.vpc_id.clone()),
        ..Target::default()
    };
    let snapshot = collect(&clients, &target).await.expect("collect");

    assert!(
        snapshot.sources.values().all(|s| *s == FetchStatus::Ok),
        "{:?}",
        snapshot.sources
    );
    assert_eq!(snapshot.region, REGION);
    assert_eq!(snapshot.vpc.id, seeded.vpc_id);
    assert_eq!(snapshot.vpc.enable_dns_support, Some(true));
    assert_eq!(snapshot.vpc.enable_dns_hostnames, Some(true));
    assert_eq!(snapshot.vpc.cidr_blocks, ["10.11.0.0/16"]);

    let mut subnets: Vec<_> = snapshot.subnets.iter().map(|s| s.id.clone()).collect();
    subnets.sort();
    let mut expected = seeded.subnets.clone();
    expected.sort();
    assert_eq!(subnets, expected);
    assert!(
        snapshot
            .subnets
            .iter()
            .all(|s| s.availability_zone.starts_with("us-east-1"))
    );

    // Both route tables, the main one flagged, each with the S3 gateway route.
    assert_eq!(snapshot.route_tables.len(), 2);
    let s3_endpoint = &seeded.endpoints["s3"];
    let s3_list = snapshot
        .prefix_lists
        .iter()
        .find(|p| p.name == format!("com.amazonaws.{REGION}.s3"))
        .expect("s3 prefix list");
    for table in &snapshot.route_tables {
        assert_eq!(
            table.is_main(),
            table.id == seeded.route_tables[0],
            "{}",
            table.id
        );
        assert!(
            table
                .routes
                .iter()
                .any(
                    |r| r.destination_prefix_list_id.as_deref() == Some(&s3_list.id)
                        && r.target.as_deref() == Some(s3_endpoint.as_str())
                ),
            "{table:?}"
        );
    }
    let private = snapshot
        .route_tables
        .iter()
        .find(|t| t.id == seeded.route_tables[1])
        .unwrap();
    assert_eq!(
        private.associations[0].subnet_id.as_deref(),
        Some(seeded.subnets[0].as_str())
    );

    let env_group = snapshot
        .security_groups
        .iter()
        .find(|g| g.id == seeded.env_group)
        .unwrap();
    assert_eq!(
        env_group.ingress[0].group_ids,
        std::slice::from_ref(&seeded.env_group)
    );
    let endpoint_group = snapshot
        .security_groups
        .iter()
        .find(|g| g.id == seeded.endpoint_group)
        .unwrap();
    let https = &endpoint_group.ingress[0];
    assert_eq!(
        (&https.protocol, https.from_port, https.to_port),
        (&Protocol::Tcp, Some(443), Some(443))
    );
    assert_eq!(https.ipv4_ranges, ["10.11.0.0/16"]);

    let nacl = snapshot
        .network_acls
        .iter()
        .find(|a| a.id == seeded.nacl)
        .unwrap();
    assert_eq!(
        nacl.entries.iter().filter(|e| e.rule_number == 100).count(),
        2
    );
    assert!(snapshot.network_acls.iter().any(|a| a.is_default));

    // Every endpoint, available, with its ENIs and policy.
    assert_eq!(snapshot.endpoints.len(), MWAA_SUFFIXES.len());
    for (suffix, id) in &seeded.endpoints {
        let endpoint = snapshot.endpoints.iter().find(|e| &e.id == id).unwrap();
        assert_eq!(endpoint.state, EndpointState::Available);
        assert_eq!(endpoint.short_service_name(), suffix);
        if suffix == "s3" {
            assert_eq!(endpoint.endpoint_type, EndpointType::Gateway);
            let policy: serde_json::Value =
                serde_json::from_str(endpoint.policy_document.as_deref().unwrap()).unwrap();
            assert_eq!(
                policy,
                serde_json::from_str::<serde_json::Value>(&moto::s3_policy()).unwrap()
            );
            assert_eq!(endpoint.route_table_ids.len(), 2);
        } else {
            assert_eq!(endpoint.endpoint_type, EndpointType::Interface);
            assert!(endpoint.private_dns_enabled);
            assert_eq!(
                endpoint.security_group_ids,
                std::slice::from_ref(&seeded.endpoint_group)
            );
            assert_eq!(endpoint.network_interface_ids.len(), 2);
            assert!(!endpoint.dns_entries.is_empty());
            for eni in &endpoint.network_interface_ids {
                let eni = snapshot
                    .endpoint_enis
                    .iter()
                    .find(|e| &e.id == eni)
                    .expect("eni");
                assert!(seeded.subnets.contains(&eni.subnet_id));
                assert!(eni.private_ip.is_some());
            }
        }
    }
    assert_eq!(snapshot.endpoint_enis.len(), 18);

    // Five series per interface endpoint; the seeded one has its ten minutes.
    assert_eq!(snapshot.metrics.series.len(), 9 * MetricName::ALL.len());
    let monitoring = &seeded.endpoints["monitoring"];
    let active = snapshot
        .metrics
        .series_for(monitoring, MetricName::ActiveConnections)
        .unwrap();
    assert_eq!(active.points.len(), 10);
    assert!(active.points.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(active.points.last().unwrap().1, 6.0);
    let dropped = snapshot
        .metrics
        .series_for(monitoring, MetricName::PacketsDropped)
        .unwrap();
    assert_eq!(dropped.points.len(), 10);
    let idle = snapshot
        .metrics
        .series_for(&seeded.endpoints["kms"], MetricName::ActiveConnections);
    assert!(idle.unwrap().points.is_empty());
}

#[tokio::test]
async fn live_snapshot_command_writes_a_file_that_loads_back_identically() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.12").await;
    let dir = scratch("live_snapshot");
    let file = dir.join("snap.json");
    let url = moto::url();
    let output = run(
        &[
            "snapshot",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            &seeded.vpc_id,
            "-o",
            file.to_str().unwrap(),
        ],
        true,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let snapshot = read_file(&file).expect("load");
    assert_eq!(snapshot.endpoints.len(), 10);
    assert_eq!(snapshot.endpoint_enis.len(), 18);
    assert_eq!(snapshot.route_tables.len(), 2);
    assert_eq!(snapshot.subnets.len(), 2);
    assert_eq!(snapshot.metrics.series.len(), 45);
    assert!(snapshot.security_groups.len() >= 3);
    assert_eq!(snapshot.network_acls.len(), 2);

    // --snapshot reads it back: writing it again gives the same bytes.
    let again = dir.join("again.json");
    let output = run(
        &[
            "snapshot",
            "--snapshot",
            file.to_str().unwrap(),
            "-o",
            again.to_str().unwrap(),
        ],
        false,
    );
    assert!(output.status.success());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap()
    );
    assert_eq!(read_file(&again).unwrap(), snapshot);
}

#[tokio::test]
async fn live_workload_subnets_find_their_vpc() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.13").await;
    let target = Target {
        subnet_ids: seeded.subnets.clone(),
        security_group_ids: vec![seeded.env_group.clone()],
        ..Target::default()
    };
    let snapshot = collect(&clients, &target).await.expect("collect");
    assert_eq!(snapshot.vpc.id, seeded.vpc_id);
    assert_eq!(snapshot.workload.subnet_ids, seeded.subnets);
    assert_eq!(
        snapshot.workload.origin,
        linkscope::model::WorkloadOrigin::Flags
    );
}

#[test]
fn live_unknown_vpc_is_bad_input() {
    let url = moto::url();
    let output = run(
        &[
            "snapshot",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            "vpc-0123456789abcdef0",
            "-o",
            "-",
        ],
        true,
    );
    assert_clean_failure(&output, 2, "vpc-0123456789abcdef0");
}

#[test]
fn live_missing_credentials_is_an_aws_failure() {
    let url = moto::url();
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            "vpc-0123456789abcdef0",
        ],
        false,
    );
    assert_clean_failure(&output, 3, "credentials");
}

/// The DNS path's sources, read from moto: the DHCP option set, the service catalogue, the
/// private zone with only the records of names in scope, the Resolver rule; and the audit
/// over them.
#[tokio::test]
async fn live_dns_sources_are_collected_and_followed() {
    use linkscope::checks::{Status, audit};
    use linkscope::model::{Answer, RuleType, Source, Workload, WorkloadOrigin};

    let clients = moto::clients().await;
    let mut seeded = moto::seed_mwaa_vpc(&clients, "10.24").await;
    let dns = moto::seed_dns(&clients, &mut seeded).await;
    let target = Target {
        vpc_id: Some(seeded.vpc_id.clone()),
        collect_metrics: false,
        ..Target::default()
    };
    let mut snapshot = collect(&clients, &target).await.expect("collect");
    for source in [
        Source::DhcpOptions,
        Source::EndpointServices,
        Source::HostedZones,
        Source::RecordSets,
        Source::ResolverRules,
        Source::HubEndpoints,
    ] {
        assert_eq!(
            snapshot.sources.get(&source),
            Some(&FetchStatus::Ok),
            "{source:?}"
        );
    }
    let options = snapshot
        .dns
        .dhcp_options
        .as_ref()
        .expect("the VPC's option set");
    assert_eq!(options.id, dns.dhcp_options);
    assert_eq!(options.domain_name_servers, ["AmazonProvidedDNS"]);
    assert!(
        snapshot
            .dns
            .services
            .iter()
            .any(|s| s.service_name == format!("com.amazonaws.{REGION}.sqs")),
        "the catalogue lists the MWAA services"
    );
    assert_eq!(snapshot.dns.hosted_zones.len(), 1);
    assert_eq!(snapshot.dns.hosted_zones[0].id, dns.zone);
    assert_eq!(snapshot.dns.hosted_zones[0].name, "us-east-1.amazonaws.com");
    let names: Vec<&str> = snapshot
        .dns
        .records
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, [dns.ops_name.as_str()], "only names in scope");
    let rule = &snapshot.dns.resolver_rules[0];
    assert_eq!(
        (rule.id.as_str(), rule.domain.as_str(), &rule.rule_type),
        (
            dns.rule.as_str(),
            "sqs.us-east-1.amazonaws.com",
            &RuleType::Forward
        )
    );
    assert_eq!(rule.targets, ["10.9.0.2:53"]);

    snapshot.workload = Workload {
        origin: WorkloadOrigin::Flags,
        subnet_ids: seeded.subnets.clone(),
        security_group_ids: vec![seeded.env_group.clone()],
    };
    let result = audit(&snapshot);
    let status = |id: &str| {
        result
            .findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.status)
            .unwrap()
    };
    assert_eq!(status("mwaa.endpoint.sqs"), Status::Fail, "forwarded away");
    assert_eq!(status("dns-resolver-rule-overrides"), Status::Fail);
    assert_eq!(
        status("mwaa.endpoint.kms"),
        Status::Pass,
        "its zone is more specific"
    );
    assert_eq!(
        status("mwaa.endpoint.airflow.ops"),
        Status::Unknown,
        "a target it cannot see"
    );
    let ops = result
        .names
        .iter()
        .find(|n| n.name == dns.ops_name)
        .unwrap();
    assert!(matches!(ops.path.answer, Answer::Record { .. }), "{ops:?}");
}
