//! The documentation a user navigates: every relative link and anchor of the README and the
//! pages under `docs/` resolves (local files and headings only, no network), the README stays
//! short and links every page, and nothing cites the rule catalogue the rules were drawn from
//! (it does not ship): code and docs cite the AWS documentation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README, `ARCHITECTURE.md`, `CHANGELOG.md` and every page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "CHANGELOG.md"]
        .iter()
        .map(|p| root().join(p))
        .collect();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The lines of a Markdown text outside fenced code blocks, with the text of code spans
/// blanked (backticks kept; a span may cross lines, not paragraphs).
fn prose(text: &str) -> Vec<String> {
    let (mut fenced, mut in_code) = (false, false);
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            (fenced, in_code) = (!fenced, false);
            continue;
        }
        if fenced {
            continue;
        }
        if line.trim().is_empty() {
            in_code = false;
        }
        let mut out = String::new();
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
                out.push(c);
            } else if !in_code {
                out.push(c);
            }
        }
        lines.push(out);
    }
    lines
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped (hyphens and
/// underscores kept), spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text's headings, duplicates numbered as GitHub numbers them.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut fenced = false;
    let mut seen = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if fenced || hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[hashes..]);
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

/// The targets of a line's links and images: `[text](target)`, `![alt](target)` and
/// `src="target"`.
fn targets(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in line.match_indices("](") {
        let rest = &line[i + 2..];
        if let Some(end) = rest.find(')') {
            found.push(rest[..end].trim().to_string());
        }
    }
    for (i, _) in line.match_indices("src=\"") {
        let rest = &line[i + 5..];
        if let Some(end) = rest.find('"') {
            found.push(rest[..end].to_string());
        }
    }
    found
}

/// Why a link of `page` does not resolve, if it does not.
fn broken(page: &Path, target: &str) -> Option<String> {
    if target.starts_with("https://") || target.starts_with("http://") {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let file = match path {
        "" => page.to_path_buf(),
        _ => page.with_file_name(path),
    };
    if !file.exists() {
        return Some(format!("{} does not exist", file.display()));
    }
    let anchor = anchor?;
    let text = std::fs::read_to_string(&file).ok()?;
    match anchors(&text).contains(anchor) {
        true => None,
        false => Some(format!("{} has no heading #{anchor}", file.display())),
    }
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for line in prose(&text) {
            for target in targets(&line) {
                checked += 1;
                if let Some(why) = broken(&page, &target) {
                    problems.push(format!("{}: ({target}): {why}", page.display()));
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: the parser lost them"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_link_check_catches_a_broken_file_and_anchor() {
    let readme = root().join("README.md");
    assert_eq!(broken(&readme, "docs/fleet.md#fleet-audit"), None);
    assert_eq!(broken(&readme, "#least-privilege-iam-policy"), None);
    assert!(broken(&readme, "docs/nowhere.md").is_some());
    assert!(broken(&readme, "docs/fleet.md#nowhere").is_some());
    assert!(broken(&readme, "#nowhere").is_some());
    let dashboard = root().join("docs/dashboard.md");
    assert_eq!(broken(&dashboard, "../assets/screenshots/dns.svg"), None);
    assert!(broken(&dashboard, "assets/screenshots/dns.svg").is_some());
    assert_eq!(
        slug("A change timeline from CloudTrail: `--changes`"),
        "a-change-timeline-from-cloudtrail---changes"
    );
    assert_eq!(
        slug("What changed: `linkscope diff`"),
        "what-changed-linkscope-diff"
    );
    let twice = anchors("# Keys\n```\n# not a heading\n```\n## Keys\n");
    assert_eq!(twice, BTreeSet::from(["keys".into(), "keys-1".into()]));
    assert_eq!(targets("see `[x](nowhere.md)`").len(), 1, "raw line");
    assert!(
        prose("see `[x](nowhere.md)`")
            .iter()
            .all(|l| targets(l).is_empty())
    );
    let across = prose("a `span\nacross` [y](there.md)\n\n`x` [z](z.md)");
    let found: Vec<String> = across.iter().flat_map(|l| targets(l)).collect();
    assert_eq!(found, ["there.md", "z.md"]);
}

/// The README is what a newcomer reads in the first five minutes.
#[test]
fn the_readme_fits_on_a_few_screens_and_links_every_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 250,
        "README.md has {lines} lines: move the detail to docs/"
    );
    for page in pages()
        .iter()
        .filter(|p| p.parent().unwrap().ends_with("docs"))
    {
        let name = page.file_name().unwrap().to_str().unwrap();
        assert!(
            readme.contains(&format!("(docs/{name})")),
            "README.md does not link docs/{name}"
        );
    }
    for needed in [
        "cargo install --path .",
        "scripts/test.sh",
        "--demo",
        "### Least-privilege IAM policy",
    ] {
        assert!(readme.contains(needed), "README.md lacks {needed}");
    }
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.contains("scripts/test.sh"),
        "CI runs the test command the README gives"
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether a text cites the rule catalogue: its file name, or a seed key (002 in brackets).
fn cites_the_catalogue(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains(concat!("rules", ".md")) || (0..10).any(|n| lower.contains(&format!("[00{n}]")))
}

#[test]
fn code_and_docs_cite_aws_documentation_not_the_rule_catalogue() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "xtask"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut citing = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let comment = line.split_once("//").map(|(_, c)| c).unwrap_or_default();
            if cites_the_catalogue(comment) {
                citing.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    for page in pages() {
        if cites_the_catalogue(&std::fs::read_to_string(&page).unwrap()) {
            citing.push(page.display().to_string());
        }
    }
    assert!(files.len() > 100, "only {} Rust files found", files.len());
    assert!(citing.is_empty(), "{}", citing.join("\n"));
    assert!(cites_the_catalogue(concat!("/// Rules", ".md 12.")));
    assert!(cites_the_catalogue("([004] DNS hostnames)"));
    assert!(!cites_the_catalogue(
        "(*Access AWS services through AWS PrivateLink*)"
    ));
}
