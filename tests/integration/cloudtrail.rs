//! CloudTrail `LookupEvents` through the real SDK client against `aws-smithy-mocks` (moto
//! does not serve it): pagination and its bound, the filter, newest-first order, pacing,
//! throttling retried and throttling that persists, access denied, progress per page.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_sdk_cloudtrail::config::retry::RetryConfig;
use aws_sdk_cloudtrail::error::ErrorMetadata;
use aws_sdk_cloudtrail::operation::lookup_events::{
    LookupEventsError, LookupEventsInput, LookupEventsOutput,
};
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{Event, LookupAttributeKey};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use linkscope::aws::{ChangeLimits, lookup_changes};
use linkscope::cli::DemoScenario;
use linkscope::input::demo;
use linkscope::model::{Changes, ids_in_scope};
use serde_json::{Value, json};

const VPC: &str = "vpc-0a1b2c3d4e5f60718";
const SG: &str = "sg-0d6e5f4a3b2c1d0e9";
const RTB: &str = "rtb-0123456789abcdef0";
const ENV: &str = "airflow-prod";
/// 2026-11-25T07:00:00Z, the end of the window.
const UNTIL: i64 = 1_795_590_000;

/// The IAM actions these tests exercise and no live test can (moto does not serve
/// `LookupEvents`): the README policy test counts them as called.
pub const MOCKED_ONLY_CALLS: &[&str] = &["cloudtrail:LookupEvents"];

/// `cloudtrail:LookupEvents` from the SDK input type a rule answered
/// (`aws_sdk_cloudtrail::…::LookupEventsInput`).
fn action_of<I>() -> String {
    let path = std::any::type_name::<I>();
    let service = path
        .split("::")
        .next()
        .unwrap()
        .trim_start_matches("aws_sdk_");
    let operation = path.rsplit("::").next().unwrap().trim_end_matches("Input");
    format!("{service}:{operation}")
}

fn scope() -> BTreeSet<String> {
    [VPC, SG, RTB, ENV].into_iter().map(String::from).collect()
}

fn window() -> (SystemTime, SystemTime) {
    let until = SystemTime::UNIX_EPOCH + Duration::from_secs(UNTIL as u64);
    (until - Duration::from_secs(24 * 3600), until)
}

/// Every test but the pacing one: no waiting between pages.
fn unpaced(max_pages: u32) -> ChangeLimits {
    ChangeLimits {
        max_pages,
        per_second: f64::INFINITY,
    }
}

/// A write event `minutes_ago` before the window's end, as LookupEvents returns it.
fn event(id: &str, name: &str, minutes_ago: i64, request: Value) -> Event {
    let source = match name {
        "UpdateEnvironment" => "airflow.amazonaws.com",
        _ => "ec2.amazonaws.com",
    };
    let mut record = json!({
        "eventID": id,
        "eventName": name,
        "eventSource": source,
        "userIdentity": {"type": "IAMUser", "userName": "alice",
                         "arn": "arn:aws:iam::111122223333:user/alice"},
        "requestParameters": request,
    });
    if id.starts_with("failed") {
        record["errorCode"] = json!("Client.InvalidPermission.NotFound");
    }
    Event::builder()
        .event_id(id)
        .event_name(name)
        .event_source(source)
        .read_only("false")
        .event_time(DateTime::from_secs(UNTIL - minutes_ago * 60))
        .cloud_trail_event(record.to_string())
        .build()
}

/// Three pages, newest first as CloudTrail answers, with events to keep and to drop. The
/// third page holds one event newer than the last of the second (a write that landed while
/// the pages were read), to show the result is ordered whatever the pages' order.
fn pages() -> Vec<Vec<Event>> {
    vec![
        vec![
            event(
                "revoke",
                "RevokeSecurityGroupIngress",
                10,
                json!({"groupId": SG, "ipPermissions": {"items": [{"ipProtocol": "tcp",
                    "fromPort": 443, "toPort": 443, "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]}}]}}),
            ),
            event(
                "tags",
                "CreateTags",
                20,
                json!({"resourcesSet": {"items": [{"resourceId": SG}]}}),
            ),
            event(
                "elsewhere",
                "AuthorizeSecurityGroupIngress",
                30,
                json!({"groupId": "sg-elsewhere"}),
            ),
        ],
        vec![
            event(
                "route",
                "CreateRoute",
                40,
                json!({"routeTableId": RTB, "destinationCidrBlock": "0.0.0.0/0",
                       "natGatewayId": "nat-0123456789abcdef0"}),
            ),
            event(
                "failed-revoke",
                "RevokeSecurityGroupEgress",
                50,
                json!({"groupId": SG}),
            ),
            event(
                "dns",
                "ModifyVpcAttribute",
                60,
                json!({"vpcId": VPC, "enableDnsHostnames": {"value": false}}),
            ),
        ],
        vec![
            event(
                "late",
                "DeleteRoute",
                45,
                json!({"routeTableId": RTB, "destinationCidrBlock": "10.9.0.0/16"}),
            ),
            event(
                "env",
                "UpdateEnvironment",
                70,
                json!({"name": ENV, "webserverAccessMode": "PRIVATE_ONLY"}),
            ),
        ],
    ]
}

/// The page a request's token asks for (`p1`, `p2`, …; none is the first).
fn index(input: &LookupEventsInput) -> usize {
    input
        .next_token()
        .and_then(|t| t.strip_prefix('p'))
        .map_or(0, |n| n.parse().unwrap())
}

fn page_output(pages: &[Vec<Event>], index: usize) -> LookupEventsOutput {
    LookupEventsOutput::builder()
        .set_events(Some(pages[index].clone()))
        .set_next_token((index + 1 < pages.len()).then(|| format!("p{}", index + 1)))
        .build()
}

/// LookupEvents serving [`pages`], recording every request it answers.
fn serving(requests: Arc<Mutex<Vec<LookupEventsInput>>>) -> Rule {
    let pages = pages();
    mock!(aws_sdk_cloudtrail::Client::lookup_events).then_compute_output(move |input| {
        requests.lock().unwrap().push(input.clone());
        page_output(&pages, index(input))
    })
}

fn throttled() -> LookupEventsError {
    LookupEventsError::generic(
        ErrorMetadata::builder()
            .code("ThrottlingException")
            .message("Rate exceeded")
            .build(),
    )
}

/// A client with the SDK's standard retry (three attempts) and millisecond backoff.
fn client(rules: &[&Rule]) -> aws_sdk_cloudtrail::Client {
    mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, rules, |config| {
        config.retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
    })
}

/// Reads changes, returning them and what `on_page` saw: `(pages, events)` per call.
async fn read(
    client: &aws_sdk_cloudtrail::Client,
    limits: ChangeLimits,
) -> (Changes, Vec<(u32, usize)>) {
    let (since, until) = window();
    let mut seen = Vec::new();
    let mut on_page = |changes: &Changes| seen.push((changes.pages, changes.events.len()));
    let scope = scope();
    let future = lookup_changes(client, &scope, since, until, &limits, &mut on_page);
    fn sendable<T: Send>(future: T) -> T {
        future
    }
    // The dashboard's worker runs it on another task.
    let changes = sendable(future).await;
    (changes, seen)
}

fn ids(changes: &Changes) -> Vec<&str> {
    changes.events.iter().map(|e| e.event_id.as_str()).collect()
}

#[tokio::test]
async fn every_page_is_read_filtered_and_ordered_newest_first() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let rule = serving(requests.clone());
    let (changes, seen) = read(&client(&[&rule]), unpaced(20)).await;

    assert_eq!(changes.error, None);
    assert_eq!((changes.pages, changes.more), (3, false));
    // Dropped: a name that changes nothing checked, an id out of scope, a failed call.
    assert_eq!(ids(&changes), ["revoke", "route", "late", "dns", "env"]);
    assert_eq!(seen, [(1, 1), (2, 3), (3, 5)], "on_page after every page");
    assert_eq!(changes.since, "2026-11-24T07:00:00Z");
    assert_eq!(changes.until, "2026-11-25T07:00:00Z");
    let revoke = &changes.events[0];
    assert_eq!(revoke.time, "2026-11-25T06:50:00Z");
    assert_eq!(revoke.actor.as_deref(), Some("user/alice"));
    assert_eq!(revoke.resources, [SG]);
    assert_eq!(revoke.summary, "revoked tcp/443 from 10.0.0.0/16");
    assert_eq!(
        changes.events[1].summary,
        "route 0.0.0.0/0 → nat-0123456789abcdef0"
    );

    // The calls these tests stand for in the README policy test are the ones made here.
    assert_eq!(MOCKED_ONLY_CALLS, [action_of::<LookupEventsInput>()]);

    // Each request: write events only, the whole window, 50 a page, the previous token.
    let requests = requests.lock().unwrap();
    let tokens: Vec<Option<&str>> = requests.iter().map(|r| r.next_token()).collect();
    assert_eq!(tokens, [None, Some("p1"), Some("p2")]);
    for request in requests.iter() {
        let attributes = request.lookup_attributes();
        assert_eq!(attributes.len(), 1, "the API takes one attribute");
        assert_eq!(attributes[0].attribute_key(), &LookupAttributeKey::ReadOnly);
        assert_eq!(attributes[0].attribute_value(), "false");
        assert_eq!(request.max_results(), Some(50));
        assert_eq!(
            request.start_time().map(|t| t.secs()),
            Some(UNTIL - 24 * 3600)
        );
        assert_eq!(request.end_time().map(|t| t.secs()), Some(UNTIL));
    }
}

#[tokio::test]
async fn the_page_bound_stops_the_read_and_says_more_was_left() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let rule = serving(requests.clone());
    let client = client(&[&rule]);

    let (bounded, seen) = read(&client, unpaced(2)).await;
    assert_eq!((bounded.pages, bounded.more), (2, true));
    assert_eq!(bounded.error, None);
    assert_eq!(ids(&bounded), ["revoke", "route", "dns"]);
    assert_eq!(seen.len(), 2);
    assert_eq!(rule.num_calls(), 2, "no request past the bound");

    // A bound the window fits in leaves nothing: no `more`.
    let (exact, _) = read(&client, unpaced(3)).await;
    assert_eq!((exact.pages, exact.more), (3, false));
    // A bound of zero reads nothing and cannot say the window is empty.
    let (none, seen) = read(&client, unpaced(0)).await;
    assert_eq!((none.pages, none.more, none.events.len()), (0, true, 0));
    assert!(seen.is_empty());
    assert_eq!(rule.num_calls(), 5);
}

#[tokio::test]
async fn throttling_is_retried_by_the_sdk_then_succeeds() {
    let pages = pages();
    let rule = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .sequence()
        .error(throttled)
        .times(2)
        .output(move || page_output(&pages[2..], 0))
        .build();
    let (changes, seen) = read(&client(&[&rule]), unpaced(20)).await;
    assert_eq!(changes.error, None, "two throttles within three attempts");
    assert_eq!(ids(&changes), ["late", "env"]);
    assert_eq!(seen, [(1, 2)]);
    assert_eq!(rule.num_calls(), 3);
}

#[tokio::test]
async fn throttling_that_persists_keeps_the_pages_read_before_it() {
    // Retries reuse the rule chosen for the first attempt (with no input to compute from),
    // so the throttled page has a rule of its own.
    let third = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|input| index(input) == 2)
        .then_error(throttled);
    let rule = serving(Arc::new(Mutex::new(Vec::new())));
    let (changes, seen) = read(&client(&[&third, &rule]), unpaced(20)).await;
    let error = changes
        .error
        .as_ref()
        .expect("the read stopped on an error");
    assert_eq!(error.code.as_deref(), Some("ThrottlingException"));
    assert_eq!(error.message, "Rate exceeded");
    assert_eq!(changes.pages, 2);
    assert!(!changes.more, "the error, not the bound, stopped it");
    assert_eq!(ids(&changes), ["revoke", "route", "dns"], "partial, kept");
    assert_eq!(seen, [(1, 1), (2, 3)], "no progress for the failed page");
    assert_eq!(rule.num_calls(), 2);
    assert_eq!(third.num_calls(), 3, "the third page was tried three times");
}

#[tokio::test]
async fn access_denied_on_the_first_page_is_an_error_and_no_events() {
    let rule = mock!(aws_sdk_cloudtrail::Client::lookup_events).then_error(|| {
        LookupEventsError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("User is not authorized to perform: cloudtrail:LookupEvents")
                .build(),
        )
    });
    let (changes, seen) = read(&client(&[&rule]), unpaced(20)).await;
    assert_eq!(
        changes.error.as_ref().and_then(|e| e.code.as_deref()),
        Some("AccessDeniedException")
    );
    assert!(changes.events.is_empty() && seen.is_empty());
    assert_eq!((changes.pages, changes.more), (0, false));
    assert_eq!(rule.num_calls(), 1, "a denial is not retried");
}

/// At the default two requests a second, three pages take at least a second of (paused,
/// so instant) time, and no more than the pacing needs.
#[tokio::test(start_paused = true)]
async fn pages_are_paced_at_the_configured_rate() {
    let rule = serving(Arc::new(Mutex::new(Vec::new())));
    let client = client(&[&rule]);
    let start = tokio::time::Instant::now();
    let (changes, _) = read(&client, ChangeLimits::default()).await;
    let elapsed = start.elapsed();
    assert_eq!(changes.pages, 3);
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_millis(1_100),
        "{elapsed:?}"
    );

    let start = tokio::time::Instant::now();
    let (changes, _) = read(&client, unpaced(20)).await;
    assert_eq!(changes.pages, 3);
    assert!(start.elapsed() < Duration::from_millis(100), "unpaced");
}

#[tokio::test]
async fn the_demo_snapshot_scopes_its_own_resources_and_nothing_else() {
    let snapshot = demo(DemoScenario::Troubled);
    let scope = ids_in_scope(&snapshot);
    let environment = snapshot.environment.as_ref().unwrap();
    for id in [
        &snapshot.vpc.id,
        &snapshot.security_groups[0].id,
        &snapshot.endpoints[0].id,
        &snapshot.route_tables[0].id,
        &snapshot.network_acls[0].id,
        &snapshot.subnets[0].id,
        &snapshot.dns.resolver_rules[0].id,
        snapshot.vpc.dhcp_options_id.as_ref().unwrap(),
        &environment.name,
    ] {
        assert!(scope.contains(id), "{id} is in scope");
    }
    assert!(!scope.contains(SG) && !scope.contains(""));
    let mut without = snapshot.clone();
    without.environment = None;
    assert!(!ids_in_scope(&without).contains(&environment.name));

    // An event on the demo's first security group is kept with that scope, dropped without.
    let group = snapshot.security_groups[0].id.clone();
    let rule = mock!(aws_sdk_cloudtrail::Client::lookup_events).then_output(move || {
        LookupEventsOutput::builder()
            .events(event(
                "demo",
                "AuthorizeSecurityGroupIngress",
                5,
                json!({"groupId": group}),
            ))
            .build()
    });
    let client = client(&[&rule]);
    let (since, until) = window();
    let mut ignore = |_: &Changes| {};
    let kept = lookup_changes(&client, &scope, since, until, &unpaced(1), &mut ignore).await;
    assert_eq!(ids(&kept), ["demo"]);
    assert_eq!(
        kept.events[0].resources,
        [snapshot.security_groups[0].id.clone()]
    );
    let dropped = lookup_changes(
        &client,
        &BTreeSet::from([VPC.to_string()]),
        since,
        until,
        &unpaced(1),
        &mut ignore,
    )
    .await;
    assert!(dropped.events.is_empty());
}
