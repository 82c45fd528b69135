//! Endpoint policies (rules 49–57). Source: `../shared/rules.md` §J; [002] Endpoint
//! policies; [001] VPC endpoint policies (private routing only).

use super::checklist::MWAA_SUFFIXES;
use super::context::Ctx;
use super::finding::{Finding, Rule, Severity};
use super::policy::{Access, Policy, Principal, parse};
use crate::model::{EndpointType, Source, VpcEndpoint};

pub const CLASSIFY: Rule = Rule {
    id: "vpce-policy-classify",
    severity: Severity::Info,
    title: "Endpoint policies: full access or custom",
    source: "rules.md 49 · [002] Endpoint policies › Default endpoint policy",
};
pub const INVALID: Rule = Rule {
    id: "vpce-policy-invalid",
    severity: Severity::Error,
    title: "Endpoint policy documents are valid IAM JSON",
    source: "rules.md §J (a policy that does not parse cannot be evaluated) · [002] Endpoint policies",
};
pub const NOT_FULL: Rule = Rule {
    id: "mwaa-vpce-policy-not-full",
    severity: Severity::Warn,
    title: "MWAA interface endpoints use the full-access policy",
    source: "rules.md 50 · [001] VPC endpoint policies; [000] \"Choose Full Access in Policy\"",
};
pub const ECR_LAYER_BUCKET: Rule = Rule {
    id: "mwaa-s3-policy-missing-ecr-layer-bucket",
    severity: Severity::Error,
    title: "The S3 gateway policy allows s3:GetObject on the ECR layer bucket",
    source: "rules.md 51 · [001] Example Amazon S3 gateway endpoint policy: \"required for your Amazon ECR image to be retrieved\"",
};
pub const DAG_BUCKET: Rule = Rule {
    id: "mwaa-s3-policy-missing-dag-bucket",
    severity: Severity::Error,
    title: "The S3 gateway policy allows the environment's DAG bucket",
    source: "rules.md 52 · [001]: \"in addition to the bucket where your DAGs and supporting files are stored\"",
};
pub const NO_PRINCIPAL: Rule = Rule {
    id: "vpce-policy-no-principal",
    severity: Severity::Error,
    title: "Every policy statement has a Principal",
    source: "rules.md 53 · [002] Endpoint policies › Considerations: \"It must contain a Principal element\"",
};
pub const GATEWAY_PRINCIPAL: Rule = Rule {
    id: "gateway-policy-principal-not-star",
    severity: Severity::Error,
    title: "Gateway endpoint policy principals are \"*\"",
    source: "rules.md 54 · [002] Principals for gateway endpoints",
};
pub const ROOT_ONLY: Rule = Rule {
    id: "vpce-policy-root-only-principal",
    severity: Severity::Warn,
    title: "No policy grants access to an account root user only",
    source: "rules.md 55 · [002] Principals for gateway endpoints",
};
pub const SIZE: Rule = Rule {
    id: "vpce-policy-size",
    severity: Severity::Error,
    title: "Endpoint policies stay under 20,480 characters",
    source: "rules.md 56 · [002] Endpoint policies › Considerations; Quotas",
};
pub const SOURCE_IP: Rule = Rule {
    id: "vpce-policy-sourceip",
    severity: Severity::Warn,
    title: "Policies do not rely on aws:SourceIp for traffic through endpoints",
    source: "rules.md 57 · [002]/[003] S3 Considerations: use aws:VpcSourceIp",
};

/// The policy size limit, including white space.
const MAX_POLICY_CHARS: usize = 20_480;
/// Warn from 90% of the limit.
const WARN_POLICY_CHARS: usize = 18_432;

fn reset_fix(endpoint: &VpcEndpoint) -> String {
    format!(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --reset-policy",
        endpoint.id
    )
}

fn access_text(access: &Access) -> String {
    match access {
        Access::Allowed => "allowed".into(),
        Access::Conditional => "allowed only under a condition".into(),
        Access::Denied(Some(sid)) => format!("denied by statement {sid}"),
        Access::Denied(None) => "denied by an explicit Deny".into(),
        Access::NotAllowed => "not allowed by any statement".into(),
    }
}

/// The layer bucket rule accepts the region-substituted ARN and [001]'s literal placeholder.
fn ecr_layer_bucket(ctx: &Ctx, gateway: &VpcEndpoint, policy: &Policy) -> Finding {
    let real = format!("arn:aws:s3:::prod-{}-starport-layer-bucket/", ctx.region());
    let literal = "arn:aws:s3:::prod-region-starport-layer-bucket/";
    let access = policy.access("s3:GetObject", &format!("{real}layer"));
    let literal_access = policy.access("s3:GetObject", &format!("{literal}layer"));
    if access == Access::Allowed || literal_access == Access::Allowed {
        return ECR_LAYER_BUCKET.pass(
            vec![gateway.id.clone()],
            format!("{}'s policy allows s3:GetObject on {real}*.", gateway.id),
        );
    }
    ECR_LAYER_BUCKET
        .violated(vec![gateway.id.clone()], format!(
            "{}'s custom policy does not allow s3:GetObject on {real}* ({}): MWAA cannot pull its container image layers from ECR.",
            gateway.id,
            access_text(&access)
        ))
        .fix(format!(
            "Add to the policy of {} a statement {{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"{real}*\"}}, then: aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --policy-document file://policy.json",
            gateway.id, gateway.id
        ))
}

fn dag_bucket(ctx: &Ctx, gateway: &VpcEndpoint, policy: &Policy) -> Finding {
    let Some(bucket) = ctx
        .snap
        .environment
        .as_ref()
        .and_then(|e| e.source_bucket_arn.as_deref())
    else {
        return DAG_BUCKET.info(
            vec![gateway.id.clone()],
            "No MWAA environment with a source bucket was named (--mwaa-env); not applicable.",
        );
    };
    let objects = policy.access("s3:GetObject", &format!("{bucket}/dags/dag.py"));
    let listing = policy.access("s3:ListBucket", bucket);
    if objects == Access::Allowed && listing == Access::Allowed {
        return DAG_BUCKET.pass(
            vec![gateway.id.clone()],
            format!("{}'s policy allows {bucket} and {bucket}/*.", gateway.id),
        );
    }
    DAG_BUCKET
        .violated(vec![gateway.id.clone()], format!(
            "{}'s custom policy does not give MWAA its DAG bucket: s3:GetObject on {bucket}/* is {}, s3:ListBucket on {bucket} is {}.",
            gateway.id,
            access_text(&objects),
            access_text(&listing)
        ))
        .fix(format!(
            "Add to the policy of {} an Allow for \"Principal\":\"*\" on \"{bucket}\" and \"{bucket}/*\", then: aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --policy-document file://policy.json",
            gateway.id, gateway.id
        ))
}

/// Per-endpoint rules over a parsed policy; returns the violations.
fn statement_rules(endpoint: &VpcEndpoint, policy: &Policy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let id = vec![endpoint.id.clone()];
    let unnamed =
        |i: usize, sid: &Option<String>| sid.clone().unwrap_or_else(|| format!("#{}", i + 1));
    for (i, s) in policy.statements.iter().enumerate() {
        let name = unnamed(i, &s.sid);
        if s.principal == Principal::Missing {
            findings.push(
                NO_PRINCIPAL
                    .violated(
                        id.clone(),
                        format!(
                            "Statement {name} of {}'s policy has no Principal element.",
                            endpoint.id
                        ),
                    )
                    .fix(reset_fix(endpoint)),
            );
        }
        if endpoint.endpoint_type == EndpointType::Gateway
            && !matches!(s.principal, Principal::Anyone | Principal::Missing)
        {
            findings.push(GATEWAY_PRINCIPAL.violated(id.clone(), format!(
                "Statement {name} of gateway endpoint {} names a principal; gateway endpoints need \"Principal\": \"*\" with an aws:PrincipalArn condition instead.",
                endpoint.id
            )));
        }
        if let Principal::Aws(values) = &s.principal {
            let roots: Vec<&String> = values
                .iter()
                .filter(|v| {
                    (v.len() == 12 && v.chars().all(|c| c.is_ascii_digit())) || v.ends_with(":root")
                })
                .collect();
            if !roots.is_empty() {
                findings.push(ROOT_ONLY.violated(id.clone(), format!(
                    "Statement {name} of {}'s policy grants access to {} only: that is the account root user, not the account's users and roles.",
                    endpoint.id,
                    roots.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        if s.condition_keys
            .iter()
            .any(|k| k.eq_ignore_ascii_case("aws:SourceIp"))
        {
            findings.push(SOURCE_IP.violated(id.clone(), format!(
                "Statement {name} of {}'s policy conditions on aws:SourceIp, which does not match traffic through a VPC endpoint; use aws:VpcSourceIp.",
                endpoint.id
            )));
        }
    }
    findings
}

pub fn run(ctx: &Ctx) -> Vec<Finding> {
    let rules = [
        CLASSIFY,
        INVALID,
        NOT_FULL,
        ECR_LAYER_BUCKET,
        DAG_BUCKET,
        NO_PRINCIPAL,
        GATEWAY_PRINCIPAL,
        ROOT_ONLY,
        SIZE,
        SOURCE_IP,
    ];
    if let Some(reason) = ctx.missing(&[Source::VpcEndpoints]) {
        return rules.map(|r| r.unknown(reason.clone())).into();
    }
    let mut findings = Vec::new();
    let mut by_rule: Vec<Finding> = Vec::new();
    let (mut full, mut custom) = (Vec::new(), Vec::new());
    for endpoint in &ctx.snap.endpoints {
        let Some(text) = endpoint.policy_document.as_deref() else {
            continue;
        };
        let size = text.chars().count();
        if size > WARN_POLICY_CHARS {
            let severity = if size > MAX_POLICY_CHARS {
                Severity::Error
            } else {
                Severity::Warn
            };
            by_rule.push(SIZE.violated_at(severity, vec![endpoint.id.clone()], format!("{}'s policy has {size} characters; the limit is {MAX_POLICY_CHARS}, white space included, and cannot be raised.", endpoint.id)));
        }
        let policy = match parse(text) {
            Ok(policy) => policy,
            Err(why) => {
                by_rule.push(
                    INVALID
                        .violated(
                            vec![endpoint.id.clone()],
                            format!("{}'s policy cannot be read: {why}.", endpoint.id),
                        )
                        .fix(reset_fix(endpoint)),
                );
                continue;
            }
        };
        if policy.is_full_access() {
            full.push(endpoint.id.clone());
            continue;
        }
        custom.push(endpoint.id.clone());
        by_rule.extend(statement_rules(endpoint, &policy));
        let suffix = endpoint.short_service_name();
        if endpoint.endpoint_type == EndpointType::Interface && MWAA_SUFFIXES.contains(&suffix) {
            by_rule.push(
                NOT_FULL
                    .violated(vec![endpoint.id.clone()], format!("{} ({suffix}) has a custom policy; MWAA recommends full access and the execution role for permissions.", endpoint.id))
                    .fix(reset_fix(endpoint)),
            );
        }
    }
    findings.push(CLASSIFY.info(
        custom.clone(),
        format!(
            "{} full access; {} custom{}.",
            full.len(),
            custom.len(),
            if custom.is_empty() {
                String::new()
            } else {
                format!(" ({})", custom.join(", "))
            }
        ),
    ));
    match ctx.s3_gateways().first() {
        Some(gateway) => match gateway.policy_document.as_deref().map(parse) {
            Some(Ok(policy)) if !policy.is_full_access() => {
                findings.push(ecr_layer_bucket(ctx, gateway, &policy));
                findings.push(dag_bucket(ctx, gateway, &policy));
            }
            _ => {
                let full = format!(
                    "{} has the full-access policy (or none, which means full access).",
                    gateway.id
                );
                findings.push(ECR_LAYER_BUCKET.pass(vec![gateway.id.clone()], full.clone()));
                findings.push(DAG_BUCKET.pass(vec![gateway.id.clone()], full));
            }
        },
        None => {
            let none = "The VPC has no available S3 gateway endpoint; see s3-gateway-missing.";
            findings.extend([ECR_LAYER_BUCKET, DAG_BUCKET].map(|r| r.info(vec![], none)));
        }
    }
    for rule in [
        INVALID,
        NOT_FULL,
        NO_PRINCIPAL,
        GATEWAY_PRINCIPAL,
        ROOT_ONLY,
        SIZE,
        SOURCE_IP,
    ] {
        let hits: Vec<Finding> = by_rule
            .iter()
            .filter(|f| f.id == rule.id)
            .cloned()
            .collect();
        findings.extend(rule.or_pass(hits, "No endpoint policy breaks this rule."));
    }
    findings
}
