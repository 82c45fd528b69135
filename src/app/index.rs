//! Lookups the panes make on every frame, built once per snapshot: on a big VPC, hashing
//! thousands of ids on every frame cost more than drawing it.

use std::collections::HashMap;

use crate::checks::Audit;
use crate::model::{MetricName, MetricSeries, Snapshot, VpcEndpoint};

/// Positions in the snapshot by id, and the policy class the audit gave each endpoint.
#[derive(Debug, Clone, Default)]
pub struct Index {
    endpoints: HashMap<String, usize>,
    /// Series positions per endpoint, in [`MetricName::ALL`] order.
    series: HashMap<String, [Option<usize>; MetricName::ALL.len()]>,
    policy_classes: HashMap<String, &'static str>,
}

impl Index {
    pub fn new(snapshot: &Snapshot, audit: &Audit) -> Self {
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
            policy_classes: audit
                .findings
                .iter()
                .filter_map(|f| match f.id.as_str() {
                    "vpce-policy-classify" => Some((f, "custom")),
                    "vpce-policy-invalid" => Some((f, "invalid")),
                    _ => None,
                })
                .flat_map(|(f, class)| f.resources.iter().map(move |r| (r.clone(), class)))
                .collect(),
        }
    }

    pub fn endpoint<'s>(&self, snapshot: &'s Snapshot, id: &str) -> Option<&'s VpcEndpoint> {
        snapshot.endpoints.get(*self.endpoints.get(id)?)
    }

    pub fn series<'s>(
        &self,
        snapshot: &'s Snapshot,
        endpoint_id: &str,
        metric: MetricName,
    ) -> Option<&'s MetricSeries> {
        let position = self.series.get(endpoint_id)?[metric as usize]?;
        snapshot.metrics.series.get(position)
    }

    /// `custom` or `invalid` for endpoints whose policy is not full access.
    pub fn policy_class(&self, endpoint_id: &str) -> Option<&'static str> {
        self.policy_classes.get(endpoint_id).copied()
    }
}
