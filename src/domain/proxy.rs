//! Which client a request came from, and whether it came over HTTPS, when it passes through
//! proxies (a load balancer, a TLS terminator) that the operator trusts. Only a trusted peer's
//! `X-Forwarded-For` and `X-Forwarded-Proto` are believed: anyone else can write those headers,
//! and believing them would let a client pick the address the sign-in throttle counts against.

use std::net::IpAddr;
use std::str::FromStr;

/// One address or a CIDR block: `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            _ => false,
        }
    }
}

/// Whether the first `prefix` bits of `a` and `b` agree.
fn same_prefix(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let (whole, rest) = (usize::from(prefix / 8), prefix % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let network = addr
            .parse::<IpAddr>()
            .map_err(|_| format!("{s:?} is not an IP address or CIDR block (e.g. 10.0.0.5, 10.0.0.0/8, ::1)"))?
            .to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(IpRange { network, prefix })
    }
}

/// The proxies whose forwarding headers are believed. Empty (the default) believes none: the
/// app is then reached directly, and the peer is the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// A comma-separated list of addresses and CIDR blocks; blanks around items are ignored,
    /// and an empty list trusts nobody.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client's address: the peer itself unless it is trusted; behind trusted proxies, the
    /// rightmost `X-Forwarded-For` address that is not itself a trusted proxy. Each proxy
    /// appends the address it was connected from, so everything to the left of the first
    /// untrusted hop was written by someone we do not trust and is never looked at.
    ///
    /// `forwarded_for` holds the header's values in the order they came (a proxy may send
    /// several headers); an item that is not an address stops the walk at the last trusted hop.
    pub fn client_address(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded_for.iter().flat_map(|value| value.split(',')).rev();
        for hop in hops {
            let Some(ip) = parse_hop(hop) else { return client };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` item: an address, possibly with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse().ok()))?;
    Some(ip.to_canonical())
}

/// Whether a trusted proxy says the client used HTTPS: `X-Forwarded-Proto: https` (the first
/// item, the one the client-facing proxy wrote, when proxies chain) or `Forwarded: proto=https`.
pub fn forwarded_https(x_forwarded_proto: Option<&str>, forwarded: Option<&str>) -> bool {
    let by_x = x_forwarded_proto
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let by_forwarded = forwarded.is_some_and(|f| {
        f.split([',', ';']).filter_map(|pair| pair.split_once('=')).any(|(k, v)| {
            k.trim().eq_ignore_ascii_case("proto") && v.trim().trim_matches('"').eq_ignore_ascii_case("https")
        })
    });
    by_x || by_forwarded
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let block: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(block.contains(ip("10.200.1.2")));
        assert!(!block.contains(ip("11.0.0.1")));
        let one: IpRange = " 127.0.0.1 ".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let odd: IpRange = "192.168.1.128/25".parse().unwrap();
        assert!(odd.contains(ip("192.168.1.200")) && !odd.contains(ip("192.168.1.127")));
        let v6: IpRange = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")), "families never mix");
        let all: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
    }

    #[test]
    fn ipv4_mapped_addresses_match_their_ipv4_range() {
        // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d.
        let block: IpRange = "127.0.0.0/8".parse().unwrap();
        assert!(block.contains(ip("::ffff:127.0.0.1")));
        let mapped: IpRange = "::ffff:10.0.0.1".parse().unwrap();
        assert!(mapped.contains(ip("10.0.0.1")));
    }

    #[test]
    fn bad_ranges_are_refused_with_the_item() {
        for bad in ["10.0.0.0/33", "::1/129", "10.0.0/8", "localhost", "10.0.0.0/", "10.0.0.0/x"] {
            let e = bad.parse::<IpRange>().unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        assert!(TrustedProxies::parse("127.0.0.1, nope").is_err());
    }

    #[test]
    fn lists_ignore_blanks_and_may_be_empty() {
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse(" , ").unwrap().is_empty());
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8,,::1").unwrap();
        assert!(t.trusts(ip("127.0.0.1")) && t.trusts(ip("10.1.1.1")) && t.trusts(ip("::1")));
        assert!(!t.trusts(ip("192.168.0.1")));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let t = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(t.client_address(ip("203.0.113.7"), &["198.51.100.1"]), ip("203.0.113.7"));
        let none = TrustedProxies::default();
        assert_eq!(none.client_address(ip("127.0.0.1"), &["198.51.100.1"]), ip("127.0.0.1"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // The client wrote a fake first item; the balancer appended the real address.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["1.1.1.1, 203.0.113.7"]), ip("203.0.113.7"));
        // Two proxies of ours: the inner one's address is skipped too.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["203.0.113.7, 10.0.0.2"]), ip("203.0.113.7"));
        // Several headers count in order, as one list.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["1.1.1.1", "203.0.113.7", "10.0.0.2"]), ip("203.0.113.7"));
        // Ports and brackets are allowed.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["[2001:db8::7]:4711"]), ip("2001:db8::7"));
        assert_eq!(t.client_address(ip("10.0.0.1"), &["203.0.113.7:4711"]), ip("203.0.113.7"));
    }

    #[test]
    fn a_trusted_peer_without_a_usable_header_is_the_client() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(t.client_address(ip("10.0.0.1"), &[]), ip("10.0.0.1"));
        assert_eq!(t.client_address(ip("10.0.0.1"), &["unknown"]), ip("10.0.0.1"));
        // Garbage left of a trusted hop stops the walk at that hop.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["garbage, 10.0.0.9"]), ip("10.0.0.9"));
        // Every hop trusted: the leftmost, the farthest one we can vouch for.
        assert_eq!(t.client_address(ip("10.0.0.1"), &["10.0.0.3, 10.0.0.2"]), ip("10.0.0.3"));
    }

    #[test]
    fn https_as_a_proxy_reports_it() {
        assert!(forwarded_https(Some("https"), None));
        assert!(forwarded_https(Some("HTTPS"), None));
        assert!(forwarded_https(Some("https, http"), None), "the client-facing proxy's word counts");
        assert!(!forwarded_https(Some("http"), None));
        assert!(!forwarded_https(Some("http, https"), None));
        assert!(forwarded_https(None, Some("for=192.0.2.60;proto=https;by=203.0.113.43")));
        assert!(forwarded_https(None, Some("proto=\"https\"")));
        assert!(!forwarded_https(None, Some("for=192.0.2.60;proto=http")));
        assert!(!forwarded_https(None, Some("for=\"proto=https\"")));
        assert!(!forwarded_https(None, None));
    }

    proptest! {
        #[test]
        fn an_untrusted_peer_is_never_overridden(
            peer in any::<std::net::Ipv4Addr>(),
            header in ".{0,60}",
        ) {
            let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
            prop_assume!(!t.trusts(IpAddr::V4(peer)));
            prop_assert_eq!(t.client_address(IpAddr::V4(peer), &[header.as_str()]), IpAddr::V4(peer));
        }

        #[test]
        fn the_client_is_the_peer_or_an_item_of_the_header(
            hops in proptest::collection::vec(any::<std::net::Ipv4Addr>(), 0..6),
        ) {
            let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
            let header = hops.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let peer = ip("10.0.0.1");
            let client = t.client_address(peer, &[header.as_str()]);
            prop_assert!(client == peer || hops.iter().any(|h| IpAddr::V4(*h) == client));
            // Nothing right of the client is untrusted: that hop would have been the client.
            let from = hops.iter().rposition(|h| IpAddr::V4(*h) == client).map_or(hops.len(), |i| i + 1);
            prop_assert!(hops[from..].iter().all(|h| t.trusts(IpAddr::V4(*h))));
        }
    }
}
