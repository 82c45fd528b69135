//! Longest prefix match, as VPC and transit gateway route tables choose a route for an
//! address: the most specific destination that holds it wins.

use crate::checks::net::{IpNet, net};
use crate::model::{PrefixList, Route, RouteTable, TgwRoute, TgwRouteTable};

/// The route a table chooses for an address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Chosen<'a, R> {
    /// This route, the most specific that holds the address.
    Route(&'a R),
    /// No route holds the address.
    None,
    /// No known route holds it, but a route to a prefix list whose ranges linkscope has
    /// not read might (its id).
    Unsure(&'a str),
}

/// The destinations of a VPC route: its CIDR, or its prefix list's ranges when known.
fn vpc_destinations(route: &Route, lists: &[PrefixList]) -> Result<Vec<IpNet>, ()> {
    if let Some(cidr) = route
        .destination_cidr
        .as_deref()
        .or(route.destination_ipv6_cidr.as_deref())
    {
        return Ok(net(cidr).into_iter().collect());
    }
    match route.destination_prefix_list_id.as_deref() {
        Some(id) => lists
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.cidrs.iter().filter_map(|c| net(c)).collect())
            .ok_or(()),
        None => Ok(Vec::new()),
    }
}

/// The most specific of `candidates` (route, its destinations) that holds `address`.
fn longest<'a, R>(
    address: IpNet,
    candidates: impl Iterator<Item = (&'a R, Result<Vec<IpNet>, &'a str>)>,
) -> Chosen<'a, R> {
    let mut best: Option<(&R, u8)> = None;
    let mut unsure = None;
    for (route, destinations) in candidates {
        match destinations {
            Ok(nets) => {
                for destination in nets.iter().filter(|d| d.contains(&address)) {
                    if best.is_none_or(|(_, len)| destination.prefix_len() > len) {
                        best = Some((route, destination.prefix_len()));
                    }
                }
            }
            Err(list) => unsure = unsure.or(Some(list)),
        }
    }
    match (best, unsure) {
        (Some((route, _)), _) => Chosen::Route(route),
        (None, Some(list)) => Chosen::Unsure(list),
        (None, None) => Chosen::None,
    }
}

/// The route `table` chooses for `address`, with AWS-managed prefix lists resolved.
pub fn vpc_route<'a>(
    table: &'a RouteTable,
    address: IpNet,
    lists: &[PrefixList],
) -> Chosen<'a, Route> {
    longest(
        address,
        table.routes.iter().map(|r| {
            let destinations = vpc_destinations(r, lists)
                .map_err(|()| r.destination_prefix_list_id.as_deref().unwrap_or_default());
            (r, destinations)
        }),
    )
}

/// The route a transit gateway route table chooses for `address`.
pub fn tgw_route(table: &TgwRouteTable, address: IpNet) -> Chosen<'_, TgwRoute> {
    longest(
        address,
        table.routes.iter().map(|r| {
            let destinations = match (&r.destination_cidr, &r.prefix_list_id) {
                (Some(cidr), _) => Ok(net(cidr).into_iter().collect()),
                (None, Some(list)) => Err(list.as_str()),
                (None, None) => Ok(Vec::new()),
            };
            (r, destinations)
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RouteState, TgwRouteAttachment};

    fn route(destination: &str, target: &str) -> Route {
        let (cidr, list) = match destination.starts_with("pl-") {
            true => (None, Some(destination.to_string())),
            false => (Some(destination.to_string()), None),
        };
        Route {
            destination_cidr: cidr,
            destination_ipv6_cidr: None,
            destination_prefix_list_id: list,
            target: Some(target.into()),
            state: Some(RouteState::Active),
            origin: None,
        }
    }

    fn table(routes: Vec<Route>) -> RouteTable {
        RouteTable {
            id: "rtb-1".into(),
            vpc_id: "vpc-1".into(),
            routes,
            associations: vec![],
            tags: Default::default(),
        }
    }

    fn target(chosen: Chosen<'_, Route>) -> Option<&str> {
        match chosen {
            Chosen::Route(r) => r.target.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn the_most_specific_route_wins_whatever_the_order() {
        let t = table(vec![
            route("0.0.0.0/0", "nat-1"),
            route("10.50.1.0/24", "pcx-narrow"),
            route("10.50.0.0/16", "pcx-wide"),
            route("10.60.0.0/16", "local"),
        ]);
        let ip = |a: &str| net(a).unwrap();
        assert_eq!(
            target(vpc_route(&t, ip("10.50.1.7"), &[])),
            Some("pcx-narrow")
        );
        assert_eq!(
            target(vpc_route(&t, ip("10.50.2.7"), &[])),
            Some("pcx-wide")
        );
        assert_eq!(target(vpc_route(&t, ip("10.60.2.7"), &[])), Some("local"));
        assert_eq!(target(vpc_route(&t, ip("192.0.2.1"), &[])), Some("nat-1"));
        let local_only = table(vec![route("10.60.0.0/16", "local")]);
        assert_eq!(vpc_route(&local_only, ip("10.50.1.7"), &[]), Chosen::None);
    }

    #[test]
    fn prefix_lists_count_when_their_ranges_are_known() {
        let t = table(vec![route("pl-s3", "vpce-1"), route("10.0.0.0/8", "tgw-1")]);
        let s3 = PrefixList {
            id: "pl-s3".into(),
            name: "com.amazonaws.us-east-1.s3".into(),
            cidrs: vec!["52.216.0.0/15".into()],
        };
        let ip = net("52.216.4.4").unwrap();
        assert_eq!(
            target(vpc_route(&t, ip, std::slice::from_ref(&s3))),
            Some("vpce-1")
        );
        assert_eq!(vpc_route(&t, ip, &[]), Chosen::Unsure("pl-s3"));
        assert_eq!(
            target(vpc_route(&t, net("10.1.1.1").unwrap(), &[])),
            Some("tgw-1"),
            "a known match wins over an unknown list"
        );
    }

    #[test]
    fn transit_gateway_tables_choose_the_same_way() {
        let r = |cidr: &str, attachment: &str| TgwRoute {
            destination_cidr: Some(cidr.into()),
            prefix_list_id: None,
            state: RouteState::Active,
            route_type: Some("static".into()),
            attachments: vec![TgwRouteAttachment {
                attachment_id: Some(attachment.into()),
                resource_id: None,
                resource_type: Some("vpc".into()),
            }],
        };
        let t = TgwRouteTable {
            id: "tgw-rtb-1".into(),
            transit_gateway_id: "tgw-1".into(),
            routes: vec![r("10.0.0.0/8", "wide"), r("10.50.0.0/16", "hub")],
            more: false,
            error: None,
        };
        let chosen = |a: &str| match tgw_route(&t, net(a).unwrap()) {
            Chosen::Route(r) => r.attachments[0].attachment_id.clone(),
            _ => None,
        };
        assert_eq!(chosen("10.50.3.3").as_deref(), Some("hub"));
        assert_eq!(chosen("10.9.3.3").as_deref(), Some("wide"));
        assert_eq!(chosen("192.0.2.1"), None);
    }
}
