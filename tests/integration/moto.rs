//! The moto server started by `scripts/test.sh`, and seeding it through the Rust SDK itself.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, IpPermission, IpRange, PortRange, RuleAction, UserIdGroupPair,
    VpcEndpointType,
};
use linkscope::aws::{Clients, ConnectOptions};

pub const REGION: &str = "us-east-1";

pub use linkscope::checks::MWAA_SUFFIXES;

/// The server URL. Live tests fail, never skip, when it is missing.
pub fn url() -> String {
    std::env::var("LINKSCOPE_MOTO_URL")
        .expect("live tests need the moto server: run them with scripts/test.sh")
}

/// Clients pointed at the moto server, through linkscope's own configuration loading.
pub async fn clients() -> Clients {
    let options = ConnectOptions {
        profile: None,
        region: Some(REGION.into()),
        endpoint_url: Some(url()),
        ..ConnectOptions::default()
    };
    Clients::connect(&options).await.expect("clients")
}

/// What a seeded VPC holds, by role.
pub struct Seeded {
    pub vpc_id: String,
    pub subnets: Vec<String>,
    pub route_tables: Vec<String>,
    pub env_group: String,
    pub endpoint_group: String,
    pub nacl: String,
    /// Endpoint ids by service suffix.
    pub endpoints: BTreeMap<String, String>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn vpc_filter(vpc_id: &str) -> Filter {
    Filter::builder().name("vpc-id").values(vpc_id).build()
}

/// Seeds an MWAA private-routing VPC: two subnets in two AZs (one with its own route table,
/// one on the main table), an environment security group, an endpoint security group open
/// on 443 to the VPC, a custom NACL, the ten endpoints (s3 as a gateway with a policy) and
/// metric data for the monitoring endpoint.
pub async fn seed_mwaa_vpc(clients: &Clients, cidr_prefix: &str) -> Seeded {
    let ec2 = &clients.ec2;
    let cidr = format!("{cidr_prefix}.0.0/16");
    let vpc = ec2.create_vpc().cidr_block(&cidr).send().await.unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.modify_vpc_attribute()
        .vpc_id(&vpc_id)
        .enable_dns_hostnames(AttributeBooleanValue::builder().value(true).build())
        .send()
        .await
        .unwrap();

    let mut subnets = Vec::new();
    for (i, az) in ["us-east-1a", "us-east-1b"].into_iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("{cidr_prefix}.{}.0/24", i + 1))
            .availability_zone(az)
            .send()
            .await
            .unwrap();
        subnets.push(subnet.subnet().unwrap().subnet_id().unwrap().to_string());
    }

    let tables = ec2
        .describe_route_tables()
        .filters(vpc_filter(&vpc_id))
        .send()
        .await
        .unwrap();
    let main_table = tables.route_tables()[0]
        .route_table_id()
        .unwrap()
        .to_string();
    let private = ec2
        .create_route_table()
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    let private_table = private
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_string();
    ec2.associate_route_table()
        .route_table_id(&private_table)
        .subnet_id(&subnets[0])
        .send()
        .await
        .unwrap();

    let env_group = ec2
        .create_security_group()
        .vpc_id(&vpc_id)
        .group_name("mwaa-env")
        .description("MWAA environment")
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
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
    let endpoint_group = ec2
        .create_security_group()
        .vpc_id(&vpc_id)
        .group_name("vpc-endpoints")
        .description("Interface endpoints")
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&endpoint_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(IpRange::builder().cidr_ip(&cidr).build())
                .build(),
        )
        .send()
        .await
        .unwrap();

    let nacl = ec2
        .create_network_acl()
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap()
        .network_acl()
        .unwrap()
        .network_acl_id()
        .unwrap()
        .to_string();
    for egress in [false, true] {
        ec2.create_network_acl_entry()
            .network_acl_id(&nacl)
            .rule_number(100)
            .protocol("-1")
            .rule_action(RuleAction::Allow)
            .egress(egress)
            .cidr_block("0.0.0.0/0")
            .send()
            .await
            .unwrap();
    }

    let mut endpoints = BTreeMap::new();
    for suffix in MWAA_SUFFIXES {
        let service = format!("com.amazonaws.{REGION}.{suffix}");
        let request = ec2
            .create_vpc_endpoint()
            .vpc_id(&vpc_id)
            .service_name(&service);
        let request = if suffix == "s3" {
            request
                .vpc_endpoint_type(VpcEndpointType::Gateway)
                .route_table_ids(&private_table)
                .route_table_ids(&main_table)
                .policy_document(s3_policy())
        } else {
            request
                .vpc_endpoint_type(VpcEndpointType::Interface)
                .set_subnet_ids(Some(subnets.clone()))
                .security_group_ids(&endpoint_group)
                .private_dns_enabled(true)
        };
        let created = request.send().await.unwrap();
        let id = created
            .vpc_endpoint()
            .unwrap()
            .vpc_endpoint_id()
            .unwrap()
            .to_string();
        endpoints.insert(suffix.to_string(), id);
    }

    let seeded = Seeded {
        vpc_id,
        subnets,
        route_tables: vec![main_table, private_table],
        env_group,
        endpoint_group,
        nacl,
        endpoints,
    };
    put_metrics(clients, &seeded, "monitoring").await;
    seeded
}

/// The S3 gateway policy *Security in your VPC on Amazon MWAA* recommends, with a DAG bucket added.
pub fn s3_policy() -> String {
    serde_json::json!({
        "Statement": [{
            "Sid": "Access-to-specific-bucket-only",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Effect": "Allow",
            "Resource": [
                format!("arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*"),
                "arn:aws:s3:::my-dags",
                "arn:aws:s3:::my-dags/*"
            ]
        }]
    })
    .to_string()
}

/// Ten minutes of ActiveConnections and PacketsDropped for one endpoint, with the dimensions
/// in the documented order (moto matches on order).
pub async fn put_metrics(clients: &Clients, seeded: &Seeded, suffix: &str) {
    let endpoint_id = &seeded.endpoints[suffix];
    let dimensions = [
        ("Endpoint Type", "Interface".to_string()),
        ("Service Name", format!("com.amazonaws.{REGION}.{suffix}")),
        ("VPC Endpoint Id", endpoint_id.clone()),
        ("VPC Id", seeded.vpc_id.clone()),
    ];
    let minute = now() - now() % 60;
    let mut data = Vec::new();
    for i in 1..=10 {
        for (metric, value) in [
            ("ActiveConnections", 5.0 + i as f64),
            ("PacketsDropped", 0.0),
        ] {
            data.push(
                MetricDatum::builder()
                    .metric_name(metric)
                    .set_dimensions(Some(
                        dimensions
                            .iter()
                            .map(|(name, value)| {
                                Dimension::builder().name(*name).value(value).build()
                            })
                            .collect(),
                    ))
                    .timestamp(DateTime::from_secs(minute - 60 * i))
                    .value(value)
                    .build(),
            );
        }
    }
    clients
        .cloudwatch
        .put_metric_data()
        .namespace("AWS/PrivateLinkEndpoints")
        .set_metric_data(Some(data))
        .send()
        .await
        .unwrap();
}

/// Breaks a seeded VPC in six independent ways, each the subject of one or more checks:
/// airflow.ops deleted, logs recreated without private DNS, sqs behind a security group
/// without 443, the first subnet's route table dropped from the S3 gateway, the gateway's
/// policy without the ECR layer bucket, DNS hostnames off, and a network ACL on the second
/// subnet that denies outbound 443. Returns the ids of what was changed, by name.
pub async fn break_mwaa_vpc(
    clients: &Clients,
    seeded: &mut Seeded,
) -> BTreeMap<&'static str, String> {
    let ec2 = &clients.ec2;
    let mut changed = BTreeMap::new();
    ec2.delete_vpc_endpoints()
        .vpc_endpoint_ids(&seeded.endpoints["airflow.ops"])
        .send()
        .await
        .unwrap();
    changed.insert("airflow.ops", seeded.endpoints["airflow.ops"].clone());

    ec2.delete_vpc_endpoints()
        .vpc_endpoint_ids(&seeded.endpoints["logs"])
        .send()
        .await
        .unwrap();
    let logs = ec2
        .create_vpc_endpoint()
        .vpc_id(&seeded.vpc_id)
        .service_name(format!("com.amazonaws.{REGION}.logs"))
        .vpc_endpoint_type(VpcEndpointType::Interface)
        .set_subnet_ids(Some(seeded.subnets.clone()))
        .security_group_ids(&seeded.endpoint_group)
        .private_dns_enabled(false)
        .send()
        .await
        .unwrap();
    let logs = logs
        .vpc_endpoint()
        .unwrap()
        .vpc_endpoint_id()
        .unwrap()
        .to_string();
    seeded.endpoints.insert("logs".into(), logs.clone());
    changed.insert("logs", logs);

    let closed = ec2
        .create_security_group()
        .vpc_id(&seeded.vpc_id)
        .group_name("legacy-endpoints")
        .description("only port 80")
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&closed)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(80)
                .to_port(80)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    ec2.modify_vpc_endpoint()
        .vpc_endpoint_id(&seeded.endpoints["sqs"])
        .add_security_group_ids(&closed)
        .remove_security_group_ids(&seeded.endpoint_group)
        .send()
        .await
        .unwrap();
    changed.insert("sqs", seeded.endpoints["sqs"].clone());
    changed.insert("closed-group", closed);

    let s3 = seeded.endpoints["s3"].clone();
    let dags_only = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::my-dags", "arn:aws:s3:::my-dags/*"]}]});
    ec2.modify_vpc_endpoint()
        .vpc_endpoint_id(&s3)
        .remove_route_table_ids(&seeded.route_tables[1])
        .policy_document(dags_only.to_string())
        .send()
        .await
        .unwrap();
    changed.insert("s3", s3);
    changed.insert("private-table", seeded.route_tables[1].clone());

    ec2.modify_vpc_attribute()
        .vpc_id(&seeded.vpc_id)
        .enable_dns_hostnames(AttributeBooleanValue::builder().value(false).build())
        .send()
        .await
        .unwrap();

    // Rule 100 (allow all) exists from seeding; rule 50 denies outbound 443 before it.
    ec2.create_network_acl_entry()
        .network_acl_id(&seeded.nacl)
        .rule_number(50)
        .protocol("6")
        .port_range(PortRange::builder().from(443).to(443).build())
        .rule_action(RuleAction::Deny)
        .egress(true)
        .cidr_block("0.0.0.0/0")
        .send()
        .await
        .unwrap();
    let acls = ec2
        .describe_network_acls()
        .filters(vpc_filter(&seeded.vpc_id))
        .send()
        .await
        .unwrap();
    let association = acls
        .network_acls()
        .iter()
        .flat_map(|a| a.associations())
        .find(|a| a.subnet_id() == Some(seeded.subnets[1].as_str()))
        .and_then(|a| a.network_acl_association_id())
        .unwrap()
        .to_string();
    ec2.replace_network_acl_association()
        .association_id(association)
        .network_acl_id(&seeded.nacl)
        .send()
        .await
        .unwrap();
    changed.insert("nacl", seeded.nacl.clone());
    changed
}

/// What `seed_dns` created.
pub struct SeededDns {
    pub dhcp_options: String,
    pub zone: String,
    pub rule: String,
    /// The Airflow operations name the catalogue publishes (moto's spelling differs from
    /// AWS's `ops.airflow.<region>.amazonaws.com`).
    pub ops_name: String,
}

/// DNS around a seeded VPC: a DHCP option set with AmazonProvidedDNS; a private zone for
/// `us-east-1.amazonaws.com` holding only a CNAME for the Airflow operations name the
/// catalogue publishes (whose endpoint it deletes); and a FORWARD rule for exactly the SQS name, taking it from the
/// VPC's SQS endpoint.
pub async fn seed_dns(clients: &Clients, seeded: &mut Seeded) -> SeededDns {
    use aws_sdk_route53::types::{
        Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord, ResourceRecordSet,
        RrType, Vpc as ZoneVpc, VpcRegion,
    };
    use aws_sdk_route53resolver::types::{RuleTypeOption, TargetAddress};
    let ec2 = &clients.ec2;
    let dhcp_options = ec2
        .create_dhcp_options()
        .dhcp_configurations(
            aws_sdk_ec2::types::NewDhcpConfiguration::builder()
                .key("domain-name-servers")
                .values("AmazonProvidedDNS")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .dhcp_options()
        .unwrap()
        .dhcp_options_id()
        .unwrap()
        .to_string();
    ec2.associate_dhcp_options()
        .dhcp_options_id(&dhcp_options)
        .vpc_id(&seeded.vpc_id)
        .send()
        .await
        .unwrap();

    let ops = seeded.endpoints.remove("airflow.ops").unwrap();
    ec2.delete_vpc_endpoints()
        .vpc_endpoint_ids(&ops)
        .send()
        .await
        .unwrap();
    let ops_name = ec2
        .describe_vpc_endpoint_services()
        .service_names(format!("com.amazonaws.{REGION}.airflow.ops"))
        .send()
        .await
        .unwrap()
        .service_details()
        .iter()
        .find_map(|detail| detail.private_dns_name().map(str::to_string))
        .expect("the catalogue names the operations service");
    let zone = clients
        .route53
        .create_hosted_zone()
        .name(format!("{REGION}.amazonaws.com"))
        .caller_reference(format!("linkscope-{}", seeded.vpc_id))
        .vpc(
            ZoneVpc::builder()
                .vpc_region(VpcRegion::from(REGION))
                .vpc_id(&seeded.vpc_id)
                .build(),
        )
        .hosted_zone_config(HostedZoneConfig::builder().private_zone(true).build())
        .send()
        .await
        .unwrap()
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string();
    let record = |name: String, value: &str| {
        Change::builder()
            .action(ChangeAction::Create)
            .resource_record_set(
                ResourceRecordSet::builder()
                    .name(name)
                    .r#type(RrType::Cname)
                    .ttl(300)
                    .resource_records(ResourceRecord::builder().value(value).build().unwrap())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    clients
        .route53
        .change_resource_record_sets()
        .hosted_zone_id(&zone)
        .change_batch(
            ChangeBatch::builder()
                .changes(record(
                    ops_name.clone(),
                    "vpce-0123456789abcdef0-hub.airflow.ops.us-east-1.vpce.amazonaws.com",
                ))
                .changes(record(
                    "unrelated.us-east-1.amazonaws.com".into(),
                    "elsewhere.example.com",
                ))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let rule = clients
        .resolver
        .create_resolver_rule()
        .creator_request_id(format!("sqs-{}", seeded.vpc_id))
        .name("onprem-sqs")
        .rule_type(RuleTypeOption::Forward)
        .domain_name(format!("sqs.{REGION}.amazonaws.com"))
        .target_ips(TargetAddress::builder().ip("10.9.0.2").port(53).build())
        .send()
        .await
        .unwrap()
        .resolver_rule()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    clients
        .resolver
        .associate_resolver_rule()
        .resolver_rule_id(&rule)
        .vpc_id(&seeded.vpc_id)
        // moto sorts associations by name and fails on two without one.
        .name(format!("sqs-{}", seeded.vpc_id))
        .send()
        .await
        .unwrap();
    SeededDns {
        dhcp_options,
        zone,
        rule,
        ops_name,
    }
}
