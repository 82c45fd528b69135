//! What the targets of one account share across its Regions in a fleet run: the caller's
//! identity (`GetCallerIdentity`, once per account), and Route 53, which is global: one rate
//! limit for the account, its private zones listed the cheaper way, and each zone's records
//! read once for every target that needs them.
//!
//! The cheaper way: `ListHostedZonesByVPC` costs a call per VPC; `ListHostedZones` and a
//! `GetHostedZone` per private zone (whose `VPCs` are the associations) cost a call per page
//! and per zone, whatever the number of VPCs. The listing is taken when it costs fewer calls
//! than the VPCs of the run. It sees the zones of the account itself: a zone of another
//! account (or of an AWS service) associated with a VPC is listed only by
//! `ListHostedZonesByVPC`, which a run with as many private zones as VPCs, or one VPC, uses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OnceCell, Semaphore};
use tokio::task::JoinSet;

use super::limit::{RateLimit, paced};
use super::{Clients, error, route53, sts};
use crate::model::{FetchError, HostedZone, RecordSet};

/// A private zone of the account and the VPCs (Region, id) it is associated with.
#[derive(Debug, Clone)]
struct Zone {
    zone: HostedZone,
    vpcs: Vec<(String, String)>,
}

/// Each cached read's outcome, once.
type Once<T> = Arc<OnceCell<Result<T, FetchError>>>;

/// The records read, by zone and name.
type Records = Mutex<HashMap<(String, String), Once<Vec<RecordSet>>>>;

/// One account's shared reads and Route 53 limit (see the module).
#[derive(Debug)]
pub struct Account {
    /// The VPCs the run asks about, at most: the account's targets in every Region.
    vpcs: usize,
    /// Every Route 53 call of the account.
    route53: Arc<RateLimit>,
    caller: OnceCell<Result<String, FetchError>>,
    /// The account's private zones with their VPCs; `None` when listing them costs more than
    /// asking per VPC.
    zones: OnceCell<Result<Option<Vec<Zone>>, FetchError>>,
    records: Records,
}

impl Account {
    /// The shared reads of an account whose run has `targets` targets, its Route 53 calls
    /// under `route53`.
    pub fn new(targets: usize, route53: Arc<RateLimit>) -> Self {
        Self {
            vpcs: targets,
            route53,
            caller: OnceCell::new(),
            zones: OnceCell::new(),
            records: Mutex::new(HashMap::new()),
        }
    }

    /// The account's Route 53 limit.
    pub fn route53(&self) -> &Arc<RateLimit> {
        &self.route53
    }

    /// The caller's account, read once (through any Region's clients).
    pub(super) async fn caller(
        &self,
        clients: &Clients,
        (limit, sts_rate): (&Semaphore, Option<&RateLimit>),
    ) -> Result<String, FetchError> {
        let read = || paced(limit, sts_rate, sts::caller_account(&clients.sts));
        self.caller.get_or_init(read).await.clone()
    }

    /// The private zones associated with `vpc_id` in the clients' Region: from the account's
    /// listing when it is the cheaper, else `ListHostedZonesByVPC`.
    pub(super) async fn zones_of(
        &self,
        clients: &Clients,
        (limit, sts_rate): (&Arc<Semaphore>, Option<&RateLimit>),
        vpc_id: &str,
    ) -> Result<Vec<HostedZone>, FetchError> {
        let rate = Some(self.route53.as_ref());
        if self.vpcs > 1 {
            let listing = self
                .zones
                .get_or_init(|| self.list(clients, (limit, sts_rate)));
            match listing.await {
                Ok(Some(zones)) => {
                    let here = (clients.region.clone(), vpc_id.to_string());
                    return Ok(zones
                        .iter()
                        .filter(|z| z.vpcs.contains(&here))
                        .map(|z| z.zone.clone())
                        .collect());
                }
                Ok(None) => {}
                Err(error) => return Err(error.clone()),
            }
        }
        let read = route53::hosted_zones(&clients.route53, vpc_id, &clients.region);
        paced(limit, rate, read).await
    }

    /// `ListHostedZones`, then, when that and a `GetHostedZone` per private zone cost fewer
    /// calls than the VPCs, each zone's VPCs (all at once).
    async fn list(
        &self,
        clients: &Clients,
        (limit, sts_rate): (&Arc<Semaphore>, Option<&RateLimit>),
    ) -> Result<Option<Vec<Zone>>, FetchError> {
        let rate = Some(self.route53.as_ref());
        let (zones, pages) = paced(limit, rate, route53::private_zones(&clients.route53)).await?;
        if pages + zones.len() >= self.vpcs {
            return Ok(None);
        }
        // ListHostedZonesByVPC names each zone's owner; the account's own zones are the
        // caller's.
        let owner = self.caller(clients, (limit, sts_rate)).await.ok();
        let mut calls = JoinSet::new();
        for (id, name) in zones {
            let (client, limit, rate) =
                (clients.route53.clone(), limit.clone(), self.route53.clone());
            let owner = owner.clone();
            calls.spawn(async move {
                let vpcs = paced(&limit, Some(&rate), route53::zone_vpcs(&client, &id)).await?;
                let zone = HostedZone {
                    id,
                    name,
                    owner_account: owner,
                    owner_service: None,
                };
                Ok::<_, FetchError>(Zone { zone, vpcs })
            });
        }
        let mut listed = Vec::new();
        while let Some(joined) = calls.join_next().await {
            listed.push(joined.map_err(error::task_failed)??);
        }
        listed.sort_by(|a, b| a.zone.id.cmp(&b.zone.id));
        Ok(Some(listed))
    }

    /// The records named `name` in zone `zone_id` (see [`route53::records_named`]), read once
    /// for every target of the account that asks.
    pub(super) async fn records(
        &self,
        clients: &Clients,
        limit: &Semaphore,
        (zone_id, name): (&str, &str),
    ) -> Result<Vec<RecordSet>, FetchError> {
        let cell = {
            let mut records = self.records.lock().expect("the lock is never poisoned");
            let key = (zone_id.to_string(), name.to_string());
            records.entry(key).or_default().clone()
        };
        let rate = Some(self.route53.as_ref());
        let read = || {
            paced(
                limit,
                rate,
                route53::records_named(&clients.route53, zone_id, name),
            )
        };
        cell.get_or_init(read).await.clone()
    }
}
