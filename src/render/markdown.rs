//! Markdown fields from the plan, rendered for each target with pulldown-cmark: safe HTML for
//! pages, Slack mrkdwn for drafts, plain text for the workbook; and escaping of plain text
//! for each target. Raw HTML in a field is always shown as text, and only http, https and
//! mailto links become links.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

fn parser(md: &str) -> Parser<'_> {
    Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES)
}

/// Whether a link target may be clickable.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Events with raw HTML turned into text and unsafe links and images turned into their text.
fn safe_events(md: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut link_stack: Vec<bool> = Vec::new();
    for event in parser(md) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => out.push(Event::Text(html)),
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                let safe = is_safe_url(&dest_url);
                link_stack.push(safe);
                if safe {
                    out.push(Event::Start(Tag::Link {
                        dest_url,
                        title,
                        link_type,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop() == Some(true) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                // Images from a plan are shown as their address, never loaded.
                link_stack.push(false);
                out.push(Event::Text(CowStr::from(format!("[image: {dest_url}] "))));
            }
            Event::End(TagEnd::Image) => {
                link_stack.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Safe HTML for a Markdown field, to embed in a page, also in an mdBook Markdown page: it
/// stays one HTML block there (no blank line, newlines in `<pre>` as `&#10;`), and brackets
/// and braces are entities, so mdBook finds no link and no `{{#include}}` directive in it.
pub fn to_html(md: &str) -> String {
    let events = safe_events(md).into_iter().map(|event| match event {
        // Raw HTML shown as text gets a paragraph, so it never sits bare between blocks.
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Links from a plan open in a new tab and tell the target nothing.
    let html = html.replace("<a href=", "<a rel=\"noopener noreferrer\" href=");
    inert_for_markdown(&html)
}

/// HTML from `push_html` that a Markdown parser passes through untouched: `[ ] { }` become
/// character references everywhere, newlines inside `<pre>` and inside tags become `&#10;`,
/// and lines holding only whitespace (insignificant outside `<pre>`) are dropped.
fn inert_for_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut in_tag = false;
    let mut tag = String::new();
    let mut pre_depth = 0usize;
    // Text from push_html has `<` and `>` escaped, so a literal one always delimits a tag.
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
                out.push(c);
            }
            '>' if in_tag => {
                in_tag = false;
                let name = tag.to_ascii_lowercase();
                if name == "pre" || name.starts_with("pre ") {
                    pre_depth += 1;
                } else if name == "/pre" {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                out.push(c);
            }
            '\n' if in_tag || pre_depth > 0 => out.push_str("&#10;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c => {
                if in_tag {
                    tag.push(c);
                }
                out.push(c);
            }
        }
    }
    let mut block = String::with_capacity(out.len());
    for line in out.lines().filter(|line| !line.trim().is_empty()) {
        block.push_str(line);
        block.push('\n');
    }
    block.truncate(block.trim_end().len());
    block
}

/// Sanitized Markdown for a Markdown field, for `.md` pages that people also paste into other
/// wikis: the field's own structure (paragraphs, lists, emphasis, code, tables, quotes, links)
/// re-emitted from pulldown-cmark events, with raw HTML shown as text, only http, https and
/// mailto links, images as their address, headings demoted to level 4 and below, and every
/// construct closed, so nothing reaches the page around it. mdBook directives cannot form:
/// braces in text are escaped, and in code a `{{` before a `#` gets a zero-width space.
pub fn to_markdown(md: &str) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    // Adjacent text (split by the parser at escapes, entities and raw HTML) becomes one run,
    // so escaping at the start of a line sees the whole line. The run grows in one buffer:
    // re-copying it per piece made 300,000 `<b>` take a minute.
    let mut run: Option<String> = None;
    for event in safe_events(md) {
        if let Event::Text(next) = event {
            match &mut run {
                Some(text) => text.push_str(&next),
                None => run = Some(next.into_string()),
            }
            continue;
        }
        if let Some(text) = run.take() {
            events.push(Event::Text(CowStr::from(text)));
        }
        events.push(match event {
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            event => event,
        });
    }
    if let Some(text) = run {
        events.push(Event::Text(CowStr::from(text)));
    }
    let mut w = MarkdownWriter::default();
    let mut code_block: Option<(String, String)> = None;
    let mut table_alignments: Vec<pulldown_cmark::Alignment> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if let Some((_, body)) = &mut code_block {
            match event {
                Event::Text(t) => body.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, body)) = code_block.take() {
                        w.code_block(&info, &body);
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) => w.block_start(),
            Event::End(TagEnd::Paragraph) => w.block_end(),
            Event::Start(Tag::Heading { level, .. }) => {
                w.block_start();
                let demoted = (*level as usize + 3).min(6);
                w.raw(&format!("{} ", "#".repeat(demoted)));
                w.in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                w.in_heading = false;
                w.block_end();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                w.block_start();
                w.containers.push(Container::Quote);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                w.containers.pop();
                w.block_end();
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => code_info(info),
                    pulldown_cmark::CodeBlockKind::Indented => code_info(""),
                };
                code_block = Some((info, String::new()));
            }
            Event::Start(Tag::List(start)) => {
                // A loose list's items hold paragraphs; a tight list's items hold text.
                let loose = matches!(events.get(i + 2), Some(Event::Start(Tag::Paragraph)));
                w.list_start(*start, loose);
            }
            Event::End(TagEnd::List(_)) => w.list_end(),
            Event::Start(Tag::Item) => w.item_start(),
            Event::End(TagEnd::Item) => w.item_end(),
            Event::Start(Tag::Table(alignments)) => {
                w.block_start();
                table_alignments = alignments.clone();
                w.in_table = true;
            }
            Event::End(TagEnd::Table) => {
                w.in_table = false;
                w.block_end();
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => w.raw("|"),
            Event::End(TagEnd::TableHead) => {
                w.raw("\n");
                w.line_open = false;
                w.raw("|");
                for alignment in &table_alignments {
                    w.raw(match alignment {
                        pulldown_cmark::Alignment::None => " --- |",
                        pulldown_cmark::Alignment::Left => " :-- |",
                        pulldown_cmark::Alignment::Center => " :-: |",
                        pulldown_cmark::Alignment::Right => " --: |",
                    });
                }
                w.end_line();
            }
            Event::End(TagEnd::TableRow) => w.end_line(),
            Event::Start(Tag::TableCell) => w.raw(" "),
            Event::End(TagEnd::TableCell) => w.raw(" |"),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => w.raw("*"),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => w.raw("**"),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => w.raw("~~"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                w.raw("[");
                w.links.push(md_url(dest_url).unwrap_or_default());
            }
            Event::End(TagEnd::Link) => {
                let url = w.links.pop().unwrap_or_default();
                w.raw(&format!("]({url})"));
            }
            Event::Text(t) => w.text(t),
            Event::Code(c) => w.code_span(c),
            Event::SoftBreak | Event::HardBreak if w.in_heading || w.in_table => w.raw(" "),
            Event::SoftBreak => w.end_line(),
            Event::HardBreak => {
                w.raw("\\");
                w.end_line();
            }
            Event::Rule => {
                w.block_start();
                w.raw("***");
                w.block_end();
            }
            _ => {}
        }
    }
    w.finish()
}

/// A code block's language: the fence's first word if it is a plain name, else `text`, so
/// `mdbook test` and syntax highlighters do not take plan text for Rust or guess a language.
fn code_info(info: &str) -> String {
    let word = info.split_whitespace().next().unwrap_or_default();
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-._#".contains(c));
    if plain {
        word.to_owned()
    } else {
        "text".to_owned()
    }
}

/// Code text with every `{{` that could open an mdBook directive (`{{`, blanks, `#`) split by a
/// zero-width space: code has no escapes, and mdBook expands directives even inside code.
fn defuse_directives(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if c == '{' && chars.get(i + 1) == Some(&'{') {
            let next = chars[i + 2..].iter().find(|c| !c.is_whitespace());
            if next == Some(&'#') {
                out.push('\u{200B}');
            }
        }
    }
    out
}

/// A block that holds others: each of its lines starts with its prefix.
#[derive(Debug)]
enum Container {
    Quote,
    /// A list item: `marker` until its first line is written, then `indent` spaces.
    Item {
        indent: usize,
        marker: Option<String>,
        tight: bool,
    },
}

/// An open list: its next number (`None` for bullets) and whether it uses the second marker.
#[derive(Debug)]
struct OpenList {
    next: Option<u64>,
    alternate: bool,
    loose: bool,
    has_items: bool,
}

/// Writes Markdown line by line, with the prefixes of the open containers.
#[derive(Debug, Default)]
struct MarkdownWriter {
    out: String,
    containers: Vec<Container>,
    lists: Vec<OpenList>,
    links: Vec<String>,
    /// The current line's prefix is written.
    line_open: bool,
    /// Nothing but the prefix is on the current line yet.
    at_line_start: bool,
    in_heading: bool,
    in_table: bool,
    /// A list just ended at this depth and output length, using the second marker or not: a
    /// list right after it takes the other marker, so the two stay two lists.
    list_ended: Option<(usize, usize, bool)>,
}

impl MarkdownWriter {
    fn open_line(&mut self) {
        if self.line_open {
            return;
        }
        for container in &mut self.containers {
            match container {
                Container::Quote => self.out.push_str("> "),
                Container::Item { indent, marker, .. } => match marker.take() {
                    Some(marker) => self.out.push_str(&marker),
                    None => self.out.push_str(&" ".repeat(*indent)),
                },
            }
        }
        self.line_open = true;
        self.at_line_start = true;
    }

    /// Text in the output's own syntax (markers, fences), on the current line.
    fn raw(&mut self, text: &str) {
        self.open_line();
        self.out.push_str(text);
        self.at_line_start = false;
    }

    fn end_line(&mut self) {
        if !self.line_open {
            self.open_line();
        }
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.line_open = false;
    }

    /// An empty line inside the open containers (`>` in a quote).
    fn blank_line(&mut self) {
        if self.line_open {
            self.end_line();
        }
        let mut prefix = String::new();
        for container in &self.containers {
            match container {
                Container::Quote => prefix.push_str("> "),
                Container::Item { indent, .. } => prefix.push_str(&" ".repeat(*indent)),
            }
        }
        self.out.push_str(prefix.trim_end());
        self.out.push('\n');
    }

    fn pending_marker(&self) -> bool {
        matches!(
            self.containers.last(),
            Some(Container::Item {
                marker: Some(_),
                ..
            })
        )
    }

    /// Separates a new block from what came before: a blank line, or a line end inside a tight
    /// list item, or nothing right after an item's marker.
    fn block_start(&mut self) {
        if self.out.is_empty() || self.pending_marker() {
            return;
        }
        match self.containers.last() {
            Some(Container::Item { tight: true, .. }) => {
                if self.line_open {
                    self.end_line();
                }
            }
            _ => self.blank_line(),
        }
    }

    fn block_end(&mut self) {
        if self.line_open {
            self.end_line();
        }
    }

    fn list_start(&mut self, start: Option<u64>, loose: bool) {
        let depth = self.containers.len();
        let alternate = match self.list_ended {
            Some((d, len, alternate)) if d == depth && len == self.out.len() => !alternate,
            _ => false,
        };
        self.block_start();
        self.lists.push(OpenList {
            next: start,
            alternate,
            loose,
            has_items: false,
        });
    }

    fn list_end(&mut self) {
        if let Some(list) = self.lists.pop() {
            self.block_end();
            self.list_ended = Some((self.containers.len(), self.out.len(), list.alternate));
        }
    }

    fn item_start(&mut self) {
        let Some(list) = self.lists.last_mut() else {
            return;
        };
        let marker = match (&mut list.next, list.alternate) {
            (Some(n), alternate) => {
                let marker = format!("{n}{} ", if alternate { ')' } else { '.' });
                *n += 1;
                marker
            }
            (None, false) => "- ".to_owned(),
            (None, true) => "* ".to_owned(),
        };
        let (loose, first) = (list.loose, !list.has_items);
        list.has_items = true;
        if !first && loose {
            self.blank_line();
        } else if self.line_open {
            self.end_line();
        }
        self.containers.push(Container::Item {
            indent: marker.len(),
            marker: Some(marker),
            tight: !loose,
        });
    }

    fn item_end(&mut self) {
        if self.pending_marker() {
            // An empty item still shows its marker.
            self.open_line();
        }
        self.block_end();
        self.containers.pop();
    }

    /// Plan text: every character that could start Markdown syntax is escaped, and so is
    /// anything at the start of a line that would begin a block.
    fn text(&mut self, text: &str) {
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                if self.in_heading || self.in_table {
                    self.raw(" ");
                } else if self.line_open && !self.at_line_start {
                    self.end_line();
                }
            }
            let at_line_start = !self.line_open || self.at_line_start;
            let line = if at_line_start {
                line.trim_start()
            } else {
                line
            };
            if line.is_empty() {
                continue;
            }
            self.open_line();
            let mut escaped = escape_inline(line);
            if self.at_line_start && !self.in_table {
                escaped = escape_line_start(&escaped);
            }
            self.out.push_str(&escaped);
            self.at_line_start = false;
        }
    }

    fn code_span(&mut self, code: &str) {
        let mut code = defuse_directives(code);
        if self.in_table {
            code = code.replace('|', "\\|");
        }
        let ticks = "`".repeat(longest_run(&code, '`') + 1);
        let pad = (code.starts_with([' ', '`']) || code.ends_with([' ', '`']))
            && !code.chars().all(|c| c == ' ');
        let pad = if pad { " " } else { "" };
        self.raw(&format!("{ticks}{pad}{code}{pad}{ticks}"));
    }

    fn code_block(&mut self, info: &str, body: &str) {
        self.block_start();
        let body = defuse_directives(body);
        let fence = "`".repeat((longest_run(&body, '`') + 1).max(3));
        self.raw(&format!("{fence}{info}"));
        self.end_line();
        let body = body.strip_suffix('\n').unwrap_or(&body);
        if !body.is_empty() {
            for line in body.split('\n') {
                if line.is_empty() {
                    self.blank_line();
                } else {
                    self.open_line();
                    self.out.push_str(line);
                    self.out.push('\n');
                    self.line_open = false;
                }
            }
        }
        self.raw(&fence);
        self.end_line();
    }

    fn finish(mut self) -> String {
        self.block_end();
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Escapes the characters that start inline syntax or raw HTML, or that could split a table
/// cell or start an mdBook directive.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '~' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes what would begin a block at the start of a line: a heading `#`, a list marker
/// (`-`, `+`, `1.`, `1)`), a setext underline `=`, a definition-list `:`.
fn escape_line_start(escaped: &str) -> String {
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && escaped[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    if escaped.starts_with(['#', '-', '+', '=', ':']) {
        return format!("\\{escaped}");
    }
    escaped.to_owned()
}

/// A link destination for Markdown, or `None` when the URL may not be clickable (only http,
/// https and mailto). Characters that end a destination, split a table cell or start an
/// mdBook directive are percent-encoded.
pub fn md_url(url: &str) -> Option<String> {
    let url = url.trim();
    if !is_safe_url(url) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&*+,;=%".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// Escapes text for HTML (content and attribute values).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text from the plan, made safe to place in Markdown, also inside a table cell:
/// Markdown punctuation is backslash-escaped, `<` `>` `&` become entities, line breaks
/// become spaces.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Plain text from the plan made inert for Slack: the one function every piece of plan text
/// in a draft goes through (also link labels, through [`slack_link`], and the text of Markdown
/// fields, through [`to_mrkdwn`]).
///
/// `&`, `<` and `>` become entities, as Slack asks, so no `<!here>`, `<@U…>`, `<#C…>`,
/// `<!subteam^…>`, `<!date^…>` or `<url|text>` can form. An `@` that starts a word (`@here`,
/// `@channel`, `@everyone`, `@some-group`, in any case) becomes the full-width `＠`: Slack
/// turns a typed or pasted `@here` into a ping, and with `link_names` it links handles, but it
/// only ever reads the ASCII `@`. The look-alike reads as written, works in code, headers and
/// link labels alike, and adds nothing invisible. An `@` inside a word (`rm@kyma.example`) stays.
/// The only live mentions of a draft are the ones herald makes from the Slack ids checked at
/// load time.
pub fn escape_slack(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' if opens_handle(previous, chars.peek().copied()) => out.push('＠'),
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// Whether an `@` between these characters starts a handle Slack could read as a mention.
fn opens_handle(previous: Option<char>, next: Option<char>) -> bool {
    !previous.is_some_and(char::is_alphanumeric)
        && next.is_some_and(|n| n.is_alphanumeric() || n == '_')
}

/// Slack text back to what was written: the three entities of [`escape_slack`] decoded.
fn unescape_slack(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A URL for Slack, as the target of `<url|label>` and as visible text alike, or `None` when it
/// may not be clickable (only http, https and mailto). Takes the URL as written or as escaped
/// for Slack. Everything that could end the link or open a token (`|`, `<`, `>`, blanks,
/// quotes) is percent-encoded, and so is an `@` that starts a word; `&` is an entity.
pub fn slack_url(url: &str) -> Option<String> {
    let url = unescape_slack(url);
    let mut handles_encoded = String::with_capacity(url.len());
    let mut previous: Option<char> = None;
    for c in url.chars() {
        match c {
            '@' if !previous.is_some_and(char::is_alphanumeric) => handles_encoded.push_str("%40"),
            c => handles_encoded.push(c),
        }
        previous = Some(c);
    }
    Some(md_url(&handles_encoded)?.replace('&', "&amp;"))
}

/// `<url|label>` for an http(s) or mailto URL, else the label followed by the address as
/// code. Both may come as written in the plan or already escaped for Slack: each is made inert
/// again (escaping is idempotent over its own output), so a template that passes a raw value
/// still cannot mention anyone.
pub fn slack_link(url: &str, label: &str) -> String {
    let label = escape_slack(&unescape_slack(label)).replace(['\n', '\r'], " ");
    match slack_url(url) {
        Some(url) => format!("<{url}|{label}>"),
        None => format!("{label} (`{}`)", escape_slack(&unescape_slack(url))),
    }
}

/// Slack mrkdwn for a Markdown field: `**bold**` → `*bold*`, `_em_`, `~strike~`, links as
/// `<url|text>`, lists as `•` lines, headings bold. Text is escaped, so it cannot mention anyone.
pub fn to_mrkdwn(md: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<(String, String)> = None;
    let mut autolink = false;
    for event in safe_events(md) {
        let text_target =
            |out: &mut String, link: &mut Option<(String, String)>, s: &str| match link {
                Some((_, text)) => text.push_str(s),
                None => out.push_str(s),
            };
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                if lists.is_empty() {
                    out.push_str("\n\n");
                } else {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Heading { .. }) => out.push('*'),
            Event::End(TagEnd::Heading(_)) => out.push_str("*\n\n"),
            Event::Start(Tag::Strong) => text_target(&mut out, &mut link, "*"),
            Event::End(TagEnd::Strong) => text_target(&mut out, &mut link, "*"),
            Event::Start(Tag::Emphasis) => text_target(&mut out, &mut link, "_"),
            Event::End(TagEnd::Emphasis) => text_target(&mut out, &mut link, "_"),
            Event::Start(Tag::Strikethrough) => text_target(&mut out, &mut link, "~"),
            Event::End(TagEnd::Strikethrough) => text_target(&mut out, &mut link, "~"),
            Event::Start(Tag::BlockQuote(_)) => out.push_str("> "),
            Event::End(TagEnd::BlockQuote(_)) => {}
            Event::Start(Tag::CodeBlock(_)) => {
                out.push_str("```\n");
            }
            Event::End(TagEnd::CodeBlock) => {
                out.push_str("```\n");
            }
            Event::Start(Tag::List(start)) => {
                if !lists.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"    ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Link {
                dest_url,
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                // `<https://x|y>` in a plan is Slack link syntax: show it as written.
                autolink = true;
                out.push_str(&escape_slack(&format!("<{dest_url}>")));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new()))
            }
            Event::End(TagEnd::Link) if autolink => autolink = false,
            Event::Text(_) if autolink => {}
            Event::End(TagEnd::Link) => {
                if let Some((url, text)) = link.take() {
                    out.push_str(&slack_link(&url, &text));
                }
            }
            Event::Text(t) => {
                text_target(&mut out, &mut link, &escape_slack(&t));
            }
            Event::Code(t) => text_target(&mut out, &mut link, &format!("`{}`", escape_slack(&t))),
            Event::SoftBreak => text_target(&mut out, &mut link, " "),
            Event::HardBreak => text_target(&mut out, &mut link, "\n"),
            Event::Rule => out.push_str("───\n"),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// Readable plain text for a Markdown field: lists stay lists (`•` or numbers), emphasis
/// markers are gone, web links show their address in brackets after their text.
pub fn to_plain(md: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Each open link: its address and where its text starts in `out`.
    let mut links: Vec<(String, usize)> = Vec::new();
    for event in parser(md) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), out.len()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = links.pop()
                    && is_safe_url(&url)
                    && out[start..] != *url
                {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                out.push_str(if lists.is_empty() { "\n\n" } else { "\n" });
            }
            Event::Start(Tag::List(start)) => {
                if !lists.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                out.push_str(&"   ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::CodeBlock) => out.push('\n'),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// Tera filters: `markdown` (safe HTML, also inside an mdBook page), `markdown_md` (sanitized
/// Markdown for `.md` pages that get pasted into other wikis), `mrkdwn` (Slack),
/// `md_escape` (plain text into Markdown), `md_url` (a link destination; empty when the URL
/// may not be clickable or is `none`), `slack_escape` (plain text into Slack).
pub fn register(tera: &mut tera::Tera) {
    tera.register_filter("markdown", |s: &str, _: tera::Kwargs, _: &tera::State| {
        tera::Value::safe_string(&to_html(s))
    });
    tera.register_filter(
        "markdown_md",
        |s: &str, _: tera::Kwargs, _: &tera::State| tera::Value::safe_string(&to_markdown(s)),
    );
    // An optional field's `none` gives no link, like an unsafe URL.
    tera.register_filter(
        "md_url",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| {
            v.as_str().and_then(md_url).unwrap_or_default()
        },
    );
    tera.register_filter("mrkdwn", |s: &str, _: tera::Kwargs, _: &tera::State| {
        to_mrkdwn(s)
    });
    tera.register_filter("md_escape", |s: &str, _: tera::Kwargs, _: &tera::State| {
        escape_markdown(s)
    });
    tera.register_filter(
        "slack_escape",
        |s: &str, _: tera::Kwargs, _: &tera::State| escape_slack(s),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_never_passes_raw_html_or_script_links() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> [ok](https://a.example)",
        );
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("href=\"https://a.example\""), "{html}");
    }

    /// A field with a code block holding a blank line and a script link after it, an mdBook
    /// directive, raw HTML and an image with an error handler.
    const HOSTILE: &str = "```\ncode\n\n[x](javascript:alert(1))\n```\n\n{{#include /etc/passwd}}\n\n<script>\n\nalert(1)\n</script>\n\n<img src=x onerror=alert(1)> [ok](https://a.example/[b]) ![i](https://a.example/i.png)\n";

    #[test]
    fn html_is_one_block_without_links_or_directives_for_mdbook() {
        let html = to_html(HOSTILE);
        assert!(!html.contains("\n\n") && !html.ends_with('\n'), "{html}");
        assert!(
            html.starts_with(
                "<pre><code>code&#10;&#10;&#91;x&#93;(javascript:alert(1))&#10;</code></pre>\n"
            ),
            "{html}"
        );
        assert!(
            html.contains("<p>&#123;&#123;#include /etc/passwd&#125;&#125;</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p>&lt;script&gt;\nalert(1)\n&lt;/script&gt;\n</p>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(
            html.contains(
                "<a rel=\"noopener noreferrer\" href=\"https://a.example/%5Bb%5D\">ok</a>"
            ),
            "{html}"
        );
        assert!(
            !html.contains("<img") && !html.contains("<script"),
            "{html}"
        );

        // Embedded in a Markdown page the way the wiki does, the parser mdBook uses sees one
        // HTML block: no link, no image and no text of its own.
        let page = format!("# Notes\n\n<div class=\"notes\">\n{html}\n</div>\n\nAfter.\n");
        let mut html_lines = String::new();
        for event in Parser::new_ext(&page, Options::all()) {
            match event {
                Event::Html(h) => html_lines.push_str(&h),
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("link in {page}"),
                Event::Text(t) => assert!(["Notes", "After."].contains(&&*t), "{t} in {page}"),
                _ => {}
            }
        }
        assert_eq!(
            html_lines,
            format!("<div class=\"notes\">\n{html}\n</div>\n")
        );
        // Even placed bare, nothing in it becomes a link or a directive.
        for event in Parser::new_ext(&html, Options::all()) {
            match event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("link in {html}"),
                Event::Text(t) => assert!(!t.contains("{{#"), "{t}"),
                _ => {}
            }
        }
    }

    #[test]
    fn md_urls_are_only_web_links_and_cannot_break_a_table() {
        assert_eq!(md_url("javascript:alert(1)"), None);
        assert_eq!(md_url(" JAVASCRIPT:alert(1)"), None);
        assert_eq!(
            md_url("https://a.example/x y|(z)<>{}").as_deref(),
            Some("https://a.example/x%20y%7C%28z%29%3C%3E%7B%7D")
        );
        assert_eq!(
            md_url("mailto:a@b.example").as_deref(),
            Some("mailto:a@b.example")
        );
    }

    #[test]
    fn mrkdwn_converts_emphasis_links_and_lists() {
        let m = to_mrkdwn("**bold** and _em_ [site](https://a.example)\n\n- one\n- two\n");
        assert_eq!(
            m,
            "*bold* and _em_ <https://a.example|site>\n\n• one\n• two"
        );
    }

    #[test]
    fn mrkdwn_escapes_mentions_from_the_plan() {
        let m = to_mrkdwn("hi <!channel> <@U123> <https://evil|click> & more");
        assert!(
            !m.contains("<!channel>") && !m.contains("<@U123>") && !m.contains("<https://evil"),
            "{m}"
        );
        assert!(
            m.contains("&lt;!channel&gt;") && m.contains("&amp; more"),
            "{m}"
        );
    }

    #[test]
    fn plain_keeps_lists_and_drops_markers() {
        let p = to_plain("1. Deploy **orders**.\n2. Call it *three* times.\n");
        assert_eq!(p, "1. Deploy orders.\n2. Call it three times.");
        let p = to_plain(
            "See [the guide](https://a.example/g), <https://b.example> and [x](javascript:alert(1)).",
        );
        assert_eq!(
            p,
            "See the guide (https://a.example/g), https://b.example and x."
        );
    }

    #[test]
    fn markdown_escape_keeps_table_cells_whole() {
        assert_eq!(
            escape_markdown("a | b\n<i>*x*</i>"),
            "a &#124; b &lt;i&gt;\\*x\\*&lt;/i&gt;"
        );
    }

    /// What a Markdown parser with every extension makes of a page holding `field` between a
    /// heading and a paragraph, as the wiki pages do: the events, checked to hold no HTML, no
    /// link but a web one, no image, and the page's own heading and last paragraph intact.
    fn embedded_events(field: &str) -> Vec<Event<'static>> {
        let page = format!("# Notes\n\n{field}\n\nAfter.\n");
        let events: Vec<Event<'static>> = Parser::new_ext(&page, Options::all())
            .map(Event::into_static)
            .collect();
        let mut depth = 0usize;
        for event in &events {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in {page}"),
                Event::Start(Tag::Image { .. }) => panic!("image in {page}"),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    assert!(is_safe_url(dest_url), "link {dest_url} in {page}")
                }
                Event::Start(Tag::Heading { level, .. }) if depth == 0 && event != &events[0] => {
                    assert!(*level as usize >= 4, "heading {level} in {page}")
                }
                Event::Start(Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_)) => {
                    panic!("{event:?} in {page}")
                }
                Event::FootnoteReference(_) | Event::TaskListMarker(_) => {
                    panic!("{event:?} in {page}")
                }
                Event::InlineMath(_) | Event::DisplayMath(_) => panic!("{event:?} in {page}"),
                _ => {}
            }
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
        }
        assert!(
            matches!(&events[0], Event::Start(Tag::Heading { level, .. }) if *level as usize == 1),
            "{page}"
        );
        let n = events.len();
        assert_eq!(
            &events[n - 3..],
            &[
                Event::Start(Tag::Paragraph),
                Event::Text("After.".into()),
                Event::End(TagEnd::Paragraph)
            ],
            "{page}"
        );
        events
    }

    /// Whether mdBook's link preprocessor would see a directive: `{{`, blanks, `#`.
    fn has_directive(text: &str) -> bool {
        text.match_indices("{{")
            .any(|(i, _)| text[i + 2..].trim_start().starts_with('#'))
    }

    #[test]
    fn markdown_keeps_hostile_fields_as_text_in_their_block() {
        let md = to_markdown(HOSTILE);
        assert_eq!(
            md,
            "```text\ncode\n\n[x](javascript:alert(1))\n```\n\n\
             \\{\\{#include /etc/passwd\\}\\}\n\n\
             &lt;script&gt;\nalert(1)\n&lt;/script&gt;\n\n\
             &lt;img src=x onerror=alert(1)&gt; [ok](https://a.example/[b]) \
             \\[image: https://a.example/i.png\\] i"
        );
        assert!(!has_directive(&md), "{md}");
        let events = embedded_events(&md);
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert!(text.contains("{{#include /etc/passwd}}"), "{text}");
        assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    }

    #[test]
    fn markdown_fields_cannot_break_out_or_inject() {
        for field in [
            // An unterminated fence, a fence inside a longer one, a directive in code.
            "```\nnever closed {{#include /etc/passwd}}\n",
            "````\n```\n````\n\n` {{ #include x}} `",
            "text {{\n#include /etc/passwd}}",
            // An unclosed HTML comment and raw blocks.
            "<!-- open\n\nstill open",
            "<div>\n\n*x*\n\n</div>",
            "<pre>\n\n</pre>\n<style>a{}</style>",
            // Headings of every level, setext headings, rules.
            "# h1\n## h2\n###### h6\nSetext\n---\n\n***",
            // Reference definitions and footnotes, task lists, definition lists, math, wikilinks.
            "[x]: javascript:alert(1)\n\n[x] [^1] [[wiki]]\n\n[^1]: note\n\n- [ ] task\n\nterm\n: definition\n\n$x$ $$y$$",
            // Text that looks like blocks once its escapes are gone.
            "\\- a\n\\+ b\n1\\. c\n2\\) d\n\\# e\n\\> f\n\\= g\n: h\n&#32;&#32;&#32;&#32;code?",
            // Containers left open at the end: a list, a quote, a table.
            "- a\n  - b\n\n    > c",
            "> quote\n> - x",
            "| a | b |\n| - | - |\n| 1 | 2 |",
            // Links with hostile targets and text.
            "[a](javascript:alert(1)) [b](<https://x.example/a b>) [c](https://x.example/\"onclick=) <javascript:alert(1)> [d](data:text/html,x) ![e](https://x.example/e.png \"t\")",
            // Autolinks and mentions for other wikis.
            "<https://x.example/a|b> www.x.example @all :emoji: ~~gone~~ ~sub~ ^sup^",
        ] {
            let md = to_markdown(field);
            assert!(!has_directive(&md), "{field:?} → {md}");
            assert!(!md.contains('<'), "{field:?} → {md}");
            embedded_events(&md);
        }
    }

    /// The HTML pulldown-cmark makes of a field's safe events and of its re-emitted Markdown.
    fn html_before_and_after(md: &str) -> (String, String) {
        // Every code block is written with a language (`text` where the field gave none).
        let labelled = safe_events(md).into_iter().map(|event| match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => code_info(&info),
                    pulldown_cmark::CodeBlockKind::Indented => code_info(""),
                };
                Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(
                    info.into(),
                )))
            }
            other => other,
        });
        let mut before = String::new();
        pulldown_cmark::html::push_html(&mut before, labelled);
        let mut after = String::new();
        pulldown_cmark::html::push_html(&mut after, parser(&to_markdown(md)));
        (before, after)
    }

    #[test]
    fn markdown_keeps_the_fields_structure() {
        for field in [
            "1. Deploy **orders** with `kubectl`.\n2. Call it *three* times.\n",
            "- a\n- b\n  - nested *x*\n  - y\n- c\n",
            "- loose\n\n- list\n\n  second paragraph\n",
            "1. one\n1. two\n\n\n- bullets after\n- numbers\n",
            "- first list\n\n\n* second list\n",
            "3. starts at three\n4. four\n",
            "> a quote with **bold**\n> - and a list\n>\n> ```sh\n> echo a\n>\n> echo b\n> ```\n",
            "| Team | Result |\n| :-- | --: |\n| `goat` | passed ~~failed~~ |\n",
            "See [the docs](https://kyma.example/docs?a=1&b=2#x) or mail <mailto:rm@kyma.example>.\nLine two  \nafter a hard break.",
            "Text with * stars _under_ [brackets] {braces} `code` | pipes $5 and 50% & 1 < 2 > 0 \\ done",
            "````md\n```\nnested fence\n```\n````\n\n``a ` b``",
            "***\n\nafter a rule",
            "2024. A year, not a list.\n\n- item\n\n  ```\n  code in an item\n  ```\n",
        ] {
            let (before, after) = html_before_and_after(field);
            assert_eq!(before, after, "{field:?} → {}", to_markdown(field));
            embedded_events(&to_markdown(field));
        }
    }

    #[test]
    fn markdown_reads_like_the_field() {
        assert_eq!(
            to_markdown(
                "1. Ask in #kyma-team.\n2. Run `kubectl get pods`.\n\n**Note:** _keep_ it [short](https://a.example)."
            ),
            "1. Ask in #kyma-team.\n2. Run `kubectl get pods`.\n\n**Note:** *keep* it [short](https://a.example)."
        );
        assert_eq!(to_markdown("# Heading\n\ntext"), "#### Heading\n\ntext");
    }

    #[test]
    fn code_blocks_without_a_language_are_marked_text() {
        assert_eq!(
            to_markdown("```\nkubectl get pods\n```"),
            "```text\nkubectl get pods\n```"
        );
        assert_eq!(
            to_markdown("    indented code"),
            "```text\nindented code\n```"
        );
        assert_eq!(to_markdown("```sh\necho a\n```"), "```sh\necho a\n```");
        assert_eq!(
            to_markdown("```{rust} x\nfn f() {}\n```"),
            "```text\nfn f() {}\n```"
        );
    }
}

#[cfg(test)]
mod scale {
    use super::*;
    use std::time::{Duration, Instant};

    /// Raw HTML in a field renders in time linear in its size: a million `<b>` (3 MB, under
    /// the 4 MiB file limit) once took minutes, as each piece re-copied the text before it.
    #[test]
    fn a_million_raw_tags_render_in_linear_time() {
        let field = "<b>".repeat(1_000_000);
        let started = Instant::now();
        let md = to_markdown(&field);
        let html = to_html(&field);
        let mrkdwn = to_mrkdwn(&field);
        let plain = to_plain(&field);
        let took = started.elapsed();
        assert_eq!(md.len(), field.len() / 3 * "&lt;b&gt;".len());
        assert!(md.starts_with("&lt;b&gt;&lt;b&gt;"), "{}", &md[..40]);
        assert_eq!(
            html.len(),
            "<p>".len() + field.len() / 3 * "&lt;b&gt;".len() + "</p>".len()
        );
        assert_eq!(mrkdwn.len(), field.len() / 3 * "&lt;b&gt;".len());
        assert_eq!(plain, field);
        // A release build takes well under a second; the bound holds for debug builds on a busy
        // machine, and a quadratic renderer would need hours.
        assert!(took < Duration::from_secs(30), "{took:?}");
    }
}

#[cfg(test)]
mod slack_text {
    use super::*;

    #[test]
    fn plan_text_is_inert_and_escaping_is_idempotent_over_its_output() {
        let once = escape_slack("R&D <!here> @here @Channel (@everyone) rm@kyma.example @ 5");
        assert_eq!(
            once,
            "R&amp;D &lt;!here&gt; ＠here ＠Channel (＠everyone) rm@kyma.example @ 5"
        );
        assert_eq!(escape_slack(&unescape_slack(&once)), once);
        assert_eq!(escape_slack("&lt;!here&gt;"), "&amp;lt;!here&amp;gt;");
    }

    #[test]
    fn slack_urls_cannot_end_a_link_or_open_a_token() {
        assert_eq!(
            slack_url("https://x.example/>x<!channel><@U0VICTIM1>|@here").as_deref(),
            Some("https://x.example/%3Ex%3C!channel%3E%3C%40U0VICTIM1%3E%7C%40here")
        );
        assert_eq!(
            slack_url("https://x.example/?a=1&b=2 c").as_deref(),
            Some("https://x.example/?a=1&amp;b=2%20c")
        );
        // As written or as escaped for Slack, the same URL.
        assert_eq!(
            slack_url("https://x.example/?a=1&amp;b=2").as_deref(),
            Some("https://x.example/?a=1&amp;b=2")
        );
        assert_eq!(
            slack_url("mailto:rm@kyma.example").as_deref(),
            Some("mailto:rm@kyma.example")
        );
        assert_eq!(slack_url("javascript:alert(1)"), None);
    }

    #[test]
    fn links_escape_their_label_whether_it_came_escaped_or_not() {
        let link = "<https://x.example/a%7Cb|&lt;!here&gt; ＠here &amp; co>";
        assert_eq!(
            slack_link("https://x.example/a|b", "<!here> @here & co"),
            link
        );
        assert_eq!(
            slack_link("https://x.example/a|b", "&lt;!here&gt; ＠here &amp; co"),
            link
        );
        assert_eq!(
            slack_link("console.example <@U1>", "@here"),
            "＠here (`console.example &lt;＠U1&gt;`)"
        );
        assert_eq!(
            to_mrkdwn("[@here <!here>](https://x.example/@here?a=|b)"),
            "<https://x.example/%40here?a=%7Cb|＠here &lt;!here&gt;>"
        );
    }
}
