//! Group commit for case edits: edits that arrive while another is being written wait for the write
//! turn together and are then written in one transaction, with one commit (one fsync on SQLite).
//!
//! Each caller queues its edit and waits for the write turn. Whoever gets the turn first takes
//! every queued edit, applies them in arrival order inside one transaction, commits, tells each
//! caller its result, and only then gives up the turn; a caller that gets the turn after its edit
//! was written just collects its result. Nothing is reported saved before the commit that holds it.
//! An edit that is refused (stale version, not allowed, not found) changes nothing and the rest of
//! its batch goes ahead. A database error rolls the batch back; then each of its edits is tried
//! again in a transaction of its own, so one edit the database cannot take fails alone and never
//! another user's edit that happened to share its commit. The batch runs in its own task, so a
//! caller that goes away (a closed connection) cannot cut a batch short.
//!
//! After the commit, still holding the turn, each edit brings the loaded-inspection cache forward
//! (`loaded`), in commit order.

use tokio::sync::oneshot;

use crate::batch::Applied;
use crate::edits::CaseEdit;
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;
use crate::loaded::EditedCase;
use crate::queue::{Edited, Job, OwnedEdit};

impl Store {
    /// Applies one edit; returns the case's new version once it is committed.
    pub async fn edit_case(&self, edit: &CaseEdit<'_>) -> Result<i64, StoreError> {
        Ok(self.edit(edit).await?.version)
    }

    /// Applies one edit; once it is committed, returns the case's new version and the revision it
    /// made (for [`Store::load_shared_since`]).
    pub async fn edit(&self, edit: &CaseEdit<'_>) -> Result<Edited, StoreError> {
        guard::edit(edit)?;
        let (reply, mut result) = oneshot::channel();
        self.edits.push(Job {
            edit: OwnedEdit::of(edit),
            reply,
        });
        loop {
            let turn = self.writer.clone().lock_owned().await;
            match result.try_recv() {
                Ok(done) => return done,
                Err(oneshot::error::TryRecvError::Closed) => {
                    return Err(not_saved("its batch stopped"));
                }
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let jobs = self.edits.take();
            let store = self.clone();
            // Its own task: the turn is released when the batch is done, however the caller fares.
            let batch = tokio::spawn(async move {
                store.write_batch(jobs).await;
                drop(turn);
            });
            if batch.await.is_err() {
                return Err(not_saved("its batch failed"));
            }
            // Past MAX_EDITS, this edit may still be queued: take the turn again.
            if let Ok(done) = result.try_recv() {
                return done;
            }
        }
    }

    async fn write_batch(&self, jobs: Vec<Job>) {
        let edits: Vec<&OwnedEdit> = jobs.iter().map(|job| &job.edit).collect();
        match self.commit_batch(&edits).await {
            Ok(outcomes) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    self.finish(job, outcome);
                }
            }
            Err(e) if jobs.len() == 1 => fail_all(jobs, Some(e)),
            Err(_) => {
                // Which edit the database refused is not known: each goes again, alone.
                for job in jobs {
                    match self.commit_batch(&[&job.edit]).await {
                        Ok(mut outcomes) => match outcomes.pop() {
                            Some(outcome) => self.finish(job, outcome),
                            None => fail_all(vec![job], None),
                        },
                        Err(e) => fail_all(vec![job], Some(e)),
                    }
                }
            }
        }
    }

    /// Applies `edits` in one transaction and commits it; `Err` when the database failed, and
    /// then nothing of it was written.
    async fn commit_batch(
        &self,
        edits: &[&OwnedEdit],
    ) -> Result<Vec<Result<Applied, StoreError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let borrowed: Vec<CaseEdit<'_>> = edits.iter().map(|e| e.as_edit()).collect();
        let outcomes = self.apply_batch(&mut tx, &borrowed).await?;
        tx.commit().await?;
        Ok(outcomes)
    }

    /// Tells a caller what became of its edit, after bringing loaded inspections forward (in
    /// commit order: this runs under the write turn).
    fn finish(&self, job: Job, outcome: Result<Applied, StoreError>) {
        let reply = outcome.map(|Applied { version, appended }| {
            let Some(appended) = appended else {
                return Edited {
                    version,
                    revision: 0,
                };
            };
            let edit = job.edit.as_edit();
            self.loaded.after_edit(
                appended.previous,
                appended.seq,
                &EditedCase {
                    inspection: edit.inspection,
                    instrument: edit.instrument,
                    case_ref: edit.case_ref,
                    change: &edit.change,
                },
            );
            Edited {
                version,
                revision: appended.seq,
            }
        });
        let _ = job.reply.send(reply);
    }
}

fn not_saved(why: &str) -> StoreError {
    StoreError::NotSaved {
        why: why.to_string(),
        cause: None,
    }
}

/// Tells every caller of `jobs` that nothing was saved, and why (the database's error).
fn fail_all(jobs: Vec<Job>, cause: Option<StoreError>) {
    let why = cause
        .as_ref()
        .map_or_else(|| "its batch stopped".to_string(), ToString::to_string);
    let cause = cause.map(std::sync::Arc::new);
    for job in jobs {
        let _ = job.reply.send(Err(StoreError::NotSaved {
            why: why.clone(),
            cause: cause.clone(),
        }));
    }
}
