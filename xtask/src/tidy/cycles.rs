//! Import cycles between modules: a module graph per crate from the paths each file names
//! (`crate::`, `super::`, `self::`, through use trees), and the cycles in it. A module and its own
//! submodules are one unit: a step is counted between the two children of the same parent that
//! hold the referring file and the referred item.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::{crates, relative, rust_files};

/// A module's path within its crate: `[]` the root, `["input", "csv"]`.
type ModulePath = Vec<String>;

/// The module a file defines.
fn module_of(src: &Path, file: &Path) -> ModulePath {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments (line comments, doc comments included) and strings.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            if c == '\\' {
                chars.next();
            } else if c == '"' {
                in_string = false;
                out.push('"');
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            '\'' => {
                // A char literal ('x', '\n') or a lifetime ('a): keep the quote, skip a literal.
                out.push('\'');
                let mut look = chars.clone();
                match (look.next(), look.next(), look.next()) {
                    (Some('\\'), _, _) => {
                        for d in chars.by_ref() {
                            if d == '\'' {
                                break;
                            }
                        }
                    }
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                    }
                    _ => {}
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path a file's code names from `crate::`, `super::` or `self::`, expanded from use trees
/// (`crate::{a::X, b::{Y, Z}}` names `a::X`, `b::Y`, `b::Z`), resolved to absolute segments.
fn referenced_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = |word: &str| {
            let w: Vec<char> = word.chars().collect();
            bytes.get(i..i + w.len()) == Some(&w[..])
                && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':')
        };
        let base: Option<(Vec<String>, usize)> = if starts("crate::") {
            Some((Vec::new(), 7))
        } else if starts("super::") {
            let mut base = module.to_vec();
            let mut skip = 7;
            base.pop();
            // super::super::
            while bytes.get(i + skip..i + skip + 7)
                == Some(&"super::".chars().collect::<Vec<_>>()[..])
            {
                base.pop();
                skip += 7;
            }
            Some((base, skip))
        } else if starts("self::") {
            Some((module.to_vec(), 6))
        } else {
            None
        };
        let Some((base, skip)) = base else {
            i += 1;
            continue;
        };
        let (tree, used) = parse_tree(&bytes[i + skip..]);
        for path in tree {
            let mut full = base.clone();
            full.extend(path);
            paths.push(full);
        }
        i += skip + used.max(1);
    }
    paths
}

/// Parses a use tree or a plain path (`a::b::C`, `{a::X, b::{Y}}`) from the start of `s`: the
/// paths it names and how many characters it took.
fn parse_tree(s: &[char]) -> (Vec<Vec<String>>, usize) {
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < s.len() && s[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    if s.get(i) == Some(&'{') {
        i += 1;
        let mut all = Vec::new();
        loop {
            skip_space(&mut i);
            match s.get(i) {
                Some('}') => {
                    i += 1;
                    break;
                }
                Some(',') => i += 1,
                None => break,
                _ => {
                    let (paths, used) = parse_tree(&s[i..]);
                    all.extend(paths);
                    i += used.max(1);
                }
            }
        }
        return (all, i);
    }
    let mut segment = String::new();
    let mut path = Vec::new();
    while i < s.len() {
        let c = s[i];
        if is_ident(c) {
            segment.push(c);
            i += 1;
        } else if c == ':' && s.get(i + 1) == Some(&':') {
            path.push(std::mem::take(&mut segment));
            i += 2;
            if s.get(i) == Some(&'{') {
                let (paths, used) = parse_tree(&s[i..]);
                i += used;
                return (
                    paths
                        .into_iter()
                        .map(|p| path.iter().cloned().chain(p).collect())
                        .collect(),
                    i,
                );
            }
        } else {
            break;
        }
    }
    if !segment.is_empty() && segment != "self" {
        path.push(segment);
    }
    (vec![path], i)
}

/// For each crate, the cycles among its modules, each as the modules around it with a file that
/// makes each step. A module and its own submodules are one unit (a parent owns its children, and
/// a child uses what its parent declares): a step is counted between the two modules, children of
/// the same parent, that hold the referring file and the referred item.
pub fn cycles(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in crates(root) {
        let src = dir.join("src");
        let files = rust_files(&src);
        let modules: BTreeSet<ModulePath> = files.iter().map(|f| module_of(&src, f)).collect();
        // edges[(from, to)] = a file making the step
        let mut edges: BTreeMap<(ModulePath, ModulePath), String> = BTreeMap::new();
        for file in &files {
            // A binary's other targets share `src/` but not its module tree.
            if file.parent() == Some(&src.join("bin")) {
                continue;
            }
            let from = module_of(&src, file);
            let code = code_only(&fs::read_to_string(file).unwrap_or_default());
            for path in referenced_paths(&code, &from) {
                // The longest prefix that is a module.
                let to = (0..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|p| modules.contains(p))
                    .unwrap_or_default();
                let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                if common == from.len() || common == to.len() {
                    continue; // the same module, an ancestor or a descendant
                }
                let a = from[..=common].to_vec();
                let b = to[..=common].to_vec();
                edges.entry((a, b)).or_insert_with(|| relative(root, file));
            }
        }
        for cycle in find_cycles(&edges) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {} ({})",
                        show(&w[0]),
                        show(&w[1]),
                        edges[&(w[0].clone(), w[1].clone())]
                    )
                })
                .collect();
            problems.push(format!(
                "{}: an import cycle: {}",
                relative(root, &dir),
                steps.join(", ")
            ));
        }
    }
    problems
}

fn show(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

/// One cycle per strongly connected component of more than one module (a path from a module back
/// to itself, found by depth-first search within the component).
fn find_cycles(edges: &BTreeMap<(ModulePath, ModulePath), String>) -> Vec<Vec<ModulePath>> {
    let mut next: BTreeMap<&ModulePath, Vec<&ModulePath>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
    }
    let mut reported: BTreeSet<ModulePath> = BTreeSet::new();
    let mut cycles = Vec::new();
    for start in next.keys() {
        if reported.contains(*start) {
            continue;
        }
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(&ModulePath, usize)> = vec![(start, 0)];
        let mut on_path: Vec<&ModulePath> = vec![start];
        let mut seen: BTreeSet<&ModulePath> = BTreeSet::new();
        while let Some((node, i)) = stack.pop() {
            let outs = next.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(&out) = outs.get(i) {
                stack.push((node, i + 1));
                if out == *start {
                    let mut cycle: Vec<ModulePath> = on_path.iter().map(|m| (*m).clone()).collect();
                    cycle.push((*start).clone());
                    reported.extend(cycle.iter().cloned());
                    cycles.push(cycle);
                    break;
                }
                if seen.insert(out) {
                    stack.push((out, 0));
                    on_path.push(out);
                }
            } else {
                on_path.pop();
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_trees_and_relative_paths_are_resolved() {
        let code = code_only(
            "use crate::{a::X, b::{c::Y, Z}};\nuse super::d::W; // crate::commented::Out\nlet s = \"crate::in_string\";\nfn f() { crate::e::f(); self::g::h(); }",
        );
        let paths = referenced_paths(&code, &["m".to_string(), "n".to_string()]);
        let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
        assert_eq!(
            shown,
            ["a::X", "b::c::Y", "b::Z", "m::d::W", "e::f", "m::n::g::h"]
        );
    }

    #[test]
    fn a_cycle_is_found_and_a_chain_is_not() {
        let m = |s: &str| vec![s.to_string()];
        let mut edges = BTreeMap::new();
        edges.insert((m("a"), m("b")), "a.rs".to_string());
        edges.insert((m("b"), m("c")), "b.rs".to_string());
        assert!(find_cycles(&edges).is_empty());
        edges.insert((m("c"), m("a")), "c.rs".to_string());
        assert_eq!(
            find_cycles(&edges),
            vec![vec![m("a"), m("b"), m("c"), m("a")]]
        );
    }
}
