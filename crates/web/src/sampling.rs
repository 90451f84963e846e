//! The case sample of a stored inspection (issue 16), assembled from the store and worked out by
//! core (`casework_core::sampling`): loading a caseload extract, the plan (before a draw from the
//! specification given, after it from the one recorded), drawing and recording the sample with
//! its cases allocated to the inspection's inspectors, and the sample (after replacements)
//! against its population. The one way the pages and `casework sample` get these.

use std::sync::Arc;

use casework_core::Framework;
use casework_core::sampling::extract::{Caseload, ColumnMapping, read_csv};
use casework_core::sampling::spec::{SampleSpec, Window};
use casework_core::sampling::{Comparison, Plan, compare, draw, plan, size};
use casework_report::SampleFigures;
use casework_store::{CaseSample, NewDraw, Role as UserRole, Store, new_sample_cases};

use crate::error::WebError;

fn invalid(e: impl std::fmt::Display) -> WebError {
    WebError::BadRequest(e.to_string())
}

/// An extract with its framework and specification, and the plan they make.
pub struct Planned {
    pub fw: Arc<Framework>,
    pub spec: SampleSpec,
    pub caseload: Caseload,
    pub plan: Plan,
}

/// The specification: `text` (a file's TOML, named `file`) or the framework's built-in one, with
/// `windows` added.
pub fn specification(
    fw: &Framework,
    text: Option<(&str, &str)>,
    windows: &[Window],
) -> Result<SampleSpec, WebError> {
    let mut spec = match text {
        Some((text, file)) => SampleSpec::from_toml(text, file, fw).map_err(invalid)?,
        None => SampleSpec::builtin(fw).ok_or_else(|| {
            invalid(format!(
                "the framework {} has no built-in sample specification",
                fw.id
            ))
        })?,
    };
    spec.windows.extend(windows.iter().cloned());
    Ok(spec)
}

/// Reads a CSV extract `text` (`file` names it in errors) through `mapping` (TOML; the fields'
/// own column names when blank), for the framework's built-in specification's instrument.
pub fn read_extract(
    fw: &Framework,
    file: &str,
    text: &str,
    mapping: &str,
) -> Result<Caseload, WebError> {
    let mapping = if mapping.trim().is_empty() {
        ColumnMapping::default()
    } else {
        ColumnMapping::from_toml(mapping, "the mapping").map_err(invalid)?
    };
    let spec = specification(fw, None, &[])?;
    read_csv(fw, spec.instrument_id(fw), &mapping, file, text).map_err(invalid)
}

/// Stores `caseload` as inspection `slug`'s extract: only the fields read (`Caseload::to_csv`),
/// with the file's name and the mapping's text for the record.
pub async fn store_extract(
    store: &Store,
    slug: &str,
    fw: &Framework,
    file: &str,
    mapping: &str,
    caseload: &Caseload,
    actor: &str,
) -> Result<(), WebError> {
    let body = caseload.to_csv(fw);
    store
        .store_caseload_extract(
            slug,
            file,
            mapping,
            &body,
            caseload.cases.len() as u64,
            actor,
        )
        .await?;
    Ok(())
}

/// Inspection `slug`'s plan: after a draw, the recorded specification's; before, `spec`'s.
pub async fn planned(
    store: &Store,
    slug: &str,
    spec: Option<SampleSpec>,
) -> Result<Planned, WebError> {
    let loaded = store.load_shared(slug).await?;
    let fw = loaded.framework.clone();
    let extract = store.caseload_extract(slug).await?.ok_or_else(|| {
        invalid(format!(
            "{slug} has no caseload extract yet: load one first"
        ))
    })?;
    let body = extract.body.ok_or_else(|| {
        invalid(format!(
            "{slug}'s caseload extract was deleted: {}",
            extract.deleted_reason.unwrap_or_default()
        ))
    })?;
    let spec = match (store.case_sample(slug).await?, spec) {
        (Some(recorded), _) => {
            SampleSpec::from_toml(&recorded.specification, "the recorded specification", &fw)
                .map_err(invalid)?
        }
        (None, Some(spec)) => spec,
        (None, None) => specification(&fw, None, &[])?,
    };
    let caseload = read_csv(
        &fw,
        spec.instrument_id(&fw),
        &ColumnMapping::default(),
        "the stored extract",
        &body,
    )
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let plan = plan(&fw, &spec, &caseload).map_err(invalid)?;
    Ok(Planned {
        fw,
        spec,
        caseload,
        plan,
    })
}

/// The inspection's members with the inspector role, by name: who drawn cases go to.
pub async fn inspectors(store: &Store, slug: &str) -> Result<Vec<String>, WebError> {
    let mut out = Vec::new();
    for name in store.members(slug).await? {
        if store
            .user(&name)
            .await?
            .is_some_and(|u| u.role == UserRole::Inspector && !u.disabled)
        {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Draws inspection `slug`'s sample from `seed` under `spec` and records it: the drawn cases
/// become cases in progress, allocated evenly to `inspectors` in draw order.
pub async fn draw_sample(
    store: &Store,
    slug: &str,
    spec: SampleSpec,
    seed: u64,
    inspectors: &[String],
    actor: &str,
) -> Result<CaseSample, WebError> {
    let p = planned(store, slug, Some(spec)).await?;
    let drawn = draw(&p.plan, seed);
    let fw = &p.fw;
    let cases = new_sample_cases(fw, &p.plan, &p.caseload, &drawn, inspectors);
    let specification = toml::to_string(&p.spec).map_err(|e| WebError::Internal(e.to_string()))?;
    let new = NewDraw {
        instrument: p.spec.instrument_id(fw),
        specification: &specification,
        seed,
        algorithm: casework_core::sampling::ALGORITHM,
        population: p.plan.population,
        size: p.plan.size,
        confidence: p.spec.size.confidence.to_string(),
        cases,
    };
    store.record_case_sample(slug, fw, &new, actor).await?;
    store
        .case_sample(slug)
        .await?
        .ok_or_else(|| WebError::Internal(format!("{slug}'s sample was not stored")))
}

/// The sample as it stands (replacements included) against its population.
pub async fn comparison(store: &Store, slug: &str) -> Result<Comparison, WebError> {
    let sample = store
        .case_sample(slug)
        .await?
        .ok_or_else(|| invalid(format!("{slug} has no drawn sample")))?;
    let p = planned(store, slug, None).await?;
    let in_sample: Vec<&str> = sample.in_sample().map(|c| c.case_ref.as_str()).collect();
    let chosen: Vec<usize> = p
        .caseload
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| in_sample.contains(&c.reference.as_str()))
        .map(|(i, _)| i)
        .collect();
    Ok(compare(
        &p.fw,
        &p.spec,
        &p.caseload,
        &p.plan.eligibility.eligible,
        &chosen,
    ))
}

/// Inspection `slug`'s sample figures, if a sample was drawn; they need no extract, so they hold
/// after publication.
pub async fn figures(store: &Store, slug: &str) -> Result<Option<SampleFigures>, WebError> {
    let Some(sample) = store.case_sample(slug).await? else {
        return Ok(None);
    };
    // The specification was checked when the sample was drawn; its size rule is all that is read.
    let spec: SampleSpec = toml::from_str(&sample.specification)
        .map_err(|e| WebError::Internal(format!("{slug}'s recorded specification: {e}")))?;
    let n = sample.in_sample().count() as u64;
    Ok(Some(SampleFigures {
        population: sample.population,
        size: n,
        confidence: spec.size.confidence,
        margin: size::margin(
            sample.population,
            n,
            spec.size.confidence,
            spec.size.proportion,
        ),
        excluded: sample
            .cases
            .iter()
            .filter(|c| c.status == "excluded")
            .count() as u64,
    }))
}
