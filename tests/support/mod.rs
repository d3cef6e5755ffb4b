//! What every integration-test binary shares: `TestSite`, a small site written inline in a
//! temporary folder and built by the real binary.
#![allow(dead_code)]
// Tests report a skipped browser test on stdout, which cargo test shows with --nocapture.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestSite {
    pub dir: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub const SITE_YAML: &str = "title: 测试站\nbase_url: https://www.example.gov.cn/dxbrs/\npublisher: 测试主办单位\nsite_id_code: \"1234567890\"\nicp: 京ICP备00000000号\n";

pub fn case(title: &str, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nprovince: 贵州省\npair: 广东省\ntask: 劳务协作\n{extra}---\n正文第一段，介绍{title}的做法。\n"
    )
}

impl TestSite {
    pub fn new() -> TestSite {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("xiezuo-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TestSite { dir }.file("content/site.yaml", SITE_YAML)
    }

    pub fn file(self, path: &str, text: &str) -> TestSite {
        self.bytes(path, text.as_bytes())
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> TestSite {
        let p = self.dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn read(&self, output: &str) -> String {
        let p = self.dir.join("public").join(output);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, output: &str) -> bool {
        self.dir.join("public").join(output).exists()
    }

    /// The diagnostic lines of a run, without the final summary.
    pub fn diagnostics(run: &Run) -> Vec<String> {
        run.stderr
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("构建失败"))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for TestSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The headless browser for browser tests. Off CI a missing browser skips the test; on CI (the
/// `CI` variable is set) it fails it, since `.ci/run` installs Chromium.
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is required on CI"
        );
        println!("skipped: chromium not found (CI: apt-get install -y chromium)");
    }
    found
}

/// Whether Node runs, for tests of the browser's JavaScript outside a browser. Off CI a missing
/// Node skips the test; on CI (the `CI` variable is set) it fails it, since `.ci/run` installs it.
pub fn node() -> bool {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "node is required on CI");
        println!("skipped: node not found (CI: apt-get install -y nodejs)");
    }
    found
}

/// The DOM of `url` in headless Chromium after `budget_ms` of virtual time (scripts included).
pub fn dump_dom(browser: &str, budget_ms: u32, url: &str) -> String {
    let run = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            &format!("--virtual-time-budget={budget_ms}"),
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&run.stdout).into_owned()
}
