//! `xiezuo serve`: the author's edit–preview loop. It builds the site into a folder of the build
//! cache (never `public/`, which is what gets uploaded), serves it on loopback, watches the
//! sources, rebuilds after each change through the same incremental build as `xiezuo build`,
//! and tells every open page to reload, or, when a rebuild fails, to show its problems over
//! the last good page, which is what keeps being served.
//!
//! All of a session's state lives in [`run`]'s stack and the values it hands its two threads:
//! this one watches and builds, the server's answers requests (see `http`). They share one
//! value, the latest build state, through a watch channel. Nothing here prints: what happens is
//! reported to the caller as [`ServeEvent`]s. The HTTP server is known to this module only.

mod http;
mod request_path;
mod watch;

use std::fs::{self, File};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::problem::Lang;
use crate::resolve::{LoadOptions, SitePaths};
use crate::site_build::{
    BuildError, BuildReport, Preview, Warm, build_site_reusing, preview_body_edits, previews_folder,
};
pub use watch::WatchError;
use watch::{Debounce, SourceWatcher};

/// What the author asked `serve` for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The folder holding `content/` (or `site.yaml`).
    pub site_dir: PathBuf,
    /// The address to listen on: loopback unless the author says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
}

/// What a session reports as it goes, for the caller to show.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// A build succeeded (the first one, or a rebuild after a change).
    Built(&'a BuildReport),
    /// Edited pages were shown at once, before the rebuild that follows.
    Previewed(&'a Preview),
    /// A build failed; the last good site is still served, with these problems over it.
    Failed(&'a BuildError),
    /// The first build is over and the preview is at `url`, built into `output`.
    Ready { url: &'a str, output: &'a Path },
}

/// Why a session could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "无法在 {addr} 上启动预览：端口已被占用。请用 --port 换一个端口，或用 --port 0 自动选择空闲端口 / cannot listen on {addr}: the port is in use; choose another with --port, or --port 0 for any free port"
    )]
    PortInUse { addr: SocketAddr },
    #[error("无法在 {addr} 上启动预览 / cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error(
        "{0} 中的预览文件夹都在被其他 xiezuo serve 使用；请先结束其中一个 / every preview folder in {0} is in use by another xiezuo serve: stop one of them first"
    )]
    AllPreviewsBusy(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("无法监视网站文件的变化 / cannot watch the site's files: {0}")]
    Watch(#[from] WatchError),
    #[error(
        "找不到网站文件夹 {0}：请指定包含 content/ 的文件夹，或先用 xiezuo init 创建网站 / no site folder {0}: name the folder holding content/, or create a site with xiezuo init"
    )]
    NoSite(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ServeError + '_ {
    move |source| ServeError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// How many sessions can preview one site at once, each in its own folder.
const PREVIEW_SLOTS: usize = 8;

/// The latest build state, as open pages receive it.
#[derive(Clone, Debug)]
pub(crate) struct LiveState {
    /// Counts the builds that changed the site.
    pub generation: u64,
    /// The state as the reload script reads it: `{"generation": N, "overlay": null | {...},
    /// "changes": [[N, ["/cases/a/", …] | null], …]}`. A page showing an older generation
    /// reloads if a later one changed it (or changed what every page uses: `null`), or if the
    /// changes since its own are no longer all listed.
    pub json: Arc<str>,
}

/// How many generations' changes open pages are told about.
const CHANGES_KEPT: usize = 16;
/// A change of more pages than this is told as a change of every page.
const PAGES_LISTED: usize = 200;

/// The pages each recent generation changed, oldest first.
type ChangeLog = std::collections::VecDeque<(u64, Option<Vec<String>>)>;

impl LiveState {
    fn new(generation: u64, overlay: Option<Overlay>, changes: &ChangeLog) -> LiveState {
        #[derive(Serialize)]
        struct Wire<'a> {
            generation: u64,
            overlay: Option<Overlay>,
            changes: &'a ChangeLog,
        }
        let json = serde_json::to_string(&Wire {
            generation,
            overlay,
            changes,
        })
        .unwrap_or_else(|_| {
            format!("{{\"generation\":{generation},\"overlay\":null,\"changes\":[]}}")
        });
        LiveState {
            generation,
            json: json.into(),
        }
    }
}

/// The pages that written or removed outputs (`cases/a/index.html`) change, as URL paths
/// (`/cases/a/`); None when that may be every page: a style sheet, a script, a photo. Feeds,
/// open data and the search index are no page's content.
fn changed_pages(outputs: &[String]) -> Option<Vec<String>> {
    let mut pages = Vec::new();
    for path in outputs {
        // The preview is always built for the root of its address (`base_url` is the server's).
        if let Some(page) = crate::routes::page_of_output(path) {
            pages.push(format!("/{page}"));
        } else if !(path.starts_with(crate::routes::SEARCH_DIR)
            || [".xml", ".json", ".csv", ".txt"]
                .iter()
                .any(|ext| path.ends_with(ext)))
        {
            return None;
        }
    }
    (pages.len() <= PAGES_LISTED).then_some(pages)
}

/// The problems of a failed build as the overlay shows them. Plain text only: the reload
/// script sets every string as text, never as markup.
#[derive(Debug, Serialize, PartialEq)]
struct Overlay {
    title: String,
    note: String,
    items: Vec<OverlayItem>,
    /// "… and N more", when the list is cut.
    more: Option<String>,
    close: String,
}

#[derive(Debug, Serialize, PartialEq)]
struct OverlayItem {
    label: String,
    text: String,
}

/// The most problems the overlay lists: the terminal has them all.
const OVERLAY_ITEMS: usize = 50;

impl Overlay {
    fn of(error: &BuildError, lang: Lang) -> Overlay {
        let zh = lang == Lang::Zh;
        let label = |severity: Severity| {
            match (severity, zh) {
                (Severity::Error, true) => "错误",
                (Severity::Warning, true) => "警告",
                (Severity::Error, false) => "Error",
                (Severity::Warning, false) => "Warning",
            }
            .to_owned()
        };
        let mut items: Vec<OverlayItem> = match error {
            BuildError::Content(diagnostics) => diagnostics
                .iter()
                .map(|d| OverlayItem {
                    label: label(d.severity),
                    text: d.to_string(),
                })
                .collect(),
            other => vec![OverlayItem {
                label: label(Severity::Error),
                text: other.to_string(),
            }],
        };
        let total = items.len();
        items.truncate(OVERLAY_ITEMS);
        let hidden = total - items.len();
        let more = (hidden > 0).then(|| {
            if zh {
                format!("……另有 {hidden} 条，见运行 xiezuo serve 的终端。")
            } else {
                format!("… and {hidden} more in the terminal running xiezuo serve.")
            }
        });
        let [title, note, close] = if zh {
            [
                "构建失败",
                "页面仍是上一次成功构建的内容。改正下列问题并保存，页面会自动更新。",
                "暂时隐藏",
            ]
        } else {
            [
                "The build failed",
                "This page is the last good build. Fix the problems below and save: the page updates by itself.",
                "Hide for now",
            ]
        };
        Overlay {
            title: title.to_owned(),
            note: note.to_owned(),
            items,
            more,
            close: close.to_owned(),
        }
    }
}

/// The site's address for a listener at `addr`: what is printed and what links are built on.
fn site_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        // Listening everywhere: this machine is reachable at loopback for sure.
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_owned(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}/", addr.port())
}

/// A preview folder no other session uses, with the lock that keeps it ours while we live (the
/// operating system drops the lock with the process, so a killed session leaves none behind).
fn claim_preview_folder(paths: &SitePaths) -> Result<(PathBuf, File), ServeError> {
    let previews = previews_folder(paths);
    fs::create_dir_all(&previews).map_err(io_error(&previews))?;
    for n in 1..=PREVIEW_SLOTS {
        let lock_path = previews.join(format!("{n}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => return Ok((previews.join(n.to_string()), lock)),
            Err(fs::TryLockError::WouldBlock) => continue,
            Err(fs::TryLockError::Error(e)) => return Err(io_error(&lock_path)(e)),
        }
    }
    Err(ServeError::AllPreviewsBusy(previews.display().to_string()))
}

/// Runs a preview session: the first build, then the server and a rebuild after every change,
/// until the process ends. Returns only if the session cannot start or the watcher stops.
pub fn run(
    options: &ServeOptions,
    report: &mut dyn FnMut(ServeEvent<'_>),
) -> Result<(), ServeError> {
    // Checked first: the preview folder would otherwise be created under a mistyped path.
    if !options.site_dir.is_dir() {
        return Err(ServeError::NoSite(options.site_dir.display().to_string()));
    }
    let paths = SitePaths::locate(&options.site_dir);
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(wanted).map_err(|source| match source.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse { addr: wanted },
        _ => ServeError::Bind {
            addr: wanted,
            source,
        },
    })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: wanted,
        source,
    })?;
    let url = site_url(addr);
    let (output, _lock) = claim_preview_folder(&paths)?;
    fs::create_dir_all(&output).map_err(io_error(&output))?;
    // Shown to the author and used by the server alike: the same folder, whatever `site_dir` was.
    let output = output.canonicalize().map_err(io_error(&output))?;

    let (live, pages) = tokio::sync::watch::channel(LiveState::new(0, None, &ChangeLog::new()));
    let server = http::Server::new(
        listener,
        http::Shared {
            root: output.clone(),
            authority: http::Authority::of(addr),
            live: pages,
            reload: true,
        },
    )
    .map_err(io_error(&output))?;
    std::thread::Builder::new()
        .name("xiezuo-serve".into())
        .spawn(move || server.run())
        .map_err(io_error(&output))?;

    // Watching starts before the first build, so that nothing saved during it goes unseen.
    let mut watcher = SourceWatcher::start(&paths, Debounce::DEFAULT)?;
    let mut session = Session {
        load: LoadOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
        },
        output,
        warm: Warm::new(),
        generation: 0,
        changes: ChangeLog::new(),
        lang: Lang::default(),
        live,
    };
    session.build(&options.site_dir, report);
    report(ServeEvent::Ready {
        url: &url,
        output: &session.output,
    });
    loop {
        if let Some(changed) = watcher.wait_for_change()? {
            session.preview(&options.site_dir, &changed, report);
        }
        session.build(&options.site_dir, report);
        watcher.built();
    }
}

/// A server for one built folder as it is: no build, no watching, no reload script. For looking
/// at a build made elsewhere, such as one under a sub-path (the browser tests do), with the
/// same safety rules as the preview.
pub struct Server {
    inner: http::Server,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free one) to serve `root`.
    pub fn bind(root: &Path, port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        // No build will ever come: the sender goes at once, the last state stays readable.
        let (_, live) = tokio::sync::watch::channel(LiveState::new(0, None, &ChangeLog::new()));
        let inner = http::Server::new(
            listener,
            http::Shared {
                root: root.canonicalize()?,
                authority: http::Authority::of(addr),
                live,
                reload: false,
            },
        )?;
        Ok(Server { inner })
    }

    /// The port actually bound.
    pub fn port(&self) -> io::Result<u16> {
        Ok(self.inner.local_addr()?.port())
    }

    /// Serves until the process ends.
    pub fn run(self) -> io::Result<()> {
        self.inner.run()
    }
}

/// What one build hands the next.
struct Session {
    load: LoadOptions,
    output: PathBuf,
    warm: Warm,
    generation: u64,
    changes: ChangeLog,
    /// The site's language as of the last good build, for the overlay's own words.
    lang: Lang,
    live: tokio::sync::watch::Sender<LiveState>,
}

impl Session {
    /// Shows edits that changed only a page's body at once (the build that follows brings the
    /// rest of the site up to date, and finds these pages already written).
    fn preview(
        &mut self,
        site_dir: &Path,
        changed: &[PathBuf],
        report: &mut dyn FnMut(ServeEvent<'_>),
    ) {
        let Some(preview) = preview_body_edits(site_dir, &mut self.warm, changed) else {
            return;
        };
        if !preview.written.is_empty() {
            self.advance(changed_pages(&preview.written));
            self.live
                .send_replace(LiveState::new(self.generation, None, &self.changes));
        }
        report(ServeEvent::Previewed(&preview));
    }

    fn build(&mut self, site_dir: &Path, report: &mut dyn FnMut(ServeEvent<'_>)) {
        match build_site_reusing(site_dir, Some(&self.output), &self.load, &mut self.warm) {
            Ok(built) => {
                // A build that wrote nothing (a save without a change, a fix that restores
                // the last good text) clears the overlay without reloading anyone.
                if self.generation == 0 {
                    self.advance(None);
                } else if built.written.written + built.written.removed > 0 {
                    self.advance(changed_pages(&built.written.changed));
                }
                self.lang = built.lang;
                self.live
                    .send_replace(LiveState::new(self.generation, None, &self.changes));
                report(ServeEvent::Built(&built));
            }
            Err(error) => {
                let overlay = Overlay::of(&error, self.lang);
                self.live.send_replace(LiveState::new(
                    self.generation,
                    Some(overlay),
                    &self.changes,
                ));
                report(ServeEvent::Failed(&error));
            }
        }
    }

    /// A new generation that changed `pages` (None: any page).
    fn advance(&mut self, pages: Option<Vec<String>>) {
        self.generation += 1;
        self.changes.push_back((self.generation, pages));
        if self.changes.len() > CHANGES_KEPT {
            self.changes.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn pages_are_named_by_their_urls_and_assets_change_every_page() {
        let outputs = |paths: &[&str]| paths.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            changed_pages(&outputs(&[
                "cases/a/index.html",
                "index.html",
                "404.html",
                "docs/foo-index.html",
                "search/t/12.json",
                "feed.xml",
                "stats/workshops.csv",
            ])),
            Some(outputs(&[
                "/cases/a/",
                "/",
                "/404.html",
                "/docs/foo-index.html"
            ]))
        );
        assert_eq!(
            changed_pages(&outputs(&["cases/a/index.html", "style.css"])),
            None
        );
        assert_eq!(changed_pages(&outputs(&["cases/a/p-480w.jpg"])), None);
        let many: Vec<String> = (0..=PAGES_LISTED)
            .map(|i| format!("cases/{i}/index.html"))
            .collect();
        assert_eq!(changed_pages(&many), None);
    }

    #[test]
    fn urls_name_the_real_address_and_port() {
        assert_eq!(
            site_url("127.0.0.1:4321".parse().unwrap()),
            "http://127.0.0.1:4321/"
        );
        assert_eq!(site_url("[::1]:80".parse().unwrap()), "http://[::1]:80/");
        assert_eq!(
            site_url("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            site_url("192.168.1.5:1111".parse().unwrap()),
            "http://192.168.1.5:1111/"
        );
    }

    #[test]
    fn the_overlay_lists_problems_as_text_and_cuts_long_lists() {
        let diagnostic = Diagnostic {
            path: "content/cases/a.md".into(),
            line: Some(4),
            column: None,
            field: Some("province".into()),
            code: "unknown-province".into(),
            message: "未知省份“<script>alert(1)</script>”".into(),
            hint: None,
            severity: Severity::Error,
        };
        let error = BuildError::Content(vec![diagnostic; 60]);
        let overlay = Overlay::of(&error, Lang::Zh);
        assert_eq!(overlay.items.len(), OVERLAY_ITEMS);
        assert_eq!(
            overlay.items[0],
            OverlayItem {
                label: "错误".into(),
                text: "content/cases/a.md:4: province: 未知省份“<script>alert(1)</script>”".into()
            }
        );
        assert_eq!(
            overlay.more.as_deref(),
            Some("……另有 10 条，见运行 xiezuo serve 的终端。")
        );
        let state = LiveState::new(3, Some(overlay), &ChangeLog::new());
        assert!(
            state
                .json
                .starts_with("{\"generation\":3,\"overlay\":{\"title\":\"构建失败\"")
        );
        assert!(!state.json.contains('\n'), "one line of server-sent data");
    }
}
