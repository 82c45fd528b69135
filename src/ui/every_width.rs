//! Every tab and screen of every demo at 60×15, 80×24, 120×35 and 220×50: each id and
//! address the snapshot holds shows whole, or cut with a `…`, never cut silently into
//! something that passes for another value (`10.42.1.20` for `10.42.1.205`).

use std::collections::BTreeSet;
use std::net::IpAddr;

use ratatui::buffer::Buffer;

use super::tests::{draw, showing, text};
use crate::app::{Action, App, Tab, update};
use crate::cli::DemoScenario;
use crate::input::demo;
use crate::model::Snapshot;

const SIZES: [(u16, u16); 4] = [(60, 15), (80, 24), (120, 35), (220, 50)];

/// The demos, for the screens that list several targets.
const DEMOS: [DemoScenario; 4] = [
    DemoScenario::Troubled,
    DemoScenario::Healthy,
    DemoScenario::Spoke,
    DemoScenario::Setup,
];

/// `vpce-0c60a9e86ead01ba0`, `rslvr-rr-…`, `pl-63a5400a`: lower-case words and dashes, then
/// at least eight hexadecimal digits.
fn is_resource_id(s: &str) -> bool {
    let Some((kind, hex)) = s.rsplit_once('-') else {
        return false;
    };
    hex.len() >= 8
        && hex
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        && !kind.is_empty()
        && kind.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

/// An IP address or a CIDR block.
fn is_address(s: &str) -> bool {
    let ip = s.split_once('/').map_or(s, |(ip, _)| ip);
    ip.parse::<IpAddr>().is_ok()
}

/// A DNS name of three labels or more (`sqs.us-east-1.amazonaws.com`, `*.dkr.ecr…`).
fn is_dns_name(s: &str) -> bool {
    s.split('.').count() >= 3
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | '_'))
        && !is_address(s)
}

/// A Route 53 hosted zone id (`Z04…`).
fn is_zone_id(s: &str) -> bool {
    s.len() >= 10
        && s.starts_with('Z')
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Every id and address the snapshot holds, wherever it holds it.
fn ids_and_addresses(snapshot: &Snapshot) -> BTreeSet<String> {
    fn walk(value: &serde_json::Value, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::String(s)
                if is_resource_id(s) || is_address(s) || is_dns_name(s) || is_zone_id(s) =>
            {
                out.insert(s.clone());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(&serde_json::to_value(snapshot).unwrap(), &mut out);
    out
}

fn is_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | ':' | '*' | '_')
}

/// The runs of token characters of a screen line, each with the character after it.
fn tokens(line: &str) -> Vec<(String, Option<char>, bool)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_token(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_token(chars[i]) {
            i += 1;
        }
        // A token that starts a line or follows a border may continue a wrapped one.
        let leads = start == 0 || chars[start - 1] == '│';
        out.push((
            chars[start..i].iter().collect(),
            chars.get(i).copied(),
            leads,
        ));
    }
    out
}

/// The values of `known` that start with `prefix`.
fn starting_with<'a>(
    known: &'a BTreeSet<String>,
    prefix: &'a str,
) -> impl Iterator<Item = &'a String> + 'a {
    known
        .range(prefix.to_string()..)
        .take_while(move |k| k.starts_with(prefix))
}

/// The values of `known` that show cut on `screen` without a `…`; a service word
/// (`route53resolver`) is not a cut DNS name, which needs a dot.
fn silent_cuts(screen: &str, known: &BTreeSet<String>) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let mut bad = Vec::new();
    for (y, line) in lines.iter().enumerate() {
        for (token, after, _) in tokens(line) {
            let cut_of = |t: &str| {
                t.len() >= 4
                    && t.chars().any(|c| c.is_ascii_digit())
                    && !known.contains(t)
                    && starting_with(known, t).any(|k| !is_dns_name(k) || t.contains('.'))
            };
            if !cut_of(&token) || after == Some('…') {
                continue;
            }
            // Wrapped at the edge of a pane: the next line carries on with the rest.
            let at_edge = matches!(after, None | Some('│'));
            let continued = at_edge
                && lines.get(y + 1).is_some_and(|next| {
                    tokens(next).iter().any(|(rest, _, leads)| {
                        let joined = format!("{token}{rest}");
                        *leads
                            && (starting_with(known, &joined).next().is_some()
                                || known.contains(joined.trim_end_matches(['.', ':'])))
                    })
                });
            // Wrapped on the last line a scrolling pane shows: the rest is a scroll away.
            let scrolls_on = at_edge
                && lines
                    .get(y + 1)
                    .is_some_and(|next| next.trim_start().starts_with('└'));
            if !continued && !scrolls_on {
                bad.push(format!("{token:?} on line {y}: {line:?}"));
            }
        }
    }
    bad
}

/// Draws `app` at every size and fails on any value cut silently.
fn check(app: &App, known: &BTreeSet<String>, what: &str, failures: &mut Vec<String>) {
    for (width, height) in SIZES {
        let buffer: Buffer = draw(app, width, height);
        let screen = text(&buffer);
        for cut in silent_cuts(&screen, known) {
            failures.push(format!("{what} at {width}×{height}: {cut}\n{screen}"));
        }
    }
}

#[test]
fn the_check_catches_a_silent_cut_and_accepts_a_marked_one_or_a_wrap() {
    let known: BTreeSet<String> = ["10.42.1.205", "sg-0e5dee86109f10b11"]
        .map(String::from)
        .into();
    assert_eq!(silent_cuts("answer 10.42.1.20 ok", &known).len(), 1);
    assert_eq!(silent_cuts("│ sg-0e5dee86109f10b1 │", &known).len(), 1);
    assert!(silent_cuts("answer 10.42.1.2… ok", &known).is_empty());
    assert!(silent_cuts("answer 10.42.1.205, sg-0e5dee86109f10b11", &known).is_empty());
    assert!(silent_cuts("│ in sg-0e5dee86│\n│109f10b11 │", &known).is_empty());
    assert!(silent_cuts("│ in sg-0e5dee86│\n└──────────┘", &known).is_empty());
    assert!(is_resource_id("rslvr-rr-4b8635c5a767df201") && !is_resource_id("mwaa-env-status"));
    assert!(is_address("10.42.0.0/16") && is_dns_name("sqs.us-east-1.amazonaws.com"));
}

/// Every tab of a demo, each row selected in turn with its details closed, open and scrolled
/// to the end.
fn every_screen_of(scenario: DemoScenario) {
    let mut failures = Vec::new();
    let snapshot = demo(scenario);
    let known = ids_and_addresses(&snapshot);
    let mut app = showing(snapshot);
    update(&mut app, Action::Tick(12_000));
    for tab in Tab::all() {
        update(&mut app, Action::SelectTab(tab));
        update(&mut app, Action::Top);
        let rows = app.rows().len();
        for row in 0..rows.max(1) {
            let what = format!("{scenario:?} {} row {row}", tab.pane().title());
            check(&app, &known, &what, &mut failures);
            if rows > 0 {
                update(&mut app, Action::Open);
                check(&app, &known, &format!("{what} details"), &mut failures);
                update(&mut app, Action::Bottom);
                check(&app, &known, &format!("{what} details end"), &mut failures);
                update(&mut app, Action::Back);
            }
            update(&mut app, Action::Down);
        }
    }
    assert!(
        failures.is_empty(),
        "{} silent cuts; the first:\n{}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn every_screen_of_the_troubled_demo_shows_ids_whole_or_marked() {
    every_screen_of(DemoScenario::Troubled);
}

#[test]
fn every_screen_of_the_healthy_demo_shows_ids_whole_or_marked() {
    every_screen_of(DemoScenario::Healthy);
}

#[test]
fn every_screen_of_the_spoke_demo_shows_ids_whole_or_marked() {
    every_screen_of(DemoScenario::Spoke);
}

#[test]
fn every_screen_of_the_setup_demo_shows_ids_whole_or_marked() {
    every_screen_of(DemoScenario::Setup);
}

#[test]
fn the_start_and_fleet_screens_and_the_help_show_ids_whole_or_marked() {
    use crate::fleet::audited::audited;
    use crate::fleet::{Entry, Failed};
    use crate::model::{Choices, EnvironmentChoice, VpcChoice};
    let demos: Vec<Snapshot> = DEMOS.into_iter().map(demo).collect();
    let mut known = BTreeSet::new();
    for d in &demos {
        known.extend(ids_and_addresses(d));
    }
    let mut failures = Vec::new();
    let mut start = App {
        live: true,
        ..App::default()
    };
    start.start_picking();
    let choices = Choices {
        region: "us-east-1".into(),
        environments: demos
            .iter()
            .filter_map(|d| d.environment.as_ref())
            .map(|e| EnvironmentChoice {
                name: e.name.clone(),
                status: e.status.clone(),
                airflow_version: e.airflow_version.clone(),
            })
            .collect(),
        vpcs: demos
            .iter()
            .map(|d| VpcChoice {
                id: d.vpc.id.clone(),
                name: d.vpc_name().map(str::to_string),
                cidr: d.vpc.cidr_blocks.first().cloned(),
                endpoints: Some(d.endpoints.len()),
                is_default: false,
            })
            .collect(),
        counts_error: Some("ec2:DescribeVpcEndpoints: AccessDenied: not authorized".into()),
        ..Choices::default()
    };
    update(&mut start, Action::ChoicesLoaded(Ok(Box::new(choices))));
    for _ in 0..8 {
        check(&start, &known, "start screen", &mut failures);
        update(&mut start, Action::Down);
    }
    let mut fleet = App::default();
    fleet.start_fleet();
    for (i, snapshot) in demos.into_iter().enumerate() {
        let entry = Entry::Audited {
            audited: Box::new(audited(&snapshot, Some(format!("11111111111{i}")), &[])),
            snapshot: Box::new(snapshot),
        };
        update(
            &mut fleet,
            Action::FleetTarget {
                generation: 1,
                entry: Box::new(entry),
            },
        );
    }
    let failed = Failed {
        target: "all environments".into(),
        region: Some("eu-west-1".into()),
        account: Some("222222222222".into()),
        reason: "AccessDenied: not authorized to perform airflow:ListEnvironments".into(),
    };
    update(
        &mut fleet,
        Action::FleetTarget {
            generation: 1,
            entry: Box::new(Entry::Failed(failed)),
        },
    );
    update(
        &mut fleet,
        Action::FleetRead {
            generation: 1,
            result: Ok(()),
        },
    );
    check(&fleet, &known, "Fleet screen", &mut failures);
    // The help, over a body that holds nothing it could hide, at its top and its end.
    let mut help = App::default();
    update(&mut help, Action::ToggleHelp);
    check(&help, &known, "help", &mut failures);
    update(&mut help, Action::Bottom);
    check(&help, &known, "help end", &mut failures);
    assert!(
        failures.is_empty(),
        "{} silent cuts; the first:\n{}",
        failures.len(),
        failures[0]
    );
}
