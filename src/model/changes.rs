//! Changes over a time window: the CloudTrail management events that altered something
//! linkscope checks (a route, a rule, an endpoint, a DNS setting, the environment), on the
//! resources of one snapshot.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{FetchError, Snapshot};

/// The CloudTrail event names that alter what linkscope checks, each with the event source
/// that emits it (other services reuse some names, `UpdateEnvironment` for one).
pub const CHANGE_EVENTS: &[(&str, &str)] = &[
    ("CreateVpcEndpoint", EC2),
    ("ModifyVpcEndpoint", EC2),
    ("DeleteVpcEndpoints", EC2),
    ("AcceptVpcEndpointConnections", EC2),
    ("RejectVpcEndpointConnections", EC2),
    ("CreateRoute", EC2),
    ("ReplaceRoute", EC2),
    ("DeleteRoute", EC2),
    ("AssociateRouteTable", EC2),
    ("DisassociateRouteTable", EC2),
    ("ReplaceRouteTableAssociation", EC2),
    ("AuthorizeSecurityGroupIngress", EC2),
    ("AuthorizeSecurityGroupEgress", EC2),
    ("RevokeSecurityGroupIngress", EC2),
    ("RevokeSecurityGroupEgress", EC2),
    ("CreateNetworkAclEntry", EC2),
    ("ReplaceNetworkAclEntry", EC2),
    ("DeleteNetworkAclEntry", EC2),
    ("ReplaceNetworkAclAssociation", EC2),
    ("ModifyVpcAttribute", EC2),
    ("AssociateDhcpOptions", EC2),
    ("AssociateResolverRule", "route53resolver.amazonaws.com"),
    ("DisassociateResolverRule", "route53resolver.amazonaws.com"),
    ("AssociateVPCWithHostedZone", "route53.amazonaws.com"),
    ("ChangeResourceRecordSets", "route53.amazonaws.com"),
    ("UpdateEnvironment", "airflow.amazonaws.com"),
];

const EC2: &str = "ec2.amazonaws.com";

/// Whether an event (its name and source, `ec2.amazonaws.com`) is one of [`CHANGE_EVENTS`]
/// from the service that owns the name: `UpdateEnvironment` counts from Amazon MWAA only.
pub fn is_change_event(event_name: &str, event_source: &str) -> bool {
    CHANGE_EVENTS
        .iter()
        .any(|(name, source)| *name == event_name && *source == event_source)
}

/// One CloudTrail event that changed something in scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// CloudTrail's event id.
    pub event_id: String,
    /// When it happened, RFC 3339 UTC (`2026-11-25T03:12:00Z`).
    pub time: String,
    /// The API call, `RevokeSecurityGroupIngress`.
    pub event_name: String,
    /// The service, `ec2.amazonaws.com`.
    pub event_source: String,
    /// Who made it, short: `role/deployer` (an assumed role), `user/alice`, `root`.
    pub actor: Option<String>,
    /// The ids in scope the event touched (`sg-…`, `rtb-…`, a hosted zone id, the
    /// environment name), sorted.
    pub resources: Vec<String>,
    /// What the request did in a few words (`revoked tcp/443 from sg-0d6…`), the words of its
    /// [`super::ChangeRequest`]; empty when the request parameters do not say.
    pub summary: String,
}

/// The changes CloudTrail holds for a window, on the resources of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// The window's start, RFC 3339 UTC.
    pub since: String,
    /// The window's end, RFC 3339 UTC.
    pub until: String,
    /// The relevant events on resources in scope, newest first.
    pub events: Vec<ChangeEvent>,
    /// `LookupEvents` pages read.
    pub pages: u32,
    /// The window holds more events than were read: the page bound stopped the read.
    pub more: bool,
    /// The error that stopped the read (the events read before it are kept); `None` when
    /// the read completed.
    pub error: Option<FetchError>,
}

/// Every id whose change can alter the audit of `snapshot`: the VPC, its subnets, route
/// tables and their associations, security groups, network ACLs and their associations,
/// endpoints (the hub endpoints that zone records point at too), the DHCP option set,
/// Resolver rules, private hosted zones, and the MWAA environment's name, subnets and
/// security groups.
pub fn ids_in_scope(snapshot: &Snapshot) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    ids.insert(snapshot.vpc.id.clone());
    ids.extend(snapshot.vpc.dhcp_options_id.iter().cloned());
    ids.extend(snapshot.subnets.iter().map(|s| s.id.clone()));
    for table in &snapshot.route_tables {
        ids.insert(table.id.clone());
        ids.extend(table.associations.iter().filter_map(|a| a.id.clone()));
    }
    ids.extend(snapshot.security_groups.iter().map(|g| g.id.clone()));
    for acl in &snapshot.network_acls {
        ids.insert(acl.id.clone());
        ids.extend(acl.associations.iter().filter_map(|a| a.id.clone()));
    }
    ids.extend(snapshot.endpoints.iter().map(|e| e.id.clone()));
    ids.extend(snapshot.dns.hub_endpoints.iter().map(|e| e.id.clone()));
    ids.extend(snapshot.dns.dhcp_options.iter().map(|o| o.id.clone()));
    ids.extend(snapshot.dns.resolver_rules.iter().map(|r| r.id.clone()));
    ids.extend(snapshot.dns.hosted_zones.iter().map(|z| z.id.clone()));
    if let Some(environment) = &snapshot.environment {
        ids.insert(environment.name.clone());
        ids.extend(environment.subnet_ids.iter().cloned());
        ids.extend(environment.security_group_ids.iter().cloned());
    }
    ids.extend(snapshot.workload.subnet_ids.iter().cloned());
    ids.extend(snapshot.workload.security_group_ids.iter().cloned());
    ids.retain(|id| !id.is_empty());
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_event_has_its_source_and_only_it() {
        let mut names: Vec<&str> = CHANGE_EVENTS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CHANGE_EVENTS.len(), "each name once");
        assert!(is_change_event("RevokeSecurityGroupIngress", EC2));
        assert!(is_change_event(
            "UpdateEnvironment",
            "airflow.amazonaws.com"
        ));
        assert!(!is_change_event(
            "UpdateEnvironment",
            "elasticbeanstalk.amazonaws.com"
        ));
        assert!(!is_change_event("DescribeVpcs", EC2));
        assert!(!is_change_event("CreateRoute", "route53.amazonaws.com"));
    }
}
