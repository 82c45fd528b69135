//! The audit engine: pure functions over a [`Snapshot`] that return findings.
//!
//! No I/O and no SDK types. The MWAA checklist comes first, in its stable order, then the
//! general rules of `../shared/rules.md`, family by family.

mod availability_zones;
mod checklist;
mod cidr;
mod context;
mod environment;
mod finding;
mod gateway;
mod metric_rules;
mod nacl;
mod nacl_eval;
mod policies;
pub mod policy;
mod private_dns;
mod quotas;
mod security_groups;
mod states;
mod vpc_dns;
mod workload_groups;

pub use checklist::MWAA_SUFFIXES;
pub use finding::{Finding, Rule, Severity, Status};

use crate::model::Snapshot;
use context::Ctx;

/// The result of auditing one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Which workload the audit followed, and whether it was assumed.
    pub workload: String,
    pub findings: Vec<Finding>,
}

impl Audit {
    /// The MWAA checklist rows (`mwaa.*`), in order.
    pub fn checklist(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.id.starts_with("mwaa.endpoint.") || f.id.starts_with("mwaa.s3-route."))
    }

    /// Count of findings with a status.
    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

/// Runs every rule.
pub fn audit(snapshot: &Snapshot) -> Audit {
    let ctx = Ctx::new(snapshot);
    let families: [fn(&Ctx) -> Vec<Finding>; 13] = [
        checklist::run,
        states::run,
        vpc_dns::run,
        private_dns::run,
        availability_zones::run,
        security_groups::run,
        workload_groups::run,
        nacl::run,
        gateway::run,
        environment::run,
        policies::run,
        quotas::run,
        metric_rules::run,
    ];
    Audit {
        workload: ctx.workload.description.clone(),
        findings: families.iter().flat_map(|run| run(&ctx)).collect(),
    }
}

/// Every rule linkscope checks, for documentation and SARIF rule metadata.
pub fn rules() -> Vec<Rule> {
    let mut rules = checklist::ENDPOINT_RULES.to_vec();
    rules.extend([
        checklist::S3_ROUTE,
        states::PENDING_ACCEPTANCE,
        states::PENDING,
        states::REJECTED,
        states::EXPIRED,
        states::FAILED,
        states::DELETING,
        vpc_dns::DNS_SUPPORT,
        vpc_dns::DNS_HOSTNAMES,
        vpc_dns::GATEWAY_DNS,
        private_dns::PRIVATE_DNS_OFF,
        private_dns::S3_PUBLIC_RESOLUTION,
        private_dns::S3_INBOUND_ONLY,
        private_dns::S3_PRIVATE_DNS_COST,
        availability_zones::SINGLE_AZ,
        availability_zones::SAME_AZ,
        availability_zones::WORKLOAD_AZ,
        availability_zones::ENI_MISMATCH,
        availability_zones::IP_TYPE,
        availability_zones::MWAA_SAME_AZ,
        security_groups::NO_HTTPS_INBOUND,
        security_groups::DEFAULT_SG_ONLY,
        security_groups::MISSING_ENV_SG,
        workload_groups::MWAA_SG_COUNT,
        workload_groups::MWAA_NO_SELF_REFERENCE,
        workload_groups::MWAA_5432_WITHOUT_443,
        workload_groups::MWAA_EGRESS_RESTRICTED,
        nacl::ENDPOINT_TRAFFIC,
        nacl::S3_TRAFFIC,
        nacl::NOT_RECOMMENDED,
        gateway::ROUTING_MODE,
        gateway::GATEWAY_MISSING,
        gateway::TABLE_NOT_ASSOCIATED,
        gateway::ROUTE_MISSING,
        gateway::ROUTE_SHADOWED,
        gateway::IGW_DEFAULT,
        gateway::MULTIPLE,
        environment::WEBSERVER_ACCESS,
        policies::CLASSIFY,
        policies::INVALID,
        policies::NOT_FULL,
        policies::ECR_LAYER_BUCKET,
        policies::DAG_BUCKET,
        policies::NO_PRINCIPAL,
        policies::GATEWAY_PRINCIPAL,
        policies::ROOT_ONLY,
        policies::SIZE,
        policies::SOURCE_IP,
        quotas::INTERFACE_PER_VPC,
        quotas::GATEWAY_PER_REGION,
        quotas::GATEWAY_PER_VPC,
        metric_rules::PACKETS_DROPPED,
        metric_rules::RST_RISING,
        metric_rules::IDLE,
        metric_rules::GATEWAY_NONE,
    ]);
    rules
}

/// The registered rule a finding comes from (per-subnet checklist ids map to their pattern).
pub fn rule_of(finding: &Finding) -> Option<Rule> {
    let id = if finding.id.starts_with("mwaa.s3-route.") {
        checklist::S3_ROUTE.id
    } else {
        finding.id.as_str()
    };
    rules().into_iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests;
