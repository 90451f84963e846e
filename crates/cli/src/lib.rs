//! The pieces of the `casework` binary that its tests and the developer tools (`cargo xtask`) also
//! use: reading and writing inspection directories and workbooks on disk, the text rendering of
//! ratings and everything written to the terminal, and the commands' own work.

pub mod columnar;
pub mod commands;
pub mod fsio;
pub mod table;
pub mod terminal;
pub mod xlsx;
