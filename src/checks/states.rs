//! Endpoint lifecycle states (rules 1–6). Source: `../shared/rules.md` §A;
//! [002] Concepts › Service consumers › Endpoint states; [003] Endpoint States.

use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use crate::model::{EndpointState, Source, VpcEndpoint};

const SRC: &str = "rules.md §A 1–6 · [002] Concepts › Endpoint states; [003] Endpoint States";

pub const PENDING_ACCEPTANCE: Rule = Rule {
    id: "vpce-state-pending-acceptance",
    severity: Severity::Warn,
    title: "No endpoint waits for the provider to accept it",
    source: SRC,
};
pub const PENDING: Rule = Rule {
    id: "vpce-state-pending",
    severity: Severity::Info,
    title: "No endpoint is still being provisioned",
    source: SRC,
};
pub const REJECTED: Rule = Rule {
    id: "vpce-state-rejected",
    severity: Severity::Error,
    title: "No endpoint was rejected by its provider",
    source: SRC,
};
pub const EXPIRED: Rule = Rule {
    id: "vpce-state-expired",
    severity: Severity::Error,
    title: "No endpoint connection request expired",
    source: SRC,
};
pub const FAILED: Rule = Rule {
    id: "vpce-state-failed",
    severity: Severity::Error,
    title: "No endpoint failed to become available",
    source: SRC,
};
pub const DELETING: Rule = Rule {
    id: "vpce-state-deleting",
    severity: Severity::Warn,
    title: "No endpoint is being deleted or deleted",
    source: SRC,
};

/// Why an endpoint in this state cannot be used, in the words of the seeds.
pub fn explain(endpoint: &VpcEndpoint) -> String {
    let base = match &endpoint.state {
        EndpointState::Available => "it is available".to_string(),
        EndpointState::PendingAcceptance => {
            let aws = endpoint.service_name.starts_with("com.amazonaws.") && !endpoint.service_name.starts_with("com.amazonaws.vpce.");
            let note = if aws { "; AWS services accept connection requests automatically, so this is anomalous" } else { "" };
            format!("its connection request is pending acceptance by the service provider{note}")
        }
        EndpointState::Pending => "the provider accepted the request and it is still being provisioned (a few minutes; it also returns to pending after a modification)".into(),
        EndpointState::Rejected => "the service provider rejected the connection request (a provider can also reject an endpoint that was available)".into(),
        EndpointState::Expired => "the connection request expired".into(),
        EndpointState::Failed => {
            let error = endpoint.last_error.as_ref().map(|e| {
                format!("LastError: {} {}", e.code.as_deref().unwrap_or(""), e.message.as_deref().unwrap_or("")).trim_end().to_string()
            });
            format!("it could not be made available{}", error.map(|e| format!(" ({})", e.trim())).unwrap_or_default())
        }
        EndpointState::Deleting => "it is being deleted".into(),
        EndpointState::Deleted => "it is deleted".into(),
        EndpointState::Partial => "it is only partially available".into(),
        EndpointState::Unknown(state) => format!("its state is `{state}`, which linkscope does not know"),
    };
    format!("{} is {}: {base}", endpoint.id, endpoint.state)
}

fn rule_for(state: &EndpointState) -> Option<Rule> {
    match state {
        EndpointState::PendingAcceptance => Some(PENDING_ACCEPTANCE),
        EndpointState::Pending => Some(PENDING),
        EndpointState::Rejected => Some(REJECTED),
        EndpointState::Expired => Some(EXPIRED),
        EndpointState::Failed | EndpointState::Partial | EndpointState::Unknown(_) => Some(FAILED),
        EndpointState::Deleting | EndpointState::Deleted => Some(DELETING),
        EndpointState::Available => None,
    }
}

fn fix(endpoint: &VpcEndpoint, ctx: &Ctx) -> Option<String> {
    let id = &endpoint.id;
    match endpoint.state {
        EndpointState::PendingAcceptance => Some(format!(
            "Ask the provider of {} to accept it: aws ec2 accept-vpc-endpoint-connections --service-id <vpce-svc-id> --vpc-endpoint-ids {id}",
            endpoint.service_name
        )),
        EndpointState::Rejected | EndpointState::Expired | EndpointState::Failed => Some(format!(
            "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id} --region {r} && aws ec2 create-vpc-endpoint --vpc-id {vpc} --service-name {svc} --vpc-endpoint-type {t} --region {r}",
            r = ctx.region(),
            vpc = ctx.vpc_id(),
            svc = endpoint.service_name,
            t = endpoint.endpoint_type
        )),
        _ => None,
    }
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let rules = [
        PENDING_ACCEPTANCE,
        PENDING,
        REJECTED,
        EXPIRED,
        FAILED,
        DELETING,
    ];
    if let Some(reason) = ctx.missing(&[Source::VpcEndpoints]) {
        return rules.iter().map(|r| r.unknown(reason.clone())).collect();
    }
    let mut findings = Vec::new();
    for rule in rules {
        let hits: Vec<&VpcEndpoint> = ctx
            .snap
            .endpoints
            .iter()
            .filter(|e| rule_for(&e.state) == Some(rule))
            .collect();
        if hits.is_empty() {
            findings.push(rule.pass(vec![], "No endpoint is in this state."));
        }
        for endpoint in hits {
            let aws_owned = !endpoint.service_name.starts_with("com.amazonaws.vpce.");
            let severity = if rule == PENDING_ACCEPTANCE && aws_owned {
                Severity::Error
            } else {
                rule.severity
            };
            let mut finding = rule.violated_at(
                severity,
                vec![endpoint.id.clone()],
                format!("{}.", explain(endpoint)),
            );
            finding.remediation = fix(endpoint, ctx);
            findings.push(finding);
        }
    }
    findings
}
