//! The demo on a fresh service: the fictional region (`casework_synth::demo`) imported into the
//! store, one account per role with a generated password, the team assigned to the region, one
//! PDU's finished cases submitted for QA, and one PDU published (through the factual-accuracy
//! check) so the demo viewer has something to read; and, for the national picture, the published
//! results of `tests/fixtures/published/results.json` (the five reference reports as extracted,
//! results stated elsewhere in part, and synthetic ones marked so in their notes).

use casework_core::framework::builtin;
use casework_core::review::ReviewAction;
use casework_store::{Role, Stage, Store, StoreError};

use crate::auth::{hash_password, new_password};

/// The demo region's id in the store.
pub const REGION: &str = "northmarch";
/// The demo PDU that starts published (what the demo viewer can see).
pub const PUBLISHED: &str = "northmarch/corriemoor";
/// The demo PDU whose finished cases start submitted for QA (by the demo inspector).
pub const IN_REVIEW: &str = "northmarch/brackenford";

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot make the demo data: {0}")]
    Synth(#[from] casework_synth::SynthError),
    #[error("cannot store the demo: {0}")]
    Store(#[from] StoreError),
    #[error("cannot hash a demo password: {0}")]
    Password(String),
    #[error("cannot publish the demo PDU: {0}")]
    Publish(#[from] crate::error::WebError),
    #[error("cannot read the demo's published results: {0}")]
    Results(#[from] casework_core::input::InputError),
}

/// The published results the demo's national picture starts with.
const RESULTS: &str = include_str!("../../../tests/fixtures/published/results.json");

/// Imports the demo region and creates one demo account per role; returns each account's
/// (name, role, password), the password to be shown once.
pub async fn load(store: &Store) -> Result<Vec<(String, Role, String)>, DemoError> {
    let fw = builtin();
    let region = casework_synth::demo::region(fw)?;
    let actor = "casework-demo";
    store
        .import(fw, &region, REGION, actor, Some("demo data (fictional)"))
        .await?;
    let mut accounts = Vec::new();
    for role in Role::ALL {
        let name = format!("demo-{}", role.as_str());
        let password = new_password();
        let hash = hash_password(&password).map_err(DemoError::Password)?;
        store.put_user(&name, role, &hash, actor).await?;
        if matches!(role, Role::Lead | Role::Inspector | Role::Qa) {
            store.assign(&name, REGION, actor).await?;
        }
        accounts.push((name, role, password));
    }
    // Quality assurance under way in one PDU: its inspector has submitted every finished case.
    let inspector = format!("demo-{}", Role::Inspector.as_str());
    for case in store.case_reviews(IN_REVIEW).await? {
        let submitted = store
            .review_case(
                &case.inspection,
                &case.instrument,
                &case.case_ref,
                ReviewAction::Submit,
                &[],
                None,
                &inspector,
            )
            .await;
        match submitted {
            Ok(_) | Err(StoreError::Conflict(_)) => {} // an unfinished case stays in progress
            Err(e) => return Err(e.into()),
        }
    }
    // Published as the Inspectorate does: through the factual-accuracy check.
    store
        .set_stage(PUBLISHED, Stage::FactualAccuracy, None, actor)
        .await?;
    crate::publishing::publish(store, PUBLISHED, None, actor).await?;
    let results = casework_core::published::from_json(RESULTS, "the demo's published results")?;
    store.import_published(&results, actor).await?;
    Ok(accounts)
}
