//! Lookups the panes make on every frame, built once per snapshot: on a big VPC, hashing
//! thousands of ids on every frame cost more than drawing it.

use std::collections::HashMap;

use crate::checks::{PolicyClass, policy_class};
use crate::model::{MetricName, MetricSeries, Snapshot, VpcEndpoint};

/// Where the snapshot holds an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In the VPC (`Snapshot::endpoints`).
    Here,
    /// In another VPC, behind a private zone's record (`Dns::hub_endpoints`).
    Hub,
    /// In another VPC of the account, for a service this VPC lacks
    /// (`Snapshot::endpoints_elsewhere`).
    Elsewhere,
}

impl Place {
    /// The endpoints of `snapshot` held at this place.
    fn list(self, snapshot: &Snapshot) -> &[VpcEndpoint] {
        match self {
            Place::Here => &snapshot.endpoints,
            Place::Hub => &snapshot.dns.hub_endpoints,
            Place::Elsewhere => &snapshot.endpoints_elsewhere,
        }
    }
}

/// Positions in the snapshot by id, and each endpoint's policy class as the checks judge it.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every endpoint the snapshot holds, in this VPC first, then in others, each id once.
    endpoints: HashMap<String, (Place, usize)>,
    /// The ids of `endpoints`, in that order.
    endpoint_ids: Vec<String>,
    /// Series positions per endpoint, in [`MetricName::ALL`] order.
    series: HashMap<String, [Option<usize>; MetricName::ALL.len()]>,
    policy_classes: HashMap<String, PolicyClass>,
}

impl Index {
    /// Builds the lookups of `snapshot`.
    pub fn new(snapshot: &Snapshot) -> Self {
        let mut series: HashMap<String, [Option<usize>; MetricName::ALL.len()]> = HashMap::new();
        for (i, s) in snapshot.metrics.series.iter().enumerate() {
            series.entry(s.endpoint_id.clone()).or_default()[s.metric as usize] = Some(i);
        }
        let mut endpoints = HashMap::new();
        let mut endpoint_ids = Vec::new();
        let mut policy_classes = HashMap::new();
        for place in [Place::Here, Place::Hub, Place::Elsewhere] {
            for (i, e) in place.list(snapshot).iter().enumerate() {
                if !endpoints.contains_key(&e.id) {
                    endpoints.insert(e.id.clone(), (place, i));
                    endpoint_ids.push(e.id.clone());
                    policy_classes.insert(e.id.clone(), policy_class(e));
                }
            }
        }
        Self {
            endpoints,
            endpoint_ids,
            series,
            policy_classes,
        }
    }

    /// An endpoint by id, in this VPC or another.
    pub fn endpoint<'s>(&self, snapshot: &'s Snapshot, id: &str) -> Option<&'s VpcEndpoint> {
        let (place, i) = self.endpoints.get(id)?;
        place.list(snapshot).get(*i)
    }

    /// Where the snapshot holds an endpoint.
    pub fn place(&self, id: &str) -> Option<Place> {
        self.endpoints.get(id).map(|(place, _)| *place)
    }

    /// Every endpoint's id, in this VPC first, then in other VPCs.
    pub fn endpoint_ids(&self) -> &[String] {
        &self.endpoint_ids
    }

    /// The series of one metric of one endpoint.
    pub fn series<'s>(
        &self,
        snapshot: &'s Snapshot,
        endpoint_id: &str,
        metric: MetricName,
    ) -> Option<&'s MetricSeries> {
        let position = self.series.get(endpoint_id)?[metric as usize]?;
        snapshot.metrics.series.get(position)
    }

    /// An endpoint's policy class.
    pub fn policy_class(&self, endpoint_id: &str) -> PolicyClass {
        self.policy_classes
            .get(endpoint_id)
            .copied()
            .unwrap_or(PolicyClass::None)
    }
}
