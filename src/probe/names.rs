//! The names a probe tries: the private DNS names of the services asked for (the ten MWAA
//! services by default), then any extra names, each once.

use crate::model::{MWAA_SERVICES, derived_private_name};

/// The label a wildcard name (`*.dkr.ecr.…`) is probed with; any label matches it.
pub const WILDCARD_LABEL: &str = "example";

/// The names to probe in `region`: the services' private DNS names (`s3.<region>.amazonaws.com`
/// for S3), then `extra`. `services` are suffixes like `sqs` or `ecr.api`.
pub fn names(region: &str, services: &[String], extra: &[String]) -> Result<Vec<String>, String> {
    if !valid_region(region) {
        return Err(format!("{region:?} is not a Region name like us-east-1"));
    }
    let services: Vec<String> = match services.is_empty() {
        true => MWAA_SERVICES.iter().map(|s| s.to_string()).collect(),
        false => services
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .collect(),
    };
    let mut names: Vec<String> = Vec::new();
    for suffix in &services {
        let published = derived_private_name(region, suffix);
        if !valid_name(published.trim_start_matches("*.")) {
            return Err(format!(
                "{suffix:?} is not a service like sqs or ecr.api (see --services)"
            ));
        }
        names.push(match published.strip_prefix("*.") {
            Some(rest) => format!("{WILDCARD_LABEL}.{rest}"),
            None => published,
        });
    }
    for name in extra {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.parse::<std::net::IpAddr>().is_ok() {
            return Err(format!(
                "{name:?} is an IP address: give a DNS name (TLS checks the certificate against it)"
            ));
        }
        if !valid_host(&name) {
            return Err(format!("{name:?} is not a DNS name"));
        }
        names.push(name);
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    Ok(names)
}

fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A service's private DNS name: a host name of several labels.
fn valid_name(name: &str) -> bool {
    name.contains('.') && valid_host(name)
}

/// A host name: one label (`localhost`, an intranet host) or several, each of letters,
/// digits and inner hyphens.
fn valid_host(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_names_are_the_ten_mwaa_services() {
        let names = names("eu-west-1", &[], &[]).unwrap();
        assert_eq!(names.len(), 10);
        assert_eq!(names[0], "s3.eu-west-1.amazonaws.com");
        assert!(names.contains(&"example.dkr.ecr.eu-west-1.amazonaws.com".to_string()));
        assert!(names.contains(&"api.ecr.eu-west-1.amazonaws.com".to_string()));
        assert!(names.contains(&"env.airflow.eu-west-1.amazonaws.com".to_string()));
    }

    #[test]
    fn services_and_extra_names_are_chosen_and_checked() {
        let names = names(
            "us-east-1",
            &["sqs".into(), "logs".into()],
            &[
                "Git.Example.com.".into(),
                "sqs.us-east-1.amazonaws.com".into(),
            ],
        )
        .unwrap();
        assert_eq!(
            names,
            [
                "sqs.us-east-1.amazonaws.com",
                "logs.us-east-1.amazonaws.com",
                "git.example.com"
            ]
        );
        assert!(super::names("us-east-1", &["s q s".into()], &[]).is_err());
        assert!(super::names("us-east-1", &[], &["bad_name.example.com".into()]).is_err());
        assert!(super::names("useast1", &[], &[]).is_err());
        assert!(super::names("us-east-1", &["-sqs".into()], &[]).is_err());
        assert!(super::names("us-east-1", &["a".repeat(64)], &[]).is_err());
        assert!(super::names("us-east-1", &[], &["10.0.0.1".into()]).is_err());
        assert_eq!(
            super::names("us-east-1", &["sqs".into()], &["localhost".into()]).unwrap(),
            ["sqs.us-east-1.amazonaws.com", "localhost"],
            "a one-label host name"
        );
        assert!(super::names("us-east-1", &[], &["-local".into()]).is_err());
        assert_eq!(
            super::names("us-east-1", &["SQS".into()], &[]).unwrap(),
            ["sqs.us-east-1.amazonaws.com"]
        );
    }
}
