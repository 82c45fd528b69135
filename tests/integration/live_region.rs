//! A Region's targets collected together (a fleet's batched reads) against each collected
//! alone, through the proxy in front of moto: the same findings for every target, the same
//! failures, and the Region-wide answers read once.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::json;

use linkscope::aws::rates::Service;
use linkscope::aws::{
    Account, Clients, ConnectOptions, Pace, Rates, Target, collect, collect_region,
};
use linkscope::checks::{Status, audit};
use linkscope::failure::Failure;
use linkscope::model::Snapshot;

use crate::fleet::environment;
use crate::moto::{self, REGION};
use crate::proxy::{Config, Proxy};

/// What the comparison holds of a finding: its id, subject, status and resources.
type Key = (String, String, Status, Vec<String>);

fn findings(snapshot: &Snapshot) -> Vec<Key> {
    audit(snapshot)
        .findings
        .iter()
        .map(|f| {
            let key = (f.id.clone(), f.subject.id.clone(), f.status);
            (key.0, key.1, key.2, f.resources.clone())
        })
        .collect()
}

/// Both snapshots with only the endpoints elsewhere that both read. The other live tests share
/// moto's account and create or delete endpoints in their own VPCs between the two reads;
/// never in this test's VPCs (`own`), which must read alike.
fn same_elsewhere(together: &Snapshot, alone: &Snapshot, own: &[&str]) -> (Snapshot, Snapshot) {
    let ids = |s: &Snapshot| -> BTreeSet<String> {
        s.endpoints_elsewhere.iter().map(|e| e.id.clone()).collect()
    };
    let both: BTreeSet<String> = ids(together).intersection(&ids(alone)).cloned().collect();
    let trim = |s: &Snapshot| {
        for e in s
            .endpoints_elsewhere
            .iter()
            .filter(|e| !both.contains(&e.id))
        {
            assert!(
                !own.contains(&e.vpc_id.as_str()),
                "{} of this test's {} read once only",
                e.id,
                e.vpc_id
            );
        }
        let mut s = s.clone();
        s.endpoints_elsewhere.retain(|e| both.contains(&e.id));
        s
    };
    (trim(together), trim(alone))
}

async fn through(proxy: &Proxy) -> Clients {
    let options = ConnectOptions {
        region: Some(REGION.into()),
        endpoint_url: Some(proxy.url.clone()),
        ..ConnectOptions::default()
    };
    Clients::connect(&options).await.unwrap()
}

/// Every target's outcome when `targets` are collected together, the account's Route 53
/// zones listed as if the run had `vpcs` VPCs (1: per VPC; many: the account's listing).
async fn together(
    clients: &Clients,
    targets: &[Target],
    vpcs: usize,
) -> HashMap<usize, Result<Snapshot, Failure>> {
    let rates = Rates::default();
    let route53 = rates.get(Service::Route53).limit();
    let account = Arc::new(Account::new(vpcs, route53.clone()));
    let pace = Pace::of_region(&rates, route53);
    let mut outcomes = HashMap::new();
    collect_region(clients, &pace, &account, targets.to_vec(), |i, outcome| {
        assert!(outcomes.insert(i, outcome).is_none(), "target {i} twice");
    })
    .await;
    assert_eq!(outcomes.len(), targets.len(), "every target is handed over");
    outcomes
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_a_regions_targets_collected_together_have_the_findings_of_each_alone() {
    let seeding = moto::clients().await;
    let healthy = moto::seed_mwaa_vpc(&seeding, "10.91").await;
    let mut broken = moto::seed_mwaa_vpc(&seeding, "10.92").await;
    moto::break_mwaa_vpc(&seeding, &mut broken).await;
    let mut named = moto::seed_mwaa_vpc(&seeding, "10.93").await;
    moto::seed_dns(&seeding, &mut named).await;
    let bare = moto::seed_mwaa_vpc(&seeding, "10.94").await;
    let config = Config {
        canned: HashMap::from([
            (
                "GetEnvironment /environments/region-healthy".to_string(),
                environment("region-healthy", &healthy),
            ),
            (
                "GetEnvironment /environments/region-broken".to_string(),
                environment("region-broken", &broken),
            ),
            (
                "GetEnvironment /environments/region-dns".to_string(),
                environment("region-dns", &named),
            ),
            (
                "GetEnvironment /environments/region-gone".to_string(),
                json!({"message": "no such environment"}).to_string(),
            ),
        ]),
        ..Config::default()
    };
    let own = [
        healthy.vpc_id.as_str(),
        broken.vpc_id.as_str(),
        named.vpc_id.as_str(),
        bare.vpc_id.as_str(),
    ];
    let proxy = Proxy::start(&moto::url(), config).await;
    let clients = through(&proxy).await;
    let env = |name: &str| Target {
        mwaa_env: Some(name.into()),
        ..Target::default()
    };
    let targets = vec![
        env("region-healthy"),
        env("region-broken"),
        env("region-dns"),
        Target {
            vpc_id: Some(bare.vpc_id.clone()),
            ..Target::default()
        },
        // The healthy environment's VPC again, named by one of its subnets.
        Target {
            subnet_ids: vec![healthy.subnets[0].clone()],
            ..Target::default()
        },
        // A subnet that does not exist, and an environment whose reply names nothing.
        Target {
            subnet_ids: vec!["subnet-0000000000000dead".into()],
            ..Target::default()
        },
        env("region-gone"),
    ];

    // Together, the account's zones listed per VPC, then from the account's listing.
    let before = proxy.actions().len();
    let by_vpc = together(&clients, &targets, 1).await;
    let batched: Vec<String> = proxy.actions()[before..].to_vec();
    let before = proxy.actions().len();
    let by_listing = together(&clients, &targets, 1_000).await;
    let listed: Vec<String> = proxy.actions()[before..].to_vec();
    assert!(count(&listed, "route53:ListHostedZones") == 1, "{listed:?}");
    assert_eq!(count(&listed, "route53:ListHostedZonesByVPC"), 0);
    assert_eq!(count(&batched, "route53:ListHostedZones"), 0);
    assert_eq!(
        count(&batched, "route53:ListHostedZonesByVPC"),
        4,
        "once per VPC: {batched:?}"
    );

    // Alone, each target as `linkscope audit` collects it.
    let mut alone_ec2 = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let before = proxy.actions().len();
        let alone = collect(&clients, target).await;
        let actions = &proxy.actions()[before..];
        alone_ec2.push(actions.iter().filter(|a| a.starts_with("ec2:")).count());
        for (path, outcomes) in [("per VPC", &by_vpc), ("listed", &by_listing)] {
            match (&outcomes[&i], &alone) {
                (Ok(together), Ok(alone)) => {
                    assert_eq!(together.vpc.id, alone.vpc.id);
                    let (together, alone) = &same_elsewhere(together, alone, &own);
                    assert_eq!(
                        findings(together),
                        findings(alone),
                        "target {i} ({path}): {target:?}"
                    );
                    let failed =
                        |s: &Snapshot| s.failed_sources().map(|(s, _)| s).collect::<Vec<_>>();
                    assert_eq!(failed(together), failed(alone), "target {i} ({path})");
                }
                (Err(together), Err(alone)) => {
                    assert_eq!(
                        together.exit_code(),
                        alone.exit_code(),
                        "{together} / {alone}"
                    );
                }
                (together, alone) => panic!(
                    "target {i} ({path}): together {:?}, alone {:?}",
                    together.as_ref().map(|s| &s.vpc.id),
                    alone.as_ref().map(|s| &s.vpc.id)
                ),
            }
        }
    }
    assert!(by_vpc[&0].is_ok() && by_vpc[&3].is_ok() && by_vpc[&4].is_ok());
    assert!(by_vpc[&5].is_err() && by_vpc[&6].is_err());

    // The Region-wide answers once; the first wave's describes once for all four VPCs.
    for once in [
        "ec2:DescribePrefixLists",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeVpcEndpointServices",
        "ec2:DescribeVpcs",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeNetworkInterfaces",
        "route53resolver:ListResolverRules",
        "route53resolver:ListResolverRuleAssociations",
        "sts:GetCallerIdentity",
    ] {
        assert_eq!(count(&batched, once), 1, "{once}: {batched:?}");
    }
    // The subnets of the workloads (to find their VPCs), then the VPCs'.
    assert_eq!(count(&batched, "ec2:DescribeSubnets"), 2, "{batched:?}");
    // Both DNS attributes of each VPC: the one read per VPC.
    assert_eq!(count(&batched, "ec2:DescribeVpcAttribute"), 8);
    let ec2 = batched.iter().filter(|a| a.starts_with("ec2:")).count();
    let alone: usize = alone_ec2.iter().sum();
    assert!(
        ec2 * 3 < alone,
        "{ec2} EC2 calls together, {alone} alone ({alone_ec2:?}): {batched:?}"
    );
}
