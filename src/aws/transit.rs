//! Collecting what the way to centralised endpoints crosses, in the waves where the ids are
//! known: the peering connections and transit gateways the VPC's routes name go in the
//! second wave ([`links`]); the hub VPCs' network and the transit gateway route searches go
//! in one wave after the hub endpoints are found ([`hub_network`]). A VPC whose routes name
//! neither and whose names no hub answers pays nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::ec2_transit as read;
use super::limit::paced;
use super::pace::{Pace, record};
use super::{Clients, error};
use crate::model::{
    FetchError, FetchStatus, PeeringConnection, RouteTable, Source, TargetKind, TgwAttachment,
    TgwRouteTable, Transit, TransitGateway, VpcEndpoint,
};

/// What the second wave reads of the VPC's links: the peering connections and the transit
/// gateways (with their attachments) that its routes name.
pub(super) struct Links {
    pub peerings: Result<Vec<PeeringConnection>, FetchError>,
    pub gateways: Result<(Vec<TransitGateway>, Vec<TgwAttachment>), FetchError>,
}

/// The distinct targets of one kind among the routes of `tables`.
pub(super) fn targets(tables: &[RouteTable], kind: TargetKind) -> Vec<String> {
    let mut ids: Vec<String> = tables
        .iter()
        .flat_map(|t| &t.routes)
        .filter(|r| r.target_kind() == kind)
        .filter_map(|r| r.target.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The second wave's reads: nothing when no route names a peering connection or a transit
/// gateway.
pub(super) async fn links(
    clients: &Clients,
    limit: &Semaphore,
    pace: &Pace,
    tables: &[RouteTable],
) -> Links {
    let rate = pace.ec2.as_deref();
    let ec2 = &clients.ec2;
    let peering_ids = targets(tables, TargetKind::Peering);
    let tgw_ids = targets(tables, TargetKind::TransitGateway);
    let peerings = async {
        match peering_ids.is_empty() {
            true => Ok(Vec::new()),
            false => paced(limit, rate, read::peerings_by_id(ec2, &peering_ids)).await,
        }
    };
    let gateways = async {
        if tgw_ids.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let (gateways, attachments) = tokio::join!(
            paced(limit, rate, read::transit_gateways(ec2, &tgw_ids)),
            paced(limit, rate, read::attachments(ec2, &tgw_ids)),
        );
        Ok((gateways?, attachments?))
    };
    let (peerings, gateways) = tokio::join!(peerings, gateways);
    Links { peerings, gateways }
}

/// The transit facts of the second wave, with their sources recorded.
pub(super) fn record_links(links: Links, sources: &mut BTreeMap<Source, FetchStatus>) -> Transit {
    let (transit_gateways, attachments) = record(sources, Source::TransitGateways, links.gateways);
    Transit {
        peerings: record(sources, Source::Peerings, links.peerings),
        transit_gateways,
        attachments,
        ..Transit::default()
    }
}

/// The wave after the hub endpoints: the hub VPCs, their subnets, route tables and network
/// ACLs, the hub endpoints' groups and interfaces, the peering connections joining this VPC
/// to a hub that no route named, and the routes of the transit gateway route tables of this
/// VPC's and the hubs' attachments. Nothing when no hub endpoint was found.
pub(super) async fn hub_network(
    clients: &Clients,
    (limit, pace): (&Arc<Semaphore>, &Pace),
    vpc_id: &str,
    hubs: &[VpcEndpoint],
    transit: &mut Transit,
    sources: &mut BTreeMap<Source, FetchStatus>,
) {
    let mut vpcs = distinct(hubs.iter().map(|e| &e.vpc_id));
    vpcs.retain(|v| v != vpc_id);
    if vpcs.is_empty() {
        return;
    }
    let ec2 = &clients.ec2;
    let rate = pace.ec2.as_deref();
    let groups = distinct(hubs.iter().flat_map(|e| &e.security_group_ids));
    let enis = distinct(hubs.iter().flat_map(|e| &e.network_interface_ids));
    let unjoined = vpcs
        .iter()
        .any(|hub| !transit.peerings.iter().any(|p| p.joins(vpc_id, hub)));
    let mut between: Vec<String> = vec![vpc_id.to_string()];
    between.extend(vpcs.iter().cloned());
    let tables = attached_route_tables(transit, vpc_id, &vpcs);
    let peerings = async {
        match unjoined {
            true => paced(limit, rate, read::peerings_between(ec2, &between)).await,
            false => Ok(Vec::new()),
        }
    };
    let (hub_vpcs, subnets, route_tables, acls, hub_groups, hub_enis, peerings, searched) = tokio::join!(
        paced(limit, rate, read::vpcs(ec2, &vpcs)),
        paced(limit, rate, read::subnets(ec2, &vpcs)),
        paced(limit, rate, read::route_tables(ec2, &vpcs)),
        paced(limit, rate, read::network_acls(ec2, &vpcs)),
        async {
            match groups.is_empty() {
                true => Ok(Vec::new()),
                false => paced(limit, rate, read::security_groups(ec2, &groups)).await,
            }
        },
        async {
            match enis.is_empty() {
                true => Ok(Vec::new()),
                false => paced(limit, rate, read::enis(ec2, &enis)).await,
            }
        },
        peerings,
        route_searches(clients, (limit, pace), tables),
    );
    transit.hub_vpcs = record(sources, Source::HubVpcs, hub_vpcs);
    transit.hub_subnets = record(sources, Source::HubSubnets, subnets);
    transit.hub_route_tables = record(sources, Source::HubRouteTables, route_tables);
    transit.hub_network_acls = record(sources, Source::HubNetworkAcls, acls);
    transit.hub_security_groups = record(sources, Source::HubSecurityGroups, hub_groups);
    transit.hub_enis = record(sources, Source::HubNetworkInterfaces, hub_enis);
    for peering in record(sources, Source::Peerings, peerings) {
        if !transit.peerings.iter().any(|p| p.id == peering.id) {
            transit.peerings.push(peering);
        }
    }
    record_searches(searched, transit, sources);
}

/// The ids, sorted, each once.
fn distinct<'a>(ids: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut ids: Vec<String> = ids.cloned().collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The transit gateway route tables (with their gateway) of the attachments of this VPC and
/// of the hub VPCs, each once.
fn attached_route_tables(
    transit: &Transit,
    vpc_id: &str,
    hubs: &[String],
) -> Vec<(String, String)> {
    let mut tables: Vec<(String, String)> = transit
        .attachments
        .iter()
        .filter(|a| a.attaches(vpc_id) || hubs.iter().any(|h| a.attaches(h)))
        .filter_map(|a| Some((a.transit_gateway_id.clone(), a.route_table_id.clone()?)))
        .collect();
    tables.sort();
    tables.dedup();
    tables
}

/// The route search of each transit gateway route table, all at once under the limits.
async fn route_searches(
    clients: &Clients,
    (limit, pace): (&Arc<Semaphore>, &Pace),
    tables: Vec<(String, String)>,
) -> Vec<Result<TgwRouteTable, FetchError>> {
    let mut calls = JoinSet::new();
    for (tgw, table) in tables {
        let (client, limit, rate) = (clients.ec2.clone(), limit.clone(), pace.ec2.clone());
        calls.spawn(async move {
            paced(
                &limit,
                rate.as_deref(),
                read::tgw_routes(&client, &tgw, &table),
            )
            .await
        });
    }
    let mut searched = Vec::new();
    while let Some(joined) = calls.join_next().await {
        searched.push(joined.map_err(error::task_failed));
    }
    searched
}

/// The searched route tables in id order, the first error of any recorded as the source's.
fn record_searches(
    searched: Vec<Result<TgwRouteTable, FetchError>>,
    transit: &mut Transit,
    sources: &mut BTreeMap<Source, FetchStatus>,
) {
    let mut tables = Vec::new();
    let mut failed = None;
    for search in searched {
        match search {
            Ok(table) => {
                failed = failed.or_else(|| table.error.clone());
                tables.push(table);
            }
            Err(error) => failed = failed.or(Some(error)),
        }
    }
    tables.sort_by(|a, b| a.id.cmp(&b.id));
    record(
        sources,
        Source::TransitGatewayRoutes,
        failed.map_or(Ok(()), Err),
    );
    transit.tgw_route_tables = tables;
}
