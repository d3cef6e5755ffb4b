//! Incremental builds and the output folder: a rebuild after any series of edits equals a clean
//! build byte for byte, a rebuild with no change writes nothing, a killed build is repaired by
//! the next one, and no output folder choice can destroy an author's files.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{TestSite, all_files, case};
use xiezuo::resolve::LoadOptions;
use xiezuo::site_build::{Warm, build_site, build_site_reusing, preview_body_edits};

fn build_into(site: &TestSite, out: &Path) -> support::Run {
    site.run(&["build", "-o", out.to_str().unwrap()])
}

/// Builds the site incrementally into public/, in this process into warm-out/ reusing `cache`
/// (as `serve` does: first the early render of the `changed` files where it applies, then the
/// build), and from scratch into a fresh folder (with no manifest), and checks the three trees
/// are identical, warnings included, and every early-rendered page is the clean build's.
/// Returns how many pages were rendered early.
fn assert_same_as_clean(
    site: &TestSite,
    cache: &mut Warm,
    changed: &[PathBuf],
    step: &str,
) -> usize {
    let run = site.build();
    assert_eq!(run.code, 0, "{step}: {}", run.stderr);
    let warm_out = site.dir.join("warm-out");
    let options = LoadOptions::default();
    let early: Vec<(String, Vec<u8>)> = preview_body_edits(&site.dir, cache, changed)
        .map(|p| p.written)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(warm_out.join(&path)).unwrap();
            (path, bytes)
        })
        .collect();
    let warm = build_site_reusing(&site.dir, Some(&warm_out), &options, cache)
        .unwrap_or_else(|e| panic!("{step}: warm build failed: {e:?}"));
    let clean = site.dir.join("clean-out");
    let _ = std::fs::remove_dir_all(&clean);
    let run = build_into(site, &clean);
    assert_eq!(run.code, 0, "{step}: {}", run.stderr);
    let cold = build_site(&site.dir, Some(&site.dir.join("cold-out")), &options).unwrap();
    let _ = std::fs::remove_dir_all(site.dir.join("cold-out"));
    assert_eq!(
        warm.warnings, cold.warnings,
        "{step}: warm build's warnings"
    );
    let fresh = all_files(&clean);
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    for (kind, out) in [("incremental", "public"), ("warm", "warm-out")] {
        let built = all_files(&site.dir.join(out));
        assert_eq!(names(&built), names(&fresh), "{step}: {kind}: same files");
        for ((path, a), (_, b)) in built.iter().zip(&fresh) {
            assert!(a == b, "{step}: {kind}: {path} differs from a clean build");
        }
    }
    for (path, bytes) in &early {
        let clean_bytes = std::fs::read(clean.join(path)).unwrap();
        assert!(
            *bytes == clean_bytes,
            "{step}: {path} as rendered early differs from a clean build"
        );
    }
    std::fs::remove_dir_all(&clean).unwrap();
    early.len()
}

/// The files under `content/` and `themes/` whose bytes differ between two listings, as the
/// absolute paths a file watcher reports.
fn changed_files(
    site: &TestSite,
    before: &[(String, Vec<u8>)],
    after: &[(String, Vec<u8>)],
) -> Vec<PathBuf> {
    let old: std::collections::HashMap<_, _> = before.iter().cloned().collect();
    let new: std::collections::HashMap<_, _> = after.iter().cloned().collect();
    let mut changed: Vec<PathBuf> = old
        .keys()
        .chain(new.keys())
        .filter(|p| old.get(*p) != new.get(*p))
        .map(|p| std::path::absolute(site.dir.join(p)).unwrap())
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

/// The sources of a site: every file but the outputs and the cache.
fn sources(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    let mut files = all_files(&site.dir.join("content"));
    for f in &mut files {
        f.0 = format!("content/{}", f.0);
    }
    files
}

fn write(site: &TestSite, path: &str, text: &str) {
    let p = site.dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn remove(site: &TestSite, path: &str) {
    std::fs::remove_file(site.dir.join(path)).unwrap();
}

fn brand(name: &str, extra: &str) -> String {
    format!(
        "---\nname: {name}\nprovince: 贵州省\ncategory: 家政服务\nworkers: 1200\n{extra}---\n{name}的介绍。\n"
    )
}

fn bulletin(issue: u32, cases: &str) -> String {
    format!(
        "---\nyear: 2025\nissue: {issue}\ndate: 2025-0{issue}-20\ncases: [{cases}]\n---\n**编者按：**第{issue}期。\n"
    )
}

const STATS: &str = "- year: 2024\n  province: 贵州省\n  workshops: 2100\n  employed: 60000\n  poverty_alleviated: 35000\n  monitored: 2000\n";

/// One scripted change to a site's files.
type Edit = Box<dyn Fn(&TestSite)>;

#[test]
fn a_series_of_edits_builds_the_same_site_as_a_clean_build() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &case("甲经验", "2024-01-05", "tags: [稳岗]\n"),
        )
        .file("content/cases/b.md", &case("乙经验", "2024-02-05", ""))
        .file(
            "content/cases/c/index.md",
            &case("丙经验", "2024-03-05", "cover: p.svg\n"),
        )
        .file(
            "content/cases/c/p.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("content/brands/x.md", &brand("某某护工", ""))
        .file("content/bulletins/2025-1.md", &bulletin(1, "a, b"))
        .file("content/stats/2024.yaml", STATS)
        .file(
            "content/pages/about.md",
            "---\ntitle: 关于本站\n---\n关于。\n",
        )
        .file("content/static/files/a.txt", "附件");
    let mut cache = Warm::new();
    assert_same_as_clean(&site, &mut cache, &[], "first build");

    let steps: Vec<(&str, Edit)> = vec![
        (
            "add a case",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/d.md",
                    &case("丁经验", "2024-04-05", "tags: [新标签]\n"),
                )
            }),
        ),
        (
            "edit a case body",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/a.md",
                    &format!(
                        "{}\n新增一段。\n",
                        case("甲经验", "2024-01-05", "tags: [稳岗]\n")
                    ),
                )
            }),
        ),
        (
            "edit a case title and date",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/b.md",
                    &case("乙经验（修订）", "2024-05-05", ""),
                )
            }),
        ),
        (
            "add a case that links to another",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/e.md",
                    &format!("{}\n见[丁经验](d.md)。\n", case("戊经验", "2024-06-05", "")),
                )
            }),
        ),
        (
            "rename a case",
            Box::new(|s| {
                std::fs::rename(
                    s.dir.join("content/cases/d.md"),
                    s.dir.join("content/cases/d2.md"),
                )
                .unwrap();
            }),
        ),
        (
            "delete a case",
            Box::new(|s| remove(s, "content/cases/d2.md")),
        ),
        (
            "change a bundle's file",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/c/p.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
                )
            }),
        ),
        (
            "add a brand",
            Box::new(|s| {
                write(
                    s,
                    "content/brands/y.md",
                    &brand("另一品牌", "aliases: [别名]\n"),
                )
            }),
        ),
        (
            "edit a brand",
            Box::new(|s| {
                write(
                    s,
                    "content/brands/x.md",
                    &brand("某某护工", "summary: 新摘要\n"),
                )
            }),
        ),
        (
            "edit a brand's body",
            Box::new(|s| {
                write(
                    s,
                    "content/brands/x.md",
                    &(brand("某某护工", "summary: 新摘要\n") + "\n**培训**：一年两期。\n"),
                )
            }),
        ),
        (
            "edit a page's body",
            Box::new(|s| {
                write(
                    s,
                    "content/pages/about.md",
                    "---\ntitle: 关于本站\n---\n关于。\n\n联系方式见页脚。\n",
                )
            }),
        ),
        (
            "delete a brand",
            Box::new(|s| remove(s, "content/brands/y.md")),
        ),
        (
            "add a bulletin",
            Box::new(|s| write(s, "content/bulletins/2025-2.md", &bulletin(2, "c"))),
        ),
        (
            "edit a bulletin's cases",
            Box::new(|s| write(s, "content/bulletins/2025-1.md", &bulletin(1, "b"))),
        ),
        (
            "delete a bulletin",
            Box::new(|s| remove(s, "content/bulletins/2025-2.md")),
        ),
        (
            "edit a stats record",
            Box::new(|s| write(s, "content/stats/2024.yaml", &STATS.replace("2100", "2200"))),
        ),
        (
            "add a stats file",
            Box::new(|s| write(s, "content/stats/2023.yaml", &STATS.replace("2024", "2023"))),
        ),
        (
            "delete a stats file",
            Box::new(|s| remove(s, "content/stats/2023.yaml")),
        ),
        (
            "override a template",
            Box::new(|s| {
                write(
                    s,
                    "themes/default/templates/404.html",
                    "{% extends \"base.html\" %}{% block content %}<p>找不到</p>{% endblock %}",
                )
            }),
        ),
        (
            "override the stylesheet",
            Box::new(|s| write(s, "themes/default/static/style.css", "body{color:#000}")),
        ),
        (
            "remove the overrides",
            Box::new(|s| std::fs::remove_dir_all(s.dir.join("themes")).unwrap()),
        ),
        (
            "change site.yaml",
            Box::new(|s| {
                write(
                    s,
                    "content/site.yaml",
                    &support::SITE_YAML.replace("测试站", "测试网站"),
                )
            }),
        ),
        (
            "change a static file",
            Box::new(|s| write(s, "content/static/files/a.txt", "新附件")),
        ),
        (
            "delete a static file",
            Box::new(|s| remove(s, "content/static/files/a.txt")),
        ),
        (
            "mark a case as a draft",
            Box::new(|s| {
                write(
                    s,
                    "content/cases/a.md",
                    &case("甲经验", "2024-01-05", "draft: true\n"),
                )
            }),
        ),
        (
            "delete a page",
            Box::new(|s| remove(s, "content/pages/about.md")),
        ),
    ];
    let mut early = Vec::new();
    for (step, edit) in steps {
        let before = sources(&site);
        edit(&site);
        let changed = changed_files(&site, &before, &sources(&site));
        if assert_same_as_clean(&site, &mut cache, &changed, step) > 0 {
            early.push(step);
        }
    }
    // Only the edits of a body are rendered early; the series has three.
    assert_eq!(
        early,
        [
            "edit a case body",
            "edit a brand's body",
            "edit a page's body"
        ]
    );
}

/// Every file's modification time, by path.
fn mtimes(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let t = e.metadata().unwrap().modified().unwrap();
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                t,
            )
        })
        .collect();
    out.sort();
    out
}

/// Removes the build cache's record of the last build's inputs, keeping its manifests.
fn forget_inputs(site: &TestSite) {
    for entry in std::fs::read_dir(site.dir.join(".xiezuo-cache")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("inputs-")
        {
            std::fs::remove_file(path).unwrap();
        }
    }
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲经验", "2024-01-05", ""))
        .file("content/cases/b.md", &case("乙经验", "2024-02-05", ""));
    assert_eq!(site.build().code, 0);
    let before = mtimes(&site.dir.join("public"));
    std::thread::sleep(Duration::from_millis(20));
    // Without the record of the last build's inputs the build loads and renders the site: what
    // it writes is what is checked here (the shortcut has its own test).
    forget_inputs(&site);
    let run = site.build();
    assert!(
        run.stdout.contains("写入 0 个、删除 0 个文件"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("（重新生成 0 个）"),
        "no page is rendered: {}",
        run.stdout
    );
    assert!(
        mtimes(&site.dir.join("public")) == before,
        "no file is touched"
    );

    // One body edit: its page and what shows bodies (feeds, search) change, not the lists.
    write(
        &site,
        "content/cases/a.md",
        &format!("{}\n新增一段。\n", case("甲经验", "2024-01-05", "")),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = mtimes(&site.dir.join("public"));
    let changed: Vec<&str> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert!(changed.contains(&"cases/a/index.html"), "{changed:?}");
    assert!(changed.contains(&"atom.xml"), "{changed:?}");
    for untouched in [
        "cases/b/index.html",
        "cases/index.html",
        "index.html",
        "404.html",
    ] {
        assert!(
            !changed.contains(&untouched),
            "{untouched} rewritten: {changed:?}"
        );
    }
}

#[test]
fn a_file_changed_by_hand_in_the_output_is_restored() {
    let site = TestSite::new().file("content/cases/a.md", &case("甲经验", "2024-01-05", ""));
    assert_eq!(site.build().code, 0);
    let page = site.dir.join("public/cases/a/index.html");
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, "edited by hand").unwrap();
    std::fs::remove_file(site.dir.join("public/404.html")).unwrap();
    std::fs::write(site.dir.join("public/stray.html"), "not from the build").unwrap();
    assert_eq!(site.build().code, 0);
    assert_eq!(std::fs::read(&page).unwrap(), original);
    assert!(site.exists("404.html"));
    // A file the manifest does not know of stays until a build cannot trust its manifest;
    // a killed build or a lost cache then removes it.
    std::fs::remove_dir_all(site.dir.join(".xiezuo-cache")).unwrap();
    assert_eq!(site.build().code, 0);
    assert!(!site.exists("stray.html"));
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    all_files(dir)
}

#[test]
fn output_folders_that_would_lose_the_authors_work_are_refused() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲经验", "2024-01-05", ""))
        .file(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}",
        )
        .file("notes/keep.txt", "作者的文件");
    let before = snapshot(&site.dir);
    let outside = std::env::temp_dir().join(format!("xiezuo-foreign-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("report.docx"), "别人的文件").unwrap();
    let targets: Vec<PathBuf> = vec![
        "content".into(),
        "content/cases".into(),
        "content/static".into(),
        ".".into(),
        "..".into(),
        "themes".into(),
        "themes/default".into(),
        "notes".into(),
        "content/cases/a.md".into(),
        ".xiezuo-cache".into(),
        outside.clone(),
    ];
    for target in &targets {
        let run = site.run(&["build", "-o", target.to_str().unwrap()]);
        assert_eq!(run.code, 2, "-o {}: {}", target.display(), run.stderr);
        assert!(
            run.stderr.starts_with("错误 / error: 输出文件夹"),
            "{}",
            run.stderr
        );
    }
    let mut after = snapshot(&site.dir);
    after.retain(|(p, _)| !p.starts_with(".xiezuo-cache"));
    assert_eq!(after, before, "no source file changed");
    assert_eq!(
        std::fs::read_to_string(outside.join("report.docx")).unwrap(),
        "别人的文件"
    );
    std::fs::remove_dir_all(&outside).unwrap();

    // An empty folder, or one a build made, is fine.
    std::fs::create_dir_all(site.dir.join("empty")).unwrap();
    assert_eq!(build_into(&site, &site.dir.join("empty")).code, 0);
    assert_eq!(build_into(&site, &site.dir.join("empty")).code, 0);
}

#[test]
fn leftovers_of_old_staging_builds_are_removed() {
    let site = TestSite::new().file("content/cases/a.md", &case("甲经验", "2024-01-05", ""));
    std::fs::create_dir_all(site.dir.join(".public.staging-4242/cases")).unwrap();
    std::fs::write(site.dir.join(".public.staging-4242/cases/x.html"), "half").unwrap();
    assert_eq!(site.build().code, 0);
    assert!(!site.dir.join(".public.staging-4242").exists());
}

/// A deterministic sequence of kill delays.
struct Lcg(u64);

impl Lcg {
    fn next_below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let cases: usize = std::env::var("XIEZUO_KILL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let trials: usize = std::env::var("XIEZUO_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mut site = TestSite::new();
    for i in 0..cases {
        let tags = format!("tags: [标签{}]\n", i % 40);
        site = site.file(
            &format!("content/cases/c{i:05}.md"),
            &case(
                &format!("经验{i}"),
                &format!("20{:02}-0{}-1{}", 20 + i % 5, 1 + i % 9, i % 10),
                &tags,
            ),
        );
    }
    // The reference: a clean build of the final content.
    let reference = site.dir.join("reference");
    assert_eq!(build_into(&site, &reference).code, 0);
    let expected = all_files(&reference);
    std::fs::remove_dir_all(&reference).unwrap();
    // How long a full build takes, so kills land anywhere in it.
    let started = Instant::now();
    assert_eq!(site.build().code, 0);
    let full = started.elapsed().as_millis() as u64 + 1;

    let mut rng = Lcg(7);
    for trial in 0..trials {
        // Alternate content so every trial's build has real work to do.
        let title = format!("被中断的构建{trial}");
        write(
            &site,
            "content/cases/c00000.md",
            &case(&title, "2020-01-10", ""),
        );
        if trial % 3 == 0 {
            // A lost cache too: the build must then trust nothing it finds in public/.
            let _ = std::fs::remove_dir_all(site.dir.join(".xiezuo-cache"));
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
            .arg("build")
            .current_dir(&site.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next_below(full)));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever moment it died at, every page present is whole HTML.
        for (path, bytes) in all_files(&site.dir.join("public")) {
            if path.ends_with(".html") {
                assert!(
                    bytes.ends_with(b"</html>\n") || bytes.ends_with(b"</html>"),
                    "trial {trial}: {path} is truncated"
                );
            }
        }
        write(
            &site,
            "content/cases/c00000.md",
            &case("经验0", "2020-01-10", "tags: [标签0]\n"),
        );
        let run = site.build();
        assert_eq!(run.code, 0, "trial {trial}: {}", run.stderr);
        let repaired = all_files(&site.dir.join("public"));
        assert!(
            repaired == expected,
            "trial {trial}: the repaired site differs from a clean build"
        );
    }
}

/// Sets every file and folder under `dir` to have been modified `ago` before now, as files an
/// author saved a while ago are (a build does not trust the timestamps of files saved just now).
fn backdate(dir: &Path, ago: Duration) {
    let when = std::time::SystemTime::now() - ago;
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.unwrap();
        let file = if entry.file_type().is_dir() {
            std::fs::File::open(entry.path())
        } else {
            std::fs::File::options().write(true).open(entry.path())
        };
        file.unwrap().set_modified(when).unwrap();
    }
}

#[test]
fn an_unchanged_site_is_not_even_loaded_and_its_warnings_are_repeated() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲经验", "2024-01-05", ""))
        .file(
            "content/cases/b.md",
            &format!("{}<b>粗体</b>\n", case("乙经验", "2024-02-05", "")),
        );
    backdate(&site.dir.join("content"), Duration::from_secs(3600));
    let first = site.build();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("警告 content/cases/b.md"),
        "{}",
        first.stderr
    );

    let again = site.build();
    assert!(
        again.stdout.contains("内容与上次构建相同"),
        "{}",
        again.stdout
    );
    assert_eq!(
        again.stderr, first.stderr,
        "the same warnings, worded the same"
    );

    // An output changed by hand: the build does its work and repairs it.
    let page = site.dir.join("public/cases/a/index.html");
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, "edited by hand").unwrap();
    let repaired = site.build();
    assert!(
        !repaired.stdout.contains("内容与上次构建相同"),
        "{}",
        repaired.stdout
    );
    assert_eq!(std::fs::read(&page).unwrap(), original);

    // An edit with an old timestamp still counts: size or time differs from the record.
    write(
        &site,
        "content/cases/a.md",
        &case("甲经验（改）", "2024-01-05", ""),
    );
    backdate(&site.dir.join("content/cases"), Duration::from_secs(1800));
    let edited = site.build();
    assert!(
        !edited.stdout.contains("内容与上次构建相同"),
        "{}",
        edited.stdout
    );
    assert!(site.read("cases/a/index.html").contains("甲经验（改）"));

    // Other options are other inputs.
    let drafts = site.run(&["build", "--drafts"]);
    assert!(
        !drafts.stdout.contains("内容与上次构建相同"),
        "{}",
        drafts.stdout
    );
}

#[test]
fn reverting_to_an_earlier_site_after_a_killed_build_is_not_mistaken_for_no_change() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲经验", "2024-01-05", ""))
        .file("content/cases/b.md", &case("乙经验", "2024-02-05", ""));
    let original = std::fs::read(site.dir.join("content/cases/a.md")).unwrap();
    let a = site.dir.join("content/cases/a.md");
    backdate(&site.dir.join("content"), Duration::from_secs(3600));
    let old_time = std::fs::metadata(&a).unwrap().modified().unwrap();
    assert_eq!(site.build().code, 0);
    let expected = all_files(&site.dir.join("public"));
    for delay in [0, 5, 10, 20, 40, 80] {
        // An edit whose build is killed part-way, or finishes …
        write(
            &site,
            "content/cases/a.md",
            &case(&format!("改{delay}"), "2024-01-05", ""),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
            .arg("build")
            .current_dir(&site.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // … then the file is put back exactly as it was, timestamp included.
        std::fs::write(&a, &original).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(old_time)
            .unwrap();
        assert_eq!(site.build().code, 0);
        assert!(
            all_files(&site.dir.join("public")) == expected,
            "after a build killed at {delay} ms, the site is the original one"
        );
    }
}

#[test]
fn a_file_saved_again_within_the_same_clock_tick_is_not_missed() {
    let site = TestSite::new().file("content/cases/a.md", &case("甲经验", "2024-01-05", ""));
    assert_eq!(site.build().code, 0);
    // Files saved just now are fingerprinted by content: the next build can still skip.
    let again = site.build();
    assert!(
        again.stdout.contains("内容与上次构建相同"),
        "{}",
        again.stdout
    );
    // A second save with the same size and, as on a coarse clock, the same timestamp.
    let a = site.dir.join("content/cases/a.md");
    let stamp = std::fs::metadata(&a).unwrap().modified().unwrap();
    write(
        &site,
        "content/cases/a.md",
        &case("乙经验", "2024-01-05", ""),
    );
    std::fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    let run = site.build();
    assert!(!run.stdout.contains("内容与上次构建相同"), "{}", run.stdout);
    assert!(site.read("cases/a/index.html").contains("乙经验"));
}

#[test]
fn a_body_edit_beside_a_file_saved_unchanged_is_still_rendered_early() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲经验", "2024-01-05", ""))
        .file("content/cases/b.md", &case("乙经验", "2024-02-05", ""));
    let out = site.dir.join("warm-out");
    let mut warm = Warm::new();
    build_site_reusing(&site.dir, Some(&out), &LoadOptions::default(), &mut warm).unwrap();
    // "Save all": b.md written again as it was, a.md with a new paragraph.
    write(
        &site,
        "content/cases/b.md",
        &case("乙经验", "2024-02-05", ""),
    );
    write(
        &site,
        "content/cases/a.md",
        &(case("甲经验", "2024-01-05", "") + "\n新的一段。\n"),
    );
    let changed = ["content/cases/a.md", "content/cases/b.md"]
        .map(|p| std::path::absolute(site.dir.join(p)).unwrap());
    let preview = preview_body_edits(&site.dir, &mut warm, &changed).expect("rendered early");
    assert_eq!(preview.written, ["cases/a/index.html"]);
    let page = std::fs::read_to_string(out.join("cases/a/index.html")).unwrap();
    assert!(page.contains("新的一段"), "{page}");
}

/// Editing one case rewrites the search shards its words are in, not the whole index: the
/// number of shards and every document's weighting stay put while the index grows a little
/// (they followed its exact size and average body length, so some edits rewrote every shard).
#[test]
fn growing_one_case_rewrites_few_search_shards() {
    // Bodies of varied words, so the index has a realistic spread of tokens.
    let words: Vec<char> = (0..600u32)
        .filter_map(|k| char::from_u32(0x4e00 + k * 7))
        .collect();
    let mut site = TestSite::new();
    for n in 0..60 {
        let body: String = (0..120)
            .map(|k| words[(n * 37 + k * k) % words.len()])
            .collect();
        site = site.file(
            &format!("content/cases/c{n}.md"),
            &format!("{}\n{body}\n", case(&format!("经验{n}"), "2024-01-05", "")),
        );
    }
    assert_eq!(site.build().code, 0);
    let shards = |site: &TestSite| -> std::collections::BTreeMap<String, Vec<u8>> {
        all_files(&site.dir.join("public/search/s"))
            .into_iter()
            .collect()
    };
    let mut before = shards(&site);
    let mut text = std::fs::read_to_string(site.dir.join("content/cases/c0.md")).unwrap();
    let mut whole_rewrites = Vec::new();
    // Each edit adds words no document has yet: about 5 KB of index in all, several times
    // the bytes that moved the old shard count.
    for edit in 0..30u32 {
        let fresh: String = (0..8)
            .filter_map(|k| char::from_u32(0x9000 + edit * 8 + k))
            .collect();
        text.push_str(&format!("\n新增{fresh}。\n"));
        write(&site, "content/cases/c0.md", &text);
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        let after = shards(&site);
        let changed = after
            .iter()
            .filter(|(path, bytes)| before.get(*path) != Some(bytes))
            .count();
        if changed * 2 > after.len() {
            whole_rewrites.push((edit, changed, after.len()));
        }
        before = after;
    }
    assert!(
        whole_rewrites.len() <= 1,
        "edits that rewrote most shards (edit, changed, shards): {whole_rewrites:?}"
    );
}
