//! The web commands: `casework serve` (the service, with the demo region and demo accounts created
//! on first start), `casework user add` and `casework user assign` (accounts and who works on what),
//! and `casework publish`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use casework_core::framework::builtin;
use casework_store::{Role, Store};
use casework_web::{AppState, Config, hash_password, new_password};

use crate::{demo, fsio};

/// The demo region's id in the store.
pub const DEMO_REGION: &str = "northmarch";
/// The demo PDU that starts published (what the demo viewer can see).
pub const DEMO_PUBLISHED: &str = "northmarch/corriemoor";

#[derive(clap::Args, Clone)]
pub struct ServeArgs {
    /// Where inspections are stored: a SQLite file or a postgres:// URL.
    #[arg(
        long,
        env = "CASEWORK_DB",
        default_value = "casework.db",
        value_name = "URL"
    )]
    pub db: String,
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

pub async fn serve(args: &ServeArgs) -> Result<()> {
    let store = Store::open(&args.db)
        .await
        .with_context(|| format!("cannot open the database {}", args.db))?;
    if !args.no_demo && store.list().await?.is_empty() && store.users().await?.is_empty() {
        let accounts = load_demo(&store).await?;
        println!(
            "First start: loaded the fictional demo region '{DEMO_REGION}' and created demo accounts."
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

/// Imports the demo region and creates one demo account per role; returns (name, role, password).
pub async fn load_demo(store: &Store) -> Result<Vec<(String, Role, String)>> {
    // Unique per call: tests load several demos at once in one process.
    static LOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "casework-demo-{}-{}",
        std::process::id(),
        LOADS.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    let region = demo::write_demo(builtin(), &dir)?;
    let (inspection, fw) = fsio::load(&region, None)?;
    let actor = "casework-demo";
    store
        .import(
            fw,
            &inspection,
            DEMO_REGION,
            actor,
            Some("demo data (fictional)"),
        )
        .await?;
    let _ = std::fs::remove_dir_all(&dir);
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let name = format!("demo-{}", role.as_str());
        let password = new_password();
        let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
        store.put_user(&name, role, &hash, actor).await?;
        if matches!(role, Role::Lead | Role::Inspector | Role::Qa) {
            store.assign(&name, DEMO_REGION, actor).await?;
        }
        accounts.push((name, role, password));
    }
    store.set_published(DEMO_PUBLISHED, true, actor).await?;
    Ok(accounts)
}

/// `casework user add`: returns the password when one was generated.
pub async fn add_user(
    db: &str,
    name: &str,
    role: &str,
    password: Option<String>,
    actor: &str,
) -> Result<Option<String>> {
    let Some(role) = Role::parse(role) else {
        bail!("role '{role}' is not one of: {}", Role::ALLOWED);
    };
    let (password, generated) = match password {
        Some(p) if p.chars().count() >= 12 => (p, false),
        Some(_) => bail!("a password must be at least 12 characters"),
        None => (new_password(), true),
    };
    let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
    let store = Store::open(db).await?;
    let result = store.put_user(name, role, &hash, actor).await;
    store.close().await;
    result?;
    Ok(generated.then_some(password))
}

/// Opens the store at `db`, runs `work` on it and closes it, whatever `work` returned.
async fn with_store<T>(
    db: &str,
    work: impl AsyncFnOnce(&Store) -> Result<T, casework_store::StoreError>,
) -> Result<T> {
    let store = Store::open(db).await?;
    let result = work(&store).await;
    store.close().await;
    Ok(result?)
}

/// `casework user assign`: false when the user was already assigned.
pub async fn assign(db: &str, name: &str, inspection: &str, actor: &str) -> Result<bool> {
    with_store(db, async |s| s.assign(name, inspection, actor).await).await
}

/// `casework user unassign`: false when the user was not assigned.
pub async fn unassign(db: &str, name: &str, inspection: &str, actor: &str) -> Result<bool> {
    with_store(db, async |s| s.unassign(name, inspection, actor).await).await
}

/// `casework user revoke`: how many sessions were ended.
pub async fn revoke(db: &str, name: &str, actor: &str) -> Result<u64> {
    with_store(db, async |s| s.revoke_sessions(name, actor).await).await
}

/// `casework user disable` and `enable`: false when nothing changed.
pub async fn set_disabled(db: &str, name: &str, disabled: bool, actor: &str) -> Result<bool> {
    with_store(db, async |s| s.set_disabled(name, disabled, actor).await).await
}

/// `casework publish`: false when it was already so.
pub async fn publish(db: &str, inspection: &str, published: bool, actor: &str) -> Result<bool> {
    with_store(db, async |s| {
        s.set_published(inspection, published, actor).await
    })
    .await
}
