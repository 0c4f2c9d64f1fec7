//! The mdBook source: SUMMARY, overview, calendar page, and each release's MagicBox.

use super::{Context, Files, TemplateError};
use crate::plan::ReleaseTimeline;

/// Default templates, embedded; a user's file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[];

pub fn render_release(_ctx: &Context, _release: &ReleaseTimeline) -> Result<Files, TemplateError> {
    Ok(Files::default())
}

pub fn render_shared(_ctx: &Context) -> Result<Files, TemplateError> {
    Ok(Files::default())
}
