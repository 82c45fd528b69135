//! The environment's own health, from its MWAA metrics: the scheduler's heartbeat, queued
//! versus running tasks, and the CPU and memory of each component against the environment
//! class. A series without datapoints is `unknown`, never zero.

use crate::checks::context::Ctx;
use crate::checks::docs::{
    MWAA_AIRFLOW_METRICS, MWAA_CONTAINER_METRICS, MWAA_ENVIRONMENT_CLASS, cite,
};
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{
    Component, EnvironmentMetric, EnvironmentSeries, EnvironmentStatus, Metrics, MwaaEnvironment,
    Source,
};

/// The scheduler is alive.
pub const HEARTBEAT: Rule = Rule {
    id: "mwaa-scheduler-heartbeat",
    severity: Severity::Error,
    title: "The scheduler's heartbeat is published to the end of the window",
    docs: &[cite(MWAA_AIRFLOW_METRICS, "Scheduler")],
    needs: &[],
    reads: &[Source::Metrics],
};
/// Tasks do not wait in the queue.
pub const QUEUED: Rule = Rule {
    id: "mwaa-tasks-queued",
    severity: Severity::Warn,
    title: "Queued tasks do not pile up behind running ones",
    docs: &[
        cite(MWAA_AIRFLOW_METRICS, "Executor"),
        cite(MWAA_ENVIRONMENT_CLASS, "Environment capabilities"),
    ],
    needs: &[],
    reads: &[Source::Metrics],
};
/// Components have room within the class.
pub const LOAD: Rule = Rule {
    id: "mwaa-component-utilization",
    severity: Severity::Warn,
    title: "CPU and memory of each component stay within the environment class",
    docs: &[
        cite(MWAA_CONTAINER_METRICS, "Cluster metrics"),
        cite(MWAA_ENVIRONMENT_CLASS, "Environment capabilities"),
    ],
    needs: &[],
    reads: &[Source::Metrics],
};

/// The environment's health.
pub const FAMILY: Family = Family {
    name: "MWAA environment health",
    rules: &[HEARTBEAT, QUEUED, LOAD],
    run,
};

/// The span judged at the end of the window: the last half hour.
const RECENT_SECONDS: i64 = 1800;
/// A heartbeat older than this before the window's end means the scheduler stopped.
const STALE_SECONDS: i64 = 600;
/// Sustained utilization from this percentage is too close to the class's limits.
const BUSY_PERCENT: f64 = 90.0;

/// The environment classes: tasks each worker runs at once by default, and the next class.
pub fn class_capacity(class: &str) -> Option<(u32, Option<&'static str>)> {
    Some(match class {
        "mw1.micro" => (3, Some("mw1.small")),
        "mw1.small" => (5, Some("mw1.medium")),
        "mw1.medium" => (10, Some("mw1.large")),
        "mw1.large" => (20, Some("mw1.xlarge")),
        "mw1.xlarge" => (40, Some("mw1.2xlarge")),
        "mw1.2xlarge" => (80, None),
        _ => return None,
    })
}

/// The rule that judges an environment metric, for the panes that colour its series.
pub fn rule_for(metric: EnvironmentMetric) -> &'static Rule {
    match metric {
        EnvironmentMetric::SchedulerHeartbeat => &HEARTBEAT,
        EnvironmentMetric::QueuedTasks | EnvironmentMetric::RunningTasks => &QUEUED,
        EnvironmentMetric::CpuUtilization | EnvironmentMetric::MemoryUtilization => &LOAD,
    }
}

/// The mean of a component's series over the last half hour of the window, when it has
/// datapoints there.
pub fn recent_mean(
    metrics: &Metrics,
    metric: EnvironmentMetric,
    component: Component,
) -> Option<f64> {
    let series = metrics.environment_series(metric, Some(component))?;
    let last = recent(series, metrics.end);
    (!last.is_empty()).then(|| last.iter().sum::<f64>() / last.len() as f64)
}

/// True when a component averaged [`BUSY_PERCENT`] or more over the last half hour: the
/// verdict of [`LOAD`] on that series.
pub fn at_limit(metrics: &Metrics, metric: EnvironmentMetric, component: Component) -> bool {
    recent_mean(metrics, metric, component).is_some_and(|mean| mean >= BUSY_PERCENT)
}

fn clock(epoch: i64) -> String {
    let day = epoch.rem_euclid(86_400);
    format!("{:02}:{:02} UTC", day / 3600, day % 3600 / 60)
}

/// The environment when its health can be judged, else the finding that says why not.
fn judged<'a>(ctx: &'a Ctx, rule: Rule) -> Result<&'a MwaaEnvironment, Box<Finding>> {
    let Some(env) = &ctx.snap.environment else {
        return Err(Box::new(rule.info(ctx.vpc(), NO_ENVIRONMENT)));
    };
    let subject = Subject::environment(&env.name);
    if let Some(status) = &env.status
        && *status != EnvironmentStatus::Available
    {
        return Err(Box::new(rule.info(
            subject,
            format!(
                "{} is {status}: its health metrics are judged once it is AVAILABLE.",
                env.name
            ),
        )));
    }
    if let Some(reason) = ctx.missing(rule.reads) {
        return Err(Box::new(rule.unknown(subject, reason)));
    }
    Ok(env)
}

/// The series of a metric, or the unknown finding of a metric without datapoints.
fn series<'a>(
    ctx: &'a Ctx,
    rule: Rule,
    env: &MwaaEnvironment,
    metric: EnvironmentMetric,
) -> Result<&'a EnvironmentSeries, Box<Finding>> {
    let subject = Subject::environment(&env.name);
    match ctx.snap.metrics.environment_series(metric, None) {
        Some(s) if !s.points.is_empty() => Ok(s),
        Some(_) => Err(Box::new(rule.unknown(
            subject,
            format!(
                "No {metric} datapoint for {} in the window ({}): unknown, not zero.",
                env.name,
                metric.namespace()
            ),
        ))),
        None => Err(Box::new(rule.unknown(
            subject,
            format!("{metric} of {} was not collected (a snapshot from an older linkscope, or a describes-only refresh).", env.name),
        ))),
    }
}

fn heartbeat(ctx: &Ctx) -> Finding {
    let env = match judged(ctx, HEARTBEAT) {
        Ok(env) => env,
        Err(finding) => return *finding,
    };
    let s = match series(ctx, HEARTBEAT, env, EnvironmentMetric::SchedulerHeartbeat) {
        Ok(s) => s,
        Err(finding) => return *finding,
    };
    let end = ctx.snap.metrics.end;
    let (last, _) = s.points[s.points.len() - 1];
    let subject = Subject::environment(&env.name);
    if end - last <= STALE_SECONDS {
        return HEARTBEAT.pass(
            subject,
            format!(
                "{}'s scheduler last beat in the minute at {}.",
                env.name,
                clock(last)
            ),
        );
    }
    HEARTBEAT
        .violated(
            subject,
            format!(
                "{}'s scheduler last beat in the minute at {}, {} minutes before the window's end: the scheduler is not running, so DAGs do not update and tasks are not scheduled.",
                env.name,
                clock(last),
                (end - last) / 60
            ),
        )
        .fix(format!(
            "# Read the scheduler's log group, airflow-{}-Scheduler, for the error that stopped it; then restart the scheduler by updating the environment:\naws mwaa update-environment --name {}",
            env.name, env.name
        ))
}

fn recent(s: &EnvironmentSeries, end: i64) -> Vec<f64> {
    s.points
        .iter()
        .filter(|(t, _)| *t >= end - RECENT_SECONDS)
        .map(|(_, v)| *v)
        .collect()
}

fn queued(ctx: &Ctx) -> Finding {
    let env = match judged(ctx, QUEUED) {
        Ok(env) => env,
        Err(finding) => return *finding,
    };
    let queued = match series(ctx, QUEUED, env, EnvironmentMetric::QueuedTasks) {
        Ok(s) => s,
        Err(finding) => return *finding,
    };
    let end = ctx.snap.metrics.end;
    let running_peak = ctx
        .snap
        .metrics
        .environment_series(EnvironmentMetric::RunningTasks, None)
        .map(|s| {
            recent(s, end)
                .into_iter()
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
        })
        .unwrap_or(None);
    let class = env.environment_class.as_deref();
    let capacity =
        class
            .and_then(class_capacity)
            .zip(env.max_workers)
            .map(|((per, _), workers)| {
                (
                    per * workers.max(1) as u32,
                    format!(
                        "{} workers × {per} tasks of {}",
                        workers,
                        class.unwrap_or("?")
                    ),
                )
            });
    let running_text = match (running_peak, &capacity) {
        (Some(peak), Some((cap, how))) => {
            format!("running peaked at {peak} of a capacity of {cap} ({how})")
        }
        (Some(peak), None) => format!("running peaked at {peak}"),
        (None, _) => "no RunningTasks datapoint (unknown)".to_string(),
    };
    let last = recent(queued, end);
    let subject = Subject::environment(&env.name);
    let piling = !last.is_empty() && last.iter().all(|v| *v > 0.0) && last.last() >= last.first();
    if !piling {
        let peak = last.iter().copied().fold(0.0, f64::max);
        return QUEUED.pass(
            subject,
            format!("{}: queued tasks peaked at {peak} in the last 30 minutes and drained; {running_text}.", env.name),
        );
    }
    let next = class.and_then(class_capacity).and_then(|(_, next)| next);
    let workers = env.max_workers.unwrap_or(1).max(1);
    QUEUED
        .violated(
            subject,
            format!(
                "{}: tasks have waited in the queue for the whole last 30 minutes ({} queued at the end); {running_text}.",
                env.name,
                last[last.len() - 1]
            ),
        )
        .fix(match next {
            Some(next) => format!(
                "aws mwaa update-environment --name {} --max-workers {}\n# or a larger class: aws mwaa update-environment --name {} --environment-class {next}",
                env.name,
                workers * 2,
                env.name
            ),
            None => format!("aws mwaa update-environment --name {} --max-workers {}", env.name, workers * 2),
        })
}

fn load(ctx: &Ctx) -> Vec<Finding> {
    let env = match judged(ctx, LOAD) {
        Ok(env) => env,
        Err(finding) => return vec![*finding],
    };
    let subject = || Subject::environment(&env.name);
    let mut seen = Vec::new();
    let mut findings = Vec::new();
    for component in Component::ALL {
        for metric in [
            EnvironmentMetric::CpuUtilization,
            EnvironmentMetric::MemoryUtilization,
        ] {
            let Some(mean) = recent_mean(&ctx.snap.metrics, metric, component) else {
                continue;
            };
            seen.push(format!("{} {metric} {mean:.0}%", component.as_str()));
            if at_limit(&ctx.snap.metrics, metric, component) {
                let class = env.environment_class.as_deref().unwrap_or("its class");
                let next = env
                    .environment_class
                    .as_deref()
                    .and_then(class_capacity)
                    .and_then(|(_, next)| next);
                let finding = LOAD
                    .violated(
                        subject(),
                        format!(
                            "{}'s {} averaged {mean:.0}% {metric} over the last 30 minutes, at the limit of {class}.",
                            env.name,
                            component.as_str()
                        ),
                    )
                    .fix(match next {
                        Some(next) => format!("aws mwaa update-environment --name {} --environment-class {next}", env.name),
                        None => format!("# {class} is the largest class: spread the DAGs' work (fewer concurrent tasks, lighter parsing)"),
                    });
                findings.push(finding);
            }
        }
    }
    if seen.is_empty() {
        return vec![LOAD.unknown(
            subject(),
            format!("No CPUUtilization or MemoryUtilization datapoint for {} in the last 30 minutes (AWS/MWAA): unknown, not zero.", env.name),
        )];
    }
    LOAD.or_pass(
        findings,
        subject(),
        &format!(
            "{} over the last 30 minutes: {}.",
            env.name,
            seen.join(", ")
        ),
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = vec![heartbeat(ctx), queued(ctx)];
    findings.extend(load(ctx));
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    fn points(
        snap: &mut Fixture,
        metric: EnvironmentMetric,
        component: Option<Component>,
    ) -> &mut Vec<(i64, f64)> {
        &mut snap
            .metrics
            .environment
            .iter_mut()
            .find(|s| s.metric == metric && s.component == component)
            .unwrap()
            .points
    }

    #[test]
    fn a_heartbeat_that_stopped_fails_and_one_never_seen_is_unknown() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-scheduler-heartbeat");
        let end = snap.metrics.end;
        let mut stopped = snap.clone();
        points(&mut stopped, EnvironmentMetric::SchedulerHeartbeat, None)
            .retain(|(t, _)| *t < end - 3600);
        let f = only(&stopped, "mwaa-scheduler-heartbeat");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.detail
                .contains("last beat in the minute at 04:59 UTC, 61 minutes before"),
            "{}",
            f.detail
        );
        let mut silent = snap.clone();
        points(&mut silent, EnvironmentMetric::SchedulerHeartbeat, None).clear();
        let f = only(&silent, "mwaa-scheduler-heartbeat");
        assert_eq!(f.status, Status::Unknown);
        assert!(f.detail.contains("unknown, not zero"), "{}", f.detail);
        let mut older = snap.clone();
        older.metrics.environment.clear();
        assert_eq!(
            only(&older, "mwaa-scheduler-heartbeat").status,
            Status::Unknown
        );
        let mut denied = snap;
        denied.fail(Source::Metrics);
        assert!(
            only(&denied, "mwaa-scheduler-heartbeat")
                .detail
                .contains("cloudwatch:GetMetricData")
        );
        // An environment that is not running is not judged.
        assert_eq!(
            only(&Fixture::setup(), "mwaa-scheduler-heartbeat").status,
            Status::Info
        );
    }

    #[test]
    fn a_queue_that_never_drains_warns_against_the_class_capacity() {
        let snap = Fixture::healthy();
        let f = only(&snap, "mwaa-tasks-queued");
        assert_eq!(f.status, Status::Pass, "{}", f.detail);
        let end = snap.metrics.end;
        let mut piling = snap;
        *points(&mut piling, EnvironmentMetric::QueuedTasks, None) = (0..60)
            .map(|i| (end - 3600 + 60 * i, 10.0 + i as f64))
            .collect();
        *points(&mut piling, EnvironmentMetric::RunningTasks, None) =
            (0..60).map(|i| (end - 3600 + 60 * i, 50.0)).collect();
        let f = only(&piling, "mwaa-tasks-queued");
        assert_eq!(f.status, Status::Warn);
        assert!(
            f.detail.contains(
                "running peaked at 50 of a capacity of 50 (10 workers × 5 tasks of mw1.small)"
            ),
            "{}",
            f.detail
        );
        assert!(f.remediation.unwrap().contains("--max-workers 20"));
        points(&mut piling, EnvironmentMetric::QueuedTasks, None).clear();
        assert_eq!(only(&piling, "mwaa-tasks-queued").status, Status::Unknown);
    }

    #[test]
    fn a_component_at_its_limit_warns_with_the_next_class() {
        let snap = Fixture::healthy();
        let f = only(&snap, "mwaa-component-utilization");
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.detail.contains("Scheduler CPUUtilization"),
            "{}",
            f.detail
        );
        let end = snap.metrics.end;
        let mut busy = snap.clone();
        *points(
            &mut busy,
            EnvironmentMetric::MemoryUtilization,
            Some(Component::BaseWorker),
        ) = (0..30).map(|i| (end - 1800 + 60 * i, 95.0)).collect();
        let f = assert_flags(
            &busy,
            "mwaa-component-utilization",
            Status::Warn,
            "airflow-staging",
        );
        assert!(
            f.detail
                .contains("BaseWorker averaged 95% MemoryUtilization"),
            "{}",
            f.detail
        );
        let fix = f.remediation.unwrap();
        assert!(fix.contains("--environment-class mw1.medium "), "{fix}");
        let mut blank = snap;
        for s in &mut blank.metrics.environment {
            s.points.clear();
        }
        assert_eq!(
            only(&blank, "mwaa-component-utilization").status,
            Status::Unknown
        );
        assert_eq!(super::class_capacity("mw1.2xlarge"), Some((80, None)));
        assert_eq!(super::class_capacity("mw9.huge"), None);
    }
}
