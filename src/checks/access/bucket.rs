//! The environment's source bucket: it exists in the environment's Region, has versioning
//! enabled and blocks public access, as MWAA requires.

use crate::checks::context::Ctx;
use crate::checks::docs::{MWAA_BUCKET, cite};
use crate::checks::facts::NO_ENVIRONMENT;
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{Source, SourceBucket, bucket_name};

/// The bucket exists, in the environment's Region.
pub const EXISTS: Rule = Rule {
    id: "mwaa-bucket-exists-in-region",
    severity: Severity::Error,
    title: "The source bucket exists in the environment's Region",
    docs: &[cite(MWAA_BUCKET, "Create an Amazon S3 bucket")],
    needs: &[],
    reads: &[Source::BucketLocation],
};
/// Versioning is enabled.
pub const VERSIONING: Rule = Rule {
    id: "mwaa-bucket-versioning",
    severity: Severity::Error,
    title: "The source bucket has versioning enabled",
    docs: &[cite(MWAA_BUCKET, "Bucket Versioning")],
    needs: &[],
    reads: &[Source::BucketLocation, Source::BucketVersioning],
};
/// Every Block Public Access setting is on.
pub const PUBLIC_ACCESS: Rule = Rule {
    id: "mwaa-bucket-public-access-blocked",
    severity: Severity::Error,
    title: "The source bucket blocks all public access",
    docs: &[cite(MWAA_BUCKET, "Block all public access")],
    needs: &[],
    reads: &[Source::BucketLocation, Source::BucketPublicAccessBlock],
};

/// The source bucket.
pub const FAMILY: Family = Family {
    name: "MWAA source bucket",
    rules: &[EXISTS, VERSIONING, PUBLIC_ACCESS],
    run,
};

/// The bucket as read, or the finding that says why a rule cannot judge it.
fn bucket<'a>(ctx: &'a Ctx, rule: Rule) -> Result<(&'a SourceBucket, Subject), Box<Finding>> {
    let Some(env) = &ctx.snap.environment else {
        return Err(Box::new(rule.info(ctx.vpc(), NO_ENVIRONMENT)));
    };
    let Some(arn) = &env.source_bucket_arn else {
        return Err(Box::new(rule.unknown(
            Subject::environment(&env.name),
            format!(
                "GetEnvironment did not report {}'s source bucket (SourceBucketArn).",
                env.name
            ),
        )));
    };
    let name = bucket_name(arn);
    let subject = Subject::bucket(name);
    if let Some(error) = ctx.failed(Source::BucketLocation)
        && error.code.as_deref() == Some("NoSuchBucket")
    {
        return Err(Box::new(match rule == EXISTS {
            true => EXISTS
                .violated(
                    subject,
                    format!("The source bucket {name} of {} does not exist ({error}).", env.name),
                )
                .fix(format!(
                    "aws s3api create-bucket --bucket {name} --region {region}{constraint} && aws s3api put-bucket-versioning --bucket {name} --versioning-configuration Status=Enabled && aws s3api put-public-access-block --bucket {name} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
                    region = ctx.region(),
                    constraint = match ctx.region() {
                        "us-east-1" => String::new(),
                        region => format!(" --create-bucket-configuration LocationConstraint={region}"),
                    }
                )),
            false => rule.unknown(subject, format!("The source bucket {name} does not exist.")),
        }));
    }
    if let Some(reason) = ctx.missing(rule.reads) {
        return Err(Box::new(rule.unknown(subject, reason)));
    }
    match &ctx.snap.source_bucket {
        Some(bucket) => Ok((bucket, subject)),
        None => Err(Box::new(rule.unknown(
            subject,
            format!("The source bucket {name} was not read."),
        ))),
    }
}

fn exists(ctx: &Ctx) -> Finding {
    let (bucket, subject) = match bucket(ctx, EXISTS) {
        Ok(found) => found,
        Err(finding) => return *finding,
    };
    match bucket.region.as_deref() {
        Some(region) if region == ctx.region() => EXISTS.pass(
            subject,
            format!("{} is in {region}, the environment's Region.", bucket.name),
        ),
        Some(region) => EXISTS
            .violated(
                subject,
                format!(
                    "{} is in {region}; MWAA needs the source bucket in the environment's Region, {}.",
                    bucket.name,
                    ctx.region()
                ),
            )
            .fix(format!(
                "# Create a bucket in {} (versioned, public access blocked), copy the DAGs to it, and point the environment at it (a new environment: the source bucket cannot change after creation)",
                ctx.region()
            )),
        None => EXISTS.unknown(subject, format!("s3:GetBucketLocation gave no Region for {}.", bucket.name)),
    }
}

fn versioning(ctx: &Ctx) -> Finding {
    let (bucket, subject) = match bucket(ctx, VERSIONING) {
        Ok(found) => found,
        Err(finding) => return *finding,
    };
    match bucket.versioning.as_deref() {
        Some("Enabled") => VERSIONING.pass(subject, format!("{} has versioning enabled.", bucket.name)),
        state => VERSIONING
            .violated(
                subject,
                format!(
                    "{} has versioning {}: MWAA reads plugins and requirements by object version, and does not create an environment on an unversioned bucket.",
                    bucket.name,
                    match state {
                        Some(state) => state.to_lowercase(),
                        None => "never enabled".into(),
                    }
                ),
            )
            .fix(format!(
                "aws s3api put-bucket-versioning --bucket {} --versioning-configuration Status=Enabled",
                bucket.name
            )),
    }
}

fn public_access(ctx: &Ctx) -> Finding {
    let (bucket, subject) = match bucket(ctx, PUBLIC_ACCESS) {
        Ok(found) => found,
        Err(finding) => return *finding,
    };
    let off: Vec<&str> = match &bucket.public_access_block {
        Some(block) => block
            .settings()
            .into_iter()
            .filter(|(_, on)| !on)
            .map(|(name, _)| name)
            .collect(),
        None => vec![],
    };
    if bucket.public_access_block.is_some() && off.is_empty() {
        return PUBLIC_ACCESS.pass(
            subject,
            format!("{} blocks all public access.", bucket.name),
        );
    }
    let why = match &bucket.public_access_block {
        None => "has no Block Public Access configuration".to_string(),
        Some(_) => format!("leaves {} off", off.join(", ")),
    };
    PUBLIC_ACCESS
        .violated(
            subject,
            format!("{} {why}: MWAA requires the source bucket to block all public access.", bucket.name),
        )
        .fix(format!(
            "aws s3api put-public-access-block --bucket {} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            bucket.name
        ))
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    vec![exists(ctx), versioning(ctx), public_access(ctx)]
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::*;

    fn bucket(snap: &mut Fixture) -> &mut SourceBucket {
        snap.source_bucket.as_mut().unwrap()
    }

    #[test]
    fn the_bucket_must_exist_in_the_environments_region() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-bucket-exists-in-region");
        let mut elsewhere = snap.clone();
        bucket(&mut elsewhere).region = Some("eu-west-1".into());
        let f = assert_flags(
            &elsewhere,
            "mwaa-bucket-exists-in-region",
            Status::Fail,
            "airflow-staging-dags",
        );
        assert!(f.detail.contains("is in eu-west-1"), "{}", f.detail);

        let mut gone = snap.clone();
        gone.source_bucket = None;
        for source in [Source::BucketLocation, Source::BucketVersioning] {
            gone.sources.insert(
                source,
                FetchStatus::Error(FetchError {
                    code: Some("NoSuchBucket".into()),
                    message: "The specified bucket does not exist".into(),
                }),
            );
        }
        let f = only(&gone, "mwaa-bucket-exists-in-region");
        assert_eq!(f.status, Status::Fail);
        assert!(f.remediation.unwrap().starts_with(
            "aws s3api create-bucket --bucket airflow-staging-dags --region us-east-1 &&"
        ));
        assert_eq!(
            only(&gone, "mwaa-bucket-versioning").status,
            Status::Unknown
        );

        let mut denied = snap;
        denied.fail(Source::BucketLocation);
        let f = only(&denied, "mwaa-bucket-exists-in-region");
        assert_eq!(f.status, Status::Unknown);
        assert!(
            f.detail.contains("s3:GetBucketLocation failed"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn versioning_must_be_enabled() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-bucket-versioning");
        for (state, text) in [(None, "never enabled"), (Some("Suspended"), "suspended")] {
            let mut off = snap.clone();
            bucket(&mut off).versioning = state.map(str::to_string);
            let f = assert_flags(
                &off,
                "mwaa-bucket-versioning",
                Status::Fail,
                "airflow-staging-dags",
            );
            assert!(f.detail.contains(text), "{}", f.detail);
            assert_eq!(
                f.remediation.unwrap(),
                "aws s3api put-bucket-versioning --bucket airflow-staging-dags --versioning-configuration Status=Enabled --region us-east-1 --profile data-platform-prod"
            );
        }
        let mut denied = snap;
        denied.fail(Source::BucketVersioning);
        assert_eq!(
            only(&denied, "mwaa-bucket-versioning").status,
            Status::Unknown
        );
    }

    #[test]
    fn public_access_must_be_blocked() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-bucket-public-access-blocked");
        let mut none = snap.clone();
        bucket(&mut none).public_access_block = None;
        let f = only(&none, "mwaa-bucket-public-access-blocked");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.detail
                .contains("has no Block Public Access configuration")
        );
        let mut partly = snap.clone();
        bucket(&mut partly)
            .public_access_block
            .as_mut()
            .unwrap()
            .restrict_public_buckets = false;
        let f = only(&partly, "mwaa-bucket-public-access-blocked");
        assert!(
            f.detail.contains("leaves RestrictPublicBuckets off"),
            "{}",
            f.detail
        );
        let mut unnamed = snap.clone();
        unnamed.environment.as_mut().unwrap().source_bucket_arn = None;
        assert_eq!(
            only(&unnamed, "mwaa-bucket-public-access-blocked").status,
            Status::Unknown
        );
        let mut none = snap;
        none.environment = None;
        assert_eq!(
            only(&none, "mwaa-bucket-public-access-blocked").status,
            Status::Info
        );
    }
}
