//! What a CloudTrail request did, in a few words.

use serde_json::Value;

use super::cloudtrail::{field, flag, items, list, scalar};
use super::dns::dns_name;
use crate::model::{Protocol, RuleAction};

/// A protocol with its ports: `tcp/443`, `tcp/1024-65535`, `all`, `icmp`.
fn protocol_ports(protocol: Option<String>, from: Option<String>, to: Option<String>) -> String {
    let protocol = Protocol::parse(protocol.as_deref().unwrap_or("-1"));
    let ports = match (from, to) {
        _ if !matches!(protocol, Protocol::Tcp | Protocol::Udp) => None,
        (Some(from), Some(to)) if from == to => Some(from),
        (Some(from), Some(to)) if from == "0" && to == "65535" => None,
        (Some(from), Some(to)) if from != "-1" => Some(format!("{from}-{to}")),
        (Some(from), None) if from != "-1" => Some(from),
        _ => None,
    };
    match ports {
        Some(ports) => format!("{}/{ports}", protocol.name()),
        None => protocol.name(),
    }
}

/// What the request did in a few words; empty when its parameters do not say.
pub(super) fn change_summary(name: &str, request: &Value) -> String {
    let parts: Vec<String> = match name {
        "AuthorizeSecurityGroupIngress" => sg_permissions("authorized", "from", request),
        "AuthorizeSecurityGroupEgress" => sg_permissions("authorized", "to", request),
        "RevokeSecurityGroupIngress" => sg_permissions("revoked", "from", request),
        "RevokeSecurityGroupEgress" => sg_permissions("revoked", "to", request),
        "CreateRoute" | "ReplaceRoute" | "DeleteRoute" => route_change(name, request),
        "CreateNetworkAclEntry" | "ReplaceNetworkAclEntry" | "DeleteNetworkAclEntry" => {
            acl_entry(request)
        }
        "ModifyVpcEndpoint" => modified_endpoint(request),
        "CreateVpcEndpoint" => {
            let service = scalar(request, "ServiceName");
            let kind = scalar(request, "VpcEndpointType").unwrap_or_else(|| "Gateway".into());
            service
                .map(|s| format!("{} endpoint for {s}", kind.to_ascii_lowercase()))
                .into_iter()
                .collect()
        }
        "DeleteVpcEndpoints" => labelled("deleted", list(request, "VpcEndpointId")),
        "AcceptVpcEndpointConnections" => labelled("accepted", list(request, "VpcEndpointId")),
        "RejectVpcEndpointConnections" => labelled("rejected", list(request, "VpcEndpointId")),
        "AssociateRouteTable" => arrow(
            scalar(request, "subnetId").or_else(|| scalar(request, "gatewayId")),
            scalar(request, "routeTableId"),
        ),
        "DisassociateRouteTable" => labelled("association", list(request, "associationId")),
        "ReplaceRouteTableAssociation" => arrow(
            scalar(request, "associationId"),
            scalar(request, "routeTableId"),
        ),
        "ReplaceNetworkAclAssociation" => arrow(
            scalar(request, "associationId"),
            scalar(request, "networkAclId"),
        ),
        "ModifyVpcAttribute" => ["enableDnsSupport", "enableDnsHostnames"]
            .into_iter()
            .filter_map(|key| scalar(request, key).map(|value| format!("{key} {value}")))
            .collect(),
        "AssociateDhcpOptions" => arrow(scalar(request, "dhcpOptionsId"), scalar(request, "vpcId")),
        "AssociateResolverRule" | "DisassociateResolverRule" => {
            labelled("rule", list(request, "resolverRuleId"))
        }
        "AssociateVPCWithHostedZone" => {
            let vpc = field(request, "vpc").and_then(|v| scalar(v, "vpcId"));
            match scalar(request, "hostedZoneId") {
                Some(zone) => vec![match vpc {
                    Some(vpc) => format!("zone {zone} ↔ {vpc}"),
                    None => format!("zone {zone}"),
                }],
                None => Vec::new(),
            }
        }
        "ChangeResourceRecordSets" => record_changes(request),
        "UpdateEnvironment" => environment_update(request),
        _ => Vec::new(),
    };
    parts.join("; ")
}

fn labelled(label: &str, ids: Vec<String>) -> Vec<String> {
    if ids.is_empty() {
        return Vec::new();
    }
    vec![format!("{label} {}", ids.join(", "))]
}

fn arrow(from: Option<String>, to: Option<String>) -> Vec<String> {
    match (from, to) {
        (Some(from), Some(to)) => vec![format!("{from} → {to}")],
        _ => Vec::new(),
    }
}

/// `revoked tcp/443 from sg-…, 10.0.0.0/16` per permission; `revoked sgr-…` by rule id.
fn sg_permissions(verb: &str, direction: &str, request: &Value) -> Vec<String> {
    let mut parts: Vec<String> = items(request, "ipPermissions")
        .into_iter()
        .map(|permission| {
            let what = protocol_ports(
                scalar(permission, "ipProtocol"),
                scalar(permission, "fromPort"),
                scalar(permission, "toPort"),
            );
            let peers: Vec<String> = [
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
            .collect();
            match peers.is_empty() {
                true => format!("{verb} {what}"),
                false => format!("{verb} {what} {direction} {}", peers.join(", ")),
            }
        })
        .collect();
    // The older flat form: one permission in the request itself.
    if parts.is_empty() && field(request, "ipProtocol").is_some() {
        let what = protocol_ports(
            scalar(request, "ipProtocol"),
            scalar(request, "fromPort"),
            scalar(request, "toPort"),
        );
        parts.push(match scalar(request, "cidrIp") {
            Some(cidr) => format!("{verb} {what} {direction} {cidr}"),
            None => format!("{verb} {what}"),
        });
    }
    let rules: Vec<String> = items(request, "securityGroupRuleIds")
        .into_iter()
        .flat_map(|rule| match rule {
            Value::String(id) => Some(id.clone()),
            other => scalar(other, "securityGroupRuleId"),
        })
        .collect();
    parts.extend(labelled(verb, rules));
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

/// `route 0.0.0.0/0 → nat-…`; `route 0.0.0.0/0` for a deletion.
fn route_change(name: &str, request: &Value) -> Vec<String> {
    let Some(destination) = [
        "destinationCidrBlock",
        "destinationIpv6CidrBlock",
        "destinationPrefixListId",
    ]
    .into_iter()
    .find_map(|key| scalar(request, key)) else {
        return Vec::new();
    };
    let target = ROUTE_TARGETS.iter().find_map(|key| scalar(request, key));
    vec![match target {
        Some(target) if name != "DeleteRoute" => format!("route {destination} → {target}"),
        _ => format!("route {destination}"),
    }]
}

/// `egress rule 50 deny tcp/443 0.0.0.0/0`; `egress rule 50` for a deletion.
fn acl_entry(request: &Value) -> Vec<String> {
    let Some(number) = scalar(request, "ruleNumber") else {
        return Vec::new();
    };
    let direction = match flag(request, "egress") {
        Some(true) => "egress",
        Some(false) => "ingress",
        None => "",
    };
    let mut text = format!("{direction} rule {number}")
        .trim_start()
        .to_string();
    if let Some(action) = scalar(request, "ruleAction") {
        let range = field(request, "portRange");
        let what = protocol_ports(
            scalar(request, "aclProtocol").or_else(|| scalar(request, "protocol")),
            range.and_then(|r| scalar(r, "from")),
            range.and_then(|r| scalar(r, "to")),
        );
        text.push_str(&format!(" {} {what}", RuleAction::parse(&action)));
        if let Some(cidr) =
            scalar(request, "cidrBlock").or_else(|| scalar(request, "ipv6CidrBlock"))
        {
            text.push_str(&format!(" {cidr}"));
        }
    }
    vec![text]
}

/// `added sg-…; removed sg-…; private DNS off; policy changed`.
fn modified_endpoint(request: &Value) -> Vec<String> {
    let ids = |prefix: &str| -> Vec<String> {
        ["SecurityGroupId", "SubnetId", "RouteTableId"]
            .into_iter()
            .flat_map(|kind| list(request, &format!("{prefix}{kind}")))
            .collect()
    };
    let mut parts = labelled("added", ids("Add"));
    parts.extend(labelled("removed", ids("Remove")));
    if let Some(on) = flag(request, "PrivateDnsEnabled") {
        parts.push(format!("private DNS {}", if on { "on" } else { "off" }));
    }
    if field(request, "PolicyDocument").is_some() {
        parts.push("policy changed".into());
    }
    if flag(request, "ResetPolicy") == Some(true) {
        parts.push("policy reset to full access".into());
    }
    parts
}

/// `UPSERT CNAME sqs.us-east-1.amazonaws.com` per change, at most three and a count.
fn record_changes(request: &Value) -> Vec<String> {
    let batch = field(request, "changeBatch").unwrap_or(&Value::Null);
    let changes: Vec<String> = items(batch, "changes")
        .into_iter()
        .filter_map(|change| {
            let set = field(change, "resourceRecordSet")?;
            let action = scalar(change, "action")?;
            let kind = scalar(set, "type").unwrap_or_default();
            let name = scalar(set, "name")
                .map(|n| dns_name(&n))
                .unwrap_or_default();
            Some(format!("{action} {kind} {name}").trim_end().to_string())
        })
        .collect();
    match changes.len() {
        0..=3 => changes,
        n => {
            let mut shown = changes[..3].to_vec();
            shown.push(format!("{} more", n - 3));
            shown
        }
    }
}

/// The network settings an `UpdateEnvironment` set; `no network settings` when none.
fn environment_update(request: &Value) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(network) = field(request, "networkConfiguration") {
        for (key, label) in [
            ("securityGroupIds", "security groups"),
            ("subnetIds", "subnets"),
        ] {
            if field(network, key).is_some() {
                parts.push(format!("{label} {}", list(network, key).join(", ")));
            }
        }
    }
    for (key, label) in [
        ("webserverAccessMode", "webserver access"),
        ("sourceBucketArn", "source bucket"),
    ] {
        if let Some(value) = scalar(request, key) {
            parts.push(format!("{label} {value}"));
        }
    }
    if parts.is_empty() && request.is_object() {
        parts.push("no network settings".into());
    }
    parts
}
