//! The screenshots of the README and `docs/`: the dashboard drawn into ratatui's TestBackend and
//! rendered to SVG with its colours and box drawing. The files under `assets/screenshots/` must
//! equal what this test draws, so they cannot go stale; regenerate them with
//! `LINKSCOPE_UPDATE_SCREENSHOTS=1 cargo test --test integration screenshots`.

use std::fmt::Write;

use linkscope::app::{Action, App, Tab, update};
use linkscope::cli::DemoScenario;
use linkscope::input::demo;
use linkscope::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

const CELL_WIDTH: f64 = 9.0;
const CELL_HEIGHT: f64 = 18.0;
const FONT_SIZE: f64 = 15.0;
const BACKGROUND: &str = "#1b1e26";
const FOREGROUND: &str = "#d8dee9";

fn hex(color: Color, default: &str) -> String {
    match color {
        Color::Reset => default.to_string(),
        Color::Black => "#1b1e26".into(),
        Color::Red => "#f0616d".into(),
        Color::Green => "#8fce6b".into(),
        Color::Yellow => "#e8c170".into(),
        Color::Blue => "#6fa8f0".into(),
        Color::Magenta => "#c792ea".into(),
        Color::Cyan => "#5fd7e8".into(),
        Color::Gray => "#a9b1bd".into(),
        Color::DarkGray => "#6c7686".into(),
        Color::LightRed => "#ff8a94".into(),
        Color::LightGreen => "#b5e890".into(),
        Color::LightYellow => "#f5dc9c".into(),
        Color::LightBlue => "#9cc4f5".into(),
        Color::LightMagenta => "#ddb6f2".into(),
        Color::LightCyan => "#9be8f2".into(),
        Color::White => "#ffffff".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => format!("#{i:02x}{i:02x}{i:02x}"),
    }
}

/// The colours and weight a cell is drawn with.
#[derive(PartialEq, Clone)]
struct Look {
    fg: String,
    bg: String,
    bold: bool,
    dim: bool,
    underline: bool,
}

fn look(cell: &Cell) -> Look {
    let (mut fg, mut bg) = (hex(cell.fg, FOREGROUND), hex(cell.bg, BACKGROUND));
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    Look {
        fg,
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        dim: cell.modifier.contains(Modifier::DIM),
        underline: cell.modifier.contains(Modifier::UNDERLINED),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The buffer as an SVG: one background rectangle per run of a colour, one text span per run
/// of a look, each stretched to its cells so that the grid holds whatever the font.
fn svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (width, height) = (
        f64::from(area.width) * CELL_WIDTH + 16.0,
        f64::from(area.height) * CELL_HEIGHT + 16.0,
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace\" font-size=\"{FONT_SIZE}\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" rx=\"6\" fill=\"{BACKGROUND}\"/>"
    );
    for y in 0..area.height {
        let cells: Vec<&Cell> = (0..area.width).map(|x| &buffer[(x, y)]).collect();
        let top = 8.0 + f64::from(y) * CELL_HEIGHT;
        let mut x = 0;
        while x < cells.len() {
            let this = look(cells[x]);
            let start = x;
            let mut text = String::new();
            while x < cells.len() && look(cells[x]) == this {
                // A wide character's second cell is an empty symbol: it is part of the first.
                text.push_str(cells[x].symbol());
                x += 1;
            }
            let left = 8.0 + start as f64 * CELL_WIDTH;
            let span = (x - start) as f64 * CELL_WIDTH;
            if this.bg != BACKGROUND {
                let _ = writeln!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{span:.1}\" height=\"{CELL_HEIGHT}\" fill=\"{}\"/>",
                    this.bg
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let mut style = format!("fill=\"{}\"", this.fg);
            if this.bold {
                style.push_str(" font-weight=\"bold\"");
            }
            if this.dim {
                style.push_str(" opacity=\"0.6\"");
            }
            if this.underline {
                style.push_str(" text-decoration=\"underline\"");
            }
            let _ = writeln!(
                out,
                "<text x=\"{left:.1}\" y=\"{:.1}\" textLength=\"{span:.1}\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" {style}>{}</text>",
                top + CELL_HEIGHT * 0.75,
                escape(&text)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| render(app, frame, &Theme::color()))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn dashboard() -> App {
    dashboard_of(DemoScenario::Troubled)
}

fn dashboard_of(scenario: DemoScenario) -> App {
    let mut app = App::default();
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(scenario))),
        },
    );
    app
}

fn select(app: &mut App, title: &str) {
    update(app, Action::SelectTab(Tab::named(title).unwrap()));
}

/// The screens the README and `docs/` show.
fn screens() -> Vec<(&'static str, Buffer)> {
    let mut shots = Vec::new();

    let mut app = dashboard();
    for _ in 0..5 {
        update(&mut app, Action::Down);
    }
    shots.push(("checklist", draw(&app, 120, 36)));

    let mut app = dashboard();
    select(&mut app, "Endpoints");
    for _ in 0..5 {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Open);
    shots.push(("endpoint-details", draw(&app, 120, 46)));

    let mut app = dashboard();
    select(&mut app, "Metrics");
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    update(&mut app, Action::CycleMetric);
    update(&mut app, Action::CycleMetric);
    update(&mut app, Action::CycleMetric);
    shots.push(("metrics", draw(&app, 120, 36)));

    let app = dashboard_of(DemoScenario::Setup);
    shots.push(("setup", draw(&app, 120, 36)));

    let mut app = dashboard_of(DemoScenario::Spoke);
    select(&mut app, "DNS");
    shots.push(("dns", draw(&app, 120, 36)));

    let mut app = dashboard();
    select(&mut app, "Security");
    shots.push(("narrow", draw(&app, 60, 22)));

    shots.push(("start", draw(&start_screen(), 120, 16)));
    shots.push(("fleet", draw(&fleet_screen(), 120, 14)));
    shots
}

const SCENARIOS: [DemoScenario; 4] = [
    DemoScenario::Troubled,
    DemoScenario::Healthy,
    DemoScenario::Setup,
    DemoScenario::Spoke,
];

/// The start screen (`linkscope` with no target) listing the demos' environments and VPCs.
fn start_screen() -> App {
    use linkscope::model::{Choices, EnvironmentChoice, VpcChoice};
    let mut app = App::default();
    app.start_picking();
    let demos: Vec<_> = SCENARIOS.into_iter().map(demo).collect();
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
        ..Choices::default()
    };
    update(&mut app, Action::ChoicesLoaded(Ok(Box::new(choices))));
    app
}

/// The Fleet screen over the demos in two accounts, with a Region that was denied, worst
/// first.
fn fleet_screen() -> App {
    use linkscope::fleet::audited::audited;
    use linkscope::fleet::{Entry, Failed};
    let mut app = App::default();
    app.start_fleet();
    let mut entries: Vec<Entry> = SCENARIOS
        .into_iter()
        .zip([
            "111111111111",
            "222222222222",
            "111111111111",
            "222222222222",
        ])
        .map(|(scenario, account)| {
            let snapshot = demo(scenario);
            Entry::Audited {
                audited: Box::new(audited(&snapshot, Some(account.into()), &[])),
                snapshot: Box::new(snapshot),
            }
        })
        .collect();
    entries.push(Entry::Failed(Failed {
        target: "all environments".into(),
        region: Some("eu-west-1".into()),
        account: Some("222222222222".into()),
        reason: "AccessDenied: not authorized to perform airflow:ListEnvironments".into(),
    }));
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
    let end = Action::FleetRead {
        generation: 1,
        result: Ok(()),
    };
    update(&mut app, end);
    update(&mut app, Action::SortByWorst);
    app
}

#[test]
fn screenshots_are_current() {
    let update_files = std::env::var_os("LINKSCOPE_UPDATE_SCREENSHOTS").is_some();
    for (name, buffer) in screens() {
        let path = format!(
            "{}/assets/screenshots/{name}.svg",
            env!("CARGO_MANIFEST_DIR")
        );
        let expected = svg(&buffer);
        if update_files {
            std::fs::create_dir_all(format!("{}/assets/screenshots", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{path} is stale: run LINKSCOPE_UPDATE_SCREENSHOTS=1 cargo test --test integration screenshots"
        );
    }
}

#[test]
fn svg_keeps_colours_and_escapes_markup() {
    let mut buffer = Buffer::empty(ratatui::layout::Rect::new(0, 0, 6, 1));
    buffer.set_string(0, 0, "<a&b>", ratatui::style::Style::new().fg(Color::Red));
    let out = svg(&buffer);
    assert!(out.contains("&lt;a&amp;b&gt;"), "{out}");
    assert!(out.contains("fill=\"#f0616d\""), "{out}");
    assert!(out.starts_with("<svg "));
}

/// The key table of `docs/dashboard.md` is the help overlay's, row for row.
#[test]
fn docs_key_table_is_the_help() {
    let page = std::fs::read_to_string(format!("{}/docs/dashboard.md", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    let table: Vec<(String, String)> = page
        .lines()
        .skip_while(|l| *l != "| key | action |")
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").collect();
            (
                cells[0].trim().trim_matches('`').to_string(),
                cells[1].trim().replace('`', ""),
            )
        })
        .collect();
    let help: Vec<(String, String)> = linkscope::app::help()
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    assert_eq!(table, help);
}
