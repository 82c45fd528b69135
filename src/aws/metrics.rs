//! `AWS/PrivateLinkEndpoints` series for every endpoint, in as few `GetMetricData` calls as possible.

use std::collections::HashMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::error::fetch_error;
use super::limit::{RateLimit, paced};
use crate::model::{
    EndpointType, FetchError, MetricName, MetricSeries, Metrics, VpcEndpoint, endpoint_dimensions,
};

/// GetMetricData accepts at most 500 queries per call.
const QUERIES_PER_CALL: usize = 500;
/// PrivateLink publishes one-minute data.
pub(super) const PERIOD_SECONDS: i32 = 60;
const NAMESPACE: &str = "AWS/PrivateLinkEndpoints";

/// Metrics are published for interface and Gateway Load Balancer endpoints, not gateway ones.
fn publishes_metrics(endpoint: &VpcEndpoint) -> bool {
    matches!(
        endpoint.endpoint_type,
        EndpointType::Interface | EndpointType::GatewayLoadBalancer
    )
}

fn query(id: String, endpoint: &VpcEndpoint, metric: MetricName) -> MetricDataQuery {
    let dimensions = endpoint_dimensions(endpoint)
        .into_iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build());
    let metric_id = Metric::builder()
        .namespace(NAMESPACE)
        .metric_name(metric.as_str())
        .set_dimensions(Some(dimensions.collect()))
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric_id)
                .period(PERIOD_SECONDS)
                .stat(metric.statistic())
                .build(),
        )
        .return_data(true)
        .build()
}

/// Fetches all five metrics for every endpoint that publishes them over `[start, end)`.
pub(super) async fn fetch(
    client: &Client,
    (limit, rate): (&Arc<Semaphore>, Option<&Arc<RateLimit>>),
    endpoints: &[VpcEndpoint],
    start: i64,
    end: i64,
) -> Result<Vec<MetricSeries>, FetchError> {
    let mut wanted = Vec::new();
    let mut queries = Vec::new();
    for endpoint in endpoints.iter().filter(|e| publishes_metrics(e)) {
        for metric in MetricName::ALL {
            let id = format!("m{}", wanted.len());
            queries.push(query(id.clone(), endpoint, metric));
            wanted.push((id, endpoint.id.clone(), metric));
        }
    }
    let mut calls = JoinSet::new();
    for chunk in queries.chunks(QUERIES_PER_CALL) {
        let (client, limit, chunk) = (client.clone(), limit.clone(), chunk.to_vec());
        let rate = rate.cloned();
        calls.spawn(async move {
            let request = call(client, chunk, start, end);
            paced(&limit, rate.as_deref(), request).await
        });
    }
    let mut points: HashMap<String, Vec<(i64, f64)>> = HashMap::new();
    while let Some(joined) = calls.join_next().await {
        let results = joined.map_err(|e| FetchError {
            code: None,
            message: e.to_string(),
        })??;
        for (id, mut values) in results {
            points.entry(id).or_default().append(&mut values);
        }
    }
    Ok(wanted
        .into_iter()
        .map(|(id, endpoint_id, metric)| {
            let mut points = points.remove(&id).unwrap_or_default();
            points.sort_by_key(|(t, _)| *t);
            MetricSeries {
                endpoint_id,
                metric,
                statistic: metric.statistic().into(),
                points,
            }
        })
        .collect())
}

/// One GetMetricData call (up to 500 queries), following NextToken to the end.
async fn call(
    client: Client,
    queries: Vec<MetricDataQuery>,
    start: i64,
    end: i64,
) -> Result<Vec<(String, Vec<(i64, f64)>)>, FetchError> {
    let pages = client
        .get_metric_data()
        .set_metric_data_queries(Some(queries))
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end))
        .scan_by(ScanBy::TimestampAscending)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(fetch_error)?;
    Ok(pages
        .iter()
        .flat_map(|page| page.metric_data_results())
        .filter_map(|result| {
            let values = result
                .timestamps()
                .iter()
                .zip(result.values())
                .map(|(t, v)| (t.secs(), *v))
                .collect();
            Some((result.id()?.to_string(), values))
        })
        .collect())
}

/// An empty metric set for the window, for when metrics could not be fetched.
pub(super) fn empty(start: i64, end: i64) -> Metrics {
    Metrics {
        start,
        end,
        period_seconds: PERIOD_SECONDS,
        series: Vec::new(),
    }
}
