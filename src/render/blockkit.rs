//! Block Kit: a `chat.postMessage` payload from mrkdwn text, within Slack's limits (50 blocks,
//! 3,000 characters a section, 150 a header). Every Slack message herald writes, the drafts and
//! the schedule-change announcements alike, is made here.

use serde::Serialize;

/// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_HEADER_TEXT: usize = 150;

/// The budget of a whole message, which the per-block limits do not bound. Slack advises
/// keeping a message's text under 4,000 characters, and rejects a message at roughly 11,000
/// to 13,000 characters of block text even when every block is within its own limit
/// (slackapi/bolt-js#2509, #2867). Both are upper bounds, not reached: a message must stay
/// under them.
pub const MAX_MESSAGE_TEXT: usize = 4000;
pub const MAX_BLOCKS_TEXT: usize = 11000;

/// Why a message is over its budget, or `None` when it is within it: fewer than
/// [`MAX_MESSAGE_TEXT`] characters of mrkdwn as pasted, and fewer than [`MAX_BLOCKS_TEXT`]
/// characters of text over all blocks of the payload. Every draft is held to it in one place,
/// `slack::render_draft`.
pub fn over_budget(mrkdwn: &str, payload: &Payload) -> Option<String> {
    let pasted = mrkdwn.chars().count();
    if pasted >= MAX_MESSAGE_TEXT {
        return Some(format!(
            "{pasted} characters of mrkdwn; Slack messages must stay under {MAX_MESSAGE_TEXT}"
        ));
    }
    let blocks = payload.block_text_chars();
    (blocks >= MAX_BLOCKS_TEXT).then(|| {
        format!(
            "{blocks} characters of Block Kit text; Slack rejects a message from about \
             {MAX_BLOCKS_TEXT}"
        )
    })
}

/// A `chat.postMessage` body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payload {
    pub channel: String,
    /// The notification text: the draft's first paragraph.
    pub text: String,
    pub blocks: Vec<Block>,
    /// `none`: Slack finds no mentions or channels in the text by itself.
    pub parse: &'static str,
    /// `false`: Slack links no `@handle` of a user group.
    pub link_names: bool,
}

impl Payload {
    /// The message for `channel` whose pasted text is `mrkdwn` (its first paragraph becomes
    /// the notification) and whose posted text `posted` becomes the blocks; `full_text`
    /// links where the whole message is, should it pass Slack's block limit.
    pub fn new(channel: &str, mrkdwn: &str, posted: &str, full_text: Option<&str>) -> Payload {
        Payload {
            channel: channel.to_owned(),
            text: ellipsize_at_word(
                mrkdwn.split("\n\n").next().unwrap_or_default().trim(),
                MAX_SECTION_TEXT,
            ),
            blocks: blocks(posted, full_text),
            parse: "none",
            link_names: false,
        }
    }

    /// Characters of text over all blocks (headers and sections).
    pub fn block_text_chars(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| match b {
                Block::Header { text } | Block::Section { text } => text.text.chars().count(),
                Block::Divider => 0,
            })
            .sum()
    }

    /// As pretty JSON, ending with a newline.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Header { text: TextObject },
    Section { text: TextObject },
    Divider,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextObject {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emoji: Option<bool>,
    /// `true` on mrkdwn: Slack parses only the tokens herald wrote (its own mentions, dates and
    /// links), never plain text, so nothing in it becomes a mention or a channel link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verbatim: Option<bool>,
}

impl TextObject {
    pub(super) fn mrkdwn(text: String) -> TextObject {
        TextObject {
            kind: "mrkdwn",
            text,
            emoji: None,
            verbatim: Some(true),
        }
    }

    pub(super) fn plain(text: String) -> TextObject {
        TextObject {
            kind: "plain_text",
            text,
            emoji: Some(true),
            verbatim: None,
        }
    }
}

/// At most `max` characters, cut at a space when one is near, with an ellipsis.
pub(super) fn ellipsize_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{cut}…")
}

/// The absolute URL of a site page, or `None` without a site URL: a path from the site root
/// means nothing in Slack.
/// Block Kit blocks for mrkdwn text: a bold first line becomes the header, `───` a divider,
/// each other paragraph a section. Long paragraphs are split at line ends; beyond the block
/// limit the rest is summarised as "…and N more lines", linking the drafts page when known.
pub(super) fn blocks(text: &str, drafts_page: Option<&str>) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, paragraph) in paragraphs(text).into_iter().enumerate() {
        if i == 0
            && let Some(title) = header_text(&paragraph)
        {
            out.push(Block::Header {
                text: TextObject::plain(title),
            });
            continue;
        }
        if paragraph == "───" || paragraph == "---" {
            out.push(Block::Divider);
            continue;
        }
        for chunk in chunks(&paragraph, MAX_SECTION_TEXT) {
            out.push(Block::Section {
                text: TextObject::mrkdwn(chunk),
            });
        }
    }
    if out.len() > MAX_BLOCKS {
        let dropped: usize = out[MAX_BLOCKS - 1..]
            .iter()
            .map(|b| match b {
                Block::Section { text } => text.text.lines().filter(|l| !l.is_empty()).count(),
                Block::Header { .. } => 1,
                Block::Divider => 0,
            })
            .sum();
        out.truncate(MAX_BLOCKS - 1);
        let rest = match drafts_page {
            Some(link) => format!("_…and {dropped} more lines: the full draft is on the {link}_"),
            None => format!(
                "_…and {dropped} more lines: the full draft is on the drafts page of the release site_"
            ),
        };
        out.push(Block::Section {
            text: TextObject::mrkdwn(rest),
        });
    }
    out
}

/// Paragraphs separated by blank lines, keeping a code block whole.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open_fence = false;
    for part in text.split("\n\n") {
        let part = part.trim_matches('\n');
        if part.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if open_fence => {
                last.push_str("\n\n");
                last.push_str(part);
            }
            _ => out.push(part.to_owned()),
        }
        if part.matches("```").count() % 2 == 1 {
            open_fence = !open_fence;
        }
    }
    out
}

/// The title of a paragraph that is one bold line short enough for a header. A title with
/// an escaped character stays a section: plain text would show the entity, not the character.
fn header_text(paragraph: &str) -> Option<String> {
    let inner = paragraph.strip_prefix('*')?.strip_suffix('*')?;
    if paragraph.contains('\n') || inner.contains(['*', '<', '>', '&', '`']) {
        return None;
    }
    (!inner.trim().is_empty() && inner.chars().count() <= MAX_HEADER_TEXT).then(|| inner.to_owned())
}

/// Pieces of at most `max` characters, split at line ends (a longer line is cut).
pub(super) fn chunks(paragraph: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for line in paragraph.lines() {
        let line = ellipsize_at_word(line, max);
        let len = line.chars().count();
        if !current.is_empty() && current_len + 1 + len > max {
            out.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if !current.is_empty() {
            current.push('\n');
            current_len += 1;
        }
        current.push_str(&line);
        current_len += len;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}
