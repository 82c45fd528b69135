//! The MWAA environment itself: its status and last error (*Environment (Amazon MWAA API Reference)
//! › Status*), and its settings (*Creating the required VPC service endpoints in an Amazon VPC with
//! private routing › Private network and private routing*).

use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_ENDPOINTS, MWAA_ENVIRONMENT_API, cite};
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Status, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{EnvironmentStatus, MwaaEnvironment};

/// `GetEnvironment`'s `Status`: available, in progress, or failed with `LastUpdate.Error`.
pub const ENV_STATUS: Rule = Rule {
    id: "mwaa-env-status",
    severity: Severity::Error,
    title: "The MWAA environment is AVAILABLE",
    docs: &[cite(MWAA_ENVIRONMENT_API, "Status")],
    needs: &[],
    reads: &[],
};

/// Who can reach the Apache Airflow UI (*Creating the required VPC service endpoints in an
/// Amazon VPC with private routing › Private network and private routing*).
pub const WEBSERVER_ACCESS: Rule = Rule {
    id: "mwaa-webserver-access-mode",
    severity: Severity::Info,
    title: "Who can reach the Apache Airflow UI (web server access mode)",
    docs: &[cite(MWAA_ENDPOINTS, "Private network and private routing")],
    needs: &[],
    reads: &[],
};

/// The environment's own settings.
pub const FAMILY: Family = Family {
    name: "MWAA environment",
    rules: &[ENV_STATUS, WEBSERVER_ACCESS],
    run,
};

/// Rule 67: shown, never judged; private access needs a way into the VPC to open the UI.
fn webserver_access(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return WEBSERVER_ACCESS.info(ctx.vpc(), NO_ENVIRONMENT);
    };
    let detail = match env.webserver_access_mode.as_deref() {
        Some("PRIVATE_ONLY") => format!(
            "{} uses private network access (PRIVATE_ONLY): only users within {} who are granted access by the environment's IAM policy reach the Airflow UI; others need a way into the VPC (VPN, bastion, peering).",
            env.name,
            ctx.vpc_id()
        ),
        Some("PUBLIC_ONLY") => format!(
            "{} uses public network access (PUBLIC_ONLY): the Airflow UI is reachable from the internet by users the environment's IAM policy grants access.",
            env.name
        ),
        Some(other) => format!("{} reports web server access mode {other}.", env.name),
        None => format!(
            "GetEnvironment did not report a web server access mode for {}.",
            env.name
        ),
    };
    WEBSERVER_ACCESS.info(Subject::environment(&env.name), detail)
}

/// What an in-progress status is doing.
fn in_progress(status: &EnvironmentStatus) -> Option<&'static str> {
    Some(match status {
        EnvironmentStatus::Creating => "being created",
        EnvironmentStatus::Updating => "being updated",
        EnvironmentStatus::Deleting => "being deleted",
        EnvironmentStatus::RollingBack => "rolling back a failed update",
        EnvironmentStatus::CreatingSnapshot => "snapshotting its database before an update",
        EnvironmentStatus::Maintenance => "under maintenance",
        EnvironmentStatus::Pending => {
            "paused until its customer-managed VPC endpoints exist (CREATE_FAILED after 72 hours without them)"
        }
        _ => return None,
    })
}

/// `LastUpdate` in one clause: the error verbatim and when the update started.
fn last_update_text(env: &MwaaEnvironment) -> String {
    let Some(update) = &env.last_update else {
        return "GetEnvironment reports no LastUpdate.".into();
    };
    let when = update
        .created_at
        .as_deref()
        .map(|t| format!(" (LastUpdate.CreatedAt {t})"))
        .unwrap_or_default();
    match (&update.error_code, &update.error_message) {
        (None, None) => format!("LastUpdate reports no error{when}."),
        (code, message) => format!(
            "LastUpdate.Error: {}: \"{}\"{when}.",
            code.as_deref().unwrap_or("(no code)"),
            message.as_deref().unwrap_or("")
        ),
    }
}

/// The environment's status: pass when AVAILABLE, warn while something is in progress, fail
/// when it failed or is unusable, quoting `LastUpdate.Error` verbatim.
fn env_status(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return ENV_STATUS.info(ctx.vpc(), NO_ENVIRONMENT);
    };
    let subject = Subject::environment(&env.name);
    let Some(status) = &env.status else {
        return ENV_STATUS.unknown(subject, "GetEnvironment did not report a status.");
    };
    let name = &env.name;
    let version = env
        .airflow_version
        .as_deref()
        .map(|v| format!(" (Apache Airflow {v})"))
        .unwrap_or_default();
    match status {
        EnvironmentStatus::Available => {
            ENV_STATUS.pass(subject, format!("{name}{version} is AVAILABLE."))
        }
        other => match in_progress(other) {
            Some(doing) => ENV_STATUS.violated_at(
                Severity::Warn,
                subject,
                format!(
                    "{name}{version} is {other}: {doing}. {}",
                    last_update_text(env)
                ),
            ),
            None => ENV_STATUS.violated(
                subject,
                format!("{name}{version} is {other}. {}", last_update_text(env)),
            ),
        },
    }
}

/// Where a failing finding points: the four places an environment's failure comes from, in
/// the order the most likely cause is chosen (the execution role first: `INCORRECT_CONFIGURATION`
/// names it before the network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The execution role's permissions.
    Role,
    /// The network path: endpoints, DNS, routes, security groups, ACLs.
    Network,
    /// The KMS key.
    Key,
    /// The source bucket.
    Bucket,
}

impl Cause {
    /// The place a finding of `rule` points at; `None` for findings that are no cause of a
    /// failed environment (its own status and health).
    pub fn of(rule: &str) -> Option<Cause> {
        use crate::checks::access::{bucket, key, role};
        use crate::checks::mwaa::health;
        if [role::PERMISSIONS.id, role::UNSEEN.id].contains(&rule) {
            Some(Self::Role)
        } else if bucket::FAMILY.rules.iter().any(|r| r.id == rule) {
            Some(Self::Bucket)
        } else if key::FAMILY.rules.iter().any(|r| r.id == rule) {
            Some(Self::Key)
        } else if rule == ENV_STATUS.id
            || rule == WEBSERVER_ACCESS.id
            || health::FAMILY.rules.iter().any(|r| r.id == rule)
        {
            None
        } else {
            Some(Self::Network)
        }
    }

    /// `the execution role`, `the network`, …
    pub fn name(self) -> &'static str {
        match self {
            Self::Role => "the execution role",
            Self::Network => "the network",
            Self::Key => "the KMS key",
            Self::Bucket => "the source bucket",
        }
    }
}

/// Points a failed environment at this audit's failing checks, its likely causes, naming the
/// most likely one; with none, says what linkscope could not see. Called once the whole
/// audit is known.
pub fn point_at_causes(findings: &mut [Finding], snapshot: &crate::model::Snapshot) {
    let Some(env) = &snapshot.environment else {
        return;
    };
    let mut causes: Vec<(Cause, &Finding)> = Vec::new();
    let mut unseen: Vec<String> = Vec::new();
    for f in findings.iter() {
        let Some(cause) = Cause::of(f.rule) else {
            continue;
        };
        if f.status == Status::Fail && !causes.iter().any(|(_, c)| c.id == f.id) {
            causes.push((cause, f));
        }
        if f.status == Status::Unknown && !unseen.contains(&f.id) {
            unseen.push(f.id.clone());
        }
    }
    let likely = causes
        .iter()
        .min_by_key(|(cause, _)| *cause)
        .map(|(cause, f)| {
            format!(
                " Most likely {}: {} ({}).",
                cause.name(),
                f.id,
                f.subject.id
            )
        });
    let ids: Vec<String> = causes.iter().map(|(_, f)| f.id.clone()).collect();
    let failed: Vec<String> = snapshot
        .failed_sources()
        .map(|(source, error)| format!("{} ({error})", source.api()))
        .collect();
    let Some(finding) = findings
        .iter_mut()
        .find(|f| f.rule == ENV_STATUS.id && f.status == Status::Fail)
    else {
        return;
    };
    let code = env
        .last_update
        .as_ref()
        .and_then(|u| u.error_code.as_deref())
        .map(|c| format!(" with {c}"))
        .unwrap_or_default();
    let status = env.status.as_ref().map_or("?", |s| s.as_str());
    let next = match env.status {
        Some(EnvironmentStatus::CreateFailed) => {
            "then delete the environment and create it again (a failed creation cannot be updated)"
        }
        _ => "then update the environment again",
    };
    let text = if ids.is_empty() {
        let mut blind = Vec::new();
        if !failed.is_empty() {
            blind.push(format!("reads that failed: {}", failed.join("; ")));
        }
        if !unseen.is_empty() {
            blind.push(format!("checks left unknown: {}", unseen.join(", ")));
        }
        let blind = match blind.is_empty() {
            true => String::new(),
            false => format!(" linkscope could not see everything: {}.", blind.join("; ")),
        };
        format!(
            "# {} is {status}{code}. No check of this audit fails.{blind}
# linkscope never reads the organization's service control policies, requirements.txt, plugins or the environment's CloudWatch logs: look there next.",
            env.name
        )
    } else {
        format!(
            "# {} is {status}{code}.{} {} failing check{} of this audit {} the likely cause{}: {}.\n# Fix {} first (each finding has its own fix), {next}.",
            env.name,
            likely.unwrap_or_default(),
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            if ids.len() == 1 { "is" } else { "are" },
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", "),
            if ids.len() == 1 { "it" } else { "them" },
        )
    };
    finding.remediation = Some(text);
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    vec![env_status(ctx), webserver_access(ctx)]
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

    #[test]
    fn every_status_has_its_verdict_and_failures_quote_the_last_error() {
        use crate::model::{EnvironmentStatus as S, LastUpdate};
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-env-status");
        for (status, expected) in [
            (S::Creating, Status::Warn),
            (S::Updating, Status::Warn),
            (S::Deleting, Status::Warn),
            (S::RollingBack, Status::Warn),
            (S::CreatingSnapshot, Status::Warn),
            (S::Maintenance, Status::Warn),
            (S::Pending, Status::Warn),
            (S::CreateFailed, Status::Fail),
            (S::UpdateFailed, Status::Fail),
            (S::Unavailable, Status::Fail),
            (S::Deleted, Status::Fail),
            (S::Unknown("HIBERNATING".into()), Status::Fail),
        ] {
            let mut s = snap.clone();
            s.environment.as_mut().unwrap().status = Some(status.clone());
            assert_eq!(only(&s, "mwaa-env-status").status, expected, "{status}");
        }
        let mut failed = snap.clone();
        let env = failed.environment.as_mut().unwrap();
        env.status = Some(S::CreateFailed);
        env.last_update = Some(LastUpdate {
            status: Some("FAILED".into()),
            created_at: Some("2026-11-25T03:00:00Z".into()),
            error_code: Some("INCORRECT_CONFIGURATION".into()),
            error_message: Some("check the \"VPC\" networking".into()),
            source: None,
        });
        let f = only(&failed, "mwaa-env-status");
        assert!(
            f.detail.contains(
                "LastUpdate.Error: INCORRECT_CONFIGURATION: \"check the \"VPC\" networking\" (LastUpdate.CreatedAt 2026-11-25T03:00:00Z)"
            ),
            "verbatim: {}",
            f.detail
        );
        // Nothing else fails: the fix looks beyond what linkscope reads.
        let fix = f.remediation.unwrap();
        assert!(fix.contains("No check of this audit fails"), "{fix}");
        assert!(fix.contains("service control policies"), "{fix}");
        assert!(!fix.contains("could not see everything"), "{fix}");
        // What it could not see, it says.
        let mut blind = failed.clone();
        blind.execution_role = None;
        blind.fail(crate::model::Source::ExecutionRole);
        let fix = only(&blind, "mwaa-env-status").remediation.unwrap();
        assert!(
            fix.contains("linkscope could not see everything: reads that failed: iam:GetRole (AccessDenied: denied); checks left unknown: mwaa-execution-role-permissions"),
            "{fix}"
        );
        // With failing checks, the fix names them.
        failed.without("sqs");
        let f = only(&failed, "mwaa-env-status");
        let fix = f.remediation.unwrap();
        assert!(
            fix.contains("with INCORRECT_CONFIGURATION. Most likely the network: mwaa.endpoint.sqs (com.amazonaws.us-east-1.sqs). 1 failing check of this audit is the likely cause: mwaa.endpoint.sqs."),
            "{fix}"
        );
        assert!(
            fix.contains("delete the environment and create it again"),
            "{fix}"
        );
        // No LastUpdate error, and no status at all.
        let mut no_error = snap.clone();
        no_error.environment.as_mut().unwrap().status = Some(S::UpdateFailed);
        no_error.environment.as_mut().unwrap().last_update = None;
        assert!(
            only(&no_error, "mwaa-env-status")
                .detail
                .contains("no LastUpdate")
        );
        no_error.environment.as_mut().unwrap().status = None;
        assert_eq!(only(&no_error, "mwaa-env-status").status, Status::Unknown);
        let mut none = snap;
        none.environment = None;
        assert_eq!(only(&none, "mwaa-env-status").status, Status::Info);
    }

    #[test]
    fn the_setup_demo_points_its_failure_at_the_checks_that_cause_it() {
        let snap = Fixture::setup();
        let f = only(&snap, "mwaa-env-status");
        assert_eq!(f.status, Status::Fail);
        let fix = f.remediation.unwrap();
        for cause in [
            "mwaa.endpoint.logs",
            "mwaa.endpoint.sqs",
            "mwaa.endpoint.database",
            "mwaa.endpoint.webserver",
            "mwaa-endpoint-wrong-vpc-or-region",
            "mwaa-execution-role-permissions",
        ] {
            assert!(fix.contains(cause), "{cause}: {fix}");
        }
        assert!(fix.contains("6 failing checks"), "{fix}");
        assert!(
            fix.contains("Most likely the execution role: mwaa-execution-role-permissions (arn:aws:iam::111122223333:role/service-role/airflow-new-execution-role)."),
            "{fix}"
        );
        // The role fixed, the network is the most likely cause.
        let mut fixed = snap;
        let policy = &mut fixed.execution_role.as_mut().unwrap().attached_policies[0];
        policy.document = policy
            .document
            .replace("\"sqs:DeleteMessage\"", "\"sqs:*\"");
        let fix = only(&fixed, "mwaa-env-status").remediation.unwrap();
        assert!(fix.contains("Most likely the network: "), "{fix}");
        assert!(fix.contains("5 failing checks"), "{fix}");
    }

    #[test]
    fn webserver_access_mode_is_shown() {
        let snap = Fixture::healthy();
        let shown = |snap: &Fixture| {
            let f = only(snap, "mwaa-webserver-access-mode");
            assert_eq!(f.status, Status::Info);
            f.detail
        };
        assert!(shown(&snap).contains("PRIVATE_ONLY"), "{}", shown(&snap));
        let mut public = snap.clone();
        public.environment.as_mut().unwrap().webserver_access_mode = Some("PUBLIC_ONLY".into());
        assert!(shown(&public).contains("from the internet"));
        let mut none = snap;
        none.environment = None;
        assert!(shown(&none).contains("not applicable"));
    }
}
