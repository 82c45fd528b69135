//! The map matches the ground: `ARCHITECTURE.md`'s layer table lists, for each top-level
//! module of `src/`, exactly the modules it imports, each of them in a row above its own (so
//! the import graph has no cycle); and inside `checks` no files import each other in a
//! circle. The imports are read from the code itself: every `crate::…` path (in `use` lines
//! and in code), comments, strings and test-only code (`#[cfg(test)]` modules, inline or in
//! their own files) left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// True when `chars` holds `s` at `i`.
fn starts(chars: &[char], i: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// `text` with comments, string and character literals blanked: only code is left.
fn code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i) = (String::with_capacity(text.len()), 0);
    let after_word = |i: usize| i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    while i < chars.len() {
        let raw = ["r\"", "r#", "br\"", "br#"]
            .iter()
            .any(|p| starts(&chars, i, p))
            && !after_word(i);
        if starts(&chars, i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if starts(&chars, i, "/*") {
            let mut depth = 0;
            while i < chars.len() {
                if starts(&chars, i, "/*") {
                    (depth, i) = (depth + 1, i + 2);
                } else if starts(&chars, i, "*/") {
                    (depth, i) = (depth - 1, i + 2);
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if raw && {
            let from = i + if chars[i] == 'b' { 2 } else { 1 };
            let hashes = chars[from..].iter().take_while(|c| **c == '#').count();
            chars.get(from + hashes) == Some(&'"')
        } {
            // A raw string, r"…" or r#"…"#, closed by a quote and as many hashes.
            i += if chars[i] == 'b' { 2 } else { 1 };
            let hashes = chars[i..].iter().take_while(|c| **c == '#').count();
            i += hashes + 1;
            let end = format!("\"{}", "#".repeat(hashes));
            while i < chars.len() && !starts(&chars, i, &end) {
                i += 1;
            }
            i += end.len();
            out.push_str("\"\"");
        } else if chars[i] == '"' || (starts(&chars, i, "b\"") && !after_word(i)) {
            i += if chars[i] == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if chars[i] == '\'' {
            // A character literal ('x', '\n', '\'', '\u{…}'), not a lifetime ('a).
            let close = match chars.get(i + 1) {
                Some('\\') => chars[i + 3..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|p| i + 3 + p),
                Some(_) if chars.get(i + 2) == Some(&'\'') => Some(i + 2),
                _ => None,
            };
            match close {
                Some(close) => {
                    i = close + 1;
                    out.push_str("' '");
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The index just past the `}` that closes the `{` before `from`.
fn closing(code: &str, from: usize) -> usize {
    let mut depth = 1;
    for (i, c) in code[from..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return from + i + 1;
        }
    }
    code.len()
}

/// The item after `#[cfg(test)]` at each place: `(name, Some(end))` for an inline module
/// (its body ends at `end`), `(name, None)` for a module in its own file.
fn test_modules(code: &str) -> Vec<(usize, String, Option<usize>)> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let rest = code[at + 12..].trim_start();
        let rest = rest
            .strip_prefix("pub(crate)")
            .or_else(|| rest.strip_prefix("pub(super)"))
            .or_else(|| rest.strip_prefix("pub"))
            .unwrap_or(rest)
            .trim_start();
        let Some(rest) = rest.strip_prefix("mod ") else {
            continue;
        };
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after = rest.trim_start()[name.len()..].trim_start();
        let end = after.starts_with('{').then(|| {
            let open = code.len() - after.len() + 1;
            closing(code, open)
        });
        found.push((at, name, end));
    }
    found
}

/// `code` without its inline `#[cfg(test)]` modules.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (at, _, end) in test_modules(code) {
        if let Some(end) = end
            && at >= from
        {
            out.push_str(&code[from..at]);
            from = end;
        }
    }
    out.push_str(&code[from..]);
    out
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The files of `src/` that only tests compile (`#[cfg(test)] mod name;`).
fn test_files() -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    for file in rust_files(&src()) {
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let dir = match file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            true => file.parent().unwrap().to_path_buf(),
            false => file.with_extension(""),
        };
        for (_, name, end) in test_modules(&text) {
            if end.is_none() {
                files.insert(dir.join(format!("{name}.rs")));
                files.insert(dir.join(&name).join("mod.rs"));
            }
        }
    }
    files
}

/// The code of each file of `src/` that is not test-only, test modules left out.
fn sources() -> Vec<(PathBuf, String)> {
    let tests = test_files();
    rust_files(&src())
        .into_iter()
        .filter(|f| !tests.contains(f))
        .map(|f| {
            let text = without_tests(&code(&std::fs::read_to_string(&f).unwrap()));
            (f, text)
        })
        .collect()
}

/// The top-level module a file of `src/` belongs to (`aws` for `src/aws/convert/vpc.rs`,
/// `cli` for `src/cli.rs`, `main` for `src/main.rs`).
fn top_module(file: &Path) -> String {
    let first = file
        .strip_prefix(src())
        .unwrap()
        .components()
        .next()
        .unwrap();
    let first = first.as_os_str().to_str().unwrap();
    first.strip_suffix(".rs").unwrap_or(first).to_string()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The items of a `{…}` group, split at its top-level commas.
fn group_items(group: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0);
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// What follows each `prefix` in `code` (which must not follow a word or `::`): the path it
/// starts, or each path of the `{…}` group it opens.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if rest.starts_with('{') {
            let open = at + prefix.len() + 1;
            let group = &code[open..closing(code, open) - 1];
            paths.extend(group_items(group));
        } else {
            let path: String = rest
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            paths.push(path);
        }
    }
    paths
}

/// The first name of a path (`aws` of `aws::{Clients, Pace}`).
fn first_name(path: &str) -> String {
    path.chars().take_while(|c| is_ident(*c)).collect()
}

/// Each top-level module with the top-level modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules = top_modules();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in sources() {
        let module = top_module(&file);
        // The binary reaches the library by its crate name.
        let prefix = if module == "main" {
            "linkscope::"
        } else {
            "crate::"
        };
        let found = graph.entry(module.clone()).or_default();
        for path in paths_after(&text, prefix) {
            let name = first_name(&path);
            if modules.contains(&name) && name != module {
                found.insert(name);
            }
        }
    }
    graph.remove("lib");
    graph
}

/// The top-level modules of `src/`: its folders and files (`lib.rs` aside).
fn top_modules() -> BTreeSet<String> {
    std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| top_module(&p))
        .filter(|m| m != "lib")
        .collect()
}

/// The layer table of `ARCHITECTURE.md`: each row's module and the modules it imports, in
/// the order of the rows.
fn table() -> Vec<(String, BTreeSet<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("## Layers and what each may import")
        .nth(1)
        .expect("ARCHITECTURE.md has its layer table");
    let mut rows = Vec::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [layer, _, imports] = cells[..] else {
            panic!("a layer row has three cells: {line}");
        };
        if layer == "layer" || layer.starts_with("---") {
            continue;
        }
        let name = layer
            .trim_matches('`')
            .trim_end_matches('/')
            .trim_end_matches(".rs");
        let imports = imports
            .split(',')
            .map(str::trim)
            .filter(|i| *i != "—")
            .map(str::to_string)
            .collect();
        rows.push((name.to_string(), imports));
    }
    rows
}

#[test]
fn every_import_crosses_the_layer_table_downwards_only() {
    let table = table();
    let graph = imports();
    let modules = top_modules();
    let rows: Vec<&str> = table.iter().map(|(m, _)| m.as_str()).collect();
    let listed: BTreeSet<String> = rows.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        listed, modules,
        "ARCHITECTURE.md's layer table has one row per top-level module of src/"
    );
    let mut problems = Vec::new();
    for (i, (module, allowed)) in table.iter().enumerate() {
        for import in allowed {
            match rows.iter().position(|r| r == import) {
                Some(row) if row < i => {}
                Some(_) => problems.push(format!("{module}: {import} is not in a row above it")),
                None => problems.push(format!("{module}: {import} is no module of src/")),
            }
        }
        let actual = graph.get(module).cloned().unwrap_or_default();
        for import in actual.difference(allowed) {
            problems.push(format!(
                "{module} imports {import}, which its row does not list"
            ));
        }
        for import in allowed.difference(&actual) {
            problems.push(format!(
                "{module}'s row lists {import}, which it does not import"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The file of a module of `src/checks` (its path under `checks`), if there is one.
fn module_file(module: &[String]) -> Option<PathBuf> {
    let mut path = src().join("checks");
    for part in module {
        path.push(part);
    }
    if module.is_empty() {
        return Some(path.join("mod.rs"));
    }
    [path.with_extension("rs"), path.join("mod.rs")]
        .into_iter()
        .find(|p| p.exists())
}

/// What a module file hands on (`pub use a::b::{C, D as E};`): each name with its path.
fn reexports(code: &str) -> BTreeMap<String, Vec<String>> {
    let mut names = BTreeMap::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let Some(rest) = ["pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| statement.rsplit_once(p).map(|(_, rest)| rest))
        else {
            continue;
        };
        let rest = rest.trim().trim_start_matches("self::");
        let (prefix, items) = match rest.split_once('{') {
            Some((prefix, items)) => (prefix, group_items(items.trim_end_matches('}'))),
            None => ("", vec![rest.to_string()]),
        };
        for item in items {
            let (path, alias) = match item.split_once(" as ") {
                Some((path, alias)) => (path.trim().to_string(), alias.trim().to_string()),
                None => (item.clone(), item.rsplit("::").next().unwrap().to_string()),
            };
            let full: Vec<String> = format!("{prefix}{path}")
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            names.insert(alias, full);
        }
    }
    names
}

/// The file inside `src/checks` that defines what `path` names from `module`: the deepest
/// module file it enters, through what module files hand on.
fn resolve(module: &[String], path: &[String], depth: usize) -> Option<PathBuf> {
    let Some((first, rest)) = path.split_first() else {
        return module_file(module);
    };
    let mut inner = module.to_vec();
    inner.push(first.clone());
    if depth < 16 && module_file(&inner).is_some() {
        return resolve(&inner, rest, depth + 1);
    }
    let file = module_file(module)?;
    let handed = reexports(&without_tests(&code(&std::fs::read_to_string(&file).ok()?)));
    match handed.get(first) {
        Some(target) if depth < 16 && target[..] != [first.clone()] => {
            resolve(module, &[target.clone(), rest.to_vec()].concat(), depth + 1)
        }
        _ => Some(file),
    }
}

/// Each file of `src/checks` with the files of `src/checks` it imports.
fn checks_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let root = src().join("checks");
    let mut graph = BTreeMap::new();
    for (file, text) in sources() {
        let Ok(relative) = file.strip_prefix(&root) else {
            continue;
        };
        let mut module: Vec<String> = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_str().unwrap().to_string())
            .collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        // What a module file hands on or declares is not a dependency of it.
        let text: String = text
            .split_inclusive(';')
            .filter(|s| {
                let s = s.trim_start();
                !(s.starts_with("pub use ")
                    || s.starts_with("pub(crate) use ")
                    || s.starts_with("pub(super) use ")
                    || s.trim_start_matches("pub ").starts_with("mod "))
            })
            .collect();
        let mut paths: Vec<(Vec<String>, String)> = Vec::new();
        for path in paths_after(&text, "crate::checks::") {
            paths.push((Vec::new(), path));
        }
        for path in paths_after(&text, "self::") {
            paths.push((module.clone(), path));
        }
        for up in 1..=module.len() {
            let prefix = "super::".repeat(up);
            for path in paths_after(&text, &prefix) {
                if !path.starts_with("super") {
                    paths.push((module[..module.len() - up].to_vec(), path));
                }
            }
        }
        if module.is_empty() {
            // The root names its children without a prefix (`mwaa::checklist::FAMILY`).
            for (at, _) in text.match_indices("::") {
                let start = text[..at]
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| is_ident(*c) || *c == ':')
                    .last()
                    .map_or(at, |(i, _)| i);
                let path: String = text[start..]
                    .chars()
                    .take_while(|c| is_ident(*c) || *c == ':')
                    .collect();
                if module_file(&[first_name(&path)]).is_some_and(|f| f != file)
                    && !text[..start].ends_with("crate::")
                {
                    paths.push((Vec::new(), path));
                }
            }
        }
        let mut imports = BTreeSet::new();
        for (base, path) in paths {
            let path = path.split(" as ").next().unwrap_or_default();
            let segments: Vec<String> = path
                .split("::")
                .filter(|s| !s.is_empty() && s.chars().all(is_ident))
                .map(str::to_string)
                .collect();
            if let Some(target) = resolve(&base, &segments, 0)
                && target != file
            {
                imports.insert(target);
            }
        }
        graph.insert(file, imports);
    }
    graph
}

/// A circle of `graph`, if it has one.
fn circle(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        done: &mut BTreeSet<PathBuf>,
        path: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_top_level_modules_import_no_circle() {
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = imports()
        .into_iter()
        .map(|(m, i)| (m.into(), i.into_iter().map(PathBuf::from).collect()))
        .collect();
    assert_eq!(circle(&graph), None);
}

#[test]
fn no_files_of_checks_import_each_other_in_a_circle() {
    let graph = checks_graph();
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(edges > 100, "the imports inside checks are read ({edges})");
    let context = src().join("checks/context.rs");
    assert!(
        graph[&src().join("checks/dns/path_rules.rs")].contains(&context),
        "a `crate::checks::context::Ctx` import is read"
    );
    assert!(
        graph[&src().join("checks/audit.rs")].contains(&src().join("checks/mod.rs")),
        "the root's own items are a module file too"
    );
    assert_eq!(circle(&graph), None, "a circle inside checks");
}

#[test]
fn the_reader_sees_code_only() {
    let text = "use crate::a; // crate::b\n/* crate::c */ let s = \"crate::d\"; \
                let r = r#\"crate::e\"#; let c = '{'; fn f<'a>() {}\n\
                #[cfg(test)]\nmod tests { use crate::f; }\nuse crate::{g::{H, I}, j};";
    let code = without_tests(&code(text));
    let found: Vec<String> = paths_after(&code, "crate::")
        .iter()
        .map(|p| first_name(p))
        .collect();
    assert_eq!(found, ["a", "g", "j"]);
}

#[test]
fn a_circle_is_found() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry(from.into()).or_default().insert(to.into());
        }
        graph
    };
    assert_eq!(circle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    let found = circle(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]));
    assert_eq!(found.map(|c| c.len()), Some(3));
}
