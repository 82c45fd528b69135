//! Lookups the panes make on every frame, built once per snapshot: on a big VPC, hashing
//! thousands of ids on every frame cost more than drawing it.

use std::collections::HashMap;

use crate::checks::{PolicyClass, policy_class};
use crate::model::{MetricName, MetricSeries, Snapshot, VpcEndpoint};

/// Positions in the snapshot by id, and each endpoint's policy class as the checks judge it.
#[derive(Debug, Clone, Default)]
pub struct Index {
    endpoints: HashMap<String, usize>,
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
        Self {
            endpoints: snapshot
                .endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect(),
            series,
            policy_classes: snapshot
                .endpoints
                .iter()
                .map(|e| (e.id.clone(), policy_class(e)))
                .collect(),
        }
    }

    /// An endpoint by id.
    pub fn endpoint<'s>(&self, snapshot: &'s Snapshot, id: &str) -> Option<&'s VpcEndpoint> {
        snapshot.endpoints.get(*self.endpoints.get(id)?)
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
