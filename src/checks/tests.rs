//! Every rule on a passing and a failing snapshot. The passing one is the bundled healthy
//! demo; each failing one changes exactly what the rule is about.

use super::*;
use crate::cli::DemoScenario;
use crate::input::demo;
use crate::model::*;

fn healthy() -> Snapshot {
    demo(DemoScenario::Healthy)
}

fn findings(snap: &Snapshot, id: &str) -> Vec<Finding> {
    audit(snap)
        .findings
        .into_iter()
        .filter(|f| f.id == id)
        .collect()
}

/// Every finding of the rule passes (and there is at least one).
#[track_caller]
fn assert_pass(snap: &Snapshot, id: &str) {
    let found = findings(snap, id);
    assert!(!found.is_empty(), "no finding for {id}");
    assert!(
        found.iter().all(|f| f.status == Status::Pass),
        "{id}: {found:#?}"
    );
}

/// The rule reports `status` on a finding naming `resource`; returns that finding.
#[track_caller]
fn assert_flags(snap: &Snapshot, id: &str, status: Status, resource: &str) -> Finding {
    let found = findings(snap, id);
    found
        .iter()
        .find(|f| f.status == status && f.resources.iter().any(|r| r == resource))
        .cloned()
        .unwrap_or_else(|| panic!("{id}: expected {status} on {resource}, got {found:#?}"))
}

fn endpoint<'a>(snap: &'a mut Snapshot, suffix: &str) -> &'a mut VpcEndpoint {
    let name = format!("com.amazonaws.{}.{suffix}", snap.region);
    snap.endpoints
        .iter_mut()
        .find(|e| e.service_name == name)
        .unwrap()
}

fn id_of(snap: &Snapshot, suffix: &str) -> String {
    let name = format!("com.amazonaws.{}.{suffix}", snap.region);
    snap.endpoints
        .iter()
        .find(|e| e.service_name == name)
        .unwrap()
        .id
        .clone()
}

fn fail_source(snap: &mut Snapshot, source: Source) {
    snap.sources.insert(
        source,
        FetchStatus::Error(FetchError {
            code: Some("AccessDenied".into()),
            message: "denied".into(),
        }),
    );
}

fn workload_subnet(snap: &Snapshot, i: usize) -> String {
    snap.workload.subnet_ids[i].clone()
}

fn main_table(snap: &mut Snapshot) -> &mut RouteTable {
    snap.route_tables.iter_mut().find(|t| t.is_main()).unwrap()
}

fn private_table_id(snap: &Snapshot) -> String {
    snap.route_tables
        .iter()
        .find(|t| !t.is_main())
        .unwrap()
        .id
        .clone()
}

fn route(destination: &str, target: &str) -> Route {
    Route {
        destination_cidr: Some(destination.into()),
        destination_ipv6_cidr: None,
        destination_prefix_list_id: None,
        target: Some(target.into()),
        state: Some("active".into()),
        origin: Some("CreateRoute".into()),
    }
}

fn set_s3_policy(snap: &mut Snapshot, policy: serde_json::Value) -> String {
    let gateway = endpoint(snap, "s3");
    gateway.policy_document = Some(policy.to_string());
    gateway.id.clone()
}

// --- the healthy demo is healthy -------------------------------------------------------

#[test]
fn healthy_demo_has_no_problems_and_troubled_demo_has_the_expected_ones() {
    let audit = audit(&healthy());
    let problems: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(audit.checklist().count(), 12);

    let troubled = super::audit(&demo(DemoScenario::Troubled));
    let mut failed: Vec<&str> = troubled
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.id.as_str())
        .collect();
    failed.sort();
    failed.dedup();
    assert_eq!(
        failed
            .iter()
            .filter(|id| !id.starts_with("mwaa.s3-route."))
            .copied()
            .collect::<Vec<_>>(),
        [
            "gateway-endpoint-dns-attrs",
            "mwaa-s3-policy-missing-ecr-layer-bucket",
            "mwaa.endpoint.airflow.ops",
            "mwaa.endpoint.kms",
            "mwaa.endpoint.logs",
            "mwaa.endpoint.sqs",
            "s3-gateway-rt-not-associated",
            "vpc-dns-hostnames-off",
            "vpce-private-dns-off",
            "vpce-sg-no-https-inbound",
        ]
    );
}

#[test]
fn every_finding_belongs_to_a_registered_rule() {
    let ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate rule ids");
    for scenario in [DemoScenario::Healthy, DemoScenario::Troubled] {
        for finding in audit(&demo(scenario)).findings {
            let rule = rule_of(&finding).unwrap_or_else(|| panic!("unregistered {}", finding.id));
            assert_eq!(rule.title, finding.title);
        }
    }
}

// --- MWAA checklist ----------------------------------------------------------------------

#[test]
fn checklist_missing_endpoint_fails_under_private_routing_and_is_info_under_public() {
    let mut snap = healthy();
    let ops = id_of(&snap, "airflow.ops");
    snap.endpoints.retain(|e| e.id != ops);
    let finding = findings(&snap, "mwaa.endpoint.airflow.ops").remove(0);
    assert_eq!(finding.status, Status::Fail);
    assert!(
        finding
            .remediation
            .unwrap()
            .contains("--service-name com.amazonaws.us-east-1.airflow.ops")
    );

    let nat = "nat-0a1b2c3d4e5f60789";
    let tables: Vec<String> = snap.route_tables.iter().map(|t| t.id.clone()).collect();
    for table in snap
        .route_tables
        .iter_mut()
        .filter(|t| tables.contains(&t.id))
    {
        table.routes.push(route("0.0.0.0/0", nat));
    }
    assert_eq!(
        findings(&snap, "mwaa.endpoint.airflow.ops")[0].status,
        Status::Info
    );
    assert_pass(&healthy(), "mwaa.endpoint.airflow.ops");
}

#[test]
fn checklist_counts_only_available_endpoints_and_explains_the_state() {
    for (state, words) in [
        (EndpointState::PendingAcceptance, "pending acceptance"),
        (EndpointState::Pending, "being provisioned"),
        (EndpointState::Rejected, "rejected"),
        (EndpointState::Expired, "expired"),
        (EndpointState::Failed, "could not be made available"),
        (EndpointState::Deleting, "being deleted"),
        (EndpointState::Deleted, "is deleted"),
        (EndpointState::Partial, "partially available"),
    ] {
        let mut snap = healthy();
        endpoint(&mut snap, "sqs").state = state.clone();
        let finding = findings(&snap, "mwaa.endpoint.sqs").remove(0);
        assert_eq!(finding.status, Status::Fail, "{state}");
        assert!(
            finding.detail.contains(words),
            "{state}: {}",
            finding.detail
        );
    }
}

#[test]
fn checklist_interface_endpoint_needs_private_dns_https_and_zones() {
    let mut snap = healthy();
    endpoint(&mut snap, "logs").private_dns_enabled = false;
    let f = findings(&snap, "mwaa.endpoint.logs").remove(0);
    assert_eq!(f.status, Status::Fail);
    assert!(f.remediation.unwrap().contains("--private-dns-enabled"));

    let mut snap = healthy();
    let env_sg = snap.workload.security_group_ids[0].clone();
    snap.security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .ingress
        .clear();
    let f = findings(&snap, "mwaa.endpoint.kms").remove(0);
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.remediation
            .unwrap()
            .contains("authorize-security-group-ingress")
    );

    let mut snap = healthy();
    let second = workload_subnet(&snap, 1);
    endpoint(&mut snap, "sqs")
        .subnet_ids
        .retain(|s| *s != second);
    let f = findings(&snap, "mwaa.endpoint.sqs").remove(0);
    assert_eq!(f.status, Status::Warn);
    assert!(
        f.remediation
            .unwrap()
            .contains(&format!("--add-subnet-ids {second}"))
    );
}

#[test]
fn checklist_s3_wants_a_gateway_endpoint() {
    let mut snap = healthy();
    let gateway = endpoint(&mut snap, "s3");
    gateway.endpoint_type = EndpointType::Interface;
    assert_eq!(findings(&snap, "mwaa.endpoint.s3")[0].status, Status::Warn);
    snap.endpoints.retain(|e| !e.service_name.ends_with(".s3"));
    assert_eq!(findings(&snap, "mwaa.endpoint.s3")[0].status, Status::Fail);
}

#[test]
fn checklist_s3_route_per_subnet_distinguishes_each_failure() {
    let snap = healthy();
    let subnet = workload_subnet(&snap, 0);
    let id = format!("mwaa.s3-route.{subnet}");
    assert_pass(&snap, &id);
    let gateway = id_of(&snap, "s3");
    let table = private_table_id(&snap);

    let mut unassociated = snap.clone();
    endpoint(&mut unassociated, "s3")
        .route_table_ids
        .retain(|t| *t != table);
    assert!(
        assert_flags(&unassociated, &id, Status::Fail, &subnet)
            .detail
            .contains("not associated")
    );

    let mut no_route = snap.clone();
    no_route
        .route_tables
        .iter_mut()
        .find(|t| t.id == table)
        .unwrap()
        .routes
        .retain(|r| r.target.as_deref() != Some(gateway.as_str()));
    assert!(
        assert_flags(&no_route, &id, Status::Fail, &subnet)
            .detail
            .contains("has no route")
    );

    let mut blackhole = snap.clone();
    for r in &mut blackhole
        .route_tables
        .iter_mut()
        .find(|t| t.id == table)
        .unwrap()
        .routes
    {
        if r.target.as_deref() == Some(gateway.as_str()) {
            r.state = Some("blackhole".into());
        }
    }
    assert!(
        assert_flags(&blackhole, &id, Status::Fail, &subnet)
            .detail
            .contains("blackhole")
    );

    let mut shadowed = snap.clone();
    shadowed
        .route_tables
        .iter_mut()
        .find(|t| t.id == table)
        .unwrap()
        .routes
        .push(route("52.216.4.0/24", "tgw-0a1b2c3d4e5f60789"));
    assert!(
        assert_flags(&shadowed, &id, Status::Fail, &subnet)
            .detail
            .contains("more specific")
    );

    // Without an explicit association the main table applies.
    let mut implicit = snap.clone();
    for t in &mut implicit.route_tables {
        t.associations
            .retain(|a| a.subnet_id.as_deref() != Some(subnet.as_str()));
    }
    let f = findings(&implicit, &id).remove(0);
    assert_eq!(f.status, Status::Pass);
    assert!(f.detail.contains("main table"), "{}", f.detail);
    endpoint(&mut implicit, "s3")
        .route_table_ids
        .retain(|t| *t == table);
    assert_flags(&implicit, &id, Status::Fail, &subnet);
}

// --- states -----------------------------------------------------------------------------

#[test]
fn state_rules_flag_each_state() {
    for (state, id, status) in [
        (
            EndpointState::PendingAcceptance,
            "vpce-state-pending-acceptance",
            Status::Fail,
        ),
        (EndpointState::Pending, "vpce-state-pending", Status::Info),
        (EndpointState::Rejected, "vpce-state-rejected", Status::Fail),
        (EndpointState::Expired, "vpce-state-expired", Status::Fail),
        (EndpointState::Failed, "vpce-state-failed", Status::Fail),
        (EndpointState::Deleted, "vpce-state-deleting", Status::Warn),
    ] {
        let mut snap = healthy();
        assert_pass(&snap, id);
        endpoint(&mut snap, "kms").state = state;
        let kms = id_of(&snap, "kms");
        assert_flags(&snap, id, status, &kms);
    }
    // A partner service waiting for acceptance is a warning, not an error.
    let troubled = demo(DemoScenario::Troubled);
    let partner = troubled
        .endpoints
        .iter()
        .find(|e| e.state == EndpointState::PendingAcceptance)
        .unwrap();
    assert_flags(
        &troubled,
        "vpce-state-pending-acceptance",
        Status::Warn,
        &partner.id,
    );
}

#[test]
fn failed_state_shows_last_error() {
    let mut snap = healthy();
    let kms = endpoint(&mut snap, "kms");
    kms.state = EndpointState::Failed;
    kms.last_error = Some(LastError {
        code: Some("InsufficientFreeAddressesInSubnet".into()),
        message: Some("no free IPs".into()),
    });
    let f = findings(&snap, "vpce-state-failed").remove(0);
    assert!(
        f.detail.contains("InsufficientFreeAddressesInSubnet"),
        "{}",
        f.detail
    );
}

// --- VPC DNS ----------------------------------------------------------------------------

#[test]
fn vpc_dns_attributes() {
    let snap = healthy();
    for id in [
        "vpc-dns-support-off",
        "vpc-dns-hostnames-off",
        "gateway-endpoint-dns-attrs",
    ] {
        assert_pass(&snap, id);
    }
    let vpc = snap.vpc.id.clone();
    let mut off = snap.clone();
    off.vpc.enable_dns_support = Some(false);
    assert_flags(&off, "vpc-dns-support-off", Status::Fail, &vpc);
    assert_flags(
        &off,
        "gateway-endpoint-dns-attrs",
        Status::Fail,
        &id_of(&off, "s3"),
    );

    // Without MWAA or private DNS endpoints, a disabled attribute is a warning.
    let mut plain = snap.clone();
    plain.vpc.enable_dns_hostnames = Some(false);
    plain.environment = None;
    plain
        .endpoints
        .retain(|e| e.endpoint_type == EndpointType::Gateway);
    assert_flags(&plain, "vpc-dns-hostnames-off", Status::Warn, &vpc);

    let mut unread = snap.clone();
    unread.vpc.enable_dns_hostnames = None;
    fail_source(&mut unread, Source::VpcAttributes);
    assert_eq!(
        findings(&unread, "vpc-dns-hostnames-off")[0].status,
        Status::Unknown
    );
}

// --- private DNS and S3 interface -------------------------------------------------------

#[test]
fn private_dns_off_is_an_error_for_mwaa_services_and_a_warning_for_others() {
    let mut snap = healthy();
    assert_pass(&snap, "vpce-private-dns-off");
    endpoint(&mut snap, "logs").private_dns_enabled = false;
    let mut other = endpoint(&mut snap, "kms").clone();
    other.id = "vpce-0aaaabbbbccccdddd".into();
    other.service_name = "com.amazonaws.us-east-1.ssm".into();
    other.private_dns_enabled = false;
    snap.endpoints.push(other);
    let logs = id_of(&snap, "logs");
    assert!(
        assert_flags(&snap, "vpce-private-dns-off", Status::Fail, &logs)
            .detail
            .contains("logs.us-east-1.amazonaws.com")
    );
    assert_flags(
        &snap,
        "vpce-private-dns-off",
        Status::Warn,
        "vpce-0aaaabbbbccccdddd",
    );
}

fn with_s3_interface(snap: &mut Snapshot, private_dns: bool, inbound_only: bool) -> String {
    let mut interface = endpoint(snap, "kms").clone();
    interface.id = "vpce-0s3s3s3s3s3s3s3s".replace('s', "5");
    interface.service_name = "com.amazonaws.us-east-1.s3".into();
    interface.private_dns_enabled = private_dns;
    interface.dns_options = Some(DnsOptions {
        dns_record_ip_type: Some("ipv4".into()),
        private_dns_only_for_inbound_resolver_endpoint: Some(inbound_only),
    });
    let id = interface.id.clone();
    snap.endpoints.push(interface);
    id
}

#[test]
fn s3_interface_dns_rules() {
    let mut snap = healthy();
    let id = with_s3_interface(&mut snap, true, true);
    for rule in [
        "s3-interface-public-resolution",
        "s3-interface-inbound-only-without-gateway",
        "s3-interface-private-dns-cost",
    ] {
        assert_pass(&snap, rule);
    }
    // Inbound-only without a routed gateway: DNS sends VPC traffic to public IPs.
    let mut no_gateway = snap.clone();
    no_gateway
        .endpoints
        .retain(|e| e.endpoint_type != EndpointType::Gateway);
    assert_flags(
        &no_gateway,
        "s3-interface-inbound-only-without-gateway",
        Status::Fail,
        &id,
    );

    // Private DNS off and no gateway: public resolution.
    let mut public = healthy();
    public
        .endpoints
        .retain(|e| e.endpoint_type != EndpointType::Gateway);
    let id = with_s3_interface(&mut public, false, false);
    assert_flags(&public, "s3-interface-public-resolution", Status::Fail, &id);

    // Full private DNS while a gateway exists: billed traffic.
    let mut cost = healthy();
    let id = with_s3_interface(&mut cost, true, false);
    assert!(
        assert_flags(&cost, "s3-interface-private-dns-cost", Status::Info, &id)
            .remediation
            .unwrap()
            .contains("PrivateDnsOnlyForInboundResolverEndpoint=true")
    );
}

// --- zones, ENIs, IP types --------------------------------------------------------------

#[test]
fn availability_zone_rules() {
    let snap = healthy();
    for id in [
        "vpce-single-az",
        "vpce-subnets-same-az",
        "vpce-workload-az-not-covered",
        "vpce-eni-count-mismatch",
        "vpce-ip-type-subnet-incompatible",
        "mwaa-subnets-same-az",
    ] {
        assert_pass(&snap, id);
    }
    let second = workload_subnet(&snap, 1);
    let mut single = snap.clone();
    let sqs = endpoint(&mut single, "sqs");
    sqs.subnet_ids.retain(|s| *s != second);
    let dropped = sqs.network_interface_ids.pop().unwrap();
    single.endpoint_enis.retain(|n| n.id != dropped);
    let sqs = id_of(&single, "sqs");
    assert_flags(&single, "vpce-single-az", Status::Warn, &sqs);
    assert_flags(&single, "vpce-workload-az-not-covered", Status::Warn, &sqs);

    let mut same = snap.clone();
    let first_az = same.subnets[0].availability_zone.clone();
    for s in &mut same.subnets {
        s.availability_zone = first_az.clone();
    }
    assert_flags(
        &same,
        "vpce-subnets-same-az",
        Status::Fail,
        &id_of(&same, "sqs"),
    );
    assert_eq!(
        findings(&same, "mwaa-subnets-same-az")[0].status,
        Status::Fail
    );

    let mut missing_eni = snap.clone();
    let eni = endpoint(&mut missing_eni, "logs").network_interface_ids[0].clone();
    missing_eni.endpoint_enis.retain(|n| n.id != eni);
    assert_flags(
        &missing_eni,
        "vpce-eni-count-mismatch",
        Status::Warn,
        &id_of(&missing_eni, "logs"),
    );

    let mut ipv6 = snap.clone();
    endpoint(&mut ipv6, "logs").ip_address_type = Some("dualstack".into());
    assert_flags(
        &ipv6,
        "vpce-ip-type-subnet-incompatible",
        Status::Fail,
        &id_of(&ipv6, "logs"),
    );
}

// --- security groups --------------------------------------------------------------------

#[test]
fn endpoint_security_group_rules() {
    let snap = healthy();
    assert_pass(&snap, "vpce-sg-no-https-inbound");
    assert_pass(&snap, "vpce-default-sg-only");

    // Only port 80 from the VPC: no HTTPS.
    let mut closed = snap.clone();
    let env_sg = closed.workload.security_group_ids[0].clone();
    let group = closed
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap();
    group.ingress = vec![SgRule {
        protocol: "tcp".into(),
        from_port: Some(80),
        to_port: Some(80),
        ipv4_ranges: vec!["10.30.0.0/16".into()],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![],
    }];
    assert_flags(
        &closed,
        "vpce-sg-no-https-inbound",
        Status::Fail,
        &id_of(&closed, "sqs"),
    );
    // A 443 rule from the VPC CIDR covers the workload subnets.
    closed
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .ingress[0]
        .from_port = Some(443);
    closed
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .ingress[0]
        .to_port = Some(443);
    assert_pass(&closed, "vpce-sg-no-https-inbound");

    let default_only = kms_on_default_group();
    assert_flags(
        &default_only,
        "vpce-default-sg-only",
        Status::Warn,
        &id_of(&default_only, "kms"),
    );
}

/// The healthy demo with kms behind the VPC's default group alone.
fn kms_on_default_group() -> Snapshot {
    let mut snap = healthy();
    let default = snap
        .security_groups
        .iter()
        .find(|g| g.name == "default")
        .unwrap()
        .id
        .clone();
    endpoint(&mut snap, "kms").security_group_ids = vec![default];
    snap
}

#[test]
fn mwaa_endpoints_should_carry_the_environment_security_group() {
    let snap = healthy();
    assert_pass(&snap, "mwaa-vpce-missing-env-sg");
    let env_sg = snap.workload.security_group_ids[0].clone();

    // The default group admits only itself: the workload cannot reach kms.
    let default_only = kms_on_default_group();
    let kms = id_of(&default_only, "kms");
    let f = assert_flags(
        &default_only,
        "mwaa-vpce-missing-env-sg",
        Status::Warn,
        &kms,
    );
    assert_eq!(
        f.remediation.as_deref(),
        Some(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {kms} --add-security-group-ids {env_sg}").as_str())
    );

    // A dedicated group that admits 443 from the workload: worth knowing, not a problem.
    let mut dedicated = snap.clone();
    dedicated.security_groups.push(SecurityGroup {
        id: "sg-0aaaabbbbccccdddd".into(),
        name: "mwaa-endpoints".into(),
        ingress: vec![SgRule {
            protocol: "tcp".into(),
            from_port: Some(443),
            to_port: Some(443),
            ipv4_ranges: vec![],
            ipv6_ranges: vec![],
            prefix_list_ids: vec![],
            group_ids: vec![env_sg.clone()],
        }],
        ..dedicated.security_groups[0].clone()
    });
    endpoint(&mut dedicated, "kms").security_group_ids = vec!["sg-0aaaabbbbccccdddd".into()];
    let kms = id_of(&dedicated, "kms");
    assert_flags(&dedicated, "mwaa-vpce-missing-env-sg", Status::Info, &kms);

    let mut unnamed = snap.clone();
    unnamed.workload.security_group_ids.clear();
    unnamed.environment = None;
    unnamed.workload.origin = WorkloadOrigin::Unspecified;
    assert_eq!(
        findings(&unnamed, "mwaa-vpce-missing-env-sg")[0].status,
        Status::Info
    );
}

#[test]
fn workload_security_group_rules() {
    let snap = healthy();
    for id in [
        "mwaa-sg-count",
        "mwaa-sg-no-self-reference",
        "mwaa-sg-5432-without-443",
        "mwaa-sg-egress-restricted",
    ] {
        assert_pass(&snap, id);
    }
    let env_sg = snap.workload.security_group_ids[0].clone();

    let mut no_self = snap.clone();
    let group = no_self
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap();
    let from_self = |port: i32| SgRule {
        protocol: "tcp".into(),
        from_port: Some(port),
        to_port: Some(port),
        ipv4_ranges: vec![],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![env_sg.clone()],
    };
    group.ingress = vec![from_self(443)];
    assert_flags(&no_self, "mwaa-sg-no-self-reference", Status::Warn, &env_sg);
    // The restricted alternative of [001]: 5432 and 443 from itself.
    let group = no_self
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap();
    group.ingress.push(from_self(5432));
    assert_pass(&no_self, "mwaa-sg-no-self-reference");

    let mut many = snap.clone();
    many.environment.as_mut().unwrap().security_group_ids =
        (0..6).map(|i| format!("sg-0{i:016x}")).collect();
    assert_eq!(findings(&many, "mwaa-sg-count")[0].status, Status::Fail);

    let mut only_5432 = snap.clone();
    only_5432
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .ingress = vec![SgRule {
        protocol: "tcp".into(),
        from_port: Some(5432),
        to_port: Some(5432),
        ipv4_ranges: vec![],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![env_sg.clone()],
    }];
    assert_flags(
        &only_5432,
        "mwaa-sg-5432-without-443",
        Status::Fail,
        &env_sg,
    );

    // Egress limited to 443 on the VPC only: S3 through the prefix list is blocked.
    let mut egress = snap.clone();
    egress
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .egress = vec![SgRule {
        protocol: "tcp".into(),
        from_port: Some(443),
        to_port: Some(443),
        ipv4_ranges: vec!["10.30.0.0/16".into()],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![],
    }];
    let f = assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Fail, &env_sg);
    assert!(f.detail.contains("S3"), "{}", f.detail);
    let pl = egress
        .prefix_lists
        .iter()
        .find(|p| p.name.ends_with(".s3"))
        .unwrap()
        .id
        .clone();
    egress
        .security_groups
        .iter_mut()
        .find(|g| g.id == env_sg)
        .unwrap()
        .egress[0]
        .prefix_list_ids
        .push(pl);
    assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Warn, &env_sg);
}

// --- network ACLs -----------------------------------------------------------------------

fn deny_first(snap: &mut Snapshot, entry: NaclEntry) -> String {
    let acl = &mut snap.network_acls[0];
    acl.entries.push(entry);
    acl.id.clone()
}

fn nacl_entry(rule_number: i32, ports: (i32, i32), cidr: &str, egress: bool) -> NaclEntry {
    NaclEntry {
        rule_number,
        protocol: "6".into(),
        rule_action: "deny".into(),
        egress,
        cidr_block: Some(cidr.into()),
        ipv6_cidr_block: None,
        port_range: Some(ports),
        icmp: None,
    }
}

#[test]
fn nacl_rules_follow_traffic_both_ways() {
    let snap = healthy();
    assert_pass(&snap, "nacl-blocks-endpoint-traffic");
    assert_pass(&snap, "nacl-blocks-s3-gateway");

    assert_pass(&snap, "nacl-not-mwaa-recommended");

    let mut https = snap.clone();
    let acl = deny_first(
        &mut https,
        nacl_entry(50, (443, 443), "10.30.0.0/16", false),
    );
    assert!(
        assert_flags(&https, "nacl-blocks-endpoint-traffic", Status::Fail, &acl)
            .detail
            .contains("denied by rule 50")
    );
    let f = assert_flags(&https, "nacl-not-mwaa-recommended", Status::Info, &acl);
    assert!(
        f.detail
            .contains("inbound: rule 50 deny protocol 6 ports 443-443 10.30.0.0/16")
            && !f.detail.contains("outbound"),
        "{}",
        f.detail
    );
    // Without the allow-all rule 100 outbound, the table differs even with nothing added.
    let mut no_allow = snap.clone();
    no_allow.network_acls[0]
        .entries
        .retain(|e| !(e.egress && e.rule_number == 100));
    let acl = no_allow.network_acls[0].id.clone();
    let f = assert_flags(&no_allow, "nacl-not-mwaa-recommended", Status::Info, &acl);
    assert!(f.detail.contains("outbound: no rule 100"), "{}", f.detail);

    let mut returns = snap.clone();
    let acl = deny_first(
        &mut returns,
        nacl_entry(50, (1024, 65535), "0.0.0.0/0", false),
    );
    let f = assert_flags(&returns, "nacl-blocks-s3-gateway", Status::Fail, &acl);
    assert!(f.detail.contains("return traffic"), "{}", f.detail);

    let mut denied = snap.clone();
    denied.network_acls.clear();
    fail_source(&mut denied, Source::NetworkAcls);
    assert_eq!(
        findings(&denied, "nacl-blocks-endpoint-traffic")[0].status,
        Status::Unknown
    );
    assert_eq!(
        findings(&denied, "nacl-blocks-s3-gateway")[0].status,
        Status::Unknown
    );
    assert_eq!(
        findings(&denied, "nacl-not-mwaa-recommended")[0].status,
        Status::Unknown
    );
}

#[test]
fn webserver_access_mode_is_shown() {
    let snap = healthy();
    let shown = |snap: &Snapshot| {
        let found = findings(snap, "mwaa-webserver-access-mode");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].status, Status::Info);
        found[0].detail.clone()
    };
    assert!(shown(&snap).contains("PRIVATE_ONLY"), "{}", shown(&snap));
    let mut public = snap.clone();
    public.environment.as_mut().unwrap().webserver_access_mode = Some("PUBLIC_ONLY".into());
    assert!(shown(&public).contains("from the internet"));
    let mut none = snap.clone();
    none.environment = None;
    assert!(shown(&none).contains("not applicable"));
}

// --- gateway routing --------------------------------------------------------------------

#[test]
fn gateway_routing_rules() {
    let snap = healthy();
    for id in [
        "s3-gateway-missing",
        "s3-gateway-rt-not-associated",
        "s3-gateway-route-missing",
        "s3-gateway-route-shadowed",
        "s3-gateway-vs-igw-default",
        "s3-gateway-multiple",
    ] {
        assert_pass(&snap, id);
    }
    let gateway = id_of(&snap, "s3");
    let table = private_table_id(&snap);

    let mut none = snap.clone();
    none.endpoints.retain(|e| e.id != gateway);
    assert_eq!(
        findings(&none, "s3-gateway-missing")[0].status,
        Status::Fail
    );

    let mut unassociated = snap.clone();
    endpoint(&mut unassociated, "s3")
        .route_table_ids
        .retain(|t| *t != table);
    assert_flags(
        &unassociated,
        "s3-gateway-rt-not-associated",
        Status::Fail,
        &table,
    );

    let mut no_route = snap.clone();
    main_table(&mut no_route)
        .routes
        .retain(|r| r.target.as_deref() != Some(gateway.as_str()));
    let main = no_route
        .route_tables
        .iter()
        .find(|t| t.is_main())
        .unwrap()
        .id
        .clone();
    assert_flags(&no_route, "s3-gateway-route-missing", Status::Fail, &main);

    let mut shadow = snap.clone();
    main_table(&mut shadow)
        .routes
        .push(route("54.231.0.0/17", "pcx-0a1b2c3d4e5f60789"));
    assert_flags(&shadow, "s3-gateway-route-shadowed", Status::Warn, &main);
    main_table(&mut shadow)
        .routes
        .push(route("0.0.0.0/0", "igw-0a1b2c3d4e5f60789"));
    assert_flags(&shadow, "s3-gateway-vs-igw-default", Status::Info, &main);

    let mut two = snap.clone();
    let mut second = endpoint(&mut two, "s3").clone();
    second.id = "vpce-0ffffeeeeddddcccc".into();
    two.endpoints.push(second);
    assert_flags(
        &two,
        "s3-gateway-multiple",
        Status::Info,
        "vpce-0ffffeeeeddddcccc",
    );
}

#[test]
fn routing_mode_and_assumed_workload() {
    let mut snap = healthy();
    assert!(
        findings(&snap, "mwaa-routing-mode")[0]
            .detail
            .starts_with("Private routing")
    );
    // Without a named workload, private subnets are assumed and the report says so.
    snap.environment = None;
    snap.workload = Workload::default();
    let audit = audit(&snap);
    assert!(
        audit.workload.starts_with("Workload assumed"),
        "{}",
        audit.workload
    );
    assert_eq!(
        audit
            .checklist()
            .filter(|f| f.id.starts_with("mwaa.s3-route."))
            .count(),
        2
    );
    main_table(&mut snap)
        .routes
        .push(route("0.0.0.0/0", "igw-0a1b2c3d4e5f60789"));
    // The subnets on the main table are now public; the explicitly associated ones stay private.
    assert!(
        findings(&snap, "mwaa-routing-mode")[0]
            .detail
            .starts_with("Private routing")
    );
}

// --- policies ---------------------------------------------------------------------------

#[test]
fn s3_gateway_policy_must_allow_the_ecr_layer_bucket_and_the_dag_bucket() {
    let snap = healthy();
    assert_pass(&snap, "mwaa-s3-policy-missing-ecr-layer-bucket");
    assert_pass(&snap, "mwaa-s3-policy-missing-dag-bucket");
    let allow = |resources: serde_json::Value| serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": resources}]});

    let mut dags_only = snap.clone();
    let gw = set_s3_policy(
        &mut dags_only,
        allow(serde_json::json!([
            "arn:aws:s3:::airflow-staging-dags",
            "arn:aws:s3:::airflow-staging-dags/*"
        ])),
    );
    assert_flags(
        &dags_only,
        "mwaa-s3-policy-missing-ecr-layer-bucket",
        Status::Fail,
        &gw,
    );
    assert_pass(&dags_only, "mwaa-s3-policy-missing-dag-bucket");

    // [001]'s example pasted verbatim: the literal placeholder is accepted, the DAG bucket is missing.
    let mut literal = snap.clone();
    set_s3_policy(
        &mut literal,
        allow(serde_json::json!([
            "arn:aws:s3:::prod-region-starport-layer-bucket/*"
        ])),
    );
    assert_pass(&literal, "mwaa-s3-policy-missing-ecr-layer-bucket");
    assert_flags(
        &literal,
        "mwaa-s3-policy-missing-dag-bucket",
        Status::Fail,
        &gw,
    );

    // Wildcards in resources count.
    let mut wildcard = snap.clone();
    set_s3_policy(
        &mut wildcard,
        allow(serde_json::json!([
            "arn:aws:s3:::prod-*-starport-layer-bucket/*",
            "arn:aws:s3:::airflow-staging-*"
        ])),
    );
    assert_pass(&wildcard, "mwaa-s3-policy-missing-ecr-layer-bucket");
    assert_pass(&wildcard, "mwaa-s3-policy-missing-dag-bucket");

    // An explicit Deny wins over the allow.
    let mut deny = snap.clone();
    let mut doc = allow(serde_json::json!("*"));
    doc["Statement"].as_array_mut().unwrap().push(serde_json::json!({"Sid": "NoLayers", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::prod-*-starport-layer-bucket/*"}));
    set_s3_policy(&mut deny, doc);
    assert!(
        assert_flags(
            &deny,
            "mwaa-s3-policy-missing-ecr-layer-bucket",
            Status::Fail,
            &gw
        )
        .detail
        .contains("NoLayers")
    );
}

#[test]
fn policy_statement_rules() {
    let snap = healthy();
    for id in [
        "vpce-policy-invalid",
        "mwaa-vpce-policy-not-full",
        "vpce-policy-no-principal",
        "gateway-policy-principal-not-star",
        "vpce-policy-root-only-principal",
        "vpce-policy-size",
        "vpce-policy-sourceip",
    ] {
        assert_pass(&snap, id);
    }
    let mut s = snap.clone();
    endpoint(&mut s, "sqs").policy_document = Some(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sqs:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#.into());
    endpoint(&mut s, "kms").policy_document =
        Some(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into());
    endpoint(&mut s, "logs").policy_document = Some("{\"Statement\": [".into());
    endpoint(&mut s, "monitoring").policy_document = Some(format!(
        "{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}]{}}}",
        " ".repeat(20_500)
    ));
    let gw = set_s3_policy(
        &mut s,
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/mwaa"}, "Action": "s3:*", "Resource": "*"}]}),
    );
    let (sqs, kms, logs, monitoring) = (
        id_of(&s, "sqs"),
        id_of(&s, "kms"),
        id_of(&s, "logs"),
        id_of(&s, "monitoring"),
    );
    assert_flags(&s, "vpce-policy-root-only-principal", Status::Warn, &sqs);
    assert_flags(&s, "vpce-policy-sourceip", Status::Warn, &sqs);
    assert_flags(&s, "mwaa-vpce-policy-not-full", Status::Warn, &sqs);
    assert_flags(&s, "vpce-policy-no-principal", Status::Fail, &kms);
    assert_flags(&s, "vpce-policy-invalid", Status::Fail, &logs);
    assert_flags(&s, "vpce-policy-size", Status::Fail, &monitoring);
    assert_flags(&s, "gateway-policy-principal-not-star", Status::Fail, &gw);
    let classify = findings(&s, "vpce-policy-classify").remove(0);
    assert!(
        classify.resources.contains(&sqs) && !classify.resources.contains(&monitoring),
        "{classify:?}"
    );
}

// --- quotas -----------------------------------------------------------------------------

#[test]
fn quota_rules() {
    let snap = healthy();
    for id in [
        "quota-interface-gwlb-per-vpc",
        "quota-gateway-per-region",
        "quota-gateway-per-vpc",
    ] {
        assert_pass(&snap, id);
    }
    let mut crowded = snap.clone();
    let template = endpoint(&mut crowded, "kms").clone();
    for i in 0..31 {
        crowded.endpoints.push(VpcEndpoint {
            id: format!("vpce-0{i:016x}"),
            ..template.clone()
        });
    }
    assert_eq!(
        findings(&crowded, "quota-interface-gwlb-per-vpc")[0].status,
        Status::Warn
    );
    crowded.region_gateway_endpoints = Some(17);
    assert_eq!(
        findings(&crowded, "quota-gateway-per-region")[0].status,
        Status::Warn
    );
    crowded.region_gateway_endpoints = None;
    fail_source(&mut crowded, Source::RegionGatewayEndpoints);
    assert_eq!(
        findings(&crowded, "quota-gateway-per-region")[0].status,
        Status::Unknown
    );
    let gateway = endpoint(&mut crowded, "s3").clone();
    for i in 0..255 {
        crowded.endpoints.push(VpcEndpoint {
            id: format!("vpce-1{i:016x}"),
            ..gateway.clone()
        });
    }
    assert_eq!(
        findings(&crowded, "quota-gateway-per-vpc")[0].status,
        Status::Fail
    );
}

// --- metrics ----------------------------------------------------------------------------

#[test]
fn metric_rules() {
    let snap = healthy();
    assert_pass(&snap, "metric-packets-dropped-rising");
    assert_pass(&snap, "metric-rst-received-rising");
    assert_pass(&snap, "metric-no-datapoints");
    assert_flags(
        &snap,
        "metric-gateway-endpoint-none",
        Status::Info,
        &id_of(&snap, "s3"),
    );

    let mut s = snap.clone();
    let (sqs, kms) = (id_of(&s, "sqs"), id_of(&s, "kms"));
    let end = s.metrics.end;
    for series in &mut s.metrics.series {
        if series.endpoint_id == sqs && series.metric == MetricName::PacketsDropped {
            series.points.push((end - 120, 40.0));
        }
        if series.endpoint_id == sqs && series.metric == MetricName::RstPacketsReceived {
            series.points = (0..30).map(|i| (end - 60 * (i + 1), 2.0)).collect();
        }
        if series.endpoint_id == kms {
            series.points.clear();
        }
    }
    assert_flags(&s, "metric-packets-dropped-rising", Status::Warn, &sqs);
    assert_flags(&s, "metric-rst-received-rising", Status::Warn, &sqs);
    let idle = assert_flags(&s, "metric-no-datapoints", Status::Info, &kms);
    assert!(idle.detail.contains("idle, not zero"));

    fail_source(&mut s, Source::Metrics);
    for id in [
        "metric-packets-dropped-rising",
        "metric-rst-received-rising",
        "metric-no-datapoints",
    ] {
        let f = findings(&s, id).remove(0);
        assert_eq!(f.status, Status::Unknown, "{id}");
        assert!(f.detail.contains("cloudwatch:GetMetricData"));
    }
}

#[test]
fn denied_endpoints_make_the_checklist_unknown_never_pass() {
    let mut snap = healthy();
    snap.endpoints.clear();
    fail_source(&mut snap, Source::VpcEndpoints);
    let audit = audit(&snap);
    assert!(
        audit
            .checklist()
            .filter(|f| f.id.starts_with("mwaa.endpoint."))
            .all(|f| f.status == Status::Unknown)
    );
    assert!(audit.count(Status::Pass) > 0, "unrelated rules still pass");
    assert!(
        audit
            .findings
            .iter()
            .filter(|f| f.status == Status::Pass)
            .all(|f| !f.id.starts_with("mwaa.endpoint."))
    );
}
