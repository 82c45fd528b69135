//! Remediation a user can paste into a shell. A fix is lines of shell: AWS CLI commands, the
//! first one to run as is and alternatives commented out (`# aws …`), prose as `#` comments,
//! and every value a shell could misread quoted ([`quote`]). What the snapshot cannot tell
//! is a shell variable (`"$FROM"`), set or explained on a comment line before its use.
//!
//! [`scope`] then gives every command, commented or not, the Region and the profile the
//! snapshot was read with, once for the whole audit: no family can forget them.

use std::borrow::Cow;

use super::Finding;

/// `value` as one shell word: bare when it holds only characters no shell treats specially,
/// else in single quotes.
pub fn quote(value: &str) -> Cow<'_, str> {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    match plain {
        true => Cow::Borrowed(value),
        false => Cow::Owned(format!("'{}'", value.replace('\'', r"'\''"))),
    }
}

/// The lines as comments: a fix offered as an alternative, to read before running.
pub fn commented(fix: &str) -> String {
    fix.lines()
        .map(|line| match line.starts_with('#') {
            true => line.to_string(),
            false => format!("# {line}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The AWS CLI command a line holds: `aws …`, or an alternative commented out as `# aws …`.
fn command(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let line = line.strip_prefix("# ").unwrap_or(line);
    line.starts_with("aws ").then_some(line)
}

/// True when the command names `option` (`--region`) itself.
fn names(command: &str, option: &str) -> bool {
    command
        .split_whitespace()
        .any(|word| word == option || word.starts_with(&format!("{option}=")))
}

/// The remediation with `--region` (unless a command names its own, such as one for another
/// Region) and, when the snapshot was read with a named profile, `--profile` (unless a
/// command names its own, such as one for a service provider's account) on every command.
pub fn scoped(remediation: &str, region: &str, profile: Option<&str>) -> String {
    remediation
        .lines()
        .map(|line| {
            let Some(command) = command(line) else {
                return line.to_string();
            };
            let mut line = line.trim_end().to_string();
            if !names(command, "--region") {
                line.push_str(" --region ");
                line.push_str(&quote(region));
            }
            if let Some(profile) = profile.filter(|_| !names(command, "--profile")) {
                line.push_str(" --profile ");
                line.push_str(&quote(profile));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Scopes the fix of every finding ([`scoped`]).
pub(super) fn scope(findings: &mut [Finding], region: &str, profile: Option<&str>) {
    for finding in findings {
        if let Some(fix) = &finding.remediation {
            finding.remediation = Some(scoped(fix, region, profile));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_stay_bare_and_others_are_quoted() {
        assert_eq!(quote("vpce-0abc"), "vpce-0abc");
        assert_eq!(
            quote("com.amazonaws.us-east-1.s3"),
            "com.amazonaws.us-east-1.s3"
        );
        assert_eq!(quote("VPC Endpoint Id"), "'VPC Endpoint Id'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$(reboot)"), "'$(reboot)'");
    }

    #[test]
    fn an_alternative_is_commented_out_line_by_line() {
        assert_eq!(
            commented("# SG: a group\naws ec2 x --group-id \"$SG\""),
            "# SG: a group\n# aws ec2 x --group-id \"$SG\""
        );
    }

    #[test]
    fn every_command_gets_the_region_and_the_profile_once() {
        let fix = "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --private-dns-enabled\n# or, elsewhere:\n# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id Z1\naws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-2 --region eu-west-1\naws ec2 accept-vpc-endpoint-connections --service-id vpce-svc-1 --profile \"$PROVIDER_PROFILE\"";
        let scoped = scoped(fix, "us-east-1", Some("prod admin"));
        let lines: Vec<&str> = scoped.lines().collect();
        assert_eq!(
            lines,
            [
                "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --private-dns-enabled --region us-east-1 --profile 'prod admin'",
                "# or, elsewhere:",
                "# aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id Z1 --region us-east-1 --profile 'prod admin'",
                "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-2 --region eu-west-1 --profile 'prod admin'",
                "aws ec2 accept-vpc-endpoint-connections --service-id vpce-svc-1 --profile \"$PROVIDER_PROFILE\" --region us-east-1",
            ]
        );
        assert_eq!(
            scoped.replace(" --profile 'prod admin'", ""),
            super::scoped(fix, "us-east-1", None),
            "no profile, no --profile"
        );
        assert_eq!(
            super::scoped(&scoped, "us-east-1", Some("prod admin")),
            scoped,
            "scoping twice changes nothing"
        );
    }
}
