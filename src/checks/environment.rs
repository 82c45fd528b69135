//! The MWAA environment's own settings (rule 67). Source: `../shared/rules.md` §K;
//! [000] Private network and private routing.

use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};

pub const WEBSERVER_ACCESS: Rule = Rule {
    id: "mwaa-webserver-access-mode",
    severity: Severity::Info,
    title: "Who can reach the Apache Airflow UI (web server access mode)",
    source: "rules.md 67 · [000] Private network and private routing: \"limits access of the Apache Airflow UI to users within your Amazon VPC\"",
};

/// Rule 67: shown, never judged; private access needs a way into the VPC to open the UI.
fn webserver_access(ctx: &Ctx) -> Finding {
    let Some(env) = &ctx.snap.environment else {
        return WEBSERVER_ACCESS.info(
            vec![],
            "No MWAA environment was named (--mwaa-env); not applicable.",
        );
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
    WEBSERVER_ACCESS.info(vec![env.name.clone()], detail)
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    vec![webserver_access(ctx)]
}
