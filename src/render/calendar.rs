//! ICS calendar feeds (RFC 5545): one per release and one for all.

use super::{Context, Files};
use crate::plan::ReleaseTimeline;

pub fn render_release(_ctx: &Context, _release: &ReleaseTimeline) -> Files {
    Files::default()
}

pub fn render_shared(_ctx: &Context) -> Files {
    Files::default()
}
