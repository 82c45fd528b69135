//! The environment's customer managed KMS key: enabled, and its key policy lets CloudWatch
//! Logs use it for the environment's log groups.

use serde_json::json;

use super::{account_of, log_groups};
use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_EXECUTION_ROLE, MWAA_KEYS, cite};
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::policy::{Caller, Decision, Request, parse};
use crate::checks::rule::{Family, Rule};
use crate::model::{EnvironmentKey, MwaaEnvironment, Source};

/// The key is enabled.
pub const ENABLED: Rule = Rule {
    id: "mwaa-kms-key-enabled",
    severity: Severity::Error,
    title: "The environment's customer managed key is enabled",
    docs: &[cite(
        MWAA_KEYS,
        "Using customer managed keys for encryption",
    )],
    needs: &[],
    reads: &[Source::KmsKey],
};
/// The key policy grants CloudWatch Logs the use of the key for the environment's logs.
pub const LOGS_GRANT: Rule = Rule {
    id: "mwaa-kms-key-logs-grant",
    severity: Severity::Error,
    title: "The key policy lets CloudWatch Logs use the key for the environment's log groups",
    docs: &[cite(
        MWAA_EXECUTION_ROLE,
        "Sample policy for a customer managed key",
    )],
    needs: &[],
    reads: &[Source::KmsKey, Source::KeyPolicy],
};

/// The environment's KMS key.
pub const FAMILY: Family = Family {
    name: "MWAA KMS key",
    rules: &[ENABLED, LOGS_GRANT],
    run,
};

/// What CloudWatch Logs asks of the key to encrypt a log group.
const LOGS_ACTIONS: [&str; 5] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
];

/// Why the key rules do not apply or cannot judge, else the environment and its key.
fn key<'a>(
    ctx: &'a Ctx,
    rule: Rule,
) -> Result<(&'a MwaaEnvironment, &'a EnvironmentKey, Subject), Box<Finding>> {
    let Some(env) = &ctx.snap.environment else {
        return Err(Box::new(rule.info(ctx.vpc(), NO_ENVIRONMENT)));
    };
    let Some(id) = &env.kms_key else {
        return Err(Box::new(rule.info(
            Subject::environment(&env.name),
            format!("{} uses an AWS owned key (no KmsKey): there is no key policy of the account's to judge.", env.name),
        )));
    };
    let Some(key) = &ctx.snap.kms_key else {
        let reason = ctx
            .missing(rule.reads)
            .unwrap_or_else(|| format!("The key {id} was not read."));
        return Err(Box::new(rule.unknown(Subject::key(id), reason)));
    };
    let subject = Subject::key(key.arn_or_id());
    if key.manager.as_deref() == Some("AWS") {
        return Err(Box::new(rule.info(
            subject,
            format!(
                "{} is an AWS managed key: its policy is AWS's, not the account's to change.",
                key.arn_or_id()
            ),
        )));
    }
    if let Some(reason) = ctx.missing(rule.reads) {
        return Err(Box::new(rule.unknown(subject, reason)));
    }
    Ok((env, key, subject))
}

fn enabled(ctx: &Ctx) -> Finding {
    let (env, key, subject) = match key(ctx, ENABLED) {
        Ok(found) => found,
        Err(finding) => return *finding,
    };
    match key.state.as_deref() {
        Some("Enabled") => ENABLED.pass(subject, format!("{} is enabled.", key.arn_or_id())),
        Some(state) => ENABLED
            .violated(
                subject,
                format!(
                    "{} is {state}: {} cannot encrypt or decrypt its data.",
                    key.arn_or_id(),
                    env.name
                ),
            )
            .fix(match state {
                "PendingDeletion" => format!(
                    "aws kms cancel-key-deletion --key-id {id} && aws kms enable-key --key-id {id}",
                    id = key.arn_or_id()
                ),
                _ => format!("aws kms enable-key --key-id {}", key.arn_or_id()),
            }),
        None => ENABLED.unknown(subject, "kms:DescribeKey reported no key state."),
    }
}

fn logs_grant(ctx: &Ctx) -> Finding {
    let (env, key, subject) = match key(ctx, LOGS_GRANT) {
        Ok(found) => found,
        Err(finding) => return *finding,
    };
    let Some(text) = &key.policy else {
        return LOGS_GRANT.unknown(subject, "kms:GetKeyPolicy returned no policy.");
    };
    let policy = match parse(text) {
        Ok(policy) => policy,
        Err(e) => {
            return LOGS_GRANT.unknown(
                subject,
                format!("The key policy is not readable IAM JSON: {e}."),
            );
        }
    };
    let region = ctx.region();
    let account = account_of(ctx, key.arn_or_id());
    let service = format!("logs.{region}.amazonaws.com");
    let groups = log_groups(region, &account, &env.name);
    let group = groups.trim_end_matches('*').to_string() + "Task";
    let context = [("kms:EncryptionContext:aws:logs:arn", Some(group.as_str()))];
    let mut missing = Vec::new();
    let mut unsure = Vec::new();
    for action in LOGS_ACTIONS {
        let request = Request {
            action,
            resource: key.arn_or_id(),
            caller: Some(Caller::Service(&service)),
            context: &context,
        };
        match policy.decide(&request) {
            Decision::Allowed(_) => {}
            Decision::Denied(at) => missing.push(format!("{action} (denied by {})", at.statement)),
            Decision::NotAllowed => {
                missing.push(format!("{action} (no statement grants it to {service})"))
            }
            Decision::Conditional(at, keys) => unsure.push(format!(
                "{action} ({} decides it under conditions on {})",
                at.statement,
                keys.join(", ")
            )),
        }
    }
    if missing.is_empty() && unsure.is_empty() {
        return LOGS_GRANT.pass(
            subject,
            format!(
                "The policy of {} lets {service} use it for {groups}.",
                key.arn_or_id()
            ),
        );
    }
    if missing.is_empty() {
        return LOGS_GRANT.unknown(
            subject,
            format!(
                "The policy of {} may not let {service} use it: {}.",
                key.arn_or_id(),
                unsure.join("; ")
            ),
        );
    }
    let statement = json!({
        "Sid": "Allow logs access",
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": format!("arn:aws:logs:{region}:{account}:*")}}
    });
    LOGS_GRANT
        .violated(
            subject,
            format!(
                "The policy of {} does not let CloudWatch Logs ({service}) use it for {}'s log groups ({groups}): {}. The environment cannot write its Apache Airflow logs.",
                key.arn_or_id(),
                env.name,
                missing.join("; ")
            ),
        )
        .fix(format!(
            "# put-key-policy replaces the whole policy: save the current one as key-policy.json, add this statement to its Statement list, then put it back:\n# {statement}\naws kms get-key-policy --key-id {id} --policy-name default --query Policy --output text\naws kms put-key-policy --key-id {id} --policy-name default --policy file://key-policy.json",
            id = key.arn_or_id()
        ))
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    vec![enabled(ctx), logs_grant(ctx)]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn root() -> serde_json::Value {
        json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"})
    }

    fn logs(condition: serde_json::Value) -> serde_json::Value {
        json!({
            "Sid": "Allow logs access", "Effect": "Allow",
            "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": condition
        })
    }

    fn keyed(statements: Vec<serde_json::Value>) -> Fixture {
        let mut snap = Fixture::healthy();
        snap.environment.as_mut().unwrap().kms_key = Some(KEY.into());
        snap.kms_key = Some(EnvironmentKey {
            id: KEY.into(),
            arn: Some(KEY.into()),
            manager: Some("CUSTOMER".into()),
            state: Some("Enabled".into()),
            policy: Some(json!({"Version": "2012-10-17", "Statement": statements}).to_string()),
        });
        snap.sources.insert(Source::KmsKey, FetchStatus::Ok);
        snap.sources.insert(Source::KeyPolicy, FetchStatus::Ok);
        snap
    }

    #[test]
    fn the_key_policy_must_let_cloudwatch_logs_use_the_key_for_the_log_groups() {
        let documented = json!({"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}});
        let snap = keyed(vec![root(), logs(documented)]);
        assert_pass(&snap, "mwaa-kms-key-logs-grant");
        assert_pass(&snap, "mwaa-kms-key-enabled");

        // The account's default key policy only: CloudWatch Logs is not granted.
        let bare = keyed(vec![root()]);
        let f = assert_flags(&bare, "mwaa-kms-key-logs-grant", Status::Fail, KEY);
        assert!(
            f.detail
                .contains("kms:Encrypt (no statement grants it to logs.us-east-1.amazonaws.com)"),
            "{}",
            f.detail
        );
        let fix = f.remediation.unwrap();
        assert!(
            fix.contains("\"Service\":\"logs.us-east-1.amazonaws.com\"")
                && fix.contains("aws kms put-key-policy --key-id"),
            "{fix}"
        );

        // A grant for other log groups' ARNs does not match the environment's.
        let other = json!({"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:other-*"}});
        assert_flags(
            &keyed(vec![root(), logs(other)]),
            "mwaa-kms-key-logs-grant",
            Status::Fail,
            KEY,
        );
        // A condition linkscope cannot tell leaves it unknown.
        let odd = json!({"StringEquals": {"aws:SourceAccount": "111122223333"}});
        assert_eq!(
            only(&keyed(vec![root(), logs(odd)]), "mwaa-kms-key-logs-grant").status,
            Status::Unknown
        );
        // An explicit Deny for the service wins.
        let deny = json!({"Sid": "NoLogs", "Effect": "Deny", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:*", "Resource": "*"});
        let f = only(
            &keyed(vec![root(), logs(json!({})), deny]),
            "mwaa-kms-key-logs-grant",
        );
        assert!(
            f.detail.contains("denied by statement \"NoLogs\""),
            "{}",
            f.detail
        );
    }

    #[test]
    fn the_key_must_be_enabled_and_readable_and_aws_keys_are_not_judged() {
        let mut disabled = keyed(vec![root()]);
        disabled.kms_key.as_mut().unwrap().state = Some("PendingDeletion".into());
        let f = only(&disabled, "mwaa-kms-key-enabled");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.remediation
                .unwrap()
                .starts_with("aws kms cancel-key-deletion")
        );

        let mut denied = keyed(vec![root()]);
        denied.fail(Source::KeyPolicy);
        assert_eq!(
            only(&denied, "mwaa-kms-key-logs-grant").status,
            Status::Unknown
        );
        assert_eq!(only(&denied, "mwaa-kms-key-enabled").status, Status::Pass);

        let mut managed = keyed(vec![]);
        managed.kms_key.as_mut().unwrap().manager = Some("AWS".into());
        assert_eq!(
            only(&managed, "mwaa-kms-key-logs-grant").status,
            Status::Info
        );
        assert_eq!(
            only(&Fixture::healthy(), "mwaa-kms-key-logs-grant").status,
            Status::Info
        );
    }
}
