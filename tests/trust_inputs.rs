//! Nothing outside the site is read, and every input file is accounted for.
//!
//! The containment corpus: each test writes a small site beside a canary folder outside it, adds
//! one hostile or careless input (a symbolic link out, a theme path, a pipe, a reserved or
//! disguised name, a hidden or stray file), builds it with the real binary and asserts the exit
//! code, the exact diagnostic lines, and that the canary's text is in no output file. The build
//! runs with the canary's text in its environment too, so a link to `/proc/self/environ` that got
//! through would be caught the same way.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Run, SITE_YAML, TestSite, all_files, case};

/// Written in every canary file and into the build's environment; must never be published.
const MARKER: &str = "CANARY-5b1e-must-never-be-published";

const OUTSIDE_HINT: &str = "请把要发布的文件复制到站点文件夹内，而不是链接到外面";
const HIDDEN_HINT: &str = "名称以点开头的文件和文件夹都会跳过；如需发布，请去掉开头的点";

/// A folder outside the site holding private files: `secret.txt`, `folder/inner.txt` and a
/// valid `site.yaml`.
struct Canary {
    dir: PathBuf,
    /// The folder's name, for relative links from the site (`../NAME/secret.txt`).
    name: String,
}

impl Canary {
    fn new() -> Canary {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("xiezuo-canary-{}-{n}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        std::fs::write(dir.join("secret.txt"), MARKER).unwrap();
        std::fs::write(dir.join("folder/inner.txt"), MARKER).unwrap();
        std::fs::write(
            dir.join("site.yaml"),
            format!("{SITE_YAML}description: {MARKER}\n"),
        )
        .unwrap();
        Canary { dir, name }
    }

    fn path(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.dir.clone()
        } else {
            self.dir.join(rel)
        }
    }

    /// The canary file `rel` as a relative link target from a link `depth` folders below the
    /// site folder (`content/static/x` is at depth 2).
    fn relative(&self, depth: usize, rel: &str) -> String {
        format!("{}{}/{rel}", "../".repeat(depth + 1), self.name)
    }
}

impl Drop for Canary {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn link(site: TestSite, at: &str, target: impl AsRef<Path>) -> TestSite {
    let p = site.dir.join(at);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    symlink(target, &p).unwrap();
    site
}

fn fifo(site: TestSite, at: &str) -> TestSite {
    let p = site.dir.join(at);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let status = Command::new("mkfifo").arg(&p).status().unwrap();
    assert!(status.success(), "mkfifo {}", p.display());
    site
}

fn with_theme(site: TestSite, value: &str) -> TestSite {
    site.file("content/site.yaml", &format!("{SITE_YAML}theme: {value}\n"))
}

/// Builds with the marker in the environment, then checks that no output file carries it.
fn build(site: &TestSite) -> Run {
    build_with(site, Command::new(env!("CARGO_BIN_EXE_xiezuo")))
}

fn build_with(site: &TestSite, mut command: Command) -> Run {
    let out = command
        .arg("build")
        .current_dir(&site.dir)
        .env("XIEZUO_CANARY", MARKER)
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_no_canary(site);
    run
}

fn assert_no_canary(site: &TestSite) {
    let public = site.dir.join("public");
    if !public.exists() {
        return;
    }
    for (name, bytes) in all_files(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(MARKER),
            "{name} carries the canary"
        );
        assert!(!name.ends_with("inner.txt"), "{name} is the canary folder");
    }
}

/// Runs the build as an unprivileged user when the tests run as root: root reads files whatever
/// their permissions, and the point is a file the build cannot read.
fn build_unprivileged(site: &TestSite) -> Run {
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return build(site);
    }
    let mut command = Command::new("setpriv");
    command.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        env!("CARGO_BIN_EXE_xiezuo"),
    ]);
    build_with(site, command)
}

fn outside(path: &str, target: &str) -> String {
    format!("错误 {path}: 符号链接指向站点文件夹之外的“{target}”，不会读取 ({OUTSIDE_HINT})")
}

fn assert_refused(run: &Run, expected: &[String]) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(TestSite::diagnostics(run), expected);
}

fn assert_warned(run: &Run, expected: &[String]) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(TestSite::diagnostics(run), expected);
}

fn one_case() -> TestSite {
    TestSite::new().file("content/cases/a.md", &case("A", "2023-06-12", ""))
}

// ---- Symbolic links out of the site ----

#[test]
fn static_link_to_etc_passwd_is_refused() {
    let site = link(one_case(), "content/static/passwd", "/etc/passwd");
    let run = build(&site);
    assert_refused(&run, &[outside("content/static/passwd", "/etc/passwd")]);
}

#[test]
fn static_link_to_a_file_outside_is_refused() {
    let canary = Canary::new();
    let target = canary.path("secret.txt");
    let site = link(one_case(), "content/static/secret.txt", &target);
    let run = build(&site);
    let target = target.display().to_string();
    assert_refused(&run, &[outside("content/static/secret.txt", &target)]);
}

#[test]
fn static_link_to_a_folder_outside_is_refused() {
    let canary = Canary::new();
    let site = link(one_case(), "content/static/docs", canary.path("folder"));
    let run = build(&site);
    let target = canary.path("folder").display().to_string();
    assert_refused(&run, &[outside("content/static/docs", &target)]);
}

#[test]
fn static_link_to_proc_self_environ_is_refused() {
    let site = link(one_case(), "content/static/env.txt", "/proc/self/environ");
    let run = build(&site);
    assert_refused(
        &run,
        &[outside("content/static/env.txt", "/proc/self/environ")],
    );
}

#[test]
fn relative_link_climbing_out_of_the_site_is_refused() {
    let canary = Canary::new();
    let target = canary.relative(2, "secret.txt");
    let site = link(one_case(), "content/static/rel.txt", &target);
    let run = build(&site);
    assert_refused(&run, &[outside("content/static/rel.txt", &target)]);
}

#[test]
fn bundle_file_linked_from_outside_is_refused() {
    let canary = Canary::new();
    let site = TestSite::new().file("content/cases/b/index.md", &case("B", "2023-06-12", ""));
    let target = canary.relative(3, "secret.txt");
    let site = link(site, "content/cases/b/photo.jpg", &target);
    let run = build(&site);
    assert_refused(&run, &[outside("content/cases/b/photo.jpg", &target)]);
}

#[test]
fn case_file_linked_from_outside_is_refused() {
    let canary = Canary::new();
    let target = canary.path("secret.txt");
    let site = link(one_case(), "content/cases/leak.md", &target);
    let run = build(&site);
    let target = target.display().to_string();
    assert_refused(&run, &[outside("content/cases/leak.md", &target)]);
}

#[test]
fn stats_file_linked_from_outside_is_refused() {
    let canary = Canary::new();
    let target = canary.path("secret.txt");
    let site = link(one_case(), "content/stats/2023.yaml", &target);
    let run = build(&site);
    let target = target.display().to_string();
    assert_refused(&run, &[outside("content/stats/2023.yaml", &target)]);
}

#[test]
fn section_folder_that_is_a_link_out_is_refused() {
    let canary = Canary::new();
    let site = link(one_case(), "content/pages", canary.path("folder"));
    let run = build(&site);
    let target = canary.path("folder").display().to_string();
    assert_refused(&run, &[outside("content/pages", &target)]);
}

#[test]
fn static_folder_that_is_a_link_out_is_refused() {
    let canary = Canary::new();
    let site = link(one_case(), "content/static", canary.path(""));
    let run = build(&site);
    let target = canary.path("").display().to_string();
    assert_refused(&run, &[outside("content/static", &target)]);
}

#[test]
fn site_yaml_linked_from_outside_is_refused() {
    let canary = Canary::new();
    let site = one_case();
    std::fs::remove_file(site.dir.join("content/site.yaml")).unwrap();
    let target = canary.path("site.yaml");
    let site = link(site, "content/site.yaml", &target);
    let run = build(&site);
    let target = target.display().to_string();
    assert_refused(&run, &[outside("content/site.yaml", &target)]);
}

#[test]
fn link_in_an_unknown_folder_is_refused_too() {
    let site = link(one_case(), "content/drafts/passwd", "/etc/passwd");
    let run = build(&site);
    assert_refused(&run, &[outside("content/drafts/passwd", "/etc/passwd")]);
}

#[test]
fn dangling_link_is_an_error() {
    let site = link(one_case(), "content/static/gone.pdf", "nowhere.pdf");
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/static/gone.pdf: 符号链接指向的“nowhere.pdf”不存在 (请删除该链接，或让它指向站点内已有的文件)".to_owned()],
    );
}

#[test]
fn link_to_its_own_folder_is_a_loop() {
    let site = link(one_case(), "content/static/again", ".");
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/static/again: 符号链接指向“.”，即包含它的文件夹，会无限循环 (请删除该链接)".to_owned()],
    );
}

#[test]
fn link_to_itself_is_an_error() {
    let site = link(one_case(), "content/static/self", "self");
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/static/self: 无法读取文件：符号链接层数过多（可能循环）".to_owned()],
    );
}

#[test]
fn links_that_stay_inside_the_site_keep_working() {
    let site = one_case()
        .file(
            "assets/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("shared/docs/a.pdf", "%PDF-1.4");
    let site = link(site, "content/static/logo.svg", "../../assets/logo.svg");
    let site = link(site, "content/static/docs", "../../shared/docs");
    let run = build(&site);
    assert_warned(&run, &[]);
    assert!(site.read("logo.svg").starts_with("<svg"));
    assert_eq!(site.read("docs/a.pdf"), "%PDF-1.4");
}

// ---- Themes ----

#[test]
fn theme_template_linked_from_outside_is_refused() {
    let canary = Canary::new();
    let target = canary.path("secret.txt");
    let site = link(one_case(), "themes/default/templates/404.html", &target);
    let run = build(&site);
    let target = target.display().to_string();
    assert_refused(
        &run,
        &[outside("themes/default/templates/404.html", &target)],
    );
}

#[test]
fn theme_static_file_linked_from_outside_is_refused() {
    let site = link(one_case(), "themes/default/static/style.css", "/etc/passwd");
    let run = build(&site);
    assert_refused(
        &run,
        &[outside("themes/default/static/style.css", "/etc/passwd")],
    );
}

#[test]
fn theme_folder_that_is_a_link_out_is_refused() {
    let canary = Canary::new();
    std::fs::create_dir_all(canary.path("templates")).unwrap();
    std::fs::write(canary.path("templates/404.html"), MARKER).unwrap();
    let site = with_theme(one_case(), "mine");
    let site = link(site, "themes/mine", canary.path(""));
    let run = build(&site);
    let target = canary.path("").display().to_string();
    assert_refused(&run, &[outside("themes/mine", &target)]);
}

fn bad_theme(shown: &str) -> String {
    format!(
        "错误 content/site.yaml:6: theme: 主题“{shown}”应为 themes/ 下的文件夹名称，不能是路径 (例如 theme: default 表示 themes/default/)"
    )
}

#[test]
fn theme_as_absolute_path_is_refused() {
    let canary = Canary::new();
    let value = canary.path("").display().to_string();
    let run = build(&with_theme(one_case(), &value));
    assert_refused(&run, &[bad_theme(&value)]);
}

#[test]
fn theme_climbing_out_is_refused() {
    let run = build(&with_theme(one_case(), "../../x"));
    assert_refused(&run, &[bad_theme("../../x")]);
}

#[test]
fn theme_with_a_slash_is_refused() {
    let site = with_theme(one_case(), "a/b").file("themes/a/b/templates/404.html", "x");
    let run = build(&site);
    assert_refused(&run, &[bad_theme("a/b")]);
}

#[test]
fn theme_with_a_backslash_is_refused() {
    let run = build(&with_theme(one_case(), "'..\\x'"));
    assert_refused(&run, &[bad_theme("..\\x")]);
}

#[test]
fn empty_theme_is_refused() {
    let run = build(&with_theme(one_case(), "''"));
    assert_refused(&run, &[bad_theme("")]);
}

#[test]
fn theme_with_nul_loses_the_nul_like_every_value() {
    // Control characters are removed where front matter is read, so `a\0b` names the folder
    // `themes/ab`, which does not exist: an error naming it (never a silent fallback to the
    // built-in theme), and nothing else is read.
    let run = build(&with_theme(one_case(), "\"a\\0b\""));
    assert_refused(
        &run,
        &["错误 content/site.yaml:6: theme: 找不到主题文件夹 themes/ab/ (请检查主题名称，或删去 theme 一行以使用内置主题)".to_owned()],
    );
}

#[test]
fn theme_by_name_still_works() {
    let site = with_theme(one_case(), "red").file("themes/red/static/style.css", "body{color:red}");
    let run = build(&site);
    assert_warned(&run, &[]);
    assert_eq!(site.read("theme/style.css"), "body{color:red}");
}

// ---- Files that cannot be published ----

#[test]
fn fifo_is_an_error_not_a_hang() {
    let site = fifo(one_case(), "content/static/pipe.pdf");
    let site = fifo(site, "content/cases/pipe.md");
    let run = build(&site);
    let line = |p: &str| {
        format!(
            "错误 {p}: 不是普通文件（命名管道、套接字或设备），无法发布 (请删除它，或换成普通文件)"
        )
    };
    assert_refused(
        &run,
        &[
            line("content/cases/pipe.md"),
            line("content/static/pipe.pdf"),
        ],
    );
}

#[test]
fn unreadable_file_is_an_error() {
    let site = one_case().file("content/static/locked.pdf", "%PDF");
    let file = site.dir.join("content/static/locked.pdf");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = build_unprivileged(&site);
    assert_refused(
        &run,
        &["错误 content/static/locked.pdf: 无法读取文件：没有访问权限".to_owned()],
    );
}

#[test]
fn unreadable_folder_is_an_error() {
    let site = one_case().file("content/static/private/a.pdf", "%PDF");
    let folder = site.dir.join("content/static/private");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = build_unprivileged(&site);
    // Let the temporary site be removed again.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_refused(
        &run,
        &[
            "错误 content/static/private: 无法读取文件夹：没有访问权限 (请检查文件夹的访问权限)"
                .to_owned(),
        ],
    );
}

// ---- Files skipped with a word ----

#[test]
fn hidden_files_are_skipped_with_a_warning() {
    let site = one_case()
        .file("content/cases/.hidden.md", &case("H", "2023-06-12", ""))
        .file("content/static/.DS_Store", "junk");
    let run = build(&site);
    let line = |p: &str| format!("警告 {p}: 隐藏文件不会发布 ({HIDDEN_HINT})");
    assert_warned(
        &run,
        &[
            line("content/cases/.hidden.md"),
            line("content/static/.DS_Store"),
        ],
    );
    assert!(!site.exists(".DS_Store") && !site.exists("cases/hidden/index.html"));
}

#[test]
fn hidden_folder_gets_one_warning() {
    let site = one_case()
        .file("content/static/.git/HEAD", "ref")
        .file("content/static/.git/config", "x")
        .file("content/static/.git/objects/ab", "x");
    let run = build(&site);
    assert_warned(
        &run,
        &[format!(
            "警告 content/static/.git: 隐藏文件夹及其中的文件不会发布 ({HIDDEN_HINT})"
        )],
    );
    assert!(!site.exists(".git/HEAD"));
}

#[test]
fn hidden_link_out_is_skipped_unread() {
    let canary = Canary::new();
    let site = link(
        one_case(),
        "content/static/.secret",
        canary.path("secret.txt"),
    );
    let run = build(&site);
    assert_warned(
        &run,
        &[format!(
            "警告 content/static/.secret: 隐藏文件不会发布 ({HIDDEN_HINT})"
        )],
    );
}

#[test]
fn non_yaml_file_in_stats_is_a_warning() {
    let site = one_case().file("content/stats/x.txt", "2023 贵州 2239");
    let run = build(&site);
    assert_warned(
        &run,
        &["警告 content/stats/x.txt: 统计文件夹中只读取 .yaml 和 .yml 文件，此文件不会读取 (如为统计记录，请改用 .yaml 扩展名；否则请移出 stats/)".to_owned()],
    );
}

#[test]
fn stray_files_and_unknown_folders_are_warnings() {
    let site = one_case()
        .file("content/notes.txt", "待办")
        .file("content/drafts/a.md", &case("D", "2023-06-12", ""))
        .file("content/drafts/b.md", &case("E", "2023-06-12", ""));
    let run = build(&site);
    assert_warned(
        &run,
        &[
            "警告 content/drafts: 不是已知的栏目文件夹，其中的文件不会发布 (可用的文件夹：cases、brands、bulletins、pages、stats、static)".to_owned(),
            "警告 content/notes.txt: content/ 下除 site.yaml 外的文件不会发布 (附件请放在 content/static/，页面请放在 content/pages/)".to_owned(),
        ],
    );
    assert!(!site.exists("notes.txt") && !site.exists("drafts/a.md"));
}

#[test]
fn markdown_extensions_in_any_case_are_built() {
    let site = one_case()
        .file("content/cases/t.MD", &case("大写扩展名", "2023-06-12", ""))
        .file(
            "content/cases/u.markdown",
            &case("长扩展名", "2023-06-13", ""),
        )
        .file(
            "content/pages/v.Markdown",
            "---\ntitle: 页面\n---\n正文。\n",
        );
    let run = build(&site);
    assert_warned(&run, &[]);
    assert!(site.read("cases/t/index.html").contains("大写扩展名"));
    assert!(site.read("cases/u/index.html").contains("长扩展名"));
    assert!(site.read("v/index.html").contains("页面"));
    assert!(!site.exists("cases/t.MD") && !site.exists("cases/u.markdown"));
}

#[test]
fn percent_encoded_name_is_just_a_name() {
    let site = one_case().file("content/static/%2e%2e%2fsecret.txt", "public text");
    let run = build(&site);
    assert_warned(&run, &[]);
    assert_eq!(site.read("%2e%2e%2fsecret.txt"), "public text");
}

// ---- Names ----

#[test]
fn windows_reserved_names_are_errors() {
    let site = one_case()
        .file("content/static/con", "x")
        .file("content/static/CON.md", "x")
        .file("content/cases/nul.md", &case("N", "2023-06-12", ""))
        .file("content/cases/aux/index.md", &case("X", "2023-06-12", ""));
    let run = build(&site);
    let line = |p: &str, n: &str| {
        format!(
            "错误 {p}: “{n}”是 Windows 的保留名称，在 Windows 上无法保存或打开 (请重命名，例如在名称后加上说明文字)"
        )
    };
    assert_refused(
        &run,
        &[
            line("content/cases/aux", "aux"),
            line("content/cases/nul.md", "nul.md"),
            line("content/static/CON.md", "CON.md"),
            line("content/static/con", "con"),
        ],
    );
}

#[test]
fn bidi_override_in_a_name_is_an_error() {
    let name = "invoice\u{202E}fdp.exe";
    let site = one_case().file(&format!("content/static/{name}"), "MZ");
    let run = build(&site);
    assert_refused(
        &run,
        &[format!(
            "错误 content/static/{}: 名称含有不可见的控制字符 U+202E，会使名称显示得与实际不同 (请重命名，只用可见字符)",
            // The terminal gets the character escaped, never raw.
            "invoice\\u{202e}fdp.exe"
        )],
    );
}

#[test]
fn control_character_in_a_name_is_an_error() {
    let name = "a\u{1b}[31mred.md";
    let site = one_case().file(
        &format!("content/cases/{name}"),
        &case("C", "2023-06-12", ""),
    );
    let run = build(&site);
    assert_refused(
        &run,
        &[format!(
            "错误 content/cases/{}: 名称含有不可见的控制字符 U+001B，会使名称显示得与实际不同 (请重命名，只用可见字符)",
            "a\\u{1b}[31mred.md"
        )],
    );
}

#[test]
fn full_width_dots_and_slashes_are_errors() {
    let site = one_case()
        .file("content/static/．．／passwd", "x")
        .file("content/static/a．．b.pdf", "x");
    let run = build(&site);
    assert_refused(
        &run,
        &[
            "错误 content/static/a．．b.pdf: 名称含有形似路径符号的全角字符“．” (请重命名，去掉“．”)".to_owned(),
            "错误 content/static/．．／passwd: 名称含有形似路径符号的全角字符“／” (请重命名，去掉“／”)".to_owned(),
        ],
    );
}

#[test]
fn long_slug_is_an_error_on_its_line() {
    let slug = "a".repeat(5000);
    let site = one_case().file(
        "content/cases/b.md",
        &case("B", "2023-06-12", &format!("slug: {slug}\n")),
    );
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/cases/b.md:7: slug: 网址名长 5000 个字符，超过上限 100 个字符 (请用 slug 字段另取较短的网址名，例如 slug: qiandongnan-foshan)".to_owned()],
    );
}

#[test]
fn long_chinese_file_name_asks_for_a_slug() {
    let name: String = "山海同心稳就业黔粤协作促振兴"
        .chars()
        .cycle()
        .take(83)
        .collect();
    let len = xiezuo::slug::slugify(&name).chars().count();
    assert!(len > 100);
    let site = one_case().file(
        &format!("content/cases/{name}.md"),
        &case("长", "2023-06-12", ""),
    );
    let run = build(&site);
    assert_refused(
        &run,
        &[format!(
            "错误 content/cases/{name}.md: slug: 网址名长 {len} 个字符，超过上限 100 个字符 (请用 slug 字段另取较短的网址名，例如 slug: qiandongnan-foshan)"
        )],
    );
    // The hint works: the same file with a short slug builds.
    let fixed = site.file(
        &format!("content/cases/{name}.md"),
        &case("长", "2023-06-12", "slug: chang\n"),
    );
    assert_warned(&build(&fixed), &[]);
}

#[test]
fn over_long_static_path_is_an_error() {
    let folders: Vec<String> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|c| c.repeat(250))
        .collect();
    let rel = format!("{}/x.pdf", folders.join("/"));
    let site = one_case().file(&format!("content/static/{rel}"), "%PDF");
    let run = build(&site);
    assert_refused(
        &run,
        &[format!(
            "错误 content/static/{rel}: 输出路径长 {} 字节，超过上限 1024 字节 (请缩短文件名或减少文件夹层级)",
            rel.len()
        )],
    );
}

#[test]
fn english_site_gets_english_containment_messages() {
    let site = one_case().file("content/site.yaml", &format!("{SITE_YAML}language: en\n"));
    let site = link(site, "content/static/passwd", "/etc/passwd");
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/static/passwd: symbolic link points outside the site folder, to `/etc/passwd`; it is not read (copy the file into the site folder instead of linking to it)".to_owned()],
    );
}

#[test]
fn every_problem_is_reported_together() {
    let canary = Canary::new();
    let site = one_case()
        .file("content/cases/.draft.md", "x")
        .file("content/static/nul.txt", "x");
    let site = link(site, "content/static/secret.txt", canary.path("secret.txt"));
    let site = fifo(site, "content/static/pipe");
    let run = build(&site);
    assert_eq!(run.code, 1);
    assert_eq!(TestSite::diagnostics(&run).len(), 4, "{}", run.stderr);
}

// ---- References that climb out of the site are never read ----

#[test]
fn cover_outside_the_site_is_a_missing_file() {
    let site = TestSite::new().file(
        "content/cases/a.md",
        &case("A", "2023-06-12", "cover: ../../../../etc/passwd\n"),
    );
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/cases/a.md:7: cover: 文件“../../../../etc/passwd”不存在 (路径相对于当前 Markdown 文件所在目录)".to_owned()],
    );
}

#[test]
fn image_outside_the_site_is_a_broken_link_not_a_copy() {
    let canary = Canary::new();
    let target = canary.relative(2, "secret.txt");
    let body = format!("---\ntitle: 页面\n---\n正文 ![图]({target})\n");
    let site = one_case().file("content/pages/p.md", &body);
    let run = build(&site);
    assert_warned(
        &run,
        &[format!(
            "警告 content/pages/p.md:4: 图片“{target}”不存在，页面上只显示它的替代文字 (路径相对于当前 Markdown 文件所在目录；请检查文件名及扩展名的大小写)"
        )],
    );
}

#[test]
fn bulletin_citing_a_path_outside_is_a_missing_case() {
    let site = one_case().file(
        "content/bulletins/1.md",
        "---\nyear: 2025\nissue: 1\ndate: 2025-03-31\ncases: [../../../etc/passwd]\n---\n编者按。\n",
    );
    let run = build(&site);
    assert_refused(
        &run,
        &["错误 content/bulletins/1.md:5: cases: 收录的案例“../../../etc/passwd”不存在 (请写 content/cases/ 下已有案例的 slug 或文件路径)".to_owned()],
    );
}

#[test]
fn long_tag_gets_a_short_url() {
    let tag = "长".repeat(300);
    let site = TestSite::new().file(
        "content/cases/a.md",
        &case("A", "2023-06-12", &format!("tags: [{tag}]\n")),
    );
    let run = build(&site);
    assert_warned(&run, &[]);
    let slug = ["zhang"; 16].join("-");
    assert!(site.read(&format!("tags/{slug}/index.html")).contains(&tag));
}

#[test]
fn name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = one_case();
    let name = std::ffi::OsStr::from_bytes(b"bad\xB9\xF3.pdf");
    std::fs::create_dir_all(site.dir.join("content/static")).unwrap();
    std::fs::write(site.dir.join("content/static").join(name), "x").unwrap();
    let run = build(&site);
    assert_refused(
        &run,
        &[
            "错误 content/static/bad\u{FFFD}\u{FFFD}.pdf: 名称不是 UTF-8 编码 (请重命名)"
                .to_owned(),
        ],
    );
}

#[test]
fn site_folder_holding_site_yaml_passes_over_its_output_and_themes() {
    let site = one_case()
        .file("site.yaml", SITE_YAML)
        .file("cases/a.md", &case("A", "2023-06-12", ""))
        .file("themes/default/static/style.css", "body{}");
    std::fs::remove_dir_all(site.dir.join("content")).unwrap();
    assert_warned(&build(&site), &[]);
    // The second build finds the first one's public/ in the folder it lists, and skips it.
    assert_warned(&build(&site), &[]);
    assert_eq!(site.read("theme/style.css"), "body{}");
}
