//! The MWAA environment's own settings (rules.md 67).

use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_ENDPOINTS, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};

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
    rules: &[WEBSERVER_ACCESS],
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

fn run(ctx: &Ctx) -> Vec<Finding> {
    vec![webserver_access(ctx)]
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;

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
