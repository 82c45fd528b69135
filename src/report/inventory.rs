//! The inventory summary: what was collected, without judging it.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::table;
use crate::model::{Snapshot, VpcEndpoint, WorkloadOrigin};
use crate::show::clean;

fn on_off(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    }
}

fn azs(snapshot: &Snapshot, endpoint: &VpcEndpoint) -> String {
    let zones: BTreeSet<&str> = endpoint
        .subnet_ids
        .iter()
        .filter_map(|id| snapshot.subnets.iter().find(|s| &s.id == id))
        .map(|s| s.availability_zone.as_str())
        .collect();
    if zones.is_empty() {
        "-".into()
    } else {
        zones.into_iter().collect::<Vec<_>>().join(",")
    }
}

/// Renders the inventory of a snapshot as plain text.
pub fn render(snapshot: &Snapshot) -> String {
    let mut out = header(snapshot);
    let rows: Vec<Vec<String>> = snapshot
        .endpoints
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.short_service_name().to_string(),
                e.endpoint_type.to_string(),
                e.state.to_string(),
                match e.endpoint_type {
                    crate::model::EndpointType::Gateway => "-".into(),
                    _ => on_off(Some(e.private_dns_enabled)).into(),
                },
                azs(snapshot, e),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &["ENDPOINT", "SERVICE", "TYPE", "STATE", "PRIVATE DNS", "AZS"],
        &rows,
        48,
    ));
    for (source, error) in snapshot.failed_sources() {
        let _ = writeln!(
            out,
            "\nPARTIAL: {} failed: {}",
            source.api(),
            clean(&error.to_string())
        );
    }
    out
}

/// What the inventory says above its table: where and when, the environment, the workload,
/// the VPC's DNS and how many of each resource.
fn header(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    let name = snapshot
        .vpc_name()
        .map(|n| format!(" ({})", crate::show::truncate(n, 40)))
        .unwrap_or_default();
    let profile = snapshot
        .profile
        .as_deref()
        .map(|p| format!(" · profile {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "linkscope inventory · {}{} · {}{name} · captured {}",
        clean(&snapshot.region),
        clean(&profile),
        clean(&snapshot.vpc.id),
        clean(&snapshot.captured_at)
    );
    if let Some(env) = &snapshot.environment {
        let _ = writeln!(
            out,
            "MWAA environment {} ({})",
            clean(&env.name),
            clean(env.status.as_ref().map_or("status unknown", |s| s.as_str()))
        );
    }
    let workload = &snapshot.workload;
    let origin = match workload.origin {
        WorkloadOrigin::Environment => "from the environment",
        WorkloadOrigin::Flags => "from --subnets/--security-groups",
        WorkloadOrigin::Unspecified => "not named",
    };
    let _ = writeln!(
        out,
        "Workload {origin}: {} subnets, {} security groups",
        workload.subnet_ids.len(),
        workload.security_group_ids.len()
    );
    let _ = writeln!(
        out,
        "VPC DNS: support {}, hostnames {} · CIDR {}",
        on_off(snapshot.vpc.enable_dns_support),
        on_off(snapshot.vpc.enable_dns_hostnames),
        snapshot.vpc.cidr_blocks.join(", ")
    );
    let _ = writeln!(
        out,
        "Subnets {} · Route tables {} · Security groups {} · Network ACLs {} · Endpoints {} · Endpoint ENIs {} · Metric series {}\n",
        snapshot.subnets.len(),
        snapshot.route_tables.len(),
        snapshot.security_groups.len(),
        snapshot.network_acls.len(),
        snapshot.endpoints.len(),
        snapshot.endpoint_enis.len(),
        snapshot.metrics.series.len(),
    );
    out
}
