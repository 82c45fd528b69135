//! The hops of one leg of [`super::path`]: network ACLs (with the one evaluator), the
//! endpoint's security groups (with the one admission judgement), and routes out and back
//! through the VPC, a peering connection or a transit gateway.

use super::nacl_eval::{Flow, Verdict, allow_fix, describe, evaluate};
use super::routing::{Chosen, tgw_route, vpc_route};
use super::step::{PathHop, Step};
use crate::checks::endpoints::https::{Sources, admission, admits_https, https_fix};
use crate::checks::facts::Facts;
use crate::checks::finding::Evidence;
use crate::checks::net::{IpNet, net};
use crate::model::{
    EndpointEni, NetworkAcl, PeeringConnection, PeeringStatus, Route, RouteTable, SecurityGroup,
    Source, Subnet, TargetKind, TgwAttachment, TgwRoute, TgwRouteTable, VpcEndpoint,
};

/// The side of the destination: this VPC, or a hub VPC with what linkscope read of it.
pub(super) struct Far<'a> {
    vpc_id: &'a str,
    home: bool,
    tables: Vec<&'a RouteTable>,
    acls: Vec<&'a NetworkAcl>,
    enis: &'a [EndpointEni],
    groups: &'a [SecurityGroup],
}

impl<'a> Far<'a> {
    /// This VPC.
    pub(super) fn home(ctx: &Facts<'a>) -> Self {
        let snap = ctx.snap;
        Self {
            vpc_id: &snap.vpc.id,
            home: true,
            tables: snap.route_tables.iter().collect(),
            acls: snap.network_acls.iter().collect(),
            enis: &snap.endpoint_enis,
            groups: &snap.security_groups,
        }
    }

    /// A hub VPC.
    pub(super) fn hub(ctx: &Facts<'a>, vpc_id: &'a str) -> Self {
        let transit = &ctx.snap.transit;
        Self {
            vpc_id,
            home: false,
            tables: transit
                .hub_route_tables
                .iter()
                .filter(|t| t.vpc_id == vpc_id)
                .collect(),
            acls: transit
                .hub_network_acls
                .iter()
                .filter(|a| a.vpc_id == vpc_id)
                .collect(),
            enis: &transit.hub_enis,
            groups: &transit.hub_security_groups,
        }
    }

    /// True for this VPC.
    pub(super) fn is_home(&self) -> bool {
        self.home
    }

    /// The endpoint's interfaces that linkscope read.
    pub(super) fn enis_of(&self, endpoint: &VpcEndpoint) -> Vec<&'a EndpointEni> {
        self.enis
            .iter()
            .filter(|n| endpoint.network_interface_ids.contains(&n.id))
            .collect()
    }

    fn pick(&self, home: Source, hub: Source) -> Source {
        if self.home { home } else { hub }
    }

    /// The source of the interfaces.
    pub(super) fn eni_source(&self) -> Source {
        self.pick(Source::NetworkInterfaces, Source::HubNetworkInterfaces)
    }

    /// The source of the network ACLs.
    pub(super) fn acl_source(&self) -> Source {
        self.pick(Source::NetworkAcls, Source::HubNetworkAcls)
    }

    fn table_source(&self) -> Source {
        self.pick(Source::RouteTables, Source::HubRouteTables)
    }

    fn group_source(&self) -> Source {
        self.pick(Source::SecurityGroups, Source::HubSecurityGroups)
    }

    /// Why one of `sources` is not known, if one is not.
    pub(super) fn missing(&self, ctx: &Facts, sources: &[Source]) -> Option<String> {
        ctx.missing(sources)
    }

    /// The network ACL of a subnet of this side: its association, else the VPC's default.
    pub(super) fn acl_for(&self, subnet_id: &str) -> Option<&'a NetworkAcl> {
        self.acls
            .iter()
            .copied()
            .find(|a| a.associations.iter().any(|s| s.subnet_id == subnet_id))
            .or_else(|| self.acls.iter().copied().find(|a| a.is_default))
    }

    /// The route table of a subnet of this side: its association, else the VPC's main table.
    fn table_for(&self, subnet_id: &str) -> Option<&'a RouteTable> {
        self.tables
            .iter()
            .copied()
            .find(|t| {
                t.associations
                    .iter()
                    .any(|a| a.subnet_id.as_deref() == Some(subnet_id))
            })
            .or_else(|| self.tables.iter().copied().find(|t| t.is_main()))
    }

    /// The VPC's first IPv4 CIDR, for route commands, when linkscope knows it.
    fn cidr(&self, ctx: &Facts) -> Option<String> {
        let transit = &ctx.snap.transit;
        transit
            .hub_vpcs
            .iter()
            .find(|v| v.id == self.vpc_id)
            .and_then(|v| v.cidr_blocks.first().cloned())
            .or_else(|| {
                transit
                    .peerings
                    .iter()
                    .find_map(|p| {
                        p.other_side(&ctx.snap.vpc.id)
                            .filter(|s| s.vpc_id.as_deref() == Some(self.vpc_id))
                    })
                    .and_then(|s| s.cidr_blocks.first().cloned())
            })
    }
}

/// How the way out crossed to the destination's VPC: what the way back must cross again.
pub(super) enum Crossing<'a> {
    /// Within this VPC.
    Local,
    /// Through an active peering connection.
    Peering(&'a PeeringConnection),
    /// Through a transit gateway, entering by this VPC's attachment.
    TransitGateway {
        /// The transit gateway.
        id: &'a str,
        /// This VPC's attachment to it.
        spoke: &'a TgwAttachment,
    },
    /// The way out failed or could not be followed.
    Unknown,
}

impl Crossing<'_> {
    /// Whether a security group rule that names one of the workload's groups counts on the
    /// far side: within the VPC; across a peering connection in one Region; across a
    /// transit gateway with group referencing on for it and both attachments. `Err` says why not.
    fn group_references(&self, ctx: &Facts, far: &Far) -> Result<(), String> {
        let transit = &ctx.snap.transit;
        match self {
            Crossing::Local => Ok(()),
            Crossing::Peering(p) => match (&p.requester.region, &p.accepter.region) {
                (Some(a), Some(b)) if a != b => Err(format!(
                    "{} joins two Regions, where a security group cannot reference a peer's group",
                    p.id
                )),
                _ => Ok(()),
            },
            Crossing::TransitGateway { id, spoke } => {
                let tgw_on = transit
                    .transit_gateways
                    .iter()
                    .find(|t| t.id == *id)
                    .and_then(|t| t.security_group_referencing);
                let hub_on = transit
                    .attachments
                    .iter()
                    .find(|a| a.transit_gateway_id == *id && a.attaches(far.vpc_id))
                    .and_then(|a| a.security_group_referencing);
                match (tgw_on, spoke.security_group_referencing, hub_on) {
                    (Some(true), Some(true), Some(true)) => Ok(()),
                    _ => Err(format!(
                        "a group reference crosses {id} only with security group referencing on for it and for both VPC attachments"
                    )),
                }
            }
            Crossing::Unknown => Err("the way out could not be followed".into()),
        }
    }
}

/// One network ACL hop: the ACL (or why it is not known) and the flow it must allow.
pub(super) fn acl_hop(
    step: Step,
    (acl, missing): (Option<&NetworkAcl>, Option<String>),
    flow: Flow,
    what: &str,
) -> PathHop {
    if let Some(reason) = missing {
        return PathHop::unknown(step, "", reason.trim_end_matches('.').to_string());
    }
    let Some(acl) = acl else {
        return PathHop::unknown(step, "", format!("no network ACL is known for {what}"));
    };
    match evaluate(acl, flow) {
        Verdict::Allowed(rule) => PathHop::pass(
            step,
            &acl.id,
            format!("{} allows {what} (rule {rule})", acl.id),
        ),
        verdict => {
            let mut hop = PathHop::fail(
                step,
                &acl.id,
                format!("{} blocks {what} ({})", acl.id, describe(verdict)),
                Some(allow_fix(acl, flow, verdict)),
            );
            if let Verdict::Denied(Some(rule_number)) = verdict {
                hop.evidence = Some(Evidence::NaclEntry {
                    acl: acl.id.clone(),
                    egress: flow.egress,
                    rule_number,
                });
            }
            hop
        }
    }
}

/// Whether the endpoint's security groups admit 443 from `source` (the workload subnet).
pub(super) fn group_hop(
    ctx: &Facts,
    far: &Far,
    endpoint: &VpcEndpoint,
    crossing: &Crossing,
    source: IpNet,
) -> PathHop {
    let step = Step::SecurityGroup;
    let first = endpoint
        .security_group_ids
        .first()
        .map_or("", String::as_str);
    if let Some(reason) = far.missing(ctx, &[far.group_source()]) {
        return PathHop::unknown(step, first, reason.trim_end_matches('.').to_string());
    }
    if far.is_home() {
        let admission = admits_https(ctx, endpoint);
        let group = admission.groups.first().map_or(first, String::as_str);
        return match admission.admitted {
            true => PathHop::pass(step, group, admission.text),
            false => PathHop::fail(step, group, admission.text, Some(https_fix(ctx, endpoint))),
        };
    }
    let groups: Vec<&SecurityGroup> = endpoint
        .security_group_ids
        .iter()
        .filter_map(|id| far.groups.iter().find(|g| &g.id == id))
        .collect();
    if groups.is_empty() {
        return PathHop::unknown(
            step,
            first,
            format!(
                "{}'s security groups ({}) were not returned",
                endpoint.id,
                endpoint.security_group_ids.join(", ")
            ),
        );
    }
    let references = crossing.group_references(ctx, far);
    let workload: &[&str] = match references {
        Ok(()) => &ctx.workload.security_group_ids,
        Err(_) => &[],
    };
    let sources = [source];
    let admission = admission(
        endpoint,
        &groups,
        Sources {
            groups: workload,
            cidrs: &sources,
        },
    );
    let group = admission.groups.first().map_or(first, String::as_str);
    if admission.admitted {
        return PathHop::pass(step, group, admission.text);
    }
    let mut text = admission.text;
    let referenced = groups
        .iter()
        .flat_map(|g| &g.ingress)
        .filter(|r| r.covers_https())
        .flat_map(|r| &r.group_ids)
        .find(|g| ctx.workload.security_group_ids.contains(&g.as_str()));
    if let (Some(g), Err(why)) = (referenced, &references) {
        text.push_str(&format!(
            " (its rule naming the workload's {g} does not count: {why})"
        ));
    }
    let fix = format!(
        "aws ec2 authorize-security-group-ingress --group-id {group} --protocol tcp --port 443 --cidr {source} --region {}",
        ctx.region()
    );
    PathHop::fail(step, group, text, Some(fix))
}

/// The hops out: the workload subnet's route to `target`, and what it crosses to reach the
/// destination's VPC; with what the way back must cross again.
pub(super) fn route_out<'a>(
    ctx: &Facts<'a>,
    far: &Far,
    subnet: &Subnet,
    eni: &EndpointEni,
    target: IpNet,
) -> (Vec<PathHop>, Crossing<'a>) {
    let table = match subnet_table(ctx, subnet) {
        Ok(table) => table,
        Err(hop) => return stop(hop),
    };
    if far.is_home() {
        return route_home(ctx, table, eni, target);
    }
    match route_to_hub(ctx, far, table, target) {
        Ok(route) => cross(ctx, far, subnet, table, route, target),
        Err(hop) => stop(hop),
    }
}

/// A way out that stops at `hop`: nothing to cross back.
fn stop<'a>(hop: PathHop) -> (Vec<PathHop>, Crossing<'a>) {
    (vec![hop], Crossing::Unknown)
}

/// The workload subnet's route table, or the hop that says why it is not known.
fn subnet_table<'a>(ctx: &Facts<'a>, subnet: &Subnet) -> Result<&'a RouteTable, PathHop> {
    let step = Step::Route;
    if let Some(reason) = ctx.missing(&[Source::RouteTables]) {
        let reason = reason.trim_end_matches('.').to_string();
        return Err(PathHop::unknown(step, "", reason));
    }
    ctx.effective_route_table(&subnet.id).ok_or_else(|| {
        let text = format!(
            "{} has no route table (no association and no main table)",
            subnet.id
        );
        PathHop::unknown(step, "", text)
    })
}

/// Within the VPC: the `local` route. A route more specific than `local` must match a whole
/// subnet's range, so the endpoint subnet's range is what a route table can send elsewhere.
fn route_home<'a>(
    ctx: &Facts<'a>,
    table: &RouteTable,
    eni: &EndpointEni,
    target: IpNet,
) -> (Vec<PathHop>, Crossing<'a>) {
    let range = ctx
        .subnet(&eni.subnet_id)
        .and_then(|s| s.cidr_block.as_deref())
        .and_then(net)
        .unwrap_or(target);
    let chosen = vpc_route(table, range, &ctx.snap.prefix_lists);
    let hop = local_hop(Step::Route, table, chosen, range);
    let crossing = match hop.status {
        crate::checks::finding::Status::Pass => Crossing::Local,
        _ => Crossing::Unknown,
    };
    (vec![hop], crossing)
}

/// The active route `table` chooses for an address in the far VPC, or the hop that fails
/// (no route, a blackhole) or cannot be judged (a prefix list not read).
fn route_to_hub<'a>(
    ctx: &Facts,
    far: &Far,
    table: &'a RouteTable,
    target: IpNet,
) -> Result<&'a Route, PathHop> {
    let step = Step::Route;
    match vpc_route(table, target, &ctx.snap.prefix_lists) {
        Chosen::Route(route) if !route.is_blackhole() => Ok(route),
        Chosen::Route(route) => {
            let text = format!(
                "{}'s route {} to {} is a blackhole: its target is gone",
                table.id,
                route.describe(),
                far.vpc_id
            );
            let fix = route_fix(ctx, far, table, target, Some(route));
            Err(PathHop::fail(step, &table.id, text, Some(fix)))
        }
        Chosen::None => {
            let text = format!("{} has no route to {target} in {}", table.id, far.vpc_id);
            let fix = route_fix(ctx, far, table, target, None);
            Err(PathHop::fail(step, &table.id, text, Some(fix)))
        }
        Chosen::Unsure(list) => {
            let text = format!(
                "{} routes {target} only through prefix list {list}, whose ranges linkscope has not read",
                table.id
            );
            Err(PathHop::unknown(step, &table.id, text))
        }
    }
}

/// What the chosen route sends the packet to: a peering connection or a transit gateway
/// (followed), or something that cannot reach the far VPC.
fn cross<'a>(
    ctx: &Facts<'a>,
    far: &Far,
    subnet: &Subnet,
    table: &RouteTable,
    route: &'a Route,
    target: IpNet,
) -> (Vec<PathHop>, Crossing<'a>) {
    let step = Step::Route;
    let via = route.target.as_deref().unwrap_or("?");
    let what = format!(
        "{} sends {target} to {via} ({})",
        table.id,
        route.describe()
    );
    let sent = PathHop::pass(step, &table.id, what);
    match route.target_kind() {
        TargetKind::Peering => {
            let (hop, crossing) = peering_hop(ctx, far, table, via, target);
            (vec![sent, hop], crossing)
        }
        TargetKind::TransitGateway => {
            let (mut hops, crossing) = tgw_hops(ctx, far, subnet, via, target);
            hops.insert(0, sent);
            (hops, crossing)
        }
        TargetKind::Local => stop(PathHop::fail(
            step,
            &table.id,
            format!(
                "{target} in {} lies inside this VPC's own range: overlapping CIDRs cannot be routed to another VPC",
                far.vpc_id
            ),
            None,
        )),
        TargetKind::InternetGateway | TargetKind::EgressOnlyInternetGateway => {
            let text = format!(
                "{} sends {target}, a private address in {}, to {via}, which does not carry it there",
                table.id, far.vpc_id
            );
            let fix = route_fix(ctx, far, table, target, None);
            stop(PathHop::fail(step, &table.id, text, Some(fix)))
        }
        _ => stop(PathHop::unknown(
            step,
            &table.id,
            format!(
                "{} sends {target} to {via}; linkscope does not follow traffic through it",
                table.id
            ),
        )),
    }
}

/// A route within the VPC: the `local` route must be the one chosen.
fn local_hop(step: Step, table: &RouteTable, chosen: Chosen<Route>, address: IpNet) -> PathHop {
    match chosen {
        Chosen::Route(r) if r.target_kind() == TargetKind::Local => PathHop::pass(
            step,
            &table.id,
            format!("{} routes {address} within the VPC (local)", table.id),
        ),
        Chosen::Route(r) if r.is_blackhole() => PathHop::fail(
            step,
            &table.id,
            format!(
                "{}'s route {} takes {address} and is a blackhole",
                table.id,
                r.describe()
            ),
            None,
        ),
        Chosen::Route(r) => PathHop::unknown(
            step,
            &table.id,
            format!(
                "{}'s route {} takes {address} before the local route; linkscope does not follow traffic through it",
                table.id,
                r.describe()
            ),
        ),
        Chosen::None | Chosen::Unsure(_) => PathHop::unknown(
            step,
            &table.id,
            format!("{} has no local route for {address}", table.id),
        ),
    }
}

/// A route command for `table` toward the far VPC (replacing `replace`, else creating a route
/// to the far VPC's range), through a peering connection or transit gateway that joins the
/// two when linkscope knows one.
fn route_fix(
    ctx: &Facts,
    far: &Far,
    table: &RouteTable,
    target: IpNet,
    replace: Option<&Route>,
) -> String {
    let transit = &ctx.snap.transit;
    let home = ctx.vpc_id();
    let (verb, destination) = match replace.and_then(|r| r.destination_cidr.clone()) {
        Some(existing) => ("replace-route", existing),
        None => (
            "create-route",
            far.cidr(ctx).unwrap_or_else(|| target.to_string()),
        ),
    };
    let region = ctx.region();
    let peering = transit.peerings.iter().find(|p| p.joins(home, far.vpc_id));
    let tgw = transit
        .attachments
        .iter()
        .find(|a| a.attaches(home) && a.is_available())
        .map(|a| a.transit_gateway_id.as_str());
    let (via, note) = match (peering, tgw) {
        (Some(p), _) => (
            format!("--vpc-peering-connection-id {}", p.id),
            String::new(),
        ),
        (None, Some(t)) => (format!("--transit-gateway-id {t}"), String::new()),
        (None, None) => (
            "--vpc-peering-connection-id \"$PCX_ID\"".to_string(),
            format!(
                "# PCX_ID: the peering connection between {home} and {}, or use --transit-gateway-id with the transit gateway joining them\n",
                far.vpc_id
            ),
        ),
    };
    format!(
        "{note}aws ec2 {verb} --route-table-id {} --destination-cidr-block {destination} {via} --region {region}",
        table.id
    )
}

/// The peering connection a route names: active, and joining this VPC to the far one.
fn peering_hop<'a>(
    ctx: &Facts<'a>,
    far: &Far,
    table: &RouteTable,
    id: &str,
    target: IpNet,
) -> (PathHop, Crossing<'a>) {
    let step = Step::Peering;
    let home = ctx.vpc_id();
    let region = ctx.region();
    let Some(peering) = ctx.snap.transit.peerings.iter().find(|p| p.id == id) else {
        let text = ctx
            .missing(&[Source::Peerings])
            .map(|r| r.trim_end_matches('.').to_string())
            .unwrap_or_else(|| {
                format!("{id} was not returned by ec2:DescribeVpcPeeringConnections")
            });
        return (PathHop::unknown(step, id, text), Crossing::Unknown);
    };
    let other = peering
        .other_side(home)
        .and_then(|s| s.vpc_id.as_deref())
        .unwrap_or("?");
    match &peering.status {
        PeeringStatus::Active if other == far.vpc_id => (
            PathHop::pass(
                step,
                id,
                format!("{id} is active between {home} and {other}"),
            ),
            Crossing::Peering(peering),
        ),
        PeeringStatus::Active => {
            let text = format!(
                "{id} joins {home} to {other}, not to {}, where {target} is",
                far.vpc_id
            );
            (
                PathHop::fail(
                    step,
                    id,
                    text,
                    Some(route_fix(ctx, far, table, target, None)),
                ),
                Crossing::Unknown,
            )
        }
        PeeringStatus::PendingAcceptance => {
            let accepter = &peering.accepter;
            let fix = format!(
                "# in the accepter's account {}:\naws ec2 accept-vpc-peering-connection --vpc-peering-connection-id {id} --region {}",
                accepter.owner_id.as_deref().unwrap_or("(the peer's)"),
                accepter.region.as_deref().unwrap_or(region)
            );
            let text = format!(
                "{id} is pending-acceptance: it carries nothing until {} accepts it",
                accepter.vpc_id.as_deref().unwrap_or("the peer")
            );
            (PathHop::fail(step, id, text, Some(fix)), Crossing::Unknown)
        }
        PeeringStatus::Gone(state) => {
            let fix = format!(
                "aws ec2 create-vpc-peering-connection --vpc-id {home} --peer-vpc-id {} --region {region}\n# then accept it, and point {}'s route at the new connection",
                far.vpc_id, table.id
            );
            let text = format!(
                "{id} is {state}: it carries nothing, and {}'s route to it is a dead end",
                table.id
            );
            (PathHop::fail(step, id, text, Some(fix)), Crossing::Unknown)
        }
        PeeringStatus::Other(state) => (
            PathHop::unknown(
                step,
                id,
                format!("{id} is {state}: not yet carrying traffic"),
            ),
            Crossing::Unknown,
        ),
    }
}

/// This VPC's attachment to the transit gateway a route names, and the route its
/// transit gateway route table chooses for `target`.
fn tgw_hops<'a>(
    ctx: &Facts<'a>,
    far: &Far,
    subnet: &Subnet,
    tgw: &'a str,
    target: IpNet,
) -> (Vec<PathHop>, Crossing<'a>) {
    let step = Step::Attachment;
    let home = ctx.vpc_id();
    let region = ctx.region();
    if let Some(reason) = ctx.missing(&[Source::TransitGateways]) {
        return (
            vec![PathHop::unknown(
                step,
                tgw,
                reason.trim_end_matches('.').into(),
            )],
            Crossing::Unknown,
        );
    }
    let transit = &ctx.snap.transit;
    let Some(spoke) = transit
        .attachments
        .iter()
        .find(|a| a.transit_gateway_id == tgw && a.attaches(home))
    else {
        let fix = format!(
            "aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id {tgw} --vpc-id {home} --subnet-ids {} --region {region}",
            subnet.id
        );
        let text = format!(
            "{home} has no attachment to {tgw}, so the transit gateway never receives its traffic"
        );
        return (
            vec![PathHop::fail(step, tgw, text, Some(fix))],
            Crossing::Unknown,
        );
    };
    let id = spoke.id.as_str();
    if !spoke.is_available() {
        let text = format!("{id} (to {tgw}) is {}: it carries no traffic", spoke.state);
        return (vec![PathHop::fail(step, id, text, None)], Crossing::Unknown);
    }
    let zones: Vec<&str> = spoke
        .subnet_ids
        .iter()
        .filter_map(|s| ctx.subnet(s))
        .map(|s| s.availability_zone.as_str())
        .collect();
    if !zones.is_empty() && !zones.contains(&subnet.availability_zone.as_str()) {
        let fix = format!(
            "aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id {id} --add-subnet-ids {} --region {region}",
            subnet.id
        );
        let text = format!(
            "{id} has no subnet in {}, so {tgw} does not receive {}'s traffic",
            subnet.availability_zone, subnet.id
        );
        return (
            vec![PathHop::fail(step, id, text, Some(fix))],
            Crossing::Unknown,
        );
    }
    let Some(table) = spoke.route_table_id.as_deref() else {
        let fix = format!(
            "# TGW_RTB_ID: the transit gateway route table that routes to {}\naws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id \"$TGW_RTB_ID\" --transit-gateway-attachment-id {id} --region {region}",
            far.vpc_id
        );
        let text = format!(
            "{id} is associated with no transit gateway route table, so {tgw} drops its traffic"
        );
        return (
            vec![PathHop::fail(step, id, text, Some(fix))],
            Crossing::Unknown,
        );
    };
    let attached = PathHop::pass(
        step,
        id,
        format!("{id} attaches {home} to {tgw}, associated with {table}"),
    );
    let want = transit
        .attachments
        .iter()
        .find(|a| a.transit_gateway_id == tgw && a.attaches(far.vpc_id));
    let destination = far.cidr(ctx).unwrap_or_else(|| target.to_string());
    let routed = tgw_route_hop(
        ctx,
        Step::TransitGatewayRoute,
        (tgw, table),
        target,
        (far.vpc_id, want),
        &destination,
    );
    let crossing = Crossing::TransitGateway { id: tgw, spoke };
    (vec![attached, routed], crossing)
}

/// The route a transit gateway route table chooses for `address`: active, and to the
/// attachment of `want` (a VPC, and its attachment when linkscope sees it).
fn tgw_route_hop(
    ctx: &Facts,
    step: Step,
    (tgw, table_id): (&str, &str),
    address: IpNet,
    (want_vpc, want): (&str, Option<&TgwAttachment>),
    destination: &str,
) -> PathHop {
    let table = match searched_table(ctx, step, tgw, table_id) {
        Ok(table) => table,
        Err(hop) => return hop,
    };
    let command = TgwCommand::new(ctx, table_id, want_vpc, tgw, want);
    let route = match chosen_tgw_route(step, table, address, want_vpc, || {
        command.run("create", destination)
    }) {
        Ok(route) => route,
        Err(hop) => return hop,
    };
    let shown = route.destination_cidr.as_deref().unwrap_or("?");
    let unknown = |text: String| PathHop::unknown(step, table_id, text);
    match route.state.as_str() {
        "blackhole" => {
            let text = format!("{table_id}'s route {shown} for {address} is a blackhole");
            return PathHop::fail(step, table_id, text, Some(command.run("replace", shown)));
        }
        "active" => {}
        state => return unknown(format!("{table_id}'s route {shown} is {state}")),
    }
    if route.attachments.is_empty() {
        return unknown(format!(
            "{table_id} routes {address} by {shown} but does not say to which attachment"
        ));
    }
    let reaches = route.attachments.iter().any(|a| {
        a.resource_id.as_deref() == Some(want_vpc)
            || want.is_some_and(|w| a.attachment_id.as_deref() == Some(w.id.as_str()))
    });
    let to: Vec<String> = route
        .attachments
        .iter()
        .map(|a| {
            let id = a.attachment_id.as_deref().unwrap_or("?");
            format!("{id} ({})", a.resource_id.as_deref().unwrap_or("?"))
        })
        .collect();
    let to = to.join(", ");
    if reaches {
        return PathHop::pass(
            step,
            table_id,
            format!("{table_id} sends {address} to {to} by {shown}"),
        );
    }
    // A route to the far range itself is replaced; a wider one may serve others, so a more
    // specific route is added beside it.
    let fix = match shown == destination {
        true => command.run("replace", shown),
        false => command.run("create", destination),
    };
    let text = format!("{table_id} sends {address} to {to}, not to {want_vpc}");
    PathHop::fail(step, table_id, text, Some(fix))
}

/// The routes of a transit gateway route table as searched, or the hop that says why they
/// are not known (not searched, denied, another account's table).
fn searched_table<'a>(
    ctx: &Facts<'a>,
    step: Step,
    tgw: &str,
    table_id: &str,
) -> Result<&'a TgwRouteTable, PathHop> {
    let transit = &ctx.snap.transit;
    let Some(table) = transit.tgw_route_tables.iter().find(|t| t.id == table_id) else {
        let text = ctx
            .missing(&[Source::TransitGatewayRoutes])
            .map(|r| r.trim_end_matches('.').to_string())
            .unwrap_or_else(|| format!("{table_id} was not searched"));
        return Err(PathHop::unknown(step, table_id, text));
    };
    let Some(error) = &table.error else {
        return Ok(table);
    };
    let owner = transit
        .transit_gateways
        .iter()
        .find(|t| t.id == tgw)
        .and_then(|t| t.owner_id.as_deref())
        .filter(|o| Some(*o) != ctx.snap.caller_account.as_deref());
    let whose = owner.map_or_else(String::new, |o| {
        format!("; {tgw} belongs to account {o}, where its route tables can be read")
    });
    let text = format!("{table_id} could not be searched ({error}){whose}");
    Err(PathHop::unknown(step, table_id, text))
}

/// The route a transit gateway route table chooses for `address`, or the hop that fails (no
/// route: `create` is the fix) or cannot be judged.
fn chosen_tgw_route<'t>(
    step: Step,
    table: &'t TgwRouteTable,
    address: IpNet,
    want_vpc: &str,
    create: impl Fn() -> String,
) -> Result<&'t TgwRoute, PathHop> {
    let id = table.id.as_str();
    match tgw_route(table, address) {
        Chosen::Route(route) => Ok(route),
        Chosen::None if table.more => Err(PathHop::unknown(
            step,
            id,
            format!("the first 1,000 routes of {id} hold none for {address}, and it has more"),
        )),
        Chosen::None => Err(PathHop::fail(
            step,
            id,
            format!("{id} has no route to {address} in {want_vpc}"),
            Some(create()),
        )),
        Chosen::Unsure(list) => Err(PathHop::unknown(
            step,
            id,
            format!(
                "{id} routes {address} only through prefix list {list}, whose ranges linkscope has not read"
            ),
        )),
    }
}

/// The commands that write a route to the wanted attachment into a transit gateway route
/// table (the attachment a variable, explained, when linkscope does not see it).
struct TgwCommand {
    table_id: String,
    attachment: String,
    note: String,
    region: String,
}

impl TgwCommand {
    fn new(
        ctx: &Facts,
        table_id: &str,
        want_vpc: &str,
        tgw: &str,
        want: Option<&TgwAttachment>,
    ) -> Self {
        let (attachment, note) = match want {
            Some(a) => (a.id.clone(), String::new()),
            None => (
                "\"$ATTACHMENT_ID\"".to_string(),
                format!("# ATTACHMENT_ID: {want_vpc}'s attachment to {tgw}\n"),
            ),
        };
        Self {
            table_id: table_id.to_string(),
            attachment,
            note,
            region: ctx.region().to_string(),
        }
    }

    /// `aws ec2 <verb>-transit-gateway-route` for `destination`.
    fn run(&self, verb: &str, destination: &str) -> String {
        format!(
            "{}aws ec2 {verb}-transit-gateway-route --transit-gateway-route-table-id {} --destination-cidr-block {destination} --transit-gateway-attachment-id {} --region {}",
            self.note, self.table_id, self.attachment, self.region
        )
    }
}

/// The hops back: the destination subnet's route to `source` must cross what the way out
/// crossed, and a transit gateway must route it back to this VPC's attachment.
pub(super) fn route_back(
    ctx: &Facts,
    far: &Far,
    eni: &EndpointEni,
    crossing: &Crossing,
    source: IpNet,
) -> Vec<PathHop> {
    let step = Step::RouteBack;
    if matches!(crossing, Crossing::Unknown) {
        return Vec::new();
    }
    if let Some(reason) = far.missing(ctx, &[far.table_source()]) {
        return vec![PathHop::unknown(
            step,
            "",
            reason.trim_end_matches('.').into(),
        )];
    }
    let Some(table) = far.table_for(&eni.subnet_id) else {
        return vec![PathHop::unknown(
            step,
            "",
            format!(
                "no route table of {} is known for {}",
                far.vpc_id, eni.subnet_id
            ),
        )];
    };
    let chosen = vpc_route(table, source, &ctx.snap.prefix_lists);
    let home = ctx.vpc_id();
    let back_to = ctx
        .snap
        .vpc
        .cidr_blocks
        .iter()
        .find(|c| net(c).is_some_and(|n| n.contains(&source)))
        .cloned()
        .unwrap_or_else(|| source.to_string());
    let (wanted, via) = match crossing {
        Crossing::Local => return vec![local_hop(step, table, chosen, source)],
        Crossing::Peering(p) => (
            p.id.as_str(),
            format!("--vpc-peering-connection-id {}", p.id),
        ),
        Crossing::TransitGateway { id, .. } => (*id, format!("--transit-gateway-id {id}")),
        Crossing::Unknown => return Vec::new(),
    };
    let fix = |verb: &str| {
        format!(
            "aws ec2 {verb} --route-table-id {} --destination-cidr-block {back_to} {via} --region {}",
            table.id,
            ctx.region()
        )
    };
    let hop = match chosen {
        Chosen::Route(r) if r.target.as_deref() == Some(wanted) && !r.is_blackhole() => {
            PathHop::pass(
                step,
                &table.id,
                format!(
                    "{} sends the reply to {source} back through {wanted} ({})",
                    table.id,
                    r.describe()
                ),
            )
        }
        Chosen::Route(r) => PathHop::fail(
            step,
            &table.id,
            format!(
                "{} sends the reply to {source} by {}, not back through {wanted}",
                table.id,
                r.describe()
            ),
            Some(fix("replace-route")),
        ),
        Chosen::None => PathHop::fail(
            step,
            &table.id,
            format!(
                "{} in {} has no route back to {source} in {home}",
                table.id, far.vpc_id
            ),
            Some(fix("create-route")),
        ),
        Chosen::Unsure(list) => PathHop::unknown(
            step,
            &table.id,
            format!(
                "{} routes {source} only through prefix list {list}, whose ranges linkscope has not read",
                table.id
            ),
        ),
    };
    let passed = hop.status == crate::checks::finding::Status::Pass;
    let mut hops = vec![hop];
    if let (true, Crossing::TransitGateway { id, spoke }) = (passed, crossing) {
        hops.push(tgw_back(ctx, far, id, spoke, source, &back_to));
    }
    hops
}

/// The transit gateway route table of the far VPC's attachment must send the reply to
/// this VPC's attachment.
fn tgw_back(
    ctx: &Facts,
    far: &Far,
    tgw: &str,
    spoke: &TgwAttachment,
    source: IpNet,
    back_to: &str,
) -> PathHop {
    let step = Step::TransitGatewayRouteBack;
    let hub = ctx
        .snap
        .transit
        .attachments
        .iter()
        .find(|a| a.transit_gateway_id == tgw && a.attaches(far.vpc_id));
    let Some(hub) = hub else {
        return PathHop::unknown(
            step,
            tgw,
            format!(
                "{}'s attachment to {tgw} is not visible from this account, so its route table is not known",
                far.vpc_id
            ),
        );
    };
    let Some(table) = hub.route_table_id.as_deref() else {
        let text = format!(
            "{} is associated with no transit gateway route table, so {tgw} drops the replies",
            hub.id
        );
        return PathHop::fail(step, &hub.id, text, None);
    };
    tgw_route_hop(
        ctx,
        step,
        (tgw, table),
        source,
        (ctx.vpc_id(), Some(spoke)),
        back_to,
    )
}
