//! Per-source fetch status: a snapshot can be partial, and says which part is missing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One kind of data the collector fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The VPC itself (`DescribeVpcs`).
    Vpc,
    /// `enableDnsSupport` and `enableDnsHostnames` (`DescribeVpcAttribute`).
    VpcAttributes,
    /// Subnets (`DescribeSubnets`).
    Subnets,
    /// Route tables (`DescribeRouteTables`).
    RouteTables,
    /// AWS-managed prefix lists (`DescribePrefixLists`).
    PrefixLists,
    /// Security groups (`DescribeSecurityGroups`).
    SecurityGroups,
    /// Network ACLs (`DescribeNetworkAcls`).
    NetworkAcls,
    /// The VPC's endpoints (`DescribeVpcEndpoints`).
    VpcEndpoints,
    /// The count of gateway endpoints in the Region, for the quota.
    RegionGatewayEndpoints,
    /// The endpoints' network interfaces (`DescribeNetworkInterfaces`).
    NetworkInterfaces,
    /// Endpoint metrics (`GetMetricData`).
    Metrics,
    /// The MWAA environment (`GetEnvironment`).
    MwaaEnvironment,
    /// The VPC's DHCP option set (`DescribeDhcpOptions`).
    DhcpOptions,
    /// The service catalogue (`DescribeVpcEndpointServices`).
    EndpointServices,
    /// Private hosted zones associated with the VPC (`ListHostedZonesByVPC`).
    HostedZones,
    /// Records of those zones for the names in scope (`ListResourceRecordSets`).
    RecordSets,
    /// Resolver rules associated with the VPC.
    ResolverRules,
    /// Endpoints in other VPCs that zone records point at.
    HubEndpoints,
    /// The caller's account (`GetCallerIdentity`), to tell a shared VPC.
    CallerIdentity,
    /// Endpoints of the services missing from the VPC, in any VPC of the account.
    EndpointsElsewhere,
    /// Peering connections named by the VPC's routes or joining it to a hub VPC.
    Peerings,
    /// Transit gateways named by the VPC's routes, and their attachments.
    TransitGateways,
    /// The routes of transit gateway route tables (`SearchTransitGatewayRoutes`).
    TransitGatewayRoutes,
    /// The hub VPCs themselves (`DescribeVpcs`).
    HubVpcs,
    /// The hub VPCs' subnets.
    HubSubnets,
    /// The hub VPCs' route tables.
    HubRouteTables,
    /// The hub endpoints' security groups.
    HubSecurityGroups,
    /// The hub VPCs' network ACLs.
    HubNetworkAcls,
    /// The hub endpoints' network interfaces.
    HubNetworkInterfaces,
    /// The environment's execution role (`GetRole`).
    ExecutionRole,
    /// The role's inline policies (`ListRolePolicies`, `GetRolePolicy`).
    InlinePolicies,
    /// The managed policies attached to the role (`ListAttachedRolePolicies`, `GetPolicy`,
    /// `GetPolicyVersion`).
    AttachedPolicies,
    /// The role's permissions boundary (`GetPolicy`, `GetPolicyVersion`).
    PermissionsBoundary,
    /// The source bucket's Region (`GetBucketLocation`).
    BucketLocation,
    /// The source bucket's versioning (`GetBucketVersioning`).
    BucketVersioning,
    /// The source bucket's Block Public Access settings (`GetPublicAccessBlock`).
    BucketPublicAccessBlock,
    /// The environment's KMS key (`DescribeKey`).
    KmsKey,
    /// The KMS key's policy (`GetKeyPolicy`).
    KeyPolicy,
}

impl Source {
    /// The API call behind the source, for messages.
    pub fn api(self) -> &'static str {
        match self {
            Self::Vpc => "ec2:DescribeVpcs",
            Self::VpcAttributes => "ec2:DescribeVpcAttribute",
            Self::Subnets => "ec2:DescribeSubnets",
            Self::RouteTables => "ec2:DescribeRouteTables",
            Self::PrefixLists => "ec2:DescribePrefixLists",
            Self::SecurityGroups => "ec2:DescribeSecurityGroups",
            Self::NetworkAcls => "ec2:DescribeNetworkAcls",
            Self::VpcEndpoints => "ec2:DescribeVpcEndpoints",
            Self::RegionGatewayEndpoints => "ec2:DescribeVpcEndpoints (Region gateway endpoints)",
            Self::NetworkInterfaces => "ec2:DescribeNetworkInterfaces",
            Self::Metrics => "cloudwatch:GetMetricData",
            Self::MwaaEnvironment => "airflow:GetEnvironment",
            Self::DhcpOptions => "ec2:DescribeDhcpOptions",
            Self::EndpointServices => "ec2:DescribeVpcEndpointServices",
            Self::HostedZones => "route53:ListHostedZonesByVPC",
            Self::RecordSets => "route53:ListResourceRecordSets",
            Self::ResolverRules => {
                "route53resolver:ListResolverRuleAssociations, route53resolver:ListResolverRules"
            }
            Self::HubEndpoints => {
                "ec2:DescribeVpcEndpoints (endpoints behind private zone records)"
            }
            Self::CallerIdentity => "sts:GetCallerIdentity",
            Self::EndpointsElsewhere => "ec2:DescribeVpcEndpoints (missing services, in any VPC)",
            Self::Peerings => "ec2:DescribeVpcPeeringConnections",
            Self::TransitGateways => {
                "ec2:DescribeTransitGateways, ec2:DescribeTransitGatewayAttachments, ec2:DescribeTransitGatewayVpcAttachments"
            }
            Self::TransitGatewayRoutes => "ec2:SearchTransitGatewayRoutes",
            Self::HubVpcs => "ec2:DescribeVpcs (hub VPCs)",
            Self::HubSubnets => "ec2:DescribeSubnets (hub VPCs)",
            Self::HubRouteTables => "ec2:DescribeRouteTables (hub VPCs)",
            Self::HubSecurityGroups => "ec2:DescribeSecurityGroups (hub endpoints)",
            Self::HubNetworkAcls => "ec2:DescribeNetworkAcls (hub VPCs)",
            Self::HubNetworkInterfaces => "ec2:DescribeNetworkInterfaces (hub endpoints)",
            Self::ExecutionRole => "iam:GetRole",
            Self::InlinePolicies => "iam:ListRolePolicies, iam:GetRolePolicy",
            Self::AttachedPolicies => {
                "iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion"
            }
            Self::PermissionsBoundary => {
                "iam:GetPolicy, iam:GetPolicyVersion (permissions boundary)"
            }
            Self::BucketLocation => "s3:GetBucketLocation",
            Self::BucketVersioning => "s3:GetBucketVersioning",
            Self::BucketPublicAccessBlock => "s3:GetBucketPublicAccessBlock",
            Self::KmsKey => "kms:DescribeKey",
            Self::KeyPolicy => "kms:GetKeyPolicy",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = serde_json::to_value(self).ok();
        f.write_str(name.as_ref().and_then(|v| v.as_str()).unwrap_or("?"))
    }
}

/// Whether a source was fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum FetchStatus {
    /// The source was fetched.
    Ok,
    /// The source could not be fetched.
    Error(FetchError),
}

/// Why a source could not be fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchError {
    /// The AWS error code when there is one (`UnauthorizedOperation`, `Throttling`, …).
    pub code: Option<String>,
    /// The error message.
    pub message: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}
