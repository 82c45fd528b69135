//! What an MWAA environment needs beyond the network: its execution role (`iam:GetRole` and
//! the role's policies), its source bucket (`s3:GetBucket*`) and its KMS key (`kms:DescribeKey`,
//! `kms:GetKeyPolicy`). Documents are kept as JSON text; `checks` parses and judges them.

use serde::{Deserialize, Serialize};

/// One policy document as IAM stores it (decoded from the URL encoding IAM returns it in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyDocument {
    /// The inline policy's name, or the managed policy's name.
    pub name: String,
    /// The managed policy's ARN; `None` for an inline policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The managed policy's default version (`v3`), the one that is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The JSON document.
    pub document: String,
}

/// The environment's execution role (`ExecutionRoleArn`) and every policy that bounds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionRole {
    /// The role ARN.
    pub arn: String,
    /// The role name.
    pub name: String,
    /// Inline policies (`ListRolePolicies`, `GetRolePolicy`).
    pub inline_policies: Vec<PolicyDocument>,
    /// Managed policies attached to the role, at their default version
    /// (`ListAttachedRolePolicies`, `GetPolicy`, `GetPolicyVersion`).
    pub attached_policies: Vec<PolicyDocument>,
    /// The permissions boundary's ARN, when the role has one (`GetRole`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary_arn: Option<String>,
    /// The permissions boundary's document, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<PolicyDocument>,
}

impl ExecutionRole {
    /// The role's identity policies: inline first, then attached.
    pub fn policies(&self) -> impl Iterator<Item = &PolicyDocument> {
        self.inline_policies.iter().chain(&self.attached_policies)
    }
}

/// The role name of a role ARN (`arn:aws:iam::111122223333:role/service-role/x` → `x`).
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The bucket name of an S3 bucket ARN (`arn:aws:s3:::my-dags` → `my-dags`).
pub fn bucket_name(arn: &str) -> &str {
    arn.strip_prefix("arn:aws:s3:::")
        .or_else(|| arn.rsplit(":::").next())
        .unwrap_or(arn)
}

/// S3 Block Public Access settings of a bucket (`GetPublicAccessBlock`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// `BlockPublicAcls`.
    pub block_public_acls: bool,
    /// `IgnorePublicAcls`.
    pub ignore_public_acls: bool,
    /// `BlockPublicPolicy`.
    pub block_public_policy: bool,
    /// `RestrictPublicBuckets`.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// The four settings by name, in the console's order.
    pub fn settings(&self) -> [(&'static str, bool); 4] {
        [
            ("BlockPublicAcls", self.block_public_acls),
            ("IgnorePublicAcls", self.ignore_public_acls),
            ("BlockPublicPolicy", self.block_public_policy),
            ("RestrictPublicBuckets", self.restrict_public_buckets),
        ]
    }
}

/// The environment's source bucket (`SourceBucketArn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceBucket {
    /// The bucket name.
    pub name: String,
    /// The bucket's Region (`GetBucketLocation`; an empty constraint is `us-east-1`).
    pub region: Option<String>,
    /// `Enabled` or `Suspended` (`GetBucketVersioning`); `None` when versioning was never
    /// turned on.
    pub versioning: Option<String>,
    /// The bucket's Block Public Access settings; `None` when the bucket has none.
    pub public_access_block: Option<PublicAccessBlock>,
}

/// The KMS key the environment encrypts its data with (`KmsKey`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentKey {
    /// The key as `GetEnvironment` names it (an ARN, an id or an alias).
    pub id: String,
    /// The key ARN (`DescribeKey`).
    pub arn: Option<String>,
    /// `CUSTOMER` or `AWS` (`KeyManager`).
    pub manager: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, … (`KeyState`).
    pub state: Option<String>,
    /// The key policy (`GetKeyPolicy`, policy `default`).
    pub policy: Option<String>,
}

impl EnvironmentKey {
    /// The ARN when known, else the id as given.
    pub fn arn_or_id(&self) -> &str {
        self.arn.as_deref().unwrap_or(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_arns() {
        assert_eq!(
            role_name("arn:aws:iam::111122223333:role/service-role/mwaa-exec"),
            "mwaa-exec"
        );
        assert_eq!(bucket_name("arn:aws:s3:::airflow-dags"), "airflow-dags");
        assert_eq!(bucket_name("arn:aws-cn:s3:::dags-cn"), "dags-cn");
    }
}
