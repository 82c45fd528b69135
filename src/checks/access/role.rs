//! The execution role: does it allow every action MWAA's execution role documentation
//! requires, on the environment's own resources? Judged with the one policy evaluator
//! (`checks::policy`) over the role's inline and attached policies, intersected with its
//! permissions boundary. What linkscope cannot read (an organization's service control
//! policies) is said, never passed over.

use serde_json::{Value, json};

use super::{account_of, environment_arn, log_groups};
use crate::checks::context::Ctx;
use crate::checks::docs::{IAM_EVALUATION, MWAA_EXECUTION_ROLE, cite};
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::policy::{At, Decision, Policy, Request, decide_among, parse};
use crate::checks::rule::{Family, Rule};
use crate::checks::shell::quote;
use crate::model::{ExecutionRole, MwaaEnvironment, Source};

/// Every read the role's verdict rests on.
const READS: &[Source] = &[
    Source::ExecutionRole,
    Source::InlinePolicies,
    Source::AttachedPolicies,
    Source::PermissionsBoundary,
];

/// The role allows what MWAA needs, on the environment's resources.
pub const PERMISSIONS: Rule = Rule {
    id: "mwaa-execution-role-permissions",
    severity: Severity::Error,
    title: "The execution role allows every action MWAA needs on the environment's resources",
    docs: &[
        cite(
            MWAA_EXECUTION_ROLE,
            "Sample JSON policies for an execution role",
        ),
        cite(
            IAM_EVALUATION,
            "Determining whether a request is allowed or denied within an account",
        ),
    ],
    needs: &[],
    reads: READS,
};

/// What the audit cannot see of the role's effective permissions.
pub const UNSEEN: Rule = Rule {
    id: "mwaa-execution-role-unseen-policies",
    severity: Severity::Info,
    title: "Policies beyond the role that can deny what it allows (service control policies)",
    docs: &[cite(
        IAM_EVALUATION,
        "How AWS Organizations service control policies affect the evaluation",
    )],
    needs: &[],
    reads: &[Source::ExecutionRole],
};

/// The execution role.
pub const FAMILY: Family = Family {
    name: "MWAA execution role",
    rules: &[PERMISSIONS, UNSEEN],
    run,
};

/// A group of actions MWAA needs on one resource, and the documented statement that grants
/// them.
pub struct Need {
    /// What MWAA does with them, for messages (`use its Celery queues`).
    pub purpose: &'static str,
    /// The actions judged, one by one.
    pub actions: &'static [&'static str],
    /// The resource, as the documentation writes it (its `*` taken literally).
    pub resource: String,
    /// The request contexts each action is judged under (one request per context).
    pub contexts: Vec<Vec<(&'static str, Option<String>)>>,
    /// The statement of the documentation's sample policy that grants them.
    pub statement: Value,
}

const S3_OBJECT_ACTIONS: &[&str] = &["s3:GetObject", "s3:GetObjectVersion"];
const S3_BUCKET_ACTIONS: &[&str] = &[
    "s3:GetBucketLocation",
    "s3:GetBucketVersioning",
    "s3:ListBucket",
];
const LOGS_ACTIONS: &[&str] = &[
    "logs:CreateLogStream",
    "logs:CreateLogGroup",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:GetLogRecord",
    "logs:GetLogGroupFields",
    "logs:GetQueryResults",
];
const SQS_ACTIONS: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
];
const KMS_ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKey",
    "kms:Encrypt",
];

/// What MWAA's execution role documentation requires of `env`'s role: the sample policy for
/// a customer managed key when the environment names one, else the one for an AWS owned key
/// (whose KMS statement is not the environment's to judge).
pub fn needs(ctx: &Ctx, env: &MwaaEnvironment, role_arn: &str) -> Vec<Need> {
    let region = ctx.region();
    let account = account_of(ctx, role_arn);
    let plain = || vec![vec![("kms:ViaService", None)]];
    let bucket = env
        .source_bucket_arn
        .clone()
        .unwrap_or_else(|| "arn:aws:s3:::<source-bucket>".into());
    let environment = environment_arn(ctx, env, &account);
    let logs = log_groups(region, &account, &env.name);
    let queues = format!("arn:aws:sqs:{region}:*:airflow-celery-*");
    let bucket_statement = json!({
        "Effect": "Allow",
        "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
        "Resource": [bucket, format!("{bucket}/*")]
    });
    let mut needs = vec![
        Need {
            purpose: "publish the environment's metrics",
            actions: &["airflow:PublishMetrics"],
            resource: environment.clone(),
            contexts: plain(),
            statement: json!({"Effect": "Allow", "Action": "airflow:PublishMetrics", "Resource": environment}),
        },
        Need {
            purpose: "read the DAGs, plugins and requirements",
            actions: S3_OBJECT_ACTIONS,
            resource: format!("{bucket}/*"),
            contexts: plain(),
            statement: bucket_statement.clone(),
        },
        Need {
            purpose: "read the source bucket",
            actions: S3_BUCKET_ACTIONS,
            resource: bucket,
            contexts: plain(),
            statement: bucket_statement,
        },
        Need {
            purpose: "write the Apache Airflow logs",
            actions: LOGS_ACTIONS,
            resource: logs.clone(),
            contexts: plain(),
            statement: json!({"Effect": "Allow", "Action": LOGS_ACTIONS, "Resource": [logs]}),
        },
        Need {
            purpose: "publish metrics to CloudWatch",
            actions: &["cloudwatch:PutMetricData"],
            resource: "*".into(),
            contexts: plain(),
            statement: json!({"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"}),
        },
        Need {
            purpose: "use its Celery queues",
            actions: SQS_ACTIONS,
            resource: queues.clone(),
            contexts: plain(),
            statement: json!({"Effect": "Allow", "Action": SQS_ACTIONS, "Resource": queues}),
        },
    ];
    if let Some(key) = &env.kms_key {
        let key = ctx
            .snap
            .kms_key
            .as_ref()
            .and_then(|k| k.arn.clone())
            .unwrap_or_else(|| key.clone());
        let via = [
            format!("sqs.{region}.amazonaws.com"),
            format!("s3.{region}.amazonaws.com"),
        ];
        needs.push(Need {
            purpose: "encrypt with the customer managed key through SQS and S3",
            actions: KMS_ACTIONS,
            resource: key.clone(),
            contexts: via
                .iter()
                .map(|service| vec![("kms:ViaService", Some(service.clone()))])
                .collect(),
            statement: json!({
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"],
                "Resource": key,
                "Condition": {"StringLike": {"kms:ViaService": via}}
            }),
        });
    }
    needs
}

/// A policy of the role, parsed, with how messages name it and the ARN it has.
struct Named {
    name: String,
    arn: Option<String>,
    policy: Policy,
}

/// Why the role does not (certainly) allow one action.
enum Verdict {
    /// Allowed by the role's policies within its boundary.
    Allowed,
    /// Not allowed: why, and which policy (name, ARN) a fix would change.
    Missing { reason: String, by: Blocker },
    /// Allowed or denied under conditions the request does not tell.
    Conditional(String),
}

/// What stands in the way of an action.
#[derive(PartialEq)]
enum Blocker {
    /// No statement allows it: a statement must be added.
    NoAllow,
    /// An explicit Deny of this policy (name, ARN).
    Deny(String, Option<String>),
    /// The permissions boundary does not allow it.
    Boundary,
}

fn judge(identity: &[Named], boundary: Option<&Named>, request: &Request) -> Verdict {
    let unsure = |at: At, keys: Vec<String>, name: &str| {
        Verdict::Conditional(format!(
            "{} of policy {name} decides it under conditions on {} that linkscope cannot tell",
            at.statement,
            keys.join(", ")
        ))
    };
    match decide_among(identity.iter().map(|n| &n.policy), request) {
        Decision::Denied(at) => {
            let named = &identity[at.policy];
            return Verdict::Missing {
                reason: format!("denied by {} of policy {}", at.statement, named.name),
                by: Blocker::Deny(named.name.clone(), named.arn.clone()),
            };
        }
        Decision::NotAllowed => {
            let policies = match identity.len() {
                1 => "policy".to_string(),
                n => format!("{n} policies"),
            };
            return Verdict::Missing {
                reason: format!("no statement of the role's {policies} allows it"),
                by: Blocker::NoAllow,
            };
        }
        Decision::Conditional(at, keys) => {
            return unsure(at.clone(), keys, &identity[at.policy].name);
        }
        Decision::Allowed(_) => {}
    }
    let Some(boundary) = boundary else {
        return Verdict::Allowed;
    };
    let reason = match boundary.policy.decide(request) {
        Decision::Allowed(_) => return Verdict::Allowed,
        Decision::Conditional(at, keys) => return unsure(at, keys, &boundary.name),
        Decision::Denied(at) => format!(
            "denied by {} of the permissions boundary {}",
            at.statement, boundary.name
        ),
        Decision::NotAllowed => format!(
            "the permissions boundary {} does not allow it",
            boundary.name
        ),
    };
    Verdict::Missing {
        reason,
        by: Blocker::Boundary,
    }
}

/// The role's policies, parsed; the error names the one that does not parse.
fn parsed(role: &ExecutionRole) -> Result<(Vec<Named>, Option<Named>), String> {
    let named = |document: &crate::model::PolicyDocument| {
        parse(&document.document)
            .map(|policy| Named {
                name: document.name.clone(),
                arn: document.arn.clone(),
                policy,
            })
            .map_err(|e| {
                format!(
                    "policy {} of role {} is not readable IAM JSON: {e}",
                    document.name, role.name
                )
            })
    };
    let identity = role.policies().map(named).collect::<Result<Vec<_>, _>>()?;
    let boundary = role.boundary.as_ref().map(named).transpose()?;
    Ok((identity, boundary))
}

/// One need's findings: a failure naming each missing action, or an unknown for actions
/// decided under conditions, or nothing when every action is allowed.
fn judge_need(
    role: &ExecutionRole,
    (identity, boundary): (&[Named], Option<&Named>),
    need: &Need,
    context_base: &[(&'static str, Option<String>)],
) -> Option<Finding> {
    let mut missing: Vec<(String, Blocker)> = Vec::new();
    let mut unsure: Vec<String> = Vec::new();
    for action in need.actions {
        for extra in &need.contexts {
            let context: Vec<(&str, Option<&str>)> = context_base
                .iter()
                .chain(extra)
                .map(|(k, v)| (*k, v.as_deref()))
                .collect();
            let request = Request {
                action,
                resource: &need.resource,
                caller: None,
                context: &context,
            };
            let via = extra
                .iter()
                .find_map(|(k, v)| (*k == "kms:ViaService").then_some(v.as_deref()).flatten())
                .map(|service| format!(" via {service}"))
                .unwrap_or_default();
            match judge(identity, boundary, &request) {
                Verdict::Allowed => {}
                Verdict::Missing { reason, by } => {
                    let line = format!("{action}{via} ({reason})");
                    if !missing.iter().any(|(l, _)| *l == line) {
                        missing.push((line, by));
                    }
                }
                Verdict::Conditional(reason) => unsure.push(format!("{action}{via} ({reason})")),
            }
        }
    }
    let subject = Subject::role(&role.arn);
    let involved = identity
        .iter()
        .chain(boundary)
        .filter_map(|n| n.arn.clone());
    if missing.is_empty() && unsure.is_empty() {
        return None;
    }
    if missing.is_empty() {
        return Some(
            PERMISSIONS
                .unknown(
                    subject,
                    format!(
                        "Role {} may not allow what MWAA needs to {} on {}: {}.",
                        role.name,
                        need.purpose,
                        need.resource,
                        unsure.join("; ")
                    ),
                )
                .involving(involved),
        );
    }
    let lines: Vec<&str> = missing.iter().map(|(l, _)| l.as_str()).collect();
    let detail = format!(
        "Role {} does not allow what MWAA needs to {} on {}: {}.",
        role.name,
        need.purpose,
        need.resource,
        lines.join("; ")
    );
    Some(
        PERMISSIONS
            .violated(subject, detail)
            .involving(involved)
            .fix(fix(role, need, &missing)),
    )
}

/// The fix: the documented statement to add (to the role, or to its boundary), and each
/// Deny to narrow.
fn fix(role: &ExecutionRole, need: &Need, missing: &[(String, Blocker)]) -> String {
    let document = json!({"Version": "2012-10-17", "Statement": [need.statement]}).to_string();
    let mut steps = Vec::new();
    if missing.iter().any(|(_, b)| *b == Blocker::NoAllow) {
        let service = need
            .actions
            .first()
            .and_then(|a| a.split(':').next())
            .unwrap_or("execution");
        steps.push(format!(
            "# Adds the documented statement to role {} as its inline policy mwaa-{service}-access (put-role-policy replaces an inline policy of that name)\naws iam put-role-policy --role-name {} --policy-name mwaa-{service}-access --policy-document {}",
            role.name,
            quote(&role.name),
            quote(&document)
        ));
    }
    if missing.iter().any(|(_, b)| *b == Blocker::Boundary) {
        let boundary = role
            .boundary_arn
            .as_deref()
            .unwrap_or("the permissions boundary");
        steps.push(format!(
            "# The permissions boundary {boundary} must allow it too: add the statement {} to the boundary's policy (aws iam create-policy-version --policy-arn {boundary} --set-as-default --policy-document file://boundary.json)",
            need.statement
        ));
    }
    for (_, blocker) in missing {
        if let Blocker::Deny(name, arn) = blocker {
            let step = format!(
                "# Narrow the Deny statement of policy {name}{} so that it leaves {} on {}",
                arn.as_deref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default(),
                need.actions.join(", "),
                need.resource
            );
            if !steps.contains(&step) {
                steps.push(step);
            }
        }
    }
    steps.join("\n")
}

/// The role's ARN when its verdict can be given, else the finding that says why not.
fn unreadable(ctx: &Ctx, env: &MwaaEnvironment) -> Result<String, Box<Finding>> {
    let subject = Subject::environment(&env.name);
    let Some(arn) = env.execution_role_arn.clone() else {
        return Err(Box::new(PERMISSIONS.unknown(
            subject,
            format!(
                "GetEnvironment did not report {}'s execution role (ExecutionRoleArn).",
                env.name
            ),
        )));
    };
    if let Some(error) = ctx.failed(Source::ExecutionRole)
        && error.code.as_deref() == Some("NoSuchEntity")
    {
        return Err(Box::new(PERMISSIONS
            .violated(
                Subject::role(&arn),
                format!("The execution role {arn} of {} does not exist ({error}).", env.name),
            )
            .fix(format!(
                "# Create the role with the policy of \"Amazon MWAA execution role\", or point the environment at an existing one:\naws mwaa update-environment --name {} --execution-role-arn <role-arn>",
                env.name
            ))));
    }
    if let Some(reason) = ctx.missing(READS) {
        return Err(Box::new(PERMISSIONS.unknown(Subject::role(&arn), reason)));
    }
    Ok(arn)
}

fn permissions(ctx: &Ctx) -> Vec<Finding> {
    let Some(env) = &ctx.snap.environment else {
        return vec![PERMISSIONS.info(ctx.vpc(), NO_ENVIRONMENT)];
    };
    let arn = match unreadable(ctx, env) {
        Ok(arn) => arn,
        Err(finding) => return vec![*finding],
    };
    let Some(role) = &ctx.snap.execution_role else {
        return vec![PERMISSIONS.unknown(
            Subject::role(&arn),
            format!("The execution role {arn} was not read."),
        )];
    };
    let (identity, boundary) = match parsed(role) {
        Ok(parsed) => parsed,
        Err(reason) => return vec![PERMISSIONS.unknown(Subject::role(&role.arn), reason)],
    };
    let account = account_of(ctx, &role.arn);
    let base: Vec<(&'static str, Option<String>)> = vec![
        ("aws:PrincipalArn", Some(role.arn.clone())),
        ("aws:PrincipalAccount", Some(account)),
        ("aws:RequestedRegion", Some(ctx.region().to_string())),
    ];
    let needs = needs(ctx, env, &role.arn);
    let findings: Vec<Finding> = needs
        .iter()
        .filter_map(|need| judge_need(role, (&identity, boundary.as_ref()), need, &base))
        .collect();
    let actions: usize = needs.iter().map(|n| n.actions.len()).sum();
    let boundary_text = match &role.boundary {
        Some(b) => format!(", within its permissions boundary {}", b.name),
        None => String::new(),
    };
    PERMISSIONS.or_pass(
        findings,
        Subject::role(&role.arn),
        &format!(
            "Role {} allows the {actions} actions MWAA needs on {}'s resources, as its {} policies read{boundary_text} (service control policies are not read).",
            role.name,
            env.name,
            identity.len()
        ),
    )
}

fn unseen(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return UNSEEN.info(ctx.vpc(), NO_ENVIRONMENT);
    };
    let role = env
        .execution_role_arn
        .as_deref()
        .unwrap_or("the execution role");
    let subject = match &env.execution_role_arn {
        Some(arn) => Subject::role(arn),
        None => Subject::environment(&env.name),
    };
    UNSEEN.info(
        subject,
        format!(
            "linkscope reads {role}'s identity policies and permissions boundary only: an organization's service control policies (and resource control policies) can deny what they allow, and are not read. If {} still fails with the role's checks passing, ask the organization's administrator which of them apply to account {}.",
            env.name,
            account_of(ctx, role)
        ),
    )
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = permissions(ctx);
    findings.push(unseen(ctx));
    findings
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::needs;
    use crate::checks::testkit::*;
    use crate::checks::{Ctx, Finding, Status};
    use crate::model::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// The healthy demo with a customer managed key, so that every need is judged.
    fn with_key() -> Fixture {
        let mut snap = Fixture::healthy();
        snap.environment.as_mut().unwrap().kms_key = Some(KEY.into());
        snap.kms_key = Some(EnvironmentKey {
            id: KEY.into(),
            arn: Some(KEY.into()),
            manager: Some("CUSTOMER".into()),
            state: Some("Enabled".into()),
            policy: None,
        });
        snap
    }

    /// Every (action, resource) the role must allow in `snap`.
    fn required(snap: &Fixture) -> Vec<(&'static str, String)> {
        let ctx = Ctx::new(snap);
        let env = snap.environment.as_ref().unwrap();
        let role = env.execution_role_arn.as_deref().unwrap();
        needs(&ctx, env, role)
            .into_iter()
            .flat_map(|n| n.actions.iter().map(move |a| (*a, n.resource.clone())))
            .collect()
    }

    /// The documented sample policy for a customer managed key, as a list of statements.
    fn documented(snap: &Fixture) -> Vec<Value> {
        let ctx = Ctx::new(snap);
        let env = snap.environment.as_ref().unwrap();
        let role = env.execution_role_arn.as_deref().unwrap();
        needs(&ctx, env, role)
            .into_iter()
            .map(|n| n.statement)
            .collect()
    }

    /// The fixture with the role's policies (one managed policy of `statements`) and
    /// boundary replaced.
    fn role(snap: &Fixture, statements: Vec<Value>, boundary: Option<Vec<Value>>) -> Fixture {
        let mut snap = snap.clone();
        let document = |statements: Vec<Value>| {
            json!({"Version": "2012-10-17", "Statement": statements}).to_string()
        };
        let role = snap.execution_role.as_mut().unwrap();
        role.inline_policies.clear();
        role.attached_policies = vec![PolicyDocument {
            name: "execution".into(),
            arn: Some("arn:aws:iam::111122223333:policy/execution".into()),
            version: Some("v1".into()),
            document: document(statements),
        }];
        role.boundary_arn = boundary
            .as_ref()
            .map(|_| "arn:aws:iam::111122223333:policy/boundary".into());
        role.boundary = boundary.map(|b| PolicyDocument {
            name: "boundary".into(),
            arn: role.boundary_arn.clone(),
            version: Some("v2".into()),
            document: document(b),
        });
        snap
    }

    /// The findings of the rule that name `action`.
    fn naming(snap: &Fixture, action: &str) -> Vec<Finding> {
        findings(snap, "mwaa-execution-role-permissions")
            .into_iter()
            .filter(|f| {
                f.detail.contains(&format!("{action} ("))
                    || f.detail.contains(&format!("{action} via"))
            })
            .collect()
    }

    #[track_caller]
    fn fails(snap: &Fixture, action: &str, why: &str) -> Finding {
        let found = naming(snap, action);
        let f = found
            .iter()
            .find(|f| f.status == Status::Fail)
            .unwrap_or_else(|| panic!("{action}: expected a failure ({why}), got {found:#?}"));
        assert!(f.detail.contains(why), "{action}: {why} in {}", f.detail);
        f.clone()
    }

    #[track_caller]
    fn allowed(snap: &Fixture, action: &str) {
        let found = naming(snap, action);
        assert!(found.is_empty(), "{action} should be allowed: {found:#?}");
    }

    #[test]
    fn the_documented_policy_allows_every_required_action() {
        for snap in [Fixture::healthy(), with_key()] {
            let snap = role(&snap, documented(&snap), None);
            assert_pass(&snap, "mwaa-execution-role-permissions");
            let f = only(&snap, "mwaa-execution-role-permissions");
            assert!(
                f.detail.contains("service control policies are not read"),
                "{}",
                f.detail
            );
        }
        // The demo's own role (the console's policy, for an AWS owned key) passes too.
        assert_pass(&Fixture::healthy(), "mwaa-execution-role-permissions");
        assert_eq!(required(&Fixture::healthy()).len(), 20);
        assert_eq!(required(&with_key()).len(), 24);
    }

    #[test]
    fn every_required_action_fails_to_an_explicit_deny_and_passes_a_wildcard() {
        let base = with_key();
        for (action, resource) in required(&base) {
            let mut statements = documented(&base);
            statements.push(
                json!({"Sid": "NoThis", "Effect": "Deny", "Action": action, "Resource": resource}),
            );
            let f = fails(
                &role(&base, statements, None),
                action,
                "denied by statement \"NoThis\" of policy execution",
            );
            assert!(f.involves("arn:aws:iam::111122223333:policy/execution"));
            assert!(
                f.remediation
                    .unwrap()
                    .contains("Narrow the Deny statement of policy execution")
            );

            let service = action.split(':').next().unwrap();
            let wildcard =
                json!({"Effect": "Allow", "Action": format!("{service}:*"), "Resource": "*"});
            allowed(&role(&base, vec![wildcard], None), action);
            let everything = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
            allowed(&role(&base, vec![everything], None), action);
        }
    }

    #[test]
    fn every_required_action_fails_when_not_action_leaves_it_out() {
        let base = with_key();
        for (action, _) in required(&base) {
            let all_but = json!({"Effect": "Allow", "NotAction": action, "Resource": "*"});
            let snap = role(&base, vec![all_but], None);
            let f = fails(&snap, action, "no statement of the role's policy allows it");
            let fix = f.remediation.unwrap();
            assert!(
                fix.contains("aws iam put-role-policy --role-name airflow-staging-execution-role"),
                "{fix}"
            );
            assert!(fix.contains("\"Effect\":\"Allow\""), "{fix}");
            // Only that action is missing.
            let failing: usize = findings(&snap, "mwaa-execution-role-permissions")
                .iter()
                .filter(|f| f.status == Status::Fail)
                .count();
            assert_eq!(failing, 1, "{action}");
        }
    }

    #[test]
    fn every_required_action_fails_when_the_permissions_boundary_removes_it() {
        let base = with_key();
        for (action, _) in required(&base) {
            let all_but = json!({"Effect": "Allow", "NotAction": action, "Resource": "*"});
            let snap = role(&base, documented(&base), Some(vec![all_but]));
            let f = fails(
                &snap,
                action,
                "the permissions boundary boundary does not allow it",
            );
            assert!(
                f.remediation
                    .unwrap()
                    .contains("arn:aws:iam::111122223333:policy/boundary must allow it too")
            );
            // A boundary that allows everything leaves the verdict to the role.
            let open = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
            allowed(&role(&base, documented(&base), Some(vec![open])), action);
        }
    }

    #[test]
    fn a_condition_that_does_not_match_allows_nothing_and_one_that_cannot_be_told_is_unknown() {
        let base = with_key();
        for (action, resource) in required(&base) {
            let conditioned = |condition: Value| {
                let all_but = json!({"Effect": "Allow", "NotAction": action, "Resource": "*"});
                let this = json!({"Effect": "Allow", "Action": action, "Resource": resource, "Condition": condition});
                role(&base, vec![all_but, this], None)
            };
            let elsewhere = json!({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}});
            fails(&conditioned(elsewhere), action, "no statement");
            let here = json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}});
            allowed(&conditioned(here), action);
            let unknown = conditioned(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}));
            let found = naming(&unknown, action);
            assert!(
                found.len() == 1
                    && found[0].status == Status::Unknown
                    && found[0].detail.contains("aws:SourceIp"),
                "{action}: {found:#?}"
            );
        }
    }

    #[test]
    fn kms_actions_need_the_via_service_conditions_to_match() {
        let base = with_key();
        let mut statements = documented(&base);
        // The key statement limited to SQS: S3 cannot use the key.
        statements.pop();
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"],
            "Resource": KEY,
            "Condition": {"StringLike": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}}
        }));
        let snap = role(&base, statements, None);
        let f = fails(&snap, "kms:Decrypt", "no statement");
        assert!(
            f.detail
                .contains("kms:Decrypt via s3.us-east-1.amazonaws.com"),
            "{}",
            f.detail
        );
        assert!(!f.detail.contains("via sqs"), "{}", f.detail);
        // Without a customer managed key, KMS is not judged.
        assert!(naming(&role(&Fixture::healthy(), vec![], None), "kms:Decrypt").is_empty());
    }

    #[test]
    fn a_role_that_cannot_be_read_is_unknown_or_missing() {
        let mut denied = Fixture::healthy();
        denied.fail(Source::AttachedPolicies);
        let f = only(&denied, "mwaa-execution-role-permissions");
        assert_eq!(f.status, Status::Unknown);
        assert!(
            f.detail.contains("iam:ListAttachedRolePolicies"),
            "{}",
            f.detail
        );

        let mut gone = Fixture::healthy();
        gone.execution_role = None;
        gone.sources.insert(
            Source::ExecutionRole,
            FetchStatus::Error(FetchError {
                code: Some("NoSuchEntity".into()),
                message: "The role with name x cannot be found.".into(),
            }),
        );
        let f = only(&gone, "mwaa-execution-role-permissions");
        assert_eq!(f.status, Status::Fail);
        assert!(f.detail.contains("does not exist"), "{}", f.detail);

        let mut unnamed = Fixture::healthy();
        unnamed.environment.as_mut().unwrap().execution_role_arn = None;
        assert_eq!(
            only(&unnamed, "mwaa-execution-role-permissions").status,
            Status::Unknown
        );

        // From an older snapshot without the role's sources: unknown, never pass.
        let mut old = Fixture::healthy();
        old.sources.remove(&Source::InlinePolicies);
        assert_eq!(
            only(&old, "mwaa-execution-role-permissions").status,
            Status::Unknown
        );

        let mut none = Fixture::healthy();
        none.environment = None;
        assert_eq!(
            only(&none, "mwaa-execution-role-permissions").status,
            Status::Info
        );
    }

    #[test]
    fn the_unseen_policies_are_said_and_the_setup_demo_misses_one_sqs_action() {
        let f = only(&Fixture::healthy(), "mwaa-execution-role-unseen-policies");
        assert_eq!(f.status, Status::Info);
        assert!(
            f.detail.contains("service control policies"),
            "{}",
            f.detail
        );

        let setup = Fixture::setup();
        let f = fails(
            &setup,
            "sqs:ChangeMessageVisibility",
            "no statement of the role's policy allows it",
        );
        assert!(
            f.detail
                .contains("arn:aws:sqs:us-east-1:*:airflow-celery-*"),
            "{}",
            f.detail
        );
        assert_eq!(
            findings(&setup, "mwaa-execution-role-permissions")
                .iter()
                .filter(|f| f.status == Status::Fail)
                .count(),
            1
        );
    }
}
