//! The names in scope with the path each takes (computed once per audit, from
//! [`super::resolution`]) and the verdict on it: does the name lead the workload to an
//! endpoint it can use? The DNS rules, the checklist and the DNS tab all read these.

use super::attributes::attributes_off as off;
pub use super::outcome::Outcome;
use super::resolution::{
    EndpointZone, Known, Resolver, answers_vpc_queries, endpoint_zones, vpc_resolver_addresses,
};
use crate::checks::facts::Facts;
use crate::checks::finding::Status;
use crate::checks::network::path::Reach;
use crate::model::{
    Answer, DhcpOptions, EndpointState, EndpointType, ResolutionPath, ScopedName, Snapshot, Source,
    VpcEndpoint, names_in_scope,
};

/// A name in scope, the path it takes, and the verdict.
#[derive(Debug, Clone)]
pub struct NamePath<'a> {
    /// The name and its service.
    pub scoped: ScopedName,
    /// The path.
    pub path: ResolutionPath,
    /// The VPC's available interface endpoint of the service, if any.
    pub local: Option<&'a VpcEndpoint>,
    /// True for one of the ten MWAA services.
    pub required: bool,
    /// Why the name leads where it does.
    pub outcome: Outcome,
    /// `pass`, `fail`, `warn`, `info` or `unknown`.
    pub status: Status,
    /// One sentence with the evidence.
    pub explanation: String,
    /// The way TCP 443 takes to the interfaces the name resolves to, and back (filled once
    /// every name is known).
    pub reach: Option<Reach>,
}

/// A name in scope with its path and verdict, as the faces of linkscope show it.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsName {
    /// The name queried.
    pub name: String,
    /// The private DNS name as published.
    pub published: String,
    /// The service it belongs to.
    pub service_name: String,
    /// The path it takes.
    pub path: ResolutionPath,
    /// The VPC's available interface endpoint of the service, if any.
    pub local_endpoint: Option<String>,
    /// True for one of the ten MWAA services.
    pub required: bool,
    /// The verdict.
    pub status: Status,
    /// One sentence with the evidence.
    pub explanation: String,
    /// The way to the interfaces the name resolves to, and its verdict.
    pub reach: Option<Reach>,
}

impl DnsName {
    /// The verdict the name's row shows: the DNS verdict, unless DNS holds and the way to
    /// the interfaces fails or cannot be judged.
    pub fn verdict(&self) -> Status {
        match (&self.reach, self.status) {
            (Some(reach), Status::Pass | Status::Info) if reach.status != Status::Pass => {
                reach.status
            }
            (_, status) => status,
        }
    }
}

impl From<&NamePath<'_>> for DnsName {
    fn from(path: &NamePath) -> Self {
        Self {
            name: path.scoped.name.clone(),
            published: path.scoped.published.clone(),
            service_name: path.scoped.service_name.clone(),
            path: path.path.clone(),
            local_endpoint: path.local.map(|e| e.id.clone()),
            required: path.required,
            status: path.status,
            explanation: path.explanation.clone(),
            reach: path.reach.clone(),
        }
    }
}

/// The reason a DNS input is not known, or its value.
fn known<T>(ctx: &Facts, sources: &[Source], value: T) -> Known<T> {
    match ctx.missing(sources) {
        Some(reason) => Err(reason),
        None => Ok(value),
    }
}

/// The VPC's DHCP option set (`Ok(None)`: none, so Amazon DNS), or why it is not known.
pub fn dhcp_options<'a>(ctx: &Facts<'a>) -> Known<Option<&'a DhcpOptions>> {
    let snap = ctx.snap;
    known(ctx, &[Source::DhcpOptions, Source::Vpc], ()).and_then(|()| {
        match (&snap.dns.dhcp_options, snap.vpc.dhcp_options_id.as_deref()) {
            (Some(options), _) => Ok(Some(options)),
            (None, None | Some("default")) => Ok(None),
            (None, Some(id)) => Err(format!(
                "The VPC's DHCP option set {id} was not returned by ec2:DescribeDhcpOptions (in a shared VPC, only its owner can read it)."
            )),
        }
    })
}

/// The resolver of the snapshot: what each input says, or why it is not known.
fn resolver<'a>(ctx: &Facts<'a>, names: &[ScopedName]) -> Resolver<'a> {
    let snap = ctx.snap;
    let dhcp = dhcp_options(ctx);
    let published = |service: &str| -> Vec<String> {
        names
            .iter()
            .filter(|n| n.service_name == service)
            .map(|n| n.published.clone())
            .collect()
    };
    let attributes = (snap.vpc.enable_dns_support, snap.vpc.enable_dns_hostnames);
    let endpoint_zones: Known<Vec<EndpointZone>> = match attributes {
        (Some(true), Some(true)) => known(
            ctx,
            &[Source::VpcEndpoints],
            endpoint_zones(&snap.endpoints, &snap.endpoint_enis, published),
        ),
        (Some(false), _) | (_, Some(false)) => Ok(Vec::new()),
        _ => Err(ctx
            .missing(&[Source::VpcAttributes])
            .unwrap_or_else(|| "The VPC's DNS attributes were not read.".into())),
    };
    Resolver {
        dhcp,
        vpc_resolver: vpc_resolver_addresses(&snap.vpc.cidr_blocks),
        rules: known(
            ctx,
            &[Source::ResolverRules],
            snap.dns.resolver_rules.as_slice(),
        ),
        zones: known(
            ctx,
            &[Source::HostedZones],
            snap.dns.hosted_zones.as_slice(),
        ),
        records: known(ctx, &[Source::RecordSets], snap.dns.records.as_slice()),
        endpoint_zones,
    }
}

/// The names in scope of a snapshot, each with its path and verdict.
pub fn name_paths<'a>(ctx: &Facts<'a>) -> Vec<NamePath<'a>> {
    let snap: &'a Snapshot = ctx.snap;
    let names = names_in_scope(
        &snap.region,
        snap.vpc.owner_id.as_deref(),
        &snap.endpoints,
        &snap.dns.services,
    );
    let resolver = resolver(ctx, &names);
    names
        .into_iter()
        .map(|scoped| {
            let path = resolver.resolve(&scoped.name);
            // Of several available endpoints of the service, the one with private DNS on.
            let local = snap
                .endpoints
                .iter()
                .filter(|e| {
                    e.service_name == scoped.service_name
                        && e.endpoint_type == EndpointType::Interface
                        && e.state == EndpointState::Available
                })
                .max_by_key(|e| answers_vpc_queries(e));
            let required = ctx.is_mwaa_service_name(&scoped.service_name);
            let (outcome, status, explanation) =
                judge(ctx, &resolver, &scoped, &path, local, required);
            NamePath {
                scoped,
                path,
                local,
                required,
                outcome,
                status,
                explanation,
                reach: None,
            }
        })
        .collect()
}

fn severity_status(required: bool) -> Status {
    if required { Status::Fail } else { Status::Warn }
}

/// The VPC's DNS attributes: `Some(true)` when both are on, `Some(false)` when one is off.
fn attributes_on(ctx: &Facts) -> Option<bool> {
    let vpc = &ctx.snap.vpc;
    match (vpc.enable_dns_support, vpc.enable_dns_hostnames) {
        (Some(true), Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    }
}

/// The verdict on one path.
fn judge(
    ctx: &Facts,
    resolver: &Resolver,
    scoped: &ScopedName,
    path: &ResolutionPath,
    local: Option<&VpcEndpoint>,
    required: bool,
) -> (Outcome, Status, String) {
    let name = &scoped.name;
    // The local endpoint whose private zone answers the VPC, or would if the attributes were on.
    let answering = local.filter(|e| answers_vpc_queries(e));
    let live = answering.filter(|_| attributes_on(ctx) == Some(true));
    match &path.answer {
        Answer::EndpointIps { endpoint_id, ips } => {
            let ips: Vec<String> = ips.iter().map(|(az, ip)| format!("{ip} ({az})")).collect();
            (
                Outcome::Local,
                Status::Pass,
                format!(
                    "{name} resolves to {endpoint_id}'s interfaces {}.",
                    ips.join(", ")
                ),
            )
        }
        Answer::Record {
            zone_id,
            targets,
            alias,
            ..
        } => match live {
            Some(endpoint) => (
                Outcome::ShadowedByZone {
                    zone_id: zone_id.clone(),
                },
                Status::Warn,
                format!(
                    "Private hosted zone {zone_id} answers {name} with {}, so traffic goes there, not to {}'s private DNS.",
                    targets.join(", "),
                    endpoint.id
                ),
            ),
            None => {
                let record = Record {
                    name,
                    zone_id,
                    targets,
                    alias: *alias,
                };
                record_verdict(ctx, resolver, scoped, &record, required)
            }
        },
        Answer::Nxdomain { zone_id } => (
            Outcome::Nxdomain {
                zone_id: zone_id.clone(),
            },
            severity_status(required),
            format!(
                "{name} is in private hosted zone {zone_id}, which holds no record for it: the VPC gets NXDOMAIN (Route 53 does not fall through to public DNS)."
            ),
        ),
        Answer::Forwarded { rule_id, targets } => match (live, answering) {
            // The endpoint's zone was a candidate and lost: the rule is at least as specific.
            (Some(endpoint), _) => (
                Outcome::Overridden {
                    rule_id: rule_id.clone(),
                },
                severity_status(required),
                format!(
                    "Resolver rule {rule_id} forwards {name} to {}, so {}'s private DNS is not used.",
                    targets.join(", "),
                    endpoint.id
                ),
            ),
            (None, Some(endpoint)) if attributes_on(ctx) == Some(false) => {
                attributes_off(ctx, endpoint, name, required)
            }
            _ => (
                Outcome::Forwarded {
                    rule_id: rule_id.clone(),
                },
                Status::Unknown,
                format!(
                    "{name} is answered by the resolvers at {} through {rule_id}; verify there, or run `linkscope probe` inside the VPC.",
                    targets.join(", ")
                ),
            ),
        },
        Answer::CustomDns { servers } => (
            Outcome::CustomDns,
            Status::Unknown,
            format!(
                "The VPC's DHCP option set gives instances the DNS servers {}; linkscope cannot see what they answer for {name}. Verify there, or run `linkscope probe` inside the VPC.",
                servers.join(", ")
            ),
        ),
        Answer::Public => public_verdict(ctx, scoped, answering, local, required),
        Answer::Unknown { reason } => (Outcome::Unknown, Status::Unknown, reason.clone()),
    }
}

/// The endpoint has private DNS on, but a VPC DNS attribute is off: its zone does not exist.
fn attributes_off(
    ctx: &Facts,
    endpoint: &VpcEndpoint,
    name: &str,
    required: bool,
) -> (Outcome, Status, String) {
    (
        Outcome::AttributesOff,
        severity_status(required),
        format!(
            "{} has private DNS on, but the VPC's {} is off, so its private zone does not exist and {name} does not resolve to it.",
            endpoint.id,
            off(&ctx.snap.vpc).join(" and ")
        ),
    )
}

/// A record a private hosted zone answers a name with.
struct Record<'r> {
    name: &'r str,
    zone_id: &'r str,
    targets: &'r [String],
    alias: bool,
}

/// Where a CNAME's target leads, since the VPC resolver looks it up again (an alias is
/// resolved inside Route 53): `None` when it reaches public DNS or an endpoint's IPs, else
/// the verdict that stops there.
fn chase(
    resolver: &Resolver,
    record: &Record,
    required: bool,
) -> Option<(Outcome, Status, String)> {
    if record.alias {
        return None;
    }
    let Record { name, zone_id, .. } = record;
    record.targets.iter().find_map(|target| {
        let path = resolver.resolve(target);
        match path.answer {
            Answer::Public | Answer::EndpointIps { .. } => None,
            Answer::Nxdomain { zone_id: other } => Some((
                Outcome::Unverifiable,
                severity_status(required),
                format!(
                    "Private hosted zone {zone_id} answers {name} with the CNAME {target}, which private hosted zone {other} answers with NXDOMAIN."
                ),
            )),
            Answer::Forwarded { rule_id, targets } => Some((
                Outcome::Unverifiable,
                Status::Unknown,
                format!(
                    "Private hosted zone {zone_id} answers {name} with the CNAME {target}, which Resolver rule {rule_id} forwards to {}; verify there, or run `linkscope probe` inside the VPC.",
                    targets.join(", ")
                ),
            )),
            Answer::Unknown { reason } => Some((Outcome::Unverifiable, Status::Unknown, reason)),
            Answer::Record { .. } | Answer::CustomDns { .. } => Some((
                Outcome::Unverifiable,
                Status::Unknown,
                format!(
                    "Private hosted zone {zone_id} answers {name} with the CNAME {target}, which leads to further records linkscope does not follow."
                ),
            )),
        }
    })
}

/// A private zone's record, with no local endpoint at stake: the endpoint it points at (in
/// any VPC this account can describe, this one included), or something linkscope cannot
/// trace. Centralised endpoints pass or are `unknown`, never `fail`, unless the record points
/// at an endpoint of another service.
fn record_verdict(
    ctx: &Facts,
    resolver: &Resolver,
    scoped: &ScopedName,
    record: &Record,
    required: bool,
) -> (Outcome, Status, String) {
    let Record { name, zone_id, .. } = record;
    let shown = record.targets.join(", ");
    if let Some(stop) = chase(resolver, record, required) {
        return stop;
    }
    let target = record.targets.iter().find_map(|target| {
        ctx.snap
            .dns
            .hub_endpoints
            .iter()
            .chain(&ctx.snap.endpoints)
            .find(|e| {
                e.dns_entries
                    .iter()
                    .any(|d| d.dns_name.eq_ignore_ascii_case(target))
            })
    });
    match target {
        Some(hub) if hub.service_name != scoped.service_name => (
            Outcome::Unverifiable,
            severity_status(required),
            format!(
                "Private hosted zone {zone_id} answers {name} with {shown}: the endpoint {} in {} is for {}, not {}.",
                hub.id, hub.vpc_id, hub.service_name, scoped.service_name
            ),
        ),
        Some(hub) if hub.state == EndpointState::Available => (
            Outcome::Hub {
                zone_id: zone_id.to_string(),
                endpoint_id: hub.id.clone(),
                vpc_id: hub.vpc_id.clone(),
            },
            Status::Pass,
            format!(
                "Private hosted zone {zone_id} answers {name} with {shown}: the endpoint {} in {}, which is available.",
                hub.id, hub.vpc_id
            ),
        ),
        Some(hub) => (
            Outcome::Unverifiable,
            Status::Unknown,
            format!(
                "Private hosted zone {zone_id} answers {name} with {shown}: the endpoint {} in {}, which is {}; traffic fails unless it becomes available.",
                hub.id, hub.vpc_id, hub.state
            ),
        ),
        None => {
            let reason = match ctx.missing(&[Source::HubEndpoints]) {
                Some(reason) => reason,
                None => "linkscope cannot see that target from this account (another account's endpoint, or not an endpoint)".into(),
            };
            (
                Outcome::Unverifiable,
                Status::Unknown,
                format!(
                    "Private hosted zone {zone_id} answers {name} with {shown}; {}",
                    reason.trim_end_matches('.').to_string() + "."
                ),
            )
        }
    }
}

/// Public DNS answers: right for S3 where the gateway endpoint routes every workload subnet,
/// else the endpoint's private DNS is not in effect or there is no endpoint.
fn public_verdict(
    ctx: &Facts,
    scoped: &ScopedName,
    answering: Option<&VpcEndpoint>,
    local: Option<&VpcEndpoint>,
    required: bool,
) -> (Outcome, Status, String) {
    let name = &scoped.name;
    if scoped.service_name == ctx.service_name("s3") {
        return gateway_verdict(ctx, name, required);
    }
    match (answering, local) {
        (Some(endpoint), _) if attributes_on(ctx) == Some(false) => {
            attributes_off(ctx, endpoint, name, required)
        }
        (Some(endpoint), _) => (
            Outcome::Unknown,
            Status::Unknown,
            format!(
                "{} has private DNS on, but none of its names covers {name}, which public DNS answers.",
                endpoint.id
            ),
        ),
        (None, Some(endpoint)) => (
            Outcome::PrivateDnsOff,
            severity_status(required),
            format!(
                "{} has private DNS off, so {name} resolves to public IPs.",
                endpoint.id
            ),
        ),
        (None, None) if required && !ctx.private_routing() => (
            Outcome::NoEndpoint,
            Status::Info,
            format!(
                "{name} resolves to public IPs (no endpoint); the workload routes to the internet."
            ),
        ),
        (None, None) => (
            Outcome::NoEndpoint,
            severity_status(required),
            format!("No endpoint of the VPC answers {name}: it resolves to public IPs."),
        ),
    }
}

/// S3's public names reach S3 privately where the gateway endpoint routes the subnet: the
/// S3 path of each workload subnet (`Ctx::s3_path`) decides.
fn gateway_verdict(ctx: &Facts, name: &str, required: bool) -> (Outcome, Status, String) {
    if let Some(reason) = ctx.missing(&[Source::RouteTables]) {
        return (Outcome::Unknown, Status::Unknown, reason);
    }
    let unrouted: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .filter(|s| !ctx.s3_path(&s.id).is_routed())
        .map(|s| s.id.as_str())
        .collect();
    if unrouted.is_empty() {
        (
            Outcome::Gateway,
            Status::Pass,
            format!(
                "{name} resolves to public S3 addresses, which the S3 gateway endpoint's routes carry privately."
            ),
        )
    } else {
        (
            Outcome::NoEndpoint,
            severity_status(required),
            format!(
                "{name} resolves to public S3 addresses, and no S3 gateway endpoint route carries them from {} (see the S3 route rows).",
                unrouted.join(", ")
            ),
        )
    }
}
