//! What a CloudTrail request did, read from its parameters into a typed [`ChangeRequest`]
//! (its words are the model's `Display`).

use serde_json::Value;

use super::dns::dns_name;
use super::record::{field, flag, items, list, scalar};
use crate::model::{
    AclRule, ChangePart, ChangeRequest, EnvironmentSetting, Listed, Ports, Protocol, RuleAction,
};

/// A protocol with its ports as a request logged them.
fn ports(protocol: Option<String>, from: Option<String>, to: Option<String>) -> Ports {
    Ports {
        protocol: Protocol::parse(protocol.as_deref().unwrap_or("-1")),
        from,
        to,
    }
}

/// What the request named `name` did; empty when its parameters do not say.
pub(super) fn change_request(name: &str, request: &Value) -> ChangeRequest {
    ChangeRequest(match name {
        "AuthorizeSecurityGroupIngress" => sg_permissions(false, false, request),
        "AuthorizeSecurityGroupEgress" => sg_permissions(false, true, request),
        "RevokeSecurityGroupIngress" => sg_permissions(true, false, request),
        "RevokeSecurityGroupEgress" => sg_permissions(true, true, request),
        "CreateRoute" | "ReplaceRoute" | "DeleteRoute" => route_change(name, request),
        "CreateNetworkAclEntry" | "ReplaceNetworkAclEntry" | "DeleteNetworkAclEntry" => {
            acl_entry(request)
        }
        "ModifyVpcEndpoint" => modified_endpoint(request),
        "CreateVpcEndpoint" => scalar(request, "ServiceName")
            .map(|service| ChangePart::EndpointCreated {
                kind: scalar(request, "VpcEndpointType").unwrap_or_else(|| "Gateway".into()),
                service,
            })
            .into_iter()
            .collect(),
        "DeleteVpcEndpoints" => ids(Listed::Deleted, list(request, "VpcEndpointId")),
        "AcceptVpcEndpointConnections" => ids(Listed::Accepted, list(request, "VpcEndpointId")),
        "RejectVpcEndpointConnections" => ids(Listed::Rejected, list(request, "VpcEndpointId")),
        "AssociateRouteTable" => moved(
            scalar(request, "subnetId").or_else(|| scalar(request, "gatewayId")),
            scalar(request, "routeTableId"),
        ),
        "DisassociateRouteTable" => ids(Listed::Association, list(request, "associationId")),
        "ReplaceRouteTableAssociation" => moved(
            scalar(request, "associationId"),
            scalar(request, "routeTableId"),
        ),
        "ReplaceNetworkAclAssociation" => moved(
            scalar(request, "associationId"),
            scalar(request, "networkAclId"),
        ),
        "ModifyVpcAttribute" => ["enableDnsSupport", "enableDnsHostnames"]
            .into_iter()
            .filter_map(|key| {
                scalar(request, key).map(|value| ChangePart::VpcAttribute {
                    name: key.to_string(),
                    value,
                })
            })
            .collect(),
        "AssociateDhcpOptions" => moved(scalar(request, "dhcpOptionsId"), scalar(request, "vpcId")),
        "AssociateResolverRule" | "DisassociateResolverRule" => {
            ids(Listed::ResolverRule, list(request, "resolverRuleId"))
        }
        "AssociateVPCWithHostedZone" => scalar(request, "hostedZoneId")
            .map(|zone| ChangePart::ZoneAssociation {
                zone,
                vpc: field(request, "vpc").and_then(|v| scalar(v, "vpcId")),
            })
            .into_iter()
            .collect(),
        "ChangeResourceRecordSets" => record_changes(request),
        "UpdateEnvironment" => environment_update(request),
        _ => Vec::new(),
    })
}

/// The ids under `listed`, nothing when there are none.
fn ids(listed: Listed, ids: Vec<String>) -> Vec<ChangePart> {
    match ids.is_empty() {
        true => Vec::new(),
        false => vec![ChangePart::Ids(listed, ids)],
    }
}

/// `from` now tied to `to`, when the request names both.
fn moved(from: Option<String>, to: Option<String>) -> Vec<ChangePart> {
    match (from, to) {
        (Some(from), Some(to)) => vec![ChangePart::Moved { from, to }],
        _ => Vec::new(),
    }
}

/// Each permission authorized or revoked, with its peers; the rules named by id.
fn sg_permissions(revoked: bool, egress: bool, request: &Value) -> Vec<ChangePart> {
    let mut parts: Vec<ChangePart> = items(request, "ipPermissions")
        .into_iter()
        .map(|permission| ChangePart::Permission {
            revoked,
            egress,
            ports: ports(
                scalar(permission, "ipProtocol"),
                scalar(permission, "fromPort"),
                scalar(permission, "toPort"),
            ),
            peers: [
                ("groups", "groupId"),
                ("ipRanges", "cidrIp"),
                ("ipv6Ranges", "cidrIpv6"),
                ("prefixListIds", "prefixListId"),
            ]
            .into_iter()
            .flat_map(|(key, id)| {
                items(permission, key)
                    .into_iter()
                    .filter_map(move |peer| scalar(peer, id))
            })
            .collect(),
        })
        .collect();
    // The older flat form: one permission in the request itself.
    if parts.is_empty() && field(request, "ipProtocol").is_some() {
        parts.push(ChangePart::Permission {
            revoked,
            egress,
            ports: ports(
                scalar(request, "ipProtocol"),
                scalar(request, "fromPort"),
                scalar(request, "toPort"),
            ),
            peers: scalar(request, "cidrIp").into_iter().collect(),
        });
    }
    let rules: Vec<String> = items(request, "securityGroupRuleIds")
        .into_iter()
        .flat_map(|rule| match rule {
            Value::String(id) => Some(id.clone()),
            other => scalar(other, "securityGroupRuleId"),
        })
        .collect();
    let listed = match revoked {
        true => Listed::Revoked,
        false => Listed::Authorized,
    };
    parts.extend(ids(listed, rules));
    parts
}

/// The route targets a request may name, in the order AWS documents them.
const ROUTE_TARGETS: [&str; 11] = [
    "gatewayId",
    "natGatewayId",
    "transitGatewayId",
    "vpcPeeringConnectionId",
    "networkInterfaceId",
    "instanceId",
    "egressOnlyInternetGatewayId",
    "localGatewayId",
    "carrierGatewayId",
    "vpcEndpointId",
    "coreNetworkArn",
];

/// The route's destination, with its target unless it was deleted.
fn route_change(name: &str, request: &Value) -> Vec<ChangePart> {
    let Some(destination) = [
        "destinationCidrBlock",
        "destinationIpv6CidrBlock",
        "destinationPrefixListId",
    ]
    .into_iter()
    .find_map(|key| scalar(request, key)) else {
        return Vec::new();
    };
    let target = match name {
        "DeleteRoute" => None,
        _ => ROUTE_TARGETS.iter().find_map(|key| scalar(request, key)),
    };
    vec![ChangePart::Route {
        destination,
        target,
    }]
}

/// The entry's number and direction, with its rule unless it was deleted.
fn acl_entry(request: &Value) -> Vec<ChangePart> {
    let Some(number) = scalar(request, "ruleNumber") else {
        return Vec::new();
    };
    let rule = scalar(request, "ruleAction").map(|action| {
        let range = field(request, "portRange");
        AclRule {
            action: RuleAction::parse(&action),
            ports: ports(
                scalar(request, "aclProtocol").or_else(|| scalar(request, "protocol")),
                range.and_then(|r| scalar(r, "from")),
                range.and_then(|r| scalar(r, "to")),
            ),
            cidr: scalar(request, "cidrBlock").or_else(|| scalar(request, "ipv6CidrBlock")),
        }
    });
    vec![ChangePart::AclEntry {
        egress: flag(request, "egress"),
        number,
        rule,
    }]
}

/// Groups, subnets and route tables added and removed; private DNS; the policy.
fn modified_endpoint(request: &Value) -> Vec<ChangePart> {
    let named = |prefix: &str| -> Vec<String> {
        ["SecurityGroupId", "SubnetId", "RouteTableId"]
            .into_iter()
            .flat_map(|kind| list(request, &format!("{prefix}{kind}")))
            .collect()
    };
    let mut parts = ids(Listed::Added, named("Add"));
    parts.extend(ids(Listed::Removed, named("Remove")));
    if let Some(on) = flag(request, "PrivateDnsEnabled") {
        parts.push(ChangePart::PrivateDns(on));
    }
    if field(request, "PolicyDocument").is_some() {
        parts.push(ChangePart::PolicyChanged);
    }
    if flag(request, "ResetPolicy") == Some(true) {
        parts.push(ChangePart::PolicyReset);
    }
    parts
}

/// Each record change, at most three and a count.
fn record_changes(request: &Value) -> Vec<ChangePart> {
    let batch = field(request, "changeBatch").unwrap_or(&Value::Null);
    let mut changes: Vec<ChangePart> = items(batch, "changes")
        .into_iter()
        .filter_map(|change| {
            let set = field(change, "resourceRecordSet")?;
            Some(ChangePart::Record {
                action: scalar(change, "action")?,
                kind: scalar(set, "type").unwrap_or_default(),
                name: scalar(set, "name")
                    .map(|n| dns_name(&n))
                    .unwrap_or_default(),
            })
        })
        .collect();
    if changes.len() > 3 {
        let more = changes.len() - 3;
        changes.truncate(3);
        changes.push(ChangePart::MoreRecords(more));
    }
    changes
}

/// The network settings an `UpdateEnvironment` set; that it set none, when none.
fn environment_update(request: &Value) -> Vec<ChangePart> {
    let mut parts = Vec::new();
    if let Some(network) = field(request, "networkConfiguration") {
        if field(network, "securityGroupIds").is_some() {
            parts.push(EnvironmentSetting::SecurityGroups(list(
                network,
                "securityGroupIds",
            )));
        }
        if field(network, "subnetIds").is_some() {
            parts.push(EnvironmentSetting::Subnets(list(network, "subnetIds")));
        }
    }
    parts.extend(scalar(request, "webserverAccessMode").map(EnvironmentSetting::WebserverAccess));
    parts.extend(scalar(request, "sourceBucketArn").map(EnvironmentSetting::SourceBucket));
    let mut parts: Vec<ChangePart> = parts.into_iter().map(ChangePart::Environment).collect();
    if parts.is_empty() && request.is_object() {
        parts.push(ChangePart::NoNetworkSettings);
    }
    parts
}
