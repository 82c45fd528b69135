//! Header (where you are, how fresh, the verdict), tabs, footer (keys, errors), the
//! loading state and the help overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, Tabs, Wrap};

use super::Theme;
use crate::app::{App, HELP, Tab};
use crate::checks::Status;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

fn age(app: &App) -> String {
    match app.loaded_at_ms {
        Some(at) => {
            let seconds = app.now_ms.saturating_sub(at) / 1000;
            if seconds < 60 {
                format!("{seconds}s ago")
            } else {
                format!("{}m ago", seconds / 60)
            }
        }
        None => "never".into(),
    }
}

pub fn header(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [info, tabs] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let sep = || Span::styled(" │ ", theme.muted);
    // Region and profile are never cut (the prod cue); then the verdict, the age, the VPC.
    let mut cue = vec![Span::styled(" linkscope ", theme.title)];
    let mut middle = Vec::new();
    if let Some(s) = &app.snapshot {
        cue.push(Span::styled(s.region.clone(), theme.accent));
        cue.push(Span::styled(
            format!(" · profile {}", s.profile.as_deref().unwrap_or("default")),
            theme.accent,
        ));
        middle.push(sep());
        let name = s
            .vpc_name()
            .map(|n| format!(" {}", crate::report::table::truncate(n, 24)))
            .unwrap_or_default();
        middle.push(Span::raw(format!("{}{name}", s.vpc.id)));
        if let Some(account) = &s.vpc.owner_id {
            middle.push(Span::styled(format!(" · account {account}"), theme.muted));
        }
        if let Some(env) = &s.environment {
            middle.push(sep());
            middle.push(Span::raw(format!(
                "MWAA {} ({})",
                env.name,
                env.status.as_deref().unwrap_or("?")
            )));
        }
    }
    let mut verdict = Vec::new();
    if let Some(audit) = &app.audit {
        let rows: Vec<_> = audit.checklist().collect();
        let passed = rows.iter().filter(|f| f.status == Status::Pass).count();
        let style = if passed == rows.len() {
            theme.ok
        } else {
            theme.error
        };
        verdict.push(sep());
        verdict.push(Span::styled(
            format!("MWAA readiness {passed}/{}", rows.len()),
            style,
        ));
    }
    let spinner = if app.loading {
        SPINNER[(app.now_ms / 100) as usize % SPINNER.len()]
    } else {
        " "
    };
    let auto = if app.auto_refresh { "" } else { " paused" };
    let fresh = vec![
        sep(),
        Span::styled(
            format!("{spinner} updated {}{auto} ", age(app)),
            theme.muted,
        ),
    ];
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>() as u16;
    let mut right = verdict;
    if width(&cue) + width(&right) + width(&fresh) <= info.width {
        right.extend(fresh);
    }
    // Exact lengths only, so that a narrow terminal cannot over-constrain the layout.
    let cue_width = width(&cue).min(info.width);
    let right_width = width(&right).min(info.width - cue_width);
    let middle_width = info.width - cue_width - right_width;
    let [left_area, middle_area, right_area] = Layout::horizontal([
        Constraint::Length(cue_width),
        Constraint::Length(middle_width),
        Constraint::Length(right_width),
    ])
    .areas(info);
    frame.render_widget(Paragraph::new(Line::from(cue)), left_area);
    frame.render_widget(Paragraph::new(Line::from(middle)), middle_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);

    let titles: Vec<String> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {}", i + 1, t.title()))
        .collect();
    let selected = Tab::ALL.iter().position(|t| *t == app.tab).unwrap_or(0);
    let filter = if app.filtering || !app.filter.is_empty() {
        let cursor = if app.filtering { "█" } else { "" };
        format!("/{}{cursor} ", app.filter)
    } else {
        String::new()
    };
    let status = format!("{filter}window {} ", app.window.label());
    let status_width = (status.chars().count() as u16).min(tabs.width);
    let [left, right] = Layout::horizontal([
        Constraint::Length(tabs.width - status_width),
        Constraint::Length(status_width),
    ])
    .areas(tabs);
    frame.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(theme.title)
            .style(theme.muted)
            .divider("·"),
        left,
    );
    frame.render_widget(Paragraph::new(Span::styled(status, theme.accent)), right);
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let line = if let Some(error) = &app.error {
        Line::from(vec![
            Span::styled(" fetch failed: ", theme.error),
            Span::styled(error.clone(), theme.error),
            Span::styled("  r retry  ? help", theme.muted),
        ])
    } else if app.filtering {
        Line::from(Span::styled(
            " type to filter · Enter keep · Esc clear",
            theme.muted,
        ))
    } else {
        let keys = if app.details {
            " Esc close · ↑↓ scroll · y copy · q quit"
        } else {
            " ↑↓ move · Enter details · Tab switch · / filter · r refresh · y copy · e export · ? help · q quit"
        };
        let mut spans = vec![Span::styled(keys, theme.muted)];
        if let Some(notice) = &app.notice {
            spans.push(Span::styled(format!("  {notice}"), theme.accent));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Before the first snapshot: a loading state, or the error that stopped it.
pub fn waiting(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = match &app.error {
        Some(error) => vec![
            Line::from(Span::styled("Could not load data.", theme.error)),
            Line::from(error.clone()),
            Line::from(Span::styled("r to retry, q to quit", theme.muted)),
        ],
        None => vec![Line::from(Span::styled(
            format!(
                "{} Collecting VPC endpoints, routes, security groups, ACLs and metrics…",
                SPINNER[(app.now_ms / 100) as usize % SPINNER.len()]
            ),
            theme.accent,
        ))],
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.muted);
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

pub fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let keys = HELP;
    let height = (keys.len() as u16 + 2).min(area.height);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(70.min(area.width))])
        .flex(Flex::Center)
        .areas(popup);
    let rows = keys
        .iter()
        .map(|(key, what)| Row::new(vec![Span::styled(*key, theme.accent), Span::raw(*what)]));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys · ? or Esc to close ", theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Table::new(rows, [Constraint::Length(22), Constraint::Min(10)]).block(block),
        popup,
    );
}
