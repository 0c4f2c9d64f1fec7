//! `herald serve`: builds, serves OUT/site on localhost, and builds again on the request after
//! a plan, a template, `book.toml` or the theme changed, so a reload shows the change.
//!
//! A tiny HTTP/1.1 server over `std::net`: GET and HEAD of files under OUT/site only, one
//! thread per connection (a browser opens connections it does not use at once; one thread for
//! all would wait for them), every response `Connection: close`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use herald::build::{BuildError, BuildOptions};
use herald::write::keys::{self, Fingerprint};

use super::{BookCommands, EXIT_ERRORS, EXIT_USAGE, PlansDir, SiteUrl, Today, emit, plan_errors};

#[derive(clap::Args)]
#[command(mut_arg("today", |a| a.help(
    "The date that decides what is past, next and overdue (YYYY-MM-DD; default: today in UTC)"
)))]
pub struct Args {
    #[command(flatten)]
    plans: PlansDir,
    /// The output folder: OUT/wiki (mdBook source) and OUT/site (HTML, what is served)
    #[arg(long, default_value = "public")]
    out: PathBuf,
    /// The port on 127.0.0.1 to serve on (0: any free port, printed)
    #[arg(long, default_value_t = 3000)]
    port: u16,
    #[command(flatten)]
    today: Today,
    #[command(flatten)]
    site: SiteUrl,
    #[command(flatten)]
    book: BookCommands,
}

/// How long a connection may take to send its request, or to take the response.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// The most a request's line and headers may take.
const MAX_HEAD_BYTES: u64 = 16 * 1024;

pub fn run(args: Args) -> ExitCode {
    let listener = match TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "herald: cannot serve on 127.0.0.1:{}: {e}; is another server running there? Stop it or choose another --port",
                args.port
            );
            return ExitCode::from(EXIT_ERRORS);
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let mut site = Site {
        opts: BuildOptions {
            dir: args.plans.dir,
            out: args.out,
            today: args.today.date(),
            site_url: args.site.site_url,
            site: true,
            keep_foreign: false,
            allowed_commands: args.book.allowed,
        },
        today: args.today,
        inputs: None,
        error: None,
    };
    // A folder that is not there, or an OUT herald cannot own, is not fixed by editing a plan.
    match site.build() {
        Err(e @ BuildError::Load(_)) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
        Err(e @ (BuildError::Layout(_) | BuildError::Foreign(_) | BuildError::Lock(_))) => {
            eprintln!("herald: {e}");
            return ExitCode::from(EXIT_ERRORS);
        }
        _ => {}
    }
    emit(&format!(
        "serving {} on http://127.0.0.1:{port}/\nbuilt again on the next request when a plan, a template, book.toml or the theme changes; press Ctrl-C to stop\n",
        herald::diag::show_path(&site.root()),
    ));
    let site = Arc::new(Mutex::new(site));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let site = Arc::clone(&site);
        std::thread::spawn(move || answer(stream, &site));
    }
    ExitCode::SUCCESS
}

/// What is served, and what the last build made of the inputs.
struct Site {
    opts: BuildOptions,
    today: Today,
    /// The fingerprint of the inputs the last build saw.
    inputs: Option<String>,
    /// Why the last build failed (the site still shows the build before it).
    error: Option<String>,
}

impl Site {
    fn root(&self) -> PathBuf {
        self.opts.out.join("site")
    }

    /// Builds again when the inputs changed since the last build (or cannot be read).
    fn refresh(&mut self) {
        self.opts.today = self.today.date();
        let now = inputs(&self.opts);
        if now.is_none() || now != self.inputs {
            let _ = self.build();
        }
    }

    /// Builds, prints what happened, and remembers the error (printed once until it changes).
    fn build(&mut self) -> Result<(), BuildError> {
        self.inputs = inputs(&self.opts);
        match herald::build::build(&self.opts) {
            Ok(report) => {
                if !report.up_to_date {
                    let warnings = match report.warnings {
                        0 => String::new(),
                        1 => " (1 warning: run `herald check`)".to_owned(),
                        n => format!(" ({n} warnings: run `herald check`)"),
                    };
                    eprintln!(
                        "built {} releases ({} rendered) in {:.2}s{warnings}",
                        report.releases,
                        report.rendered,
                        report.elapsed.as_secs_f64()
                    );
                }
                if self.error.take().is_some() {
                    eprintln!("herald: the plans build again; serving the new site");
                }
                Ok(())
            }
            Err(e) => {
                let text = match &e {
                    BuildError::Plans(checked) => {
                        plan_errors(checked, "the site still shows the last build that worked")
                    }
                    e => format!(
                        "herald: {e}\nherald: the site still shows the last build that worked\n"
                    ),
                };
                if self.error.as_deref() != Some(text.as_str()) {
                    eprint!("{text}");
                }
                self.error = Some(text);
                Err(e)
            }
        }
    }
}

/// One fingerprint of everything a build reads but the git history: the plans, the
/// templates, `book.toml` and the theme, and the date. `None` when they cannot be read.
fn inputs(opts: &BuildOptions) -> Option<String> {
    let mut fp = Fingerprint::default();
    for (path, key) in keys::fingerprint_plans(&opts.dir).ok()? {
        fp.text(&path.to_string_lossy()).text(&key);
    }
    let templates = herald::load::templates::user_templates_dir(&opts.dir);
    keys::fingerprint_tree(&mut fp, &templates).ok()?;
    fp.text(&herald::site::inputs_fingerprint(&opts.dir).ok()?);
    fp.text(&opts.today.to_string());
    Some(fp.hex())
}

/// A response: status, content type and body.
struct Response {
    status: &'static str,
    kind: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn page(status: &'static str, title: &str, text: &str) -> Response {
        let body = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body><h1>{title}</h1>\n<pre>{}</pre>\n</body></html>\n",
            escape_html(text)
        );
        Response {
            status,
            kind: "text/html; charset=utf-8",
            body: body.into_bytes(),
            location: None,
        }
    }
}

fn answer(stream: TcpStream, site: &Mutex<Site>) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reader.take(MAX_HEAD_BYTES));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    // The headers: read to the blank line, none of them matters here.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header.trim_end().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut words = line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let head = method == "HEAD";
    let response = if method != "GET" && !head {
        Response::page(
            "405 Method Not Allowed",
            "Method not allowed",
            "herald serve answers GET and HEAD only.",
        )
    } else {
        let (root, error) = {
            let mut site = site.lock().unwrap_or_else(|e| e.into_inner());
            site.refresh();
            (site.root(), site.error.clone())
        };
        respond(&root, target, error.as_deref())
    };
    send(stream, &response, head);
}

fn send(mut stream: TcpStream, r: &Response, head: bool) {
    let location = r
        .location
        .as_ref()
        .map(|l| format!("Location: {l}\r\n"))
        .unwrap_or_default();
    let header = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{location}Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        r.status,
        r.kind,
        r.body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if !head {
        let _ = stream.write_all(&r.body);
    }
    let _ = stream.flush();
}

/// The response to a request for `target` of the site in `root`; `error` is why the last
/// build failed, shown where there is no page.
fn respond(root: &Path, target: &str, error: Option<&str>) -> Response {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let Some(rel) = site_path(raw) else {
        return Response::page(
            "400 Bad Request",
            "Bad request",
            &format!("{target} is not a path inside the site."),
        );
    };
    let not_found = || {
        // The site's own 404 page (mdBook writes one), unless the last build failed.
        if error.is_none()
            && let Ok(body) = std::fs::read(root.join("404.html"))
        {
            return Response {
                status: "404 Not Found",
                kind: "text/html; charset=utf-8",
                body,
                location: None,
            };
        }
        let why = error.map_or(String::new(), |e| {
            format!("\n\nThe last build failed:\n{e}")
        });
        Response::page(
            "404 Not Found",
            "Not found",
            &format!("{raw} is not in the site.{why}"),
        )
    };
    let Ok(canonical) = root.canonicalize() else {
        return match error {
            Some(e) => Response::page("503 Service Unavailable", "The site is not built", e),
            None => not_found(),
        };
    };
    let Ok(mut path) = canonical.join(&rel).canonicalize() else {
        return not_found();
    };
    if !path.starts_with(&canonical) {
        return not_found();
    }
    if path.is_dir() {
        if !raw.ends_with('/') {
            // Relative links in the folder's index.html need the slash.
            return Response {
                status: "301 Moved Permanently",
                kind: "text/plain; charset=utf-8",
                body: Vec::new(),
                location: Some(format!("{raw}/")),
            };
        }
        path.push("index.html");
    }
    match std::fs::read(&path) {
        Ok(body) if path.is_file() => {
            let kind = content_type(&path);
            let body = match error {
                Some(e) if kind.starts_with("text/html") => with_banner(body, e),
                _ => body,
            };
            Response {
                status: "200 OK",
                kind,
                body,
                location: None,
            }
        }
        _ => not_found(),
    }
}

/// An HTML page with why the last build failed at the top of its body, so a reload after a
/// broken edit does not look like the edit was ignored.
fn with_banner(body: Vec<u8>, error: &str) -> Vec<u8> {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return e.into_bytes(),
    };
    let Some(at) = text
        .find("<body")
        .and_then(|start| text[start..].find('>').map(|end| start + end + 1))
    else {
        return text.into_bytes();
    };
    let banner = format!(
        "\n<div style=\"position:relative;z-index:1000;background:#fdd;color:#000;border-bottom:2px solid #c00;padding:0.5em 1em\"><strong>herald serve: the last build failed; this page is from the build before.</strong><pre style=\"white-space:pre-wrap\">{}</pre></div>\n",
        escape_html(error)
    );
    let mut out = String::with_capacity(text.len() + banner.len());
    out.push_str(&text[..at]);
    out.push_str(&banner);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// The relative path a request names: percent-decoded, `.` and empty parts dropped; `None`
/// when a part is `..` or holds a backslash or NUL, or the path is not UTF-8.
fn site_path(raw: &str) -> Option<PathBuf> {
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    let mut rel = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(['\\', '\0']) || p.contains(':') => return None,
            p => rel.push(p),
        }
    }
    Some(rel)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ics" => "text/calendar; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_path_stays_inside_the_site() {
        assert_eq!(site_path("/"), Some(PathBuf::new()));
        assert_eq!(
            site_path("/releases/1.14%20x.html"),
            Some(PathBuf::from("releases/1.14 x.html"))
        );
        assert_eq!(site_path("/./a//b"), Some(PathBuf::from("a/b")));
        for bad in [
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2f..%2fx",
            "/a\\b",
            "/%00",
            "/C:/x",
            "/%zz",
            "/%ff",
            "x",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_page_says_the_last_build_failed() {
        let page = b"<html><head></head><body class=\"x\"><p>old</p></body></html>".to_vec();
        assert_eq!(
            String::from_utf8(with_banner(page, "1.14.yaml:4:11: error: <bad>")).unwrap(),
            "<html><head></head><body class=\"x\">\n<div style=\"position:relative;z-index:1000;background:#fdd;color:#000;border-bottom:2px solid #c00;padding:0.5em 1em\"><strong>herald serve: the last build failed; this page is from the build before.</strong><pre style=\"white-space:pre-wrap\">1.14.yaml:4:11: error: &lt;bad&gt;</pre></div>\n<p>old</p></body></html>"
        );
        assert_eq!(with_banner(b"no body".to_vec(), "e"), b"no body");
        assert_eq!(with_banner(vec![0xff, b'<'], "e"), [0xff, b'<']);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("a/cal.ICS")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
