//! `AWS/PrivateLinkEndpoints` series for every endpoint, and with an environment its own MWAA
//! series (`AmazonMWAA`, `AWS/MWAA`), in as few `GetMetricData` calls as possible.

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
    Component, EndpointType, EnvironmentMetric, EnvironmentSeries, FetchError, MetricName,
    MetricSeries, Metrics, VpcEndpoint, endpoint_dimensions,
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

/// The dimensions of an environment's series: `Function` for Apache Airflow's metrics,
/// `Cluster` for a component's, then `Environment`.
pub fn environment_dimensions(
    environment: &str,
    metric: EnvironmentMetric,
    component: Option<Component>,
) -> [(&'static str, &str); 2] {
    let first = match (metric, component) {
        (_, Some(component)) => ("Cluster", component.as_str()),
        (EnvironmentMetric::SchedulerHeartbeat, None) => ("Function", "Scheduler"),
        (_, None) => ("Function", "Executor"),
    };
    [first, ("Environment", environment)]
}

fn query(
    id: String,
    (namespace, metric, statistic): (&str, &str, &str),
    dimensions: &[(&str, &str)],
) -> MetricDataQuery {
    let dimensions = dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(*name).value(*value).build());
    let metric_id = Metric::builder()
        .namespace(namespace)
        .metric_name(metric)
        .set_dimensions(Some(dimensions.collect()))
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric_id)
                .period(PERIOD_SECONDS)
                .stat(statistic)
                .build(),
        )
        .return_data(true)
        .build()
}

/// Fetches all five metrics for every endpoint that publishes them over `[start, end)`, and
/// the environment's own series when one is named, in the same calls.
pub(super) async fn fetch(
    client: &Client,
    (limit, rate): (&Arc<Semaphore>, Option<&Arc<RateLimit>>),
    (endpoints, environment): (&[VpcEndpoint], Option<&str>),
    start: i64,
    end: i64,
) -> Result<(Vec<MetricSeries>, Vec<EnvironmentSeries>), FetchError> {
    let mut wanted = Vec::new();
    let mut queries = Vec::new();
    for endpoint in endpoints.iter().filter(|e| publishes_metrics(e)) {
        for metric in MetricName::ALL {
            let id = format!("m{}", wanted.len());
            let name = (NAMESPACE, metric.as_str(), metric.statistic());
            queries.push(query(id.clone(), name, &endpoint_dimensions(endpoint)));
            wanted.push((id, endpoint.id.clone(), metric));
        }
    }
    let mut wanted_env = Vec::new();
    for (metric, component) in environment
        .map(|_| EnvironmentMetric::wanted())
        .unwrap_or_default()
    {
        let id = format!("e{}", wanted_env.len());
        let name = (metric.namespace(), metric.as_str(), metric.statistic());
        let dimensions = environment_dimensions(environment.unwrap_or_default(), metric, component);
        queries.push(query(id.clone(), name, &dimensions));
        wanted_env.push((id, metric, component));
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
    let mut take = |id: &str| {
        let mut series = points.remove(id).unwrap_or_default();
        series.sort_by_key(|(t, _)| *t);
        series
    };
    let endpoint_series = wanted
        .into_iter()
        .map(|(id, endpoint_id, metric)| MetricSeries {
            endpoint_id,
            metric,
            statistic: metric.statistic().into(),
            points: take(&id),
        })
        .collect();
    let environment_series = wanted_env
        .into_iter()
        .map(|(id, metric, component)| EnvironmentSeries {
            metric,
            component,
            statistic: metric.statistic().into(),
            points: take(&id),
        })
        .collect();
    Ok((endpoint_series, environment_series))
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
        environment: Vec::new(),
    }
}
