//! One hop of the way a packet takes ([`super::path`]): what it is, the resource it rests
//! on, and its verdict.

use serde::Serialize;

use crate::checks::finding::{Evidence, Status, SubjectKind};

/// What a hop is, in the order a packet meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// The workload subnet's network ACL lets 443 out.
    LeaveSubnet,
    /// The workload subnet's route table sends the address somewhere.
    Route,
    /// The peering connection the route names.
    Peering,
    /// The VPC's transit gateway attachment.
    Attachment,
    /// The transit gateway route table of that attachment.
    TransitGatewayRoute,
    /// The destination subnet's network ACL lets 443 in.
    EnterSubnet,
    /// The endpoint's security groups admit 443.
    SecurityGroup,
    /// The destination subnet's network ACL lets the reply out.
    ReplyLeaves,
    /// The destination subnet's route table sends the reply back.
    RouteBack,
    /// The transit gateway route table of the destination's attachment sends it back.
    TransitGatewayRouteBack,
    /// The workload subnet's network ACL lets the reply in.
    ReplyArrives,
}

impl Step {
    /// A few words for the step, as the DNS tab draws it.
    pub fn label(self) -> &'static str {
        match self {
            Self::LeaveSubnet => "network ACL out",
            Self::Route => "route table",
            Self::Peering => "peering connection",
            Self::Attachment => "transit gateway attachment",
            Self::TransitGatewayRoute => "transit gateway route table",
            Self::EnterSubnet => "destination network ACL in",
            Self::SecurityGroup => "endpoint security group",
            Self::ReplyLeaves => "destination network ACL, reply",
            Self::RouteBack => "route back",
            Self::TransitGatewayRouteBack => "transit gateway route table, back",
            Self::ReplyArrives => "network ACL, reply in",
        }
    }

    /// The kind of resource the step rests on.
    pub fn subject_kind(self) -> SubjectKind {
        match self {
            Self::LeaveSubnet | Self::EnterSubnet | Self::ReplyLeaves | Self::ReplyArrives => {
                SubjectKind::Nacl
            }
            Self::Route | Self::RouteBack => SubjectKind::RouteTable,
            Self::Peering => SubjectKind::PeeringConnection,
            Self::Attachment => SubjectKind::TransitGatewayAttachment,
            Self::TransitGatewayRoute | Self::TransitGatewayRouteBack => {
                SubjectKind::TransitGatewayRouteTable
            }
            Self::SecurityGroup => SubjectKind::SecurityGroup,
        }
    }
}

/// One hop and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathHop {
    /// What the hop is.
    pub step: Step,
    /// The resource it rests on (`acl-`, `rtb-`, `pcx-`, `tgw-attach-`, `tgw-rtb-`, `sg-`),
    /// empty when there is none to name.
    pub resource: String,
    /// `pass`, `fail` or `unknown`.
    pub status: Status,
    /// One sentence with the evidence.
    pub text: String,
    /// The fix, for a hop that fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The network ACL entry that blocks, for an ACL hop that fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

impl PathHop {
    /// A hop that holds.
    pub(crate) fn pass(step: Step, resource: &str, text: String) -> Self {
        Self::new(step, resource, Status::Pass, text)
    }

    /// A hop that drops the traffic, with its fix.
    pub(crate) fn fail(step: Step, resource: &str, text: String, fix: Option<String>) -> Self {
        Self {
            fix,
            ..Self::new(step, resource, Status::Fail, text)
        }
    }

    /// A hop linkscope cannot judge, with the reason.
    pub(crate) fn unknown(step: Step, resource: &str, text: String) -> Self {
        Self::new(step, resource, Status::Unknown, text)
    }

    fn new(step: Step, resource: &str, status: Status, text: String) -> Self {
        Self {
            step,
            resource: resource.to_string(),
            status,
            text,
            fix: None,
            evidence: None,
        }
    }
}
