//! `linkscope diff OLD NEW` and `linkscope diff OLD --live`.

use super::output;
use crate::cli::{DiffArgs, DiffFormat, GlobalArgs};
use crate::failure::Failure;
use crate::input::{Input, read_file};
use crate::model::Snapshot;
use crate::report::diff as render;

/// The usual AWS flags, with the old snapshot's VPC and Region where none are given.
fn live_args(global: &GlobalArgs, old: &Snapshot) -> GlobalArgs {
    let mut args = global.clone();
    let targeted = args.vpc.is_some()
        || args.mwaa_env.is_some()
        || !args.subnets.is_empty()
        || !args.security_groups.is_empty();
    if !targeted {
        match &old.environment {
            Some(env) => args.mwaa_env = Some(env.name.clone()),
            None => args.vpc = Some(old.vpc.id.clone()),
        }
    }
    if args.region.is_none() {
        args.region = Some(old.region.clone());
    }
    args.snapshot = None;
    args.demo = None;
    args
}

/// Compares the two snapshots; exit code 1 when a failure is new.
pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<u8, Failure> {
    let old = read_file(&args.old)?;
    let new = match &args.new {
        Some(path) => read_file(path)?,
        None => {
            let new = Input::from_args(&live_args(global, &old)).load().await?;
            super::warn_if_partial(&new);
            new
        }
    };
    if old.vpc.id != new.vpc.id && !args.allow_different_vpcs {
        return Err(Failure::BadInput(format!(
            "{} is {} but the new snapshot is {}: pass --allow-different-vpcs to compare them anyway",
            args.old.display(),
            old.vpc.id,
            new.vpc.id
        )));
    }
    let diff = crate::diff::compare(
        &old,
        &crate::checks::audit(&old),
        &new,
        &crate::checks::audit(&new),
    );
    let text = match args.format {
        DiffFormat::Text => render::text(&diff),
        DiffFormat::Json => render::json(&diff),
        DiffFormat::Markdown => render::markdown(&diff),
    };
    output(&text, args.output.as_ref())?;
    Ok(u8::from(diff.new_failures() > 0))
}
