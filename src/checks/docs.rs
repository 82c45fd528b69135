//! The AWS documentation pages the rules cite, by title and address: what users see as a
//! rule's source in every report (the rule catalogue they were drawn from does not ship).

use std::fmt;

/// One page of the AWS documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page title, as AWS prints it.
    pub title: &'static str,
    /// The page's address.
    pub url: &'static str,
}

/// A section of a page that a rule rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cite {
    /// The page.
    pub page: Page,
    /// The section heading (or the step) within the page; empty for the whole page.
    pub section: &'static str,
}

impl Cite {
    /// `Page title › Section`, or the title alone when the whole page is cited.
    pub fn text(&self) -> String {
        if self.section.is_empty() {
            self.page.title.to_string()
        } else {
            format!("{} › {}", self.page.title, self.section)
        }
    }
}

impl fmt::Display for Cite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// A citation of `section` on `page`.
pub const fn cite(page: Page, section: &'static str) -> Cite {
    Cite { page, section }
}

/// Amazon MWAA User Guide.
pub const MWAA_ENDPOINTS: Page = Page {
    title: "Creating the required VPC service endpoints in an Amazon VPC with private routing",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-vpe-create-access.html",
};
/// Amazon MWAA User Guide.
pub const MWAA_SECURITY: Page = Page {
    title: "Security in your VPC on Amazon MWAA",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-security.html",
};
/// Amazon MWAA User Guide.
pub const MWAA_NETWORKING: Page = Page {
    title: "About networking on Amazon MWAA",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/networking-about.html",
};
/// AWS PrivateLink Guide.
pub const CONCEPTS: Page = Page {
    title: "AWS PrivateLink concepts",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/concepts.html",
};
/// AWS PrivateLink Guide.
pub const ACCESS_AWS_SERVICES: Page = Page {
    title: "Access AWS services through AWS PrivateLink",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
};
/// AWS PrivateLink Guide.
pub const INTERFACE_ENDPOINTS: Page = Page {
    title: "Access an AWS service using an interface VPC endpoint",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
};
/// AWS PrivateLink Guide.
pub const GATEWAY_ENDPOINTS: Page = Page {
    title: "Gateway endpoints",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
};
/// AWS PrivateLink Guide.
pub const S3_GATEWAY: Page = Page {
    title: "Gateway endpoints for Amazon S3",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html",
};
/// Amazon S3 User Guide.
pub const S3_PRIVATELINK: Page = Page {
    title: "AWS PrivateLink for Amazon S3",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html",
};
/// AWS PrivateLink Guide.
pub const ENDPOINT_POLICIES: Page = Page {
    title: "Control access to VPC endpoints using endpoint policies",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
};
/// AWS PrivateLink Guide.
pub const QUOTAS: Page = Page {
    title: "Quotas for AWS PrivateLink",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html",
};
/// AWS PrivateLink Guide.
pub const METRICS: Page = Page {
    title: "CloudWatch metrics for AWS PrivateLink",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html",
};
/// Route 53 Developer Guide.
pub const RESOLVER_RULES: Page = Page {
    title: "How Resolver determines whether the domain name in a query matches any rules",
    url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-domain-name-matches.html",
};
/// Route 53 Developer Guide.
pub const RESOLVER_AUTODEFINED: Page = Page {
    title: "Domain names that Resolver creates autodefined system rules for",
    url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html",
};
/// AWS PrivateLink Guide.
pub const SHARE_SERVICES: Page = Page {
    title: "Share your services through AWS PrivateLink",
    url: "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html",
};
/// MWAA API Reference: the `Environment` data type (`Status`, `LastUpdate`).
pub const MWAA_ENVIRONMENT_API: Page = Page {
    title: "Environment (Amazon MWAA API Reference)",
    url: "https://docs.aws.amazon.com/mwaa/latest/API/API_Environment.html",
};
/// MWAA guide: customer-managed endpoints (`EndpointManagement` = `CUSTOMER`), shared VPCs.
pub const MWAA_OWN_ENDPOINTS: Page = Page {
    title: "Managing your own Amazon VPC endpoints on Amazon MWAA",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-endpoint-management.html",
};
/// AWS whitepaper: Building a Scalable and Secure Multi-VPC AWS Network Infrastructure.
pub const CENTRALIZED_ENDPOINTS: Page = Page {
    title: "Centralized access to VPC private endpoints",
    url: "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html",
};
/// Amazon VPC Peering Guide.
pub const PEERING_ROUTING: Page = Page {
    title: "Update your route tables for a VPC peering connection",
    url: "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html",
};
/// Amazon VPC Peering Guide.
pub const PEERING_GROUPS: Page = Page {
    title: "Update your security groups to reference peer security groups",
    url: "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html",
};
/// AWS Transit Gateway Guide.
pub const TGW_ROUTE_TABLES: Page = Page {
    title: "Transit gateway route tables in AWS Transit Gateway",
    url: "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
};
/// AWS Transit Gateway Guide.
pub const TGW_VPC_ATTACHMENTS: Page = Page {
    title: "Amazon VPC attachments in AWS Transit Gateway",
    url: "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html",
};
/// MWAA guide: the execution role, its sample policies and the key policy for CloudWatch Logs.
pub const MWAA_EXECUTION_ROLE: Page = Page {
    title: "Amazon MWAA execution role",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html",
};
/// IAM User Guide: how identity policies, permissions boundaries and SCPs combine.
pub const IAM_EVALUATION: Page = Page {
    title: "Policy evaluation logic",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
};
/// MWAA guide: the source bucket (Region, versioning, Block Public Access).
pub const MWAA_BUCKET: Page = Page {
    title: "Create an Amazon S3 bucket for Amazon MWAA",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html",
};
/// MWAA guide: customer managed keys.
pub const MWAA_KEYS: Page = Page {
    title: "Using customer managed keys for encryption",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/custom-keys-certs.html",
};
/// MWAA guide: Apache Airflow's metrics in the `AmazonMWAA` namespace.
pub const MWAA_AIRFLOW_METRICS: Page = Page {
    title: "Apache Airflow v2 environment metrics in CloudWatch",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/access-metrics-cw-202.html",
};
/// MWAA guide: container metrics in the `AWS/MWAA` namespace.
pub const MWAA_CONTAINER_METRICS: Page = Page {
    title: "Container, queue, and database metrics for Amazon MWAA",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/accessing-metrics-cw-container-queue-db.html",
};
/// MWAA guide: the environment classes and their capacity.
pub const MWAA_ENVIRONMENT_CLASS: Page = Page {
    title: "Amazon MWAA environment class",
    url: "https://docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html",
};
