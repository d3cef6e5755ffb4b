//! The preview's HTTP side: axum on a tokio runtime of its own thread, serving the preview
//! folder, the reload script and the stream of build states that open pages listen to.
//!
//! It answers only requests addressed to itself (the Host, and an absolute request target,
//! must name the bound address, `localhost`, or with `--bind 0.0.0.0` some IP address: a DNS
//! name pointed at this machine by someone else's site, DNS rebinding, is refused), and the
//! build-state stream only to pages of the same origin. A request's head is limited in size
//! and time at the HTTP layer (hyper), and a response in time (tower-http), so a slow or huge
//! request cannot hold the server. The HTML it serves gets the reload script on the way out;
//! the files on disk stay as the build wrote them.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;
use tower_http::timeout::{ResponseBodyDeadlineLayer, TimeoutLayer};

use super::LiveState;
use super::request_path::{self, Target};

/// Where the reload script and the build-state stream are served. Slugs cannot contain `_`,
/// so no page of the site can sit here.
pub(super) const RELOAD_SCRIPT: &str = "/__xiezuo/reload.js";
const EVENTS: &str = "/__xiezuo/events";

/// The most bytes of a request's head (request line and headers): real browsers send 1–3 KB.
pub(super) const HEAD_BYTES: usize = 16 * 1024;
/// The most header lines of a request.
const HEAD_LINES: usize = 64;
/// How long a client may take to send a request's head.
pub(super) const HEAD_TIME: Duration = Duration::from_secs(5);
/// How long the server may take to answer (reading a file, never more than a moment).
const ANSWER_TIME: Duration = Duration::from_secs(10);
/// How long sending one response may take in all (a large attachment to a slow reader).
const SEND_TIME: Duration = Duration::from_secs(60);
/// Connections served at once; more wait in the listen queue.
const CONNECTIONS: usize = 256;

/// Which `host[:port]` a request may name.
#[derive(Clone, Copy, Debug)]
pub(super) struct Authority {
    bound: IpAddr,
    port: u16,
}

impl Authority {
    pub fn of(addr: SocketAddr) -> Authority {
        Authority {
            bound: addr.ip(),
            port: addr.port(),
        }
    }

    /// Whether a Host header (or the authority of a request target) names this server.
    pub fn allows(&self, authority: &str) -> bool {
        let (host, port) = match authority.rsplit_once(':') {
            // An IPv6 address without a port has colons too, but then it ends in `]`.
            Some((host, port)) if !port.ends_with(']') => (host, Some(port)),
            _ => (authority, None),
        };
        let port_ok = match port {
            Some(p) => p.parse::<u16>() == Ok(self.port) && !p.starts_with('+'),
            None => self.port == 80,
        };
        if !port_ok {
            return false;
        }
        if host.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().map(IpAddr::V6),
            None => host.parse::<std::net::Ipv4Addr>().map(IpAddr::V4),
        };
        // A name is what DNS rebinding needs; an address literal cannot be rebound.
        ip.is_ok_and(|ip| {
            ip == self.bound
                || (self.bound.is_unspecified() && ip.is_ipv4() == self.bound.is_ipv4())
                || (self.bound.is_unspecified() && self.bound.is_ipv6())
        })
    }

    /// Whether a request comes from a page of this server (for the build-state stream).
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        let fetch_site_ok = headers
            .get("sec-fetch-site")
            .is_none_or(|v| v == "same-origin" || v == "none");
        let origin_ok = headers.get(header::ORIGIN).is_none_or(|origin| {
            origin
                .to_str()
                .ok()
                .and_then(|o| o.strip_prefix("http://"))
                .is_some_and(|a| self.allows(a))
        });
        fetch_site_ok && origin_ok
    }
}

/// What every request handler shares.
pub(super) struct Shared {
    /// The preview folder, canonical.
    pub root: PathBuf,
    pub authority: Authority,
    pub live: watch::Receiver<LiveState>,
    /// False for a plain folder server: no reload script, no build states.
    pub reload: bool,
}

/// The server, ready to run on its own thread.
pub(super) struct Server {
    runtime: tokio::runtime::Runtime,
    listener: std::net::TcpListener,
    app: Router,
}

impl Server {
    pub fn new(listener: std::net::TcpListener, shared: Shared) -> std::io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        listener.set_nonblocking(true)?;
        Ok(Server {
            runtime,
            listener,
            app: router(Arc::new(shared)),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends.
    pub fn run(self) -> std::io::Result<()> {
        let Server {
            runtime,
            listener,
            app,
        } = self;
        runtime.block_on(accept(listener, app))
    }
}

async fn accept(listener: std::net::TcpListener, app: Router) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let slots = Arc::new(Semaphore::new(CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait for connections to end.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIME)
                .max_header_size(HEAD_BYTES)
                .max_headers(HEAD_LINES)
                .max_buf_size(HEAD_BYTES.max(8192));
            // A connection that breaks off is the client's business.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let files = Router::new()
        .route(RELOAD_SCRIPT, get(reload_script))
        .fallback(page)
        .layer(ResponseBodyDeadlineLayer::new(SEND_TIME))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            ANSWER_TIME,
        ));
    Router::new()
        .route(EVENTS, get(events))
        .merge(files)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Refuses requests not addressed to this server.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host_ok = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().is_ok_and(|h| shared.authority.allows(h)),
        _ => false,
    };
    let target_ok = request
        .uri()
        .authority()
        .is_none_or(|a| shared.authority.allows(a.as_str()));
    if host_ok && target_ok {
        next.run(request).await
    } else {
        plain(
            StatusCode::FORBIDDEN,
            "拒绝访问：请求的主机名不是这台预览服务器。请用 xiezuo serve 显示的地址访问。\n\
             Refused: the request names another host than this preview server. Use the address xiezuo serve printed.\n",
        )
    }
}

async fn reload_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        include_str!("reload.js"),
    )
        .into_response()
}

/// The build states, as server-sent events: the current one at once, then each new one.
async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !shared.reload {
        return not_found(&shared.root, None).await;
    }
    if !shared.authority.same_origin(&headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "拒绝访问：只有本预览网站的页面可以接收更新通知。\nRefused: only pages of this preview receive its updates.\n",
        );
    }
    let states = WatchStream::new(shared.live.clone()).map(|state| {
        Ok::<_, Infallible>(Event::default().event("state").data(state.json.as_ref()))
    });
    let mut response = Sse::new(states)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file of the preview, or its 404 page.
async fn page(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "只支持 GET 和 HEAD / only GET and HEAD\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let root = shared.root.clone();
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    let target =
        tokio::task::spawn_blocking(move || request_path::resolve(&root, &path, query.as_deref()))
            .await
            .unwrap_or(Target::NotFound);
    let generation = shared.reload.then(|| shared.live.borrow().generation);
    match target {
        Target::File(file) => match tokio::fs::read(&file).await {
            Ok(bytes) => file_response(StatusCode::OK, &file, bytes, generation),
            Err(_) => not_found(&shared.root, generation).await,
        },
        Target::Redirect(location) => match HeaderValue::from_str(&location) {
            Ok(location) => {
                let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
                let headers = response.headers_mut();
                headers.insert(header::LOCATION, location);
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                response
            }
            Err(_) => not_found(&shared.root, generation).await,
        },
        Target::NotFound => not_found(&shared.root, generation).await,
    }
}

/// The site's own 404 page, or a plain one while the site has none (before a first good build).
async fn not_found(root: &Path, generation: Option<u64>) -> Response {
    let page = root.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => file_response(StatusCode::NOT_FOUND, &page, bytes, generation),
        Err(_) => file_response(
            StatusCode::NOT_FOUND,
            &page,
            b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>404</title></head>\
              <body><h1>\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8 / Not found</h1></body></html>\n"
                .to_vec(),
            generation,
        ),
    }
}

fn file_response(
    status: StatusCode,
    file: &Path,
    bytes: Vec<u8>,
    generation: Option<u64>,
) -> Response {
    let kind = content_type(file);
    let (body, cache) = match generation {
        Some(generation) if kind.starts_with("text/html") => {
            (with_reload_script(bytes, generation), "no-store")
        }
        _ => (bytes, "no-cache"),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The page with the reload script before its last `</body>` (or at its end), telling the
/// script which build it shows.
pub(super) fn with_reload_script(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{RELOAD_SCRIPT}\" data-generation=\"{generation}\" defer></script>\n"
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
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
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_server_is_a_valid_host() {
        let loopback = Authority::of("127.0.0.1:4000".parse().unwrap());
        for ok in ["127.0.0.1:4000", "localhost:4000", "LOCALHOST:4000"] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4000",
            "127.0.0.1",
            "127.0.0.1:4001",
            "127.0.0.1:+4000",
            "127.0.0.1.nip.io:4000",
            "localhost.:4000",
            "192.168.1.5:4000",
            "[::1]:4000",
            "",
            ":4000",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let v6 = Authority::of("[::1]:80".parse().unwrap());
        assert!(v6.allows("[::1]") && v6.allows("[::1]:80") && v6.allows("localhost"));
        assert!(!v6.allows("127.0.0.1:80"));
        let lan = Authority::of("0.0.0.0:4000".parse().unwrap());
        assert!(lan.allows("192.168.1.5:4000") && lan.allows("127.0.0.1:4000"));
        assert!(!lan.allows("printer.local:4000") && !lan.allows("[::1]:4000"));
    }

    #[test]
    fn the_build_state_stream_is_for_same_origin_pages_only() {
        let a = Authority::of("127.0.0.1:4000".parse().unwrap());
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(a.same_origin(&headers(&[])));
        assert!(a.same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(a.same_origin(&headers(&[("origin", "http://localhost:4000")])));
        assert!(!a.same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!a.same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!a.same_origin(&headers(&[("origin", "http://evil.example")])));
        assert!(!a.same_origin(&headers(&[("origin", "null")])));
        assert!(!a.same_origin(&headers(&[("origin", "https://127.0.0.1:4000")])));
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let page = b"<html><body><p>`</body>` in code</p>\n</BODY></html>".to_vec();
        let out = String::from_utf8(with_reload_script(page, 7)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>`</body>` in code</p>\n<script src=\"/__xiezuo/reload.js\" data-generation=\"7\" defer></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(with_reload_script(b"<p>x".to_vec(), 1)).unwrap();
        assert!(bare.starts_with("<p>x<script "));
    }
}
