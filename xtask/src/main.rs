//! `cargo xtask`: the developers' commands, apart from the user's binary. `tidy` checks the source
//! tree's conventions (see [`tidy`]).

mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Casework's developer tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the source tree: every file's `//!` line, ARCHITECTURE.md's map, file lengths, and no
    /// import cycles between modules.
    Tidy,
}

/// The workspace root (this crate sits in it).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Tidy => {
            let problems = tidy::all(&workspace_root());
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                println!("tidy: every check passed");
                ExitCode::SUCCESS
            } else {
                println!("tidy: {} problem(s)", problems.len());
                ExitCode::from(1)
            }
        }
    }
}
