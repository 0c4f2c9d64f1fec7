//! The manual-test workbook of a release (.xlsx).

use super::{Context, Files, RenderError};
use crate::plan::ReleaseTimeline;

pub fn render_release(_ctx: &Context, _release: &ReleaseTimeline) -> Result<Files, RenderError> {
    Ok(Files::default())
}
