//! The context every rule runs in: the shared [`Facts`] of the snapshot, and each name in scope
//! with the path it takes, its verdict, and the way its packets take (judged over the facts).

use std::ops::Deref;

use super::dns::names::{NamePath, name_paths};
use super::dns::outcome::Outcome;
pub use super::facts::{Facts, MWAA_SUFFIXES};
use super::finding::Severity;
use super::network::path::reach;
use crate::model::{EndpointState, HostedZone, Snapshot, VpcEndpoint};

/// The facts of a snapshot with every name in scope followed.
pub struct Ctx<'a> {
    /// The shared facts.
    pub facts: Facts<'a>,
    /// The names in scope of the DNS path, each with its path, its verdict and its way.
    pub names: Vec<NamePath<'a>>,
}

impl<'a> Deref for Ctx<'a> {
    type Target = Facts<'a>;

    fn deref(&self) -> &Facts<'a> {
        &self.facts
    }
}

impl<'a> Ctx<'a> {
    /// Derives the facts of `snap`, then follows every name in scope and its packets.
    pub fn new(snap: &'a Snapshot) -> Self {
        let facts = Facts::new(snap);
        let mut names = name_paths(&facts);
        for name in &mut names {
            name.reach = reach(&facts, &name.outcome, name.local);
        }
        Ctx { facts, names }
    }

    /// The name path of a service's private DNS name, if it is in scope.
    pub fn name_path(&self, service_name: &str) -> Option<&NamePath<'a>> {
        self.names
            .iter()
            .find(|n| n.scoped.service_name == service_name)
    }

    /// The private hosted zone associated with the VPC whose domain is a service's private DNS
    /// name (less a wildcard): AWS refuses private DNS on an endpoint of the service in the
    /// VPC while that zone is associated (the domains conflict).
    pub fn zone_holding(&self, service_name: &str) -> Option<&'a HostedZone> {
        let path = self.name_path(service_name)?;
        let domain = path.scoped.published.trim_start_matches("*.");
        self.snap
            .dns
            .hosted_zones
            .iter()
            .find(|z| z.name.trim_end_matches('.').eq_ignore_ascii_case(domain))
    }

    /// The S3 interface endpoint that carries S3 traffic without a gateway: one the S3 names
    /// resolve to, by its private DNS or a private hosted zone (in this VPC or a hub's). An
    /// interface endpoint without either leaves S3 names on public addresses that no route
    /// carries, so it does not count.
    pub fn s3_interface(&self) -> Option<&'a VpcEndpoint> {
        let service = self.service_name("s3");
        let reached: Vec<&str> = self
            .names
            .iter()
            .filter(|n| n.scoped.service_name == service)
            .filter_map(|n| match &n.outcome {
                Outcome::Local => n.local.map(|e| e.id.as_str()),
                Outcome::Hub { endpoint_id, .. } => Some(endpoint_id.as_str()),
                _ => None,
            })
            .collect();
        self.available_interfaces()
            .chain(self.snap.dns.hub_endpoints.iter())
            .filter(|e| e.service_name == service && e.state == EndpointState::Available)
            .find(|e| reached.contains(&e.id.as_str()))
    }

    /// How severe the lack of an S3 gateway is: a warning when an interface endpoint the S3
    /// names resolve to carries S3, else an error.
    pub fn no_gateway_severity(&self) -> Severity {
        if self.s3_interface().is_some() {
            Severity::Warn
        } else {
            Severity::Error
        }
    }
}
