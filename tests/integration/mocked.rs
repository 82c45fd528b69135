//! What moto cannot do: real pagination, camelCase endpoint states, MWAA, denied sources.
//! The real SDK clients and paginators run against `aws-smithy-mocks` rules.

use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_sdk_ec2::error::ErrorMetadata;
use aws_sdk_ec2::operation::describe_dhcp_options::DescribeDhcpOptionsOutput;
use aws_sdk_ec2::operation::describe_network_acls::{
    DescribeNetworkAclsError, DescribeNetworkAclsOutput,
};
use aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput;
use aws_sdk_ec2::operation::describe_prefix_lists::DescribePrefixListsOutput;
use aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput;
use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ec2::operation::describe_vpc_attribute::DescribeVpcAttributeOutput;
use aws_sdk_ec2::operation::describe_vpc_endpoint_services::DescribeVpcEndpointServicesOutput;
use aws_sdk_ec2::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput;
use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, IpAddressType, NetworkInterface, PrefixList, RouteTable,
    RouteTableAssociation, SecurityGroup, ServiceConnectivityType, ServiceDetail, ServiceType,
    ServiceTypeDetail, State, Subnet, Vpc, VpcAttributeName, VpcEndpoint, VpcEndpointType,
};
use aws_sdk_mwaa::operation::get_environment::{GetEnvironmentError, GetEnvironmentOutput};
use aws_sdk_mwaa::types::{
    Environment, EnvironmentStatus, NetworkConfiguration, WebserverAccessMode,
};
use aws_sdk_route53::operation::list_hosted_zones_by_vpc::ListHostedZonesByVpcOutput;
use aws_sdk_route53resolver::operation::list_resolver_rule_associations::ListResolverRuleAssociationsOutput;
use aws_sdk_route53resolver::operation::list_resolver_rules::ListResolverRulesOutput;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use linkscope::aws::{Clients, Target, collect};
use linkscope::checks::{Status, audit};
use linkscope::failure::Failure;
use linkscope::model::{EndpointState, FetchStatus, MetricName, Source, Workload, WorkloadOrigin};

const VPC: &str = "vpc-0a1b2c3d4e5f60718";
const ACCOUNT: &str = "111122223333";
const ENDPOINTS: usize = 300;
const SUBNETS: usize = 60;
const ROUTE_TABLES: usize = 60;
const GROUPS: usize = 100;

/// Wire states the SDK's own enum cannot parse (it expects PascalCase).
const WIRE_STATES: [&str; 4] = ["available", "pendingAcceptance", "failed", "deleted"];

/// Splits `items` into pages of `size`, with tokens `p1`, `p2`, …
fn page<T: Clone>(items: &[T], token: Option<&str>, size: usize) -> (Vec<T>, Option<String>) {
    let index: usize = token
        .and_then(|t| t.strip_prefix('p'))
        .map_or(0, |n| n.parse().unwrap());
    let start = index * size;
    let end = (start + size).min(items.len());
    let next = (end < items.len()).then(|| format!("p{}", index + 1));
    (items[start..end].to_vec(), next)
}

fn subnet_id(i: usize) -> String {
    format!("subnet-{i:017x}")
}

fn endpoints() -> Vec<VpcEndpoint> {
    (0..ENDPOINTS)
        .map(|i| {
            VpcEndpoint::builder()
                .vpc_endpoint_id(format!("vpce-{i:017x}"))
                .vpc_id(VPC)
                .service_name(format!("com.amazonaws.us-east-1.svc{i}"))
                .vpc_endpoint_type(VpcEndpointType::from("Interface"))
                .state(State::from(WIRE_STATES[i % WIRE_STATES.len()]))
                .subnet_ids(subnet_id(i % SUBNETS))
                .network_interface_ids(format!("eni-{i:017x}"))
                .ip_address_type(if i == 0 {
                    IpAddressType::Dualstack
                } else {
                    IpAddressType::Ipv4
                })
                .build()
        })
        .collect()
}

/// Rules for a large VPC whose every describe spans several small pages.
fn large_vpc_rules() -> Vec<Rule> {
    let subnets: Vec<Subnet> = (0..SUBNETS)
        .map(|i| {
            Subnet::builder()
                .subnet_id(subnet_id(i))
                .vpc_id(VPC)
                .availability_zone(format!("us-east-1{}", ['a', 'b', 'c'][i % 3]))
                .availability_zone_id(["use1-az1", "use1-az2", "use1-az4"][i % 3])
                .cidr_block(format!("10.0.{i}.0/24"))
                .build()
        })
        .collect();
    let tables: Vec<RouteTable> = (0..ROUTE_TABLES)
        .map(|i| {
            RouteTable::builder()
                .route_table_id(format!("rtb-{i:017x}"))
                .vpc_id(VPC)
                .associations(RouteTableAssociation::builder().main(i == 0).build())
                .build()
        })
        .collect();
    let groups: Vec<SecurityGroup> = (0..GROUPS)
        .map(|i| {
            SecurityGroup::builder()
                .group_id(format!("sg-{i:017x}"))
                .group_name(format!("g{i}"))
                .vpc_id(VPC)
                .build()
        })
        .collect();
    let all_endpoints = endpoints();
    vec![
        mock!(aws_sdk_ec2::Client::describe_vpcs).then_output(|| {
            DescribeVpcsOutput::builder()
                .vpcs(Vpc::builder().vpc_id(VPC).cidr_block("10.0.0.0/16").build())
                .build()
        }),
        mock!(aws_sdk_ec2::Client::describe_vpc_attribute).then_compute_output(|input| {
            let on = AttributeBooleanValue::builder().value(true).build();
            match input.attribute() {
                Some(VpcAttributeName::EnableDnsHostnames) => DescribeVpcAttributeOutput::builder()
                    .enable_dns_hostnames(on)
                    .build(),
                _ => DescribeVpcAttributeOutput::builder()
                    .enable_dns_support(on)
                    .build(),
            }
        }),
        mock!(aws_sdk_ec2::Client::describe_subnets).then_compute_output(move |input| {
            let (items, next) = page(&subnets, input.next_token(), 7);
            DescribeSubnetsOutput::builder()
                .set_subnets(Some(items))
                .set_next_token(next)
                .build()
        }),
        mock!(aws_sdk_ec2::Client::describe_route_tables).then_compute_output(move |input| {
            let (items, next) = page(&tables, input.next_token(), 9);
            DescribeRouteTablesOutput::builder()
                .set_route_tables(Some(items))
                .set_next_token(next)
                .build()
        }),
        mock!(aws_sdk_ec2::Client::describe_prefix_lists).then_output(|| {
            DescribePrefixListsOutput::builder()
                .prefix_lists(
                    PrefixList::builder()
                        .prefix_list_id("pl-63a5400a")
                        .prefix_list_name("com.amazonaws.us-east-1.s3")
                        .cidrs("52.216.0.0/15")
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_ec2::Client::describe_security_groups).then_compute_output(move |input| {
            let (items, next) = page(&groups, input.next_token(), 11);
            DescribeSecurityGroupsOutput::builder()
                .set_security_groups(Some(items))
                .set_next_token(next)
                .build()
        }),
        // The Region-wide gateway count filters on the type; the VPC listing on the VPC.
        mock!(aws_sdk_ec2::Client::describe_vpc_endpoints).then_compute_output(move |input| {
            // The lookup of missing services elsewhere: none of them exists.
            if input
                .filters()
                .iter()
                .any(|f| f.name() == Some("service-name"))
            {
                return DescribeVpcEndpointsOutput::builder().build();
            }
            let by_type = input
                .filters()
                .iter()
                .find(|f| f.name() == Some("vpc-endpoint-type"));
            let matching: Vec<VpcEndpoint> = match by_type {
                Some(f) => all_endpoints
                    .iter()
                    .filter(|e| {
                        e.vpc_endpoint_type()
                            .is_some_and(|t| f.values().contains(&t.as_str().to_string()))
                    })
                    .cloned()
                    .collect(),
                None => all_endpoints.clone(),
            };
            let (items, next) = page(&matching, input.next_token(), 25);
            DescribeVpcEndpointsOutput::builder()
                .set_vpc_endpoints(Some(items))
                .set_next_token(next)
                .build()
        }),
        // ENIs answer to the ids in the filter, in pages of 50.
        mock!(aws_sdk_ec2::Client::describe_network_interfaces).then_compute_output(|input| {
            let ids = input.filters()[0].values();
            let enis: Vec<NetworkInterface> = ids
                .iter()
                .map(|id| {
                    NetworkInterface::builder()
                        .network_interface_id(id)
                        .subnet_id(subnet_id(0))
                        .private_ip_address("10.0.0.10")
                        .build()
                })
                .collect();
            let (items, next) = page(&enis, input.next_token(), 50);
            DescribeNetworkInterfacesOutput::builder()
                .set_network_interfaces(Some(items))
                .set_next_token(next)
                .build()
        }),
    ]
}

fn nacls_ok() -> Rule {
    mock!(aws_sdk_ec2::Client::describe_network_acls)
        .then_output(|| DescribeNetworkAclsOutput::builder().build())
}

/// GetMetricData answering every query with one point, split over two pages.
fn metric_rule() -> Rule {
    mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(|input| {
        let results: Vec<MetricDataResult> = input
            .metric_data_queries()
            .iter()
            .map(|q| {
                MetricDataResult::builder()
                    .id(q.id().unwrap())
                    .timestamps(DateTime::from_secs(1_800_000_000))
                    .values(1.0)
                    .build()
            })
            .collect();
        let (items, next) = page(
            &results,
            input.next_token(),
            results.len().div_ceil(2).max(1),
        );
        GetMetricDataOutput::builder()
            .set_metric_data_results(Some(items))
            .set_next_token(next)
            .build()
    })
}

/// The DNS calls of a VPC with Amazon DNS, no zones and no rules: `(ec2, route53, resolver)`.
fn quiet_dns() -> (Vec<Rule>, Vec<Rule>, Vec<Rule>) {
    (
        vec![
            mock!(aws_sdk_ec2::Client::describe_dhcp_options)
                .then_output(|| DescribeDhcpOptionsOutput::builder().build()),
            mock!(aws_sdk_ec2::Client::describe_vpc_endpoint_services)
                .then_output(|| DescribeVpcEndpointServicesOutput::builder().build()),
        ],
        vec![
            mock!(aws_sdk_route53::Client::list_hosted_zones_by_vpc).then_output(|| {
                ListHostedZonesByVpcOutput::builder()
                    .set_hosted_zone_summaries(Some(vec![]))
                    .max_items(100)
                    .build()
                    .unwrap()
            }),
        ],
        vec![
            mock!(aws_sdk_route53resolver::Client::list_resolver_rule_associations)
                .then_output(|| ListResolverRuleAssociationsOutput::builder().build()),
            mock!(aws_sdk_route53resolver::Client::list_resolver_rules)
                .then_output(|| ListResolverRulesOutput::builder().build()),
        ],
    )
}

/// The configuration of a client that is never called: a closed loopback port.
macro_rules! closed_config {
    ($krate:ident) => {
        $krate::Config::builder()
            .behavior_version($krate::config::BehaviorVersion::latest())
            .region($krate::config::Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:9")
            .build()
    };
}

/// Mock clients: the given rules, and quiet DNS after them (a test's own DNS rules win).
fn clients(ec2: &[&Rule], cloudwatch: &[&Rule], mwaa: &[&Rule]) -> Clients {
    clients_with_dns(ec2, cloudwatch, mwaa, &[], &[])
}

fn clients_with_dns(
    ec2: &[&Rule],
    cloudwatch: &[&Rule],
    mwaa: &[&Rule],
    route53: &[&Rule],
    resolver: &[&Rule],
) -> Clients {
    // The interceptors clone the rules, so the quiet DNS rules can be local.
    let (dns_ec2, dns_route53, dns_resolver) = quiet_dns();
    let caller = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput::builder()
            .account(ACCOUNT)
            .build()
    });
    fn chain<'r>(first: &[&'r Rule], then: &'r [Rule]) -> Vec<&'r Rule> {
        first.iter().copied().chain(then.iter()).collect()
    }
    let ec2 = chain(ec2, &dns_ec2);
    let route53 = chain(route53, &dns_route53);
    let resolver = chain(resolver, &dns_resolver);
    Clients {
        ec2: mock_client!(aws_sdk_ec2, RuleMode::MatchAny, &ec2),
        cloudwatch: mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, cloudwatch),
        mwaa: mock_client!(aws_sdk_mwaa, RuleMode::MatchAny, mwaa),
        route53: mock_client!(aws_sdk_route53, RuleMode::MatchAny, &route53),
        resolver: mock_client!(aws_sdk_route53resolver, RuleMode::MatchAny, &resolver),
        sts: mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&caller]),
        // No rule: the collection never reads CloudTrail.
        cloudtrail: mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, &[]),
        // No environment here names a role, bucket or key: these are never called (a call
        // would fail at once on a closed loopback port).
        iam: aws_sdk_iam::Client::from_conf(closed_config!(aws_sdk_iam)),
        s3: aws_sdk_s3::Client::from_conf(closed_config!(aws_sdk_s3)),
        kms: aws_sdk_kms::Client::from_conf(closed_config!(aws_sdk_kms)),
        region: "us-east-1".into(),
        profile: None,
    }
}

#[tokio::test]
async fn paginators_are_followed_to_the_end_for_300_endpoints() {
    let rules = large_vpc_rules();
    let nacls = nacls_ok();
    let metrics = metric_rule();
    let mut ec2: Vec<&Rule> = rules.iter().collect();
    ec2.push(&nacls);
    let clients = clients(&ec2, &[&metrics], &[]);
    let target = Target {
        vpc_id: Some(VPC.into()),
        ..Target::default()
    };
    let snapshot = collect(&clients, &target).await.expect("collect");

    assert!(!snapshot.is_partial(), "{:?}", snapshot.sources);
    assert_eq!(snapshot.endpoints.len(), ENDPOINTS);
    assert_eq!(snapshot.subnets.len(), SUBNETS);
    assert_eq!(snapshot.route_tables.len(), ROUTE_TABLES);
    assert_eq!(snapshot.security_groups.len(), GROUPS);
    assert_eq!(snapshot.endpoint_enis.len(), ENDPOINTS);
    let mut ids: Vec<&str> = snapshot.endpoints.iter().map(|e| e.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), ENDPOINTS, "no page read twice");
    // Pages: 60/7 → 9, 60/9 → 7, 100/11 → 10, 300/25 → 12.
    assert_eq!(rules[2].num_calls(), 9);
    assert_eq!(rules[3].num_calls(), 7);
    assert_eq!(rules[5].num_calls(), 10);
    assert_eq!(
        rules[6].num_calls(),
        12 + 1 + 1,
        "12 pages for the VPC, 1 for the Region's gateways, 1 for the missing services elsewhere"
    );
    assert_eq!(snapshot.region_gateway_endpoints, Some(0));
    // ENIs: two batches of at most 200 ids, each over several pages of 50.
    assert_eq!(rules[7].num_calls(), 4 + 2);

    // 300 endpoints × 5 metrics = 1,500 queries: three calls of 500, two pages each.
    assert_eq!(metrics.num_calls(), 3 * 2);
    assert_eq!(
        snapshot.metrics.series.len(),
        ENDPOINTS * MetricName::ALL.len()
    );
    assert!(
        snapshot
            .metrics
            .series
            .iter()
            .all(|s| s.points == [(1_800_000_000, 1.0)])
    );
}

#[tokio::test]
async fn camel_case_wire_states_are_mapped() {
    let rules = large_vpc_rules();
    let nacls = nacls_ok();
    let metrics = metric_rule();
    let mut ec2: Vec<&Rule> = rules.iter().collect();
    ec2.push(&nacls);
    let snapshot = collect(
        &clients(&ec2, &[&metrics], &[]),
        &Target {
            vpc_id: Some(VPC.into()),
            ..Target::default()
        },
    )
    .await
    .unwrap();
    // The SDK itself does not know these values...
    assert_ne!(State::from("pendingAcceptance"), State::PendingAcceptance);
    assert_ne!(State::from("available"), State::Available);
    // ...but linkscope maps them all.
    let states: Vec<&EndpointState> = snapshot
        .endpoints
        .iter()
        .take(4)
        .map(|e| &e.state)
        .collect();
    assert_eq!(
        states,
        [
            &EndpointState::Available,
            &EndpointState::PendingAcceptance,
            &EndpointState::Failed,
            &EndpointState::Deleted
        ]
    );
}

#[tokio::test]
async fn denied_sources_make_a_partial_snapshot_not_a_failure() {
    let rules = large_vpc_rules();
    let denied_acls = mock!(aws_sdk_ec2::Client::describe_network_acls).then_error(|| {
        DescribeNetworkAclsError::generic(
            ErrorMetadata::builder()
                .code("UnauthorizedOperation")
                .message("You are not authorized to perform this operation.")
                .build(),
        )
    });
    let denied_metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_error(|| {
        aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User is not authorized to perform: cloudwatch:GetMetricData")
                .build(),
        )
    });
    let mut ec2: Vec<&Rule> = rules.iter().collect();
    ec2.push(&denied_acls);
    let snapshot = collect(
        &clients(&ec2, &[&denied_metrics], &[]),
        &Target {
            vpc_id: Some(VPC.into()),
            ..Target::default()
        },
    )
    .await
    .expect("partial, not failed");
    assert!(snapshot.is_partial());
    let failed: Vec<Source> = snapshot.failed_sources().map(|(s, _)| s).collect();
    assert_eq!(failed, [Source::NetworkAcls, Source::Metrics]);
    match &snapshot.sources[&Source::NetworkAcls] {
        FetchStatus::Error(e) => assert_eq!(e.code.as_deref(), Some("UnauthorizedOperation")),
        other => panic!("{other:?}"),
    }
    assert!(snapshot.network_acls.is_empty() && snapshot.metrics.series.is_empty());
    assert_eq!(snapshot.endpoints.len(), ENDPOINTS, "the rest is intact");
}

#[tokio::test]
async fn mwaa_environment_names_the_vpc_and_the_workload() {
    let environment = mock!(aws_sdk_mwaa::Client::get_environment)
        .match_requests(|input| input.name() == Some("airflow-prod"))
        .then_output(|| {
            GetEnvironmentOutput::builder()
                .environment(
                    Environment::builder()
                        .name("airflow-prod")
                        .status(EnvironmentStatus::Available)
                        .source_bucket_arn("arn:aws:s3:::airflow-prod-dags")
                        .webserver_access_mode(WebserverAccessMode::PrivateOnly)
                        .network_configuration(
                            NetworkConfiguration::builder()
                                .subnet_ids(subnet_id(1))
                                .subnet_ids(subnet_id(2))
                                .security_group_ids("sg-00000000000000001")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    let unknown = mock!(aws_sdk_mwaa::Client::get_environment).then_error(|| {
        GetEnvironmentError::ResourceNotFoundException(
            aws_sdk_mwaa::types::error::ResourceNotFoundException::builder()
                .message("Environment nope not found")
                .meta(
                    ErrorMetadata::builder()
                        .code("ResourceNotFoundException")
                        .message("Environment nope not found")
                        .build(),
                )
                .build(),
        )
    });
    let rules = large_vpc_rules();
    let nacls = nacls_ok();
    let metrics = metric_rule();
    let mut ec2: Vec<&Rule> = rules.iter().collect();
    ec2.push(&nacls);
    let clients = clients(&ec2, &[&metrics], &[&environment, &unknown]);

    let target = Target {
        mwaa_env: Some("airflow-prod".into()),
        ..Target::default()
    };
    let snapshot = collect(&clients, &target).await.expect("collect");
    assert_eq!(snapshot.vpc.id, VPC);
    let env = snapshot.environment.as_ref().unwrap();
    assert_eq!(
        env.status,
        Some(linkscope::model::EnvironmentStatus::Available)
    );
    assert_eq!(env.webserver_access_mode.as_deref(), Some("PRIVATE_ONLY"));
    assert_eq!(
        env.source_bucket_arn.as_deref(),
        Some("arn:aws:s3:::airflow-prod-dags")
    );
    assert_eq!(snapshot.workload.origin, WorkloadOrigin::Environment);
    assert_eq!(snapshot.workload.subnet_ids, [subnet_id(1), subnet_id(2)]);
    assert_eq!(
        snapshot.workload.security_group_ids,
        ["sg-00000000000000001"]
    );
    assert_eq!(snapshot.sources[&Source::MwaaEnvironment], FetchStatus::Ok);

    let missing = Target {
        mwaa_env: Some("nope".into()),
        ..Target::default()
    };
    match collect(&clients, &missing).await {
        Err(Failure::BadInput(message)) => assert!(message.contains("nope"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// A catalogue entry as AWS returns it, with the fields moto does not fill in.
fn service(
    name: &str,
    zones: &[(&str, &str)],
    ip_types: &[ServiceConnectivityType],
) -> ServiceDetail {
    zones
        .iter()
        .fold(
            ServiceDetail::builder()
                .service_name(name)
                .service_type(
                    ServiceTypeDetail::builder()
                        .service_type(ServiceType::Interface)
                        .build(),
                )
                .private_dns_name(format!(
                    "{}.us-east-1.amazonaws.com",
                    name.rsplit('.').next().unwrap()
                ))
                .set_supported_ip_address_types(Some(ip_types.to_vec()))
                .vpc_endpoint_policy_supported(true),
            |detail, (zone, id)| detail.availability_zones(*zone).availability_zone_ids(*id),
        )
        .build()
}

/// `ServiceConnectivityTypes` and AZ ids come through the real SDK into the checks: a
/// dualstack endpoint of an IPv4-only service fails, and SQS offered in two of the
/// workload's three zones (compared by id) is flagged for the third.
#[tokio::test]
async fn catalogue_ip_types_and_zone_ids_reach_the_checks() {
    let catalogue = mock!(aws_sdk_ec2::Client::describe_vpc_endpoint_services).then_output(|| {
        DescribeVpcEndpointServicesOutput::builder()
            .service_details(service(
                "com.amazonaws.us-east-1.svc0",
                &[
                    ("us-east-1a", "use1-az1"),
                    ("us-east-1b", "use1-az2"),
                    ("us-east-1c", "use1-az4"),
                ],
                &[ServiceConnectivityType::Ipv4],
            ))
            .service_details(service(
                "com.amazonaws.us-east-1.sqs",
                &[("us-east-1a", "use1-az1"), ("us-east-1b", "use1-az2")],
                &[ServiceConnectivityType::Ipv4, ServiceConnectivityType::Ipv6],
            ))
            .service_details(service(
                "com.amazonaws.us-east-1.not-in-scope",
                &[("us-east-1a", "use1-az1")],
                &[ServiceConnectivityType::Ipv4],
            ))
            .build()
    });
    let rules = large_vpc_rules();
    let nacls = nacls_ok();
    let metrics = metric_rule();
    let mut ec2: Vec<&Rule> = vec![&catalogue];
    ec2.extend(rules.iter());
    ec2.push(&nacls);
    let target = Target {
        vpc_id: Some(VPC.into()),
        collect_metrics: false,
        ..Target::default()
    };
    let mut snapshot = collect(&clients(&ec2, &[&metrics], &[]), &target)
        .await
        .expect("collect");
    assert_eq!(catalogue.num_calls(), 1, "one call, in the first wave");
    let names: Vec<&str> = snapshot
        .dns
        .services
        .iter()
        .map(|s| s.service_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "com.amazonaws.us-east-1.svc0",
            "com.amazonaws.us-east-1.sqs"
        ],
        "only the services in scope are kept"
    );
    let sqs = &snapshot.dns.services[1];
    assert_eq!(sqs.availability_zone_ids, ["use1-az1", "use1-az2"]);
    assert_eq!(sqs.supported_ip_address_types, ["ipv4", "ipv6"]);

    snapshot.workload = Workload {
        origin: WorkloadOrigin::Flags,
        subnet_ids: (0..3).map(subnet_id).collect(),
        security_group_ids: vec![],
    };
    let result = audit(&snapshot);
    let flagged = |id: &str| -> Vec<(Status, Vec<String>, String)> {
        result
            .findings
            .iter()
            .filter(|f| f.id == id && f.status != Status::Pass)
            .map(|f| (f.status, f.resources.clone(), f.detail.clone()))
            .collect()
    };
    let ip = flagged("vpce-ip-type-unsupported-by-service");
    assert_eq!(ip.len(), 1, "{ip:?}");
    assert_eq!(ip[0].0, Status::Fail);
    assert_eq!(ip[0].1[0], format!("vpce-{:017x}", 0));
    let zones = flagged("vpce-service-az-unsupported");
    assert_eq!(zones.len(), 1, "{zones:?}");
    assert_eq!(zones[0].0, Status::Fail, "an MWAA service is an error");
    assert!(
        zones[0].2.contains("us-east-1c (use1-az4)"),
        "{}",
        zones[0].2
    );
}

/// GetEnvironment's shapes through the real SDK: every status, `LastUpdate.Error` present and
/// absent, customer-managed endpoints with and without the web server row, service-managed.
#[tokio::test]
async fn every_environment_shape_reaches_the_checks() {
    use aws_sdk_mwaa::primitives::DateTime as MwaaTime;
    use aws_sdk_mwaa::types::{EndpointManagement, LastUpdate, UpdateError, UpdateStatus};
    use linkscope::checks::{Status, audit};

    struct Shape {
        status: EnvironmentStatus,
        error: bool,
        management: EndpointManagement,
        access: WebserverAccessMode,
    }
    let shape_rule = |shape: Shape| {
        mock!(aws_sdk_mwaa::Client::get_environment).then_output(move || {
            let update = LastUpdate::builder()
                .status(if shape.error {
                    UpdateStatus::Failed
                } else {
                    UpdateStatus::Success
                })
                .created_at(MwaaTime::from_secs(1_795_575_600));
            let update = match shape.error {
                true => update.error(
                    UpdateError::builder()
                        .error_code("INCORRECT_CONFIGURATION")
                        .error_message("check the VPC")
                        .build(),
                ),
                false => update,
            };
            GetEnvironmentOutput::builder()
                .environment(
                    Environment::builder()
                        .name("airflow-shapes")
                        .status(shape.status.clone())
                        .last_update(update.build())
                        .endpoint_management(shape.management.clone())
                        .database_vpc_endpoint_service("com.amazonaws.vpce.us-east-1.vpce-svc-0db")
                        .webserver_vpc_endpoint_service(
                            "com.amazonaws.vpce.us-east-1.vpce-svc-0web",
                        )
                        .webserver_access_mode(shape.access.clone())
                        .network_configuration(
                            NetworkConfiguration::builder()
                                .subnet_ids(subnet_id(1))
                                .subnet_ids(subnet_id(2))
                                .security_group_ids("sg-00000000000000001")
                                .build(),
                        )
                        .build(),
                )
                .build()
        })
    };
    let rules = large_vpc_rules();
    let nacls = nacls_ok();
    let target = Target {
        mwaa_env: Some("airflow-shapes".into()),
        collect_metrics: false,
        ..Target::default()
    };
    let verdict = |snapshot: &linkscope::model::Snapshot, id: &str| -> Vec<Status> {
        audit(snapshot)
            .findings
            .iter()
            .filter(|f| f.id == id)
            .map(|f| f.status)
            .collect()
    };
    for (status, expected) in [
        (EnvironmentStatus::Available, Status::Pass),
        (EnvironmentStatus::Creating, Status::Warn),
        (EnvironmentStatus::Pending, Status::Warn),
        (EnvironmentStatus::Updating, Status::Warn),
        (EnvironmentStatus::RollingBack, Status::Warn),
        (EnvironmentStatus::CreatingSnapshot, Status::Warn),
        (EnvironmentStatus::Maintenance, Status::Warn),
        (EnvironmentStatus::Deleting, Status::Warn),
        (EnvironmentStatus::CreateFailed, Status::Fail),
        (EnvironmentStatus::UpdateFailed, Status::Fail),
        (EnvironmentStatus::Unavailable, Status::Fail),
        (EnvironmentStatus::Deleted, Status::Fail),
    ] {
        for error in [false, true] {
            let environment = shape_rule(Shape {
                status: status.clone(),
                error,
                management: EndpointManagement::Customer,
                access: WebserverAccessMode::PrivateOnly,
            });
            let mut ec2: Vec<&Rule> = rules.iter().collect();
            ec2.push(&nacls);
            let snapshot = collect(&clients(&ec2, &[], &[&environment]), &target)
                .await
                .expect("collect");
            let env = snapshot.environment.as_ref().unwrap();
            assert_eq!(
                env.status.as_ref().map(|s| s.as_str()),
                Some(status.as_str())
            );
            let update = env.last_update.as_ref().unwrap();
            assert_eq!(update.created_at.as_deref(), Some("2026-11-25T03:00:00Z"));
            assert_eq!(
                update.error_code.as_deref(),
                error.then_some("INCORRECT_CONFIGURATION")
            );
            assert_eq!(
                verdict(&snapshot, "mwaa-env-status"),
                [expected],
                "{status}"
            );
            // Customer-managed with private access: both rows, judged (no endpoints here).
            assert_eq!(verdict(&snapshot, "mwaa.endpoint.database"), [Status::Fail]);
            assert_eq!(
                verdict(&snapshot, "mwaa.endpoint.webserver"),
                [Status::Fail]
            );
        }
    }
    for (management, access, database, webserver) in [
        (
            EndpointManagement::Customer,
            WebserverAccessMode::PublicOnly,
            vec![Status::Fail],
            vec![],
        ),
        (
            EndpointManagement::Service,
            WebserverAccessMode::PrivateOnly,
            vec![Status::Info],
            vec![Status::Info],
        ),
    ] {
        let environment = shape_rule(Shape {
            status: EnvironmentStatus::Available,
            error: false,
            management,
            access,
        });
        let mut ec2: Vec<&Rule> = rules.iter().collect();
        ec2.push(&nacls);
        let snapshot = collect(&clients(&ec2, &[], &[&environment]), &target)
            .await
            .expect("collect");
        assert_eq!(verdict(&snapshot, "mwaa.endpoint.database"), database);
        assert_eq!(verdict(&snapshot, "mwaa.endpoint.webserver"), webserver);
    }
}
