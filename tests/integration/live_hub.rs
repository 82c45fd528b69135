//! The way to endpoints centralised in a hub VPC, against moto: a spoke and a hub joined by a
//! peering connection, and by a transit gateway; sound, then broken one hop at a time.
//!
//! moto gives an interface endpoint's network interfaces random `10.x.y.z` addresses, not
//! addresses of their subnets, so the spoke here is in 172.16.0.0/12 and routes 10.0.0.0/8 to
//! the hub, as many organisations do. moto 5.2.5 also does not propagate attachment routes
//! (static routes stand in), associates every VPC attachment with the transit gateway's
//! default route table, ignores `route-search.longest-prefix-match` (linkscope reads every
//! route and matches itself), and reports no attachment for a route, so a sound transit
//! gateway way is `unknown` here; `aws/ec2_transit.rs` reads recorded AWS replies instead.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, IpPermission, IpRange, UserIdGroupPair, VpcEndpointType,
};
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecordSet, RrType,
    Vpc as ZoneVpc, VpcRegion,
};
use serde_json::Value;

use crate::cli::run;
use crate::moto::{self, REGION};
use crate::proxy::{Config, Proxy, critical_path};
use crate::resilience::{read_only, readme_policy};
use linkscope::aws::Clients;

/// Calls only a hub behind a transit gateway makes; the transit gateway test records them
/// through the proxy and checks them against the README policy.
pub const HUB_ONLY_CALLS: &[&str] = &["ec2:SearchTransitGatewayRoutes"];

/// The services the hub serves in these tests.
const SERVICES: [&str; 3] = ["sqs", "logs", "kms"];

/// How the spoke reaches the hub.
#[derive(Clone, Copy, PartialEq)]
enum Join {
    Peering,
    TransitGateway,
}

/// What the seeding made.
struct HubAndSpoke {
    spoke: String,
    subnets: Vec<String>,
    spoke_table: String,
    env_group: String,
    hub: String,
    hub_group: String,
    hub_table: String,
    /// Hub endpoint ids by service suffix.
    endpoints: BTreeMap<String, String>,
    /// The peering connection or the transit gateway.
    link: String,
    /// The transit gateway route table, for a transit gateway.
    tgw_table: Option<String>,
    /// The hub's attachment, for a transit gateway.
    hub_attachment: Option<String>,
}

fn id(value: Option<&str>) -> String {
    value.unwrap().to_string()
}

async fn vpc(clients: &Clients, cidr: &str) -> String {
    let ec2 = &clients.ec2;
    let vpc = ec2.create_vpc().cidr_block(cidr).send().await.unwrap();
    let vpc_id = id(vpc.vpc().unwrap().vpc_id());
    ec2.modify_vpc_attribute()
        .vpc_id(&vpc_id)
        .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .unwrap();
    vpc_id
}

async fn two_subnets(clients: &Clients, vpc_id: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, az) in ["us-east-1a", "us-east-1b"].into_iter().enumerate() {
        let subnet = clients
            .ec2
            .create_subnet()
            .vpc_id(vpc_id)
            .cidr_block(format!("{prefix}.{}.0/24", i + 1))
            .availability_zone(az)
            .send()
            .await
            .unwrap();
        out.push(id(subnet.subnet().unwrap().subnet_id()));
    }
    out
}

async fn main_table(clients: &Clients, vpc_id: &str) -> String {
    let tables = clients
        .ec2
        .describe_route_tables()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .send()
        .await
        .unwrap();
    id(tables.route_tables()[0].route_table_id())
}

async fn group(clients: &Clients, vpc_id: &str, name: &str) -> String {
    let created = clients
        .ec2
        .create_security_group()
        .vpc_id(vpc_id)
        .group_name(name)
        .description(name)
        .send()
        .await
        .unwrap();
    id(created.group_id())
}

/// Admits TCP 443 from `cidr` on `group`.
async fn admit(clients: &Clients, group: &str, cidr: &str) {
    clients
        .ec2
        .authorize_security_group_ingress()
        .group_id(group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// A private hosted zone for the service's name, associated with the spoke, whose alias
/// record points at the hub endpoint's DNS name.
async fn zone_alias(clients: &Clients, spoke: &str, suffix: &str, endpoint: &str) {
    let ec2 = &clients.ec2;
    let service = format!("com.amazonaws.{REGION}.{suffix}");
    let name = ec2
        .describe_vpc_endpoint_services()
        .service_names(&service)
        .send()
        .await
        .unwrap()
        .service_details()
        .iter()
        .find_map(|d| d.private_dns_name().map(str::to_string))
        .unwrap();
    let described = ec2
        .describe_vpc_endpoints()
        .vpc_endpoint_ids(endpoint)
        .send()
        .await
        .unwrap();
    let entry = &described.vpc_endpoints()[0].dns_entries()[0];
    let zone = clients
        .route53
        .create_hosted_zone()
        .name(&name)
        .caller_reference(format!("linkscope-hub-{spoke}-{suffix}"))
        .vpc(
            ZoneVpc::builder()
                .vpc_region(VpcRegion::from(REGION))
                .vpc_id(spoke)
                .build(),
        )
        .hosted_zone_config(HostedZoneConfig::builder().private_zone(true).build())
        .send()
        .await
        .unwrap();
    let zone_id = zone
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string();
    let record = ResourceRecordSet::builder()
        .name(&name)
        .r#type(RrType::A)
        .alias_target(
            AliasTarget::builder()
                .hosted_zone_id(id(entry.hosted_zone_id()))
                .dns_name(id(entry.dns_name()))
                .evaluate_target_health(false)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    clients
        .route53
        .change_resource_record_sets()
        .hosted_zone_id(&zone_id)
        .change_batch(
            ChangeBatch::builder()
                .changes(
                    Change::builder()
                        .action(ChangeAction::Create)
                        .resource_record_set(record)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// A spoke (`172.<n>.0.0/16`) whose names the private zones point at endpoints of a hub
/// (`10.<n>.0.0/16`), joined as `join` says, with routes both ways and the hub's endpoint
/// group admitting the spoke.
async fn seed(clients: &Clients, n: u8, join: Join) -> HubAndSpoke {
    let ec2 = &clients.ec2;
    let spoke_cidr = format!("172.{n}.0.0/16");
    let spoke = vpc(clients, &spoke_cidr).await;
    let subnets = two_subnets(clients, &spoke, &format!("172.{n}")).await;
    let spoke_table = id(ec2
        .create_route_table()
        .vpc_id(&spoke)
        .send()
        .await
        .unwrap()
        .route_table()
        .unwrap()
        .route_table_id());
    for subnet in &subnets {
        ec2.associate_route_table()
            .route_table_id(&spoke_table)
            .subnet_id(subnet)
            .send()
            .await
            .unwrap();
    }
    let env_group = group(clients, &spoke, "mwaa-env").await;
    ec2.authorize_security_group_ingress()
        .group_id(&env_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("-1")
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(&env_group).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    ec2.create_vpc_endpoint()
        .vpc_id(&spoke)
        .service_name(format!("com.amazonaws.{REGION}.s3"))
        .vpc_endpoint_type(VpcEndpointType::Gateway)
        .route_table_ids(&spoke_table)
        .policy_document(moto::s3_policy())
        .send()
        .await
        .unwrap();

    let hub = vpc(clients, &format!("10.{n}.0.0/16")).await;
    let hub_subnets = two_subnets(clients, &hub, &format!("10.{n}")).await;
    let hub_table = main_table(clients, &hub).await;
    let hub_group = group(clients, &hub, "shared-endpoints").await;
    admit(clients, &hub_group, &spoke_cidr).await;
    let mut endpoints = BTreeMap::new();
    for suffix in SERVICES {
        let created = ec2
            .create_vpc_endpoint()
            .vpc_id(&hub)
            .service_name(format!("com.amazonaws.{REGION}.{suffix}"))
            .vpc_endpoint_type(VpcEndpointType::Interface)
            .set_subnet_ids(Some(hub_subnets.clone()))
            .security_group_ids(&hub_group)
            .private_dns_enabled(false)
            .send()
            .await
            .unwrap();
        let endpoint = id(created.vpc_endpoint().unwrap().vpc_endpoint_id());
        zone_alias(clients, &spoke, suffix, &endpoint).await;
        endpoints.insert(suffix.to_string(), endpoint);
    }

    let mut seeded = HubAndSpoke {
        spoke,
        subnets,
        spoke_table,
        env_group,
        hub,
        hub_group,
        hub_table,
        endpoints,
        link: String::new(),
        tgw_table: None,
        hub_attachment: None,
    };
    match join {
        Join::Peering => peer(clients, &mut seeded, &spoke_cidr).await,
        Join::TransitGateway => {
            transit_gateway(clients, &mut seeded, &spoke_cidr, &hub_subnets).await
        }
    }
    seeded
}

async fn peer(clients: &Clients, seeded: &mut HubAndSpoke, spoke_cidr: &str) {
    let ec2 = &clients.ec2;
    let pcx = id(ec2
        .create_vpc_peering_connection()
        .vpc_id(&seeded.spoke)
        .peer_vpc_id(&seeded.hub)
        .send()
        .await
        .unwrap()
        .vpc_peering_connection()
        .unwrap()
        .vpc_peering_connection_id());
    ec2.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    for (table, destination) in [
        (&seeded.spoke_table, "10.0.0.0/8"),
        (&seeded.hub_table, spoke_cidr),
    ] {
        ec2.create_route()
            .route_table_id(table)
            .destination_cidr_block(destination)
            .vpc_peering_connection_id(&pcx)
            .send()
            .await
            .unwrap();
    }
    seeded.link = pcx;
}

async fn transit_gateway(
    clients: &Clients,
    seeded: &mut HubAndSpoke,
    spoke_cidr: &str,
    hub_subnets: &[String],
) {
    let ec2 = &clients.ec2;
    let tgw = id(ec2
        .create_transit_gateway()
        .send()
        .await
        .unwrap()
        .transit_gateway()
        .unwrap()
        .transit_gateway_id());
    let mut attachments = Vec::new();
    for (vpc, subnets) in [
        (&seeded.spoke, &seeded.subnets),
        (&seeded.hub, &hub_subnets.to_vec()),
    ] {
        let created = ec2
            .create_transit_gateway_vpc_attachment()
            .transit_gateway_id(&tgw)
            .vpc_id(vpc)
            .set_subnet_ids(Some(subnets.clone()))
            .send()
            .await
            .unwrap();
        attachments.push(id(created
            .transit_gateway_vpc_attachment()
            .unwrap()
            .transit_gateway_attachment_id()));
    }
    // moto 5.2.5 associates every VPC attachment with the transit gateway's default route
    // table, whatever the options say: the routes go in the table it reports.
    let described = ec2
        .describe_transit_gateway_attachments()
        .transit_gateway_attachment_ids(&attachments[0])
        .send()
        .await
        .unwrap();
    let table = id(described.transit_gateway_attachments()[0]
        .association()
        .unwrap()
        .transit_gateway_route_table_id());
    // moto 5.2.5 does not propagate attachment routes: static routes stand in.
    for (destination, attachment) in [
        ("10.0.0.0/8", &attachments[1]),
        (spoke_cidr, &attachments[0]),
    ] {
        ec2.create_transit_gateway_route()
            .transit_gateway_route_table_id(&table)
            .destination_cidr_block(destination)
            .transit_gateway_attachment_id(attachment)
            .send()
            .await
            .unwrap();
    }
    for (route_table, destination) in [
        (&seeded.spoke_table, "10.0.0.0/8"),
        (&seeded.hub_table, spoke_cidr),
    ] {
        ec2.create_route()
            .route_table_id(route_table)
            .destination_cidr_block(destination)
            .transit_gateway_id(&tgw)
            .send()
            .await
            .unwrap();
    }
    seeded.link = tgw;
    seeded.tgw_table = Some(table);
    seeded.hub_attachment = Some(attachments[1].clone());
}

/// `linkscope audit` of the spoke as JSON, with its exit code.
fn audit(seeded: &HubAndSpoke) -> (i32, Value) {
    audit_through(seeded, &moto::url())
}

/// The audit against `url` (moto, or a proxy in front of it).
fn audit_through(seeded: &HubAndSpoke, url: &str) -> (i32, Value) {
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            url,
            "--region",
            REGION,
            "--vpc",
            &seeded.spoke,
            "--subnets",
            &seeded.subnets.join(","),
            "--security-groups",
            &seeded.env_group,
            "--format",
            "json",
        ],
        true,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (output.status.code().unwrap(), report)
}

/// The checks of one id.
fn checks<'r>(report: &'r Value, id: &str) -> Vec<&'r Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .collect()
}

fn involves(check: &Value, resource: &str) -> bool {
    check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == resource)
}

/// The hub's rows all have `status`; the wrong-VPC rule never calls a hub endpoint misplaced.
#[track_caller]
fn rows_are(report: &Value, seeded: &HubAndSpoke, status: &str) {
    for suffix in SERVICES {
        let row = checks(report, &format!("mwaa.endpoint.{suffix}"));
        assert_eq!(row[0]["status"], status, "{suffix}: {:#}", row[0]);
        assert!(involves(row[0], &seeded.endpoints[suffix]), "{:#}", row[0]);
    }
    for check in checks(report, "mwaa-endpoint-wrong-vpc-or-region") {
        for endpoint in seeded.endpoints.values() {
            assert!(
                check["status"] != "fail" || !involves(check, endpoint),
                "the centralised endpoint is not misplaced: {check:#}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_peered_hub_is_reached_until_a_hop_breaks() {
    let clients = moto::clients().await;
    let seeded = seed(&clients, 41, Join::Peering).await;
    let (_, report) = audit(&seeded);
    rows_are(&report, &seeded, "pass");
    let path = checks(&report, "network-path-to-endpoint");
    assert!(path.iter().all(|c| c["status"] == "pass"), "{path:#?}");

    // The hub's group admits only the hub's own range.
    let ec2 = &clients.ec2;
    ec2.revoke_security_group_ingress()
        .group_id(&seeded.hub_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(IpRange::builder().cidr_ip("172.41.0.0/16").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    admit(&clients, &seeded.hub_group, "10.41.0.0/16").await;
    let (code, report) = audit(&seeded);
    assert_eq!(code, 1);
    rows_are(&report, &seeded, "fail");
    let path = checks(&report, "network-path-to-endpoint");
    assert!(
        path.iter()
            .any(|c| c["status"] == "fail" && c["subject"]["id"] == seeded.hub_group.as_str()),
        "{path:#?}"
    );
    admit(&clients, &seeded.hub_group, "172.41.0.0/16").await;

    // No route from the spoke to the hub: the spoke's table is the hop that fails.
    ec2.delete_route()
        .route_table_id(&seeded.spoke_table)
        .destination_cidr_block("10.0.0.0/8")
        .send()
        .await
        .unwrap();
    let (_, report) = audit(&seeded);
    rows_are(&report, &seeded, "fail");
    let path = checks(&report, "network-path-to-endpoint");
    let cut = path
        .iter()
        .find(|c| c["subject"]["id"] == seeded.spoke_table.as_str())
        .unwrap_or_else(|| panic!("{path:#?}"));
    assert_eq!(cut["status"], "fail");
    assert!(
        cut["remediation"]
            .as_str()
            .unwrap()
            .contains(&format!("--vpc-peering-connection-id {}", seeded.link)),
        "the fix names the peering connection: {cut:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_hub_behind_a_transit_gateway_is_followed_and_a_blackhole_fails() {
    let clients = moto::clients().await;
    let seeded = seed(&clients, 42, Join::TransitGateway).await;
    // The two waves, the hub endpoints behind the records, then the hub's network and the
    // transit gateway route searches: two round trips more than a VPC without a hub. A
    // measure is taken again once when it exceeds that: a busy machine can hold a request
    // back past another's answer, a real extra round trip comes back.
    let measure = || async {
        let config = Config {
            latency: Duration::from_millis(300),
            ..Config::default()
        };
        let proxy = Proxy::start(&moto::url(), config).await;
        let (_, report) = audit_through(&seeded, &proxy.url);
        (critical_path(&proxy.records()), proxy.actions(), report)
    };
    let (mut depth, mut actions, mut report) = measure().await;
    if depth != 4 {
        (depth, actions, report) = measure().await;
    }
    assert_eq!(depth, 4, "{actions:?}");
    let policy = readme_policy();
    for action in HUB_ONLY_CALLS {
        assert!(actions.iter().any(|a| a == action), "{:?}", actions);
        assert!(
            read_only(action) && policy.iter().any(|p| p == action),
            "{action}"
        );
    }
    // moto reports no attachment for a transit gateway route, so the hop that would say the
    // route reaches the hub's attachment cannot be judged: unknown, never pass.
    rows_are(&report, &seeded, "unknown");
    let path = checks(&report, "network-path-to-endpoint");
    let table = seeded.tgw_table.clone().unwrap();
    assert!(
        path.iter().any(|c| c["status"] == "unknown"
            && c["subject"]["id"] == table.as_str()
            && c["detail"]
                .as_str()
                .unwrap()
                .contains("does not say to which attachment")),
        "{path:#?}"
    );
    assert!(path.iter().all(|c| c["status"] != "fail"), "{path:#?}");

    // The route to the hub blackholed in the transit gateway route table.
    let ec2 = &clients.ec2;
    ec2.delete_transit_gateway_route()
        .transit_gateway_route_table_id(&table)
        .destination_cidr_block("10.0.0.0/8")
        .send()
        .await
        .unwrap();
    ec2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&table)
        .destination_cidr_block("10.0.0.0/8")
        .blackhole(true)
        .send()
        .await
        .unwrap();
    let (code, report) = audit(&seeded);
    assert_eq!(code, 1);
    rows_are(&report, &seeded, "fail");
    let path = checks(&report, "network-path-to-endpoint");
    let cut = path
        .iter()
        .find(|c| c["subject"]["id"] == table.as_str())
        .unwrap_or_else(|| panic!("{path:#?}"));
    assert_eq!(cut["status"], "fail");
    assert!(
        cut["detail"].as_str().unwrap().contains("blackhole"),
        "{cut:#}"
    );
    assert!(
        cut["remediation"].as_str().unwrap().contains(&format!(
            "aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id {table} --destination-cidr-block 10.0.0.0/8 --transit-gateway-attachment-id {}",
            seeded.hub_attachment.as_deref().unwrap()
        )),
        "{cut:#}"
    );
}
