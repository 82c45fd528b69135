//! CloudTrail events as changes in scope: their `CloudTrailEvent` JSON record parsed once,
//! in [`change_event`].

use std::collections::BTreeSet;
use std::time::SystemTime;

use aws_sdk_ec2::primitives::DateTimeFormat;
use serde_json::Value;

use super::change_request::change_request;
use super::owned;
use super::record::free_text;
use crate::model::{ChangeEvent, is_change_event};

/// A CloudTrail event as a change in scope. `None` when it is not one of
/// [`crate::model::CHANGE_EVENTS`] from the service that owns the name, when the call failed
/// (its record has an `errorCode`: a failed call changed nothing), or when it touched no id
/// in `scope` (looked for in `Resources[].ResourceName` and in every string of the record's
/// `requestParameters` and `responseElements`, tags left out). The record (the
/// `CloudTrailEvent` JSON) is parsed here once; when it is missing or unreadable the event
/// is kept on its resources alone, with an empty summary.
pub(in crate::aws) fn change_event(
    event: &aws_sdk_cloudtrail::types::Event,
    scope: &BTreeSet<String>,
) -> Option<ChangeEvent> {
    let record: Value = event
        .cloud_trail_event()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let name = event
        .event_name()
        .or_else(|| record["eventName"].as_str())?;
    let source = event
        .event_source()
        .or_else(|| record["eventSource"].as_str())?;
    if !is_change_event(name, source) || !record["errorCode"].is_null() {
        return None;
    }
    let request = &record["requestParameters"];
    let mut touched = BTreeSet::new();
    for resource in event.resources() {
        if let Some(id) = resource.resource_name().and_then(|n| in_scope(n, scope)) {
            touched.insert(id.clone());
        }
    }
    ids_in(request, scope, &mut touched);
    ids_in(&record["responseElements"], scope, &mut touched);
    if touched.is_empty() {
        return None;
    }
    Some(ChangeEvent {
        event_id: event
            .event_id()
            .or_else(|| record["eventID"].as_str())
            .unwrap_or_default()
            .to_string(),
        time: event
            .event_time()
            .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
            .or_else(|| record["eventTime"].as_str().map(str::to_string))
            .unwrap_or_default(),
        event_name: name.to_string(),
        event_source: source.to_string(),
        actor: actor(&record["userIdentity"]).or_else(|| owned(event.username())),
        resources: touched.into_iter().collect(),
        summary: change_request(name, unwrap_request(request)).to_string(),
    })
}

/// RFC 3339 UTC to the second (`2026-11-25T03:12:00Z`).
pub(in crate::aws) fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    aws_sdk_ec2::primitives::DateTime::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX))
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

/// The id in scope a string names: itself, a hosted zone path (`/hostedzone/Z…`), or the
/// last part of an ARN (`arn:…:security-group/sg-…`).
fn in_scope<'s>(text: &str, scope: &'s BTreeSet<String>) -> Option<&'s String> {
    let text = text.trim();
    let zone = text.trim_start_matches("/hostedzone/");
    let arn_tail = text
        .strip_prefix("arn:")
        .and_then(|rest| rest.rsplit(['/', ':']).next());
    [Some(text), Some(zone), arn_tail]
        .into_iter()
        .flatten()
        .find_map(|candidate| scope.get(candidate))
}

/// Every id in scope that a string of `value` names. Tags and descriptions are free text,
/// not references, and are skipped.
fn ids_in(value: &Value, scope: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    match value {
        Value::String(text) => out.extend(in_scope(text, scope).cloned()),
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, scope, out)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| !free_text(key))
            .for_each(|(_, v)| ids_in(v, scope, out)),
        _ => {}
    }
}

/// `userIdentity` in short: `role/deployer` for `assumed-role/deployer/session`,
/// `user/alice`, `root`, `service/airflow.amazonaws.com`.
fn actor(identity: &Value) -> Option<String> {
    match identity["type"].as_str() {
        Some("Root") => return Some("root".into()),
        Some("AWSService") => {
            return identity["invokedBy"]
                .as_str()
                .map(|service| format!("service/{service}"));
        }
        _ => {}
    }
    if let Some(short) = identity["arn"].as_str().and_then(short_principal) {
        return Some(short);
    }
    if let Some(role) = identity["sessionContext"]["sessionIssuer"]["userName"].as_str() {
        return Some(format!("role/{role}"));
    }
    identity["userName"]
        .as_str()
        .map(|user| match identity["type"].as_str() {
            Some("IAMUser") => format!("user/{user}"),
            _ => user.to_string(),
        })
}

/// The principal part of an IAM or STS ARN in short (paths dropped, sessions dropped).
fn short_principal(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5).filter(|r| !r.is_empty())?;
    let mut parts = resource.split('/');
    let kind = parts.next()?;
    Some(match kind {
        "root" => "root".into(),
        "assumed-role" => format!("role/{}", parts.next().filter(|r| !r.is_empty())?),
        "user" | "role" | "federated-user" => {
            format!("{kind}/{}", parts.next_back().filter(|n| !n.is_empty())?)
        }
        _ => resource.to_string(),
    })
}

/// The request inside the `XxxRequest` wrapper newer EC2 calls log, else the request itself.
fn unwrap_request(request: &Value) -> &Value {
    match request.as_object() {
        Some(fields) if fields.len() == 1 => fields
            .iter()
            .next()
            .filter(|(key, inner)| key.ends_with("Request") && inner.is_object())
            .map_or(request, |(_, inner)| inner),
        _ => request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::primitives::DateTime;
    use aws_sdk_cloudtrail::types::{Event, Resource};
    use serde_json::json;

    const VPC: &str = "vpc-0a1b2c3d4e5f60718";
    const SG: &str = "sg-0d6e5f4a3b2c1d0e9";
    const RTB: &str = "rtb-0123456789abcdef0";
    const ACL: &str = "acl-0123456789abcdef0";
    const VPCE: &str = "vpce-0123456789abcdef0";
    const ZONE: &str = "Z0123456789ABCDEFGHIJ";
    const RULE: &str = "rslvr-rr-0123456789abcdef0";
    const ENV: &str = "airflow-prod";
    /// 2026-11-25T03:12:00Z.
    const AT: i64 = 1_795_576_320;

    fn scope() -> BTreeSet<String> {
        [VPC, SG, RTB, ACL, VPCE, ZONE, RULE, ENV]
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn ec2_source(name: &str) -> &'static str {
        match name {
            "UpdateEnvironment" => "airflow.amazonaws.com",
            "AssociateResolverRule" | "DisassociateResolverRule" => "route53resolver.amazonaws.com",
            "ChangeResourceRecordSets" | "AssociateVPCWithHostedZone" => "route53.amazonaws.com",
            _ => "ec2.amazonaws.com",
        }
    }

    /// An event as LookupEvents returns it, its record holding `request`.
    fn event_with(name: &str, record: &str, resources: &[&str]) -> Event {
        resources
            .iter()
            .fold(
                Event::builder()
                    .event_id(format!("id-{name}"))
                    .event_name(name)
                    .event_source(ec2_source(name))
                    .event_time(DateTime::from_secs(AT))
                    .username("deployer-session")
                    .cloud_trail_event(record),
                |builder, id| {
                    builder.resources(
                        Resource::builder()
                            .resource_type("AWS::EC2::Thing")
                            .resource_name(*id)
                            .build(),
                    )
                },
            )
            .build()
    }

    fn record(name: &str, request: Value) -> String {
        json!({
            "eventVersion": "1.09",
            "eventID": format!("id-{name}"),
            "eventTime": "2026-11-25T03:12:00Z",
            "eventName": name,
            "eventSource": ec2_source(name),
            "userIdentity": {
                "type": "AssumedRole",
                "arn": "arn:aws:sts::111122223333:assumed-role/deployer/ci-1234",
                "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "deployer"}}
            },
            "requestParameters": request,
            "responseElements": {"_return": true}
        })
        .to_string()
    }

    fn change(name: &str, request: Value) -> Option<ChangeEvent> {
        change_event(&event_with(name, &record(name, request), &[]), &scope())
    }

    fn summary(name: &str, request: Value) -> String {
        change(name, request).expect("in scope").summary
    }

    #[test]
    fn only_change_events_from_their_service_are_kept() {
        let request = json!({"groupId": SG});
        let kept = change("RevokeSecurityGroupIngress", request.clone()).unwrap();
        assert_eq!(kept.event_id, "id-RevokeSecurityGroupIngress");
        assert_eq!(kept.event_name, "RevokeSecurityGroupIngress");
        assert_eq!(kept.event_source, "ec2.amazonaws.com");
        assert_eq!(kept.time, "2026-11-25T03:12:00Z");
        assert_eq!(kept.resources, [SG]);
        for irrelevant in ["CreateTags", "DescribeVpcs", "RunInstances"] {
            assert_eq!(change(irrelevant, request.clone()), None, "{irrelevant}");
        }
        // Elastic Beanstalk has an UpdateEnvironment too.
        let beanstalk = Event::builder()
            .event_name("UpdateEnvironment")
            .event_source("elasticbeanstalk.amazonaws.com")
            .cloud_trail_event(json!({"requestParameters": {"name": ENV}}).to_string())
            .build();
        assert_eq!(change_event(&beanstalk, &scope()), None);
    }

    #[test]
    fn a_failed_call_changed_nothing() {
        let mut failed: Value = serde_json::from_str(&record(
            "AuthorizeSecurityGroupIngress",
            json!({"groupId": SG}),
        ))
        .unwrap();
        failed["errorCode"] = json!("Client.UnauthorizedOperation");
        failed["errorMessage"] = json!("You are not authorized to perform this operation.");
        let event = event_with("AuthorizeSecurityGroupIngress", &failed.to_string(), &[SG]);
        assert_eq!(change_event(&event, &scope()), None);
        failed["errorCode"] = Value::Null;
        let event = event_with("AuthorizeSecurityGroupIngress", &failed.to_string(), &[SG]);
        assert!(
            change_event(&event, &scope()).is_some(),
            "a null code is no error"
        );
    }

    #[test]
    fn resources_match_through_the_resource_list_and_the_request() {
        let bare = record("CreateRoute", json!({}));
        // Through Resources[].ResourceName, ids and ARNs alike.
        let listed = event_with("CreateRoute", &bare, &[RTB, "rtb-elsewhere"]);
        assert_eq!(change_event(&listed, &scope()).unwrap().resources, [RTB]);
        let env = event_with(
            "UpdateEnvironment",
            &record("UpdateEnvironment", json!({})),
            &["arn:aws:airflow:us-east-1:111122223333:environment/airflow-prod"],
        );
        assert_eq!(change_event(&env, &scope()).unwrap().resources, [ENV]);
        // Through the request and the response, nested and wrapped.
        let nested = change(
            "ModifyVpcEndpoint",
            json!({"ModifyVpcEndpointRequest": {
                "VpcEndpointId": VPCE,
                "AddSecurityGroupId": {"tag": 1, "content": SG}
            }}),
        )
        .unwrap();
        assert_eq!(nested.resources, [SG, VPCE]);
        let zone = change(
            "ChangeResourceRecordSets",
            json!({"hostedZoneId": format!("/hostedzone/{ZONE}")}),
        )
        .unwrap();
        assert_eq!(zone.resources, [ZONE]);
        let mut created: Value = serde_json::from_str(&record(
            "CreateVpcEndpoint",
            json!({"CreateVpcEndpointRequest": {"VpcId": "vpc-other"}}),
        ))
        .unwrap();
        created["responseElements"] =
            json!({"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": VPCE}}});
        let event = event_with("CreateVpcEndpoint", &created.to_string(), &[]);
        assert_eq!(change_event(&event, &scope()).unwrap().resources, [VPCE]);
        // Out of scope: other ids, or ours only in a tag.
        assert_eq!(
            change_event(&event_with("CreateRoute", &bare, &[]), &scope()),
            None
        );
        assert_eq!(
            change("CreateRoute", json!({"routeTableId": "rtb-elsewhere"})),
            None
        );
        assert_eq!(
            change(
                "CreateVpcEndpoint",
                json!({"CreateVpcEndpointRequest": {
                    "VpcId": "vpc-other",
                    "TagSpecification": {"Tag": {"Key": "Name", "Value": ENV}}
                }})
            ),
            None
        );
        assert_eq!(
            change(
                "AuthorizeSecurityGroupIngress",
                json!({"groupId": "sg-elsewhere", "ipPermissions": {"items": [{
                    "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16", "description": ENV}]}
                }]}})
            ),
            None
        );
    }

    #[test]
    fn actors_are_short() {
        let actor_of = |identity: Value| {
            let mut text: Value =
                serde_json::from_str(&record("CreateRoute", json!({"routeTableId": RTB}))).unwrap();
            text["userIdentity"] = identity;
            change_event(&event_with("CreateRoute", &text.to_string(), &[]), &scope())
                .unwrap()
                .actor
        };
        assert_eq!(
            actor_of(json!({"type": "AssumedRole",
                "arn": "arn:aws:sts::111122223333:assumed-role/deployer/ci-1234"})),
            Some("role/deployer".into())
        );
        assert_eq!(
            actor_of(json!({"type": "IAMUser", "userName": "alice",
                "arn": "arn:aws:iam::111122223333:user/ops/alice"})),
            Some("user/alice".into())
        );
        assert_eq!(
            actor_of(json!({"type": "Root", "arn": "arn:aws:iam::111122223333:root"})),
            Some("root".into())
        );
        assert_eq!(
            actor_of(json!({"type": "AWSService", "invokedBy": "airflow.amazonaws.com"})),
            Some("service/airflow.amazonaws.com".into())
        );
        assert_eq!(
            actor_of(json!({"type": "AssumedRole",
                "sessionContext": {"sessionIssuer": {"userName": "deployer"}}})),
            Some("role/deployer".into()),
            "no ARN: the session's issuer"
        );
        assert_eq!(
            actor_of(json!({"type": "IAMUser", "arn": "not-an-arn"})),
            Some("deployer-session".into()),
            "nothing usable: LookupEvents' own Username"
        );
        assert_eq!(short_principal("arn:aws:sts::1:assumed-role//s"), None);
    }

    #[test]
    fn security_group_summaries() {
        assert_eq!(
            summary(
                "RevokeSecurityGroupIngress",
                json!({"groupId": SG, "ipPermissions": {"items": [{
                    "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                    "groups": {"items": [{"groupId": "sg-0d6aaaaaaaaaaaaaa"}]},
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]},
                    "ipv6Ranges": {}, "prefixListIds": {}
                }]}})
            ),
            "revoked tcp/443 from sg-0d6aaaaaaaaaaaaaa, 10.0.0.0/16"
        );
        assert_eq!(
            summary(
                "AuthorizeSecurityGroupEgress",
                json!({"groupId": SG, "ipPermissions": {"items": [
                    {"ipProtocol": "-1", "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}},
                    {"ipProtocol": "6", "fromPort": 1024, "toPort": 65535,
                     "prefixListIds": {"items": [{"prefixListId": "pl-63a5400a"}]}}
                ]}})
            ),
            "authorized all to 0.0.0.0/0; authorized tcp/1024-65535 to pl-63a5400a"
        );
        assert_eq!(
            summary(
                "AuthorizeSecurityGroupIngress",
                json!({"groupId": SG, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                       "cidrIp": "10.0.0.0/8"})
            ),
            "authorized tcp/443 from 10.0.0.0/8",
            "the older flat form"
        );
        assert_eq!(
            summary(
                "RevokeSecurityGroupEgress",
                json!({"groupId": SG, "securityGroupRuleIds": {"items": [
                    {"securityGroupRuleId": "sgr-1"}, {"securityGroupRuleId": "sgr-2"}
                ]}})
            ),
            "revoked sgr-1, sgr-2"
        );
        assert_eq!(
            summary("RevokeSecurityGroupIngress", json!({"groupId": SG})),
            ""
        );
    }

    #[test]
    fn route_and_association_summaries() {
        assert_eq!(
            summary(
                "CreateRoute",
                json!({"routeTableId": RTB, "destinationCidrBlock": "0.0.0.0/0",
                       "natGatewayId": "nat-0123456789abcdef0"})
            ),
            "route 0.0.0.0/0 → nat-0123456789abcdef0"
        );
        assert_eq!(
            summary(
                "ReplaceRoute",
                json!({"routeTableId": RTB, "destinationPrefixListId": "pl-63a5400a",
                       "vpcEndpointId": VPCE})
            ),
            "route pl-63a5400a → vpce-0123456789abcdef0"
        );
        assert_eq!(
            summary(
                "DeleteRoute",
                json!({"routeTableId": RTB, "destinationCidrBlock": "0.0.0.0/0"})
            ),
            "route 0.0.0.0/0"
        );
        assert_eq!(
            summary(
                "AssociateRouteTable",
                json!({"routeTableId": RTB, "subnetId": "subnet-1"})
            ),
            format!("subnet-1 → {RTB}")
        );
        assert_eq!(
            summary(
                "ReplaceNetworkAclAssociation",
                json!({"associationId": "aclassoc-1", "networkAclId": ACL})
            ),
            format!("aclassoc-1 → {ACL}")
        );
        assert_eq!(
            summary(
                "AssociateDhcpOptions",
                json!({"dhcpOptionsId": "dopt-1", "vpcId": VPC})
            ),
            format!("dopt-1 → {VPC}")
        );
    }

    #[test]
    fn network_acl_summaries() {
        assert_eq!(
            summary(
                "CreateNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 50, "egress": true,
                       "ruleAction": "deny", "aclProtocol": "6",
                       "portRange": {"from": 443, "to": 443}, "cidrBlock": "0.0.0.0/0"})
            ),
            "egress rule 50 deny tcp/443 0.0.0.0/0"
        );
        assert_eq!(
            summary(
                "ReplaceNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 100, "egress": false,
                       "ruleAction": "allow", "aclProtocol": "-1",
                       "ipv6CidrBlock": "::/0"})
            ),
            "ingress rule 100 allow all ::/0"
        );
        assert_eq!(
            summary(
                "DeleteNetworkAclEntry",
                json!({"networkAclId": ACL, "ruleNumber": 50, "egress": true})
            ),
            "egress rule 50"
        );
    }

    #[test]
    fn endpoint_and_vpc_summaries() {
        assert_eq!(
            summary(
                "ModifyVpcEndpoint",
                json!({"ModifyVpcEndpointRequest": {
                    "VpcEndpointId": VPCE,
                    "AddSecurityGroupId": [{"tag": 1, "content": "sg-new"}],
                    "RemoveSecurityGroupId": {"tag": 1, "content": SG},
                    "RemoveSubnetId": {"tag": 1, "content": "subnet-2"},
                    "PrivateDnsEnabled": false,
                    "PolicyDocument": "{\"Statement\": []}"
                }})
            ),
            format!("added sg-new; removed {SG}, subnet-2; private DNS off; policy changed")
        );
        assert_eq!(
            summary(
                "ModifyVpcEndpoint",
                json!({"ModifyVpcEndpointRequest": {"VpcEndpointId": VPCE, "ResetPolicy": true}})
            ),
            "policy reset to full access"
        );
        assert_eq!(
            summary(
                "CreateVpcEndpoint",
                json!({"CreateVpcEndpointRequest": {"VpcId": VPC,
                    "ServiceName": "com.amazonaws.us-east-1.sqs", "VpcEndpointType": "Interface"}})
            ),
            "interface endpoint for com.amazonaws.us-east-1.sqs"
        );
        assert_eq!(
            summary(
                "DeleteVpcEndpoints",
                json!({"DeleteVpcEndpointsRequest": {"VpcEndpointId": {"tag": 1, "content": VPCE}}})
            ),
            format!("deleted {VPCE}")
        );
        assert_eq!(
            summary(
                "ModifyVpcAttribute",
                json!({"vpcId": VPC, "enableDnsHostnames": {"value": false}})
            ),
            "enableDnsHostnames false"
        );
    }

    #[test]
    fn dns_and_environment_summaries() {
        assert_eq!(
            summary(
                "AssociateResolverRule",
                json!({"resolverRuleId": RULE, "vPCId": VPC, "name": "onprem"})
            ),
            format!("rule {RULE}")
        );
        assert_eq!(
            summary(
                "AssociateVPCWithHostedZone",
                json!({"hostedZoneId": ZONE, "vPC": {"vPCRegion": "us-east-1", "vPCId": VPC}})
            ),
            format!("zone {ZONE} ↔ {VPC}")
        );
        let change = |action: &str, name: &str| json!({"action": action, "resourceRecordSet": {"name": name, "type": "CNAME"}});
        assert_eq!(
            summary(
                "ChangeResourceRecordSets",
                json!({"hostedZoneId": ZONE, "changeBatch": {"changes": [
                    change("UPSERT", "SQS.us-east-1.amazonaws.com."),
                    change("DELETE", "a.example.com."),
                    change("CREATE", "b.example.com."),
                    change("CREATE", "c.example.com."),
                    change("CREATE", "d.example.com."),
                ]}})
            ),
            "UPSERT CNAME sqs.us-east-1.amazonaws.com; DELETE CNAME a.example.com; \
             CREATE CNAME b.example.com; 2 more"
        );
        assert_eq!(
            summary(
                "UpdateEnvironment",
                json!({"name": ENV, "networkConfiguration": {"securityGroupIds": [SG, "sg-2"]},
                       "webserverAccessMode": "PRIVATE_ONLY"})
            ),
            format!("security groups {SG}, sg-2; webserver access PRIVATE_ONLY")
        );
        assert_eq!(
            summary("UpdateEnvironment", json!({"name": ENV, "maxWorkers": 10})),
            "no network settings"
        );
    }

    #[test]
    fn garbage_gives_no_event_or_an_empty_summary_never_a_panic() {
        // An unreadable record: the event stands on its resources alone.
        let event = event_with("RevokeSecurityGroupIngress", "{not json", &[SG]);
        let kept = change_event(&event, &scope()).unwrap();
        assert_eq!(kept.summary, "");
        assert_eq!(kept.actor.as_deref(), Some("deployer-session"));
        let event = event_with("RevokeSecurityGroupIngress", "{not json", &[]);
        assert_eq!(change_event(&event, &scope()), None);
        assert_eq!(change_event(&Event::builder().build(), &scope()), None);
        // Every summarised name with shapes nobody sends.
        for (name, _) in crate::model::CHANGE_EVENTS {
            for request in [
                json!({"groupId": SG, "ipPermissions": 7, "ruleNumber": {"x": []},
                       "portRange": "443", "changeBatch": {"changes": "all"},
                       "networkConfiguration": 5, "ModifyVpcEndpointRequest": null}),
                json!([SG, {"items": null}]),
                json!(SG),
            ] {
                let _ = change(name, request);
            }
        }
        // Only the LookupEvents fields, no record: kept on its resources.
        let sparse = Event::builder()
            .event_name("DeleteRoute")
            .event_source("ec2.amazonaws.com")
            .resources(Resource::builder().resource_name(RTB).build())
            .build();
        let kept = change_event(&sparse, &scope()).unwrap();
        assert_eq!((kept.time.as_str(), kept.summary.as_str()), ("", ""));
    }

    #[test]
    fn the_time_comes_from_the_record_when_lookup_events_has_none() {
        let text = record("DeleteRoute", json!({"routeTableId": RTB}));
        let event = Event::builder()
            .event_name("DeleteRoute")
            .event_source("ec2.amazonaws.com")
            .cloud_trail_event(text)
            .build();
        let kept = change_event(&event, &scope()).unwrap();
        assert_eq!(kept.time, "2026-11-25T03:12:00Z");
        assert_eq!(kept.event_id, "id-DeleteRoute");
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(AT as u64)),
            "2026-11-25T03:12:00Z"
        );
    }
}
