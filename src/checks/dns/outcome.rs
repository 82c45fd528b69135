//! Why a name leads where it does: the one outcome of following a name's DNS path, which the
//! name's verdict (`names.rs`), the way its packets take (`network/path.rs`) and the checklist
//! read; and the DNS fix each outcome calls for.

use super::attributes::enable_attributes;
use super::resolution::vpc_resolver_addresses;
use crate::checks::facts::Facts;

/// Why a name leads where it does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The VPC's own endpoint answers with its interface IPs.
    Local,
    /// A private hosted zone points at an available interface endpoint in another VPC.
    Hub {
        /// The zone.
        zone_id: String,
        /// The endpoint it points at.
        endpoint_id: String,
        /// That endpoint's VPC.
        vpc_id: String,
    },
    /// S3's public names, carried to the gateway endpoint by the route tables.
    Gateway,
    /// A private hosted zone answers a name the VPC's own endpoint would answer.
    ShadowedByZone {
        /// The zone.
        zone_id: String,
    },
    /// A FORWARD rule takes a name the VPC's own endpoint would answer.
    Overridden {
        /// The rule.
        rule_id: String,
    },
    /// The name has no endpoint here and a FORWARD rule answers it elsewhere.
    Forwarded {
        /// The rule.
        rule_id: String,
    },
    /// Custom DHCP DNS servers answer, and linkscope cannot see past them.
    CustomDns,
    /// A matching private hosted zone has no record for the name.
    Nxdomain {
        /// The zone.
        zone_id: String,
    },
    /// A zone answers with something that does not lead to an available endpoint of the
    /// service, or that linkscope cannot trace.
    Unverifiable,
    /// The endpoint has private DNS on, but the VPC's DNS attributes keep its zone away.
    AttributesOff,
    /// The endpoint has private DNS off: the name resolves to public IPs.
    PrivateDnsOff,
    /// No endpoint, and public DNS answers.
    NoEndpoint,
    /// The path could not be followed.
    Unknown,
}

impl Outcome {
    /// The commands that bring the name back to the VPC's endpoint, printed and never run:
    /// the first runs as is, alternatives are comments. `None` when the fix is not in the
    /// VPC's DNS (the endpoint's own rows and rules give it) or linkscope cannot tell.
    pub fn remedy(&self, ctx: &Facts) -> Option<String> {
        let (vpc, region) = (ctx.vpc_id(), ctx.region());
        match self {
            Outcome::Overridden { rule_id } => Some(format!(
                "aws route53resolver disassociate-resolver-rule --vpc-id {vpc} --resolver-rule-id {rule_id}\n# or have the servers the rule forwards to answer the name with the endpoint's IPs"
            )),
            Outcome::Nxdomain { zone_id } => Some(format!(
                "aws route53 change-resource-record-sets --hosted-zone-id {zone_id} --change-batch file://records.json\n# records.json: an alias record for the name to the endpoint that should answer it; or let the name fall through to the endpoint's own zone:\n# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id {zone_id} --vpc VPCRegion={region},VPCId={vpc}"
            )),
            Outcome::AttributesOff => Some(enable_attributes(&ctx.snap.vpc)),
            Outcome::CustomDns => Some(format!(
                "# On those servers, forward amazonaws.com (or the service names) to the VPC resolver ({}) or to a Route 53 Resolver inbound endpoint; or use AmazonProvidedDNS:\n# aws ec2 create-dhcp-options --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS'\n# then, DOPT_ID being the id it prints:\n# aws ec2 associate-dhcp-options --vpc-id {vpc} --dhcp-options-id \"$DOPT_ID\"",
                vpc_resolver_addresses(&ctx.snap.vpc.cidr_blocks).join(" or ")
            )),
            Outcome::Local
            | Outcome::Hub { .. }
            | Outcome::Gateway
            | Outcome::ShadowedByZone { .. }
            | Outcome::Forwarded { .. }
            | Outcome::Unverifiable
            | Outcome::PrivateDnsOff
            | Outcome::NoEndpoint
            | Outcome::Unknown => None,
        }
    }
}
