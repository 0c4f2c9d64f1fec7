//! Slack message drafts: mrkdwn to paste and Block Kit payloads to post.

use super::{Context, Files, TemplateError};
use crate::plan::ReleaseTimeline;

/// Default templates, embedded; a user's file of the same name overrides one.
pub const TEMPLATES: &[(&str, &str)] = &[];

/// Registers the filters and functions the draft templates use.
pub fn register(_tera: &mut tera::Tera) {}

pub fn render_release(_ctx: &Context, _release: &ReleaseTimeline) -> Result<Files, TemplateError> {
    Ok(Files::default())
}
