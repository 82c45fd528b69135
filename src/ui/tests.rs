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
fn showing(snapshot: crate::model::Snapshot) -> App {
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

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| render(app, frame, &Theme::color()))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
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
    let (x, y) = find(&buffer, "MWAA readiness 7/12");
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
        small.contains("Checklist (23)") && !small.contains("Details"),
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
            && screen.contains("fetch failed: ec2:DescribeVpcs"),
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
