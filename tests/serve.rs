//! `xiezuo serve` as an author and an attacker meet it: the real binary on an ephemeral loopback
//! port, driven over raw TCP (so that request targets reach it exactly as written, `..` and
//! all), with a server-sent-events client standing in for an open page, and headless Chromium
//! for the reload script itself.
#![allow(clippy::unwrap_used)]
// The burst test reports its counts (cargo test --nocapture shows them).
#![allow(clippy::print_stdout)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use support::{TestSite, all_files, case};

/// How long a rebuild may take to reach a client on a loaded test machine (debug build).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `xiezuo serve`, stopped when dropped.
struct Serving {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    /// The preview folder it builds into.
    output: PathBuf,
    lines: mpsc::Receiver<String>,
}

impl Serving {
    fn start(site: &TestSite, extra: &[&str]) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(&site.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut serving = Serving {
            child,
            addr: String::new(),
            output: PathBuf::new(),
            lines,
        };
        let mut seen = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        while serving.addr.is_empty() {
            let line = serving
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve did not start: {seen:#?}"));
            if let Some(rest) = line.strip_prefix("预览构建在 ") {
                serving.output = PathBuf::from(rest.split('（').next().unwrap());
            }
            if let Some(url) = line
                .strip_prefix("预览地址 / serving at ")
                .and_then(|rest| rest.split_whitespace().next())
            {
                serving.addr = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .into();
            }
            seen.push(line);
        }
        serving
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn get(&self, target: &str) -> Reply {
        request(
            &self.addr,
            &format!(
                "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            ),
        )
    }

    fn events(&self) -> Events {
        Events::connect(&self.addr, "")
    }

    /// Everything it printed so far.
    fn printed(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// What it prints up to and including the first line starting with `prefix`.
    fn printed_until(&self, prefix: &str) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("never printed {prefix}: {seen:#?}"));
            let done = line.starts_with(prefix);
            seen.push(line);
            if done {
                return seen;
            }
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response as it came over the wire.
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `raw` as it is and reads the response: as long as its Content-Length says, or until
/// the server closes the connection.
fn request(addr: &str, raw: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let reply = parse_reply(&bytes[..end + 4]);
            let length = reply.header("content-length").and_then(|n| n.parse().ok());
            if length.is_some_and(|n: usize| bytes.len() - end - 4 >= n) {
                return parse_reply(&bytes);
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return parse_reply(&bytes),
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
}

fn parse_reply(bytes: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// An open page's view of the server: the build states it is sent.
struct Events {
    reader: BufReader<TcpStream>,
    partial: Vec<u8>,
    /// Every state received, in order.
    seen: Vec<Value>,
}

impl Events {
    fn connect(addr: &str, extra_headers: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /__xiezuo/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{extra_headers}\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut events = Events {
            reader: BufReader::new(stream),
            partial: Vec::new(),
            seen: Vec::new(),
        };
        let first = events.wait_for(|_| true);
        assert!(first["generation"].as_u64().unwrap() >= 1, "{first}");
        events
    }

    /// The latest state received.
    fn latest(&self) -> &Value {
        self.seen.last().unwrap()
    }

    /// Reads states until one satisfies `want`; panics after [`PATIENCE`].
    fn wait_for(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(state) = self.seen.last().filter(|s| want(s)) {
                return state.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no such state; seen {:#?}",
                self.seen
            );
            match self.reader.read_until(b'\n', &mut self.partial) {
                Ok(0) => panic!("the event stream closed; seen {:#?}", self.seen),
                Ok(_) if self.partial.ends_with(b"\n") => {
                    let line = String::from_utf8(std::mem::take(&mut self.partial)).unwrap();
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        self.seen.push(serde_json::from_str(data).unwrap());
                    }
                }
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Waits for the next build that changed the site, and returns its state.
    fn next_generation(&mut self) -> Value {
        let now = generation(self.latest());
        self.wait_for(|s| generation(s) > now)
    }
}

fn generation(state: &Value) -> u64 {
    state["generation"].as_u64().unwrap()
}

fn write(site: &TestSite, path: &str, text: &str) {
    let p = site.dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn site_with_two_cases() -> TestSite {
    TestSite::new()
        .file(
            "content/cases/a.md",
            &case("甲地经验", "2024-03-01", "tags: [稳岗]\n"),
        )
        .file("content/cases/b.md", &case("乙地经验", "2024-03-02", ""))
}

#[test]
fn an_edit_reloads_open_pages_with_the_new_text() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let before = serving.get("/cases/a/");
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("第二段新写的句子"));

    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "tags: [稳岗]\n") + "\n第二段新写的句子。\n"),
    );
    let state = page.next_generation();
    assert_eq!(state["overlay"], Value::Null);
    let after = serving.get("/cases/a/");
    assert!(after.body.contains("第二段新写的句子"), "{}", after.body);
    // The reload script is added on the way out, tagged with the build the page shows…
    assert!(after.body.contains(&format!(
        "<script src=\"/__xiezuo/reload.js\" data-generation=\"{}\" defer></script>\n</body>",
        generation(&state)
    )));
    // …and never written into the built files.
    let built = std::fs::read_to_string(serving.output.join("cases/a/index.html")).unwrap();
    assert!(built.contains("第二段新写的句子") && !built.contains("__xiezuo"));
    assert!(
        all_files(&serving.output)
            .iter()
            .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains("__xiezuo"))
    );
    let script = serving.get("/__xiezuo/reload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("EventSource"));
    // The terminal says what happened.
    serving.printed_until("已构建：");
}

/// The pages the latest generation of `state` changed (None: every page).
fn changed_pages(state: &Value) -> Option<Vec<String>> {
    let changes = state["changes"].as_array().unwrap();
    let (generation_, pages) = match changes.last().unwrap().as_array().unwrap().as_slice() {
        [g, p] => (g.as_u64().unwrap(), p),
        other => panic!("{other:?}"),
    };
    assert_eq!(generation_, generation(state));
    pages
        .as_array()
        .map(|p| p.iter().map(|u| u.as_str().unwrap().to_owned()).collect())
}

#[test]
fn a_body_edit_is_shown_at_once_and_only_its_page_reloads() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let mut text = case("甲地经验", "2024-03-01", "tags: [稳岗]\n");
    text.push_str("\n正文里新写的句子。\n");
    write(&site, "content/cases/a.md", &text);
    // The first state after the save is the early render of the edited page, alone.
    let state = page.next_generation();
    assert_eq!(changed_pages(&state), Some(vec!["/cases/a/".to_owned()]));
    assert!(serving.get("/cases/a/").body.contains("正文里新写的句子"));
    let printed = serving.printed_until("已构建：");
    assert!(
        printed
            .iter()
            .any(|l| l.starts_with("已显示修改：1 个页面，用时 ")),
        "{printed:#?}"
    );
    // The rebuild after it finds that page written already.
    let built = serving.events().latest().clone();
    if generation(&built) > generation(&state) {
        let pages = changed_pages(&built).unwrap();
        assert!(!pages.contains(&"/cases/a/".to_owned()), "{pages:?}");
    }

    // A new title is more than a body edit: no early render, and the rebuild names the pages it
    // changed, the case's own and every list showing it.
    let mut page = serving.events();
    let retitled = text.replace("title: 甲地经验", "title: 甲地新经验");
    write(&site, "content/cases/a.md", &retitled);
    let state = page.next_generation();
    let printed = serving.printed_until("已构建：");
    assert!(
        printed.iter().all(|l| !l.starts_with("已显示修改")),
        "{printed:#?}"
    );
    let pages = changed_pages(&state).unwrap();
    for url in ["/cases/a/", "/cases/b/", "/cases/", "/"] {
        assert!(pages.contains(&url.to_owned()), "{url} in {pages:?}");
    }
    assert!(serving.get("/cases/").body.contains("甲地新经验"));
}

#[test]
fn cases_can_be_added_renamed_and_deleted() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();

    write(
        &site,
        "content/cases/c.md",
        &case("丙地新案例", "2024-04-01", ""),
    );
    page.next_generation();
    assert_eq!(serving.get("/cases/c/").status, 200);
    assert!(serving.get("/cases/").body.contains("丙地新案例"));

    std::fs::rename(
        site.dir.join("content/cases/c.md"),
        site.dir.join("content/cases/d.md"),
    )
    .unwrap();
    page.next_generation();
    assert_eq!(serving.get("/cases/c/").status, 404);
    let renamed = serving.get("/cases/d/");
    assert_eq!(renamed.status, 200);
    assert!(renamed.body.contains("丙地新案例"));

    std::fs::remove_file(site.dir.join("content/cases/d.md")).unwrap();
    page.next_generation();
    let gone = serving.get("/cases/d/");
    assert_eq!(gone.status, 404);
    // The site's own 404 page, with the reload script, so it turns into the page once it exists.
    assert!(gone.body.contains("data-generation="), "{}", gone.body);
    assert!(!serving.get("/cases/").body.contains("丙地新案例"));
    assert!(!serving.output.join("cases/d").exists());
}

/// The province value quotes markup that would run if the overlay inserted it as HTML.
const HOSTILE_PROVINCE: &str =
    "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

#[test]
fn a_broken_edit_shows_its_errors_over_the_last_good_site_until_fixed() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let good = generation(page.latest());

    let broken = case("甲地经验", "2024-03-01", "")
        .replace("province: 贵州省", &format!("province: {HOSTILE_PROVINCE}"))
        + "坏掉时写的句子。\n";
    write(&site, "content/cases/a.md", &broken);
    let state = page.wait_for(|s| !s["overlay"].is_null());
    assert_eq!(generation(&state), good, "a failed build reloads no page");
    let overlay = &state["overlay"];
    assert_eq!(overlay["title"], "构建失败");
    assert_eq!(
        overlay["items"],
        serde_json::json!([{
            "label": "错误",
            "text": format!("content/cases/a.md:4: province: 未知省份“{HOSTILE_PROVINCE}” (请写省级行政区名称，如 贵州省、贵州 或 黔)")
        }])
    );
    // The last good site is what is served meanwhile.
    let served = serving.get("/cases/a/");
    assert_eq!(served.status, 200);
    assert!(!served.body.contains("坏掉时写的句子"));
    let printed = serving.printed();
    assert!(
        printed.iter().any(|l| l
            == "构建失败：1 个错误，预览仍是上一次成功构建的网站 / build failed: 1 errors; the preview keeps the last good build"),
        "{printed:#?}"
    );

    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "") + "修好以后的句子。\n"),
    );
    let state = page.wait_for(|s| s["overlay"].is_null());
    assert!(generation(&state) > good);
    assert!(serving.get("/cases/a/").body.contains("修好以后的句子"));
}

#[test]
fn a_fix_that_restores_the_last_good_text_clears_the_overlay_without_a_reload() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let good = generation(page.latest());
    let text = std::fs::read_to_string(site.dir.join("content/cases/b.md")).unwrap();
    write(
        &site,
        "content/cases/b.md",
        &text.replace("date: 2024-03-02", "date: 2024年3月2日"),
    );
    page.wait_for(|s| !s["overlay"].is_null());
    write(&site, "content/cases/b.md", &text);
    let state = page.wait_for(|s| s["overlay"].is_null());
    assert_eq!(generation(&state), good);
}

#[test]
fn a_site_with_site_yaml_in_its_own_folder_is_watched_too() {
    let site = site_with_two_cases();
    // `serve content`: the folder holding site.yaml is the site folder.
    let serving = Serving::start(&site, &["content"]);
    assert!(
        serving.output.starts_with(
            site.dir
                .join("content/.xiezuo-cache")
                .canonicalize()
                .unwrap()
        )
    );
    let mut page = serving.events();
    write(
        &site,
        "content/site.yaml",
        &support::SITE_YAML.replace("测试站", "改过名的测试站"),
    );
    page.next_generation();
    assert!(serving.get("/").body.contains("改过名的测试站"));
    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "") + "平铺布局里的修改。\n"),
    );
    page.next_generation();
    assert!(serving.get("/cases/a/").body.contains("平铺布局里的修改"));
}

#[test]
fn a_theme_folder_made_while_serving_is_watched() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let css = |text: &str| format!("/* {text} */\nbody {{ color: #111; }}\n");
    write(&site, "themes/default/static/style.css", &css("第一版样式"));
    page.next_generation();
    assert!(serving.get("/theme/style.css").body.contains("第一版样式"));
    // Now inside a folder that did not exist when serve started.
    write(&site, "themes/default/static/style.css", &css("第二版样式"));
    page.next_generation();
    assert!(serving.get("/theme/style.css").body.contains("第二版样式"));
}

#[test]
fn serving_never_touches_public() {
    let site = site_with_two_cases().file(
        "content/cases/draft.md",
        &case("草稿案例", "2024-05-01", "draft: true\n"),
    );
    assert_eq!(site.build().code, 0);
    let public = site.dir.join("public");
    let stamps = |dir: &Path| -> Vec<(String, Vec<u8>, SystemTime)> {
        all_files(dir)
            .into_iter()
            .map(|(p, bytes)| {
                let t = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
                (p, bytes, t)
            })
            .collect()
    };
    let before = stamps(&public);

    let serving = Serving::start(&site, &["--drafts"]);
    assert!(
        serving
            .output
            .starts_with(site.dir.join(".xiezuo-cache").canonicalize().unwrap())
            || serving.output.starts_with(site.dir.join(".xiezuo-cache")),
        "{}",
        serving.output.display()
    );
    let mut page = serving.events();
    assert_eq!(serving.get("/cases/draft/").status, 200, "drafts previewed");
    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "") + "预览时的修改。\n"),
    );
    page.next_generation();
    write(
        &site,
        "content/cases/new.md",
        &case("新加的案例", "2024-06-01", ""),
    );
    page.next_generation();
    drop(serving);

    assert!(before == stamps(&public), "public/ changed");
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://www.example.gov.cn/dxbrs/") && !sitemap.contains("127.0.0.1")
    );
    assert!(!public.join("cases/draft").exists());
}

#[test]
fn port_zero_links_and_prints_the_real_port() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let port: u16 = serving.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let url = serving.url();
    assert!(
        serving
            .get("/cases/a/")
            .body
            .contains(&format!("<link rel=\"canonical\" href=\"{url}cases/a/\""))
    );
    assert!(
        serving
            .get("/sitemap.xml")
            .body
            .contains(&format!("<loc>{url}cases/a/</loc>"))
    );
}

#[test]
fn two_sessions_of_one_site_build_into_two_folders() {
    let site = site_with_two_cases();
    let one = Serving::start(&site, &[]);
    let two = Serving::start(&site, &[]);
    assert_ne!(one.output, two.output);
    assert!(one.get("/cases/a/").body.contains(&one.url()));
    assert!(two.get("/cases/a/").body.contains(&two.url()));
}

#[test]
fn traversal_attempts_are_not_found() {
    let site = site_with_two_cases()
        .file("secret.txt", "SECRET-CANARY")
        .file("content/static/files/x.txt", "public file");
    let serving = Serving::start(&site, &[]);
    assert_eq!(serving.get("/files/x.txt").status, 200);
    // The preview folder is .xiezuo-cache/serve/1: the canary is three folders up.
    for target in [
        "/../../../secret.txt",
        "/files/../../../../secret.txt",
        "/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/%2E%2E/secret.txt",
        "/..%2f..%2f..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%252e%252e/%252e%252e/%252e%252e/secret.txt",
        "/..%5c..%5c..%5csecret.txt",
        "/..\\..\\..\\secret.txt",
        "/files\\x.txt",
        &format!("/{}", site.dir.join("secret.txt").display()),
        &format!("//{}", site.dir.join("secret.txt").display()),
        &format!(
            "/%2f{}",
            site.dir
                .join("secret.txt")
                .display()
                .to_string()
                .trim_start_matches('/')
        ),
        "/files/x.txt%00.html",
        "/files/x.txt%00",
        "/.xiezuo-output",
        "/./files/x.txt",
    ] {
        let reply = serving.get(target);
        // hyper itself refuses some targets as malformed (400); nothing is ever served.
        assert!(
            reply.status == 404 || reply.status == 400,
            "{target}: {}",
            reply.head
        );
        assert!(!reply.body.contains("SECRET-CANARY"), "{target}");
    }
}

#[test]
fn foreign_hosts_and_origins_are_refused() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let port = serving.addr.rsplit(':').next().unwrap();
    let with_host = |host: &str| {
        request(
            &serving.addr,
            &format!("GET /cases/a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    assert_eq!(with_host(&format!("localhost:{port}")).status, 200);
    assert_eq!(with_host(&format!("127.0.0.1:{port}")).status, 200);
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "127.0.0.1".to_owned(),
    ] {
        let reply = with_host(&host);
        assert_eq!(reply.status, 403, "{host}");
        assert!(!reply.body.contains("甲地经验"));
    }
    let absolute = request(
        &serving.addr,
        &format!(
            "GET http://evil.example/cases/a/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            serving.addr
        ),
    );
    assert_eq!(absolute.status, 403);
    let no_host = request(&serving.addr, "GET /cases/a/ HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403);

    for header in [
        "Origin: http://evil.example\r\n",
        "Sec-Fetch-Site: cross-site\r\n",
        "Origin: null\r\n",
    ] {
        let reply = request(
            &serving.addr,
            &format!(
                "GET /__xiezuo/events HTTP/1.1\r\nHost: {}\r\n{header}Connection: close\r\n\r\n",
                serving.addr
            ),
        );
        assert_eq!(reply.status, 403, "{header}");
    }
    // A page of the preview itself is welcome.
    Events::connect(
        &serving.addr,
        &format!(
            "Origin: http://{}\r\nSec-Fetch-Site: same-origin\r\n",
            serving.addr
        ),
    );
}

#[test]
fn no_redirect_leaves_the_site() {
    // A folder named like a host in the output, which `//evil.test` used to be redirected to.
    let site = site_with_two_cases().file("content/static/evil.test/x.txt", "x");
    let serving = Serving::start(&site, &[]);
    let inside = serving.get("/evil.test?a=1");
    assert_eq!(inside.status, 307);
    assert_eq!(inside.header("location"), Some("/evil.test/?a=1"));
    for target in [
        "//evil.test",
        "//evil.test/",
        "///evil.test",
        "/%2fevil.test",
        "/%5cevil.test",
        "/\\evil.test",
        "/\\/evil.test",
        "/.//evil.test",
    ] {
        let reply = serving.get(target);
        assert!(
            reply.header("location").is_none() && !(300..400).contains(&reply.status),
            "{target}: {}",
            reply.head
        );
    }
    let cases = serving.get("/cases");
    assert_eq!(cases.header("location"), Some("/cases/"));
}

#[test]
fn request_heads_are_limited_in_size_and_time() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);

    // One 64 MB header line is refused after the first few kilobytes.
    let mut stream = TcpStream::connect(&serving.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Big: ",
        serving.addr
    )
    .unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 64 * 1024 * 1024 {
        match stream.write_all(&chunk) {
            Ok(()) => sent += chunk.len(),
            // The server closed the connection: what must happen. A timeout would mean it
            // merely stopped reading, holding the connection.
            Err(e) => {
                assert!(
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::BrokenPipe
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::ConnectionAborted
                    ),
                    "{e}"
                );
                break;
            }
        }
    }
    assert!(sent < 64 * 1024 * 1024, "the server read all 64 MB");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let reply = parse_reply(&bytes);
    assert!(reply.status == 431 || bytes.is_empty(), "{}", reply.head);

    // A head that never ends is cut off.
    let started = Instant::now();
    let mut slow = TcpStream::connect(&serving.addr).unwrap();
    slow.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: {}\r\n", serving.addr).unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(4) && waited < Duration::from_secs(20),
        "{waited:?}"
    );
    assert!(!String::from_utf8_lossy(&rest).contains("甲地经验"));
    // And the server still answers.
    assert_eq!(serving.get("/cases/a/").status, 200);
}

#[test]
fn editors_that_save_through_a_temporary_file_are_followed() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let cases = site.dir.join("content/cases");

    // VS Code, WPS and most editors: write beside, then rename over the original.
    std::fs::write(
        cases.join(".a.md.tmp1234"),
        case("甲地经验", "2024-03-01", "") + "改名保存的句子。\n",
    )
    .unwrap();
    std::fs::rename(cases.join(".a.md.tmp1234"), cases.join("a.md")).unwrap();
    page.next_generation();
    assert!(serving.get("/cases/a/").body.contains("改名保存的句子"));

    // vim: the original moved aside, a new file written, the backup removed.
    std::fs::write(cases.join("4913"), "").unwrap();
    std::fs::remove_file(cases.join("4913")).unwrap();
    std::fs::rename(cases.join("a.md"), cases.join("a.md~")).unwrap();
    std::fs::write(
        cases.join("a.md"),
        case("甲地经验", "2024-03-01", "") + "vim 保存的句子。\n",
    )
    .unwrap();
    std::fs::remove_file(cases.join("a.md~")).unwrap();
    page.next_generation();
    assert!(serving.get("/cases/a/").body.contains("vim 保存的句子"));
    assert!(
        page.seen.iter().all(|s| s["overlay"].is_null()),
        "{:#?}",
        page.seen
    );
}

#[test]
fn a_burst_of_200_saves_in_10_seconds_coalesces() {
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut page = serving.events();
    let first = generation(page.latest());
    let cases = site.dir.join("content/cases");
    for i in 0..200 {
        // As an editor saving on every keystroke does: whole files, renamed into place.
        std::fs::write(
            cases.join(".a.md.saving"),
            case("甲地经验", "2024-03-01", "") + &format!("第 {i} 次保存。\n"),
        )
        .unwrap();
        std::fs::rename(cases.join(".a.md.saving"), cases.join("a.md")).unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    let deadline = Instant::now() + PATIENCE;
    while !serving.get("/cases/a/").body.contains("第 199 次保存") {
        assert!(Instant::now() < deadline, "the last save was never built");
        std::thread::sleep(Duration::from_millis(200));
    }
    let printed = serving.printed();
    let builds = printed.iter().filter(|l| l.starts_with("已构建：")).count();
    // A page opened now is told the latest generation at once; the page open all along
    // catches up to it, having been sent every build's state or a later one.
    let last = generation(serving.events().latest());
    page.wait_for(|s| generation(s) == last);
    println!(
        "200 saves in 10 s: {builds} builds, {} generations",
        last - first
    );
    assert!(builds <= 25, "{builds} builds for 200 saves: {printed:#?}");
    // At most two per build: the early render of the edited page, then the rebuild.
    assert!(
        last - first <= 2 * builds as u64,
        "{} generations for 200 saves",
        last - first
    );
    assert!(
        page.seen.iter().all(|s| s["overlay"].is_null()),
        "{:#?}",
        page.seen
    );
    assert!(printed.iter().all(|l| !l.starts_with("构建失败")));
}

/// Chromium under the DevTools protocol: what a page does, observed from outside.
struct Browser {
    child: Child,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
    profile: PathBuf,
}

impl Browser {
    fn open(binary: &str, url: &str) -> Browser {
        let profile = std::env::temp_dir().join(format!(
            "xiezuo-serve-chromium-{}-{}",
            std::process::id(),
            url.len()
        ));
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--remote-debugging-port=0",
                &format!("--user-data-dir={}", profile.display()),
                url,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(ws) = line.strip_prefix("DevTools listening on ws://") {
                    let _ = tx.send(ws.split('/').next().unwrap().to_owned());
                }
            }
        });
        let devtools = rx.recv_timeout(PATIENCE).expect("chromium's DevTools port");
        let deadline = Instant::now() + PATIENCE;
        let page = loop {
            let list = request(
                &devtools,
                &format!(
                    "GET /json/list HTTP/1.1\r\nHost: {devtools}\r\nConnection: close\r\n\r\n"
                ),
            );
            let targets: Value = serde_json::from_str(&list.body).unwrap_or(Value::Null);
            let found = targets.as_array().and_then(|t| {
                t.iter()
                    .find(|t| {
                        t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url))
                    })
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_owned))
            });
            if let Some(ws) = found {
                break ws;
            }
            assert!(Instant::now() < deadline, "no page in {}", list.body);
            std::thread::sleep(Duration::from_millis(100));
        };
        let (socket, _) = tungstenite::connect(page.as_str()).unwrap();
        Browser {
            child,
            socket,
            next_id: 0,
            profile,
        }
    }

    /// Evaluates `expression` in the page; None while the page is between two documents.
    fn eval(&mut self, expression: &str) -> Option<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let call = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true}
        });
        self.socket
            .send(tungstenite::Message::text(call.to_string()))
            .unwrap();
        loop {
            let message = self.socket.read().unwrap();
            let Ok(text) = message.to_text() else {
                continue;
            };
            let reply: Value = serde_json::from_str(text).unwrap();
            if reply["id"] == id {
                let result = &reply["result"];
                if !reply["error"].is_null() || !result["exceptionDetails"].is_null() {
                    return None;
                }
                return Some(result["result"]["value"].clone());
            }
        }
    }

    /// Evaluates `expression` until it gives true.
    fn wait_until(&mut self, expression: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(expression) != Some(Value::Bool(true)) {
            assert!(Instant::now() < deadline, "never true: {expression}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

#[test]
fn open_pages_reload_and_show_the_overlay_in_chromium() {
    let Some(binary) = support::chromium() else {
        return;
    };
    let site = site_with_two_cases();
    let serving = Serving::start(&site, &[]);
    let mut browser = Browser::open(binary, &format!("{}cases/a/", serving.url()));
    browser.wait_until(
        "document.readyState === 'complete' && !!document.querySelector('script[data-generation]')",
    );
    // A mark that a reload wipes out.
    browser.eval("window.__mark = 'kept'");

    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "") + "浏览器里出现的新句子。\n"),
    );
    browser.wait_until(
        "window.__mark === undefined && document.body.innerText.includes('浏览器里出现的新句子')",
    );

    browser.eval("window.__mark = 'kept'");
    let broken = case("甲地经验", "2024-03-01", "")
        .replace("province: 贵州省", &format!("province: {HOSTILE_PROVINCE}"));
    write(&site, "content/cases/a.md", &broken);
    browser.wait_until("!!document.getElementById('xiezuo-overlay')");
    let seen = browser
        .eval(
            "(() => { const o = document.getElementById('xiezuo-overlay'); return {
                text: o.textContent, role: o.getAttribute('role'),
                markup: o.querySelectorAll('img, script').length, first: document.body.firstElementChild === o,
                xss: window.__xss === undefined ? null : window.__xss, mark: window.__mark,
                still: document.body.innerText.includes('浏览器里出现的新句子') }; })()",
        )
        .unwrap();
    let text = seen["text"].as_str().unwrap();
    assert!(
        text.starts_with("构建失败页面仍是上一次成功构建的内容。"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "错误 content/cases/a.md:4: province: 未知省份“{HOSTILE_PROVINCE}”"
        )),
        "{text}"
    );
    assert_eq!(seen["role"], "alert");
    assert_eq!(seen["markup"], 0, "the quoted markup became elements");
    assert_eq!(seen["xss"], Value::Null, "the quoted script ran");
    assert_eq!(
        seen["mark"], "kept",
        "a failed build must not reload the page"
    );
    assert_eq!(seen["still"], true, "the last good page stays");
    assert_eq!(seen["first"], true);

    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", "") + "修好后浏览器里的句子。\n"),
    );
    browser.wait_until(
        "!document.getElementById('xiezuo-overlay') && document.body.innerText.includes('修好后浏览器里的句子')",
    );
    assert_eq!(
        browser.eval("window.__xss === undefined"),
        Some(Value::Bool(true))
    );
}

#[test]
fn a_page_an_edit_did_not_change_is_not_reloaded_in_chromium() {
    let Some(binary) = support::chromium() else {
        return;
    };
    let summary = "summary: 甲地的摘要。\n";
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &case("甲地经验", "2024-03-01", summary),
        )
        .file("content/cases/b.md", &case("乙地经验", "2024-03-02", ""));
    let serving = Serving::start(&site, &[]);
    let mut browser = Browser::open(binary, &format!("{}cases/b/", serving.url()));
    browser.wait_until(
        "document.readyState === 'complete' && !!document.querySelector('script[data-generation]')",
    );
    browser.eval("window.__mark = 'kept'");

    // Another case's body: its page and the search index change, this page does not.
    let mut page = serving.events();
    write(
        &site,
        "content/cases/a.md",
        &(case("甲地经验", "2024-03-01", summary) + "甲地正文的新句子。\n"),
    );
    page.next_generation();
    serving.printed_until("已构建：");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(browser.eval("window.__mark"), Some(Value::from("kept")));

    // This case's body: reloaded.
    write(
        &site,
        "content/cases/b.md",
        &(case("乙地经验", "2024-03-02", "") + "乙地正文的新句子。\n"),
    );
    browser.wait_until(
        "window.__mark === undefined && document.body.innerText.includes('乙地正文的新句子')",
    );
}
