//! Facts derived once from a snapshot, before any name is followed: the workload, effective
//! route tables and network ACLs, the S3 prefix list, service ownership, lookups by id. The
//! DNS and network paths are judged over these ([`super::context::Ctx`] adds them).

use super::finding::Subject;
use super::net::{IpNet, net, nets};
use crate::model::{
    EndpointEni, EndpointState, EndpointType, FetchError, FetchStatus, NetworkAcl, PrefixList,
    RouteTable, SecurityGroup, ServiceOwner, Snapshot, Source, Subnet, TargetKind, VpcEndpoint,
    WorkloadOrigin,
};

/// The ten services MWAA needs with private routing (*Creating the required VPC service
/// endpoints in an Amazon VPC with private routing › (Required) VPC endpoints*).
pub use crate::model::MWAA_SERVICES as MWAA_SUFFIXES;

/// The subnets and security groups whose traffic the audit follows.
pub struct Workload<'a> {
    /// The workload's subnets.
    pub subnets: Vec<&'a Subnet>,
    /// The workload's security groups (only ever named, never assumed).
    pub security_group_ids: Vec<&'a str>,
    /// Where the workload's traffic comes from: its subnets' CIDRs, or the VPC CIDR when assumed.
    pub source_cidrs: Vec<IpNet>,
    /// One sentence for reports.
    pub description: String,
    /// True when no workload was named and every private subnet is assumed.
    pub assumed: bool,
}

/// The reason a rule about the environment gives when there is none.
pub const NO_ENVIRONMENT: &str = "No MWAA environment was named (--mwaa-env); not applicable.";

/// A snapshot with the facts every judgement shares.
pub struct Facts<'a> {
    /// The snapshot under audit.
    pub snap: &'a Snapshot,
    /// The workload the audit follows.
    pub workload: Workload<'a>,
}

impl<'a> Facts<'a> {
    /// Derives the shared facts of `snap`.
    pub fn new(snap: &'a Snapshot) -> Self {
        Facts {
            snap,
            workload: resolve_workload(snap),
        }
    }
}

/// The workload: the one named, else every private subnet of the VPC.
fn resolve_workload(snap: &Snapshot) -> Workload<'_> {
    let lookup = Facts {
        snap,
        workload: Workload {
            subnets: vec![],
            security_group_ids: vec![],
            source_cidrs: vec![],
            description: String::new(),
            assumed: false,
        },
    };
    lookup.named_or_assumed()
}

impl<'a> Facts<'a> {
    fn named_or_assumed(&self) -> Workload<'a> {
        let snap = self.snap;
        let named = &snap.workload;
        let security_group_ids: Vec<&str> = named
            .security_group_ids
            .iter()
            .map(String::as_str)
            .collect();
        if named.origin != WorkloadOrigin::Unspecified && !named.subnet_ids.is_empty() {
            let subnets: Vec<&Subnet> = named
                .subnet_ids
                .iter()
                .filter_map(|id| self.subnet(id))
                .collect();
            let from = match named.origin {
                WorkloadOrigin::Environment => format!(
                    "the subnets and security groups of MWAA environment {}",
                    snap.environment.as_ref().map_or("?", |e| e.name.as_str())
                ),
                _ => "the subnets and security groups given with --subnets/--security-groups"
                    .to_string(),
            };
            return Workload {
                source_cidrs: subnets
                    .iter()
                    .filter_map(|s| s.cidr_block.as_deref().and_then(net))
                    .collect(),
                subnets,
                security_group_ids,
                description: format!("Workload: {from}."),
                assumed: false,
            };
        }
        let subnets: Vec<&Subnet> = snap
            .subnets
            .iter()
            .filter(|s| !self.has_internet_route(&s.id))
            .collect();
        Workload {
            subnets,
            security_group_ids,
            assumed: true,
            source_cidrs: nets(&snap.vpc.cidr_blocks),
            description: format!(
                "Workload assumed: every private subnet of {} (no 0.0.0.0/0 route to an internet gateway), with the VPC CIDR {} as the traffic source. Name it with --mwaa-env or --subnets/--security-groups for a precise audit.",
                snap.vpc.id,
                snap.vpc.cidr_blocks.join(", ")
            ),
        }
    }

    /// The account that owns the workload's subnets when it is not the caller's: a VPC shared with
    /// the caller, whose owner's endpoints the caller cannot see (*Access an AWS service using an
    /// interface VPC endpoint › Shared subnets*). `None` when they are the caller's, or when the
    /// caller's account is not known.
    pub fn shared_owner(&self) -> Option<&'a str> {
        let caller = self.snap.caller_account.as_deref()?;
        let subnets: Vec<&Subnet> = match self.workload.subnets.is_empty() {
            true => self.snap.subnets.iter().collect(),
            false => self.workload.subnets.clone(),
        };
        subnets
            .into_iter()
            .filter_map(|s| s.owner_id.as_deref())
            .chain(self.snap.vpc.owner_id.as_deref())
            .find(|owner| *owner != caller)
    }

    /// The fetch error of a source, if it failed.
    pub fn failed(&self, source: Source) -> Option<&'a FetchError> {
        self.snap
            .failed_sources()
            .find(|(s, _)| *s == source)
            .map(|(_, e)| e)
    }

    /// A one-line reason for `unknown` findings when any of `sources` failed, or is not in
    /// the snapshot at all (one from before linkscope collected it).
    pub fn missing(&self, sources: &[Source]) -> Option<String> {
        sources.iter().find_map(|s| match self.snap.sources.get(s) {
            Some(FetchStatus::Ok) => None,
            Some(FetchStatus::Error(e)) => {
                Some(format!("Not evaluated: {} failed ({e}).", s.api()))
            }
            None => Some(format!(
                "Not evaluated: {} was not collected (a snapshot from an older linkscope).",
                s.api()
            )),
        })
    }

    /// The VPC as a finding's subject.
    pub fn vpc(&self) -> Subject {
        Subject::vpc(&self.snap.vpc.id)
    }

    /// The Region of the snapshot.
    pub fn region(&self) -> &'a str {
        &self.snap.region
    }

    /// The VPC id.
    pub fn vpc_id(&self) -> &'a str {
        &self.snap.vpc.id
    }

    /// A subnet of the VPC by id.
    pub fn subnet(&self, id: &str) -> Option<&'a Subnet> {
        self.snap.subnets.iter().find(|s| s.id == id)
    }

    /// A security group by id.
    pub fn group(&self, id: &str) -> Option<&'a SecurityGroup> {
        self.snap.security_groups.iter().find(|g| g.id == id)
    }

    /// The network interfaces of an endpoint that DescribeNetworkInterfaces returned.
    pub fn enis_of(&self, endpoint: &'a VpcEndpoint) -> impl Iterator<Item = &'a EndpointEni> {
        self.snap.enis_of(endpoint)
    }

    /// `com.amazonaws.<region>.<suffix>`.
    pub fn service_name(&self, suffix: &str) -> String {
        format!("com.amazonaws.{}.{suffix}", self.snap.region)
    }

    /// The public Regional name of an AWS service, e.g. `dkr.ecr.us-east-1.amazonaws.com` for `ecr.dkr`.
    pub fn public_hostname(&self, suffix: &str) -> String {
        let labels: Vec<&str> = suffix.rsplit('.').collect();
        format!("{}.{}.amazonaws.com", labels.join("."), self.snap.region)
    }

    /// Who provides an endpoint's service (the one classifier, [`ServiceOwner::classify`]).
    pub fn service_owner(&self, endpoint: &VpcEndpoint) -> ServiceOwner {
        ServiceOwner::classify(
            &endpoint.service_name,
            None,
            self.snap.vpc.owner_id.as_deref(),
        )
    }

    /// True for the ten services MWAA needs.
    pub fn is_mwaa_service(&self, endpoint: &VpcEndpoint) -> bool {
        self.is_mwaa_service_name(&endpoint.service_name)
    }

    /// True for the service names of the ten services MWAA needs.
    pub fn is_mwaa_service_name(&self, service_name: &str) -> bool {
        MWAA_SUFFIXES
            .iter()
            .any(|suffix| service_name == self.service_name(suffix))
    }

    /// The route table a subnet uses: its explicit association, else the VPC's main table.
    pub fn effective_route_table(&self, subnet_id: &str) -> Option<&'a RouteTable> {
        let tables = &self.snap.route_tables;
        tables
            .iter()
            .find(|t| {
                t.associations
                    .iter()
                    .any(|a| a.subnet_id.as_deref() == Some(subnet_id))
            })
            .or_else(|| tables.iter().find(|t| t.is_main()))
    }

    /// True when the subnet's effective route table sends 0.0.0.0/0 to one of `kinds`.
    fn default_route_to(&self, subnet_id: &str, kinds: &[TargetKind]) -> bool {
        self.effective_route_table(subnet_id).is_some_and(|t| {
            t.routes
                .iter()
                .any(|r| r.is_ipv4_default() && kinds.contains(&r.target_kind()))
        })
    }

    /// True when the subnet's effective route table sends 0.0.0.0/0 to an internet gateway.
    pub fn has_internet_route(&self, subnet_id: &str) -> bool {
        self.default_route_to(subnet_id, &[TargetKind::InternetGateway])
    }

    /// The network ACL associated with a subnet.
    pub fn nacl_for(&self, subnet_id: &str) -> Option<&'a NetworkAcl> {
        let acls = &self.snap.network_acls;
        acls.iter()
            .find(|a| a.associations.iter().any(|s| s.subnet_id == subnet_id))
            .or_else(|| acls.iter().find(|a| a.is_default))
    }

    /// The region's S3 prefix list (`com.amazonaws.<region>.s3`).
    pub fn s3_prefix_list(&self) -> Option<&'a PrefixList> {
        let name = self.service_name("s3");
        self.snap.prefix_lists.iter().find(|p| p.name == name)
    }

    /// The CIDRs of the S3 prefix list (empty when it is not known).
    pub fn s3_cidrs(&self) -> Vec<IpNet> {
        self.s3_prefix_list()
            .map(|l| nets(&l.cidrs))
            .unwrap_or_default()
    }

    /// Endpoints of one AWS service in the VPC.
    pub fn endpoints_for(&self, suffix: &str) -> impl Iterator<Item = &'a VpcEndpoint> + use<'a> {
        let name = self.service_name(suffix);
        self.snap
            .endpoints
            .iter()
            .filter(move |e| e.service_name == name)
    }

    /// Available interface endpoints: the ones that carry traffic.
    pub fn available_interfaces(&self) -> impl Iterator<Item = &'a VpcEndpoint> + use<'a> {
        self.snap.endpoints.iter().filter(|e| {
            e.endpoint_type == EndpointType::Interface && e.state == EndpointState::Available
        })
    }

    /// Ids of every gateway endpoint in the VPC, whatever its service or state.
    pub fn gateway_endpoint_ids(&self) -> Vec<String> {
        self.snap
            .endpoints
            .iter()
            .filter(|e| e.endpoint_type == EndpointType::Gateway)
            .map(|e| e.id.clone())
            .collect()
    }

    /// Available S3 gateway endpoints.
    pub fn s3_gateways(&self) -> Vec<&'a VpcEndpoint> {
        self.endpoints_for("s3")
            .filter(|e| {
                e.endpoint_type == EndpointType::Gateway && e.state == EndpointState::Available
            })
            .collect()
    }

    /// True when the workload has no route to the internet: MWAA private routing (*About
    /// networking on Amazon MWAA › Terms*).
    pub fn private_routing(&self) -> bool {
        !self.workload.subnets.iter().any(|s| {
            self.default_route_to(
                &s.id,
                &[TargetKind::InternetGateway, TargetKind::NatGateway],
            )
        })
    }

    /// Distinct availability zones of the workload subnets, sorted.
    pub fn workload_azs(&self) -> Vec<&'a str> {
        let mut azs: Vec<&str> = self
            .workload
            .subnets
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        azs.sort();
        azs.dedup();
        azs
    }

    /// Distinct availability zones of an endpoint's subnets, sorted.
    pub fn endpoint_azs(&self, endpoint: &VpcEndpoint) -> Vec<&'a str> {
        let mut azs: Vec<&str> = endpoint
            .subnet_ids
            .iter()
            .filter_map(|id| self.subnet(id))
            .map(|s| s.availability_zone.as_str())
            .collect();
        azs.sort();
        azs.dedup();
        azs
    }
}
