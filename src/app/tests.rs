//! `update` flows: navigation, filtering, refresh generations, selection across refreshes.

use super::*;
use crate::checks::Status;
use crate::cli::DemoScenario;
use crate::input::demo;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn loaded() -> App {
    let mut app = App::default();
    let commands = app.start();
    assert_eq!(
        commands,
        [Command::Fetch {
            generation: 1,
            with_metrics: true,
            window_seconds: 3 * 3600
        }]
    );
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Troubled))),
        },
    );
    app
}

/// The troubled demo as live data would show it (refreshed, windows fetched again).
fn live_loaded() -> App {
    let mut app = App {
        live: true,
        ..App::default()
    };
    app.start();
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Troubled))),
        },
    );
    app
}

/// A tab by its pane's title.
fn tab(title: &str) -> Tab {
    Tab::named(title).unwrap()
}

fn key(app: &App, code: KeyCode) -> Option<Action> {
    action_for(app, KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn tabs_cycle_and_jump() {
    let mut app = loaded();
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, tab("Endpoints"));
    update(&mut app, Action::PrevTab);
    update(&mut app, Action::PrevTab);
    assert_eq!(app.tab, tab("Changes"), "wraps around to the last tab");
    let jump = key(&app, KeyCode::Char('3')).unwrap();
    update(&mut app, jump);
    assert_eq!(app.tab, tab("Routes"));
    // A digit past the last tab does nothing.
    let beyond = key(&app, KeyCode::Char('9')).unwrap();
    update(&mut app, beyond);
    assert_eq!(app.tab, tab("Routes"));
}

#[test]
fn selection_moves_within_bounds() {
    let mut app = loaded();
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    update(&mut app, Action::Up);
    assert_eq!(app.selection(), Some(0));
    for _ in 0..3 {
        update(&mut app, Action::Down);
    }
    assert_eq!(app.selection(), Some(3));
    update(&mut app, Action::Bottom);
    assert_eq!(app.selection(), Some(app.rows().len() - 1));
    update(&mut app, Action::PageDown);
    assert_eq!(app.selection(), Some(app.rows().len() - 1));
    update(&mut app, Action::Top);
    assert_eq!(app.selection(), Some(0));
}

#[test]
fn filter_narrows_rows_and_esc_clears_it() {
    let mut app = loaded();
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    let all = app.rows().len();
    let slash = key(&app, KeyCode::Char('/')).unwrap();
    update(&mut app, slash);
    assert!(app.filtering);
    for c in "pendingacc".chars() {
        let action = key(&app, KeyCode::Char(c)).unwrap();
        update(&mut app, action);
    }
    assert_eq!(app.rows().len(), 1, "state filter");
    let enter = key(&app, KeyCode::Enter).unwrap();
    update(&mut app, enter);
    assert!(!app.filtering && app.filter == "pendingacc");
    // `q` quits again once editing stopped; while editing it would be text.
    assert!(matches!(key(&app, KeyCode::Char('q')), Some(Action::Quit)));
    update(&mut app, Action::Back);
    assert_eq!(app.rows().len(), all);

    // Tags and services filter too.
    for c in "ecr".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    assert_eq!(app.rows().len(), 2);
}

#[test]
fn stale_results_are_dropped() {
    let mut app = live_loaded();
    let first = update(&mut app, Action::Refresh);
    let second = update(&mut app, Action::Refresh);
    assert!(matches!(first[0], Command::Fetch { generation: 2, .. }));
    assert!(matches!(second[0], Command::Fetch { generation: 3, .. }));
    update(
        &mut app,
        Action::Loaded {
            generation: 2,
            with_metrics: true,
            result: Err("old failure".into()),
        },
    );
    assert!(app.loading, "still waiting for generation 3");
    assert_eq!(app.error, None);
    update(
        &mut app,
        Action::Loaded {
            generation: 3,
            with_metrics: true,
            result: Err("AccessDenied".into()),
        },
    );
    assert!(!app.loading);
    assert_eq!(app.error.as_deref(), Some("AccessDenied"));
    assert!(app.snapshot.is_some(), "the last good data stays on screen");
}

#[test]
fn selection_is_kept_across_refresh_by_id() {
    let mut app = live_loaded();
    update(&mut app, Action::SelectTab(tab("Endpoints")));
    for _ in 0..4 {
        update(&mut app, Action::Down);
    }
    let selected = app.selected_id().unwrap();
    // The refreshed data lists the endpoints in another order.
    let mut reordered = demo(DemoScenario::Troubled);
    reordered.endpoints.reverse();
    let generation = match update(&mut app, Action::Refresh)[0] {
        Command::Fetch { generation, .. } => generation,
        _ => unreachable!(),
    };
    update(
        &mut app,
        Action::Loaded {
            generation,
            with_metrics: true,
            result: Ok(Box::new(reordered)),
        },
    );
    assert_eq!(app.selected_id().unwrap(), selected);
    assert_ne!(app.selection(), Some(4));
}

#[test]
fn auto_refresh_schedules_describes_and_metrics() {
    let mut app = loaded();
    assert!(
        update(&mut app, Action::Tick(10 * DESCRIBE_EVERY_MS)).is_empty(),
        "a snapshot does not refresh"
    );
    let mut app = live_loaded();
    assert!(update(&mut app, Action::Tick(10_000)).is_empty());
    let describes = update(&mut app, Action::Tick(DESCRIBE_EVERY_MS));
    assert!(matches!(
        describes[0],
        Command::Fetch {
            with_metrics: false,
            ..
        }
    ));
    let generation = app.generation;
    // Describes-only results keep the previous metrics.
    let mut fresh = demo(DemoScenario::Troubled);
    fresh.metrics.series.clear();
    update(
        &mut app,
        Action::Loaded {
            generation,
            with_metrics: false,
            result: Ok(Box::new(fresh)),
        },
    );
    assert!(!app.snapshot.as_ref().unwrap().metrics.series.is_empty());
    let metrics = update(&mut app, Action::Tick(METRICS_EVERY_MS));
    assert!(matches!(
        metrics[0],
        Command::Fetch {
            with_metrics: true,
            ..
        }
    ));

    update(&mut app, Action::ToggleAutoRefresh);
    app.loading = false;
    assert!(
        update(&mut app, Action::Tick(10 * METRICS_EVERY_MS)).is_empty(),
        "paused"
    );
}

#[test]
fn details_help_copy_and_export() {
    let mut app = loaded();
    update(&mut app, Action::Open);
    assert!(app.details);
    update(&mut app, Action::Down);
    assert_eq!(app.details_scroll, 1, "arrows scroll the open details");
    update(&mut app, Action::PageDown);
    assert_eq!(app.details_scroll, 11, "and so do pages");
    app.details_bottom.set(7); // as the drawing found it
    update(&mut app, Action::Up);
    assert_eq!(app.details_scroll, 6, "never past the end");
    update(&mut app, Action::Bottom);
    assert_eq!(app.details_scroll, 7);
    update(&mut app, Action::Top);
    assert_eq!(app.details_scroll, 0);
    assert_eq!(app.selection(), Some(0), "the selection stays on its row");
    update(&mut app, Action::Back);
    assert!(!app.details);

    // On the checklist, `y` copies the fix of the selected failing row.
    for _ in 0..4 {
        update(&mut app, Action::Down);
    }
    let copied = update(&mut app, Action::Copy);
    assert_eq!(copied, [Command::Copy("aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0c601da6a574a049e --private-dns-enabled --region us-east-1 --profile data-platform-prod".into())]);
    update(&mut app, Action::SelectTab(tab("Routes")));
    assert!(
        matches!(&update(&mut app, Action::Copy)[0], Command::Copy(id) if id.starts_with("rtb-"))
    );
    assert!(matches!(
        update(&mut app, Action::Export)[0],
        Command::Export(_)
    ));

    update(&mut app, Action::ToggleHelp);
    update(&mut app, Action::NextTab);
    assert_eq!(app.tab, tab("Routes"), "help swallows other keys");
    update(&mut app, Action::Down);
    assert_eq!(app.help_scroll, 1, "and scrolls with the movement keys");
    update(&mut app, Action::Back);
    assert!(!app.help);
}

/// Presses a key, as the event loop would.
fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    let action = key(app, code).unwrap_or_else(|| panic!("{code:?} means nothing"));
    update(app, action)
}

#[test]
fn every_key_does_what_it_says_on_live_data_and_on_a_snapshot() {
    for live in [true, false] {
        let fresh = || if live { live_loaded() } else { loaded() };
        let notice = |app: &App| app.notice.clone().unwrap_or_default();

        // r refreshes live data; a snapshot says it does not change.
        let mut app = fresh();
        let commands = press(&mut app, KeyCode::Char('r'));
        match live {
            true => assert!(matches!(commands[0], Command::Fetch { .. }), "{commands:?}"),
            false => {
                assert!(commands.is_empty());
                assert!(notice(&app).contains("does not change"), "{}", notice(&app));
            }
        }

        // a pauses live refresh and says so; on a snapshot it says there is none.
        let mut app = fresh();
        press(&mut app, KeyCode::Char('a'));
        assert_eq!(app.auto_refresh, !live, "live: {live}");
        let said = notice(&app);
        assert!(
            if live {
                said.contains("paused")
            } else {
                said.contains("does not refresh")
            },
            "{said}"
        );

        // s sorts a Fleet screen, and says so where there is none.
        let mut app = fresh();
        assert!(press(&mut app, KeyCode::Char('s')).is_empty());
        assert!(notice(&app).contains("Fleet screen"), "{}", notice(&app));

        // t opens the start screen of live data; a snapshot has none to offer.
        let mut app = fresh();
        let commands = press(&mut app, KeyCode::Char('t'));
        assert_eq!(app.choosing, live);
        match live {
            true => assert_eq!(commands, [Command::FetchChoices]),
            false => {
                assert!(commands.is_empty());
                assert!(notice(&app).contains("start screen"), "{}", notice(&app));
            }
        }

        // w fetches live data again with the next window; a snapshot of 3h offers 1h and
        // 3h, never a 24h it does not hold.
        let mut app = fresh();
        let mut seen = Vec::new();
        for _ in 0..3 {
            let commands = press(&mut app, KeyCode::Char('w'));
            assert_eq!(commands.len(), usize::from(live), "{commands:?}");
            seen.push(app.window.label());
        }
        match live {
            true => assert_eq!(seen, ["24h", "1h", "3h"]),
            false => assert_eq!(seen, ["1h", "3h", "1h"]),
        }

        // m, y, e, ?, Enter, Esc, q: the same on both.
        let mut app = fresh();
        press(&mut app, KeyCode::Char('m'));
        assert_eq!(app.metric, 1);
        assert!(matches!(
            press(&mut app, KeyCode::Char('y'))[0],
            Command::Copy(_)
        ));
        assert!(matches!(
            press(&mut app, KeyCode::Char('e'))[0],
            Command::Export(_)
        ));
        press(&mut app, KeyCode::Char('?'));
        assert!(app.help);
        press(&mut app, KeyCode::Esc);
        assert!(!app.help);
        press(&mut app, KeyCode::Enter);
        assert!(app.details);
        press(&mut app, KeyCode::PageDown);
        press(&mut app, KeyCode::Char('G'));
        assert!(app.details_scroll > 0, "PgDn and G scroll the details");
        press(&mut app, KeyCode::Char('g'));
        assert_eq!((app.details_scroll, app.selection()), (0, Some(0)));
        press(&mut app, KeyCode::Esc);
        assert!(!app.details);
        press(&mut app, KeyCode::Char('q'));
        assert!(app.quit);
    }
}

#[test]
fn a_message_stays_until_the_next_key() {
    let mut app = loaded();
    update(
        &mut app,
        Action::Notice("sent to the terminal's clipboard".into()),
    );
    update(&mut app, Action::Tick(1_000));
    assert!(app.notice.is_some(), "the clock does not clear it");
    update(&mut app, Action::Down);
    assert_eq!(app.notice, None, "a key does");
}

#[test]
fn window_toggle_refetches_with_the_new_window() {
    let mut app = live_loaded();
    let commands = update(&mut app, Action::CycleWindow);
    assert_eq!(
        commands,
        [Command::Fetch {
            generation: 2,
            with_metrics: true,
            window_seconds: 24 * 3600
        }]
    );
    assert_eq!(app.window.label(), "24h");
}

/// A live dashboard started with `--changes 24h`, once its first snapshot arrived.
fn live_with_changes() -> (App, Vec<Command>) {
    let mut app = App {
        live: true,
        changes_window: Some(Duration::from_secs(24 * 3600)),
        ..App::default()
    };
    app.start();
    let mut snapshot = demo(DemoScenario::Troubled);
    snapshot.changes = None; // live snapshots carry none: the dashboard reads them
    let commands = update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(snapshot)),
        },
    );
    (app, commands)
}

#[test]
fn changes_are_read_once_the_first_snapshot_is_in_and_fold_in_page_by_page() {
    let (mut app, commands) = live_with_changes();
    let [
        Command::FetchChanges {
            generation, window, ..
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!((*generation, window.as_secs()), (1, 24 * 3600));
    assert!(app.changes_reading);
    assert!(app.audit.as_ref().unwrap().timeline.is_none());
    let page = demo(DemoScenario::Troubled).changes.unwrap();
    let mut first = page.clone();
    first.events.truncate(1);
    update(
        &mut app,
        Action::ChangesRead {
            generation: 1,
            changes: Box::new(first),
            done: false,
        },
    );
    let timeline = app.audit.as_ref().unwrap().timeline.clone().unwrap();
    assert_eq!(
        timeline.events.len(),
        1,
        "partial results show as they arrive"
    );
    assert!(app.changes_reading);
    // A stale read (an older request) is dropped.
    update(
        &mut app,
        Action::ChangesRead {
            generation: 0,
            changes: Box::new(Changes::default()),
            done: true,
        },
    );
    assert!(app.changes_reading);
    update(
        &mut app,
        Action::ChangesRead {
            generation: 1,
            changes: Box::new(page),
            done: true,
        },
    );
    assert!(!app.changes_reading);
    assert_eq!(app.rows_of(tab("Changes")).len(), 4);
    // A describes refresh keeps the changes; only `r` reads CloudTrail again.
    let refreshed = update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Healthy))),
        },
    );
    assert!(refreshed.is_empty(), "{refreshed:?}");
    let again = update(&mut app, Action::Refresh);
    assert!(
        again
            .iter()
            .any(|c| matches!(c, Command::FetchChanges { generation: 2, .. }))
    );
}

#[test]
fn changes_are_not_read_for_files_demos_or_without_the_flag() {
    let app = loaded();
    assert!(!app.changes_reading);
    let mut demo_app = App {
        changes_window: Some(Duration::from_secs(3600)),
        ..App::default()
    };
    demo_app.start();
    let commands = update(
        &mut demo_app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Troubled))),
        },
    );
    assert!(commands.is_empty(), "a demo carries its own changes");
    assert_eq!(demo_app.rows_of(tab("Changes")).len(), 4);
}

fn choices() -> Choices {
    use crate::model::{EnvironmentChoice, EnvironmentStatus, VpcChoice};
    Choices {
        region: "us-east-1".into(),
        environments: vec![EnvironmentChoice {
            name: "airflow-prod".into(),
            status: Some(EnvironmentStatus::from("AVAILABLE".to_string())),
            airflow_version: Some("2.10.3".into()),
        }],
        vpcs: vec![
            VpcChoice {
                id: "vpc-0aaaaaaaaaaaaaaa1".into(),
                name: Some("data-platform".into()),
                cidr: Some("10.42.0.0/16".into()),
                endpoints: Some(10),
                is_default: false,
            },
            VpcChoice {
                id: "vpc-0bbbbbbbbbbbbbbb2".into(),
                name: None,
                cidr: Some("172.31.0.0/16".into()),
                endpoints: None,
                is_default: true,
            },
        ],
        ..Choices::default()
    }
}

#[test]
fn without_a_target_the_start_screen_lists_then_opens_the_choice() {
    let mut app = App {
        live: true,
        ..App::default()
    };
    assert_eq!(app.start_picking(), [Command::FetchChoices]);
    assert!(app.choosing);
    // Enter before the lists arrive does nothing.
    assert!(update(&mut app, Action::Open).is_empty());
    update(&mut app, Action::ChoicesLoaded(Ok(Box::new(choices()))));
    assert_eq!(app.choice_rows().len(), 3);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    assert_eq!(app.choice_selected, 2, "stops at the last row");
    update(&mut app, Action::StartFilter);
    for c in "data".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    update(&mut app, Action::FilterDone);
    assert_eq!(app.choice_rows().len(), 1);
    assert_eq!(app.choice_selected, 0, "filtering starts at the top");
    let commands = update(&mut app, Action::Open);
    assert_eq!(
        commands,
        [
            Command::Target(Choice::Vpc("vpc-0aaaaaaaaaaaaaaa1".into())),
            Command::Fetch {
                generation: 1,
                with_metrics: true,
                window_seconds: 3 * 3600
            }
        ]
    );
    assert!(!app.choosing && app.filter.is_empty() && app.loading);
    update(
        &mut app,
        Action::Loaded {
            generation: 1,
            with_metrics: true,
            result: Ok(Box::new(demo(DemoScenario::Troubled))),
        },
    );
    // t brings the start screen back without reading the lists again; Esc returns.
    let t = key(&app, KeyCode::Char('t')).unwrap();
    assert!(update(&mut app, t).is_empty());
    assert!(app.choosing);
    update(&mut app, Action::Back);
    assert!(!app.choosing && app.snapshot.is_some());
    // Opening the environment replaces what was on screen.
    update(&mut app, Action::OpenPicker);
    let commands = update(&mut app, Action::Open);
    assert_eq!(
        commands[0],
        Command::Target(Choice::Environment("airflow-prod".into()))
    );
    assert!(app.snapshot.is_none() && app.audit.is_none());
}

#[test]
fn a_start_screen_that_cannot_list_says_why_and_retries() {
    let mut app = App::default();
    app.start_picking();
    update(
        &mut app,
        Action::ChoicesLoaded(Err("no AWS region: pass --region".into())),
    );
    assert_eq!(
        app.choices_error.as_deref(),
        Some("no AWS region: pass --region")
    );
    assert_eq!(app.error, None, "not a fetch of the dashboard's data");
    assert!(app.choices.is_none());
    assert_eq!(update(&mut app, Action::Refresh), [Command::FetchChoices]);
    assert!(app.choices_error.is_none());
    // Esc does not leave a start screen that has nothing behind it.
    update(&mut app, Action::Back);
    assert!(app.choosing);
}

/// A fleet read of three targets: the healthy and troubled demos, and a Region that was
/// denied.
fn fleet_read(troubled_endpoints: usize) -> Vec<Entry> {
    let audited = |snapshot: Snapshot| Entry::Audited {
        audited: Box::new(crate::fleet::audited::audited(&snapshot, None, &[])),
        snapshot: Box::new(snapshot),
    };
    let mut troubled = demo(DemoScenario::Troubled);
    troubled.endpoints.truncate(troubled_endpoints);
    let mut entries = vec![audited(demo(DemoScenario::Healthy)), audited(troubled)];
    entries.push(Entry::Failed(crate::fleet::Failed {
        target: "all environments".into(),
        region: Some("eu-west-1".into()),
        account: None,
        reason: "AccessDenied: not authorized".into(),
    }));
    entries
}

/// Delivers the targets of read `generation` one by one, then ends the read.
fn deliver(app: &mut App, generation: u64, entries: Vec<Entry>) {
    for entry in entries {
        let action = Action::FleetTarget {
            generation,
            entry: Box::new(entry),
        };
        assert!(update(app, action).is_empty());
    }
    let end = Action::FleetRead {
        generation,
        result: Ok(()),
    };
    assert!(update(app, end).is_empty());
}

#[test]
fn the_first_fleet_read_lists_each_target_as_it_arrives() {
    let mut app = App::default();
    app.start_fleet();
    let mut entries = fleet_read(3).into_iter().rev();
    for arrived in 1..=3 {
        let entry = Box::new(entries.next().unwrap());
        update(
            &mut app,
            Action::FleetTarget {
                generation: 1,
                entry,
            },
        );
        assert_eq!(app.fleet_rows().len(), arrived);
        assert!(app.fleet.as_ref().unwrap().loading);
    }
    let order: Vec<String> = app.fleet_rows().into_iter().map(|r| r.target).collect();
    assert_eq!(
        order[2], "all environments",
        "in the list's order: {order:?}"
    );
    // A target of an older read is dropped.
    let stale = Box::new(fleet_read(3).remove(0));
    update(
        &mut app,
        Action::FleetTarget {
            generation: 0,
            entry: stale,
        },
    );
    assert_eq!(app.fleet_rows().len(), 3);
    update(
        &mut app,
        Action::FleetRead {
            generation: 1,
            result: Ok(()),
        },
    );
    assert!(!app.fleet.as_ref().unwrap().loading);
}

#[test]
fn the_fleet_screen_sorts_opens_a_target_and_comes_back() {
    let mut app = App::default();
    assert_eq!(app.start_fleet(), [Command::FetchFleet { generation: 1 }]);
    assert!(app.on_fleet_screen() && !app.live);
    assert!(
        update(&mut app, Action::Open).is_empty(),
        "nothing read yet"
    );
    let troubled = demo(DemoScenario::Troubled);
    let endpoints = troubled.endpoints.len();
    deliver(&mut app, 1, fleet_read(endpoints));
    assert_eq!(app.fleet_rows().len(), 3);
    // s lists the worst first: the Region that was not audited, then the troubled demo.
    let s = key(&app, KeyCode::Char('s')).unwrap();
    update(&mut app, s);
    let order: Vec<String> = app.fleet_rows().into_iter().map(|r| r.target).collect();
    assert_eq!(order[0], "all environments");
    update(&mut app, Action::Open);
    assert!(
        app.on_fleet_screen(),
        "a target that was not audited stays closed"
    );
    assert!(app.notice.as_deref().unwrap().contains("AccessDenied"));
    update(&mut app, Action::Down);
    assert!(
        update(&mut app, Action::Open).is_empty(),
        "opened from the read"
    );
    assert!(!app.on_fleet_screen());
    assert_eq!(app.snapshot.as_ref().unwrap().vpc.id, troubled.vpc.id);
    assert!(app.audit.is_some());
    // No refresh of its own: the clock never fetches one target of a fleet.
    assert!(update(&mut app, Action::Tick(10 * DESCRIBE_EVERY_MS)).is_empty());
    // Esc closes the details first, then comes back to the Fleet screen.
    update(&mut app, Action::Open);
    update(&mut app, Action::Back);
    assert!(!app.on_fleet_screen() && !app.details);
    update(&mut app, Action::Back);
    assert!(app.on_fleet_screen());
    // Esc ends an empty filter before it leaves the target.
    update(&mut app, Action::Back);
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::Back);
    assert!(!app.on_fleet_screen() && !app.filtering);
    update(&mut app, Action::Back);
    assert!(app.on_fleet_screen());
    // Esc on the Fleet screen returns to the open target; t leads back again.
    update(&mut app, Action::Back);
    assert!(!app.on_fleet_screen());
    update(&mut app, Action::OpenPicker);
    assert!(app.on_fleet_screen() && !app.choosing);
}

#[test]
fn reading_the_fleet_again_updates_the_open_target() {
    let mut app = App::default();
    app.start_fleet();
    let endpoints = demo(DemoScenario::Troubled).endpoints.len();
    deliver(&mut app, 1, fleet_read(endpoints));
    let row = app
        .fleet_rows()
        .iter()
        .position(|r| r.region != "eu-west-1" && r.tone == Status::Fail)
        .unwrap();
    app.fleet.as_mut().unwrap().selected = row;
    update(&mut app, Action::Open);
    assert_eq!(app.snapshot.as_ref().unwrap().endpoints.len(), endpoints);
    // r in the opened target reads the whole fleet again; the list changes when the read
    // ends, and the target shows the new read.
    assert_eq!(
        update(&mut app, Action::Refresh),
        [Command::FetchFleet { generation: 2 }]
    );
    assert!(app.fleet.as_ref().unwrap().loading);
    let mut again = fleet_read(3);
    again.pop();
    let first = Box::new(again[0].clone());
    update(
        &mut app,
        Action::FleetTarget {
            generation: 2,
            entry: first,
        },
    );
    assert_eq!(
        app.fleet_rows().len(),
        3,
        "the last list stays until the read ends"
    );
    assert_eq!(app.snapshot.as_ref().unwrap().endpoints.len(), endpoints);
    deliver(&mut app, 2, again[1..].to_vec());
    assert!(!app.fleet.as_ref().unwrap().loading);
    assert_eq!(app.fleet_rows().len(), 2, "the new read replaced the list");
    assert!(!app.on_fleet_screen());
    assert_eq!(app.snapshot.as_ref().unwrap().endpoints.len(), 3);
    // A read that failed as a whole says why and keeps the last rows.
    update(&mut app, Action::Refresh);
    update(
        &mut app,
        Action::FleetRead {
            generation: 3,
            result: Err("the worker panicked".into()),
        },
    );
    assert_eq!(app.fleet_rows().len(), 2);
    assert_eq!(
        app.fleet.as_ref().unwrap().error.as_deref(),
        Some("the worker panicked")
    );
}

#[test]
fn without_fleet_flags_fleet_actions_change_nothing() {
    let mut app = loaded();
    assert!(update(&mut app, Action::SortByWorst).is_empty());
    let end = Action::FleetRead {
        generation: 1,
        result: Ok(()),
    };
    assert!(update(&mut app, end).is_empty());
    assert!(app.fleet.is_none() && !app.on_fleet_screen());
}
