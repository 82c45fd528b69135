//! The bundled demo snapshots, built from code so that they stay realistic and reviewable.
//!
//! `assets/demo-*.json` must equal what this module builds; regenerate them with
//! `LINKSCOPE_UPDATE_DEMO=1 cargo test --test integration demo_data`.

mod probe_example;

use std::collections::BTreeMap;

use linkscope::checks::MWAA_SUFFIXES;
use linkscope::model::*;

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "111122223333";
/// End of the metric window: the moment the demo was "captured".
const CAPTURED_AT: &str = "2026-11-25T06:00:00Z";
const CAPTURED_EPOCH: i64 = 1_795_586_400;
/// The Route 53 zone of `*.vpce.amazonaws.com` names in us-east-1.
const VPCE_ZONE: &str = "Z7HUB22UULQXV";
const S3_PREFIX_LIST: &str = "pl-63a5400a";
/// The transit gateway to the on-premises network of the troubled demo.
const TRANSIT_GATEWAY: &str = "tgw-0a1b2c3d4e5f60718";

const FULL_ACCESS_POLICY: &str = "{\n  \"Version\" : \"2008-10-17\",\n  \"Statement\" : [ {\n    \"Effect\" : \"Allow\",\n    \"Principal\" : \"*\",\n    \"Action\" : \"*\",\n    \"Resource\" : \"*\"\n  } ]\n}";

/// Deterministic pseudo-random numbers (SplitMix64), so regenerating gives the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit((self.next() % 16) as u32, 16).unwrap())
            .collect()
    }

    fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize] as char)
            .collect()
    }

    fn id(&mut self, prefix: &str) -> String {
        format!("{prefix}-0{}", self.hex(16))
    }
}

fn tags(name: &str) -> Tags {
    [("Name".to_string(), name.to_string())].into()
}

/// One AZ-bound private subnet.
struct Zone {
    az: &'static str,
    az_id: &'static str,
}

const ZONES: [Zone; 3] = [
    Zone {
        az: "us-east-1a",
        az_id: "use1-az4",
    },
    Zone {
        az: "us-east-1b",
        az_id: "use1-az6",
    },
    Zone {
        az: "us-east-1c",
        az_id: "use1-az1",
    },
];

/// How one endpoint of a scenario is set up.
struct EndpointSpec {
    suffix: &'static str,
    state: EndpointState,
    private_dns: bool,
    group: usize,
    /// Typical concurrent connections; 0 means the endpoint carries no traffic.
    load: f64,
    /// A burst of dropped packets in the last 40 minutes.
    drops: bool,
}

fn spec(suffix: &'static str, load: f64) -> EndpointSpec {
    EndpointSpec {
        suffix,
        state: EndpointState::Available,
        private_dns: true,
        group: 1,
        load,
        drops: false,
    }
}

/// `dkr.ecr`, `api.airflow`, …: the DNS label order AWS uses for dotted service names.
fn dns_label(suffix: &str) -> String {
    suffix.rsplit('.').collect::<Vec<_>>().join(".")
}

struct Builder {
    rng: Rng,
    snapshot: Snapshot,
}

impl Builder {
    fn new(seed: u64, vpc_name: &str, cidr_prefix: &str, hostnames: bool) -> Self {
        let mut rng = Rng(seed);
        let vpc = Vpc {
            id: rng.id("vpc"),
            owner_id: Some(ACCOUNT.into()),
            cidr_blocks: vec![format!("{cidr_prefix}.0.0/16")],
            ipv6_cidr_blocks: vec![],
            enable_dns_support: Some(true),
            enable_dns_hostnames: Some(hostnames),
            dhcp_options_id: Some(rng.id("dopt")),
            is_default: false,
            tags: tags(vpc_name),
        };
        let sources = [
            Source::Vpc,
            Source::VpcAttributes,
            Source::Subnets,
            Source::RouteTables,
            Source::PrefixLists,
            Source::SecurityGroups,
            Source::NetworkAcls,
            Source::VpcEndpoints,
            Source::RegionGatewayEndpoints,
            Source::NetworkInterfaces,
            Source::Metrics,
            Source::MwaaEnvironment,
            Source::DhcpOptions,
            Source::EndpointServices,
            Source::HostedZones,
            Source::RecordSets,
            Source::ResolverRules,
            Source::HubEndpoints,
            Source::CallerIdentity,
            Source::EndpointsElsewhere,
            Source::Peerings,
            Source::TransitGateways,
            Source::ExecutionRole,
            Source::InlinePolicies,
            Source::AttachedPolicies,
            Source::PermissionsBoundary,
            Source::BucketLocation,
            Source::BucketVersioning,
            Source::BucketPublicAccessBlock,
        ]
        .into_iter()
        .map(|s| (s, FetchStatus::Ok))
        .collect();
        let dhcp_options = DhcpOptions {
            id: vpc.dhcp_options_id.clone().unwrap(),
            domain_name_servers: vec!["AmazonProvidedDNS".into()],
            domain_name: Some("ec2.internal".into()),
        };
        let snapshot = Snapshot {
            schema: SCHEMA_VERSION,
            captured_at: CAPTURED_AT.into(),
            region: REGION.into(),
            profile: Some("data-platform-prod".into()),
            vpc,
            subnets: vec![],
            route_tables: vec![],
            prefix_lists: prefix_lists(),
            security_groups: vec![],
            network_acls: vec![],
            endpoints: vec![],
            endpoint_enis: vec![],
            region_gateway_endpoints: Some(2),
            environment: None,
            workload: Workload::default(),
            dns: Dns {
                dhcp_options: Some(dhcp_options),
                services: catalogue(),
                ..Dns::default()
            },
            caller_account: Some(ACCOUNT.into()),
            endpoints_elsewhere: vec![],
            transit: Transit::default(),
            changes: None,
            execution_role: None,
            source_bucket: None,
            kms_key: None,
            metrics: Metrics {
                start: CAPTURED_EPOCH - 3 * 3600,
                end: CAPTURED_EPOCH,
                period_seconds: 60,
                series: vec![],
                environment: vec![],
            },
            sources,
        };
        Self { rng, snapshot }
    }

    fn vpc_id(&self) -> String {
        self.snapshot.vpc.id.clone()
    }

    fn subnet(&mut self, zone: &Zone, cidr: &str, name: &str) -> String {
        let id = self.rng.id("subnet");
        self.snapshot.subnets.push(Subnet {
            id: id.clone(),
            vpc_id: self.vpc_id(),
            availability_zone: zone.az.into(),
            availability_zone_id: Some(zone.az_id.into()),
            cidr_block: Some(cidr.into()),
            ipv6_cidr_blocks: vec![],
            ipv6_native: false,
            owner_id: Some(ACCOUNT.into()),
            tags: tags(name),
        });
        id
    }

    fn route_table(&mut self, name: &str, main: bool, subnets: &[&str]) -> String {
        let id = self.rng.id("rtb");
        let mut associations: Vec<RouteTableAssociation> = subnets
            .iter()
            .map(|s| RouteTableAssociation {
                id: Some(self.rng.id("rtbassoc")),
                subnet_id: Some(s.to_string()),
                gateway_id: None,
                main: false,
            })
            .collect();
        if main {
            associations.insert(
                0,
                RouteTableAssociation {
                    id: Some(self.rng.id("rtbassoc")),
                    subnet_id: None,
                    gateway_id: None,
                    main: true,
                },
            );
        }
        let local = Route {
            destination_cidr: self.snapshot.vpc.cidr_blocks.first().cloned(),
            destination_ipv6_cidr: None,
            destination_prefix_list_id: None,
            target: Some("local".into()),
            state: Some(RouteState::Active),
            origin: Some("CreateRouteTable".into()),
        };
        self.snapshot.route_tables.push(RouteTable {
            id: id.clone(),
            vpc_id: self.vpc_id(),
            routes: vec![local],
            associations,
            tags: tags(name),
        });
        id
    }

    fn table(&mut self, id: &str) -> &mut RouteTable {
        let tables = &mut self.snapshot.route_tables;
        tables.iter_mut().find(|t| t.id == id).unwrap()
    }

    fn security_group(&mut self, name: &str, description: &str, ingress: Vec<SgRule>) -> String {
        let id = self.rng.id("sg");
        self.snapshot.security_groups.push(SecurityGroup {
            id: id.clone(),
            name: name.into(),
            description: Some(description.into()),
            vpc_id: Some(self.vpc_id()),
            owner_id: Some(ACCOUNT.into()),
            ingress,
            egress: vec![all_traffic_to_anywhere()],
            tags: if name == "default" {
                Tags::new()
            } else {
                tags(name)
            },
        });
        id
    }

    /// Self-referencing "all traffic" ingress, as *Security in your VPC on Amazon MWAA* recommends,
    /// filled in after creation.
    fn allow_self(&mut self, group_id: &str) {
        let group = self
            .snapshot
            .security_groups
            .iter_mut()
            .find(|g| g.id == group_id)
            .unwrap();
        group.ingress.push(SgRule {
            protocol: Protocol::All,
            from_port: None,
            to_port: None,
            ipv4_ranges: vec![],
            ipv6_ranges: vec![],
            prefix_list_ids: vec![],
            group_ids: vec![group_id.to_string()],
        });
    }

    fn default_nacl(&mut self) {
        let subnets = self
            .snapshot
            .subnets
            .iter()
            .map(|s| s.id.clone())
            .collect::<Vec<_>>();
        let entry = |rule_number, rule_action: &str, egress| NaclEntry {
            rule_number,
            protocol: Protocol::All,
            rule_action: RuleAction::parse(rule_action),
            egress,
            cidr_block: Some("0.0.0.0/0".into()),
            ipv6_cidr_block: None,
            port_range: None,
            icmp: None,
        };
        let acl = NetworkAcl {
            id: self.rng.id("acl"),
            vpc_id: self.vpc_id(),
            is_default: true,
            entries: vec![
                entry(100, "allow", true),
                entry(32767, "deny", true),
                entry(100, "allow", false),
                entry(32767, "deny", false),
            ],
            associations: subnets
                .into_iter()
                .map(|subnet_id| NaclAssociation {
                    id: Some(self.rng.id("aclassoc")),
                    subnet_id,
                })
                .collect(),
            tags: Tags::new(),
        };
        self.snapshot.network_acls.push(acl);
    }

    fn base_endpoint(&mut self, service_name: String, endpoint_type: EndpointType) -> VpcEndpoint {
        let created = CAPTURED_EPOCH - 86_400 * (30 + (self.rng.next() % 200) as i64);
        VpcEndpoint {
            id: self.rng.id("vpce"),
            vpc_id: self.vpc_id(),
            service_name,
            endpoint_type,
            state: EndpointState::Available,
            subnet_ids: vec![],
            network_interface_ids: vec![],
            security_group_ids: vec![],
            private_dns_enabled: false,
            dns_options: None,
            dns_entries: vec![],
            policy_document: Some(FULL_ACCESS_POLICY.into()),
            route_table_ids: vec![],
            ip_address_type: Some("ipv4".into()),
            creation_timestamp: Some(rfc3339(created)),
            last_error: None,
            requester_managed: false,
            owner_id: Some(ACCOUNT.into()),
            tags: Tags::new(),
        }
    }

    fn gateway_s3(&mut self, route_tables: &[&str], policy: String) -> String {
        let mut endpoint =
            self.base_endpoint(format!("com.amazonaws.{REGION}.s3"), EndpointType::Gateway);
        endpoint.route_table_ids = route_tables.iter().map(|s| s.to_string()).collect();
        endpoint.policy_document = Some(policy);
        endpoint.ip_address_type = None;
        endpoint.tags = tags("s3-gateway");
        for table in self
            .snapshot
            .route_tables
            .iter_mut()
            .filter(|t| route_tables.contains(&t.id.as_str()))
        {
            table.routes.push(Route {
                destination_cidr: None,
                destination_ipv6_cidr: None,
                destination_prefix_list_id: Some(S3_PREFIX_LIST.into()),
                target: Some(endpoint.id.clone()),
                state: Some(RouteState::Active),
                origin: Some("CreateRoute".into()),
            });
        }
        let id = endpoint.id.clone();
        self.snapshot.endpoints.push(endpoint);
        id
    }

    /// An interface endpoint with one ENI per subnet and the DnsEntries AWS returns.
    fn interface(
        &mut self,
        service_name: String,
        spec: &EndpointSpec,
        subnets: &[String],
        groups: &[String],
    ) {
        let mut endpoint = self.base_endpoint(service_name, EndpointType::Interface);
        endpoint.state = spec.state.clone();
        endpoint.private_dns_enabled = spec.private_dns;
        endpoint.security_group_ids = vec![groups[spec.group].clone()];
        endpoint.subnet_ids = subnets.to_vec();
        endpoint.dns_options = Some(DnsOptions {
            dns_record_ip_type: Some("ipv4".into()),
            private_dns_only_for_inbound_resolver_endpoint: None,
        });
        endpoint.tags = tags(&format!("{}-endpoint", spec.suffix.replace('.', "-")));
        let (base, private_name) = match spec.suffix.strip_prefix("vpce-svc-") {
            Some(_) => (format!("{}.{REGION}.vpce.amazonaws.com", spec.suffix), None),
            None => {
                let label = dns_label(spec.suffix);
                let private = match spec.suffix {
                    "ecr.dkr" => format!("*.dkr.ecr.{REGION}.amazonaws.com"),
                    _ => format!("{label}.{REGION}.amazonaws.com"),
                };
                (
                    format!("{label}.{REGION}.vpce.amazonaws.com"),
                    Some(private),
                )
            }
        };
        let dns_id = format!("{}-{}", endpoint.id, self.rng.alnum(8));
        endpoint.dns_entries.push(DnsEntry {
            dns_name: format!("{dns_id}.{base}"),
            hosted_zone_id: Some(VPCE_ZONE.into()),
        });
        if spec.state == EndpointState::Available {
            for subnet_id in subnets {
                let subnet = self
                    .snapshot
                    .subnets
                    .iter()
                    .find(|s| &s.id == subnet_id)
                    .unwrap()
                    .clone();
                endpoint.dns_entries.push(DnsEntry {
                    dns_name: format!("{dns_id}-{}.{base}", subnet.availability_zone),
                    hosted_zone_id: Some(VPCE_ZONE.into()),
                });
                let eni_id = self.rng.id("eni");
                let octets = subnet
                    .cidr_block
                    .as_deref()
                    .unwrap()
                    .rsplit_once(".0/")
                    .unwrap()
                    .0
                    .to_string();
                self.snapshot.endpoint_enis.push(EndpointEni {
                    id: eni_id.clone(),
                    subnet_id: subnet.id.clone(),
                    availability_zone: subnet.availability_zone.clone(),
                    private_ip: Some(format!("{octets}.{}", 10 + self.rng.next() % 240)),
                    ipv6_addresses: vec![],
                    security_group_ids: endpoint.security_group_ids.clone(),
                    requester_managed: true,
                    status: Some("in-use".into()),
                    deny_all_igw_traffic: Some(false),
                });
                endpoint.network_interface_ids.push(eni_id);
            }
            if let (true, Some(name)) = (spec.private_dns, private_name) {
                let zone = format!("Z0{}", self.rng.hex(18).to_uppercase());
                endpoint.dns_entries.push(DnsEntry {
                    dns_name: name,
                    hosted_zone_id: Some(zone),
                });
            }
        }
        self.metrics(&endpoint, spec);
        self.snapshot.endpoints.push(endpoint);
    }

    /// Plausible one-minute series: a daily-ish wave, idle minutes without points, and an
    /// optional burst of dropped packets in the last 40 minutes.
    fn metrics(&mut self, endpoint: &VpcEndpoint, spec: &EndpointSpec) {
        let mut series: BTreeMap<MetricName, Vec<(i64, f64)>> =
            MetricName::ALL.into_iter().map(|m| (m, vec![])).collect();
        let start = self.snapshot.metrics.start;
        let drops = spec.drops;
        for minute in 0..180 {
            let t = start + minute * 60;
            let wave = 1.0 + 0.5 * ((minute as f64) / 28.0).sin();
            let active = (spec.load * wave * (0.8 + 0.4 * self.rng.unit())).round();
            if spec.load == 0.0 || active < 1.0 || self.rng.unit() < 0.04 {
                continue; // no traffic this minute: CloudWatch publishes nothing
            }
            let new = (active * (0.3 + 0.4 * self.rng.unit())).round().max(1.0);
            let bytes = (active * (180_000.0 + 90_000.0 * self.rng.unit())).round();
            let dropped = if drops && minute >= 140 {
                (40.0 + 160.0 * self.rng.unit() * (minute - 139) as f64 / 40.0).round()
            } else {
                0.0
            };
            let rst = if self.rng.unit() < 0.06 { 1.0 } else { 0.0 };
            for (metric, value) in [
                (MetricName::ActiveConnections, active),
                (MetricName::BytesProcessed, bytes),
                (MetricName::NewConnections, new),
                (MetricName::PacketsDropped, dropped),
                (MetricName::RstPacketsReceived, rst),
            ] {
                series.get_mut(&metric).unwrap().push((t, value));
            }
        }
        for (metric, points) in series {
            self.snapshot.metrics.series.push(MetricSeries {
                endpoint_id: endpoint.id.clone(),
                metric,
                statistic: metric.statistic().into(),
                points,
            });
        }
    }

    /// A private hosted zone associated with the VPC.
    fn zone(&mut self, name: &str) -> String {
        let id = format!("Z0{}", self.rng.hex(18).to_uppercase());
        self.snapshot.dns.hosted_zones.push(HostedZone {
            id: id.clone(),
            name: name.into(),
            owner_account: Some(ACCOUNT.into()),
            owner_service: None,
        });
        id
    }

    /// An alias A record to an endpoint's DNS name.
    fn alias(&mut self, zone_id: &str, name: &str, target: &str) {
        self.snapshot.dns.records.push(RecordSet {
            zone_id: zone_id.into(),
            name: name.into(),
            kind: RecordKind::A,
            alias_target: Some(target.into()),
            values: vec![],
        });
    }

    /// A Resolver FORWARD rule associated with the VPC.
    fn forward(&mut self, name: &str, domain: &str, targets: &[&str]) {
        let id = format!("rslvr-rr-{}", self.rng.hex(17));
        self.snapshot.dns.resolver_rules.push(ResolverRule {
            id,
            name: Some(name.into()),
            domain: domain.into(),
            rule_type: RuleType::Forward,
            targets: targets.iter().map(|t| t.to_string()).collect(),
            owner_id: Some(ACCOUNT.into()),
        });
    }

    /// A hub VPC peered with this one (the peering connection active, routes both ways
    /// between the VPC's `spoke_table` and the hub's main table), with two subnets, the
    /// default network ACL, and a security group for its endpoints that admits 443 from
    /// 10.0.0.0/8.
    fn hub(&mut self, cidr_prefix: &str, spoke_table: &str) -> Hub {
        let vpc_id = self.rng.id("vpc");
        let cidr = format!("{cidr_prefix}.0.0/16");
        let spoke_cidr = self.snapshot.vpc.cidr_blocks[0].clone();
        let pcx = format!("pcx-{}", self.rng.hex(17));
        let side = |vpc: &str, cidr: &str| PeeringSide {
            vpc_id: Some(vpc.into()),
            owner_id: Some(ACCOUNT.into()),
            region: Some(REGION.into()),
            cidr_blocks: vec![cidr.into()],
        };
        self.snapshot.transit.peerings.push(PeeringConnection {
            id: pcx.clone(),
            status: PeeringStatus::Active,
            requester: side(&self.vpc_id(), &spoke_cidr),
            accepter: side(&vpc_id, &cidr),
        });
        let route = |destination: &str| Route {
            destination_cidr: Some(destination.into()),
            destination_ipv6_cidr: None,
            destination_prefix_list_id: None,
            target: Some(pcx.clone()),
            state: Some(RouteState::Active),
            origin: Some("CreateRoute".into()),
        };
        let table = self
            .snapshot
            .route_tables
            .iter_mut()
            .find(|t| t.id == spoke_table)
            .unwrap();
        table.routes.push(route(&cidr));
        let subnets: Vec<Subnet> = ZONES[..2]
            .iter()
            .enumerate()
            .map(|(i, zone)| Subnet {
                id: self.rng.id("subnet"),
                vpc_id: vpc_id.clone(),
                availability_zone: zone.az.into(),
                availability_zone_id: Some(zone.az_id.into()),
                cidr_block: Some(format!("{cidr_prefix}.{}.0/24", i + 1)),
                ipv6_cidr_blocks: vec![],
                ipv6_native: false,
                owner_id: Some(ACCOUNT.into()),
                tags: tags(&format!("hub-endpoints-{}", &zone.az[zone.az.len() - 1..])),
            })
            .collect();
        let local = Route {
            target: Some("local".into()),
            origin: Some("CreateRouteTable".into()),
            ..route(&cidr)
        };
        let hub_table = RouteTable {
            id: self.rng.id("rtb"),
            vpc_id: vpc_id.clone(),
            routes: vec![local, route(&spoke_cidr)],
            associations: vec![RouteTableAssociation {
                id: Some(self.rng.id("rtbassoc")),
                subnet_id: None,
                gateway_id: None,
                main: true,
            }],
            tags: tags("hub-main"),
        };
        let mut acl = self.snapshot.network_acls[0].clone();
        acl.id = self.rng.id("acl");
        acl.vpc_id = vpc_id.clone();
        acl.associations = subnets
            .iter()
            .map(|s| NaclAssociation {
                id: Some(self.rng.id("aclassoc")),
                subnet_id: s.id.clone(),
            })
            .collect();
        let endpoints_group = self.hub_group(&vpc_id, "hub-endpoints", "10.0.0.0/8");
        let transit = &mut self.snapshot.transit;
        transit.hub_vpcs.push(Vpc {
            id: vpc_id.clone(),
            owner_id: Some(ACCOUNT.into()),
            cidr_blocks: vec![cidr],
            ipv6_cidr_blocks: vec![],
            enable_dns_support: Some(true),
            enable_dns_hostnames: Some(true),
            dhcp_options_id: None,
            is_default: false,
            tags: tags("network-hub"),
        });
        transit.hub_subnets.extend(subnets.iter().cloned());
        transit.hub_route_tables.push(hub_table);
        transit.hub_network_acls.push(acl);
        for source in [
            Source::HubVpcs,
            Source::HubSubnets,
            Source::HubRouteTables,
            Source::HubSecurityGroups,
            Source::HubNetworkAcls,
            Source::HubNetworkInterfaces,
            Source::TransitGatewayRoutes,
        ] {
            self.snapshot.sources.insert(source, FetchStatus::Ok);
        }
        Hub {
            vpc_id,
            subnets,
            group: endpoints_group,
        }
    }

    /// A security group of the hub VPC that admits 443 from `cidr`.
    fn hub_group(&mut self, vpc_id: &str, name: &str, cidr: &str) -> String {
        let id = self.rng.id("sg");
        self.snapshot
            .transit
            .hub_security_groups
            .push(SecurityGroup {
                id: id.clone(),
                name: name.into(),
                description: Some(format!("{name}: HTTPS to the shared endpoints")),
                vpc_id: Some(vpc_id.into()),
                owner_id: Some(ACCOUNT.into()),
                ingress: vec![tcp_from(443, cidr)],
                egress: vec![all_traffic_to_anywhere()],
                tags: tags(name),
            });
        id
    }

    /// An available interface endpoint of the hub VPC, with an interface in each hub subnet
    /// and the given group; returns its Regional DNS name.
    fn hub_endpoint(&mut self, hub: &Hub, suffix: &str, group: &str) -> String {
        let mut endpoint = self.base_endpoint(
            format!("com.amazonaws.{REGION}.{suffix}"),
            EndpointType::Interface,
        );
        endpoint.vpc_id = hub.vpc_id.clone();
        endpoint.private_dns_enabled = false;
        endpoint.security_group_ids = vec![group.into()];
        let name = format!(
            "{}-{}.{}.{REGION}.vpce.amazonaws.com",
            endpoint.id,
            self.rng.alnum(8),
            dns_label(suffix)
        );
        endpoint.dns_entries.push(DnsEntry {
            dns_name: name.clone(),
            hosted_zone_id: Some(VPCE_ZONE.into()),
        });
        for subnet in &hub.subnets {
            let eni_id = self.rng.id("eni");
            let prefix = subnet
                .cidr_block
                .as_deref()
                .unwrap()
                .trim_end_matches(".0/24");
            self.snapshot.transit.hub_enis.push(EndpointEni {
                id: eni_id.clone(),
                subnet_id: subnet.id.clone(),
                availability_zone: subnet.availability_zone.clone(),
                private_ip: Some(format!("{prefix}.{}", 10 + self.rng.next() % 240)),
                ipv6_addresses: vec![],
                security_group_ids: endpoint.security_group_ids.clone(),
                requester_managed: true,
                status: Some("in-use".into()),
                deny_all_igw_traffic: Some(false),
            });
            endpoint.subnet_ids.push(subnet.id.clone());
            endpoint.network_interface_ids.push(eni_id);
        }
        endpoint.tags = tags(&format!("hub-{}", suffix.replace('.', "-")));
        self.snapshot.dns.hub_endpoints.push(endpoint.clone());
        self.snapshot.endpoints_elsewhere.push(endpoint);
        name
    }

    fn environment(
        &mut self,
        name: &str,
        status: &str,
        subnets: &[String],
        group: &str,
        bucket: &str,
    ) {
        self.snapshot.environment = Some(MwaaEnvironment {
            name: name.into(),
            arn: Some(format!(
                "arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{name}"
            )),
            status: Some(EnvironmentStatus::parse(status)),
            last_update: Some(LastUpdate {
                status: Some("SUCCESS".into()),
                created_at: Some(rfc3339(CAPTURED_EPOCH - 9 * 86_400)),
                error_code: None,
                error_message: None,
                source: Some("ACCOUNT".into()),
            }),
            airflow_version: Some("2.10.3".into()),
            subnet_ids: subnets.to_vec(),
            security_group_ids: vec![group.into()],
            webserver_access_mode: Some("PRIVATE_ONLY".into()),
            source_bucket_arn: Some(format!("arn:aws:s3:::{bucket}")),
            kms_key: None,
            endpoint_management: Some("SERVICE".into()),
            webserver_vpc_endpoint_service: None,
            database_vpc_endpoint_service: None,
            execution_role_arn: Some(role_arn(name)),
            environment_class: Some("mw1.small".into()),
            max_workers: Some(10),
        });
        self.snapshot.workload = Workload {
            origin: WorkloadOrigin::Environment,
            subnet_ids: subnets.to_vec(),
            security_group_ids: vec![group.into()],
        };
        self.snapshot.execution_role = Some(execution_role(name, bucket, SQS_ACTIONS));
        self.snapshot.source_bucket = Some(SourceBucket {
            name: bucket.into(),
            region: Some(REGION.into()),
            versioning: Some("Enabled".into()),
            public_access_block: Some(PublicAccessBlock {
                block_public_acls: true,
                ignore_public_acls: true,
                block_public_policy: true,
                restrict_public_buckets: true,
            }),
        });
        self.environment_metrics(status == "AVAILABLE");
    }

    /// The environment's own series: a scheduler that beats every minute, a queue that
    /// drains, and components well within mw1.small; all empty (unknown) when the
    /// environment is not running.
    fn environment_metrics(&mut self, running: bool) {
        let start = self.snapshot.metrics.start;
        for (metric, component) in EnvironmentMetric::wanted() {
            let mut points = Vec::new();
            let idle = component == Some(Component::AdditionalWorker);
            for minute in 0..180 {
                if !running || idle {
                    break;
                }
                let t = start + minute * 60;
                let wave = 1.0 + 0.5 * ((minute as f64) / 28.0).sin();
                let noise = self.rng.unit();
                let value = match (metric, component) {
                    (EnvironmentMetric::SchedulerHeartbeat, _) => 12.0,
                    (EnvironmentMetric::QueuedTasks, _) => {
                        if minute % 30 < 3 {
                            (6.0 * wave * noise).round()
                        } else {
                            0.0
                        }
                    }
                    (EnvironmentMetric::RunningTasks, _) => (4.0 * wave + 2.0 * noise).round(),
                    (EnvironmentMetric::CpuUtilization, Some(Component::WebServer)) => {
                        (8.0 + 6.0 * noise).round()
                    }
                    (EnvironmentMetric::CpuUtilization, _) => (22.0 * wave + 10.0 * noise).round(),
                    (EnvironmentMetric::MemoryUtilization, _) => {
                        (38.0 + 8.0 * wave + 4.0 * noise).round()
                    }
                };
                points.push((t, value));
            }
            self.snapshot.metrics.environment.push(EnvironmentSeries {
                metric,
                component,
                statistic: metric.statistic().into(),
                points,
            });
        }
    }
}

/// A hub VPC as the spoke demo builds it.
struct Hub {
    vpc_id: String,
    subnets: Vec<Subnet>,
    /// The group of its endpoints.
    group: String,
}

fn all_traffic_to_anywhere() -> SgRule {
    SgRule {
        protocol: Protocol::All,
        from_port: None,
        to_port: None,
        ipv4_ranges: vec!["0.0.0.0/0".into()],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![],
    }
}

fn tcp_from(port: i32, cidr: &str) -> SgRule {
    SgRule {
        protocol: Protocol::Tcp,
        from_port: Some(port),
        to_port: Some(port),
        ipv4_ranges: vec![cidr.into()],
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: vec![],
    }
}

fn prefix_lists() -> Vec<PrefixList> {
    let list = |id: &str, service: &str, cidrs: &[&str]| PrefixList {
        id: id.into(),
        name: format!("com.amazonaws.{REGION}.{service}"),
        cidrs: cidrs.iter().map(|c| c.to_string()).collect(),
    };
    vec![
        list(
            S3_PREFIX_LIST,
            "s3",
            &[
                "16.15.192.0/18",
                "16.182.0.0/16",
                "18.34.0.0/19",
                "18.34.232.0/21",
                "3.5.0.0/19",
                "44.192.134.240/28",
                "44.192.140.64/28",
                "52.216.0.0/15",
                "54.231.0.0/16",
            ],
        ),
        list(
            "pl-02cd2c6b",
            "dynamodb",
            &[
                "3.218.182.0/24",
                "3.218.180.0/22",
                "52.94.0.0/22",
                "52.119.224.0/20",
            ],
        ),
    ]
}

/// The SQS actions of the execution role's documented policy.
const SQS_ACTIONS: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
];

fn role_arn(environment: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/service-role/{environment}-execution-role")
}

/// The execution role as the MWAA console creates it: one managed policy, the documented one
/// for an AWS owned key, with `sqs` as its SQS actions.
fn execution_role(environment: &str, bucket: &str, sqs: &[&str]) -> ExecutionRole {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "airflow:PublishMetrics", "Resource": format!("arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{environment}")},
            {"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")]},
            {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"], "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")]},
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"], "Resource": [format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:airflow-{environment}-*")]},
            {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": ["*"]},
            {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"},
            {"Effect": "Allow", "Action": sqs, "Resource": format!("arn:aws:sqs:{REGION}:*:airflow-celery-*")},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"], "NotResource": format!("arn:aws:kms:*:{ACCOUNT}:key/*"), "Condition": {"StringLike": {"kms:ViaService": [format!("sqs.{REGION}.amazonaws.com")]}}}
        ]
    });
    let name = format!("MWAA-Execution-Policy-{environment}");
    ExecutionRole {
        arn: role_arn(environment),
        name: format!("{environment}-execution-role"),
        inline_policies: vec![],
        attached_policies: vec![PolicyDocument {
            arn: Some(format!("arn:aws:iam::{ACCOUNT}:policy/service-role/{name}")),
            name,
            version: Some("v1".into()),
            document: serde_json::to_string_pretty(&policy).unwrap(),
        }],
        boundary_arn: None,
        boundary: None,
    }
}

fn s3_policy(buckets: &[&str]) -> String {
    let resources: Vec<String> = buckets
        .iter()
        .flat_map(|b| {
            [
                format!("\"arn:aws:s3:::{b}\""),
                format!("\"arn:aws:s3:::{b}/*\""),
            ]
        })
        .collect();
    format!(
        "{{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {{\n    \"Sid\" : \"Access-to-specific-bucket-only\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : \"*\",\n    \"Action\" : [ \"s3:GetObject\", \"s3:GetObjectVersion\", \"s3:ListBucket\", \"s3:GetBucketLocation\", \"s3:GetAccountPublicAccessBlock\", \"s3:GetBucketPublicAccessBlock\" ],\n    \"Resource\" : [ {} ]\n  }} ]\n}}",
        resources.join(", ")
    )
}

/// The private DNS name AWS publishes for one of the MWAA services.
fn private_dns_name(suffix: &str) -> String {
    let name = format!("{}.{REGION}.amazonaws.com", dns_label(suffix));
    if suffix == "ecr.dkr" {
        format!("*.{name}")
    } else {
        name
    }
}

/// The service catalogue's entries for the ten MWAA services, in every demo zone.
fn catalogue() -> Vec<ServiceDetail> {
    MWAA_SUFFIXES
        .iter()
        .map(|suffix| ServiceDetail {
            service_name: format!("com.amazonaws.{REGION}.{suffix}"),
            service_id: Some(format!("vpce-svc-0{:016x}", suffix.len() * 7919)),
            service_types: if *suffix == "s3" {
                vec!["Interface".into(), "Gateway".into()]
            } else {
                vec!["Interface".into()]
            },
            owner: Some("amazon".into()),
            private_dns_names: vec![private_dns_name(suffix)],
            availability_zones: ZONES.iter().map(|z| z.az.to_string()).collect(),
            availability_zone_ids: ZONES.iter().map(|z| z.az_id.to_string()).collect(),
            supported_ip_address_types: vec!["ipv4".into()],
            vpc_endpoint_policy_supported: Some(true),
            manages_vpc_endpoints: Some(false),
            acceptance_required: Some(false),
        })
        .collect()
}

fn rfc3339(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The nine MWAA interface services: the checklist's list without s3, a gateway endpoint.
fn interface_services() -> impl Iterator<Item = &'static str> {
    MWAA_SUFFIXES.into_iter().filter(|s| *s != "s3")
}

fn typical_load(suffix: &str) -> f64 {
    match suffix {
        "ecr.dkr" => 14.0,
        "logs" => 22.0,
        "sqs" => 9.0,
        "monitoring" => 6.0,
        "airflow.env" | "airflow.ops" => 4.0,
        "kms" | "ecr.api" => 2.0,
        _ => 1.0,
    }
}

/// A correctly built MWAA private-routing VPC: all ten endpoints, DNS on, S3 routed everywhere.
pub fn healthy() -> Snapshot {
    let mut b = Builder::new(0x5eed_0001, "airflow-staging", "10.30", true);
    let a = b.subnet(&ZONES[0], "10.30.1.0/24", "mwaa-private-a");
    let c = b.subnet(&ZONES[1], "10.30.2.0/24", "mwaa-private-b");
    let main = b.route_table("airflow-staging-main", true, &[]);
    let private = b.route_table("mwaa-private", false, &[&a, &c]);
    let default = b.security_group("default", "default VPC security group", vec![]);
    b.allow_self(&default);
    let env = b.security_group(
        "airflow-staging-env",
        "Amazon MWAA environment and endpoints",
        vec![],
    );
    b.allow_self(&env);
    b.default_nacl();
    b.gateway_s3(
        &[&main, &private],
        s3_policy(&[
            "prod-us-east-1-starport-layer-bucket",
            "airflow-staging-dags",
        ]),
    );
    let subnets = [a, c];
    let groups = [default, env.clone()];
    for suffix in interface_services() {
        b.interface(
            format!("com.amazonaws.{REGION}.{suffix}"),
            &spec(suffix, typical_load(suffix)),
            &subnets,
            &groups,
        );
    }
    b.environment(
        "airflow-staging",
        "AVAILABLE",
        &subnets,
        &env,
        "airflow-staging-dags",
    );
    b.snapshot
}

/// An MWAA VPC with the problems on-call engineers meet most.
pub fn troubled() -> Snapshot {
    let mut b = Builder::new(0x5eed_0002, "airflow-prod", "10.42", true);
    let a = b.subnet(&ZONES[0], "10.42.1.0/24", "mwaa-private-a");
    let c = b.subnet(&ZONES[1], "10.42.2.0/24", "mwaa-private-b");
    b.subnet(&ZONES[2], "10.42.3.0/24", "shared-services-c");
    // Subnet a uses the main table implicitly; subnet b has its own table without the S3 route.
    let main = b.route_table("airflow-prod-main", true, &[]);
    b.route_table("mwaa-private-b", false, &[&c]);
    let default = b.security_group("default", "default VPC security group", vec![]);
    b.allow_self(&default);
    let env = b.security_group("airflow-prod-env", "Amazon MWAA environment", vec![]);
    b.allow_self(&env);
    let legacy = b.security_group(
        "legacy-endpoints",
        "endpoints created by the 2023 migration",
        vec![tcp_from(80, "10.42.0.0/16")],
    );
    b.default_nacl();
    // The S3 policy pasted for the DAG bucket only: ECR image layers cannot be pulled.
    b.gateway_s3(&[&main], s3_policy(&["airflow-prod-dags"]));
    let subnets = [a, c];
    let groups = [default, env.clone(), legacy];
    for suffix in interface_services().filter(|s| *s != "airflow.ops") {
        let mut endpoint = spec(suffix, typical_load(suffix));
        match suffix {
            "logs" => endpoint.private_dns = false,
            "ecr.dkr" => endpoint.drops = true,
            "sqs" | "kms" => endpoint.group = 2,
            _ => {}
        }
        b.interface(
            format!("com.amazonaws.{REGION}.{suffix}"),
            &endpoint,
            &subnets,
            &groups,
        );
    }
    let partner = EndpointSpec {
        suffix: "vpce-svc-0e5d4c3b2a1f09876",
        state: EndpointState::PendingAcceptance,
        private_dns: false,
        group: 1,
        load: 0.0,
        drops: false,
    };
    b.interface(
        format!("com.amazonaws.vpce.{REGION}.{}", partner.suffix),
        &partner,
        &subnets,
        &groups,
    );
    // The network team forwards CloudWatch's name on-premises: the rule's domain is the exact
    // private DNS name, so it wins over the endpoint's private zone.
    b.forward(
        "onprem-monitoring-proxy",
        &format!("monitoring.{REGION}.amazonaws.com"),
        &["10.9.0.2:53", "10.9.1.2:53"],
    );
    b.environment(
        "airflow-prod",
        "UNAVAILABLE",
        &subnets,
        &env,
        "airflow-prod-dags",
    );
    // The route to the on-premises resolvers the rule forwards to, which the Changes tab says
    // the network team created the evening before.
    let on_premises = Route {
        destination_cidr: Some("10.9.0.0/16".into()),
        destination_ipv6_cidr: None,
        destination_prefix_list_id: None,
        target: Some(TRANSIT_GATEWAY.into()),
        state: Some(RouteState::Active),
        origin: Some("CreateRoute".into()),
    };
    b.table(&main).routes.push(on_premises);
    let changes = troubled_changes(&b.snapshot, &legacy_id(&b.snapshot), &main);
    b.snapshot.changes = Some(changes);
    b.snapshot
}

fn legacy_id(snapshot: &Snapshot) -> String {
    snapshot
        .security_groups
        .iter()
        .find(|g| g.name == "legacy-endpoints")
        .map(|g| g.id.clone())
        .unwrap()
}

/// What CloudTrail says happened in the troubled VPC the night before its capture: the story
/// the Changes tab tells (`--changes 24h` as if it had been given).
fn troubled_changes(snapshot: &Snapshot, legacy: &str, main_table: &str) -> Changes {
    let endpoint = |suffix: &str| {
        snapshot
            .endpoints
            .iter()
            .find(|e| e.service_name.ends_with(&format!(".{suffix}")))
            .map(|e| e.id.clone())
            .unwrap()
    };
    let rule = snapshot.dns.resolver_rules[0].id.clone();
    let event = |n: u32,
                 time: &str,
                 name: &str,
                 source: &str,
                 actor: &str,
                 resource: String,
                 summary: String| {
        ChangeEvent {
            event_id: format!("5f1c2a3b-0000-4000-8000-00000000000{n}"),
            time: time.into(),
            event_name: name.into(),
            event_source: source.into(),
            actor: Some(actor.into()),
            resources: vec![resource],
            summary,
        }
    };
    Changes {
        since: "2026-11-24T06:00:00Z".into(),
        until: CAPTURED_AT.into(),
        events: vec![
            event(
                1,
                "2026-11-25T03:12:00Z",
                "RevokeSecurityGroupIngress",
                "ec2.amazonaws.com",
                "role/deployer",
                legacy.to_string(),
                "revoked tcp/443 from 10.42.0.0/16".into(),
            ),
            event(
                2,
                "2026-11-25T02:40:00Z",
                "AssociateResolverRule",
                "route53resolver.amazonaws.com",
                "role/network-admin",
                rule.clone(),
                format!("associated {rule} with {}", snapshot.vpc.id),
            ),
            event(
                3,
                "2026-11-24T22:05:00Z",
                "ModifyVpcEndpoint",
                "ec2.amazonaws.com",
                "user/alice",
                endpoint("logs"),
                "private DNS disabled".into(),
            ),
            event(
                4,
                "2026-11-24T18:30:00Z",
                "CreateRoute",
                "ec2.amazonaws.com",
                "role/network-admin",
                main_table.to_string(),
                format!("route 10.9.0.0/16 → {TRANSIT_GATEWAY}"),
            ),
        ],
        pages: 1,
        more: false,
        error: None,
    }
}

/// A spoke VPC whose MWAA environment reaches interface endpoints centralised in a peered hub
/// VPC through private hosted zones; one zone lacks its record, one name is forwarded, and
/// the hub's CloudWatch Logs endpoint admits only the hub's own range.
pub fn spoke() -> Snapshot {
    let mut b = Builder::new(0x5eed_0003, "analytics-spoke", "10.60", true);
    let a = b.subnet(&ZONES[0], "10.60.1.0/24", "spoke-private-a");
    let c = b.subnet(&ZONES[1], "10.60.2.0/24", "spoke-private-b");
    let main = b.route_table("analytics-spoke-main", true, &[]);
    let private = b.route_table("spoke-private", false, &[&a, &c]);
    let default = b.security_group("default", "default VPC security group", vec![]);
    b.allow_self(&default);
    let env = b.security_group("analytics-env", "Amazon MWAA environment", vec![]);
    b.allow_self(&env);
    b.default_nacl();
    b.gateway_s3(
        &[&main, &private],
        s3_policy(&[
            "prod-us-east-1-starport-layer-bucket",
            "analytics-spoke-dags",
        ]),
    );
    // The endpoints live in a peered hub VPC; the one for CloudWatch Logs has its own group,
    // which admits 443 only from the hub's own range: the spoke's requests time out.
    let hub = b.hub("10.50", &private);
    let logs_group = b.hub_group(&hub.vpc_id, "hub-logs-endpoint", "10.50.0.0/16");
    // One private zone per service name, each an alias to the hub's endpoint.
    for suffix in interface_services().filter(|s| !["kms", "airflow.ops"].contains(s)) {
        let group = if suffix == "logs" {
            logs_group.clone()
        } else {
            hub.group.clone()
        };
        let target = b.hub_endpoint(&hub, suffix, &group);
        let name = private_dns_name(suffix);
        let zone = b.zone(name.trim_start_matches("*."));
        b.alias(&zone, &name, &target);
    }
    // The kms zone was created but its record never added: NXDOMAIN.
    b.zone(&format!("kms.{REGION}.amazonaws.com"));
    // The Airflow operations name is answered on-premises.
    b.forward(
        "onprem-airflow-ops",
        &format!("ops.airflow.{REGION}.amazonaws.com"),
        &["10.9.0.2:53"],
    );
    b.environment(
        "analytics-spoke",
        "AVAILABLE",
        &[a, c],
        &env,
        "analytics-spoke-dags",
    );
    b.snapshot
}

/// A new environment that ended in CREATE_FAILED: customer-managed endpoints, one of them
/// missing and one outside the workload subnets, a required endpoint created in another VPC,
/// and no endpoint for CloudWatch Logs.
pub fn setup() -> Snapshot {
    let mut b = Builder::new(0x5eed_0004, "airflow-new", "10.70", true);
    let a = b.subnet(&ZONES[0], "10.70.1.0/24", "mwaa-new-private-a");
    let c = b.subnet(&ZONES[1], "10.70.2.0/24", "mwaa-new-private-b");
    let main = b.route_table("airflow-new-main", true, &[]);
    let private = b.route_table("mwaa-new-private", false, &[&a, &c]);
    let default = b.security_group("default", "default VPC security group", vec![]);
    b.allow_self(&default);
    let env = b.security_group("airflow-new-env", "Amazon MWAA environment", vec![]);
    b.allow_self(&env);
    b.default_nacl();
    b.gateway_s3(
        &[&main, &private],
        s3_policy(&["prod-us-east-1-starport-layer-bucket", "airflow-new-dags"]),
    );
    let subnets = [a.clone(), c];
    let groups = [default, env.clone()];
    for suffix in interface_services().filter(|s| !["logs", "sqs"].contains(s)) {
        b.interface(
            format!("com.amazonaws.{REGION}.{suffix}"),
            &spec(suffix, 0.0),
            &subnets,
            &groups,
        );
    }
    // SQS was created in the old VPC by mistake.
    let other_vpc = b.rng.id("vpc");
    b.interface(
        format!("com.amazonaws.{REGION}.sqs"),
        &spec("sqs", 0.0),
        &subnets,
        &groups,
    );
    let mut sqs = b.snapshot.endpoints.pop().unwrap();
    sqs.vpc_id = other_vpc;
    sqs.subnet_ids = vec![b.rng.id("subnet")];
    b.snapshot.endpoints_elsewhere.push(sqs);
    // The environment's own endpoint services: the database endpoint sits in one subnet
    // only; the web server endpoint was never created.
    let database = format!("com.amazonaws.vpce.{REGION}.vpce-svc-0a1b2c3d4e5f6a7b8");
    let webserver = format!("com.amazonaws.vpce.{REGION}.vpce-svc-0f9e8d7c6b5a4f3e2");
    b.interface(
        database.clone(),
        &EndpointSpec {
            suffix: "vpce-svc-0a1b2c3d4e5f6a7b8",
            private_dns: false,
            ..spec("database", 0.0)
        },
        &subnets[..1],
        &groups,
    );
    b.environment(
        "airflow-new",
        "CREATE_FAILED",
        &subnets,
        &env,
        "airflow-new-dags",
    );
    // The role was written by hand from an older template: it cannot change the visibility
    // of Celery messages.
    let without_visibility: Vec<&str> = SQS_ACTIONS[1..].to_vec();
    b.snapshot.execution_role = Some(execution_role(
        "airflow-new",
        "airflow-new-dags",
        &without_visibility,
    ));
    let environment = b.snapshot.environment.as_mut().unwrap();
    environment.endpoint_management = Some("CUSTOMER".into());
    environment.database_vpc_endpoint_service = Some(database);
    environment.webserver_vpc_endpoint_service = Some(webserver);
    environment.last_update = Some(LastUpdate {
        status: Some("FAILED".into()),
        created_at: Some(rfc3339(CAPTURED_EPOCH - 3 * 3600)),
        error_code: Some("INCORRECT_CONFIGURATION".into()),
        error_message: Some("You may need to check the execution role permissions policy for your environment, and that each of the VPC networking components required by the environment are configured correctly.".into()),
        source: Some("ACCOUNT".into()),
    });
    b.snapshot
}

#[test]
fn bundled_demo_assets_are_current() {
    for (name, snapshot) in [
        ("healthy", healthy()),
        ("troubled", troubled()),
        ("spoke", spoke()),
        ("setup", setup()),
    ] {
        let path = format!("{}/assets/demo-{name}.json", env!("CARGO_MANIFEST_DIR"));
        let expected = snapshot.to_json() + "\n";
        if std::env::var_os("LINKSCOPE_UPDATE_DEMO").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap();
        assert!(
            actual == expected,
            "{path} is stale: run LINKSCOPE_UPDATE_DEMO=1 cargo test --test integration demo_data"
        );
        assert_eq!(Snapshot::from_json(&actual).unwrap(), snapshot);
    }
}

/// Every change a demo's Changes tab tells names resources the snapshot holds, in the state
/// the change left them: a created route is in its table, a revoked rule is gone, an
/// associated rule is associated, an endpoint whose private DNS was disabled has it off.
#[test]
fn demo_changes_agree_with_the_snapshot() {
    for (name, snapshot) in [
        ("healthy", healthy()),
        ("troubled", troubled()),
        ("spoke", spoke()),
        ("setup", setup()),
    ] {
        let Some(changes) = &snapshot.changes else {
            continue;
        };
        let ids = ids_in_scope(&snapshot);
        for event in &changes.events {
            let what = format!("{name}: {} {}", event.event_name, event.summary);
            for id in &event.resources {
                assert!(ids.contains(id), "{what}: {id} is not in the snapshot");
            }
            let resource = event.resources[0].as_str();
            let holds = match event.event_name.as_str() {
                "CreateRoute" => snapshot
                    .route_tables
                    .iter()
                    .filter(|t| t.id == resource)
                    .flat_map(|t| &t.routes)
                    .any(|r| {
                        r.destination_cidr
                            .as_deref()
                            .is_some_and(|d| event.summary.contains(&format!("route {d} → ")))
                            && r.target
                                .as_deref()
                                .is_some_and(|t| event.summary.ends_with(&format!("→ {t}")))
                    }),
                "RevokeSecurityGroupIngress" => snapshot
                    .security_groups
                    .iter()
                    .filter(|g| g.id == resource)
                    .all(|g| {
                        !g.ingress.iter().any(|rule| {
                            rule.covers_tcp(443)
                                && rule
                                    .ipv4_ranges
                                    .iter()
                                    .any(|range| event.summary.ends_with(&format!("from {range}")))
                        })
                    }),
                "AssociateResolverRule" => {
                    snapshot.dns.resolver_rules.iter().any(|r| r.id == resource)
                }
                "ModifyVpcEndpoint" if event.summary == "private DNS disabled" => snapshot
                    .endpoints
                    .iter()
                    .any(|e| e.id == resource && !e.private_dns_enabled),
                _ => panic!("{what}: teach this test what the snapshot must hold"),
            };
            assert!(holds, "{what}: the snapshot does not show it");
        }
    }
}

#[test]
fn demo_timestamps_are_rfc3339() {
    assert_eq!(rfc3339(CAPTURED_EPOCH), CAPTURED_AT);
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
}
