//! IPv4 CIDR arithmetic for route, security group and network ACL matching.

use std::net::Ipv4Addr;

/// An IPv4 network such as `10.0.0.0/16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: u32,
    len: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n` or a bare address (a `/32`). Returns `None` for IPv6 or garbage.
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, len) = match text.split_once('/') {
            Some((addr, len)) => (addr, len.parse::<u8>().ok().filter(|l| *l <= 32)?),
            None => (text, 32),
        };
        let addr: Ipv4Addr = addr.trim().parse().ok()?;
        Some(Self {
            base: u32::from(addr) & mask(len),
            len,
        })
    }

    /// The range of addresses, inclusive.
    fn range(self) -> (u32, u32) {
        (self.base, self.base | !mask(self.len))
    }

    /// True when every address of `other` is in `self`.
    pub fn contains(self, other: Cidr) -> bool {
        self.len <= other.len && other.base & mask(self.len) == self.base
    }

    /// True when the two networks share at least one address.
    pub fn overlaps(self, other: Cidr) -> bool {
        let (a_lo, a_hi) = self.range();
        let (b_lo, b_hi) = other.range();
        a_lo <= b_hi && b_lo <= a_hi
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.base), self.len)
    }
}

fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Cidr {
        Cidr::parse(text).unwrap()
    }

    #[test]
    fn containment_and_overlap() {
        assert!(c("10.0.0.0/16").contains(c("10.0.3.0/24")));
        assert!(c("0.0.0.0/0").contains(c("52.216.0.0/15")));
        assert!(!c("10.0.3.0/24").contains(c("10.0.0.0/16")));
        assert!(c("10.0.3.0/24").overlaps(c("10.0.0.0/16")));
        assert!(!c("10.1.0.0/16").overlaps(c("10.0.0.0/16")));
        assert!(c("10.0.1.7").contains(c("10.0.1.7/32")));
        assert_eq!(c("10.0.1.7/24"), c("10.0.1.0/24"));
        assert!(Cidr::parse("2001:db8::/32").is_none());
        assert!(Cidr::parse("10.0.0.0/33").is_none());
    }
}
