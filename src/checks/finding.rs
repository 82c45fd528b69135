//! Findings: the verdict of one rule on one subject, with every resource it rests on.

use std::fmt;

use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};

use super::docs::Cite;

/// How bad a violation of a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context worth showing.
    Info,
    /// A resilience, security or cost risk, or a probable break.
    Warn,
    /// Breaks MWAA private-routing connectivity, or the API shows a failure.
    Error,
}

impl Severity {
    /// `info`, `warn` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }

    /// The status a violation of this severity gets.
    pub(super) fn violation(self) -> Status {
        match self {
            Self::Error => Status::Fail,
            Self::Warn => Status::Warn,
            Self::Info => Status::Info,
        }
    }
}

/// The outcome of one check on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule holds.
    Pass,
    /// The rule is violated at error severity.
    Fail,
    /// The rule is violated at warn severity.
    Warn,
    /// Context, not a problem.
    Info,
    /// The input was not fetched (or cannot be known), so the rule could not be evaluated.
    Unknown,
}

impl Status {
    /// `pass`, `fail`, `warn`, `info` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Unknown => "unknown",
        }
    }

    /// Every status, the worst first: fail, warn, unknown, pass, info.
    pub const ALL: [Status; 5] = [
        Self::Fail,
        Self::Warn,
        Self::Unknown,
        Self::Pass,
        Self::Info,
    ];

    /// How bad the status is: 4 for `fail`, 3 `warn`, 2 `unknown`, 1 `pass`, 0 `info`. The
    /// one order every face sorts and picks the worst by (the derived order is declaration
    /// order, not this).
    pub fn rank(self) -> u8 {
        match self {
            Self::Fail => 4,
            Self::Warn => 3,
            Self::Unknown => 2,
            Self::Pass => 1,
            Self::Info => 0,
        }
    }

    /// The worse of two statuses.
    pub fn worst(self, other: Status) -> Status {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// True for `fail`, `warn` and `unknown`: what a person must look at.
    pub fn needs_attention(self) -> bool {
        matches!(self, Self::Fail | Self::Warn | Self::Unknown)
    }

    /// True for `fail` and `warn`.
    pub fn is_problem(self) -> bool {
        matches!(self, Self::Fail | Self::Warn)
    }

    /// The severity a problem of this status has (`info` for the others).
    pub fn severity(self) -> Severity {
        match self {
            Self::Fail => Severity::Error,
            Self::Warn => Severity::Warn,
            _ => Severity::Info,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of thing a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    /// A VPC endpoint (`vpce-…`).
    Endpoint,
    /// A subnet.
    Subnet,
    /// A route table.
    RouteTable,
    /// A security group.
    SecurityGroup,
    /// A network ACL.
    Nacl,
    /// The VPC as a whole.
    Vpc,
    /// The MWAA environment, by name.
    Environment,
    /// A service, by service name (`com.amazonaws.us-east-1.sqs`).
    Service,
    /// A DNS name.
    DnsName,
    /// A VPC peering connection (`pcx-…`).
    PeeringConnection,
    /// A transit gateway attachment (`tgw-attach-…`).
    TransitGatewayAttachment,
    /// A transit gateway route table (`tgw-rtb-…`).
    TransitGatewayRouteTable,
    /// An IAM role, by ARN.
    Role,
    /// An S3 bucket, by name.
    Bucket,
    /// A KMS key, by ARN (or id).
    Key,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Subject {
    /// The kind of the subject.
    pub kind: SubjectKind,
    /// Its id (or name, for environments, services and DNS names).
    pub id: String,
}

impl Subject {
    /// A subject of `kind` named `id`.
    pub fn new(kind: SubjectKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }

    /// A VPC endpoint.
    pub fn endpoint(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::Endpoint, id)
    }

    /// A subnet.
    pub fn subnet(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::Subnet, id)
    }

    /// A route table.
    pub fn route_table(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::RouteTable, id)
    }

    /// A security group.
    pub fn group(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::SecurityGroup, id)
    }

    /// A network ACL.
    pub fn nacl(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::Nacl, id)
    }

    /// The VPC.
    pub fn vpc(id: impl Into<String>) -> Self {
        Self::new(SubjectKind::Vpc, id)
    }

    /// The MWAA environment.
    pub fn environment(name: impl Into<String>) -> Self {
        Self::new(SubjectKind::Environment, name)
    }

    /// A service, by its service name.
    pub fn service(name: impl Into<String>) -> Self {
        Self::new(SubjectKind::Service, name)
    }

    /// An IAM role, by ARN.
    pub fn role(arn: impl Into<String>) -> Self {
        Self::new(SubjectKind::Role, arn)
    }

    /// An S3 bucket, by name.
    pub fn bucket(name: impl Into<String>) -> Self {
        Self::new(SubjectKind::Bucket, name)
    }

    /// A KMS key, by ARN.
    pub fn key(arn: impl Into<String>) -> Self {
        Self::new(SubjectKind::Key, arn)
    }

    /// The subject's id when it names a resource of the account (not a service or a DNS
    /// name, which are not resources).
    pub fn resource(&self) -> Option<&str> {
        match self.kind {
            SubjectKind::Service | SubjectKind::DnsName => None,
            _ => Some(&self.id),
        }
    }
}

/// A row of the MWAA checklist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "row", content = "key", rename_all = "kebab-case")]
pub enum ChecklistItem {
    /// A required endpoint, by service suffix (`ecr.dkr`).
    Endpoint(String),
    /// S3 gateway routing of one workload subnet.
    S3Route(String),
}

impl ChecklistItem {
    /// The short label of the row: `endpoint ecr.dkr`, `S3 route subnet-…`.
    pub fn label(&self) -> String {
        match self {
            Self::Endpoint(service) => format!("endpoint {service}"),
            Self::S3Route(subnet) => format!("S3 route {subnet}"),
        }
    }
}

/// A piece of configuration a verdict names, beyond resource ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// A network ACL entry that blocks the traffic the finding is about.
    NaclEntry {
        /// The network ACL.
        acl: String,
        /// True for an outbound entry.
        egress: bool,
        /// The entry's rule number (32767 is the final `*` deny).
        rule_number: i32,
    },
}

/// One result of the audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The check id: the rule's id, or a per-row id for checklist rows (`mwaa.s3-route.<subnet>`).
    pub id: String,
    /// The id of the rule this finding comes from.
    pub rule: &'static str,
    /// The verdict.
    pub status: Status,
    /// How bad a violation is.
    pub severity: Severity,
    /// What the rule expects, phrased as the passing state.
    pub title: String,
    /// What the finding is about.
    pub subject: Subject,
    /// The checklist row, for findings that are one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checklist: Option<ChecklistItem>,
    /// Every resource the verdict rests on, the subject first when it is a resource.
    pub resources: Vec<String>,
    /// Configuration entries the verdict names (network ACL entries that block).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Why, in one or two sentences, with the evidence.
    pub detail: String,
    /// An AWS CLI command with the real ids, or a precise instruction.
    pub remediation: Option<String>,
    /// The AWS documentation the rule rests on, as one line of text.
    pub source: String,
    /// The same documentation, page by page, with addresses.
    #[serde(serialize_with = "cites")]
    pub docs: &'static [Cite],
}

fn cites<S: Serializer>(docs: &&'static [Cite], serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Doc {
        title: &'static str,
        section: &'static str,
        url: &'static str,
    }
    let mut seq = serializer.serialize_seq(Some(docs.len()))?;
    for cite in docs.iter() {
        seq.serialize_element(&Doc {
            title: cite.page.title,
            section: cite.section,
            url: cite.page.url,
        })?;
    }
    seq.end()
}

impl Finding {
    /// The finding's key: its id and its subject (`vpce-sg-no-https-inbound vpce-…`), which
    /// tells apart the findings one rule makes on several subjects.
    pub fn key(&self) -> String {
        format!("{} {}", self.id, self.subject.id)
    }

    /// Adds resources the verdict rests on (kept once each, in order).
    pub fn involving<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for id in ids {
            let id = id.into();
            if !id.is_empty() && !self.resources.contains(&id) {
                self.resources.push(id);
            }
        }
        self
    }

    /// Adds evidence (kept once each, in order).
    pub fn with_evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        for item in evidence {
            if !self.evidence.contains(&item) {
                self.evidence.push(item);
            }
        }
        self
    }

    /// Attaches the fix.
    pub fn fix(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = Some(remediation.into());
        self
    }

    /// Sets the remediation when there is one.
    pub fn fix_if(mut self, remediation: Option<String>) -> Self {
        if remediation.is_some() {
            self.remediation = remediation;
        }
        self
    }

    /// Makes the finding a checklist row with its own id.
    pub fn row(mut self, id: impl Into<String>, item: ChecklistItem) -> Self {
        self.id = id.into();
        self.checklist = Some(item);
        self
    }

    /// The finding turned `unknown`: its input is missing, so the verdict cannot stand.
    pub fn unknown(mut self, reason: impl Into<String>) -> Self {
        self.status = Status::Unknown;
        self.detail = reason.into();
        self.remediation = None;
        self
    }

    /// True for `fail` and `warn` findings at or above `threshold`.
    pub fn is_problem_at(&self, threshold: Severity) -> bool {
        self.status.is_problem() && self.severity >= threshold
    }

    /// True when the verdict rests on `resource`.
    pub fn involves(&self, resource: &str) -> bool {
        self.resources.iter().any(|r| r == resource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::mwaa::environment::WEBSERVER_ACCESS;

    #[test]
    fn a_problem_needs_a_problem_status_and_enough_severity() {
        let subject = || Subject::vpc("vpc-1");
        let rule = WEBSERVER_ACCESS;
        let fail = rule.violated_at(Severity::Error, subject(), "x");
        let warn = rule.violated_at(Severity::Warn, subject(), "x");
        let pass = rule.pass(subject(), "x");
        assert!(fail.is_problem_at(Severity::Error) && fail.is_problem_at(Severity::Warn));
        assert!(!warn.is_problem_at(Severity::Error) && warn.is_problem_at(Severity::Warn));
        assert!(
            !pass.is_problem_at(Severity::Info),
            "a pass is never a problem"
        );
        let unknown = rule.unknown(subject(), "why");
        assert!(!unknown.is_problem_at(Severity::Info));
    }

    #[test]
    fn statuses_rank_from_the_worst_and_attention_means_fail_warn_or_unknown() {
        let ranks: Vec<u8> = Status::ALL.iter().map(|s| s.rank()).collect();
        assert_eq!(ranks, [4, 3, 2, 1, 0], "ALL is worst first");
        assert_eq!(Status::Pass.worst(Status::Unknown), Status::Unknown);
        assert_eq!(Status::Fail.worst(Status::Warn), Status::Fail);
        assert_eq!(Status::Info.worst(Status::Pass), Status::Pass);
        let attention: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.needs_attention())
            .collect();
        assert_eq!(attention, [Status::Fail, Status::Warn, Status::Unknown]);
        let worst = Status::ALL.into_iter().fold(Status::Info, Status::worst);
        assert_eq!(worst, Status::Fail);
    }

    #[test]
    fn resources_are_kept_once_in_order_and_services_are_not_resources() {
        let f = WEBSERVER_ACCESS
            .info(Subject::endpoint("vpce-1"), "x")
            .involving(["sg-1", "vpce-1", "", "sg-2", "sg-1"]);
        assert_eq!(f.resources, ["vpce-1", "sg-1", "sg-2"]);
        let s = WEBSERVER_ACCESS.info(Subject::service("com.amazonaws.us-east-1.sqs"), "x");
        assert!(s.resources.is_empty());
        assert_eq!(
            ChecklistItem::S3Route("subnet-1".into()).label(),
            "S3 route subnet-1"
        );
    }
}
