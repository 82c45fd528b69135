//! Asking a resolver for a name's A and AAAA records, and classifying what came back.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::RecordType;

use crate::model::Rcode;

/// A resolver the probe asks, with the label its results carry.
pub struct Resolver {
    /// `system`, or the `--dns-server` address.
    pub label: String,
    inner: TokioResolver,
    timeout: Duration,
}

impl Resolver {
    /// The host's own resolver, as `/etc/resolv.conf` and the hosts file configure it: the
    /// path the workload's SDKs take.
    pub fn system(timeout: Duration) -> Result<Self, String> {
        let mut builder = TokioResolver::builder_tokio()
            .map_err(|e| format!("cannot read the system resolver configuration: {e}"))?;
        set_options(builder.options_mut(), timeout);
        let inner = builder
            .build()
            .map_err(|e| format!("cannot start the system resolver: {e}"))?;
        Ok(Self {
            label: "system".into(),
            inner,
            timeout,
        })
    }

    /// One DNS server asked directly (UDP, then TCP for truncated answers); the hosts file
    /// does not apply.
    pub fn server(address: SocketAddr, timeout: Duration) -> Result<Self, String> {
        let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
            .into_iter()
            .map(|mut c| {
                c.port = address.port();
                c
            })
            .collect();
        let server = NameServerConfig::new(address.ip(), true, connections);
        let mut builder = TokioResolver::builder_with_config(
            ResolverConfig::from_name_servers(vec![server]),
            TokioRuntimeProvider::default(),
        );
        set_options(builder.options_mut(), timeout);
        builder.options_mut().use_hosts_file = ResolveHosts::Never;
        let inner = builder
            .build()
            .map_err(|e| format!("cannot start a resolver for {address}: {e}"))?;
        Ok(Self {
            label: address.to_string(),
            inner,
            timeout,
        })
    }

    /// The name's A and AAAA records, asked at once, and the outcome; never longer than the
    /// step timeout, whatever the resolver's own retries or fallbacks would do.
    pub async fn lookup(&self, name: &str) -> (Rcode, Vec<IpAddr>) {
        // A trailing dot: the name as given, never completed with a search domain.
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        let both = async {
            tokio::join!(
                self.inner.lookup(fqdn.as_str(), RecordType::A),
                self.inner.lookup(fqdn.as_str(), RecordType::AAAA)
            )
        };
        let Ok((v4, v6)) = tokio::time::timeout(self.timeout, both).await else {
            return (Rcode::Timeout, Vec::new());
        };
        let outcomes = [v4, v6].map(|r| match r {
            Ok(lookup) => Ok(lookup
                .answers()
                .iter()
                .filter_map(|record| record.data.ip_addr())
                .collect::<Vec<_>>()),
            Err(error) => Err(classify(&error)),
        });
        combine(outcomes)
    }
}

fn set_options(options: &mut ResolverOpts, timeout: Duration) {
    options.timeout = timeout;
    // `attempts` counts retries: none, so one query takes at most one timeout.
    options.attempts = 0;
    options.cache_size = 0;
}

/// The DNS outcome of one failed lookup; `NOERROR` for a name without records of the type.
fn classify(error: &NetError) -> Rcode {
    match error {
        NetError::Timeout => Rcode::Timeout,
        e if e.is_nx_domain() => Rcode::NxDomain,
        NetError::Dns(DnsError::NoRecordsFound(none))
            if none.response_code == ResponseCode::NoError =>
        {
            Rcode::NoError
        }
        _ => Rcode::ServFail,
    }
}

/// One outcome for the two lookups: any address wins; otherwise NXDOMAIN (the name does
/// not exist), then a timeout, then a failure, then an empty answer.
fn combine(outcomes: [Result<Vec<IpAddr>, Rcode>; 2]) -> (Rcode, Vec<IpAddr>) {
    let mut ips: Vec<IpAddr> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok())
        .flatten()
        .copied()
        .collect();
    ips.dedup();
    if !ips.is_empty() {
        return (Rcode::NoError, ips);
    }
    let errors: Vec<Rcode> = outcomes.iter().filter_map(|o| o.clone().err()).collect();
    let rcode = [Rcode::NxDomain, Rcode::Timeout, Rcode::ServFail]
        .into_iter()
        .find(|code| errors.contains(code))
        .unwrap_or(Rcode::NoError);
    (rcode, ips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_address_wins_then_nxdomain_then_timeout() {
        let ip: IpAddr = "10.0.1.5".parse().unwrap();
        assert_eq!(
            combine([Ok(vec![ip]), Err(Rcode::Timeout)]),
            (Rcode::NoError, vec![ip])
        );
        assert_eq!(
            combine([Err(Rcode::Timeout), Err(Rcode::NxDomain)]),
            (Rcode::NxDomain, vec![])
        );
        assert_eq!(
            combine([Ok(vec![]), Err(Rcode::Timeout)]),
            (Rcode::Timeout, vec![])
        );
        assert_eq!(
            combine([Err(Rcode::ServFail), Ok(vec![])]),
            (Rcode::ServFail, vec![])
        );
        assert_eq!(combine([Ok(vec![]), Ok(vec![])]), (Rcode::NoError, vec![]));
    }

    #[test]
    fn timeouts_and_refusals_are_classified() {
        assert_eq!(classify(&NetError::Timeout), Rcode::Timeout);
        assert_eq!(
            classify(&NetError::Dns(DnsError::ResponseCode(
                ResponseCode::Refused
            ))),
            Rcode::ServFail
        );
    }
}
