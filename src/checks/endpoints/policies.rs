//! Endpoint policies (*Control access to VPC endpoints using endpoint policies*; *Security in
//! your VPC on Amazon MWAA › VPC endpoint policies (private routing only)*).

use crate::checks::context::Ctx;
use crate::checks::docs::{
    ENDPOINT_POLICIES, MWAA_ENDPOINTS, MWAA_SECURITY, QUOTAS, S3_GATEWAY, cite,
};
use crate::checks::finding::{Finding, Severity, Subject};
use crate::checks::policy::{Access, Policy, Principal, parse};
use crate::checks::rule::{Family, Rule};
use crate::model::{EndpointType, Source, VpcEndpoint};

const NEEDS: &[Source] = &[Source::VpcEndpoints];

/// Each endpoint's policy as full access or custom (*Control access to VPC endpoints using
/// endpoint policies › Default endpoint policy*).
pub const CLASSIFY: Rule = Rule {
    id: "vpce-policy-classify",
    severity: Severity::Info,
    title: "Endpoint policies: full access or custom",
    docs: &[cite(ENDPOINT_POLICIES, "Default endpoint policy")],
    needs: NEEDS,
    reads: &[],
};
/// A policy that does not parse cannot be evaluated (*Control access to VPC endpoints using
/// endpoint policies › Considerations*).
pub const INVALID: Rule = Rule {
    id: "vpce-policy-invalid",
    severity: Severity::Error,
    title: "Endpoint policy documents are valid IAM JSON",
    docs: &[cite(ENDPOINT_POLICIES, "Considerations")],
    needs: NEEDS,
    reads: &[],
};
/// An MWAA interface endpoint whose policy is not full access (*Security in your VPC on Amazon
/// MWAA › VPC endpoint policies (private routing only)*).
pub const NOT_FULL: Rule = Rule {
    id: "mwaa-vpce-policy-not-full",
    severity: Severity::Warn,
    title: "MWAA interface endpoints use the full-access policy",
    docs: &[
        cite(
            MWAA_SECURITY,
            "VPC endpoint policies (private routing only)",
        ),
        cite(MWAA_ENDPOINTS, "(Required) VPC endpoints: Full Access"),
    ],
    needs: NEEDS,
    reads: &[],
};
/// An S3 gateway policy without `s3:GetObject` on the ECR layer bucket (*Security in your VPC on
/// Amazon MWAA › (Recommended) Example Amazon S3 gateway endpoint policy to allow bucket
/// access*).
pub const ECR_LAYER_BUCKET: Rule = Rule {
    id: "mwaa-s3-policy-missing-ecr-layer-bucket",
    severity: Severity::Error,
    title: "The S3 gateway policy allows s3:GetObject on the ECR layer bucket",
    docs: &[cite(
        MWAA_SECURITY,
        "(Recommended) Example Amazon S3 gateway endpoint policy to allow bucket access",
    )],
    needs: NEEDS,
    reads: &[],
};
/// An S3 gateway policy that does not allow the environment's DAG bucket (*Security in your VPC on
/// Amazon MWAA › (Recommended) Example Amazon S3 gateway endpoint policy to allow bucket access*).
pub const DAG_BUCKET: Rule = Rule {
    id: "mwaa-s3-policy-missing-dag-bucket",
    severity: Severity::Error,
    title: "The S3 gateway policy allows the environment's DAG bucket",
    docs: &[cite(
        MWAA_SECURITY,
        "(Recommended) Example Amazon S3 gateway endpoint policy to allow bucket access",
    )],
    needs: NEEDS,
    reads: &[],
};
/// A statement without a `Principal` (*Control access to VPC endpoints using endpoint policies ›
/// Considerations*).
pub const NO_PRINCIPAL: Rule = Rule {
    id: "vpce-policy-no-principal",
    severity: Severity::Error,
    title: "Every policy statement has a Principal",
    docs: &[cite(ENDPOINT_POLICIES, "Considerations")],
    needs: NEEDS,
    reads: &[],
};
/// A gateway endpoint policy whose principal is not `*` (*Control access to VPC endpoints using
/// endpoint policies › Principals for gateway endpoints*).
pub const GATEWAY_PRINCIPAL: Rule = Rule {
    id: "gateway-policy-principal-not-star",
    severity: Severity::Error,
    title: "Gateway endpoint policy principals are \"*\"",
    docs: &[cite(ENDPOINT_POLICIES, "Principals for gateway endpoints")],
    needs: NEEDS,
    reads: &[],
};
/// A policy that grants an account's root user only (*Control access to VPC endpoints using
/// endpoint policies › Principals for gateway endpoints*).
pub const ROOT_ONLY: Rule = Rule {
    id: "vpce-policy-root-only-principal",
    severity: Severity::Warn,
    title: "No policy grants access to an account root user only",
    docs: &[cite(ENDPOINT_POLICIES, "Principals for gateway endpoints")],
    needs: NEEDS,
    reads: &[],
};
/// A policy over 20,480 characters (*Control access to VPC endpoints using endpoint policies ›
/// Considerations*; *Quotas for AWS PrivateLink › Endpoint policy size*).
pub const SIZE: Rule = Rule {
    id: "vpce-policy-size",
    severity: Severity::Error,
    title: "Endpoint policies stay under 20,480 characters",
    docs: &[
        cite(ENDPOINT_POLICIES, "Considerations"),
        cite(QUOTAS, "Endpoint policy size"),
    ],
    needs: NEEDS,
    reads: &[],
};
/// A policy that relies on `aws:SourceIp`, which traffic through an endpoint never matches
/// (*Gateway endpoints for Amazon S3 › Considerations*).
pub const SOURCE_IP: Rule = Rule {
    id: "vpce-policy-sourceip",
    severity: Severity::Warn,
    title: "Policies do not rely on aws:SourceIp for traffic through endpoints",
    docs: &[cite(S3_GATEWAY, "Considerations")],
    needs: NEEDS,
    reads: &[],
};

/// The per-endpoint rules, in report order.
const PER_ENDPOINT: [Rule; 7] = [
    INVALID,
    NOT_FULL,
    NO_PRINCIPAL,
    GATEWAY_PRINCIPAL,
    ROOT_ONLY,
    SIZE,
    SOURCE_IP,
];

/// Endpoint policies.
pub const FAMILY: Family = Family {
    name: "endpoint policies",
    rules: &[
        CLASSIFY,
        ECR_LAYER_BUCKET,
        DAG_BUCKET,
        INVALID,
        NOT_FULL,
        NO_PRINCIPAL,
        GATEWAY_PRINCIPAL,
        ROOT_ONLY,
        SIZE,
        SOURCE_IP,
    ],
    run,
};

/// The class of an endpoint's policy (*Control access to VPC endpoints using endpoint policies ›
/// Default endpoint policy*), the one judgement every face shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyClass {
    /// No policy document: the service does not support policies, or it is a gateway default.
    None,
    /// The default full-access shape.
    Full,
    /// Anything else that parses.
    Custom,
    /// Not valid IAM JSON.
    Invalid,
}

impl PolicyClass {
    /// `-`, `full`, `custom` or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "-",
            Self::Full => "full",
            Self::Custom => "custom",
            Self::Invalid => "invalid",
        }
    }
}

/// Classifies an endpoint's policy document.
pub fn policy_class(endpoint: &VpcEndpoint) -> PolicyClass {
    match endpoint.policy_document.as_deref().map(parse) {
        None => PolicyClass::None,
        Some(Ok(policy)) if policy.is_full_access() => PolicyClass::Full,
        Some(Ok(_)) => PolicyClass::Custom,
        Some(Err(_)) => PolicyClass::Invalid,
    }
}

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

/// The layer bucket rule accepts the region-substituted ARN and the literal placeholder of
/// the example in *Security in your VPC on Amazon MWAA*.
fn ecr_layer_bucket(ctx: &Ctx, gateway: &VpcEndpoint, policy: &Policy) -> Finding {
    let real = format!("arn:aws:s3:::prod-{}-starport-layer-bucket/", ctx.region());
    let literal = "arn:aws:s3:::prod-region-starport-layer-bucket/";
    let access = policy.access("s3:GetObject", &format!("{real}layer"));
    let literal_access = policy.access("s3:GetObject", &format!("{literal}layer"));
    if access == Access::Allowed || literal_access == Access::Allowed {
        return ECR_LAYER_BUCKET.pass(
            Subject::endpoint(&gateway.id),
            format!("{}'s policy allows s3:GetObject on {real}*.", gateway.id),
        );
    }
    ECR_LAYER_BUCKET
        .violated(Subject::endpoint(&gateway.id), format!(
            "{}'s custom policy does not allow s3:GetObject on {real}* ({}): MWAA cannot pull its container image layers from ECR.",
            gateway.id,
            access_text(&access)
        ))
        .fix(format!(
            "# Add to the policy of {} the statement {{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"{real}*\"}}, saved as policy.json, then:\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --policy-document file://policy.json",
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
            Subject::endpoint(&gateway.id),
            "No MWAA environment with a source bucket was named (--mwaa-env); not applicable.",
        );
    };
    let objects = policy.access("s3:GetObject", &format!("{bucket}/dags/dag.py"));
    let listing = policy.access("s3:ListBucket", bucket);
    if objects == Access::Allowed && listing == Access::Allowed {
        return DAG_BUCKET.pass(
            Subject::endpoint(&gateway.id),
            format!("{}'s policy allows {bucket} and {bucket}/*.", gateway.id),
        );
    }
    DAG_BUCKET
        .violated(Subject::endpoint(&gateway.id), format!(
            "{}'s custom policy does not give MWAA its DAG bucket: s3:GetObject on {bucket}/* is {}, s3:ListBucket on {bucket} is {}.",
            gateway.id,
            access_text(&objects),
            access_text(&listing)
        ))
        .fix(format!(
            "# Add to the policy of {} an Allow for \"Principal\":\"*\" on \"{bucket}\" and \"{bucket}/*\", saved as policy.json, then:\naws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --policy-document file://policy.json",
            gateway.id, gateway.id
        ))
}

/// Per-endpoint rules over a parsed policy; returns the violations.
fn statement_rules(endpoint: &VpcEndpoint, policy: &Policy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let id = Subject::endpoint(&endpoint.id);
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
        if s.condition_keys()
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

fn run(ctx: &Ctx) -> Vec<Finding> {
    let mut findings = vec![classify(ctx)];
    findings.extend(s3_gateway_policy(ctx));
    let violations: Vec<Finding> = ctx
        .snap
        .endpoints
        .iter()
        .flat_map(|e| endpoint_rules(ctx, e))
        .collect();
    for rule in PER_ENDPOINT {
        let hits: Vec<Finding> = violations
            .iter()
            .filter(|f| f.rule == rule.id)
            .cloned()
            .collect();
        findings.extend(rule.or_pass(hits, ctx.vpc(), "No endpoint policy breaks this rule."));
    }
    findings
}

/// Rule 49: how many endpoints have the full-access policy, and which are custom.
fn classify(ctx: &Ctx) -> Finding {
    let (mut full, mut custom) = (0, Vec::new());
    for endpoint in &ctx.snap.endpoints {
        match policy_class(endpoint) {
            PolicyClass::Full => full += 1,
            PolicyClass::Custom => custom.push(endpoint.id.clone()),
            PolicyClass::None | PolicyClass::Invalid => {}
        }
    }
    let listed = if custom.is_empty() {
        String::new()
    } else {
        format!(" ({})", custom.join(", "))
    };
    CLASSIFY
        .info(
            ctx.vpc(),
            format!("{full} full access; {} custom{listed}.", custom.len()),
        )
        .involving(custom)
}

/// Rules 51 and 52 on the S3 gateway's policy.
fn s3_gateway_policy(ctx: &Ctx) -> Vec<Finding> {
    let Some(gateway) = ctx.s3_gateways().first().copied() else {
        let none = "The VPC has no available S3 gateway endpoint; see s3-gateway-missing.";
        return [ECR_LAYER_BUCKET, DAG_BUCKET]
            .map(|r| r.info(ctx.vpc(), none))
            .into();
    };
    match gateway.policy_document.as_deref().map(parse) {
        Some(Ok(policy)) if !policy.is_full_access() => {
            vec![
                ecr_layer_bucket(ctx, gateway, &policy),
                dag_bucket(ctx, gateway, &policy),
            ]
        }
        _ => {
            let full = format!(
                "{} has the full-access policy (or none, which means full access).",
                gateway.id
            );
            [ECR_LAYER_BUCKET, DAG_BUCKET]
                .map(|r| r.pass(Subject::endpoint(&gateway.id), full.clone()))
                .into()
        }
    }
}

/// The size, validity and statement rules of one endpoint's policy; the violations.
fn endpoint_rules(ctx: &Ctx, endpoint: &VpcEndpoint) -> Vec<Finding> {
    let Some(text) = endpoint.policy_document.as_deref() else {
        return Vec::new();
    };
    let subject = || Subject::endpoint(&endpoint.id);
    let mut findings = Vec::new();
    let size = text.chars().count();
    if size > WARN_POLICY_CHARS {
        let severity = if size > MAX_POLICY_CHARS {
            Severity::Error
        } else {
            Severity::Warn
        };
        findings.push(SIZE.violated_at(severity, subject(), format!("{}'s policy has {size} characters; the limit is {MAX_POLICY_CHARS}, white space included, and cannot be raised.", endpoint.id)));
    }
    let policy = match parse(text) {
        Ok(policy) => policy,
        Err(why) => {
            findings.push(
                INVALID
                    .violated(
                        subject(),
                        format!("{}'s policy cannot be read: {why}.", endpoint.id),
                    )
                    .fix(reset_fix(endpoint)),
            );
            return findings;
        }
    };
    if policy.is_full_access() {
        return findings;
    }
    findings.extend(statement_rules(endpoint, &policy));
    if endpoint.endpoint_type == EndpointType::Interface && ctx.is_mwaa_service(endpoint) {
        findings.push(
            NOT_FULL
                .violated(subject(), format!("{} ({}) has a custom policy; MWAA recommends full access and the execution role for permissions.", endpoint.id, endpoint.short_service_name()))
                .fix(reset_fix(endpoint)),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::{PolicyClass, policy_class};
    use crate::checks::Status;
    use crate::checks::testkit::*;
    use serde_json::json;

    fn set_s3_policy(snap: &mut Fixture, policy: serde_json::Value) -> String {
        let gateway = snap.endpoint("s3");
        gateway.policy_document = Some(policy.to_string());
        gateway.id.clone()
    }

    fn allow(resources: serde_json::Value) -> serde_json::Value {
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": resources}]})
    }

    #[test]
    fn the_s3_gateway_policy_must_allow_the_ecr_layer_bucket_and_the_dag_bucket() {
        let snap = Fixture::healthy();
        assert_pass(&snap, "mwaa-s3-policy-missing-ecr-layer-bucket");
        assert_pass(&snap, "mwaa-s3-policy-missing-dag-bucket");

        let mut dags_only = snap.clone();
        let gw = set_s3_policy(
            &mut dags_only,
            allow(json!([
                "arn:aws:s3:::airflow-staging-dags",
                "arn:aws:s3:::airflow-staging-dags/*"
            ])),
        );
        let f = assert_flags(
            &dags_only,
            "mwaa-s3-policy-missing-ecr-layer-bucket",
            Status::Fail,
            &gw,
        );
        assert!(
            f.remediation
                .unwrap()
                .contains("arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*")
        );
        assert_pass(&dags_only, "mwaa-s3-policy-missing-dag-bucket");
        // Objects without the listing are not enough, nor the listing without the objects.
        for (action, resource) in [
            ("s3:GetObject", "arn:aws:s3:::airflow-staging-dags/*"),
            ("s3:ListBucket", "arn:aws:s3:::airflow-staging-dags"),
        ] {
            let mut half = snap.clone();
            set_s3_policy(
                &mut half,
                json!({"Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"},
                    {"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource}
                ]}),
            );
            assert_flags(
                &half,
                "mwaa-s3-policy-missing-dag-bucket",
                Status::Fail,
                &gw,
            );
        }

        // The MWAA guide's example pasted verbatim: the literal placeholder is accepted, the
        // DAG bucket is missing.
        let mut literal = snap.clone();
        set_s3_policy(
            &mut literal,
            allow(json!(["arn:aws:s3:::prod-region-starport-layer-bucket/*"])),
        );
        assert_pass(&literal, "mwaa-s3-policy-missing-ecr-layer-bucket");
        assert_flags(
            &literal,
            "mwaa-s3-policy-missing-dag-bucket",
            Status::Fail,
            &gw,
        );

        // Wildcards in resources count.
        let mut wildcard = snap.clone();
        set_s3_policy(
            &mut wildcard,
            allow(json!([
                "arn:aws:s3:::prod-*-starport-layer-bucket/*",
                "arn:aws:s3:::airflow-staging-*"
            ])),
        );
        assert_pass(&wildcard, "mwaa-s3-policy-missing-ecr-layer-bucket");
        assert_pass(&wildcard, "mwaa-s3-policy-missing-dag-bucket");

        // An explicit Deny wins over the allow.
        let mut deny = snap;
        let mut doc = allow(json!("*"));
        doc["Statement"].as_array_mut().unwrap().push(json!({"Sid": "NoLayers", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::prod-*-starport-layer-bucket/*"}));
        set_s3_policy(&mut deny, doc);
        let f = assert_flags(
            &deny,
            "mwaa-s3-policy-missing-ecr-layer-bucket",
            Status::Fail,
            &gw,
        );
        assert!(f.detail.contains("NoLayers"));
    }

    #[test]
    fn policy_statement_rules() {
        let snap = Fixture::healthy();
        for id in [
            "vpce-policy-invalid",
            "mwaa-vpce-policy-not-full",
            "vpce-policy-no-principal",
            "gateway-policy-principal-not-star",
            "vpce-policy-root-only-principal",
            "vpce-policy-size",
            "vpce-policy-sourceip",
        ] {
            assert_pass(&snap, id);
        }
        let mut s = snap;
        s.endpoint("sqs").policy_document = Some(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sqs:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#.into());
        s.endpoint("kms").policy_document =
            Some(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into());
        s.endpoint("logs").policy_document = Some("{\"Statement\": [".into());
        s.endpoint("monitoring").policy_document = Some(format!(
            "{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}]{}}}",
            " ".repeat(20_500)
        ));
        s.endpoint("ecr.api").policy_document = Some(format!(
            "{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}]{}}}",
            " ".repeat(19_000)
        ));
        let gw = set_s3_policy(
            &mut s,
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/mwaa"}, "Action": "s3:*", "Resource": "*"}]}),
        );
        let (sqs, kms, logs, monitoring, ecr) = (
            s.id_of("sqs"),
            s.id_of("kms"),
            s.id_of("logs"),
            s.id_of("monitoring"),
            s.id_of("ecr.api"),
        );
        assert_flags(&s, "vpce-policy-root-only-principal", Status::Warn, &sqs);
        assert_flags(&s, "vpce-policy-sourceip", Status::Warn, &sqs);
        assert_flags(&s, "mwaa-vpce-policy-not-full", Status::Warn, &sqs);
        assert_flags(&s, "vpce-policy-no-principal", Status::Fail, &kms);
        let invalid = assert_flags(&s, "vpce-policy-invalid", Status::Fail, &logs);
        assert_eq!(
            invalid.remediation.unwrap(),
            format!(
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {logs} --reset-policy --region us-east-1 --profile data-platform-prod"
            )
        );
        assert_flags(&s, "vpce-policy-size", Status::Fail, &monitoring);
        assert_flags(&s, "vpce-policy-size", Status::Warn, &ecr);
        assert_flags(&s, "gateway-policy-principal-not-star", Status::Fail, &gw);
        let classify = only(&s, "vpce-policy-classify");
        assert!(
            classify.involves(&sqs) && !classify.involves(&monitoring),
            "{classify:?}"
        );
        assert_eq!(
            policy_class(s.endpoints.iter().find(|e| e.id == sqs).unwrap()),
            PolicyClass::Custom
        );
        assert_eq!(
            policy_class(s.endpoints.iter().find(|e| e.id == logs).unwrap()),
            PolicyClass::Invalid
        );
        assert_eq!(
            policy_class(s.endpoints.iter().find(|e| e.id == monitoring).unwrap()),
            PolicyClass::Full
        );
        s.endpoint("sqs").policy_document = None;
        assert_eq!(
            policy_class(s.endpoints.iter().find(|e| e.id == sqs).unwrap()),
            PolicyClass::None
        );
    }
}
