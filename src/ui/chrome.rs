//! Header (where you are, how fresh, the verdict), tabs, footer (keys, errors), the
//! loading state and the help overlay. Narrow terminals drop or abbreviate whole parts;
//! parts never overlap or end mid-word.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use crate::app::{App, Tab, help as key_help};
use crate::panes::Theme;
use crate::panes::cut::{cut, wrap_all};
use crate::show::{clean, environment_status, truncate};

pub(super) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

fn width(spans: &[Span]) -> u16 {
    spans.iter().map(Span::width).sum::<usize>() as u16
}

/// Appends whole pieces, in order of importance, while they fit in `room` columns.
fn fitting<'a>(pieces: Vec<Vec<Span<'a>>>, room: u16) -> Vec<Span<'a>> {
    let mut line = Vec::new();
    for piece in pieces {
        if width(&line) + width(&piece) <= room {
            line.extend(piece);
        }
    }
    line
}

/// How fresh the data is: the age of a live fetch (with a spinner while loading), or when a
/// file or demo was captured.
fn freshness(app: &App) -> String {
    if !app.live {
        return match &app.snapshot {
            Some(s) => format!("captured {}", clean(&s.captured_at.replace('T', " "))),
            None => String::new(),
        };
    }
    let age = match app.loaded_at_ms {
        Some(at) => {
            let seconds = app.now_ms.saturating_sub(at) / 1000;
            if seconds < 60 {
                format!("{seconds}s ago")
            } else {
                format!("{}m ago", seconds / 60)
            }
        }
        None => "never".into(),
    };
    let paused = if app.auto_refresh { "" } else { " · paused" };
    format!("updated {age}{paused}")
}

/// The MWAA readiness verdict, long to short.
fn verdicts<'a>(app: &App, theme: &Theme) -> Vec<Vec<Span<'a>>> {
    let Some(audit) = &app.audit else {
        return vec![Vec::new()];
    };
    let readiness = audit.readiness();
    let style = if readiness.is_ready() {
        theme.ok
    } else {
        theme.error
    };
    let score = readiness.short();
    ["MWAA readiness ", "MWAA ", ""]
        .into_iter()
        .map(|label| {
            vec![
                Span::styled(" │ ", theme.muted),
                Span::styled(format!("{label}{score} "), style),
            ]
        })
        .collect()
}

/// The first header line: region and profile (never cut: the prod cue), the verdict, then
/// the VPC, the environment and the account, each kept whole or dropped.
fn info_line(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let sep = || Span::styled(" │ ", theme.muted);
    let mut cue = vec![Span::styled(" linkscope ", theme.title)];
    let mut middle = Vec::new();
    // A list of targets (start or Fleet screen) is about none of them.
    let listing = app.on_fleet_screen() || app.choosing;
    if let Some(s) = app.snapshot.as_ref().filter(|_| !listing) {
        cue.push(Span::styled(clean(&s.region).into_owned(), theme.accent));
        cue.push(Span::styled(
            format!(
                " · profile {}",
                clean(s.profile.as_deref().unwrap_or("default"))
            ),
            theme.accent,
        ));
        let name = s
            .vpc_name()
            .map(|n| format!(" {}", truncate(n, 24)))
            .unwrap_or_default();
        middle.push(vec![sep(), Span::raw(format!("{}{name}", s.vpc.id))]);
        if app.baseline.is_some() {
            // Short, so that it fits beside the VPC: the rows marked ∆ since the baseline.
            middle.push(vec![
                sep(),
                Span::styled(format!("∆ {}", app.changed.len()), theme.accent),
            ]);
        }
        if let Some(env) = &s.environment {
            // The status in the colour of its own check.
            let style = app
                .audit
                .as_ref()
                .and_then(environment_status)
                .map_or(theme.muted, |f| theme.status(f.status));
            let version = env
                .airflow_version
                .as_deref()
                .map(|v| format!(" · Airflow {}", clean(v)))
                .unwrap_or_default();
            middle.push(vec![
                sep(),
                Span::raw(format!("MWAA {} ", truncate(&env.name, 32))),
                Span::styled(
                    clean(env.status.as_ref().map_or("?", |s| s.as_str())).into_owned(),
                    style,
                ),
                Span::raw(version),
            ]);
        }
        if let Some(account) = &s.vpc.owner_id {
            middle.push(vec![Span::styled(
                format!(" · account {account}"),
                theme.muted,
            )]);
        }
    }
    let cue_width = width(&cue).min(area.width);
    let room = area.width - cue_width;
    let verdict = verdicts(app, theme)
        .into_iter()
        .filter(|_| !listing)
        .find(|v| width(v) <= room)
        .unwrap_or_default();
    let right_width = width(&verdict);
    let middle = fitting(middle, room - right_width);
    let [left_area, middle_area, right_area] = Layout::horizontal([
        Constraint::Length(cue_width),
        Constraint::Length(room - right_width),
        Constraint::Length(right_width),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(cut(Line::from(cue), usize::from(left_area.width))),
        left_area,
    );
    frame.render_widget(Paragraph::new(Line::from(middle)), middle_area);
    frame.render_widget(Paragraph::new(Line::from(verdict)), right_area);
}

/// How much of the other tabs' names the tab bar shows.
#[derive(Clone, Copy)]
enum Names {
    Full,
    Short,
    Digits,
}

/// The tab bar: every tab numbered and named, then the filter, the metrics window and the
/// freshness of the data. When that does not fit, the other tabs' names are shortened
/// (`2 Endp`), then go (the current tab keeps its name), then the freshness, then the
/// window: how old the data is matters more than a tab name the digit already gives.
fn tab_line(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    if app.on_fleet_screen() || app.choosing {
        let hint = match app.choosing {
            true => " Start: open an MWAA environment or a VPC (t brings this screen back)",
            false => " Fleet: Enter opens a target; Esc or t brings this screen back",
        };
        let hint = truncate(hint, usize::from(area.width));
        frame.render_widget(Paragraph::new(Span::styled(hint, theme.muted)), area);
        return;
    }
    let tabs = |names: Names| -> Vec<Span> {
        let mut spans = Vec::new();
        for tab in Tab::all() {
            if tab.0 > 0 {
                spans.push(Span::styled("·", theme.muted));
            }
            let current = tab == app.tab;
            let text = match names {
                _ if current => format!(" {} {} ", tab.0 + 1, tab.pane().title()),
                Names::Full => format!(" {} {} ", tab.0 + 1, tab.pane().title()),
                Names::Short => format!(" {} {} ", tab.0 + 1, tab.pane().short_title()),
                Names::Digits => format!(" {} ", tab.0 + 1),
            };
            spans.push(Span::styled(
                text,
                if current { theme.title } else { theme.muted },
            ));
        }
        spans
    };
    let spinner = if app.loading {
        SPINNER[(app.now_ms / 100) as usize % SPINNER.len()]
    } else {
        ""
    };
    let filter = if app.filtering || !app.filter.is_empty() {
        let cursor = if app.filtering { "█" } else { "" };
        let lead = if app.filter.starts_with(':') { "" } else { "/" };
        format!("{lead}{}{cursor} ", clean(&app.filter))
    } else {
        String::new()
    };
    let window = format!("{spinner} {filter}window {} ", app.window.label());
    let status = |fresh: bool| {
        let text = if fresh {
            format!("{window}· {} ", freshness(app))
        } else {
            window.clone()
        };
        vec![Span::styled(text, theme.accent)]
    };
    let (line, status) = [
        (tabs(Names::Full), status(true)),
        (tabs(Names::Short), status(true)),
        (tabs(Names::Short), status(false)),
        (tabs(Names::Digits), status(true)),
        (tabs(Names::Digits), status(false)),
        (tabs(Names::Digits), Vec::new()),
    ]
    .into_iter()
    .find(|(line, status)| width(line) + width(status) <= area.width)
    .unwrap_or_else(|| (tabs(Names::Digits), Vec::new()));
    let status_width = width(&status).min(area.width);
    let [left, right] = Layout::horizontal([
        Constraint::Length(area.width - status_width),
        Constraint::Length(status_width),
    ])
    .areas(area);
    let line = cut(Line::from(line), usize::from(left.width));
    frame.render_widget(Paragraph::new(line), left);
    frame.render_widget(Paragraph::new(Line::from(status)), right);
}

/// The two header lines.
pub fn header(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [info, tabs] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    info_line(app, frame, info, theme);
    tab_line(app, frame, tabs, theme);
}

/// The keys the footer offers where the user is, most useful first; `? help · q quit`
/// come last and always show.
pub(super) fn keys(app: &App) -> Vec<&'static str> {
    let mut keys = if app.on_fleet_screen() {
        vec![
            "↑↓ move",
            "Enter open",
            "s sort by worst",
            "/ filter",
            "r read again",
        ]
    } else if app.choosing {
        let mut keys = vec!["↑↓ move", "Enter open", "/ filter", "r reload"];
        if app.snapshot.is_some() {
            keys.insert(2, "Esc back");
        }
        keys
    } else if app.details {
        // Scrolling is offered when the details are longer than their pane (as last drawn).
        match app.details_bottom.get() {
            0 => vec!["Esc close", "y copy"],
            _ => vec!["Esc close", "↑↓ PgUp PgDn scroll", "y copy"],
        }
    } else {
        let mut keys = vec!["↑↓ move", "Enter details", "Tab switch", "/ filter"];
        if app.fleet.is_some() {
            keys.extend(["Esc fleet", "r read the fleet again"]);
        } else if app.live {
            keys.push("r refresh");
        }
        keys.extend(["y copy", "e export"]);
        keys
    };
    keys.extend(["? help", "q quit"]);
    keys
}

/// The footer: an error or a message (cut to leave room), the filter prompt, or the keys
/// that fit; `? help · q quit` always.
pub fn footer(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let room = usize::from(area.width);
    if app.filtering {
        let prompt = " type to filter · Enter keep · Esc clear";
        frame.render_widget(
            Paragraph::new(Span::styled(truncate(prompt, room), theme.muted)),
            area,
        );
        return;
    }
    let keys = keys(app);
    let (others, essential) = keys.split_at(keys.len() - 2);
    let essential = essential.join(" · ");
    // The fetch error of live data (or of a first load), with what fixes it; else a message.
    let message = match (&app.error, &app.notice) {
        (Some(error), _) => Some(Span::styled(
            format!(" fetch failed (r retry): {}", clean(error)),
            theme.error,
        )),
        (None, Some(notice)) => Some(Span::styled(format!(" {}", clean(notice)), theme.accent)),
        (None, None) => None,
    };
    let line = match message {
        // The message, cut to leave room for the essentials.
        Some(message) => {
            let tail = format!("  {essential}");
            let message = cut(Line::from(message), room.saturating_sub(tail.width()));
            let mut spans = message.spans;
            spans.push(Span::styled(tail, theme.muted));
            Line::from(spans)
        }
        // The keys, most useful first, while they fit beside the essentials.
        None => {
            let text = |shown: &[&str]| {
                let mut all = shown.to_vec();
                all.push(&essential);
                format!(" {}", all.join(" · "))
            };
            let mut shown = Vec::new();
            for key in others {
                shown.push(*key);
                if text(&shown).width() > room {
                    shown.pop();
                    break;
                }
            }
            Line::styled(text(&shown), theme.muted)
        }
    };
    frame.render_widget(Paragraph::new(cut(line, room)), area);
}

/// Before the first snapshot: a loading state, or the error that stopped it.
pub fn waiting(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = match &app.error {
        Some(error) => vec![
            Line::from(Span::styled("Could not load data.", theme.error)),
            Line::from(clean(error).into_owned()),
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

/// The key map over the body, its lines wrapped; it scrolls when the body is too short.
pub fn help(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let keys = key_help();
    let key_width = keys
        .iter()
        .map(|(k, _)| Span::raw(k.as_str()).width())
        .max()
        .unwrap_or(0);
    let text_width = keys
        .iter()
        .map(|(_, v)| Span::raw(*v).width())
        .max()
        .unwrap_or(0);
    let popup_width = ((key_width + text_width + 4) as u16).min(area.width);
    let lines: Vec<Line> = keys
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:<key_width$}  "), theme.accent),
                Span::raw(*what),
            ])
        })
        .collect();
    let inner = usize::from(popup_width.saturating_sub(2).max(1));
    let lines = wrap_all(&lines, inner);
    let popup_height = (lines.len() as u16 + 2).min(area.height);
    let [popup] = Layout::vertical([Constraint::Length(popup_height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(popup_width)])
        .flex(Flex::Center)
        .areas(popup);
    let room = usize::from(popup_height.saturating_sub(2));
    let bottom = u16::try_from(lines.len().saturating_sub(room)).unwrap_or(u16::MAX);
    app.help_bottom.set(bottom);
    let scroll = app.help_scroll.min(bottom);
    let title = match bottom {
        0 => " Keys · ? or Esc to close ",
        _ => " Keys · ↑↓ scroll · ? or Esc close ",
    };
    let block = Block::default().borders(Borders::ALL).title(cut(
        Line::styled(title, theme.title),
        usize::from(popup_width.saturating_sub(2)),
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
