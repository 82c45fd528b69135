//! Endpoint lifecycle states (*AWS PrivateLink concepts › Endpoint states*).

use crate::checks::context::Ctx;
use crate::checks::docs::{CONCEPTS, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointState, ServiceOwner, Source, VpcEndpoint, epoch_seconds};

const DOCS: &[crate::checks::docs::Cite] = &[cite(CONCEPTS, "Endpoint states")];
const NEEDS: &[Source] = &[Source::VpcEndpoints];

/// `pendingAcceptance`: the provider has not accepted the request yet.
pub const PENDING_ACCEPTANCE: Rule = Rule {
    id: "vpce-state-pending-acceptance",
    severity: Severity::Warn,
    title: "No endpoint waits for the provider to accept it",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};
/// `pending`: accepted and still being provisioned, or being modified.
pub const PENDING: Rule = Rule {
    id: "vpce-state-pending",
    severity: Severity::Info,
    title: "No endpoint is still being provisioned",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};
/// `rejected`: the provider rejected the request (or a connection once available).
pub const REJECTED: Rule = Rule {
    id: "vpce-state-rejected",
    severity: Severity::Error,
    title: "No endpoint was rejected by its provider",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};
/// `expired`: the connection request expired.
pub const EXPIRED: Rule = Rule {
    id: "vpce-state-expired",
    severity: Severity::Error,
    title: "No endpoint connection request expired",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};
/// `failed`: the endpoint could not be made available.
pub const FAILED: Rule = Rule {
    id: "vpce-state-failed",
    severity: Severity::Error,
    title: "No endpoint failed to become available",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};
/// `deleting` or `deleted`.
pub const DELETING: Rule = Rule {
    id: "vpce-state-deleting",
    severity: Severity::Warn,
    title: "No endpoint is being deleted or deleted",
    docs: DOCS,
    needs: NEEDS,
    reads: &[],
};

/// Endpoint lifecycle states.
pub const FAMILY: Family = Family {
    name: "endpoint states",
    rules: &[
        PENDING_ACCEPTANCE,
        PENDING,
        REJECTED,
        EXPIRED,
        FAILED,
        DELETING,
    ],
    run,
};

/// Why an endpoint in this state cannot be used, in the words of the PrivateLink guide.
pub fn explain(ctx: &Ctx, endpoint: &VpcEndpoint) -> String {
    let base = match &endpoint.state {
        EndpointState::Available => "it is available".to_string(),
        EndpointState::PendingAcceptance => {
            let note = if accepted_by_mwaa(ctx, endpoint) {
                "; Amazon MWAA accepts the connections of its own endpoint services itself"
            } else if ctx.service_owner(endpoint) == ServiceOwner::Aws {
                "; AWS services accept connection requests automatically, so this is anomalous"
            } else {
                ""
            };
            format!("its connection request is pending acceptance by the service provider{note}")
        }
        EndpointState::Pending => "the provider accepted the request and it is still being provisioned (a few minutes; it also returns to pending after a modification)".into(),
        EndpointState::Rejected => "the service provider rejected the connection request (a provider can also reject an endpoint that was available)".into(),
        EndpointState::Expired => "the connection request expired".into(),
        EndpointState::Failed => {
            let error = endpoint.last_error.as_ref().map(|e| {
                format!("LastError: {} {}", e.code.as_deref().unwrap_or(""), e.message.as_deref().unwrap_or(""))
            });
            format!(
                "it could not be made available{}",
                error.map(|e| format!(" ({})", e.trim())).unwrap_or_default()
            )
        }
        EndpointState::Deleting => "it is being deleted".into(),
        EndpointState::Deleted => "it is deleted".into(),
        EndpointState::Partial => "it is only partially available".into(),
        EndpointState::Unknown(state) => format!("its state is `{state}`, which linkscope does not know"),
    };
    format!("{} is {}: {base}", endpoint.id, endpoint.state)
}

/// How long Amazon MWAA may take to accept its own endpoint before linkscope warns.
const MWAA_ACCEPTS_WITHIN_MINUTES: i64 = 30;

/// Whether Amazon MWAA accepts this endpoint's connection itself: an endpoint of the
/// environment's own database or web server endpoint service.
pub fn accepted_by_mwaa(ctx: &Ctx, endpoint: &VpcEndpoint) -> bool {
    ctx.snap.environment.as_ref().is_some_and(|env| {
        [
            &env.database_vpc_endpoint_service,
            &env.webserver_vpc_endpoint_service,
        ]
        .into_iter()
        .flatten()
        .any(|service| *service == endpoint.service_name)
    })
}

/// Rule 2's escalation for an endpoint MWAA accepts: `info` while it is younger than
/// [`MWAA_ACCEPTS_WITHIN_MINUTES`] at capture (or its age is unknown), `warn` after; with its
/// age for the text (` for 12 min`).
pub fn mwaa_accepts_within(ctx: &Ctx, endpoint: &VpcEndpoint) -> (Severity, String) {
    let age = endpoint
        .creation_timestamp
        .as_deref()
        .and_then(epoch_seconds)
        .zip(epoch_seconds(&ctx.snap.captured_at))
        .map(|(created, captured)| (captured - created) / 60);
    match age {
        Some(minutes) if minutes > MWAA_ACCEPTS_WITHIN_MINUTES => {
            (Severity::Warn, format!(" for {minutes} min"))
        }
        Some(minutes) => (Severity::Info, format!(" for {minutes} min")),
        None => (Severity::Info, String::new()),
    }
}

/// The rule an endpoint's state breaks, if any.
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

/// The `vpce-svc-…` id at the end of an endpoint service's name, or a shell variable that a
/// comment explains.
fn service_id(service_name: &str) -> (String, &str) {
    match service_name
        .rsplit('.')
        .next()
        .filter(|last| last.starts_with("vpce-svc-"))
    {
        Some(id) => (String::new(), id),
        None => (
            format!("# SERVICE_ID: the id (vpce-svc-…) of {service_name}\n"),
            r#""$SERVICE_ID""#,
        ),
    }
}

fn fix(ctx: &Ctx, endpoint: &VpcEndpoint) -> Option<String> {
    let id = &endpoint.id;
    match endpoint.state {
        EndpointState::PendingAcceptance if accepted_by_mwaa(ctx, endpoint) => None,
        EndpointState::PendingAcceptance => {
            let (unknown, service) = service_id(&endpoint.service_name);
            Some(format!(
                "# In the account of the provider of {} (PROVIDER_PROFILE: a profile of that account):\n{unknown}aws ec2 accept-vpc-endpoint-connections --service-id {service} --vpc-endpoint-ids {id} --profile \"$PROVIDER_PROFILE\"",
                endpoint.service_name,
            ))
        }
        EndpointState::Rejected | EndpointState::Expired | EndpointState::Failed => Some(format!(
            "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id} --region {r}\naws ec2 create-vpc-endpoint --vpc-id {vpc} --service-name {svc} --vpc-endpoint-type {t} --region {r}",
            r = ctx.region(),
            vpc = ctx.vpc_id(),
            svc = endpoint.service_name,
            t = endpoint.endpoint_type
        )),
        _ => None,
    }
}

/// Rule 1: pendingAcceptance is anomalous on an AWS service, which accepts automatically;
/// on MWAA's own endpoint services it is expected for a while (rule 2's escalation).
fn severity(ctx: &Ctx, rule: &Rule, endpoint: &VpcEndpoint) -> Severity {
    if *rule != PENDING_ACCEPTANCE {
        rule.severity
    } else if accepted_by_mwaa(ctx, endpoint) {
        mwaa_accepts_within(ctx, endpoint).0
    } else if ctx.service_owner(endpoint) == ServiceOwner::Aws {
        Severity::Error
    } else {
        rule.severity
    }
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in FAMILY.rules {
        let hits: Vec<Finding> = ctx
            .snap
            .endpoints
            .iter()
            .filter(|e| rule_for(&e.state).as_ref() == Some(rule))
            .map(|endpoint| {
                let mut finding = rule.violated_at(
                    severity(ctx, rule, endpoint),
                    Subject::endpoint(&endpoint.id),
                    format!("{}.", explain(ctx, endpoint)),
                );
                finding.remediation = fix(ctx, endpoint);
                finding
            })
            .collect();
        findings.extend(rule.or_pass(hits, ctx.vpc(), "No endpoint is in this state."));
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    #[test]
    fn each_state_breaks_its_rule() {
        for (state, id, status) in [
            (
                EndpointState::PendingAcceptance,
                "vpce-state-pending-acceptance",
                Status::Fail,
            ),
            (EndpointState::Pending, "vpce-state-pending", Status::Info),
            (EndpointState::Rejected, "vpce-state-rejected", Status::Fail),
            (EndpointState::Expired, "vpce-state-expired", Status::Fail),
            (EndpointState::Failed, "vpce-state-failed", Status::Fail),
            (EndpointState::Partial, "vpce-state-failed", Status::Fail),
            (EndpointState::Deleting, "vpce-state-deleting", Status::Warn),
            (EndpointState::Deleted, "vpce-state-deleting", Status::Warn),
        ] {
            let mut snap = Fixture::healthy();
            assert_pass(&snap, id);
            snap.endpoint("kms").state = state;
            let kms = snap.id_of("kms");
            assert_flags(&snap, id, status, &kms);
        }
    }

    #[test]
    fn pending_acceptance_is_an_error_only_for_aws_services() {
        // A partner endpoint service waiting for acceptance is a warning.
        let troubled = Fixture::troubled();
        let partner = troubled
            .endpoints
            .iter()
            .find(|e| e.state == EndpointState::PendingAcceptance)
            .unwrap();
        let f = assert_flags(
            &troubled,
            "vpce-state-pending-acceptance",
            Status::Warn,
            &partner.id,
        );
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "# In the account of the provider of {} (PROVIDER_PROFILE: a profile of that account):\naws ec2 accept-vpc-endpoint-connections --service-id vpce-svc-0e5d4c3b2a1f09876 --vpc-endpoint-ids {} --profile \"$PROVIDER_PROFILE\" --region us-east-1",
                partner.service_name, partner.id
            )
        );
        // So is a Marketplace service (`aws.api.…`): it is not AWS-owned.
        let mut market = Fixture::healthy();
        let kms = market.endpoint("kms");
        kms.service_name = "aws.api.us-east-1.bedrock-marketplace".into();
        kms.state = EndpointState::PendingAcceptance;
        let id = kms.id.clone();
        let f = assert_flags(&market, "vpce-state-pending-acceptance", Status::Warn, &id);
        assert!(
            f.remediation
                .unwrap()
                .contains("# SERVICE_ID: the id (vpce-svc-…) of aws.api.us-east-1.bedrock-marketplace\naws ec2 accept-vpc-endpoint-connections --service-id \"$SERVICE_ID\" ")
        );
    }

    #[test]
    fn failed_and_rejected_endpoints_get_the_recreate_command_with_the_last_error() {
        let mut snap = Fixture::healthy();
        let kms = snap.endpoint("kms");
        kms.state = EndpointState::Failed;
        kms.last_error = Some(LastError {
            code: Some("InsufficientFreeAddressesInSubnet".into()),
            message: Some("no free IPs".into()),
        });
        let id = kms.id.clone();
        let f = only(&snap, "vpce-state-failed");
        assert!(
            f.detail
                .contains("(LastError: InsufficientFreeAddressesInSubnet no free IPs)"),
            "{}",
            f.detail
        );
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {id} --region us-east-1 --profile data-platform-prod\naws ec2 create-vpc-endpoint --vpc-id {} --service-name com.amazonaws.us-east-1.kms --vpc-endpoint-type Interface --region us-east-1 --profile data-platform-prod",
                snap.vpc.id
            )
        );
        snap.endpoint("kms").state = EndpointState::Pending;
        assert_eq!(only(&snap, "vpce-state-pending").remediation, None);
    }
}
