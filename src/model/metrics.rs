//! CloudWatch series: `AWS/PrivateLinkEndpoints` per endpoint, and the MWAA environment's own
//! health (`AmazonMWAA` and `AWS/MWAA`), read in the same `GetMetricData` calls.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::VpcEndpoint;

/// The metrics collected for each interface and Gateway Load Balancer endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Window start, seconds since the Unix epoch.
    pub start: i64,
    /// Window end, seconds since the Unix epoch.
    pub end: i64,
    /// The length of one data point, in seconds.
    pub period_seconds: i32,
    /// One series per endpoint and metric; empty when metrics were not fetched.
    pub series: Vec<MetricSeries>,
    /// The MWAA environment's series, with `--mwaa-env` (absent from older snapshots).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<EnvironmentSeries>,
}

impl Metrics {
    /// The series of one metric for one endpoint, if it was collected.
    pub fn series_for(&self, endpoint_id: &str, metric: MetricName) -> Option<&MetricSeries> {
        self.series
            .iter()
            .find(|s| s.endpoint_id == endpoint_id && s.metric == metric)
    }

    /// The environment's series of one metric (of one component for container metrics).
    pub fn environment_series(
        &self,
        metric: EnvironmentMetric,
        component: Option<Component>,
    ) -> Option<&EnvironmentSeries> {
        self.environment
            .iter()
            .find(|s| s.metric == metric && s.component == component)
    }
}

/// The dimension set of an endpoint's metrics, in the documented order. CloudWatch matches
/// a metric's dimensions exactly, so a query names all four (moto matches their order too).
pub fn endpoint_dimensions(endpoint: &VpcEndpoint) -> [(&'static str, &str); 4] {
    [
        ("Endpoint Type", endpoint.endpoint_type.as_str()),
        ("Service Name", endpoint.service_name.as_str()),
        ("VPC Endpoint Id", endpoint.id.as_str()),
        ("VPC Id", endpoint.vpc_id.as_str()),
    ]
}

/// One metric of one endpoint. Minutes without traffic have no point at all (idle, not zero).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSeries {
    /// The endpoint the series belongs to.
    pub endpoint_id: String,
    /// The metric the series holds.
    pub metric: MetricName,
    /// The CloudWatch statistic, e.g. `Sum` or `Maximum`.
    pub statistic: String,
    /// `(timestamp, value)` pairs in ascending time; timestamps are Unix seconds.
    pub points: Vec<(i64, f64)>,
}

/// The five `AWS/PrivateLinkEndpoints` metrics (*CloudWatch metrics for AWS PrivateLink*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MetricName {
    /// The number of concurrent connections (charted as the maximum).
    ActiveConnections,
    /// Bytes exchanged between the endpoint and the service, both directions.
    BytesProcessed,
    /// Connections newly established through the endpoint.
    NewConnections,
    /// Packets the endpoint dropped.
    PacketsDropped,
    /// TCP RST packets the endpoint received.
    RstPacketsReceived,
}

impl MetricName {
    /// The five metrics, in the order the dashboard cycles through them.
    pub const ALL: [MetricName; 5] = [
        Self::ActiveConnections,
        Self::BytesProcessed,
        Self::NewConnections,
        Self::PacketsDropped,
        Self::RstPacketsReceived,
    ];

    /// The CloudWatch metric name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ActiveConnections => "ActiveConnections",
            Self::BytesProcessed => "BytesProcessed",
            Self::NewConnections => "NewConnections",
            Self::PacketsDropped => "PacketsDropped",
            Self::RstPacketsReceived => "RstPacketsReceived",
        }
    }

    /// The statistic linkscope requests: concurrency as a maximum, counters as sums.
    pub fn statistic(self) -> &'static str {
        match self {
            Self::ActiveConnections => "Maximum",
            _ => "Sum",
        }
    }
}

impl fmt::Display for MetricName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A component of an MWAA environment, as `AWS/MWAA` names it in the `Cluster` dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Component {
    /// The schedulers.
    Scheduler,
    /// The base worker.
    BaseWorker,
    /// Workers added by autoscaling.
    AdditionalWorker,
    /// The web servers.
    WebServer,
}

impl Component {
    /// The four components, in the order the Metrics tab lists them.
    pub const ALL: [Component; 4] = [
        Self::Scheduler,
        Self::BaseWorker,
        Self::AdditionalWorker,
        Self::WebServer,
    ];

    /// The `Cluster` dimension value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduler => "Scheduler",
            Self::BaseWorker => "BaseWorker",
            Self::AdditionalWorker => "AdditionalWorker",
            Self::WebServer => "WebServer",
        }
    }
}

/// The MWAA metrics of the environment's own health: Apache Airflow's (`AmazonMWAA`) and the
/// containers' (`AWS/MWAA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EnvironmentMetric {
    /// Scheduler heartbeats per minute (`AmazonMWAA`, `Function` = `Scheduler`).
    SchedulerHeartbeat,
    /// Tasks waiting in the Celery queue (`AmazonMWAA`, `Function` = `Executor`).
    QueuedTasks,
    /// Tasks running on the workers (`AmazonMWAA`, `Function` = `Executor`).
    RunningTasks,
    /// CPU utilization of a component, percent (`AWS/MWAA`, `Cluster`).
    CpuUtilization,
    /// Memory utilization of a component, percent (`AWS/MWAA`, `Cluster`).
    MemoryUtilization,
}

impl EnvironmentMetric {
    /// Every series linkscope reads: the three Airflow metrics, then CPU and memory of each
    /// component.
    pub fn wanted() -> Vec<(EnvironmentMetric, Option<Component>)> {
        let mut wanted = vec![
            (Self::SchedulerHeartbeat, None),
            (Self::QueuedTasks, None),
            (Self::RunningTasks, None),
        ];
        for metric in [Self::CpuUtilization, Self::MemoryUtilization] {
            wanted.extend(Component::ALL.iter().map(|c| (metric, Some(*c))));
        }
        wanted
    }

    /// The CloudWatch metric name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SchedulerHeartbeat => "SchedulerHeartbeat",
            Self::QueuedTasks => "QueuedTasks",
            Self::RunningTasks => "RunningTasks",
            Self::CpuUtilization => "CPUUtilization",
            Self::MemoryUtilization => "MemoryUtilization",
        }
    }

    /// The CloudWatch namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            Self::SchedulerHeartbeat | Self::QueuedTasks | Self::RunningTasks => "AmazonMWAA",
            Self::CpuUtilization | Self::MemoryUtilization => "AWS/MWAA",
        }
    }

    /// The statistic linkscope requests: heartbeats as sums, the rest as maximums.
    pub fn statistic(self) -> &'static str {
        match self {
            Self::SchedulerHeartbeat => "Sum",
            _ => "Maximum",
        }
    }
}

impl fmt::Display for EnvironmentMetric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One MWAA metric of the environment. Minutes without a datapoint have no point at all:
/// unknown, never zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentSeries {
    /// The metric.
    pub metric: EnvironmentMetric,
    /// The component, for `CPUUtilization` and `MemoryUtilization`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Component>,
    /// The CloudWatch statistic.
    pub statistic: String,
    /// `(timestamp, value)` pairs in ascending time; timestamps are Unix seconds.
    pub points: Vec<(i64, f64)>,
}
