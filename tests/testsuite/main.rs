//! herald's integration tests: one crate, a module per feature, sharing one harness
//! (`harness.rs`), on fixtures of their own under tests/fixtures (`example/` is the tests' copy
//! of the documentation's example plans in releases/). One feature runs alone with
//! `cargo test --test testsuite calendar::`.

mod calendar;
mod changes;
mod cli;
mod fuzz;
mod harness;
mod incremental;
mod init;
mod output;
mod results;
mod schema;
mod serve;
mod site;
mod slack;
mod svg;
mod workbook;
