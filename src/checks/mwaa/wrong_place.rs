//! Required endpoints in the wrong place (*Creating the required VPC service endpoints in an Amazon
//! VPC with private routing › Private network and private routing*): in another VPC of the account,
//! or for another Region's service.

use crate::checks::context::{Ctx, MWAA_SUFFIXES};
use crate::checks::dns::names::Outcome;
use crate::checks::docs::{MWAA_ENDPOINTS, cite};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointState, Source, VpcEndpoint};

/// An MWAA endpoint outside the environment's VPC or Region (*Creating the required VPC service
/// endpoints in an Amazon VPC with private routing › Private network and private routing*).
pub const WRONG_PLACE: Rule = Rule {
    id: "mwaa-endpoint-wrong-vpc-or-region",
    severity: Severity::Error,
    title: "MWAA's endpoints are in the environment's VPC and Region",
    docs: &[cite(MWAA_ENDPOINTS, "Private network and private routing")],
    needs: &[Source::VpcEndpoints],
    reads: &[Source::EndpointsElsewhere],
};

/// Endpoints in the wrong place.
pub const FAMILY: Family = Family {
    name: "MWAA endpoint placement",
    rules: &[WRONG_PLACE],
    run,
};

/// The endpoints of `service` that exist in other VPCs of the account and that none of the
/// workload's names leads to: a centralised endpoint that a private hosted zone points the
/// names at is where it should be.
pub fn in_other_vpcs<'a>(ctx: &Ctx<'a>, service: &str) -> Vec<&'a VpcEndpoint> {
    ctx.snap
        .endpoints_elsewhere
        .iter()
        .filter(|e| e.service_name == service && !centralised(ctx, e))
        .collect()
}

/// True when a name in scope resolves, through a private hosted zone, to `endpoint`.
fn centralised(ctx: &Ctx, endpoint: &VpcEndpoint) -> bool {
    ctx.names.iter().any(
        |n| matches!(&n.outcome, Outcome::Hub { endpoint_id, .. } if *endpoint_id == endpoint.id),
    )
}

/// "exists in vpc-0abc (vpce-…); MWAA needs it in vpc-0def", for a row without the endpoint.
pub fn other_vpcs_text(ctx: &Ctx, found: &[&VpcEndpoint]) -> Option<String> {
    let places: Vec<String> = found
        .iter()
        .map(|e| format!("{} ({}, {})", e.vpc_id, e.id, e.state))
        .collect();
    (!places.is_empty()).then(|| {
        format!(
            "It exists in {}; MWAA needs it in {}.",
            places.join(", "),
            ctx.vpc_id()
        )
    })
}

/// The Region and MWAA suffix of an AWS service name (`com.amazonaws.us-west-2.sqs`).
fn region_and_suffix(service_name: &str) -> Option<(&str, &str)> {
    let rest = service_name.strip_prefix("com.amazonaws.")?;
    let (region, suffix) = rest.split_once('.')?;
    MWAA_SUFFIXES.contains(&suffix).then_some((region, suffix))
}

fn run(ctx: &Ctx) -> Vec<Finding> {
    let env_region = ctx.region();
    let mut findings: Vec<Finding> = ctx
        .snap
        .endpoints
        .iter()
        .filter_map(|e| {
            let (region, suffix) = region_and_suffix(&e.service_name)?;
            (region != env_region).then(|| {
                WRONG_PLACE
                    .violated(
                        Subject::endpoint(&e.id),
                        format!(
                            "{} is an endpoint of {}, a service in {region}; MWAA in {env_region} needs {} in the same Region.",
                            e.id,
                            e.service_name,
                            ctx.service_name(suffix)
                        ),
                    )
                    .fix(format!(
                        "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {} --region {env_region}\n# then create the endpoint of {} (see mwaa.endpoint.{suffix})",
                        e.id,
                        ctx.service_name(suffix)
                    ))
            })
        })
        .collect();
    for suffix in MWAA_SUFFIXES {
        let service = ctx.service_name(suffix);
        if ctx
            .endpoints_for(suffix)
            .any(|e| e.state != EndpointState::Deleted)
        {
            continue;
        }
        let found = in_other_vpcs(ctx, &service);
        if let Some(text) = other_vpcs_text(ctx, &found) {
            findings.push(
                WRONG_PLACE
                    .violated(
                        Subject::service(&service),
                        format!("{} has no endpoint for {service}. {text}", ctx.vpc_id()),
                    )
                    .involving(found.iter().map(|e| e.id.clone())),
            );
        }
    }
    if findings.is_empty()
        && let Some(reason) = ctx.missing(&[Source::EndpointsElsewhere])
    {
        return vec![WRONG_PLACE.unknown(ctx.vpc(), reason)];
    }
    let hubs: Vec<&str> = ctx
        .snap
        .endpoints_elsewhere
        .iter()
        .filter(|e| centralised(ctx, e))
        .map(|e| e.id.as_str())
        .collect();
    let pass = match hubs.is_empty() {
        true => {
            "No MWAA endpoint is in another VPC of the account or for another Region.".to_string()
        }
        false => format!(
            "The MWAA endpoints in other VPCs ({}) are the centralised ones the workload's names resolve to; no other is misplaced.",
            hubs.join(", ")
        ),
    };
    WRONG_PLACE.or_pass(findings, ctx.vpc(), &pass)
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use crate::model::Source;

    #[test]
    fn an_endpoint_in_another_vpc_or_region_is_named() {
        let mut snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-endpoint-wrong-vpc-or-region");
        // The KMS endpoint lives in another VPC of the account.
        let mut moved = snap.endpoint("kms").clone();
        moved.vpc_id = "vpc-0elsewhere000000".into();
        snap.without("kms");
        snap.endpoints_elsewhere.push(moved.clone());
        let f = assert_flags(
            &snap,
            "mwaa-endpoint-wrong-vpc-or-region",
            Status::Fail,
            &moved.id,
        );
        assert!(
            f.detail
                .contains(&format!("It exists in vpc-0elsewhere000000 ({}", moved.id))
                && f.detail
                    .contains(&format!("MWAA needs it in {}", snap.vpc.id)),
            "{}",
            f.detail
        );
        let row = only(&snap, "mwaa.endpoint.kms");
        assert_eq!(row.status, Status::Fail);
        assert!(
            row.detail.contains("It exists in vpc-0elsewhere000000"),
            "{}",
            row.detail
        );
        // An endpoint of another Region's service.
        let mut region = Fixture::healthy();
        let sqs = region.endpoint("sqs");
        sqs.service_name = "com.amazonaws.us-west-2.sqs".into();
        let id = sqs.id.clone();
        let f = assert_flags(
            &region,
            "mwaa-endpoint-wrong-vpc-or-region",
            Status::Fail,
            &id,
        );
        assert!(f.detail.contains("a service in us-west-2"), "{}", f.detail);
        // The lookup denied, with a service missing: unknown.
        let mut denied = Fixture::healthy();
        denied.without("kms");
        denied.fail(Source::EndpointsElsewhere);
        assert_eq!(
            only(&denied, "mwaa-endpoint-wrong-vpc-or-region").status,
            Status::Unknown
        );
    }
}
