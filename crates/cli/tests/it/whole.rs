//! The inspection held whole, as a user meets it: an inspection mid-fieldwork (a case in progress,
//! evidence notes, a narrative) imported, exported to a directory, a workbook and a JSON document,
//! each imported again and exported byte for byte as it began; its report made from the store with
//! the draft marker; and a file that is no part of an inspection refused, named.

use std::path::{Path, PathBuf};

use crate::{casework, fixture, stderr, stdout};

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(
                files(&path)
                    .into_iter()
                    .map(|p| Path::new(path.file_name().expect("name")).join(p)),
            );
        } else {
            out.push(PathBuf::from(path.file_name().expect("name")));
        }
    }
    out.sort();
    out
}

/// Nottinghamshire (narrative and evidence notes) with case N-SM-0003 in progress: its sentence
/// not recorded and its first key question unanswered.
fn mid_fieldwork(tmp: &Path) -> PathBuf {
    let dir = tmp.join("notts");
    copy_tree(Path::new(&fixture("nottinghamshire")), &dir);
    let csv = dir.join("sentence-management.csv");
    let text = std::fs::read_to_string(&csv).expect("csv");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        let status = match i {
            0 => "status",
            _ if cells[0] == "N-SM-0003" => {
                cells[1] = "";
                cells[5] = "";
                "in-progress"
            }
            _ => "complete",
        };
        cells.insert(1, status);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(&csv, out).expect("write csv");
    dir
}

#[test]
fn an_inspection_mid_fieldwork_travels_whole_through_every_format() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("w.db").display().to_string();
    let run = |args: &[&str]| {
        let o = casework(&[args, &["--db", db.as_str()]].concat());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let original = mid_fieldwork(tmp.path());
    run(&["import", &original.display().to_string(), "--id", "notts"]);
    let panel = run(&["rate", "notts"]);
    assert!(
        panel.contains("Provisional: 1 case is still in progress"),
        "{panel}"
    );
    let book = tmp.path().join("notts.xlsx").display().to_string();
    let doc = tmp.path().join("notts.json").display().to_string();
    run(&["export", "notts", "--to", &book]);
    run(&["export", "notts", "--to", &doc]);
    run(&["import", &book, "--id", "from-xlsx"]);
    run(&["import", &doc, "--id", "from-json"]);
    let expected = files(&original);
    assert!(expected.contains(&PathBuf::from("evidence.csv")));
    assert!(expected.contains(&PathBuf::from("narrative/foreword.md")));
    for id in ["notts", "from-xlsx", "from-json"] {
        let out = tmp.path().join(format!("out-{id}"));
        run(&["export", id, "--to", &out.display().to_string()]);
        assert_eq!(files(&out), expected, "{id}: the same files");
        for rel in &expected {
            let a = std::fs::read(original.join(rel)).expect("original");
            let b = std::fs::read(out.join(rel)).expect("exported");
            assert!(a == b, "{id}: {} differs from the original", rel.display());
        }
    }

    // The report from the store: the draft marker and the narrative.
    let pdf = tmp.path().join("notts.pdf");
    let html = tmp.path().join("html");
    run(&[
        "report",
        "notts",
        "--pdf",
        &pdf.display().to_string(),
        "--html",
        &html.display().to_string(),
    ]);
    let page = std::fs::read_to_string(html.join("report.html")).expect("html");
    assert!(
        page.contains("draft: 1 case in progress"),
        "HTML draft marker"
    );
    assert!(page.contains("This foreword is synthetic"), "HTML foreword");
    let Ok(text) = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    else {
        eprintln!("SKIPPED the PDF text checks: pdftotext (poppler-utils) is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    let pages = text.matches('\u{c}').count().max(1);
    assert_eq!(
        text.matches("draft: 1 case in progress").count(),
        pages,
        "the draft marker on every one of {pages} pages"
    );
    assert!(text.contains("This foreword is synthetic"), "PDF foreword");
}

#[test]
fn a_file_that_is_no_part_of_an_inspection_is_refused_by_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("notts");
    copy_tree(Path::new(&fixture("nottinghamshire")), &dir);
    std::fs::write(dir.join(".DS_Store"), "system clutter").expect("write");
    let ok = casework(&["rate", &dir.display().to_string()]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "dot files are left alone: {}",
        stderr(&ok)
    );
    for (name, what) in [
        ("court-report.csv", "a file"),
        ("narrative/forword.md", "forword.md"),
        ("drafts/old.csv", "a directory"),
    ] {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "x").expect("write");
        let o = casework(&["rate", &dir.display().to_string()]);
        assert_eq!(o.status.code(), Some(1), "{name} refused");
        let err = stderr(&o);
        let named = name.split('/').next().expect("first part");
        assert!(err.contains(named) && err.contains(what), "{name}: {err}");
        let first = dir.join(named);
        if first.is_dir() && named != "narrative" {
            std::fs::remove_dir_all(&first).expect("tidy");
        } else {
            std::fs::remove_file(&path).expect("tidy");
        }
    }
}

/// Exporting over a directory leaves exactly what was written: a part the inspection no longer
/// has (a narrative file, evidence notes) is removed, so reading the directory never brings an
/// older part back; a file that is no part of an inspection is left for the reader to name.
#[test]
fn exporting_over_a_directory_leaves_no_stale_part() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("w.db").display().to_string();
    let run = |args: &[&str]| {
        let o = casework(&[args, &["--db", db.as_str()]].concat());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let original = mid_fieldwork(tmp.path());
    run(&["import", &original.display().to_string(), "--id", "notts"]);
    run(&["import", &fixture("derby-city"), "--id", "dc"]);
    let out = tmp.path().join("out");
    let fresh = tmp.path().join("fresh");
    run(&["export", "notts", "--to", &out.display().to_string()]);
    assert!(out.join("narrative/foreword.md").is_file() && out.join("evidence.csv").is_file());
    std::fs::write(out.join("notes.txt"), "mine").expect("a file of the user's");
    run(&["export", "dc", "--to", &out.display().to_string()]);
    run(&["export", "dc", "--to", &fresh.display().to_string()]);
    let mut expected = files(&fresh);
    expected.push(PathBuf::from("notes.txt"));
    expected.sort();
    assert_eq!(
        files(&out),
        expected,
        "exactly what was written, and the user's file"
    );
}
