//! Odd data and bad input: clear messages or correct rendering, never a panic.

use linkscope::app::{Action, App, Tab, update};
use linkscope::checks::{audit, policy};
use linkscope::cli::DemoScenario;
use linkscope::input::demo;
use linkscope::model::Snapshot;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::cli::{assert_clean_failure, run};
use crate::moto::{self, REGION};

fn render_all_tabs(snapshot: Snapshot, width: u16, height: u16) -> String {
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
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut screens = String::new();
    for tab in Tab::all() {
        update(&mut app, Action::SelectTab(tab));
        for open in [false, true] {
            if open {
                update(&mut app, Action::Open);
            }
            terminal
                .draw(|f| linkscope::ui::render(&app, f, &linkscope::ui::Theme::color()))
                .unwrap();
            screens.extend(
                terminal
                    .backend()
                    .buffer()
                    .content()
                    .iter()
                    .map(|c| c.symbol().to_string()),
            );
            update(&mut app, Action::Back);
        }
    }
    screens
}

#[test]
fn wide_unicode_and_control_characters_in_tags_render_safely() {
    let mut snapshot = demo(DemoScenario::Troubled);
    snapshot
        .vpc
        .tags
        .insert("Name".into(), "数据平台-生产环境-🚀-\u{1b}[2J-\u{7}".into());
    for e in &mut snapshot.endpoints {
        e.tags
            .insert("Name".into(), "エンドポイント\u{0}\r\n".into());
    }
    for t in &mut snapshot.route_tables {
        t.tags
            .insert("Name".into(), "路由表\u{1b}]52;c;AAAA\u{7}".into());
    }
    for (w, h) in [(120, 40), (80, 24), (60, 20), (40, 10)] {
        let screens = render_all_tabs(snapshot.clone(), w, h);
        assert!(
            !screens.contains('\u{1b}') && !screens.contains('\u{7}'),
            "control characters reach the terminal at {w}×{h}"
        );
    }
    let output = linkscope::report::inventory::render(&snapshot);
    assert!(!output.contains('\u{1b}'));
}

#[test]
fn route_tables_without_associations_and_odd_data_audit_and_render() {
    let mut snapshot = demo(DemoScenario::Troubled);
    for t in &mut snapshot.route_tables {
        t.associations.clear();
    }
    snapshot
        .network_acls
        .iter_mut()
        .for_each(|a| a.entries.clear());
    snapshot.endpoints[1]
        .subnet_ids
        .push("subnet-0000000000000dead".into());
    snapshot.endpoints[2].policy_document = Some("{\"Statement\": 42}".into());
    snapshot.endpoints[3].policy_document = Some(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"NotAction":"kms:Delete*","NotResource":["arn:aws:kms:*:*:key/secret"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}}}"#.into());
    let result = audit(&snapshot);
    // No main table any more: every workload subnet lacks an effective route table.
    assert!(
        result
            .checklist()
            .filter(|f| f.id.starts_with("mwaa.s3-route."))
            .all(|f| f.status == linkscope::checks::Status::Fail)
    );
    assert!(result.findings.iter().any(
        |f| f.id == "vpce-policy-invalid" && f.resources == [snapshot.endpoints[2].id.clone()]
    ));
    render_all_tabs(snapshot, 100, 30);
}

#[test]
fn live_a_vpc_without_endpoints_audits_cleanly() {
    let url = moto::url();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vpc = rt.block_on(async {
        let clients = moto::clients().await;
        let created = clients
            .ec2
            .create_vpc()
            .cidr_block("10.99.0.0/16")
            .send()
            .await
            .unwrap();
        created.vpc().unwrap().vpc_id().unwrap().to_string()
    });
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            &vpc,
            "--format",
            "json",
        ],
        true,
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "required endpoints are missing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["workload"]
            .as_str()
            .unwrap()
            .starts_with("Workload assumed")
    );
    let output = run(
        &[
            "audit",
            "--endpoint-url",
            &url,
            "--region",
            REGION,
            "--vpc",
            "vpc-nothex!",
        ],
        true,
    );
    assert_eq!(output.status.code(), Some(2));
    // Flag errors are clap's: exit code 2 and the offending value named.
    let output = run(&["audit", "--demo", "--subnets", "subnet-1,sub-2"], false);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'sub-2'"));
    let missing = run(&["audit", "--snapshot", "/nonexistent/snap.json"], false);
    assert_clean_failure(&missing, 2, "cannot read snapshot /nonexistent/snap.json");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The policy parser returns a result for any text, JSON-shaped or not.
    #[test]
    fn policy_parser_never_panics(text in "\\PC{0,200}", statement in prop::collection::vec(("(Effect|Action|NotAction|Resource|NotResource|Principal|NotPrincipal|Condition|Sid)", "\\PC{0,12}"), 0..6)) {
        let _ = policy::parse(&text);
        let object: serde_json::Map<String, serde_json::Value> = statement.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
        let document = serde_json::json!({"Statement": [object]}).to_string();
        if let Ok(parsed) = policy::parse(&document) {
            let _ = parsed.is_full_access();
            let _ = parsed.access("s3:GetObject", "arn:aws:s3:::bucket/key");
        }
    }

    /// The snapshot loader rejects corrupted files with a message; it never panics.
    #[test]
    fn snapshot_loader_never_panics(cut in 0usize..200_000, flips in prop::collection::vec((0usize..200_000, any::<u8>()), 0..8)) {
        let mut bytes = demo_bytes().to_vec();
        for (at, value) in flips {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        bytes.truncate(cut.min(bytes.len()));
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(snapshot) = Snapshot::from_json(&text) {
            let _ = audit(&snapshot);
        }
    }
}

fn demo_bytes() -> &'static [u8] {
    include_bytes!("../../assets/demo-healthy.json")
}
