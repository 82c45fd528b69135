//! The snapshot builder every family's tests share: the bundled demos, changed one fact at a
//! time, and the assertions the tests make on findings.

use std::ops::{Deref, DerefMut};

use super::{Finding, Status, audit};
use crate::model::*;

/// A snapshot under test: a bundled demo, then the changes a test makes.
#[derive(Clone)]
pub struct Fixture(pub Snapshot);

impl Deref for Fixture {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        &self.0
    }
}

impl DerefMut for Fixture {
    fn deref_mut(&mut self) -> &mut Snapshot {
        &mut self.0
    }
}

impl Fixture {
    /// The correctly built MWAA VPC: every rule passes.
    pub fn healthy() -> Self {
        Self::demo(include_str!("../../assets/demo-healthy.json"))
    }

    /// The VPC with the problems on-call engineers meet most.
    pub fn troubled() -> Self {
        Self::demo(include_str!("../../assets/demo-troubled.json"))
    }

    /// A spoke VPC using endpoints centralised in a hub VPC through private hosted zones.
    pub fn spoke() -> Self {
        Self::demo(include_str!("../../assets/demo-spoke.json"))
    }

    /// The setup demo: an environment that ended in CREATE_FAILED.
    pub fn setup() -> Self {
        Self::demo(include_str!("../../assets/demo-setup.json"))
    }

    fn demo(json: &str) -> Self {
        Self(Snapshot::from_json(json).expect("bundled demos are valid"))
    }

    /// The endpoint of an AWS service by suffix (`sqs`, `s3`).
    pub fn endpoint(&mut self, suffix: &str) -> &mut VpcEndpoint {
        let name = format!("com.amazonaws.{}.{suffix}", self.region);
        self.endpoints
            .iter_mut()
            .find(|e| e.service_name == name)
            .unwrap()
    }

    /// The id of the endpoint of an AWS service.
    pub fn id_of(&self, suffix: &str) -> String {
        let name = format!("com.amazonaws.{}.{suffix}", self.region);
        self.endpoints
            .iter()
            .find(|e| e.service_name == name)
            .unwrap()
            .id
            .clone()
    }

    /// Removes the endpoints of a service.
    pub fn without(&mut self, suffix: &str) -> &mut Self {
        let name = format!("com.amazonaws.{}.{suffix}", self.region);
        self.endpoints.retain(|e| e.service_name != name);
        self
    }

    /// Records `source` as denied.
    pub fn fail(&mut self, source: Source) -> &mut Self {
        self.sources.insert(
            source,
            FetchStatus::Error(FetchError {
                code: Some("AccessDenied".into()),
                message: "denied".into(),
            }),
        );
        self
    }

    /// A security group by id.
    pub fn group(&mut self, id: &str) -> &mut SecurityGroup {
        self.security_groups
            .iter_mut()
            .find(|g| g.id == id)
            .unwrap()
    }

    /// The workload's first security group.
    pub fn env_sg(&self) -> String {
        self.workload.security_group_ids[0].clone()
    }

    /// The `i`-th workload subnet.
    pub fn workload_subnet(&self, i: usize) -> String {
        self.workload.subnet_ids[i].clone()
    }

    /// The VPC's main route table.
    pub fn main_table(&mut self) -> &mut RouteTable {
        self.route_tables.iter_mut().find(|t| t.is_main()).unwrap()
    }

    /// A route table by id.
    pub fn table(&mut self, id: &str) -> &mut RouteTable {
        self.route_tables.iter_mut().find(|t| t.id == id).unwrap()
    }

    /// The id of the first route table that is not the main one.
    pub fn private_table_id(&self) -> String {
        self.route_tables
            .iter()
            .find(|t| !t.is_main())
            .unwrap()
            .id
            .clone()
    }

    /// The spoke demo's hub VPC.
    pub fn hub_vpc(&self) -> String {
        self.transit.hub_vpcs[0].id.clone()
    }

    /// The spoke demo's hub route table.
    pub fn hub_table(&mut self) -> &mut RouteTable {
        &mut self.0.transit.hub_route_tables[0]
    }

    /// The spoke demo's hub endpoint of a service, by suffix.
    pub fn hub_endpoint(&mut self, suffix: &str) -> &mut VpcEndpoint {
        let name = format!("com.amazonaws.{}.{suffix}", self.region);
        self.0
            .dns
            .hub_endpoints
            .iter_mut()
            .find(|e| e.service_name == name)
            .unwrap()
    }

    /// A hub security group by id.
    pub fn hub_group(&mut self, id: &str) -> &mut SecurityGroup {
        self.0
            .transit
            .hub_security_groups
            .iter_mut()
            .find(|g| g.id == id)
            .unwrap()
    }

    /// The spoke demo joined to its hub by a transit gateway instead of the peering
    /// connection: routes both ways to `tgw-0shared`, both VPC attachments associated with
    /// one transit gateway route table that routes each VPC's range to its attachment.
    pub fn via_transit_gateway(&mut self) {
        let (spoke, hub) = (self.vpc.id.clone(), self.hub_vpc());
        let pcx = self.transit.peerings[0].id.clone();
        let retarget = |t: &mut RouteTable| {
            for r in t
                .routes
                .iter_mut()
                .filter(|r| r.target.as_deref() == Some(pcx.as_str()))
            {
                r.target = Some("tgw-0shared".into());
            }
        };
        self.0.route_tables.iter_mut().for_each(retarget);
        self.0
            .transit
            .hub_route_tables
            .iter_mut()
            .for_each(retarget);
        self.0.transit.peerings.clear();
        let attachment = |id: &str, vpc: &str, subnets: Vec<String>| TgwAttachment {
            id: id.into(),
            transit_gateway_id: "tgw-0shared".into(),
            resource_type: "vpc".into(),
            resource_id: Some(vpc.into()),
            resource_owner_id: self.caller_account.clone(),
            state: "available".into(),
            route_table_id: Some("tgw-rtb-0shared".into()),
            subnet_ids: subnets,
            security_group_referencing: Some(true),
        };
        let spoke_subnets = self.workload.subnet_ids.clone();
        let hub_subnets = self
            .transit
            .hub_subnets
            .iter()
            .map(|s| s.id.clone())
            .collect();
        let attachments = vec![
            attachment("tgw-attach-0spoke", &spoke, spoke_subnets),
            attachment("tgw-attach-0hub", &hub, hub_subnets),
        ];
        let tgw_route = |cidr: &str, attachment: &str, vpc: &str| TgwRoute {
            destination_cidr: Some(cidr.into()),
            prefix_list_id: None,
            state: RouteState::Active,
            route_type: Some("propagated".into()),
            attachments: vec![TgwRouteAttachment {
                attachment_id: Some(attachment.into()),
                resource_id: Some(vpc.into()),
                resource_type: Some("vpc".into()),
            }],
        };
        let routes = vec![
            tgw_route(&self.vpc.cidr_blocks[0], "tgw-attach-0spoke", &spoke),
            tgw_route(
                &self.transit.hub_vpcs[0].cidr_blocks[0],
                "tgw-attach-0hub",
                &hub,
            ),
        ];
        let transit = &mut self.0.transit;
        transit.transit_gateways = vec![TransitGateway {
            id: "tgw-0shared".into(),
            owner_id: self.0.caller_account.clone(),
            state: Some("available".into()),
            security_group_referencing: Some(false),
        }];
        transit.attachments = attachments;
        transit.tgw_route_tables = vec![TgwRouteTable {
            id: "tgw-rtb-0shared".into(),
            transit_gateway_id: "tgw-0shared".into(),
            routes,
            more: false,
            error: None,
        }];
    }

    /// The id of the main route table.
    pub fn main_table_id(&self) -> String {
        self.route_tables
            .iter()
            .find(|t| t.is_main())
            .unwrap()
            .id
            .clone()
    }
}

/// A Resolver rule associated with the VPC.
pub fn resolver_rule(id: &str, domain: &str, rule_type: RuleType) -> ResolverRule {
    ResolverRule {
        id: id.into(),
        name: None,
        domain: domain.into(),
        rule_type,
        targets: vec!["10.9.0.2:53".into()],
        owner_id: None,
    }
}

/// A private hosted zone associated with the VPC.
pub fn hosted_zone(id: &str, name: &str) -> HostedZone {
    HostedZone {
        id: id.into(),
        name: name.into(),
        owner_account: None,
        owner_service: None,
    }
}

/// An alias A record.
pub fn alias(zone_id: &str, name: &str, target: &str) -> RecordSet {
    RecordSet {
        zone_id: zone_id.into(),
        name: name.into(),
        kind: RecordKind::A,
        alias_target: Some(target.into()),
        values: vec![],
    }
}

/// An active CIDR route.
pub fn route(destination: &str, target: &str) -> Route {
    Route {
        destination_cidr: Some(destination.into()),
        destination_ipv6_cidr: None,
        destination_prefix_list_id: None,
        target: Some(target.into()),
        state: Some(RouteState::Active),
        origin: Some("CreateRoute".into()),
    }
}

/// A TCP security group rule over one port, from CIDRs and groups.
pub fn tcp(port: i32, cidrs: &[&str], groups: &[&str]) -> SgRule {
    SgRule {
        protocol: Protocol::Tcp,
        from_port: Some(port),
        to_port: Some(port),
        ipv4_ranges: cidrs.iter().map(|c| c.to_string()).collect(),
        ipv6_ranges: vec![],
        prefix_list_ids: vec![],
        group_ids: groups.iter().map(|g| g.to_string()).collect(),
    }
}

/// A network ACL entry for TCP over a port range.
pub fn nacl_entry(
    rule_number: i32,
    action: RuleAction,
    ports: (i32, i32),
    cidr: &str,
    egress: bool,
) -> NaclEntry {
    NaclEntry {
        rule_number,
        protocol: Protocol::Tcp,
        rule_action: action,
        egress,
        cidr_block: Some(cidr.into()),
        ipv6_cidr_block: None,
        port_range: Some(ports),
        icmp: None,
    }
}

/// The findings of one check id.
pub fn findings(snap: &Snapshot, id: &str) -> Vec<Finding> {
    audit(snap)
        .findings
        .into_iter()
        .filter(|f| f.id == id)
        .collect()
}

/// The one finding of a check id.
#[track_caller]
pub fn only(snap: &Snapshot, id: &str) -> Finding {
    let mut found = findings(snap, id);
    assert_eq!(found.len(), 1, "{id}: {found:#?}");
    found.remove(0)
}

/// Every finding of the rule passes (and there is at least one).
#[track_caller]
pub fn assert_pass(snap: &Snapshot, id: &str) {
    let found = findings(snap, id);
    assert!(!found.is_empty(), "no finding for {id}");
    assert!(
        found.iter().all(|f| f.status == Status::Pass),
        "{id}: {found:#?}"
    );
}

/// The rule reports `status` on a finding resting on `resource`; returns that finding.
#[track_caller]
pub fn assert_flags(snap: &Snapshot, id: &str, status: Status, resource: &str) -> Finding {
    let found = findings(snap, id);
    found
        .iter()
        .find(|f| f.status == status && f.involves(resource))
        .cloned()
        .unwrap_or_else(|| panic!("{id}: expected {status} on {resource}, got {found:#?}"))
}
