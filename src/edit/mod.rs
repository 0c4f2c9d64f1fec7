//! Surgical edits of a release file: one test result, one entry of `sent`. The text is
//! spliced at the bytes herald's own parser located ([`crate::yaml::Node::span`]), so
//! comments, key order, quoting, blank lines and every untouched byte stay as they were, and
//! new entries follow the file's style. The edited text is parsed again and must read as the
//! original with that one change; otherwise nothing is returned to write.

mod plans;
mod release;
#[cfg(test)]
mod tests;
mod text;

pub use plans::{Marked, PlanEdit, Recorded, Refused, mark_sent, record_result, record_results};
pub use release::{FieldEdit, ResultEdit, add_sent, set_result};
