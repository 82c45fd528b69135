//! An endpoint's policy against the MWAA guide's reference (*Security in your VPC on Amazon MWAA ›
//! VPC endpoint policies (private routing only)*): the S3 gateway's example bucket policy, or the
//! allow-all example for interface endpoints. Shown in the endpoint's details; a difference is not
//! a verdict (the policy rules judge).

use similar::{ChangeTag, TextDiff};

use crate::model::{EndpointType, VpcEndpoint};

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the endpoint's policy.
    Added(String),
    /// Only in the reference.
    Removed(String),
}

/// "(Recommended) Example VPC endpoint policy to allow all access".
const ALLOW_ALL: &str =
    r#"{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*","Principal":"*"}]}"#;

/// "(Recommended) Example Amazon S3 gateway endpoint policy to allow bucket access", with the
/// Region's ECR layer bucket.
fn s3_reference(region: &str) -> String {
    format!(
        r#"{{"Statement":[{{"Sid":"Access-to-specific-bucket-only","Principal":"*","Action":["s3:GetObject"],"Effect":"Allow","Resource":["arn:aws:s3:::prod-{region}-starport-layer-bucket/*"]}}]}}"#
    )
}

/// The value with every object's keys in order (serde_json may keep insertion order).
fn sorted(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// JSON pretty-printed with sorted keys, so that layout and key order never show as changes,
/// and without the top-level `Version` (the guide's examples omit it; AWS's defaults carry one).
fn normalized(text: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    if let Some(map) = value.as_object_mut() {
        map.remove("Version");
    }
    serde_json::to_string_pretty(&sorted(value)).ok()
}

/// The reference the endpoint's policy is compared with, and its name.
pub fn reference(endpoint: &VpcEndpoint, region: &str) -> (&'static str, String) {
    match endpoint.endpoint_type {
        EndpointType::Gateway if endpoint.service_name.ends_with(".s3") => (
            "the MWAA guide's example S3 gateway endpoint policy",
            s3_reference(region),
        ),
        _ => (
            "the MWAA guide's example policy to allow all access",
            ALLOW_ALL.to_string(),
        ),
    }
}

/// The lines of the endpoint's policy against its reference; `None` without a policy or when
/// either side is not JSON.
pub fn against_reference(endpoint: &VpcEndpoint, region: &str) -> Option<Vec<DiffLine>> {
    let live = normalized(endpoint.policy_document.as_deref()?)?;
    let reference = normalized(&reference(endpoint, region).1)?;
    let diff = TextDiff::from_lines(&reference, &live);
    Some(
        diff.iter_all_changes()
            .map(|change| {
                let text = change.value().trim_end_matches('\n').to_string();
                match change.tag() {
                    ChangeTag::Equal => DiffLine::Same(text),
                    ChangeTag::Insert => DiffLine::Added(text),
                    ChangeTag::Delete => DiffLine::Removed(text),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{DiffLine, against_reference};
    use crate::model::{EndpointType, test_endpoint};

    #[test]
    fn the_policy_is_diffed_against_its_reference_ignoring_layout() {
        let mut interface = test_endpoint("vpce-1", "com.amazonaws.us-east-1.sqs");
        interface.policy_document = Some(
            "{ \"Version\": \"2008-10-17\", \"Statement\" : [ { \"Effect\" : \"Allow\", \"Principal\" : \"*\",\n \"Action\" : \"*\", \"Resource\" : \"*\" } ] }".into(),
        );
        let diff = against_reference(&interface, "us-east-1").unwrap();
        assert!(
            diff.iter().all(|l| matches!(l, DiffLine::Same(_))),
            "{diff:?}"
        );

        let mut gateway = test_endpoint("vpce-2", "com.amazonaws.us-east-1.s3");
        gateway.endpoint_type = EndpointType::Gateway;
        gateway.policy_document = Some(r#"{"Statement":[{"Sid":"Access-to-specific-bucket-only","Principal":"*","Action":["s3:GetObject"],"Effect":"Allow","Resource":["arn:aws:s3:::airflow-dags/*"]}]}"#.into());
        let diff = against_reference(&gateway, "us-east-1").unwrap();
        assert!(
            diff.contains(&DiffLine::Removed(
                "        \"arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*\"".into()
            )),
            "{diff:?}"
        );
        assert!(
            diff.contains(&DiffLine::Added(
                "        \"arn:aws:s3:::airflow-dags/*\"".into()
            )),
            "{diff:?}"
        );

        gateway.policy_document = Some("not json".into());
        assert_eq!(against_reference(&gateway, "us-east-1"), None);
        gateway.policy_document = None;
        assert_eq!(against_reference(&gateway, "us-east-1"), None);
    }
}
