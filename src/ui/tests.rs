//! Rendering on the demo data: text snapshots of every tab at 120×40 and 80×24, per-cell
//! style checks for the colors text snapshots cannot show, and tiny terminals.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use super::{Theme, render};
use crate::app::{Action, App, Tab, update};
use crate::cli::DemoScenario;
use crate::input::demo;

/// The dashboard once its first fetch returned `snapshot`.
pub(super) fn showing(snapshot: crate::model::Snapshot) -> App {
    let mut app = App::default();
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(snapshot)),
        },
    );
    app
}

/// A tab by its pane's title.
fn tab(title: &str) -> Tab {
    Tab::named(title).unwrap()
}

fn app(scenario: DemoScenario) -> App {
    let mut app = showing(demo(scenario));
    update(&mut app, Action::Tick(12_000));
    app
}

pub(super) fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| render(app, frame, &Theme::color()))
        .unwrap();
    terminal.backend().buffer().clone()
}

pub(super) fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The position of the first occurrence of `needle` on screen.
fn find(buffer: &Buffer, needle: &str) -> (u16, u16) {
    let area = buffer.area;
    for y in 0..area.height {
        let line: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        let joined = line.concat();
        if let Some(byte) = joined.find(needle) {
            let column = joined[..byte].chars().count() as u16;
            return (column, y);
        }
    }
    panic!("{needle:?} not on screen:\n{}", text(buffer));
}

#[test]
fn every_tab_at_120_by_40_and_80_by_24() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut app = app(DemoScenario::Troubled);
        for tab in Tab::all() {
            update(&mut app, Action::SelectTab(tab));
            let name = format!("{}_{width}x{height}", tab.pane().title().to_lowercase());
            insta::assert_snapshot!(name, text(&draw(&app, width, height)));
        }
    }
}

#[test]
fn endpoint_details_help_and_filter() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    insta::assert_snapshot!("endpoint_details_120x40", text(&draw(&app, 120, 40)));
    update(&mut app, Action::Back);
    update(&mut app, Action::ToggleHelp);
    insta::assert_snapshot!("help_80x24", text(&draw(&app, 80, 24)));
    update(&mut app, Action::ToggleHelp);
    update(&mut app, Action::StartFilter);
    for c in "ecr".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("/ecr█") && screen.contains("Endpoints (2)"),
        "{screen}"
    );
}

#[test]
fn failing_checks_and_unavailable_endpoints_use_the_error_style() {
    let app = app(DemoScenario::Troubled);
    let buffer = draw(&app, 120, 40);
    let (x, y) = find(&buffer, "✘ endpoint logs");
    assert_eq!(buffer[(x, y)].fg, Color::Red, "the fail icon");
    let (x, y) = find(&buffer, "fail ");
    assert_eq!(buffer[(x, y)].fg, Color::Red, "the fail status");
    let (x, y) = find(&buffer, "pass ");
    assert_eq!(buffer[(x, y)].fg, Color::Green);

    let mut app = app;
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    let buffer = draw(&app, 120, 40);
    let (x, y) = find(&buffer, "pendingAcceptance");
    assert_eq!(buffer[(x, y)].fg, Color::Red, "not available");
    let (x, y) = find(&buffer, "available ");
    assert_eq!(buffer[(x, y)].fg, Color::Green);
    let (x, y) = find(&buffer, "MWAA readiness 6/12");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
}

#[test]
fn mono_theme_has_no_colors() {
    let app = app(DemoScenario::Troubled);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|frame| render(&app, frame, &Theme::mono()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

#[test]
fn small_terminals_collapse_instead_of_panicking() {
    let app = app(DemoScenario::Troubled);
    let small = text(&draw(&app, 60, 20));
    assert!(
        small.contains("Checklist (25)") && !small.contains("Details"),
        "{small}"
    );
    assert!(text(&draw(&app, 40, 10)).contains("Checklist"));
    let tiny = text(&draw(&app, 30, 8));
    assert!(tiny.contains("needs 40×10"), "{tiny}");
    for (w, h) in [(1, 1), (40, 3), (200, 5)] {
        draw(&app, w, h);
    }
}

#[test]
fn loading_state_and_fetch_errors() {
    let mut app = App::default();
    app.start();
    let screen = text(&draw(&app, 80, 24));
    assert!(screen.contains("Collecting VPC endpoints"), "{screen}");
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Err("ec2:DescribeVpcs failed: UnauthorizedOperation".into()),
        },
    );
    let screen = text(&draw(&app, 80, 24));
    assert!(
        screen.contains("Could not load data.")
            && screen.contains("fetch failed (r retry): ec2:DescribeVpcs"),
        "{screen}"
    );
}

#[test]
fn metrics_tab_shows_idle_gateway_and_denied() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::SelectTab(tab("Metrics")));
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("idle"), "{screen}");
    assert!(
        screen.contains("Gateway endpoints publish no CloudWatch metrics"),
        "{screen}"
    );
    // CloudWatch denied: the pane says so and everything else keeps working.
    let mut denied = demo(DemoScenario::Troubled);
    denied.metrics.series.clear();
    denied.sources.insert(
        crate::model::Source::Metrics,
        crate::model::FetchStatus::Error(crate::model::FetchError {
            code: Some("AccessDenied".into()),
            message: "not authorized".into(),
        }),
    );
    let mut app = showing(denied);
    update(&mut app, Action::SelectTab(tab("Metrics")));
    update(&mut app, Action::Down);
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("metrics unavailable: AccessDenied"),
        "{screen}"
    );
}

#[test]
fn metrics_tab_shows_the_environments_health_below_the_endpoints() {
    let mut app = app(DemoScenario::Healthy);
    update(&mut app, Action::SelectTab(tab("Metrics")));
    let endpoints = demo(DemoScenario::Healthy).endpoints.len();
    for _ in 0..endpoints {
        update(&mut app, Action::Down);
    }
    let buffer = draw(&app, 120, 40);
    let screen = text(&buffer);
    assert!(
        screen.contains("▶ airflow-staging        heartbeat"),
        "{screen}"
    );
    assert!(screen.contains("heartbeat · last 3h"), "{screen}");
    // The additional workers published nothing: unknown, not zero, and muted.
    let line = screen.lines().find(|l| l.contains("cpu extra wk")).unwrap();
    assert!(line.contains("unknown"), "{line}");
    let (x, y) = find(&buffer, "unknown");
    assert_eq!(buffer[(x, y)].fg, Color::DarkGray);
    // The series the audit flags is in the warning colour; the others in the accent.
    let (x, y) = find(&buffer, "cpu worker");
    assert_eq!(buffer[(x + 13, y)].fg, Color::Cyan);
    let mut busy = demo(DemoScenario::Healthy);
    let end = busy.metrics.end;
    for s in &mut busy.metrics.environment {
        if s.metric == crate::model::EnvironmentMetric::CpuUtilization
            && s.component == Some(crate::model::Component::BaseWorker)
        {
            s.points = (0..30).map(|i| (end - 1800 + 60 * i, 96.0)).collect();
        }
    }
    let mut flagged = showing(busy);
    update(&mut flagged, Action::SelectTab(tab("Metrics")));
    let buffer = draw(&flagged, 120, 40);
    let (x, y) = find(&buffer, "cpu worker");
    assert_eq!(buffer[(x + 13, y)].fg, Color::Yellow, "{}", text(&buffer));
    let (x, y) = find(&buffer, "cpu sched");
    assert_eq!(
        buffer[(x + 13, y)].fg,
        Color::Cyan,
        "only the component at its limit"
    );
    // A running environment's series have datapoints: sparklines, not `unknown`.
    let heartbeat = screen.lines().find(|l| l.contains(" heartbeat ")).unwrap();
    assert!(!heartbeat.contains("unknown"), "{heartbeat}");
}

#[test]
fn narrow_terminals_drop_or_shorten_header_parts_without_overlap() {
    for width in 60..=160 {
        let mut app = app(DemoScenario::Troubled);
        for tab in Tab::all() {
            update(&mut app, Action::SelectTab(tab));
            let buffer = draw(&app, width, 24);
            let screen = text(&buffer);
            let lines: Vec<&str> = screen.lines().collect();
            assert!(
                lines[0].ends_with("6/12"),
                "{width}: the verdict is whole: {:?}",
                lines[0]
            );
            assert!(
                !lines[1].contains("Securitywindow")
                    && !lines[1].contains("Metricswindow")
                    && !lines[1].contains("Routeswindow"),
                "{width}: {:?}",
                lines[1]
            );
            let title = tab.pane().title();
            assert!(
                lines[1].contains(&format!("{} {title}", tab.0 + 1)),
                "{width}: the current tab keeps its name: {:?}",
                lines[1]
            );
        }
    }
    let wide = text(&draw(&app(DemoScenario::Troubled), 120, 24));
    assert!(wide.contains("captured 2026-11-25 06:00:00Z"), "{wide}");
    assert!(!wide.contains("updated"), "a demo is not refreshed: {wide}");
}

#[test]
fn live_data_shows_its_age() {
    let mut app = app(DemoScenario::Troubled);
    app.live = true;
    let screen = text(&draw(&app, 140, 24));
    assert!(screen.contains("updated 12s ago"), "{screen}");
    assert!(!screen.contains("captured"), "{screen}");
}

#[test]
fn strings_from_aws_cannot_reach_the_terminal_raw() {
    let mut snapshot = demo(DemoScenario::Troubled);
    let evil = "prod\u{1b}]0;owned\u{7}\u{202e}gnp\u{9b}2J";
    snapshot.vpc.tags.insert("Name".into(), evil.into());
    snapshot.security_groups[0].name = evil.into();
    snapshot.security_groups[0].description = Some(evil.into());
    snapshot.endpoints[1]
        .tags
        .insert("Name".into(), evil.into());
    snapshot.endpoints[1].policy_document = Some(format!("{{\"Statement\": \"{evil}\"}}"));
    snapshot.environment.as_mut().unwrap().name = evil.into();
    snapshot.route_tables[0]
        .tags
        .insert("Name".into(), evil.into());
    let mut app = showing(snapshot);
    update(&mut app, Action::Tick(1_000));
    let mut escaped = false;
    for tab in Tab::all() {
        update(&mut app, Action::SelectTab(tab));
        for _ in 0..3 {
            for open in [false, true] {
                if open {
                    update(&mut app, Action::Open);
                }
                let buffer = draw(&app, 160, 50);
                for cell in buffer.content() {
                    assert!(
                        !cell.symbol().chars().any(crate::show::is_unsafe),
                        "{tab:?}: {:?} reached the terminal",
                        cell.symbol()
                    );
                }
                escaped |= text(&buffer).contains("\\u{202e}");
                update(&mut app, Action::Back);
            }
            update(&mut app, Action::Down);
        }
    }
    assert!(
        escaped,
        "the escape is shown, so the user sees something is odd"
    );
}

#[test]
fn columns_shrink_then_drop_and_slack_goes_to_the_last_one_shown() {
    use crate::panes::Col;
    use ratatui::layout::Constraint::Length;
    let cols = [Col(10, 4), Col(10, 4), Col(10, 9)];
    assert_eq!(super::fit(&cols, 40), [Length(10), Length(10), Length(18)]);
    assert_eq!(super::fit(&cols, 24), [Length(9), Length(4), Length(9)]);
    assert_eq!(
        super::fit(&cols, 16),
        [Length(4), Length(10), Length(0)],
        "the dropped column gets no slack"
    );
}

#[test]
fn probe_evidence_shows_in_the_dns_and_endpoint_details() {
    use crate::model::{
        ProbeAnswer, ProbeReport, ProbeResult, ProbeVerdict, RanOn, Rcode, TcpResult, TcpStep,
        TlsResult, TlsStep,
    };
    let explanation = "10.0.9.9: timeout on 443: a security group, network ACL, route or firewall drops the traffic";
    let mut app = App {
        probes: vec![ProbeReport {
            roots: "webpki".into(),
            ran_on: RanOn {
                hostname: Some("worker-1".into()),
                ..RanOn::default()
            },
            results: vec![ProbeResult {
                name: "sqs.us-east-1.amazonaws.com".into(),
                resolver: "system".into(),
                rcode: Rcode::NoError,
                answers: vec![ProbeAnswer {
                    ip: "10.0.9.9".into(),
                    private: true,
                    tcp: TcpStep {
                        result: TcpResult::Timeout,
                        ms: Some(3000),
                    },
                    tls: TlsStep {
                        result: TlsResult::Skipped,
                        ms: None,
                        subject: None,
                        issuer: None,
                        detail: None,
                    },
                    http: None,
                }],
                verdict: ProbeVerdict::Fail,
                explanation: explanation.into(),
            }],
        }],
        ..App::default()
    };
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Healthy))),
        },
    );
    for pane in ["DNS", "Endpoints"] {
        update(&mut app, Action::SelectTab(tab(pane)));
        update(&mut app, Action::StartFilter);
        for c in "sqs".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        update(&mut app, Action::Open);
        let screen = text(&draw(&app, 160, 90));
        assert!(
            screen.contains("Probe (from inside the VPC)")
                && screen.contains("system resolver, from worker-1")
                && screen.contains("10.0.9.9: timeout on 443"),
            "{pane}:\n{screen}"
        );
        update(&mut app, Action::Back);
        update(&mut app, Action::Back);
    }
}

/// The troubled demo as it was before its endpoint security group lost TCP 443.
fn troubled_baseline() -> crate::model::Snapshot {
    use crate::model::{Protocol, SgRule};
    let mut before = demo(DemoScenario::Troubled);
    before.captured_at = "2026-11-24T06:00:00Z".into();
    let group = before
        .security_groups
        .iter_mut()
        .find(|g| g.id == "sg-0e5dee86109f10b11")
        .unwrap();
    group.ingress.push(SgRule {
        protocol: Protocol::Tcp,
        from_port: Some(443),
        to_port: Some(443),
        ipv4_ranges: vec!["10.42.0.0/16".into()],
        ipv6_ranges: Vec::new(),
        prefix_list_ids: Vec::new(),
        group_ids: Vec::new(),
    });
    before
}

#[test]
fn a_baseline_marks_changed_rows_and_filters_them() {
    let mut app = App::default().with_baseline(Some(troubled_baseline()));
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Troubled))),
        },
    );
    update(&mut app, Action::Tick(12_000));
    update(&mut app, Action::SelectTab(tab("Security")));
    for (width, height) in [(120, 40), (80, 24)] {
        let buffer = draw(&app, width, height);
        insta::assert_snapshot!(format!("baseline_security_{width}x{height}"), text(&buffer));
        let (_, y) = find(&buffer, "sg-0e5dee86109f10b11");
        let x = (0..width)
            .find(|&x| buffer[(x, y)].symbol() == "∆")
            .expect("the changed group's row has the ∆ mark");
        assert_eq!(buffer[(x, y)].fg, Color::Cyan, "the ∆ mark");
        let (_, y) = find(&buffer, "sg-0d62a9e10db7597e7");
        assert!((0..width).all(|x| buffer[(x, y)].symbol() != "∆"));
    }
    let screen = text(&draw(&app, 120, 40));
    assert!(app.changed.contains("sg-0e5dee86109f10b11") && app.changed.len() > 1);
    assert!(
        screen.contains(&format!("│ ∆ {} ", app.changed.len())),
        "{screen}"
    );
    update(&mut app, Action::StartCommand);
    for c in "changed".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    update(&mut app, Action::FilterDone);
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("Security (1)") && screen.contains(":changed"),
        "{screen}"
    );
    update(&mut app, Action::Open);
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("∆ since the baseline of 2026-11-24T06:00:00Z")
            && screen.contains("- inbound tcp 443  10.42.0.0/16"),
        "{screen}"
    );
    update(&mut app, Action::Back);
    update(&mut app, Action::SelectTab(tab("Checklist")));
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("endpoint sqs") && screen.contains("endpoint kms"),
        "{screen}"
    );
    assert!(!screen.contains("endpoint s3 "), "{screen}");
}

#[test]
fn without_a_baseline_there_is_no_delta_column_and_changed_says_why() {
    let mut app = app(DemoScenario::Troubled);
    let screen = text(&draw(&app, 120, 40));
    assert!(!screen.contains('∆'), "{screen}");
    update(&mut app, Action::StartCommand);
    for c in "changed".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("No baseline: start linkscope with --baseline FILE"),
        "{screen}"
    );
}

#[test]
fn the_changes_tab_marks_events_whose_resources_have_problems_now() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::SelectTab(tab("Changes")));
    let buffer = draw(&app, 120, 40);
    let screen = text(&buffer);
    assert!(
        screen.contains("Changes (4)") && screen.contains("4 events, 2026-11-24T06:00:00Z"),
        "{screen}"
    );
    let (_, y) = find(&buffer, "RevokeSecurityGroupIngress");
    let x = (0..120).find(|&x| buffer[(x, y)].symbol() == "✘").unwrap();
    assert_eq!(buffer[(x, y)].fg, Color::Red, "a problem rests on it now");
    let (_, y) = find(&buffer, "CreateRoute");
    assert!(
        (0..120).all(|x| buffer[(x, y)].symbol() != "✘"),
        "nothing wrong there"
    );
    update(&mut app, Action::Open);
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("Problems on sg-0e5dee86109f10b11 now")
            && screen.contains("mwaa.endpoint.sqs"),
        "{screen}"
    );
}

#[test]
fn without_changes_the_tab_says_how_to_get_them() {
    let mut app = app(DemoScenario::Healthy);
    update(&mut app, Action::SelectTab(tab("Changes")));
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("No change timeline: start linkscope with --changes 24h"),
        "{screen}"
    );
}

#[test]
fn the_start_screen_draws_at_once_then_lists_what_to_open() {
    use crate::model::{Choices, EnvironmentChoice, EnvironmentStatus, VpcChoice};
    let mut app = App {
        live: true,
        ..App::default()
    };
    app.start_picking();
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("Listing the Region's MWAA environments and VPCs…"),
        "{screen}"
    );
    let choices = Choices {
        region: "eu-west-1".into(),
        environments: vec![EnvironmentChoice {
            name: "airflow-prod".into(),
            status: Some(EnvironmentStatus::from("UPDATE_FAILED".to_string())),
            airflow_version: Some("2.10.3".into()),
        }],
        vpcs: vec![VpcChoice {
            id: "vpc-0aaaaaaaaaaaaaaa1".into(),
            name: Some("data-platform".into()),
            cidr: Some("10.42.0.0/16".into()),
            endpoints: None,
            is_default: false,
        }],
        counts_error: Some("ec2:DescribeVpcEndpoints: AccessDenied".into()),
        ..Choices::default()
    };
    update(&mut app, Action::ChoicesLoaded(Ok(Box::new(choices))));
    for (width, height) in [(120, 40), (80, 24)] {
        insta::assert_snapshot!(
            format!("start_screen_{width}x{height}"),
            text(&draw(&app, width, height))
        );
    }
    let buffer = draw(&app, 120, 40);
    let (x, y) = find(&buffer, "MWAA airflow-prod");
    assert_eq!(buffer[(x, y)].fg, Color::Cyan);
    assert!(text(&buffer).contains("Enter open"));
}

#[test]
fn the_fleet_screen_draws_at_once_then_a_strip_per_target() {
    use crate::fleet::audited::audited;
    use crate::fleet::{Entry, Failed};
    let mut app = App::default();
    app.start_fleet();
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("Auditing every target of the fleet"),
        "{screen}"
    );
    let audited = |scenario| {
        let snapshot = demo(scenario);
        Entry::Audited {
            audited: Box::new(audited(&snapshot, Some("111111111111".into()), &[])),
            snapshot: Box::new(snapshot),
        }
    };
    let entries = vec![
        audited(DemoScenario::Healthy),
        audited(DemoScenario::Troubled),
        Entry::Failed(Failed {
            target: "all environments".into(),
            region: Some("eu-west-1".into()),
            account: Some("222222222222".into()),
            reason: "AccessDenied: not authorized to perform airflow:ListEnvironments".into(),
        }),
    ];
    for entry in entries {
        let entry = Box::new(entry);
        update(
            &mut app,
            Action::FleetTarget {
                generation: 1,
                entry,
            },
        );
    }
    let arriving = text(&draw(&app, 120, 40));
    assert!(arriving.contains("Fleet · 3 targets so far"), "{arriving}");
    // While the read is under way, its last lines say how far it is in each Region.
    let mut progress = crate::fleet::Progress::default();
    for (region, targets) in [("us-east-1", 5), ("eu-west-1", 0)] {
        let place = crate::fleet::Place {
            region: region.into(),
            account: Some("111111111111".into()),
        };
        progress.step(&crate::fleet::Event::Listed { place, targets });
    }
    for generation in [0, 1] {
        let progress = Box::new(progress.clone());
        update(
            &mut app,
            Action::FleetProgress {
                generation,
                progress,
            },
        );
    }
    let reading = text(&draw(&app, 120, 40));
    assert!(
        reading.contains("us-east-1 (111111111111): 5 found · 0 collected · 0 audited"),
        "{reading}"
    );
    assert_eq!(
        app.fleet.as_ref().unwrap().progress,
        progress,
        "generation 0 is dropped"
    );
    let short = text(&draw(&app, 120, 11));
    assert!(
        short.contains("eu-west-1 (111111111111): 0 found"),
        "{short}"
    );
    assert!(
        !text(&draw(&app, 120, 10)).contains("found ·"),
        "no room: the list keeps the screen"
    );
    let end = Action::FleetRead {
        generation: 1,
        result: Ok(()),
    };
    update(&mut app, end);
    assert!(
        !text(&draw(&app, 120, 40)).contains("found ·"),
        "the read ended"
    );
    for (width, height) in [(120, 40), (80, 24)] {
        insta::assert_snapshot!(
            format!("fleet_screen_{width}x{height}"),
            text(&draw(&app, width, height))
        );
    }
    let buffer = draw(&app, 120, 40);
    let screen = text(&buffer);
    assert!(screen.contains("s sort by worst"), "{screen}");
    let (x, y) = find(&buffer, "✘");
    assert_eq!(buffer[(x, y)].fg, Color::Red, "a failing checklist row");
    let (x, y) = find(&buffer, "✔");
    assert_eq!(buffer[(x, y)].fg, Color::Green, "a passing one");
    let (x, y) = find(&buffer, "AccessDenied");
    assert_eq!(
        buffer[(x, y)].fg,
        Color::Red,
        "why a target was not audited"
    );
    // Enter opens the selected target in the panes; Esc comes back.
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    let opened = text(&draw(&app, 120, 40));
    assert!(opened.contains("Checklist ("), "{opened}");
    update(&mut app, Action::Back);
    let back = text(&draw(&app, 120, 40));
    assert!(back.contains("Fleet · 3 targets"), "{back}");
    assert!(
        !back.contains("MWAA readiness"),
        "the header is about no target: {back}"
    );
}

#[test]
fn every_list_that_failed_says_what_failed_in_its_body() {
    use crate::model::{FetchError, FetchStatus};
    for tab in Tab::all() {
        for source in tab.pane().sources() {
            let mut snapshot = demo(DemoScenario::Troubled);
            snapshot.sources.insert(
                *source,
                FetchStatus::Error(FetchError {
                    code: Some("AccessDenied".into()),
                    message: "not authorized".into(),
                }),
            );
            let mut app = showing(snapshot);
            update(&mut app, Action::SelectTab(tab));
            for (width, height) in [(220, 50), (80, 24), (60, 15)] {
                let screen = text(&draw(&app, width, height));
                let said = screen.replace('\n', " ");
                let api = source.api().split(' ').next().unwrap_or_default();
                assert!(
                    said.contains(&format!("✘ could not read {api}")),
                    "{} at {width}: {source:?}\n{screen}",
                    tab.pane().title()
                );
            }
        }
    }
    // A list that failed and left nothing says so, never "Nothing here".
    let mut snapshot = demo(DemoScenario::Troubled);
    snapshot.endpoints.clear();
    snapshot.sources.insert(
        crate::model::Source::VpcEndpoints,
        FetchStatus::Error(FetchError {
            code: Some("UnauthorizedOperation".into()),
            message: "You are not authorized to perform this operation.".into(),
        }),
    );
    let mut app = showing(snapshot);
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    let screen = text(&draw(&app, 120, 35));
    assert!(
        screen.contains("✘ could not read ec2:DescribeVpcEndpoints: UnauthorizedOperation")
            && screen.contains("Nothing to list: what could not be read is said above.")
            && !screen.contains("Nothing here."),
        "{screen}"
    );
}

#[test]
fn a_start_screen_whose_lists_failed_says_so_instead_of_none() {
    use crate::model::Choices;
    let mut app = App {
        live: true,
        ..App::default()
    };
    app.start_picking();
    let choices = Choices {
        region: "us-east-1".into(),
        environments_error: Some(
            "airflow:ListEnvironments: dispatch failure: Connection refused".into(),
        ),
        vpcs_error: Some("ec2:DescribeVpcs: dispatch failure: Connection refused".into()),
        ..Choices::default()
    };
    update(&mut app, Action::ChoicesLoaded(Ok(Box::new(choices))));
    for (width, height) in [(120, 35), (60, 15)] {
        let screen = text(&draw(&app, width, height));
        let said = screen.replace('\n', " ");
        assert!(
            said.contains("could not read airflow:ListEnvironments")
                && said.contains("could not read ec2:DescribeVpcs")
                && screen.contains("? environments, ? VPCs"),
            "{screen}"
        );
        assert!(!screen.contains("No MWAA environment"), "{screen}");
        assert!(
            !screen.contains("Esc back") && screen.contains("? help · q quit"),
            "nothing to go back to: {screen}"
        );
    }
}

#[test]
fn every_endpoint_a_finding_cites_can_be_found_in_the_endpoints_tab() {
    for scenario in [
        DemoScenario::Troubled,
        DemoScenario::Healthy,
        DemoScenario::Spoke,
        DemoScenario::Setup,
    ] {
        let mut app = showing(demo(scenario));
        update(&mut app, Action::SelectTab(tab("Endpoints")));
        let cited: std::collections::BTreeSet<String> = app
            .audit
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .flat_map(|f| f.resources.iter().chain([&f.subject.id]))
            .filter(|id| id.starts_with("vpce-") && !id.starts_with("vpce-svc-"))
            .cloned()
            .collect();
        assert!(!cited.is_empty());
        for id in cited {
            app.filter = id.clone();
            assert_eq!(app.rows().len(), 1, "{scenario:?}: {id}");
        }
    }
    // The spoke demo's hub endpoints are marked as in another VPC, with their verdict.
    let spoke = demo(DemoScenario::Spoke);
    let monitoring = spoke
        .dns
        .hub_endpoints
        .iter()
        .find(|e| e.service_name.ends_with(".monitoring"))
        .unwrap()
        .id
        .clone();
    let mut app = showing(spoke);
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    let screen = text(&draw(&app, 120, 35));
    assert!(
        screen.contains(&format!("{monitoring} monitoring")) && screen.contains("hub VPC"),
        "{screen}"
    );
    update(&mut app, Action::StartFilter);
    for c in "hub".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    assert_eq!(
        app.rows().len(),
        7,
        "the hub's endpoints, found by where they are"
    );
}

#[test]
fn the_endpoints_tab_shows_the_audits_verdict_on_each_endpoint() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    let buffer = draw(&app, 120, 35);
    // sqs is `available` with private DNS on; its group drops 443, so the checklist fails it.
    let (_, y) = find(&buffer, "vpce-09590df84101aaefb");
    let row: String = (0..120).map(|x| buffer[(x, y)].symbol()).collect();
    assert!(
        row.contains("✘ endpoint sqs") && row.contains("available"),
        "{row}"
    );
    let (x, y) = find(&buffer, "✘ endpoint sqs");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    let (_, y) = find(&buffer, "vpce-0eac77a48572c3978");
    let row: String = (0..120).map(|x| buffer[(x, y)].symbol()).collect();
    assert!(row.contains(" ✔ "), "nothing wrong with ecr.api: {row}");
}

#[test]
fn details_cite_the_aws_documentation_by_address() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    update(&mut app, Action::Bottom);
    let screen = text(&draw(&app, 160, 50));
    assert!(
        screen.contains("AWS documentation") && screen.contains("https://docs.aws.amazon.com/"),
        "{screen}"
    );
}

#[test]
fn the_details_scroll_to_their_end_and_back_and_keep_their_row() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    let top = text(&draw(&app, 80, 24));
    assert!(
        top.contains("vpce-0836130b9544b86c1  com.amazonaws"),
        "{top}"
    );
    update(&mut app, Action::Bottom);
    let end = text(&draw(&app, 80, 24));
    assert!(
        !end.contains("vpce-0836130b9544b86c1  com.amazonaws"),
        "{end}"
    );
    let bottom = app.details_bottom.get();
    assert!(
        bottom > 0 && app.details_scroll == bottom,
        "G reaches the end"
    );
    update(&mut app, Action::Down);
    assert_eq!(app.details_scroll, bottom, "and stays there");
    update(&mut app, Action::Up);
    assert_eq!(app.details_scroll, bottom - 1, "one up from the end");
    update(&mut app, Action::Top);
    assert_eq!(text(&draw(&app, 80, 24)), top);
    update(&mut app, Action::Back);
    assert_eq!(app.selected_id().as_deref(), Some("vpce-0836130b9544b86c1"));
}

#[test]
fn narrow_terminals_keep_help_and_quit_and_wrap_the_environments_error() {
    let mut app = app(DemoScenario::Setup);
    for width in 40..=220 {
        for height in [10, 15, 24] {
            let screen = text(&draw(&app, width, height));
            let footer = screen.lines().last().unwrap_or_default();
            assert!(
                footer.ends_with("? help · q quit"),
                "{width}×{height}: {footer:?}"
            );
        }
    }
    update(&mut app, Action::Notice("exported /a/very/long/path/to/linkscope-vpc-0123456789abcdef0-20261125T060000Z.json and /a/very/long/path/to/linkscope-vpc-0123456789abcdef0-20261125T060000Z.md".into()));
    let footer = text(&draw(&app, 60, 15));
    let footer = footer.lines().last().unwrap_or_default();
    assert!(
        footer.contains("…") && footer.ends_with("? help · q quit"),
        "{footer}"
    );
    for width in [60, 120, 220] {
        let screen = text(&draw(&app, width, 35));
        // The banner's lines, without what the details pane draws beside them.
        let banner: Vec<&str> = screen
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with('┌'))
            .map(|l| l.split(['┌', '│']).next().unwrap_or_default().trim())
            .collect();
        assert!(
            banner.join(" ").contains(
                "INCORRECT_CONFIGURATION: You may need to check the execution role permissions \
                 policy for your environment, and that each of the VPC networking components \
                 required by the environment are configured correctly."
            ),
            "the error is wrapped whole at {width}:\n{screen}"
        );
    }
    // 120 columns name every tab, the others by their short names.
    let screen = text(&draw(&app, 120, 35));
    assert!(
        screen.contains("1 Checklist · 2 Endp · 3 Rte · 4 Sec · 5 Metr · 6 DNS · 7 Chg"),
        "{screen}"
    );
}

#[test]
fn the_help_scrolls_on_a_small_terminal() {
    let mut app = app(DemoScenario::Troubled);
    update(&mut app, Action::ToggleHelp);
    let top = text(&draw(&app, 60, 15));
    assert!(
        top.contains("Keys · ↑↓ scroll") && !top.contains("NO_COLOR"),
        "{top}"
    );
    update(&mut app, Action::Bottom);
    let end = text(&draw(&app, 60, 15));
    assert!(end.contains("NO_COLOR=1"), "{end}");
    update(&mut app, Action::Top);
    assert_eq!(text(&draw(&app, 60, 15)), top);
}

/// The key a footer entry names.
fn footer_key(entry: &str) -> crossterm::event::KeyCode {
    use crossterm::event::KeyCode;
    match entry.split(' ').next().unwrap_or_default() {
        "↑↓" if entry.contains("PgDn") => KeyCode::PageDown,
        "↑↓" => KeyCode::Down,
        "Enter" => KeyCode::Enter,
        "Tab" => KeyCode::Tab,
        "Esc" => KeyCode::Esc,
        key => KeyCode::Char(key.chars().next().unwrap()),
    }
}

#[test]
fn every_key_the_footer_offers_does_something_there() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    let snapshot = || app(DemoScenario::Troubled);
    let live = || {
        let mut app = snapshot();
        app.live = true;
        app
    };
    // The troubled demo's monitoring endpoint: details longer than the pane.
    let details = |mut app: App| {
        update(&mut app, Action::SelectTab(tab("Endpoints")));
        update(&mut app, Action::Down);
        update(&mut app, Action::Open);
        draw(&app, 80, 24);
        app
    };
    // Details that fit offer no scrolling.
    let mut short = snapshot();
    update(&mut short, Action::Open);
    let footer = text(&draw(&short, 220, 50));
    assert!(
        footer
            .lines()
            .last()
            .unwrap()
            .starts_with(" Esc close · y copy"),
        "{footer}"
    );
    let picker = || {
        let mut app = live();
        update(&mut app, Action::OpenPicker);
        update(
            &mut app,
            Action::ChoicesLoaded(Ok(Box::new(crate::model::Choices {
                region: "us-east-1".into(),
                vpcs: ["vpc-0aaaaaaaaaaaaaaa1", "vpc-0bbbbbbbbbbbbbbb2"]
                    .map(|id| crate::model::VpcChoice {
                        id: id.into(),
                        name: None,
                        cidr: None,
                        endpoints: Some(1),
                        is_default: false,
                    })
                    .into(),
                ..Default::default()
            }))),
        );
        app
    };
    let fleet = |open: bool| {
        use crate::fleet::Entry;
        use crate::fleet::audited::audited;
        let mut app = App::default();
        app.start_fleet();
        for scenario in [DemoScenario::Healthy, DemoScenario::Troubled] {
            let snapshot = demo(scenario);
            let entry = Entry::Audited {
                audited: Box::new(audited(&snapshot, Some("111111111111".into()), &[])),
                snapshot: Box::new(snapshot),
            };
            let entry = Box::new(entry);
            update(
                &mut app,
                Action::FleetTarget {
                    generation: 1,
                    entry,
                },
            );
        }
        let end = Action::FleetRead {
            generation: 1,
            result: Ok(()),
        };
        update(&mut app, end);
        if open {
            update(&mut app, Action::Open);
        }
        app
    };
    let states: Vec<(&str, App)> = vec![
        ("Fleet screen", fleet(false)),
        ("fleet target", fleet(true)),
        ("snapshot", snapshot()),
        ("live", live()),
        ("snapshot details", details(snapshot())),
        ("live details", details(live())),
        ("start screen", picker()),
    ];
    for (name, app) in states {
        let keys = super::chrome::keys(&app);
        assert!(keys.ends_with(&["? help", "q quit"]), "{name}: {keys:?}");
        for entry in keys {
            let mut pressed = app.clone();
            let key = KeyEvent::new(footer_key(entry), KeyModifiers::NONE);
            let action = crate::app::action_for(&pressed, key)
                .unwrap_or_else(|| panic!("{name}: {entry} means nothing"));
            let before = format!("{pressed:?}");
            let commands = update(&mut pressed, action);
            let said = pressed.notice.clone().unwrap_or_default();
            assert!(
                !commands.is_empty() || format!("{pressed:?}") != before,
                "{name}: {entry} changed nothing"
            );
            assert!(
                !said.contains("works in")
                    && !said.contains("does not")
                    && !said.contains("sorts the Fleet"),
                "{name}: {entry} is offered but says {said:?}"
            );
        }
    }
}

/// The spoke demo's hub group that admits only the hub's range is on the Security tab, marked
/// by the verdict of the way there, beside the VPC's own groups.
#[test]
fn the_hub_group_that_cuts_the_spoke_off_is_on_the_security_tab() {
    let spoke = demo(DemoScenario::Spoke);
    let logs = spoke
        .dns
        .hub_endpoints
        .iter()
        .find(|e| e.service_name.ends_with(".logs"))
        .unwrap()
        .security_group_ids[0]
        .clone();
    let mut app = showing(spoke);
    update(&mut app, Action::SelectTab(tab("Security")));
    app.filter = logs.clone();
    assert_eq!(app.rows().len(), 1, "{logs}");
    let screen = text(&draw(&app, 120, 35));
    let row = screen
        .lines()
        .find(|l| l.contains(&logs) && l.contains("SG"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains('✘') && row.contains("hub VPC"), "{row}");
    app.filter = "hub".into();
    assert!(app.rows().len() >= 3, "the hub's groups and ACL are listed");
}
