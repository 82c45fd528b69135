//! Where the probe runs: the host name, its addresses, and the EC2 instance and subnet from
//! IMDSv2 when it answers within a second. IMDS is never required, and it is not asked
//! when `AWS_EC2_METADATA_DISABLED=true`.

use std::net::IpAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::model::RanOn;

/// The instance metadata service, unless `AWS_EC2_METADATA_SERVICE_ENDPOINT` names another.
const IMDS: &str = "169.254.169.254:80";
const IMDS_TIMEOUT: Duration = Duration::from_secs(1);

/// Where this process runs, at `at` (RFC 3339).
pub async fn ran_on(at: String) -> RanOn {
    let mut ran_on = RanOn {
        hostname: nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok()),
        local_ips: local_ips(),
        at: Some(at),
        ..RanOn::default()
    };
    if let Some(address) = imds_address()
        && let Ok(Some((instance, subnet))) =
            tokio::time::timeout(IMDS_TIMEOUT, instance_and_subnet(&address)).await
    {
        ran_on.instance_id = Some(instance);
        ran_on.subnet_id = subnet;
    }
    ran_on
}

/// The host's addresses, loopback and link-local left out.
fn local_ips() -> Vec<String> {
    let Ok(interfaces) = nix::ifaddrs::getifaddrs() else {
        return Vec::new();
    };
    let mut ips: Vec<String> = interfaces
        .filter_map(|i| i.address)
        .filter_map(|a| {
            a.as_sockaddr_in()
                .map(|v4| IpAddr::V4(v4.ip()))
                .or_else(|| a.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip())))
        })
        .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
        .map(|ip| ip.to_string())
        .collect();
    ips.dedup();
    ips
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The IMDS `host:port` to ask, or none when disabled or when the override is unusable.
fn imds_address() -> Option<String> {
    imds_address_from(
        std::env::var("AWS_EC2_METADATA_DISABLED").ok().as_deref(),
        std::env::var("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .ok()
            .as_deref(),
    )
}

fn imds_address_from(disabled: Option<&str>, endpoint: Option<&str>) -> Option<String> {
    if disabled.is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return None;
    }
    let Some(endpoint) = endpoint else {
        return Some(IMDS.to_string());
    };
    let authority = endpoint
        .strip_prefix("http://")?
        .trim_end_matches('/')
        .to_string();
    // `host`, `host:port`, `[v6]` or `[v6]:port`.
    let has_port = match authority.strip_prefix('[') {
        Some(rest) => rest.contains("]:"),
        None => authority.contains(':'),
    };
    match has_port {
        true => Some(authority),
        false => Some(format!("{authority}:80")),
    }
}

/// The instance id and its primary interface's subnet, through an IMDSv2 session.
async fn instance_and_subnet(address: &str) -> Option<(String, Option<String>)> {
    let token = request(
        address,
        "PUT",
        "/latest/api/token",
        "X-aws-ec2-metadata-token-ttl-seconds: 60",
    )
    .await?;
    let header = format!("X-aws-ec2-metadata-token: {token}");
    let instance = request(address, "GET", "/latest/meta-data/instance-id", &header).await?;
    let mac = request(address, "GET", "/latest/meta-data/mac", &header).await;
    let subnet = match mac {
        Some(mac) => {
            let path = format!("/latest/meta-data/network/interfaces/macs/{mac}/subnet-id");
            request(address, "GET", &path, &header).await
        }
        None => None,
    };
    Some((instance, subnet))
}

/// One HTTP/1.1 request; the body of a 200 response.
async fn request(address: &str, method: &str, path: &str, header: &str) -> Option<String> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{header}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.lines().next()?;
    if status.split_whitespace().nth(1) != Some("200") {
        return None;
    }
    let body = body.trim();
    (!body.is_empty() && body.len() < 256).then(|| body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imds_is_not_asked_when_disabled() {
        assert_eq!(imds_address_from(Some("true"), None), None);
        assert_eq!(
            imds_address_from(Some("TRUE"), Some("http://127.0.0.1:9")),
            None
        );
        assert_eq!(
            imds_address_from(Some("false"), None).as_deref(),
            Some(IMDS)
        );
        assert_eq!(imds_address_from(None, None).as_deref(), Some(IMDS));
    }

    #[test]
    fn the_endpoint_override_is_honoured_or_ignored_safely() {
        assert_eq!(
            imds_address_from(None, Some("http://127.0.0.1:1338/")).as_deref(),
            Some("127.0.0.1:1338")
        );
        assert_eq!(
            imds_address_from(None, Some("http://localhost")).as_deref(),
            Some("localhost:80")
        );
        assert_eq!(
            imds_address_from(None, Some("http://[fd00:ec2::254]")).as_deref(),
            Some("[fd00:ec2::254]:80")
        );
        assert_eq!(
            imds_address_from(None, Some("http://[::1]:1338")).as_deref(),
            Some("[::1]:1338")
        );
        // An override that cannot be used never falls back to the real address.
        assert_eq!(imds_address_from(None, Some("https://127.0.0.1")), None);
    }
}
