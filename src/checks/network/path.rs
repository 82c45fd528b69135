//! The one judgement of the way traffic takes (*Centralized access to VPC private endpoints*, with
//! the endpoint prerequisites, gateway routing and the peering and transit gateway routing guides):
//! for each name in scope, TCP 443 from every workload subnet to every interface the name resolves
//! to, wherever it lives, and back. Each hop is checked in the order a packet meets it; the first
//! that fails is the verdict.
//!
//! The checklist rows, the DNS tab, the path rule and the reports all read [`Reach`].

use serde::Serialize;

use super::hops::{Crossing, Far, acl_hop, group_hop, route_back, route_out};
use super::nacl_eval::{EPHEMERAL, Flow};
pub use super::step::{PathHop, Step};
use crate::checks::dns::outcome::Outcome;
use crate::checks::facts::Facts;
use crate::checks::finding::Status;
use crate::checks::net::{IpNet, net};
use crate::model::{EndpointEni, Source, Subnet, VpcEndpoint};

/// The way from one workload subnet to one interface, and back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leg {
    /// The workload subnet.
    pub subnet_id: String,
    /// The interface the name resolves to.
    pub eni_id: String,
    /// Its address.
    pub address: String,
    /// The hops, in the order a packet meets them.
    pub hops: Vec<PathHop>,
}

impl Leg {
    /// The hop that decides: the first that fails, else the first linkscope cannot judge.
    pub fn blocking(&self) -> Option<&PathHop> {
        blocking(&self.hops)
    }
}

/// The first hop that fails, else the first that is `unknown`.
fn blocking(hops: &[PathHop]) -> Option<&PathHop> {
    hops.iter()
        .find(|h| h.status == Status::Fail)
        .or_else(|| hops.iter().find(|h| h.status == Status::Unknown))
}

/// Where the interfaces a name resolves to live.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Destination {
    /// An interface endpoint of this VPC.
    Home {
        /// The endpoint.
        endpoint_id: String,
    },
    /// An interface endpoint of another VPC, through a private hosted zone.
    Hub {
        /// The endpoint.
        endpoint_id: String,
        /// Its VPC.
        vpc_id: String,
    },
}

/// The verdict on the way to the interfaces of one name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    /// Where the interfaces live.
    pub destination: Destination,
    /// One leg per workload subnet and interface.
    pub legs: Vec<Leg>,
    /// `pass`, `fail` or `unknown`: a leg that fails fails the name.
    pub status: Status,
    /// Why no leg could be followed, when none could.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Reach {
    /// The leg that decides the verdict, and its deciding hop.
    pub fn blocking(&self) -> Option<(&Leg, &PathHop)> {
        let first = |status: Status| {
            self.legs.iter().find_map(|leg| {
                leg.blocking()
                    .filter(|h| h.status == status)
                    .map(|h| (leg, h))
            })
        };
        first(Status::Fail).or_else(|| first(Status::Unknown))
    }

    /// The endpoint the name leads to.
    pub fn endpoint_id(&self) -> &str {
        match &self.destination {
            Destination::Home { endpoint_id } | Destination::Hub { endpoint_id, .. } => endpoint_id,
        }
    }

    /// One sentence: the deciding hop, from which subnet, or that every leg holds.
    pub fn summary(&self) -> String {
        if let Some(reason) = &self.reason {
            return reason.clone();
        }
        match self.blocking() {
            Some((leg, hop)) => format!(
                "From {} to {} ({}): {}.",
                leg.subnet_id, leg.address, leg.eni_id, hop.text
            ),
            None => format!(
                "TCP 443 gets from every workload subnet to {}'s interfaces and back.",
                self.endpoint_id()
            ),
        }
    }

    /// Reachability Analyzer commands for a leg that fails or cannot be judged: they create
    /// a network insights path and start an analysis, which AWS bills; linkscope runs neither.
    pub fn analyzer(&self, region: &str) -> Option<String> {
        let (leg, _) = self.blocking()?;
        Some(format!(
            "# Reachability Analyzer creates a network insights path and bills each analysis; linkscope runs neither.\n\
             # WORKLOAD_ENI: a network interface in {subnet} (the environment's, for MWAA).\n\
             WORKLOAD_ENI=$(aws ec2 describe-network-interfaces --filters Name=subnet-id,Values={subnet} --query 'NetworkInterfaces[0].NetworkInterfaceId' --output text --region {region})\n\
             NIP=$(aws ec2 create-network-insights-path --source \"$WORKLOAD_ENI\" --destination {eni} --protocol tcp --destination-port 443 --query NetworkInsightsPath.NetworkInsightsPathId --output text --region {region})\n\
             aws ec2 start-network-insights-analysis --network-insights-path-id \"$NIP\" --region {region}",
            subnet = leg.subnet_id,
            eni = leg.eni_id,
        ))
    }
}

/// The way to the interfaces `name` resolves to: `None` when its DNS verdict reaches no
/// interface (S3's gateway path is [`super::s3_path`]; a name that does not resolve has no
/// way to follow).
pub fn reach<'a>(
    ctx: &Facts<'a>,
    outcome: &Outcome,
    local: Option<&'a VpcEndpoint>,
) -> Option<Reach> {
    let (endpoint, far, destination) = match outcome {
        Outcome::Local => {
            let endpoint = local?;
            let destination = Destination::Home {
                endpoint_id: endpoint.id.clone(),
            };
            (endpoint, Far::home(ctx), destination)
        }
        // A private zone that points the name at this VPC's own endpoint.
        Outcome::Hub {
            endpoint_id,
            vpc_id,
            ..
        } if vpc_id == ctx.vpc_id() => {
            let endpoint = ctx.snap.endpoints.iter().find(|e| &e.id == endpoint_id)?;
            let destination = Destination::Home {
                endpoint_id: endpoint_id.clone(),
            };
            (endpoint, Far::home(ctx), destination)
        }
        Outcome::Hub {
            endpoint_id,
            vpc_id,
            ..
        } => {
            let endpoint = ctx
                .snap
                .dns
                .hub_endpoints
                .iter()
                .find(|e| &e.id == endpoint_id)?;
            let destination = Destination::Hub {
                endpoint_id: endpoint_id.clone(),
                vpc_id: vpc_id.clone(),
            };
            (endpoint, Far::hub(ctx, vpc_id), destination)
        }
        _ => return None,
    };
    let unknown = |reason: String| Reach {
        destination: destination.clone(),
        legs: Vec::new(),
        status: Status::Unknown,
        reason: Some(reason),
    };
    let enis: Vec<&EndpointEni> = far.enis_of(endpoint);
    if enis.is_empty() {
        let reason = far.missing(ctx, &[far.eni_source()]).unwrap_or_else(|| {
            format!(
                "Not evaluated: none of {}'s network interfaces was returned.",
                endpoint.id
            )
        });
        return Some(unknown(reason));
    }
    if ctx.workload.subnets.is_empty() {
        return Some(unknown(
            "Not evaluated: the audit found no workload subnet to start from.".into(),
        ));
    }
    let legs: Vec<Leg> = ctx
        .workload
        .subnets
        .iter()
        .flat_map(|subnet| enis.iter().map(move |eni| (subnet, eni)))
        .map(|(subnet, eni)| leg(ctx, &far, endpoint, subnet, eni))
        .collect();
    let status = if legs
        .iter()
        .any(|l| l.blocking().is_some_and(|h| h.status == Status::Fail))
    {
        Status::Fail
    } else if legs.iter().any(|l| l.blocking().is_some()) {
        Status::Unknown
    } else {
        Status::Pass
    };
    Some(Reach {
        destination,
        legs,
        status,
        reason: None,
    })
}

/// Every hop from `subnet` to `eni` and back.
fn leg(ctx: &Facts, far: &Far, endpoint: &VpcEndpoint, subnet: &Subnet, eni: &EndpointEni) -> Leg {
    let address = eni.private_ip.clone().unwrap_or_default();
    let mut out = Leg {
        subnet_id: subnet.id.clone(),
        eni_id: eni.id.clone(),
        address,
        hops: Vec::new(),
    };
    let (Some(source), Some(target)) = (
        subnet.cidr_block.as_deref().and_then(net),
        eni.private_ip.as_deref().and_then(net),
    ) else {
        out.hops.push(PathHop::unknown(
            Step::Route,
            "",
            format!("{} or {} has no IPv4 address to follow", subnet.id, eni.id),
        ));
        return out;
    };
    // Traffic within one subnet crosses no network ACL and no route table.
    let same_subnet = eni.subnet_id == subnet.id && far.is_home();
    let hops = &mut out.hops;
    let home_acl = || {
        (
            ctx.nacl_for(&subnet.id),
            ctx.missing(&[Source::NetworkAcls]),
        )
    };
    let far_acl = || {
        (
            far.acl_for(&eni.subnet_id),
            far.missing(ctx, &[far.acl_source()]),
        )
    };
    if !same_subnet {
        hops.push(acl_hop(
            Step::LeaveSubnet,
            home_acl(),
            flow(true, (443, 443), target),
            &format!("outbound 443 from {} to {target}", subnet.id),
        ));
    }
    let crossing = if same_subnet {
        Crossing::Local
    } else {
        let (route_hops, crossing) = route_out(ctx, far, subnet, eni, target);
        hops.extend(route_hops);
        crossing
    };
    if !same_subnet {
        hops.push(acl_hop(
            Step::EnterSubnet,
            far_acl(),
            flow(false, (443, 443), source),
            &format!("inbound 443 from {source} to {}", eni.id),
        ));
    }
    hops.push(group_hop(ctx, far, endpoint, &crossing, source));
    if !same_subnet {
        let (lo, hi) = EPHEMERAL;
        hops.push(acl_hop(
            Step::ReplyLeaves,
            far_acl(),
            flow(true, EPHEMERAL, source),
            &format!("the reply from {} to {source} ports {lo}-{hi}", eni.id),
        ));
        hops.extend(route_back(ctx, far, eni, &crossing, source));
        hops.push(acl_hop(
            Step::ReplyArrives,
            home_acl(),
            flow(false, EPHEMERAL, target),
            &format!("the reply from {target} into {} ports {lo}-{hi}", subnet.id),
        ));
    }
    out
}

fn flow(egress: bool, ports: (i32, i32), peer: IpNet) -> Flow {
    Flow {
        egress,
        ports,
        peer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::audit;
    use crate::checks::testkit::*;
    use crate::model::{FetchError, PeeringStatus, RouteState, RuleAction};

    /// The verdict on the way to a service's interfaces.
    fn reach_of(snap: &Fixture, suffix: &str) -> Reach {
        let service = format!("com.amazonaws.{}.{suffix}", snap.region);
        audit(snap)
            .names
            .into_iter()
            .find(|n| n.service_name == service)
            .and_then(|n| n.reach)
            .unwrap_or_else(|| panic!("no way followed for {suffix}"))
    }

    /// The deciding hop of a service's way: its step, resource and status.
    #[track_caller]
    fn decided(snap: &Fixture, suffix: &str) -> PathHop {
        let reach = reach_of(snap, suffix);
        reach
            .blocking()
            .map(|(_, hop)| hop.clone())
            .unwrap_or_else(|| panic!("{suffix} passes: {reach:#?}"))
    }

    #[track_caller]
    fn passes(snap: &Fixture, suffix: &str) {
        let reach = reach_of(snap, suffix);
        assert_eq!(reach.status, Status::Pass, "{:#?}", reach.blocking());
    }

    fn spoke_table(snap: &Fixture) -> String {
        snap.private_table_id()
    }

    #[test]
    fn the_spoke_demo_reaches_its_hub_except_where_a_group_admits_only_the_hub() {
        let snap = Fixture::spoke();
        for suffix in ["sqs", "ecr.api", "monitoring", "airflow.env"] {
            passes(&snap, suffix);
        }
        let reach = reach_of(&snap, "sqs");
        let steps: Vec<Step> = reach.legs[0].hops.iter().map(|h| h.step).collect();
        assert_eq!(
            steps,
            [
                Step::LeaveSubnet,
                Step::Route,
                Step::Peering,
                Step::EnterSubnet,
                Step::SecurityGroup,
                Step::ReplyLeaves,
                Step::RouteBack,
                Step::ReplyArrives,
            ]
        );
        let hop = decided(&snap, "logs");
        assert_eq!((hop.step, hop.status), (Step::SecurityGroup, Status::Fail));
        assert!(
            hop.text.starts_with("none of") && hop.text.contains("inbound rule for TCP 443"),
            "{}",
            hop.text
        );
        let fix = hop.fix.unwrap();
        assert!(
            fix.starts_with(&format!(
                "aws ec2 authorize-security-group-ingress --group-id {}",
                hop.resource
            )),
            "{fix}"
        );
        assert!(fix.contains("--cidr 10.60."), "{fix}");
    }

    #[test]
    fn a_missing_or_blackholed_route_to_the_hub_fails_at_the_route_table() {
        let mut snap = Fixture::spoke();
        let table = spoke_table(&snap);
        let pcx = snap.transit.peerings[0].id.clone();
        let mut missing = snap.clone();
        missing
            .table(&table)
            .routes
            .retain(|r| r.target.as_deref() != Some(pcx.as_str()));
        let hop = decided(&missing, "sqs");
        assert_eq!(
            (hop.step, hop.status, hop.resource.as_str()),
            (Step::Route, Status::Fail, table.as_str())
        );
        assert!(hop.text.contains("has no route to 10.50."), "{}", hop.text);
        assert_eq!(
            hop.fix.unwrap(),
            format!(
                "aws ec2 create-route --route-table-id {table} --destination-cidr-block 10.50.0.0/16 --vpc-peering-connection-id {pcx} --region us-east-1"
            ),
            "the peering connection that joins the two is named"
        );
        for r in &mut snap.table(&table).routes {
            if r.target.as_deref() == Some(pcx.as_str()) {
                r.state = Some(RouteState::Blackhole);
            }
        }
        let hop = decided(&snap, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Route, Status::Fail));
        assert!(hop.text.contains("blackhole"), "{}", hop.text);
    }

    #[test]
    fn a_peering_connection_must_be_active_and_join_the_hub() {
        let snap = Fixture::spoke();
        let pcx = snap.transit.peerings[0].id.clone();
        let mut pending = snap.clone();
        pending.0.transit.peerings[0].status = PeeringStatus::PendingAcceptance;
        let hop = decided(&pending, "sqs");
        assert_eq!(
            (hop.step, hop.status, hop.resource.as_str()),
            (Step::Peering, Status::Fail, pcx.as_str())
        );
        assert!(hop.fix.unwrap().contains(&format!(
            "aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id {pcx}"
        )));
        let mut deleted = snap.clone();
        deleted.0.transit.peerings[0].status = PeeringStatus::parse("deleted");
        let hop = decided(&deleted, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Peering, Status::Fail));
        assert!(hop.text.contains("is deleted"), "{}", hop.text);
        let mut elsewhere = snap.clone();
        elsewhere.0.transit.peerings[0].accepter.vpc_id = Some("vpc-0other".into());
        let hop = decided(&elsewhere, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Peering, Status::Fail));
        assert!(hop.text.contains("not to vpc-"), "{}", hop.text);
        let mut unread = snap;
        unread.0.transit.peerings.clear();
        unread.fail(Source::Peerings);
        let hop = decided(&unread, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Peering, Status::Unknown));
    }

    #[test]
    fn the_hub_must_route_back_and_its_acl_let_the_reply_out() {
        let snap = Fixture::spoke();
        let pcx = snap.transit.peerings[0].id.clone();
        let mut no_way_back = snap.clone();
        no_way_back
            .hub_table()
            .routes
            .retain(|r| r.target.as_deref() != Some(pcx.as_str()));
        let hop = decided(&no_way_back, "sqs");
        assert_eq!((hop.step, hop.status), (Step::RouteBack, Status::Fail));
        assert!(hop.fix.unwrap().contains(&format!(
            "--destination-cidr-block 10.60.0.0/16 --vpc-peering-connection-id {pcx}"
        )));
        let mut dropped = snap;
        let acl = &mut dropped.0.transit.hub_network_acls[0];
        acl.entries.push(nacl_entry(
            50,
            RuleAction::Deny,
            (1024, 65535),
            "10.60.0.0/16",
            true,
        ));
        let acl_id = acl.id.clone();
        let hop = decided(&dropped, "sqs");
        assert_eq!(
            (hop.step, hop.status, hop.resource.as_str()),
            (Step::ReplyLeaves, Status::Fail, acl_id.as_str())
        );
        assert!(hop.text.contains("denied by rule 50"), "{}", hop.text);
        assert!(hop.evidence.is_some());
    }

    #[test]
    fn a_group_reference_counts_across_peering_in_one_region_only() {
        let mut snap = Fixture::spoke();
        let env = snap.env_sg();
        let group = snap.hub_endpoint("sqs").security_group_ids[0].clone();
        snap.hub_group(&group).ingress = vec![tcp(443, &[], &[&env])];
        passes(&snap, "sqs");
        let mut regions = snap.clone();
        regions.0.transit.peerings[0].accepter.region = Some("eu-west-1".into());
        let hop = decided(&regions, "sqs");
        assert_eq!((hop.step, hop.status), (Step::SecurityGroup, Status::Fail));
        assert!(hop.text.contains("joins two Regions"), "{}", hop.text);
        // Across a transit gateway, only with group referencing on for it and both attachments.
        let mut tgw = snap.clone();
        tgw.via_transit_gateway();
        let hop = decided(&tgw, "sqs");
        assert_eq!((hop.step, hop.status), (Step::SecurityGroup, Status::Fail));
        assert!(
            hop.text.contains("security group referencing on"),
            "{}",
            hop.text
        );
        tgw.0.transit.transit_gateways[0].security_group_referencing = Some(true);
        passes(&tgw, "sqs");
    }

    #[test]
    fn a_transit_gateway_must_route_there_and_back() {
        let mut snap = Fixture::spoke();
        snap.via_transit_gateway();
        passes(&snap, "sqs");
        let steps: Vec<Step> = reach_of(&snap, "sqs").legs[0]
            .hops
            .iter()
            .map(|h| h.step)
            .collect();
        assert!(
            steps.contains(&Step::Attachment)
                && steps.contains(&Step::TransitGatewayRoute)
                && steps.contains(&Step::TransitGatewayRouteBack),
            "{steps:?}"
        );
        // No route to the hub in the spoke attachment's table.
        let mut missing = snap.clone();
        missing.0.transit.tgw_route_tables[0]
            .routes
            .retain(|r| r.destination_cidr.as_deref() != Some("10.50.0.0/16"));
        let hop = decided(&missing, "sqs");
        assert_eq!(
            (hop.step, hop.status, hop.resource.as_str()),
            (Step::TransitGatewayRoute, Status::Fail, "tgw-rtb-0shared")
        );
        assert!(hop.fix.unwrap().contains("aws ec2 create-transit-gateway-route --transit-gateway-route-table-id tgw-rtb-0shared --destination-cidr-block 10.50.0.0/16 --transit-gateway-attachment-id tgw-attach-0hub"));
        // A blackhole.
        let mut blackhole = snap.clone();
        for r in &mut blackhole.0.transit.tgw_route_tables[0].routes {
            if r.destination_cidr.as_deref() == Some("10.50.0.0/16") {
                r.state = RouteState::Blackhole;
                r.attachments.clear();
            }
        }
        let hop = decided(&blackhole, "sqs");
        assert_eq!(
            (hop.step, hop.status),
            (Step::TransitGatewayRoute, Status::Fail)
        );
        assert!(hop.fix.unwrap().contains("replace-transit-gateway-route"));
        // No route back to the spoke.
        let mut no_way_back = snap.clone();
        no_way_back.0.transit.tgw_route_tables[0]
            .routes
            .retain(|r| r.destination_cidr.as_deref() != Some("10.60.0.0/16"));
        let hop = decided(&no_way_back, "sqs");
        assert_eq!(
            (hop.step, hop.status),
            (Step::TransitGatewayRouteBack, Status::Fail)
        );
        // A route that names no attachment (as moto reports it) cannot be judged.
        let mut silent = snap.clone();
        for r in &mut silent.0.transit.tgw_route_tables[0].routes {
            r.attachments.clear();
        }
        let hop = decided(&silent, "sqs");
        assert_eq!(
            (hop.step, hop.status),
            (Step::TransitGatewayRoute, Status::Unknown)
        );
        // No attachment of the spoke, or one without a subnet in the workload's zone.
        let mut detached = snap.clone();
        detached
            .0
            .transit
            .attachments
            .retain(|a| a.id != "tgw-attach-0spoke");
        let hop = decided(&detached, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Attachment, Status::Fail));
        let mut one_zone = snap.clone();
        let first = one_zone.workload_subnet(0);
        one_zone.0.transit.attachments[0].subnet_ids = vec![first];
        let hop = decided(&one_zone, "sqs");
        assert_eq!((hop.step, hop.status), (Step::Attachment, Status::Fail));
        assert!(
            hop.text.contains("has no subnet in us-east-1b"),
            "{}",
            hop.text
        );
    }

    #[test]
    fn a_hop_in_another_account_is_unknown_never_pass() {
        let mut snap = Fixture::spoke();
        snap.via_transit_gateway();
        snap.0.transit.transit_gateways[0].owner_id = Some("444455556666".into());
        snap.0.transit.tgw_route_tables[0].routes.clear();
        snap.0.transit.tgw_route_tables[0].error = Some(FetchError {
            code: Some("InvalidRouteTableID.NotFound".into()),
            message: "The transitGatewayRouteTable ID 'tgw-rtb-0shared' does not exist".into(),
        });
        let hop = decided(&snap, "sqs");
        assert_eq!(
            (hop.step, hop.status),
            (Step::TransitGatewayRoute, Status::Unknown)
        );
        assert!(
            hop.text.contains("belongs to account 444455556666"),
            "{}",
            hop.text
        );
        assert_eq!(reach_of(&snap, "sqs").status, Status::Unknown);
        // The hub's interfaces not read: the whole way is unknown.
        let mut blind = Fixture::spoke();
        blind.0.transit.hub_enis.clear();
        blind.fail(Source::HubNetworkInterfaces);
        let reach = reach_of(&blind, "sqs");
        assert_eq!(reach.status, Status::Unknown);
        assert!(
            reach.summary().contains("DescribeNetworkInterfaces"),
            "{}",
            reach.summary()
        );
    }

    #[test]
    fn within_the_vpc_the_local_route_and_acls_decide() {
        let snap = Fixture::healthy();
        passes(&snap, "sqs");
        let reach = reach_of(&snap, "sqs");
        assert!(matches!(reach.destination, Destination::Home { .. }));
        // A more specific route takes the endpoint's subnet through an appliance.
        let mut middlebox = snap;
        let table = middlebox.private_table_id();
        let eni_subnet = middlebox.endpoint_enis[0].subnet_id.clone();
        let cidr = middlebox
            .subnets
            .iter()
            .find(|s| s.id == eni_subnet)
            .unwrap()
            .cidr_block
            .clone()
            .unwrap();
        middlebox
            .table(&table)
            .routes
            .push(route(&cidr, "eni-0appliance"));
        let reach = reach_of(&middlebox, "sqs");
        assert_eq!(reach.status, Status::Unknown);
        assert!(
            reach
                .analyzer("us-east-1")
                .unwrap()
                .contains("create-network-insights-path")
        );
    }
}
