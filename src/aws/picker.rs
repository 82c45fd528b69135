//! The start screen's lists, read concurrently: the Region's MWAA environments (names from
//! `ListEnvironments`, each one's status from `GetEnvironment`) and its VPCs (`DescribeVpcs`,
//! with the endpoint count of each from one `DescribeVpcEndpoints` over the Region).

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Clients, discover, ec2, mwaa};
use crate::model::{Choices, EnvironmentChoice, VpcChoice};

/// How many `GetEnvironment` calls run at once.
const STATUS_CALLS: usize = 8;

/// The environments with their status; an environment whose status cannot be read is still
/// listed, without one.
async fn environments(clients: &Clients) -> Result<Vec<EnvironmentChoice>, String> {
    let names = discover::environments(clients)
        .await
        .map_err(|e| format!("airflow:ListEnvironments: {e}"))?;
    let bound = Arc::new(Semaphore::new(STATUS_CALLS));
    let mut tasks = JoinSet::new();
    for (order, name) in names.into_iter().enumerate() {
        let (client, bound) = (clients.mwaa.clone(), bound.clone());
        tasks.spawn(async move {
            let env = {
                let _permit = bound.acquire().await;
                mwaa::environment(&client, &name).await.ok()
            };
            let choice = EnvironmentChoice {
                status: env.as_ref().and_then(|e| e.status.clone()),
                airflow_version: env.and_then(|e| e.airflow_version),
                name,
            };
            (order, choice)
        });
    }
    let mut choices: Vec<(usize, EnvironmentChoice)> = tasks.join_all().await;
    choices.sort_by_key(|(order, _)| *order);
    Ok(choices.into_iter().map(|(_, c)| c).collect())
}

/// The VPCs, named ones first, each with its endpoint count, and why the counts are
/// missing when they are.
async fn vpcs(clients: &Clients) -> (Result<Vec<VpcChoice>, String>, Option<String>) {
    let (vpcs, endpoints) = tokio::join!(
        ec2::all_vpcs(&clients.ec2),
        ec2::all_endpoints(&clients.ec2)
    );
    let vpcs = match vpcs {
        Ok(vpcs) => vpcs,
        Err(e) => return (Err(format!("ec2:DescribeVpcs: {e}")), None),
    };
    // Without the endpoints the VPCs are still worth listing, their counts unknown.
    let (counts, counts_error) = match endpoints {
        Ok(endpoints) => {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for endpoint in endpoints {
                *counts.entry(endpoint.vpc_id).or_default() += 1;
            }
            (Some(counts), None)
        }
        Err(e) => (None, Some(format!("ec2:DescribeVpcEndpoints: {e}"))),
    };
    let mut choices: Vec<VpcChoice> = vpcs
        .into_iter()
        .map(|vpc| VpcChoice {
            endpoints: counts
                .as_ref()
                .map(|c| c.get(&vpc.id).copied().unwrap_or_default()),
            name: vpc.tags.get("Name").cloned(),
            cidr: vpc.cidr_blocks.first().cloned(),
            is_default: vpc.is_default,
            id: vpc.id,
        })
        .collect();
    choices.sort_by(|a, b| {
        (a.name.is_none(), &a.name, &a.id).cmp(&(b.name.is_none(), &b.name, &b.id))
    });
    (Ok(choices), counts_error)
}

/// Both lists at once.
pub async fn choices(clients: &Clients) -> Choices {
    let (environments, (vpcs, counts_error)) = tokio::join!(environments(clients), vpcs(clients));
    Choices {
        region: clients.region.clone(),
        environments_error: environments.as_ref().err().cloned(),
        vpcs_error: vpcs.as_ref().err().cloned(),
        counts_error,
        environments: environments.unwrap_or_default(),
        vpcs: vpcs.unwrap_or_default(),
    }
}
