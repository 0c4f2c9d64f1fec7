//! `herald serve`: the site on localhost, built again on the request after a plan changed;
//! nothing outside OUT/site is served; a port in use is a clear error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::harness::{copy_dir, edit, example, herald, read};

/// Long enough for a debug build of the example on a busy machine; a hang fails, not waits.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The running server, killed when the test ends, however it ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `herald serve releases --out out --port 0` in `dir` (its stderr into
/// `dir/stderr.txt`) and reads the port from the line it prints.
fn serve(dir: &Path) -> (Server, String) {
    let stderr = std::fs::File::create(dir.join("stderr.txt")).unwrap();
    let child = herald()
        .args([
            "serve",
            "releases",
            "--out",
            "out",
            "--port",
            "0",
            "--today",
            "2026-11-26",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("herald runs");
    let mut server = Server { child, port: 0 };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(TIMEOUT)
        .expect("serve prints where it serves");
    let second = rx.recv_timeout(TIMEOUT).expect("serve says how to stop");
    let port = first
        .strip_prefix("serving out/site on http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("first line: {first}"));
    server.port = port.parse().unwrap();
    let printed = format!("serving out/site on http://127.0.0.1:PORT/\n{second}\n");
    (server, printed)
}

/// A raw GET (no client cleans the path up): the status line and the body.
fn get(port: u16, path: &str) -> (String, String) {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("connects");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("a response");
    let (head, body) = response.split_once("\r\n\r\n").expect("head and body");
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn serves_the_site_and_shows_a_changed_plan_on_the_next_request() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), &tmp.path().join("releases"));
    let (server, printed) = serve(tmp.path());
    assert_eq!(
        printed,
        "serving out/site on http://127.0.0.1:PORT/\n\
         built again on the next request when a plan, a template, book.toml or the theme changes; press Ctrl-C to stop\n"
    );

    let (status, body) = get(server.port, "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        body.contains("<title>Overview - Releases</title>"),
        "{body}"
    );
    assert!(
        body.contains(r#"<a href="releases/1.14.0/magicbox.html">1.14.0 Ulm</a>"#),
        "{body}"
    );
    let (status, body) = get(server.port, "/releases/1.14.0/magicbox.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Release 1.14.0 “Ulm”"), "{body}");

    // A folder without its slash is sent to it, so the page's relative links work.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port));
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "HEAD /releases HTTP/1.1\r\n\r\n").unwrap();
    let mut head = String::new();
    stream.read_to_string(&mut head).unwrap();
    assert_eq!(
        head,
        "HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 0\r\nLocation: /releases/\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    );

    edit(
        &tmp.path().join("releases/1.14.yaml"),
        "codename: Ulm",
        "codename: Zeppelin",
    );
    let (status, body) = get(server.port, "/releases/1.14.0/magicbox.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Release 1.14.0 “Zeppelin”"), "{body}");
    assert!(!body.contains("Ulm"), "{body}");
    let (_, body) = get(server.port, "/");
    assert!(
        body.contains(r#"<a href="releases/1.14.0/magicbox.html">1.14.0 Zeppelin</a>"#),
        "{body}"
    );

    // Nothing outside OUT/site, however the path is spelled.
    for path in ["/../Cargo.toml", "/%2e%2e/releases/1.14.yaml", "/a/../../x"] {
        let (status, body) = get(server.port, path);
        assert_eq!(status, "HTTP/1.1 400 Bad Request", "{path}");
        assert!(body.contains("is not a path inside the site."), "{body}");
    }
    let (status, _) = get(server.port, "/no-such-page.html");
    assert_eq!(status, "HTTP/1.1 404 Not Found");

    // Plans with errors: printed, and the last site that built stays served.
    edit(
        &tmp.path().join("releases/1.14.yaml"),
        "codename: Zeppelin",
        "codename: [Zeppelin",
    );
    let (status, body) = get(server.port, "/releases/1.14.0/magicbox.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Release 1.14.0 “Zeppelin”"), "{body}");
    assert!(
        body.contains("<strong>herald serve: the last build failed; this page is from the build before.</strong>"),
        "{body}"
    );
    assert!(
        body.contains("releases/1.14.yaml:5:9: error: invalid YAML: "),
        "{body}"
    );
    let (status, body) = get(server.port, "/no-such-page.html");
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(body.contains("The last build failed:"), "{body}");
    assert!(
        body.contains("the site still shows the last build that worked"),
        "{body}"
    );

    // Fixed again: the banner goes, and the console says so.
    edit(
        &tmp.path().join("releases/1.14.yaml"),
        "codename: [Zeppelin",
        "codename: Zeppelin",
    );
    let (status, body) = get(server.port, "/releases/1.14.0/magicbox.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Release 1.14.0 “Zeppelin”"), "{body}");
    assert!(!body.contains("the last build failed"), "{body}");
    drop(server);
    let stderr = read(tmp.path().join("stderr.txt"));
    assert!(
        stderr.contains(
            "herald: the plans have errors; the site still shows the last build that worked\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("the site still shows the last build that worked")
            .count(),
        1,
        "the error is printed once: {stderr}"
    );
    assert!(
        stderr.ends_with("herald: the plans build again; serving the new site\n"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = herald()
        .args(["serve", "releases", "--port", &port])
        .current_dir(example().parent().unwrap())
        .output()
        .expect("herald runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!("herald: cannot serve on 127.0.0.1:{port}: ")),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("; is another server running there? Stop it or choose another --port\n"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}
