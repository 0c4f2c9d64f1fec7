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

/// Escapes text for Slack: `&`, `<` and `>`, so nothing from the plan can mention or link.
pub fn escape_slack(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
                    let url = url
                        .replace('|', "%7C")
                        .replace('>', "%3E")
                        .replace('<', "%3C");
                    out.push_str(&format!("<{url}|{text}>"));
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
/// markers are gone, links show their address in brackets.
pub fn to_plain(md: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in parser(md) {
        match event {
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

/// Tera filters: `markdown` (safe HTML, also inside an mdBook page), `mrkdwn` (Slack),
/// `md_escape` (plain text into Markdown), `md_url` (a link destination; empty when the URL
/// may not be clickable or is `none`), `slack_escape` (plain text into Slack).
pub fn register(tera: &mut tera::Tera) {
    tera.register_filter("markdown", |s: &str, _: tera::Kwargs, _: &tera::State| {
        tera::Value::safe_string(&to_html(s))
    });
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
    }

    #[test]
    fn markdown_escape_keeps_table_cells_whole() {
        assert_eq!(
            escape_markdown("a | b\n<i>*x*</i>"),
            "a &#124; b &lt;i&gt;\\*x\\*&lt;/i&gt;"
        );
    }
}
