//! `casework serve`: the web service, with the demo region and demo accounts created on first start
//! in an empty database (`casework_web::demo`), bound before it says where it is served.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use casework_store::Store;
use casework_web::{AppState, Config};

use super::Db;

#[derive(clap::Args, Clone)]
pub struct Args {
    #[command(flatten)]
    pub db: Db,
    /// Address to listen on.
    #[arg(long, env = "CASEWORK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// GOV.UK Frontend's `dist/govuk` folder (default: node_modules/govuk-frontend/dist/govuk,
    /// installed by `npm ci`).
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// Leave the `Secure` flag off cookies (only for plain HTTP on a host other than localhost).
    #[arg(long)]
    pub insecure_cookies: bool,
    /// Do not load the demo region and accounts into an empty database.
    #[arg(long)]
    pub no_demo: bool,
    /// Sign-in attempts allowed per minute at one user name from one client address.
    #[arg(long, default_value_t = 10)]
    pub sign_in_per_minute: u32,
    /// Sign-in attempts allowed per minute from one client address, at any names (behind a
    /// reverse proxy every client shares its address: raise this).
    #[arg(long, default_value_t = 30)]
    pub sign_in_per_minute_per_client: u32,
    /// Seconds a client has to send a request's headers (slow clients are cut off).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub header_read_timeout: u64,
}

/// GOV.UK Frontend, where `npm ci` puts it: under the working directory or the source checkout.
fn find_assets(given: Option<&Path>) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match given {
        Some(dir) => vec![dir.to_path_buf()],
        None => vec![
            PathBuf::from("node_modules/govuk-frontend/dist/govuk"),
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../node_modules/govuk-frontend/dist/govuk"),
        ],
    };
    candidates
        .into_iter()
        .find(|d| d.join("govuk-frontend.min.css").is_file())
}

async fn serve(args: &Args) -> Result<()> {
    let store = Store::open(&args.db.db)
        .await
        .with_context(|| format!("cannot open the database {}", args.db.db))?;
    if !args.no_demo && store.list().await?.is_empty() && store.users().await?.is_empty() {
        let accounts = casework_web::demo::load(&store).await?;
        println!(
            "First start: loaded the fictional demo region '{}' and created demo accounts.",
            casework_web::demo::REGION
        );
        println!("These passwords are shown once; they are stored only as argon2id hashes:");
        for (name, role, password) in &accounts {
            println!("  {name:<16} {:<18} {password}", role.label());
        }
    }
    let assets = find_assets(args.assets.as_deref());
    if assets.is_none() {
        eprintln!(
            "warning: GOV.UK Frontend not found (run `npm ci` in the checkout, or pass --assets); pages will be unstyled"
        );
    }
    let config = Config {
        govuk_frontend: assets,
        secure_cookies: !args.insecure_cookies,
        sign_in_per_minute: args.sign_in_per_minute,
        sign_in_per_minute_per_client: args.sign_in_per_minute_per_client,
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout.max(1)),
    };
    // Bound before it says so: whoever reads the address can connect at once.
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot serve on {}", args.bind))?;
    println!(
        "Casework is running at http://{} (Ctrl-C stops it)",
        args.bind
    );
    casework_web::serve_on(listener, AppState::new(store, config), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .with_context(|| format!("cannot serve on {}", args.bind))?;
    Ok(())
}

pub fn run(args: Args) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(serve(&args))
}
