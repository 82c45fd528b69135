//! The environment's own endpoints, for its metadata database and web server: checklist rows
//! when the customer manages them (`EndpointManagement` = `CUSTOMER`), context when MWAA does.

use crate::checks::context::Ctx;
use crate::checks::docs::{Cite, MWAA_OWN_ENDPOINTS, cite};
use crate::checks::endpoints::states::{explain, mwaa_accepts_within};
use crate::checks::finding::{ChecklistItem, Finding, Severity, Subject};
use crate::checks::fixes::create_interface_fix;
use crate::checks::mwaa::wrong_place::{in_other_vpcs, other_vpcs_text};
use crate::checks::network::shared_vpc::out_of_sight;
use crate::checks::rule::Rule;
use crate::model::{EndpointState, EndpointType, MwaaEnvironment, Source, VpcEndpoint};

const DOCS: &[Cite] = &[cite(MWAA_OWN_ENDPOINTS, "")];

const fn row_rule(id: &'static str, title: &'static str) -> Rule {
    Rule {
        id,
        severity: Severity::Error,
        title,
        docs: DOCS,
        needs: &[Source::VpcEndpoints],
        reads: &[Source::EndpointsElsewhere, Source::CallerIdentity],
    }
}

/// `mwaa.endpoint.database`: the endpoint of `DatabaseVpcEndpointService`.
pub const DATABASE: Rule = row_rule(
    "mwaa.endpoint.database",
    "The environment's metadata database endpoint (customer-managed) is available in the workload subnets with the environment's security group",
);
/// `mwaa.endpoint.webserver`: the endpoint of `WebserverVpcEndpointService` (private web server).
pub const WEBSERVER: Rule = row_rule(
    "mwaa.endpoint.webserver",
    "The environment's web server endpoint (customer-managed, private access) is available in the workload subnets with the environment's security group",
);

/// The rows, after the ten required endpoints: the database always, the web server with
/// private access; none without an environment.
pub fn rows(ctx: &Ctx) -> Vec<Finding> {
    let Some(env) = &ctx.snap.environment else {
        return Vec::new();
    };
    let private = env.webserver_access_mode.as_deref() == Some("PRIVATE_ONLY");
    let mut rows = vec![(&DATABASE, "database", &env.database_vpc_endpoint_service)];
    if private {
        rows.push((&WEBSERVER, "webserver", &env.webserver_vpc_endpoint_service));
    }
    rows.into_iter()
        .map(|(rule, key, service)| {
            row(ctx, env, rule, key, service.as_deref())
                .row(rule.id, ChecklistItem::Endpoint(key.into()))
        })
        .collect()
}

fn row(ctx: &Ctx, env: &MwaaEnvironment, rule: &Rule, key: &str, service: Option<&str>) -> Finding {
    let subject = Subject::environment(&env.name);
    if env.endpoint_management.as_deref() != Some("CUSTOMER") {
        return rule.info(
            subject,
            format!(
                "{} manages the {key} endpoint itself (EndpointManagement {}); it accepts its connection too.",
                "Amazon MWAA",
                env.endpoint_management.as_deref().unwrap_or("SERVICE, the default")
            ),
        );
    }
    let Some(service) = service else {
        return rule.unknown(
            subject,
            format!(
                "GetEnvironment does not name the {key} endpoint service of {} yet (it does once the environment is created).",
                env.name
            ),
        );
    };
    let subject = Subject::service(service);
    let candidates: Vec<&VpcEndpoint> = ctx
        .snap
        .endpoints
        .iter()
        .filter(|e| e.service_name == service && e.endpoint_type == EndpointType::Interface)
        .collect();
    if let Some(endpoint) = candidates
        .iter()
        .find(|e| e.state == EndpointState::Available)
    {
        return placed(ctx, env, rule, subject, endpoint);
    }
    if let Some(pending) = candidates
        .iter()
        .find(|e| e.state == EndpointState::PendingAcceptance)
    {
        let (severity, age) = mwaa_accepts_within(ctx, pending);
        return rule
            .violated_at(
                severity,
                subject,
                format!(
                    "{} is pendingAcceptance{age}: Amazon MWAA accepts the connections of its own endpoint services itself; wait, and look at the environment's status if it lasts.",
                    pending.id
                ),
            )
            .involving([pending.id.clone()]);
    }
    let fix = create_interface_fix(ctx, service, "");
    let gone = candidates.iter().all(|e| e.state == EndpointState::Deleted);
    if gone && let Some(owner) = ctx.shared_owner() {
        return rule.unknown(
            subject,
            format!(
                "No endpoint for {service} is visible in {}: {}",
                ctx.vpc_id(),
                out_of_sight(owner)
            ),
        );
    }
    let found = in_other_vpcs(ctx, service);
    let mut detail = match candidates.is_empty() {
        true => format!("No endpoint for {service} in {}.", ctx.vpc_id()),
        false => format!(
            "No available endpoint for {service}: {}.",
            candidates
                .iter()
                .map(|e| explain(ctx, e))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    if let Some(text) = other_vpcs_text(ctx, &found) {
        detail.push(' ');
        detail.push_str(&text);
    }
    rule.violated(subject, detail)
        .involving(candidates.iter().map(|e| e.id.clone()))
        .involving(found.iter().map(|e| e.id.clone()))
        .fix(fix)
}

/// An available endpoint must sit in every workload subnet and carry the environment's group.
fn placed(
    ctx: &Ctx,
    env: &MwaaEnvironment,
    rule: &Rule,
    subject: Subject,
    endpoint: &VpcEndpoint,
) -> Finding {
    let missing_subnets: Vec<&str> = ctx
        .workload
        .subnets
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| !endpoint.subnet_ids.iter().any(|s| s == id))
        .collect();
    let has_group = env
        .security_group_ids
        .iter()
        .any(|g| endpoint.security_group_ids.contains(g));
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    if !missing_subnets.is_empty() {
        problems.push(format!("is not in {}", missing_subnets.join(", ")));
        fixes.push(format!(
            "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-subnet-ids {} --region {}",
            endpoint.id,
            missing_subnets.join(" "),
            ctx.region()
        ));
    }
    if !has_group && let Some(group) = env.security_group_ids.first() {
        problems.push(format!(
            "does not carry the environment's security group {group}"
        ));
        fixes.push(format!(
            "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids {group} --region {}",
            endpoint.id,
            ctx.region()
        ));
    }
    let finding = if problems.is_empty() {
        rule.pass(
            subject,
            format!(
                "{} is available in the workload subnets with the environment's security group.",
                endpoint.id
            ),
        )
    } else {
        rule.violated(
            subject,
            format!(
                "{} is available but {}.",
                endpoint.id,
                problems.join(" and ")
            ),
        )
        .fix(fixes.join("\n"))
    };
    finding.involving([endpoint.id.clone()])
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    const DB: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0db0000000000000a";
    const WEB: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0web000000000000b";

    /// The healthy demo with customer-managed endpoints and both services named.
    fn customer() -> Fixture {
        let mut snap = Fixture::healthy();
        let env = snap.environment.as_mut().unwrap();
        env.endpoint_management = Some("CUSTOMER".into());
        env.database_vpc_endpoint_service = Some(DB.into());
        env.webserver_vpc_endpoint_service = Some(WEB.into());
        snap
    }

    fn own_endpoint(snap: &mut Fixture, id: &str, service: &str) {
        let mut endpoint = snap.endpoint("kms").clone();
        endpoint.id = id.into();
        endpoint.service_name = service.into();
        endpoint.private_dns_enabled = false;
        endpoint.security_group_ids = snap
            .environment
            .as_ref()
            .unwrap()
            .security_group_ids
            .clone();
        snap.endpoints.push(endpoint);
    }

    #[test]
    fn customer_managed_rows_pass_when_placed_and_fail_with_the_create_command() {
        let mut snap = customer();
        let db = only(&snap, "mwaa.endpoint.database");
        assert_eq!(db.status, Status::Fail);
        let fix = db.remediation.unwrap();
        assert!(
            fix.starts_with(&format!(
                "aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface --service-name {DB} --subnet-ids ",
                snap.vpc.id
            )) && fix.contains(&format!("--security-group-ids {}", snap.env_sg())),
            "{fix}"
        );
        assert_eq!(only(&snap, "mwaa.endpoint.webserver").status, Status::Fail);
        own_endpoint(&mut snap, "vpce-0db", DB);
        own_endpoint(&mut snap, "vpce-0web", WEB);
        assert_pass(&snap, "mwaa.endpoint.database");
        assert_pass(&snap, "mwaa.endpoint.webserver");
        // Without the environment's group, the row says so and adds it.
        let last = snap.endpoints.len() - 1;
        snap.endpoints[last].security_group_ids = vec!["sg-0other".into()];
        let web = only(&snap, "mwaa.endpoint.webserver");
        assert_eq!(web.status, Status::Fail);
        assert!(
            web.remediation
                .unwrap()
                .contains("--add-security-group-ids"),
        );
        // Public web server access: no web server row.
        snap.environment.as_mut().unwrap().webserver_access_mode = Some("PUBLIC_ONLY".into());
        assert!(findings(&snap, "mwaa.endpoint.webserver").is_empty());
    }

    #[test]
    fn service_managed_rows_are_context_and_a_shared_vpc_is_unknown() {
        let mut snap = Fixture::healthy();
        snap.environment.as_mut().unwrap().endpoint_management = Some("SERVICE".into());
        assert_eq!(only(&snap, "mwaa.endpoint.database").status, Status::Info);
        assert_eq!(only(&snap, "mwaa.endpoint.webserver").status, Status::Info);
        let mut shared = customer();
        for s in &mut shared.subnets {
            s.owner_id = Some("444455556666".into());
        }
        let db = only(&shared, "mwaa.endpoint.database");
        assert_eq!(db.status, Status::Unknown, "{}", db.detail);
        assert!(
            db.detail.contains("shared VPC owned by 444455556666"),
            "{}",
            db.detail
        );
        let mut none = Fixture::healthy();
        none.environment = None;
        assert!(findings(&none, "mwaa.endpoint.database").is_empty());
    }

    #[test]
    fn pending_acceptance_by_mwaa_is_context_then_a_warning() {
        let mut snap = customer();
        own_endpoint(&mut snap, "vpce-0db", DB);
        let last = snap.endpoints.len() - 1;
        snap.endpoints[last].state = EndpointState::PendingAcceptance;
        snap.endpoints[last].creation_timestamp = Some("2026-11-25T05:55:00Z".into());
        snap.captured_at = "2026-11-25T06:00:00Z".into();
        let db = only(&snap, "mwaa.endpoint.database");
        assert_eq!(db.status, Status::Info, "{}", db.detail);
        snap.endpoints[last].creation_timestamp = Some("2026-11-25T04:00:00Z".into());
        let db = only(&snap, "mwaa.endpoint.database");
        assert_eq!(db.status, Status::Warn, "{}", db.detail);
        assert!(db.detail.contains("for 120 min"), "{}", db.detail);
    }
}
