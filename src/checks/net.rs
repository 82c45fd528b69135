//! Address arithmetic for route, security group and network ACL matching, IPv4 and IPv6,
//! on the `ipnet` crate.

pub use ipnet::IpNet;

/// Parses `a.b.c.d/n`, `2001:db8::/32` or a bare address (a host network), host bits cleared.
pub fn net(text: &str) -> Option<IpNet> {
    let text = text.trim();
    let parsed = match text.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => IpNet::from(text.parse::<std::net::IpAddr>().ok()?),
    };
    Some(parsed.trunc())
}

/// Every parsable network of `texts`.
pub fn nets<'a>(texts: impl IntoIterator<Item = &'a String>) -> Vec<IpNet> {
    texts.into_iter().filter_map(|t| net(t)).collect()
}

/// True when the two networks share at least one address (never across address families).
pub fn overlaps(a: IpNet, b: IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// True when every network of `sources` lies inside one of `ranges` (and there is a source).
pub fn all_within(ranges: &[IpNet], sources: &[IpNet]) -> bool {
    !sources.is_empty() && sources.iter().all(|s| ranges.iter().any(|r| r.contains(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> IpNet {
        net(text).unwrap()
    }

    #[test]
    fn containment_and_overlap_in_both_families() {
        assert!(n("10.0.0.0/16").contains(&n("10.0.3.0/24")));
        assert!(n("0.0.0.0/0").contains(&n("52.216.0.0/15")));
        assert!(!n("10.0.3.0/24").contains(&n("10.0.0.0/16")));
        assert!(overlaps(n("10.0.3.0/24"), n("10.0.0.0/16")));
        assert!(overlaps(n("10.0.0.0/16"), n("10.0.3.0/24")));
        assert!(!overlaps(n("10.1.0.0/16"), n("10.0.0.0/16")));
        assert!(n("10.0.1.7").contains(&n("10.0.1.7/32")));
        assert_eq!(n("10.0.1.7/24"), n("10.0.1.0/24"));
        assert!(n("2001:db8::/32").contains(&n("2001:db8:1::/48")));
        assert!(overlaps(n("2001:db8::/32"), n("2001:db8:ffff::1")));
        assert!(
            !overlaps(n("::/0"), n("10.0.0.0/8")),
            "families never overlap"
        );
        assert!(net("10.0.0.0/33").is_none());
        assert!(net("garbage").is_none());
    }

    #[test]
    fn all_within_needs_every_source_inside() {
        let ranges = [n("10.0.0.0/16")];
        assert!(all_within(&ranges, &[n("10.0.1.0/24"), n("10.0.2.0/24")]));
        assert!(!all_within(&ranges, &[n("10.0.1.0/24"), n("10.1.2.0/24")]));
        assert!(!all_within(&ranges, &[]), "no source is not covered");
    }
}
