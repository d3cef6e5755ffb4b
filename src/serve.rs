//! A small static file server for previewing a build: bound to loopback only, serving nothing
//! outside the output folder. All its state is in one value; it never prints.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A preview server for one output folder.
pub struct Server {
    listener: TcpListener,
    root: Arc<PathBuf>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (port 0 picks a free one) to serve `root`.
    pub fn bind(root: &Path, port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let root = Arc::new(root.canonicalize()?);
        Ok(Server { listener, root })
    }

    /// The port actually bound.
    pub fn port(&self) -> io::Result<u16> {
        Ok(self.listener.local_addr()?.port())
    }

    /// Serves requests until the process ends, one thread per connection.
    pub fn run(self) -> io::Result<()> {
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            let root = Arc::clone(&self.root);
            std::thread::spawn(move || {
                let _ = handle(stream, &root);
            });
        }
        Ok(())
    }
}

fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain headers; the server needs none of them.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"method not allowed",
            head_only,
        );
    }
    match resolve_request(root, target) {
        Resolved::File(path) => {
            let body = std::fs::read(&path)?;
            respond(&mut stream, "200 OK", content_type(&path), &body, head_only)
        }
        Resolved::Redirect(location) => {
            let header = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(header.as_bytes())
        }
        Resolved::NotFound => {
            let body =
                std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"404 Not Found".to_vec());
            respond(
                &mut stream,
                "404 Not Found",
                "text/html; charset=utf-8",
                &body,
                head_only,
            )
        }
    }
}

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a request target to a file under `root` (canonical), refusing anything outside it.
pub fn resolve_request(root: &Path, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(path) else {
        return Resolved::NotFound;
    };
    if decoded
        .split('/')
        .any(|seg| seg == ".." || seg.contains('\\'))
        || decoded.contains('\0')
    {
        return Resolved::NotFound;
    }
    let candidate = root.join(decoded.trim_start_matches('/'));
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    // Symlinks inside the output could point anywhere; only serve what really lies inside.
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    Resolved::File(real)
}

fn percent_decode(s: &str) -> Option<String> {
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
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_leaves_the_root() {
        let tmp = std::env::temp_dir().join(format!("xiezuo-serve-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("public/a")).unwrap();
        std::fs::write(tmp.join("secret.txt"), "x").unwrap();
        std::fs::write(tmp.join("public/a/index.html"), "a").unwrap();
        let root = tmp.join("public").canonicalize().unwrap();
        assert_eq!(resolve_request(&root, "/../secret.txt"), Resolved::NotFound);
        assert_eq!(
            resolve_request(&root, "/%2e%2e/secret.txt"),
            Resolved::NotFound
        );
        assert_eq!(
            resolve_request(&root, "/a"),
            Resolved::Redirect("/a/".into())
        );
        assert_eq!(
            resolve_request(&root, "/a/"),
            Resolved::File(root.join("a/index.html"))
        );
        assert_eq!(resolve_request(&root, "/nope/"), Resolved::NotFound);
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
