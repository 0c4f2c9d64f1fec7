//! herald's integration tests: one crate, a module per feature, one shared harness, on the
//! fixtures under tests/fixtures (the example plans in releases/ are documentation; their copy
//! tests/fixtures/example/releases is the tests' own). Run one feature with
//! `cargo test --test testsuite calendar::`.

mod calendar;
mod cli;
mod fuzz;
mod incremental;
mod output;
mod site;
mod slack;
mod workbook;
