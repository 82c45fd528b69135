//! The MWAA environment itself: its status and last error, and its settings (rules.md 67).

use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_ENDPOINTS, MWAA_ENVIRONMENT_API, cite};
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

/// Rules.md 67.
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

/// Why rules about the environment do not apply.
pub const NO_ENVIRONMENT: &str = "No MWAA environment was named (--mwaa-env); not applicable.";

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

/// Points a failed environment at this audit's failing checks, its likely causes: called
/// once the whole audit is known.
pub fn point_at_causes(findings: &mut [Finding], env: Option<&MwaaEnvironment>) {
    let Some(env) = env else { return };
    let mut causes: Vec<String> = Vec::new();
    for f in findings.iter() {
        if f.status == Status::Fail && f.rule != ENV_STATUS.id && !causes.contains(&f.id) {
            causes.push(f.id.clone());
        }
    }
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
    let text = if causes.is_empty() {
        format!(
            "# {} is {status}{code}. No check of this audit fails: look at the execution role, the source bucket, requirements.txt and the environment's CloudWatch logs.",
            env.name
        )
    } else {
        format!(
            "# {} is {status}{code}. {} failing check{} of this audit {} the likely cause{}: {}.\n# Fix {} first (each finding has its own fix), {next}.",
            env.name,
            causes.len(),
            if causes.len() == 1 { "" } else { "s" },
            if causes.len() == 1 { "is" } else { "are" },
            if causes.len() == 1 { "" } else { "s" },
            causes.join(", "),
            if causes.len() == 1 { "it" } else { "them" },
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
        // Nothing else fails: the fix looks beyond the network.
        assert!(
            f.remediation
                .unwrap()
                .contains("No check of this audit fails")
        );
        // With failing checks, the fix names them.
        failed.without("sqs");
        let f = only(&failed, "mwaa-env-status");
        let fix = f.remediation.unwrap();
        assert!(
            fix.contains("with INCORRECT_CONFIGURATION. 1 failing check of this audit is the likely cause: mwaa.endpoint.sqs."),
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
        ] {
            assert!(fix.contains(cause), "{cause}: {fix}");
        }
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
