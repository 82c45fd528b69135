//! Endpoint security groups (*Access an AWS service using an interface VPC endpoint ›
//! Prerequisites*, *› Create a VPC endpoint*; *Creating the required VPC service endpoints in an
//! Amazon VPC with private routing › (Required) VPC endpoints*).

pub use super::https::{HttpsAdmission, Sources, admission, admits_https, https_fix};
use crate::checks::context::Ctx;
use crate::checks::docs::{INTERFACE_ENDPOINTS, MWAA_ENDPOINTS, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::Source;

const NEEDS: &[Source] = &[Source::SecurityGroups, Source::VpcEndpoints];

/// An interface endpoint whose groups do not admit HTTPS from the workload (*Access an AWS
/// service using an interface VPC endpoint › Prerequisites*).
pub const NO_HTTPS_INBOUND: Rule = Rule {
    id: "vpce-sg-no-https-inbound",
    severity: Severity::Error,
    title: "Interface endpoint security groups admit HTTPS (TCP 443) from the workload",
    docs: &[cite(INTERFACE_ENDPOINTS, "Prerequisites")],
    needs: NEEDS,
    reads: &[],
};
/// An interface endpoint with only the VPC's default group (*Access an AWS service using an
/// interface VPC endpoint › Create a VPC endpoint*).
pub const DEFAULT_SG_ONLY: Rule = Rule {
    id: "vpce-default-sg-only",
    severity: Severity::Warn,
    title: "Interface endpoints use a purpose-made security group, not only the VPC default",
    docs: &[cite(INTERFACE_ENDPOINTS, "Create a VPC endpoint")],
    needs: NEEDS,
    reads: &[],
};
/// An MWAA interface endpoint without the environment's security group (*Creating the required
/// VPC service endpoints in an Amazon VPC with private routing › (Required) VPC endpoints*).
pub const MISSING_ENV_SG: Rule = Rule {
    id: "mwaa-vpce-missing-env-sg",
    severity: Severity::Warn,
    title: "MWAA interface endpoints carry the environment's security group",
    docs: &[cite(MWAA_ENDPOINTS, "(Required) VPC endpoints")],
    needs: NEEDS,
    reads: &[],
};

/// Endpoint security groups.
pub const FAMILY: Family = Family {
    name: "endpoint security groups",
    rules: &[NO_HTTPS_INBOUND, DEFAULT_SG_ONLY, MISSING_ENV_SG],
    run,
};

fn no_https_inbound(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = ctx
        .available_interfaces()
        .map(|e| (e, admits_https(ctx, e)))
        .filter(|(_, admission)| !admission.admitted)
        .map(|(e, admission)| {
            NO_HTTPS_INBOUND
                .violated(
                    Subject::endpoint(&e.id),
                    format!(
                        "{}: clients time out connecting to {}.",
                        admission.text,
                        e.short_service_name()
                    ),
                )
                .involving(admission.groups)
                .fix(https_fix(ctx, e))
        })
        .collect();
    NO_HTTPS_INBOUND.or_pass(
        failures,
        ctx.vpc(),
        "Every available interface endpoint admits TCP 443 from the workload.",
    )
}

fn default_sg_only(ctx: &Ctx) -> Vec<Finding> {
    let failures: Vec<Finding> = ctx.available_interfaces()
        .filter(|e| {
            matches!(e.security_group_ids.as_slice(), [only] if ctx.group(only).is_some_and(|g| g.name == "default"))
        })
        .map(|e| {
            let group = &e.security_group_ids[0];
            let fix = match ctx.workload.security_group_ids.first() {
                Some(sg) => format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids {sg} --remove-security-group-ids {group}", e.id),
                None => format!("# ENDPOINT_SG: a security group for {} that admits TCP 443 from the workload\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids \"$ENDPOINT_SG\" --remove-security-group-ids {group}", e.id, e.id),
            };
            DEFAULT_SG_ONLY
                .violated(Subject::endpoint(&e.id), format!("{} uses only the VPC default security group {group}, which AWS attaches when none is chosen.", e.id))
                .involving([group])
                .fix(fix)
        })
        .collect();
    DEFAULT_SG_ONLY.or_pass(
        failures,
        ctx.vpc(),
        "No interface endpoint relies on the default security group alone.",
    )
}

/// Rule 31: each MWAA interface endpoint shares a group with the workload; when it does not
/// but its groups still admit 443 from the workload (rule 29), that is only worth knowing.
fn missing_env_sg(ctx: &Ctx) -> Vec<Finding> {
    let workload = &ctx.workload.security_group_ids;
    let findings = ctx.available_interfaces()
        .filter(|e| ctx.is_mwaa_service(e))
        .filter(|e| !e.security_group_ids.iter().any(|g| workload.contains(&g.as_str())))
        .map(|e| {
            let fix = format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-security-group-ids {}",
                e.id, workload[0]
            );
            let groups = e.security_group_ids.join(", ");
            let admission = admits_https(ctx, e);
            if admission.admitted {
                MISSING_ENV_SG.info(
                    Subject::endpoint(&e.id),
                    format!("{} does not carry the workload's security group, but {}, so it is reachable.", e.id, admission.text),
                )
            } else {
                MISSING_ENV_SG
                    .violated(
                        Subject::endpoint(&e.id),
                        format!("{} ({}) does not carry the workload's {} (it has {groups}), and its groups do not admit TCP 443 from the workload.", e.id, e.short_service_name(), workload.join(", ")),
                    )
                    .involving(admission.groups)
                    .fix(fix)
            }
        })
        .collect();
    MISSING_ENV_SG.or_pass(
        findings,
        ctx.vpc(),
        "Every available MWAA interface endpoint carries the workload's security group.",
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = no_https_inbound(ctx);
    findings.extend(default_sg_only(ctx));
    if ctx.workload.security_group_ids.is_empty() {
        findings.push(MISSING_ENV_SG.info(ctx.vpc(), NO_WORKLOAD_GROUPS));
    } else {
        findings.extend(missing_env_sg(ctx));
    }
    findings
}

/// Why rules about the workload's own groups do not apply.
pub const NO_WORKLOAD_GROUPS: &str =
    "No workload security groups were named (--mwaa-env or --security-groups); not applicable.";

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    /// The healthy demo with kms behind the VPC's default group alone.
    fn kms_on_default_group() -> Fixture {
        let mut snap = Fixture::healthy();
        let default = snap
            .security_groups
            .iter()
            .find(|g| g.name == "default")
            .unwrap()
            .id
            .clone();
        snap.endpoint("kms").security_group_ids = vec![default];
        snap
    }

    #[test]
    fn endpoint_groups_must_admit_443_from_the_workload() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "vpce-sg-no-https-inbound");
        assert_pass(&snap, "vpce-default-sg-only");

        // Only port 80 from the VPC: no HTTPS.
        let mut closed = snap;
        let env_sg = closed.env_sg();
        closed.group(&env_sg).ingress = vec![tcp(80, &["10.30.0.0/16"], &[])];
        let sqs = closed.id_of("sqs");
        let f = assert_flags(&closed, "vpce-sg-no-https-inbound", Status::Fail, &sqs);
        assert!(f.involves(&env_sg));
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 authorize-security-group-ingress --group-id {env_sg} --protocol tcp --port 443 --source-group {env_sg} --region us-east-1 --profile data-platform-prod"
            )
        );
        // A 443 rule from the VPC CIDR covers the workload subnets.
        closed.group(&env_sg).ingress = vec![tcp(443, &["10.30.0.0/16"], &[])];
        assert_pass(&closed, "vpce-sg-no-https-inbound");
        // A CIDR that covers only one workload subnet does not.
        closed.group(&env_sg).ingress = vec![tcp(443, &["10.30.1.0/24"], &[])];
        assert_flags(&closed, "vpce-sg-no-https-inbound", Status::Fail, &sqs);
        // A prefix list is taken as admitting (its entries are not read).
        let mut listed = tcp(443, &[], &[]);
        listed.prefix_list_ids = vec!["pl-0123456789abcdef0".into()];
        closed.group(&env_sg).ingress = vec![listed];
        assert_pass(&closed, "vpce-sg-no-https-inbound");
        // All traffic from the workload's group admits 443.
        let mut all = tcp(0, &[], &[&env_sg]);
        all.protocol = Protocol::All;
        closed.group(&env_sg).ingress = vec![all];
        assert_pass(&closed, "vpce-sg-no-https-inbound");
        // A UDP rule on 443 does not.
        let mut udp = tcp(443, &["10.30.0.0/16"], &[]);
        udp.protocol = Protocol::Udp;
        closed.group(&env_sg).ingress = vec![udp];
        assert_flags(&closed, "vpce-sg-no-https-inbound", Status::Fail, &sqs);

        let default_only = kms_on_default_group();
        let kms = default_only.id_of("kms");
        assert_flags(&default_only, "vpce-default-sg-only", Status::Warn, &kms);
    }

    #[test]
    fn mwaa_endpoints_should_carry_the_environment_security_group() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-vpce-missing-env-sg");
        let env_sg = snap.env_sg();

        // The default group admits only itself: the workload cannot reach kms.
        let default_only = kms_on_default_group();
        let kms = default_only.id_of("kms");
        let f = assert_flags(
            &default_only,
            "mwaa-vpce-missing-env-sg",
            Status::Warn,
            &kms,
        );
        assert_eq!(
            f.remediation.as_deref(),
            Some(format!("aws ec2 modify-vpc-endpoint --vpc-endpoint-id {kms} --add-security-group-ids {env_sg} --region us-east-1 --profile data-platform-prod").as_str())
        );

        // A dedicated group that admits 443 from the workload: worth knowing, not a problem.
        let mut dedicated = snap.clone();
        let template = dedicated.security_groups[0].clone();
        dedicated.security_groups.push(SecurityGroup {
            id: "sg-0aaaabbbbccccdddd".into(),
            name: "mwaa-endpoints".into(),
            ingress: vec![tcp(443, &[], &[&env_sg])],
            ..template
        });
        dedicated.endpoint("kms").security_group_ids = vec!["sg-0aaaabbbbccccdddd".into()];
        let kms = dedicated.id_of("kms");
        assert_flags(&dedicated, "mwaa-vpce-missing-env-sg", Status::Info, &kms);

        let mut unnamed = snap;
        unnamed.workload.security_group_ids.clear();
        unnamed.environment = None;
        unnamed.workload.origin = WorkloadOrigin::Unspecified;
        assert_eq!(
            only(&unnamed, "mwaa-vpce-missing-env-sg").status,
            Status::Info
        );
    }
}
