//! The workload's own security groups (*Security in your VPC on Amazon MWAA*).

use crate::checks::context::Ctx;
use crate::checks::docs::{GATEWAY_ENDPOINTS, MWAA_SECURITY, cite};
use crate::checks::endpoints::security_groups::NO_WORKLOAD_GROUPS;
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::net::{IpNet, all_within, net, nets};
use crate::checks::rule::{Family, Rule};
use crate::checks::shell::quote;
use crate::model::{Protocol, SgRule, Source};

const GROUPS: &[Source] = &[Source::SecurityGroups];

/// One to five security groups (*Security in your VPC on Amazon MWAA › Security overview*).
pub const MWAA_SG_COUNT: Rule = Rule {
    id: "mwaa-sg-count",
    severity: Severity::Error,
    title: "The environment uses one to five security groups",
    docs: &[cite(MWAA_SECURITY, "Security overview")],
    needs: &[],
    reads: &[],
};
/// A workload group that does not admit itself (*Security in your VPC on Amazon MWAA ›
/// (Recommended) Example security group all access*).
pub const MWAA_NO_SELF_REFERENCE: Rule = Rule {
    id: "mwaa-sg-no-self-reference",
    severity: Severity::Warn,
    title: "Workload security groups admit all traffic from themselves (or 5432 and 443)",
    docs: &[cite(
        MWAA_SECURITY,
        "(Recommended) Example security group all access",
    )],
    needs: GROUPS,
    reads: &[],
};
/// A group restricted to 5432 without 443 (*Security in your VPC on Amazon MWAA › (Optional)
/// Example security group that restricts inbound access to port 5432*).
pub const MWAA_5432_WITHOUT_443: Rule = Rule {
    id: "mwaa-sg-5432-without-443",
    severity: Severity::Error,
    title: "A workload security group restricted to TCP 5432 also allows TCP 443",
    docs: &[cite(
        MWAA_SECURITY,
        "(Optional) Example security group that restricts inbound access to port 5432",
    )],
    needs: GROUPS,
    reads: &[],
};
/// Egress that does not reach the endpoints and S3 on 443 (*Security in your VPC on Amazon MWAA
/// › (Recommended) Example security group all access*; *Gateway endpoints › Security*).
pub const MWAA_EGRESS_RESTRICTED: Rule = Rule {
    id: "mwaa-sg-egress-restricted",
    severity: Severity::Warn,
    title: "Workload security groups allow outbound HTTPS to the endpoints and to S3",
    docs: &[
        cite(
            MWAA_SECURITY,
            "(Recommended) Example security group all access",
        ),
        cite(GATEWAY_ENDPOINTS, "Security"),
    ],
    needs: GROUPS,
    reads: &[],
};

/// The workload's own security groups.
pub const FAMILY: Family = Family {
    name: "workload security groups",
    rules: &[
        MWAA_SG_COUNT,
        MWAA_NO_SELF_REFERENCE,
        MWAA_5432_WITHOUT_443,
        MWAA_EGRESS_RESTRICTED,
    ],
    run,
};

fn sg_count(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return MWAA_SG_COUNT.info(ctx.vpc(), NO_ENVIRONMENT);
    };
    let count = env.security_group_ids.len();
    if (1..=5).contains(&count) {
        MWAA_SG_COUNT
            .pass(
                Subject::environment(&env.name),
                format!("{} uses {count} security group(s).", env.name),
            )
            .involving(env.security_group_ids.iter())
    } else {
        MWAA_SG_COUNT
            .violated(Subject::environment(&env.name), format!("{} uses {count} security groups; MWAA accepts one to five.", env.name))
            .involving(env.security_group_ids.iter())
            .fix(format!("# SG_IDS: one to five of its security groups, comma-separated (sg-1,sg-2)\naws mwaa update-environment --name {} --network-configuration \"SecurityGroupIds=$SG_IDS\"", quote(&env.name)))
    }
}

fn restricted_to_5432(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let self_rules: Vec<&SgRule> = group
            .ingress
            .iter()
            .filter(|r| r.group_ids.iter().any(|g| g == id))
            .collect();
        let only_5432 = !self_rules.is_empty()
            && self_rules.iter().all(|r| r.protocol != Protocol::All)
            && self_rules
                .iter()
                .any(|r| r.from_port == Some(5432) && r.to_port == Some(5432));
        if only_5432 && !group.ingress.iter().any(SgRule::covers_https) {
            findings.push(
                MWAA_5432_WITHOUT_443
                    .violated(Subject::group(*id), format!("{id} restricts self-referencing inbound traffic to TCP 5432 and has no TCP 443 rule, so workers cannot reach the web server."))
                    .fix(format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port 443 --source-group {id}")),
            );
        }
    }
    MWAA_5432_WITHOUT_443.or_pass(
        findings,
        ctx.vpc(),
        "No workload security group is restricted to 5432 without 443.",
    )
}

/// True when an outbound rule allows 443 to the group, to every one of the CIDRs, or to the
/// prefix list.
fn egress_allows(
    rules: &[SgRule],
    to_group: Option<&str>,
    to_cidrs: &[IpNet],
    to_prefix_list: Option<&str>,
) -> bool {
    rules.iter().filter(|r| r.covers_https()).any(|r| {
        to_group.is_some_and(|g| r.group_ids.iter().any(|x| x == g))
            || to_prefix_list.is_some_and(|p| r.prefix_list_ids.iter().any(|x| x == p))
            || all_within(&nets(r.ipv4_ranges.iter().chain(&r.ipv6_ranges)), to_cidrs)
    })
}

fn egress_restricted(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    let s3_list = ctx.s3_prefix_list();
    let s3_cidrs = ctx.s3_cidrs();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let open = group
            .egress
            .iter()
            .any(|r| r.protocol == Protocol::All && r.ipv4_ranges.iter().any(|c| c == "0.0.0.0/0"));
        if open {
            continue;
        }
        let mut blocked = Vec::new();
        for endpoint in ctx.available_interfaces() {
            let eni_cidrs: Vec<IpNet> = ctx
                .enis_of(endpoint)
                .filter_map(|n| n.private_ip.as_deref().and_then(net))
                .collect();
            let by_group = endpoint
                .security_group_ids
                .iter()
                .any(|g| egress_allows(&group.egress, Some(g), &[], None));
            if !by_group && !egress_allows(&group.egress, None, &eni_cidrs, None) {
                blocked.push(endpoint.short_service_name().to_string());
            }
        }
        if !ctx.s3_gateways().is_empty()
            && !egress_allows(
                &group.egress,
                None,
                &s3_cidrs,
                s3_list.map(|p| p.id.as_str()),
            )
        {
            blocked.push("S3 (prefix list)".into());
        }
        let (severity, detail) = if blocked.is_empty() {
            (
                Severity::Warn,
                format!(
                    "{id} restricts outbound traffic (not All traffic to 0.0.0.0/0 as the MWAA guide recommends); it still allows 443 to the endpoints and S3."
                ),
            )
        } else {
            (
                Severity::Error,
                format!(
                    "{id} restricts outbound traffic and does not allow TCP 443 to: {}.",
                    blocked.join(", ")
                ),
            )
        };
        let fix = match s3_list {
            Some(pl) => format!(
                "aws ec2 authorize-security-group-egress --group-id {id} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{{PrefixListId={}}}]'",
                pl.id
            ),
            None => format!(
                "# S3_PREFIX_LIST: the id of prefix list com.amazonaws.{}.s3 (aws ec2 describe-managed-prefix-lists)\naws ec2 authorize-security-group-egress --group-id {id} --ip-permissions \"IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{{PrefixListId=$S3_PREFIX_LIST}}]\"",
                ctx.region()
            ),
        };
        findings.push(
            MWAA_EGRESS_RESTRICTED
                .violated_at(severity, Subject::group(*id), detail)
                .fix(fix),
        );
    }
    MWAA_EGRESS_RESTRICTED.or_pass(
        findings,
        ctx.vpc(),
        "Workload security groups allow all outbound traffic.",
    )
}

/// Rule 33: the recommended self-reference admits all traffic; the accepted alternative is
/// TCP 5432 plus TCP 443 from the group itself (rule 34).
fn no_self_reference(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = Vec::new();
    for id in &ctx.workload.security_group_ids {
        let Some(group) = ctx.group(id) else { continue };
        let from_self: Vec<&SgRule> = group
            .ingress
            .iter()
            .filter(|r| r.group_ids.iter().any(|g| g == id))
            .collect();
        let all = from_self.iter().any(|r| r.protocol == Protocol::All);
        let covers = |port: i32| from_self.iter().any(|r| r.covers_tcp(port));
        let admitted = all || (covers(5432) && covers(443));
        if !admitted {
            findings.push(
                MWAA_NO_SELF_REFERENCE
                    .violated(Subject::group(*id), format!("{id} has no inbound rule admitting all traffic from itself (nor TCP 5432 and 443 from itself): the environment's components cannot reach each other."))
                    .fix(format!("aws ec2 authorize-security-group-ingress --group-id {id} --ip-permissions 'IpProtocol=-1,UserIdGroupPairs=[{{GroupId={id}}}]'")),
            );
        }
    }
    MWAA_NO_SELF_REFERENCE.or_pass(
        findings,
        ctx.vpc(),
        "Every workload security group admits traffic from itself.",
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = vec![sg_count(ctx)];
    if ctx.workload.security_group_ids.is_empty() {
        findings.extend(
            [
                MWAA_NO_SELF_REFERENCE,
                MWAA_5432_WITHOUT_443,
                MWAA_EGRESS_RESTRICTED,
            ]
            .map(|r| r.info(ctx.vpc(), NO_WORKLOAD_GROUPS)),
        );
    } else {
        findings.extend(no_self_reference(ctx));
        findings.extend(restricted_to_5432(ctx));
        findings.extend(egress_restricted(ctx));
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

    #[test]
    fn workload_security_group_rules() {
        let snap = Fixture::healthy();
        for id in [
            "mwaa-sg-count",
            "mwaa-sg-no-self-reference",
            "mwaa-sg-5432-without-443",
            "mwaa-sg-egress-restricted",
        ] {
            assert_pass(&snap, id);
        }
        let env_sg = snap.env_sg();

        let mut no_self = snap.clone();
        no_self.group(&env_sg).ingress = vec![tcp(443, &[], &[&env_sg])];
        assert_flags(&no_self, "mwaa-sg-no-self-reference", Status::Warn, &env_sg);
        // The restricted alternative of the MWAA guide: 5432 and 443 from itself.
        no_self
            .group(&env_sg)
            .ingress
            .push(tcp(5432, &[], &[&env_sg]));
        assert_pass(&no_self, "mwaa-sg-no-self-reference");

        let mut many = snap.clone();
        many.environment.as_mut().unwrap().security_group_ids =
            (0..6).map(|i| format!("sg-0{i:016x}")).collect();
        assert_eq!(only(&many, "mwaa-sg-count").status, Status::Fail);
        many.environment
            .as_mut()
            .unwrap()
            .security_group_ids
            .clear();
        assert_eq!(only(&many, "mwaa-sg-count").status, Status::Fail);

        let mut only_5432 = snap;
        only_5432.group(&env_sg).ingress = vec![tcp(5432, &[], &[&env_sg])];
        let f = assert_flags(
            &only_5432,
            "mwaa-sg-5432-without-443",
            Status::Fail,
            &env_sg,
        );
        assert_eq!(
            f.remediation.unwrap(),
            format!(
                "aws ec2 authorize-security-group-ingress --group-id {env_sg} --protocol tcp --port 443 --source-group {env_sg} --region us-east-1 --profile data-platform-prod"
            )
        );
        // With a 443 rule beside it, the restriction is fine.
        only_5432
            .group(&env_sg)
            .ingress
            .push(tcp(443, &["10.30.0.0/16"], &[]));
        assert_pass(&only_5432, "mwaa-sg-5432-without-443");
    }

    #[test]
    fn restricted_egress_must_still_reach_the_endpoints_and_s3() {
        let snap = Fixture::healthy();
        let env_sg = snap.env_sg();
        // Egress limited to 443 on the VPC only: S3 through the prefix list is blocked.
        let mut egress = snap;
        egress.group(&env_sg).egress = vec![tcp(443, &["10.30.0.0/16"], &[])];
        let f = assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Fail, &env_sg);
        assert!(f.detail.contains("S3 (prefix list)"), "{}", f.detail);
        assert!(
            !f.detail.contains("sqs"),
            "the endpoints are reachable: {}",
            f.detail
        );
        let pl = egress
            .prefix_lists
            .iter()
            .find(|p| p.name.ends_with(".s3"))
            .unwrap()
            .id
            .clone();
        egress.group(&env_sg).egress[0].prefix_list_ids.push(pl);
        assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Warn, &env_sg);
        // Egress to S3 only: the endpoints are blocked.
        egress.group(&env_sg).egress[0].ipv4_ranges.clear();
        let f = assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Fail, &env_sg);
        assert!(f.detail.contains("sqs") && !f.detail.contains("S3 (prefix list)"));
        // Egress to the endpoints' group counts.
        egress.group(&env_sg).egress[0]
            .group_ids
            .push(env_sg.clone());
        assert_flags(&egress, "mwaa-sg-egress-restricted", Status::Warn, &env_sg);
    }
}
