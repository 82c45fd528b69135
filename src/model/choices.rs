//! What the start screen offers when linkscope starts without a target: the Region's MWAA
//! environments and VPCs, and the choice the user makes.

use serde::{Deserialize, Serialize};

use super::EnvironmentStatus;

/// An MWAA environment to open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentChoice {
    /// Its name.
    pub name: String,
    /// Its status (`GetEnvironment`), when it could be read.
    pub status: Option<EnvironmentStatus>,
    /// Its Airflow version.
    pub airflow_version: Option<String>,
}

/// A VPC to open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VpcChoice {
    /// Its id.
    pub id: String,
    /// Its `Name` tag.
    pub name: Option<String>,
    /// Its primary IPv4 CIDR block.
    pub cidr: Option<String>,
    /// The VPC endpoints in it, of every type; `None` when they could not be listed.
    pub endpoints: Option<usize>,
    /// True for the Region's default VPC.
    pub is_default: bool,
}

/// The start screen's lists; a list that could not be read is empty and says why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    /// The Region listed.
    pub region: String,
    /// Its MWAA environments, by name.
    pub environments: Vec<EnvironmentChoice>,
    /// Its VPCs, named ones first.
    pub vpcs: Vec<VpcChoice>,
    /// Why the environments could not be listed (`airflow:ListEnvironments: AccessDenied: …`).
    pub environments_error: Option<String>,
    /// Why the VPCs could not be listed (`ec2:DescribeVpcs: …`).
    pub vpcs_error: Option<String>,
    /// Why the VPCs' endpoint counts are missing (`ec2:DescribeVpcEndpoints: …`).
    pub counts_error: Option<String>,
}

impl Choices {
    /// Every list that could not be read, with why, one line each.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        [
            &self.environments_error,
            &self.vpcs_error,
            &self.counts_error,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }
}

/// What the user opened from the start screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    /// An MWAA environment, by name (its VPC, subnets and groups become the workload).
    Environment(String),
    /// A VPC, by id.
    Vpc(String),
}
