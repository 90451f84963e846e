//! `casework sample`: planning and drawing the case sample (issue 16; the rules in
//! `casework_core::sampling`, the stored sample in `casework_web::sampling`). `extract` stores a
//! caseload extract with an inspection; `plan` shows the eligible population, the sample size,
//! the margin it gives and each stratum's allotment; `draw` draws the cases and reserves from a
//! seed (recorded, creating the cases, for a stored inspection); `replace` excludes a case and
//! brings in a reserve; `compare` sets the sample against its population. With --extract FILE
//! instead of an inspection, plan, draw and compare read the file and change nothing. Printed by
//! `sample_view`.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use casework_core::Framework;
use casework_core::input::Place;
use casework_core::sampling::extract::{self, Caseload, ColumnMapping};
use casework_core::sampling::spec::Window;
use casework_core::sampling::{self, DrawnCase, Role, SampleSpec};
use casework_store::Store;
use casework_web::sampling::{self as sampling_web, Planned};
use clap::Subcommand;

use super::sample_view::{self, SampleFormat};
use super::{By, Db, block_on};
use crate::fsio::read_text;
use crate::{out, outln};

#[derive(Subcommand)]
pub enum Command {
    /// Store a caseload extract (CSV or XLSX) with a stored inspection: only the fields read are
    /// kept, and they are deleted when the inspection is published.
    Extract {
        inspection: String,
        /// The extract: CSV, or the first sheet of an XLSX workbook.
        file: PathBuf,
        /// Which column holds each field (TOML, a [columns] table).
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// The eligible population, the sample size (Cochran with the finite population correction,
    /// from the specification's confidence and margin), the margin that size gives, and each
    /// stratum's allotment.
    Plan {
        #[command(flatten)]
        source: Source,
        #[arg(long, value_enum, default_value_t = SampleFormat::Table)]
        format: SampleFormat,
    },
    /// Draw the sample and the reserves: the same extract, specification and seed draw the same
    /// cases on any machine. Without --seed a random seed is chosen (and printed, or recorded).
    /// For a stored inspection the draw is recorded and the drawn cases become cases in progress,
    /// allocated in turn to the inspection's inspectors (or to each --inspector given).
    Draw {
        #[command(flatten)]
        source: Source,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_name = "USER")]
        inspector: Vec<String>,
        #[arg(long, value_enum, default_value_t = SampleFormat::Table)]
        format: SampleFormat,
        #[command(flatten)]
        by: By,
    },
    /// Exclude a drawn case of a stored inspection at fieldwork (its answers leave every count)
    /// and bring in its stratum's next reserve.
    Replace {
        inspection: String,
        case: String,
        /// Why the case is out of scope (recorded).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// The sample against its population for every stratum field and attribute: counts,
    /// shares, the standardised difference, and a flag where it is large. A stored inspection's
    /// sample as it stands (replacements included); an extract's, drawn from --seed.
    Compare {
        #[command(flatten)]
        source: Source,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = SampleFormat::Table)]
        format: SampleFormat,
    },
}

/// Where the cases come from: a stored inspection's extract, or an extract file (which changes
/// nothing), and the rules that choose among them.
#[derive(clap::Args)]
pub struct Source {
    /// A stored inspection (its stored extract; after a draw, its recorded specification).
    #[arg(required_unless_present = "extract")]
    inspection: Option<String>,
    /// Instead of a stored inspection: a caseload extract, CSV or the first sheet of an XLSX.
    #[arg(long, value_name = "FILE", conflicts_with = "inspection")]
    extract: Option<PathBuf>,
    /// Which column of the extract file holds each field (TOML, a [columns] table); without it,
    /// columns named as the fields (reference, pdu, sentence, start, attributes) are read.
    #[arg(long, value_name = "FILE", requires = "extract")]
    mapping: Option<PathBuf>,
    /// A sample specification (default: the built-in one of the framework).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// An eligibility window of start dates, FROM..TO, both included; repeat for each window.
    #[arg(long, value_name = "FROM..TO")]
    window: Vec<String>,
    /// With --extract: a framework file instead of the built-in framework.
    #[arg(long, value_name = "FILE", requires = "extract")]
    framework: Option<PathBuf>,
    #[command(flatten)]
    db: Db,
}

impl Source {
    /// The specification file's text and name, if one is given.
    fn spec_text(&self) -> Result<Option<(String, String)>> {
        self.spec
            .as_ref()
            .map(|path| {
                let text = read_text(path, casework_core::input::limits::TOML_MAX_BYTES)?;
                Ok((text, path.display().to_string()))
            })
            .transpose()
    }

    fn windows(&self) -> Result<Vec<Window>> {
        self.window
            .iter()
            .map(|w| Window::parse(w).map_err(anyhow::Error::msg))
            .collect()
    }

    fn specification(&self, fw: &Framework) -> Result<SampleSpec> {
        let text = self.spec_text()?;
        Ok(sampling_web::specification(
            fw,
            text.as_ref().map(|(t, f)| (t.as_str(), f.as_str())),
            &self.windows()?,
        )?)
    }

    /// The plan from the extract file.
    fn load_file(&self, path: &Path) -> Result<Planned> {
        let fw = crate::fsio::framework_file(self.framework.as_deref())?
            .unwrap_or_else(casework_core::framework::builtin);
        let spec = self.specification(fw)?;
        let mapping = match &self.mapping {
            Some(path) => {
                let text = read_text(path, casework_core::input::limits::TOML_MAX_BYTES)?;
                ColumnMapping::from_toml(&text, &path.display().to_string())?
            }
            None => ColumnMapping::default(),
        };
        let caseload = read_extract(fw, spec.instrument_id(fw), &mapping, path)?;
        let plan = sampling::plan(fw, &spec, &caseload)?;
        Ok(Planned {
            fw: Arc::new(fw.clone()),
            spec,
            caseload,
            plan,
        })
    }

    /// The plan of the stored inspection `slug` (its recorded specification once drawn).
    fn load_stored(&self, slug: &str) -> Result<Planned> {
        on_store(&self.db, async |store| {
            let fw = store.load_shared(slug).await?.framework;
            let spec = self.specification(&fw)?;
            Ok(sampling_web::planned(store, slug, Some(spec)).await?)
        })
    }

    fn load(&self) -> Result<Planned> {
        match (&self.extract, &self.inspection) {
            (Some(path), _) => self.load_file(path),
            (None, Some(slug)) => self.load_stored(slug),
            (None, None) => bail!("name a stored inspection or give --extract FILE"),
        }
    }
}

/// Runs `work` on the store at `db`, closing it after.
fn on_store<T>(db: &Db, work: impl AsyncFnOnce(&Store) -> Result<T>) -> Result<T> {
    block_on(async {
        let store = Store::open(&db.db).await?;
        let result = work(&store).await;
        store.close().await;
        result
    })
}

/// Reads a caseload extract, CSV or XLSX by its extension.
pub fn read_extract(
    fw: &Framework,
    instrument: &str,
    mapping: &ColumnMapping,
    path: &Path,
) -> Result<Caseload> {
    let file = path.display().to_string();
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let mut rows = crate::xlsx::first_sheet_rows(path)?.into_iter();
        let header = rows.next().unwrap_or_default();
        let numbered = rows.enumerate().map(|(i, r)| (i as u64 + 2, r));
        return Ok(extract::read(
            fw,
            instrument,
            mapping,
            &file,
            Place::Row,
            &header,
            numbered,
        )?);
    }
    let text = read_text(path, casework_core::input::limits::CSV_MAX_BYTES)?;
    Ok(extract::read_csv(fw, instrument, mapping, &file, &text)?)
}

/// The drawn cases (not the reserves) as caseload indices.
pub fn drawn_cases(draw: &[DrawnCase]) -> Vec<usize> {
    draw.iter()
        .filter(|d| d.role == Role::Drawn)
        .map(|d| d.case)
        .collect()
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Extract {
            inspection,
            file,
            mapping,
            db,
            by,
        } => {
            let mapping_text = match &mapping {
                Some(path) => read_text(path, casework_core::input::limits::TOML_MAX_BYTES)?,
                None => String::new(),
            };
            // An XLSX sheet is read here and stored as the same CSV of the fields read.
            let name = file
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let (cases, ignored) = on_store(&db, async |store| {
                let fw = store.load_shared(&inspection).await?.framework;
                let parsed = match &mapping {
                    Some(path) => {
                        ColumnMapping::from_toml(&mapping_text, &path.display().to_string())?
                    }
                    None => ColumnMapping::default(),
                };
                let spec = sampling_web::specification(&fw, None, &[])?;
                let caseload = read_extract(&fw, spec.instrument_id(&fw), &parsed, &file)?;
                sampling_web::store_extract(
                    store,
                    &inspection,
                    &fw,
                    &name,
                    &mapping_text,
                    &caseload,
                    &by.by,
                )
                .await?;
                Ok((caseload.cases.len(), caseload.ignored_columns))
            })?;
            outln!(
                "stored a caseload extract of {cases} cases with {}",
                crate::terminal::clean(&inspection)
            )?;
            if !ignored.is_empty() {
                outln!("columns not read (never kept): {}", ignored.join(", "))?;
            }
        }
        Command::Plan { source, format } => {
            let p = source.load()?;
            out!("{}", sample_view::plan(&p, format)?)?;
        }
        Command::Draw {
            source,
            seed,
            inspector,
            format,
            by,
        } => {
            let given = seed.is_some();
            let seed = seed.unwrap_or_else(super::random_seed);
            match (&source.extract, &source.inspection) {
                (None, Some(slug)) => {
                    let spec_source = &source;
                    let sample = on_store(&source.db, async |store| {
                        let fw = store.load_shared(slug).await?.framework;
                        let spec = spec_source.specification(&fw)?;
                        let inspectors = if inspector.is_empty() {
                            sampling_web::inspectors(store, slug).await?
                        } else {
                            inspector
                        };
                        Ok(
                            sampling_web::draw_sample(store, slug, spec, seed, &inspectors, &by.by)
                                .await?,
                        )
                    })?;
                    out!("{}", sample_view::stored(&sample, format)?)?;
                }
                _ => {
                    if !given {
                        eprintln!("seed {seed} (give --seed {seed} to draw these cases again)");
                    }
                    let p = source.load()?;
                    let draw = sampling::draw(&p.plan, seed);
                    out!("{}", sample_view::draw(&p, seed, &draw, format)?)?;
                }
            }
        }
        Command::Replace {
            inspection,
            case,
            reason,
            db,
            by,
        } => {
            let r = on_store(&db, async |store| {
                let fw = store.load_shared(&inspection).await?.framework;
                Ok(store
                    .replace_sampled_case(&inspection, &fw, &case, &reason, &by.by)
                    .await?)
            })?;
            match &r.replacement {
                Some(reserve) => {
                    outln!("excluded {}; reserve {reserve} takes its place", r.excluded)?
                }
                None => outln!("excluded {}; its stratum has no reserve left", r.excluded)?,
            }
        }
        Command::Compare {
            source,
            seed,
            format,
        } => {
            let comparison = match (&source.extract, &source.inspection) {
                (None, Some(slug)) => on_store(&source.db, async |store| {
                    Ok(sampling_web::comparison(store, slug).await?)
                })?,
                _ => {
                    let seed =
                        seed.context("with --extract, give the --seed the sample was drawn from")?;
                    let p = source.load()?;
                    let draw = sampling::draw(&p.plan, seed);
                    sampling::compare(
                        &p.fw,
                        &p.spec,
                        &p.caseload,
                        &p.plan.eligibility.eligible,
                        &drawn_cases(&draw),
                    )
                }
            };
            out!("{}", sample_view::comparison(&comparison, format)?)?;
        }
    }
    Ok(())
}
