//! The dashboard as a person uses it: the real binary in tmux, and one refresh cycle of the
//! real worker against the moto server.

use std::process::Command;
use std::time::{Duration, Instant};

use linkscope::app::{Action, App, Command as AppCommand, Tab, update};
use linkscope::aws::{ConnectOptions, Target};
use linkscope::input::Input;
use linkscope::runtime::worker::Worker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::cli::scratch;
use crate::moto::{self, REGION};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(width: u16, height: u16) -> Self {
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let session = format!("linkscope-e2e-{}-{n}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "bash --norc --noprofile",
            ])
            .env("PS1", "$ ")
            .status()
            .expect("tmux is needed for the end-to-end test (scripts/test.sh installs it)");
        assert!(status.success());
        Tmux { session }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        assert!(Command::new("tmux").args(&args).status().unwrap().success());
    }

    fn screen(&self) -> String {
        let output = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string()
    }

    /// Waits until the screen shows `needle`, failing with the screen after 10 s.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {needle:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn e2e_baseline_marks_and_filters_changed_rows_in_tmux() {
    use linkscope::model::{Protocol, SgRule};
    let dir = scratch("e2e-baseline");
    let mut before = linkscope::input::demo(linkscope::cli::DemoScenario::Troubled);
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
    let baseline = dir.join("before.json");
    std::fs::write(&baseline, before.to_json()).unwrap();
    let tmux = Tmux::start(120, 40);
    let command = format!(
        "{} --demo --baseline {}; echo EXIT=$?",
        env!("CARGO_BIN_EXE_linkscope"),
        baseline.display()
    );
    tmux.keys(&[&command, "Enter"]);
    tmux.wait_for("│ ∆ ");
    tmux.keys(&["4"]);
    tmux.wait_for("Security (4)");
    tmux.keys(&[":", "c", "h", "a", "n", "g", "e", "d", "Enter"]);
    let screen = tmux.wait_for("Security (1)");
    assert!(screen.contains("sg-0e5dee86109f10b11"), "{screen}");
    tmux.keys(&["Enter"]);
    // The opened details' title: the closed ones show the change too.
    let opened = tmux.wait_for("Details · Esc close");
    assert!(
        opened.contains("- inbound tcp 443  10.42.0.0/16"),
        "{opened}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("Details · Enter to open");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Security (4)");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}

#[test]
fn e2e_dashboard_in_tmux_navigates_and_restores_the_terminal() {
    let dir = scratch("e2e");
    let tmux = Tmux::start(120, 40);
    let command = format!(
        "cd {} && NO_COLOR= {} --demo; echo EXIT=$?",
        dir.display(),
        env!("CARGO_BIN_EXE_linkscope")
    );
    tmux.keys(&[&command, "Enter"]);
    tmux.wait_for("MWAA readiness 6/12");
    tmux.wait_for("Checklist (25)");
    for (key, title) in [
        ("2", "Endpoints (10)"),
        ("3", "Routes (2)"),
        ("4", "Security (4)"),
        ("5", "Metrics (21)"),
        ("6", "DNS (10)"),
        ("7", "Changes (4)"),
        ("Tab", "Checklist (25)"),
    ] {
        tmux.keys(&[key]);
        tmux.wait_for(title);
    }
    // The change timeline: the night before, linked to what fails now.
    tmux.keys(&["7", "Enter"]);
    tmux.wait_for("Problems on sg-0e5dee86109f10b11 now");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Details · Enter to open");
    tmux.keys(&["2", "/", "e", "c", "r", "Enter"]);
    tmux.wait_for("Endpoints (2)");
    tmux.keys(&["Enter"]);
    let details = tmux.wait_for("Details · Esc close");
    assert!(details.contains("Network interfaces"), "{details}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Details · Enter to open");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Endpoints (10)");
    tmux.keys(&["?"]);
    tmux.wait_for("Keys · ? or Esc to close");
    tmux.keys(&["?"]);
    tmux.keys(&["e"]);
    tmux.wait_for(&format!("exported {}/linkscope-", dir.display()));
    // A second export gets new names; the next key clears the message.
    tmux.keys(&["e"]);
    tmux.wait_for("-2.json");
    tmux.keys(&["j"]);
    tmux.wait_for("↑↓ move · Enter details");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXIT=0");
    assert!(
        !after.contains("MWAA readiness"),
        "the alternate screen is gone:\n{after}"
    );
    // Cooked mode is back: echo and canonical input are on.
    tmux.keys(&[
        "stty -a | tr ' ;' '\\n\\n' | grep -xE 'icanon|echo' | sort | tr '\\n' ' '; echo STTY",
        "Enter",
    ]);
    let stty = tmux.wait_for("echo icanon STTY");
    assert!(stty.contains("echo icanon STTY"), "{stty}");
    let exported: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        exported.iter().any(|f| f.ends_with(".json"))
            && exported.iter().any(|f| f.ends_with(".md")),
        "{exported:?}"
    );
    assert_eq!(exported.len(), 4, "nothing overwritten: {exported:?}");
}

/// On a snapshot, the keys that only live data has say so instead of doing nothing, the
/// footer offers none of them, and `w` cycles only the windows the snapshot holds.
#[test]
fn e2e_keys_on_a_snapshot_say_what_they_do_in_tmux() {
    let tmux = Tmux::start(120, 35);
    let command = format!("{} --demo; echo EXIT=$?", env!("CARGO_BIN_EXE_linkscope"));
    tmux.keys(&[&command, "Enter"]);
    let screen = tmux.wait_for("Checklist (25)");
    let footer = screen
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert!(
        footer.contains("? help · q quit") && !footer.contains("r refresh"),
        "{footer}"
    );
    for (key, says) in [
        (
            "r",
            "a snapshot (captured 2026-11-25T06:00:00Z) does not change",
        ),
        ("a", "a snapshot does not refresh"),
        ("s", "s sorts the Fleet screen"),
        ("t", "t opens the start screen, which lists live AWS"),
    ] {
        tmux.keys(&[key]);
        tmux.wait_for(says);
        tmux.keys(&["j"]);
        let cleared = tmux.wait_for("↑↓ move");
        assert!(!cleared.contains(says), "the next key clears it: {cleared}");
    }
    tmux.keys(&["w"]);
    tmux.wait_for("window 1h");
    tmux.keys(&["w"]);
    tmux.wait_for("window 3h");
    tmux.keys(&["w"]);
    let screen = tmux.wait_for("window 1h");
    assert!(!screen.contains("24h ·"), "{screen}");
    // The details scroll with PgDn and G and keep their row selected.
    tmux.keys(&["2", "j", "Enter"]);
    tmux.wait_for("Details · Esc close");
    tmux.keys(&["G"]);
    let end = tmux.wait_for("Findings");
    tmux.keys(&["g"]);
    let top = tmux.wait_for("vpce-0836130b9544b86c1  com.amazonaws");
    assert_ne!(end, top);
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("EXIT=0");
}

/// At 60×15 the footer keeps `? help · q quit`, the help scrolls to its end, and the
/// setup demo's CREATE_FAILED error is wrapped whole above the checklist.
#[test]
fn e2e_a_small_terminal_keeps_help_quit_and_whole_errors_in_tmux() {
    let tmux = Tmux::start(60, 15);
    let command = format!(
        "{} --demo=setup; echo EXIT=$?",
        env!("CARGO_BIN_EXE_linkscope")
    );
    tmux.keys(&[&command, "Enter"]);
    let screen = tmux.wait_for("Checklist (18)");
    assert!(screen.contains("? help · q quit"), "{screen}");
    assert!(screen.contains("are configured correctly."), "{screen}");
    tmux.keys(&["?"]);
    tmux.wait_for("Keys · ↑↓ scroll");
    tmux.keys(&["G"]);
    tmux.wait_for("NO_COLOR=1");
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("EXIT=0");
}

#[tokio::test]
async fn live_dashboard_refresh_cycle_against_moto() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.31").await;
    let input = Input::Live {
        connect: ConnectOptions {
            profile: None,
            region: Some(REGION.into()),
            endpoint_url: Some(moto::url()),
            ..ConnectOptions::default()
        },
        target: Target {
            vpc_id: Some(seeded.vpc_id.clone()),
            ..Target::default()
        },
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::new(input, Vec::new(), tx);
    let mut app = App {
        live: true,
        ..App::default()
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let theme = linkscope::ui::Theme::color();

    // The first frame draws before any data arrives.
    terminal
        .draw(|f| linkscope::ui::render(&app, f, &theme))
        .unwrap();
    let mut commands = app.start();
    // One full cycle, then a describes-only refresh (the 30 s tick).
    for round in 0..2 {
        for command in commands.drain(..) {
            assert!(matches!(command, AppCommand::Fetch { .. }));
            worker.execute(command);
        }
        let action = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("a result")
            .unwrap();
        update(&mut app, action);
        assert_eq!(app.error, None, "round {round}");
        commands = update(
            &mut app,
            Action::Tick(linkscope::app::DESCRIBE_EVERY_MS * (round + 1)),
        );
    }
    let snapshot = app.snapshot.as_ref().unwrap();
    assert_eq!(snapshot.endpoints.len(), 10);
    assert_eq!(
        snapshot.metrics.series.len(),
        45,
        "metrics kept across the describes-only refresh"
    );
    for tab in Tab::all() {
        update(&mut app, Action::SelectTab(tab));
        terminal
            .draw(|f| linkscope::ui::render(&app, f, &theme))
            .unwrap();
    }
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains(&seeded.vpc_id[..12]));
}

/// The environment variables that point the binary at moto, for a shell in tmux (whose
/// environment is the tmux server's, not this process's).
fn moto_env() -> String {
    [
        "AWS_ACCESS_KEY_ID=testing",
        "AWS_SECRET_ACCESS_KEY=testing",
        "AWS_EC2_METADATA_DISABLED=true",
        "AWS_CONFIG_FILE=/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
    ]
    .join(" ")
}

/// Without a target: the start screen lists the Region's VPCs from moto; a filter and Enter
/// open one, its checklist shows, `t` brings the start screen back and Esc returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_start_screen_in_tmux_opens_a_vpc_and_switches_back() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.63").await;
    let command = format!(
        "{} {} --endpoint-url {} --region {REGION}; echo EXIT=$?",
        moto_env(),
        env!("CARGO_BIN_EXE_linkscope"),
        moto::url()
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(120, 40);
        tmux.keys(&[&command, "Enter"]);
        tmux.wait_for("Start: open an MWAA environment or a VPC");
        tmux.wait_for(&seeded.vpc_id);
        tmux.keys(&["/", "1", "0", ".", "6", "3", ".", "Enter"]);
        let screen = tmux.wait_for("10.63.0.0/16");
        assert!(screen.contains("10 endpoints"), "{screen}");
        tmux.keys(&["Enter"]);
        let opened = tmux.wait_for("Checklist (");
        tmux.wait_for("MWAA readiness");
        assert!(!opened.contains("Start: open"), "{opened}");
        tmux.keys(&["t"]);
        tmux.wait_for("Start: open an MWAA environment or a VPC");
        tmux.keys(&["Escape"]);
        let back = tmux.wait_for("Checklist (");
        assert!(back.contains(&seeded.vpc_id[..12]), "{back}");
        tmux.keys(&["q"]);
        tmux.wait_for("EXIT=0");
    })
    .await
    .unwrap();
}

/// On live data the same keys act: `r` refreshes, `a` pauses and says so, `w` fetches the
/// next window (24h, which live data can have), `t` opens the start screen and Esc returns,
/// `s` says where it sorts; the footer offers `r refresh`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_keys_do_what_the_footer_says_in_tmux() {
    let clients = moto::clients().await;
    let seeded = moto::seed_mwaa_vpc(&clients, "10.66").await;
    let dir = scratch("live-keys");
    let command = format!(
        "cd {} && {} {} --endpoint-url {} --region {REGION} --vpc {}; echo EXIT=$?",
        dir.display(),
        moto_env(),
        env!("CARGO_BIN_EXE_linkscope"),
        moto::url(),
        seeded.vpc_id
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(140, 35);
        tmux.keys(&[&command, "Enter"]);
        // "updated never" is in the header while the first read runs: wait for its result.
        let screen = tmux.wait_for("Checklist (");
        assert!(
            screen.contains("r refresh") && screen.contains("? help · q quit"),
            "{screen}"
        );
        tmux.keys(&["a"]);
        tmux.wait_for("auto-refresh paused");
        tmux.wait_for("· paused");
        tmux.keys(&["a"]);
        tmux.wait_for("auto-refresh on");
        tmux.keys(&["w"]);
        tmux.wait_for("window 24h");
        tmux.keys(&["r"]);
        tmux.wait_for("updated 0s ago");
        tmux.keys(&["s"]);
        tmux.wait_for("s sorts the Fleet screen");
        tmux.keys(&["t"]);
        tmux.wait_for("Start: open an MWAA environment or a VPC");
        tmux.keys(&["Escape"]);
        tmux.wait_for("Checklist (");
        tmux.keys(&["e"]);
        tmux.wait_for(&format!("exported {}/linkscope-", dir.display()));
        tmux.keys(&["q"]);
        tmux.wait_for("EXIT=0");
    })
    .await
    .unwrap();
}

/// With fleet flags: the Fleet screen lists every environment (moto behind the proxy, which
/// stands in for MWAA) and a denied Region as its own row; `s` puts the worst first, Enter
/// drills into a target's panes, Esc comes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_fleet_screen_in_tmux_drills_into_a_target_and_back() {
    use crate::fleet::environment;
    use crate::proxy::{Config, Proxy};
    use serde_json::json;
    use std::collections::HashMap;

    let clients = moto::clients().await;
    let a = moto::seed_mwaa_vpc(&clients, "10.64").await;
    let b = moto::seed_mwaa_vpc(&clients, "10.65").await;
    let config = Config {
        canned: HashMap::from([
            (
                "ListEnvironments".to_string(),
                json!({"Environments": ["tmux-a", "tmux-b"]}).to_string(),
            ),
            (
                "GetEnvironment /environments/tmux-a".to_string(),
                environment("tmux-a", &a),
            ),
            (
                "GetEnvironment /environments/tmux-b".to_string(),
                environment("tmux-b", &b),
            ),
        ]),
        deny_when: vec!["/eu-west-1/".into()],
        ..Config::default()
    };
    let proxy = Proxy::start(&moto::url(), config).await;
    let command = format!(
        "{} {} --all-envs --regions {REGION},eu-west-1 --endpoint-url {}; echo EXIT=$?",
        moto_env(),
        env!("CARGO_BIN_EXE_linkscope"),
        proxy.url
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start(120, 40);
        tmux.keys(&[&command, "Enter"]);
        tmux.wait_for("Fleet: Enter opens a target");
        let screen = tmux.wait_for("Fleet · 3 targets");
        assert!(
            screen.contains("tmux-a") && screen.contains("tmux-b"),
            "{screen}"
        );
        assert!(screen.contains("not audited"), "{screen}");
        tmux.keys(&["s"]);
        let sorted = tmux.wait_for("worst first");
        let first = sorted
            .lines()
            .find(|l| l.contains("▶"))
            .unwrap_or_default()
            .to_string();
        assert!(
            first.contains("eu-west-1"),
            "the denied Region first: {sorted}"
        );
        tmux.keys(&["/"]);
        tmux.keys(&["-l", "tmux-b"]);
        tmux.keys(&["Enter", "Enter"]);
        let opened = tmux.wait_for("Checklist (");
        assert!(opened.contains("MWAA tmux-b"), "{opened}");
        tmux.keys(&["Escape"]);
        tmux.wait_for("Fleet · 3 targets");
        tmux.keys(&["q"]);
        tmux.wait_for("EXIT=0");
    })
    .await
    .unwrap();
    drop(proxy);
}
