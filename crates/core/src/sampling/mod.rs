//! Drawing the case sample (issue 16): the caseload extract read through a column mapping
//! (`extract`, its fields in `fields`, one field's values as codes in `codes`, written back by
//! `write`), the sample specification as data (`spec`), the sample size and margin of error
//! (`size`), the plan and the seeded stratified draw with reserves (`draw`), and the comparison
//! of the sample with its population (`compare`). Pure: the CLI, store and web call these.

pub mod codes;
pub mod compare;
pub mod draw;
pub mod extract;
pub mod fields;
pub mod size;
pub mod spec;
pub mod write;

pub use compare::{Comparison, compare};
pub use draw::{ALGORITHM, DrawnCase, Plan, Role, draw, plan};
pub use extract::{Caseload, ColumnMapping, ExtractSentence};
pub use spec::SampleSpec;
