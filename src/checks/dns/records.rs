//! The fix that makes a private hosted zone answer service names with interface endpoints:
//! alias records, written out in the command when the snapshot knows an endpoint of each
//! service, else in a file a comment explains.

use crate::checks::shell::quote;
use crate::model::{DnsEntry, EndpointState, VpcEndpoint};

/// An endpoint that can answer `service_name`: available, of that service, with a regional DNS
/// name and its hosted zone (in a hub VPC, or elsewhere in the account).
pub fn alias_target<'a>(
    service_name: &str,
    candidates: impl IntoIterator<Item = &'a VpcEndpoint>,
) -> Option<&'a VpcEndpoint> {
    candidates.into_iter().find(|e| {
        e.service_name == service_name
            && e.state == EndpointState::Available
            && e.dns_entries.iter().any(|d| d.hosted_zone_id.is_some())
    })
}

/// `aws route53 change-resource-record-sets` upserting in `zone_id` an alias A record for
/// each name to its endpoint's regional DNS name: written out when every endpoint is known,
/// else read from `records.json`, which a comment explains.
pub fn alias_records(zone_id: &str, records: &[(&str, Option<&VpcEndpoint>)]) -> String {
    let entries: Option<Vec<(&str, &DnsEntry)>> = records
        .iter()
        .map(|(name, target)| {
            let entry = (*target)?
                .dns_entries
                .iter()
                .find(|d| d.hosted_zone_id.is_some())?;
            Some((*name, entry))
        })
        .collect();
    let command = format!(
        "aws route53 change-resource-record-sets --hosted-zone-id {}",
        quote(zone_id)
    );
    let Some(entries) = entries else {
        let names: Vec<&str> = records.iter().map(|(name, _)| *name).collect();
        return format!(
            "# records.json: {{\"Changes\":[…]}}, an UPSERT of an alias A record for {} to the endpoint that should answer it (its regional DnsEntries[0]: DNSName and HostedZoneId)\n{command} --change-batch file://records.json",
            names.join(", ")
        );
    };
    let changes: Vec<serde_json::Value> = entries
        .iter()
        .map(|(name, entry)| {
            serde_json::json!({"Action": "UPSERT", "ResourceRecordSet": {
                "Name": name,
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": entry.hosted_zone_id,
                    "DNSName": entry.dns_name,
                    "EvaluateTargetHealth": false,
                },
            }})
        })
        .collect();
    let batch = serde_json::json!({ "Changes": changes }).to_string();
    format!("{command} --change-batch {}", quote(&batch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testkit::Fixture;

    #[test]
    fn the_records_name_known_endpoints_or_a_file_a_comment_explains() {
        let spoke = Fixture::spoke();
        let sqs = "com.amazonaws.us-east-1.sqs";
        let target = alias_target(sqs, &spoke.dns.hub_endpoints).unwrap();
        let dns = &target.dns_entries[0].dns_name;
        let fix = alias_records("Z1", &[("sqs.us-east-1.amazonaws.com", Some(target))]);
        assert_eq!(fix.lines().count(), 1, "{fix}");
        assert!(
            fix.starts_with(
                "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"
            ) && fix.contains(&format!(r#""DNSName":"{dns}""#))
                && fix.contains(r#""Name":"sqs.us-east-1.amazonaws.com""#),
            "{fix}"
        );
        let kms = "com.amazonaws.us-east-1.kms";
        assert_eq!(alias_target(kms, &spoke.dns.hub_endpoints), None);
        let unknown = alias_records(
            "Z1",
            &[
                ("sqs.us-east-1.amazonaws.com", Some(target)),
                ("kms.us-east-1.amazonaws.com", None),
            ],
        );
        let lines: Vec<&str> = unknown.lines().collect();
        assert!(
            lines[0].starts_with("# records.json: ")
                && lines[0].contains("sqs.us-east-1.amazonaws.com, kms.us-east-1.amazonaws.com"),
            "{unknown}"
        );
        assert!(lines[1].ends_with(" --change-batch file://records.json"));
    }
}
