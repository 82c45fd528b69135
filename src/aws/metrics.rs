//! `AWS/PrivateLinkEndpoints` series for every endpoint, and with an environment its own MWAA
//! series (`AmazonMWAA`, `AWS/MWAA`), in as few `GetMetricData` calls as possible.

use std::collections::HashMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::error::{self, fetch_error};
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

/// Which series each query id of one target stands for.
#[derive(Debug, Default)]
pub(super) struct Wanted {
    endpoints: Vec<(String, String, MetricName)>,
    environment: Vec<(String, EnvironmentMetric, Option<Component>)>,
}

/// The queries of one target, their ids starting with `prefix` (unique among the targets of
/// one call): all five metrics of every endpoint that publishes them, and the environment's
/// own series when one is named.
pub(super) fn queries(
    (endpoints, environment): (&[VpcEndpoint], Option<&str>),
    prefix: &str,
) -> (Vec<MetricDataQuery>, Wanted) {
    let mut wanted = Wanted::default();
    let mut queries = Vec::new();
    for endpoint in endpoints.iter().filter(|e| publishes_metrics(e)) {
        for metric in MetricName::ALL {
            let id = format!("{prefix}m{}", wanted.endpoints.len());
            let name = (NAMESPACE, metric.as_str(), metric.statistic());
            queries.push(query(id.clone(), name, &endpoint_dimensions(endpoint)));
            wanted.endpoints.push((id, endpoint.id.clone(), metric));
        }
    }
    if let Some(environment) = environment {
        for (metric, component) in EnvironmentMetric::wanted() {
            let id = format!("{prefix}e{}", wanted.environment.len());
            let name = (metric.namespace(), metric.as_str(), metric.statistic());
            let dimensions = environment_dimensions(environment, metric, component);
            queries.push(query(id.clone(), name, &dimensions));
            wanted.environment.push((id, metric, component));
        }
    }
    (queries, wanted)
}

/// One target's series: its endpoints', then its environment's.
pub(super) type Series = (Vec<MetricSeries>, Vec<EnvironmentSeries>);

/// The points of each query id, from the calls that answered.
pub(super) type Points = HashMap<String, Vec<(i64, f64)>>;

/// Fetches all five metrics for every endpoint that publishes them over `[start, end)`, and
/// the environment's own series when one is named, in the same calls.
pub(super) async fn fetch(
    client: &Client,
    (limit, rate): (&Arc<Semaphore>, Option<&Arc<RateLimit>>),
    (endpoints, environment): (&[VpcEndpoint], Option<&str>),
    start: i64,
    end: i64,
) -> Result<Series, FetchError> {
    let (queries, wanted) = queries((endpoints, environment), "");
    let mut points = Points::new();
    for (_, answer) in fetch_all(client, (limit, rate), queries, start, end).await {
        for (id, mut values) in answer? {
            points.entry(id).or_default().append(&mut values);
        }
    }
    Ok(series(wanted, &mut points))
}

/// Every query over `[start, end)`, in concurrent calls of up to 500 (any targets' queries
/// together): each call's query ids and its answer.
pub(super) async fn fetch_all(
    client: &Client,
    (limit, rate): (&Arc<Semaphore>, Option<&Arc<RateLimit>>),
    queries: Vec<MetricDataQuery>,
    start: i64,
    end: i64,
) -> Vec<(
    Vec<String>,
    Result<Vec<(String, Vec<(i64, f64)>)>, FetchError>,
)> {
    let mut calls = JoinSet::new();
    for chunk in queries.chunks(QUERIES_PER_CALL) {
        let (client, limit, chunk) = (client.clone(), limit.clone(), chunk.to_vec());
        let ids: Vec<String> = chunk
            .iter()
            .filter_map(|q| q.id().map(str::to_string))
            .collect();
        let rate = rate.cloned();
        calls.spawn(async move {
            let request = call(client, chunk, start, end);
            (ids, paced(&limit, rate.as_deref(), request).await)
        });
    }
    let mut answers = Vec::new();
    while let Some(joined) = calls.join_next().await {
        answers.push(joined.unwrap_or_else(|e| (Vec::new(), Err(error::task_failed(e)))));
    }
    answers
}

/// The series of one target from the points of its queries (a query without points is an
/// empty series: a minute without traffic has no datapoint).
pub(super) fn series(wanted: Wanted, points: &mut Points) -> Series {
    let mut take = |id: &str| {
        let mut series = points.remove(id).unwrap_or_default();
        series.sort_by_key(|(t, _)| *t);
        series
    };
    let endpoint_series = wanted
        .endpoints
        .into_iter()
        .map(|(id, endpoint_id, metric)| MetricSeries {
            endpoint_id,
            metric,
            statistic: metric.statistic().into(),
            points: take(&id),
        })
        .collect();
    let environment_series = wanted
        .environment
        .into_iter()
        .map(|(id, metric, component)| EnvironmentSeries {
            metric,
            component,
            statistic: metric.statistic().into(),
            points: take(&id),
        })
        .collect();
    (endpoint_series, environment_series)
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
