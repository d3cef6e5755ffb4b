//! `xiezuo check`: what it finds beyond a build (links and anchors followed through the routes
//! table), that it reports everything a build does, its exit codes and JSON output, that it
//! writes nothing, and that every command and option has help in both languages.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::{TestSite, all_files};

const CASE_WITH_LINKS: &str = "---
title: 甲
date: 2023-06-12
province: 贵州
task: 劳务协作
---
正文第一段，见[下文](#一主要做法)与[错](#二主要作法)，[品牌](../brands/b.md#品牌简介)，[品牌错](../brands/b.md#nope)。

## 一、主要做法

[绝对](/dxbrs/cases/b/) [漏了子路径](/cases/a/) [门户首页](/index.html) [门户](/other/) [全址](https://www.example.gov.cn/dxbrs/brands/b/#%E5%93%81%E7%89%8C%E7%AE%80%E4%BB%8B)

[预览](http://127.0.0.1:1111/cases/a/) [附件](/dxbrs/files/x.pdf) ![图](/dxbrs/logo.png) [附件页](../static/x.pdf#page=2) [缺](missing.md) [脚注](#fn-1)[^1] [外站](https://www.gov.cn/#x) [顶部](#top)

[^1]: 注
";

const BRAND: &str =
    "---\nname: 乙\nprovince: 山西\ncategory: 家政服务\n---\n介绍。\n\n## 品牌简介\n";

fn link_site() -> TestSite {
    TestSite::new()
        .file("content/cases/a.md", CASE_WITH_LINKS)
        .file("content/brands/b.md", BRAND)
        .file("content/static/x.pdf", "%PDF")
}

#[test]
fn links_and_anchors_are_followed_through_the_routes_table() {
    let site = link_site();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "警告 content/cases/a.md:7: 链接“#二主要作法”指向的位置在 /dxbrs/cases/a/ 中不存在 (是否为“#一主要做法”？锚点由标题文字生成，去掉标点，空格变为连字符)",
            "警告 content/cases/a.md:7: 链接“../brands/b.md#nope”指向的位置在 /dxbrs/brands/b/ 中不存在 (锚点由标题文字生成，例如“## 一、主要做法”的锚点是 #一主要做法)",
            "警告 content/cases/a.md:11: 链接“/dxbrs/cases/b/”在本站找不到对应的网页或文件 (站内链接请写目标文件的相对路径，例如 ../brands/lvliangshan-hugong.md 或 ../static/files/x.pdf)",
            "警告 content/cases/a.md:11: 链接“/cases/a/”不在本站地址 /dxbrs/ 之下，发布后会指向网站以外 (站内链接请写目标文件的相对路径，例如 ../cases/a.md，不要以 / 开头)",
            "警告 content/cases/a.md:13: 链接的文件“missing.md”不存在 (请检查相对路径，例如 ../brands/lvliangshan-hugong.md)",
            "警告 content/cases/a.md:13: 链接“http://127.0.0.1:1111/cases/a/”是本机预览地址，读者打不开 (站内链接请写目标文件的相对路径，例如 ../cases/a.md)",
            "警告 content/cases/a.md:13: 链接“/dxbrs/files/x.pdf”在本站找不到对应的网页或文件 (站内链接请写目标文件的相对路径，例如 ../brands/lvliangshan-hugong.md 或 ../static/files/x.pdf)",
            "警告 content/cases/a.md:13: 链接“/dxbrs/logo.png”在本站找不到对应的网页或文件 (站内链接请写目标文件的相对路径，例如 ../brands/lvliangshan-hugong.md 或 ../static/files/x.pdf)",
        ]
    );
    assert_eq!(
        run.stdout,
        "检查完成：0 个错误，8 条警告（51 个页面，17 个链接）；未写入任何文件\n"
    );
    // A build of the same site hears only what a build can know: the missing file.
    let build = site.build();
    assert_eq!(build.code, 0);
    assert_eq!(
        TestSite::diagnostics(&build),
        vec![
            "警告 content/cases/a.md:13: 链接的文件“missing.md”不存在 (请检查相对路径，例如 ../brands/lvliangshan-hugong.md)"
        ]
    );
    assert_eq!(
        site.run(&["check", "--strict"]).code,
        1,
        "--strict fails on warnings"
    );
}

#[test]
fn json_gives_one_object_per_diagnostic_with_its_column_and_code() {
    let site = link_site();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "检查完成：0 个错误，8 条警告（51 个页面，17 个链接）；未写入任何文件\n"
    );
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 8);
    assert_eq!(
        objects[0],
        serde_json::json!({
            "path": "content/cases/a.md",
            "line": 7,
            "column": 21,
            "field": null,
            "severity": "warning",
            "code": "broken-anchor",
            "message": "链接“#二主要作法”指向的位置在 /dxbrs/cases/a/ 中不存在",
            "hint": "是否为“#一主要做法”？锚点由标题文字生成，去掉标点，空格变为连字符",
        })
    );
    let codes: Vec<&str> = objects
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "broken-anchor",
            "broken-anchor",
            "missing-page",
            "outside-base",
            "broken-link",
            "preview-link",
            "missing-page",
            "missing-page"
        ]
    );
}

/// The site of the issue: a full-width colon, the bad date on the next line, a key nobody
/// knows, and a statistics file holding one record.
fn broken_site() -> TestSite {
    TestSite::new()
        .file(
            "content/cases/a.md",
            "---\n标题：测试\n日期: 2023/6/12\n省份: 贵州\n任务: 劳务协作\n作者: 张三\n---\n正文。\n",
        )
        .file(
            "content/stats/one.yaml",
            "year: 2023\nprovince: 贵州\nworkshops: 3.4万\n",
        )
}

#[test]
fn check_reports_everything_build_does_and_exits_1_on_errors() {
    let site = broken_site();
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1);
    let expected = vec![
        "错误 content/cases/a.md:2: 第 2 行：“标题”后是全角冒号“：”，请改为半角冒号加空格 (应写成 标题: 测试)",
        "错误 content/cases/a.md:3: 日期: 日期“2023/6/12”格式不对 (请写成 2023-06-12)",
        "错误 content/cases/a.md:6: 未知字段“作者” (可用的字段：标题、副标题、日期、省份、结对、任务、标签、来源、摘要、封面、草稿、网址名)",
        "错误 content/stats/one.yaml:1: 统计文件应为记录列表，这里只写了一条记录，没有以“- ”开头 (在第一个字段前加“- ”，其余字段各缩进两个空格，例如：- year: 2023)",
        "错误 content/stats/one.yaml:3: workshops: “3.4万”不是整数 (请写成 34000)",
    ];
    assert_eq!(TestSite::diagnostics(&check), expected);
    assert_eq!(
        check.stdout,
        "检查完成：5 个错误，0 条警告（0 个页面，0 个链接）；未写入任何文件\n"
    );
    let build = site.build();
    assert_eq!(build.code, 1);
    assert_eq!(TestSite::diagnostics(&build), expected);
}

#[test]
fn check_writes_nothing_not_even_the_cache() {
    for site in [link_site(), broken_site()] {
        let before = all_files(&site.dir);
        site.run(&["check"]);
        site.run(&["check", "--format", "json", "--drafts"]);
        assert_eq!(all_files(&site.dir), before);
        assert!(!site.dir.join("public").exists());
        assert!(!site.dir.join(".xiezuo-cache").exists());
    }
    // Beside a built site, the output and its cache are left exactly as they were.
    let site = link_site();
    assert_eq!(site.build().code, 0);
    let before = all_files(&site.dir);
    site.run(&["check"]);
    assert_eq!(all_files(&site.dir), before);
}

#[test]
fn template_errors_found_only_by_rendering_are_reported() {
    let site = link_site().file("themes/default/templates/case.html", "{% extends \"base.html\" %}{% block content %}{{ case.nope.deeper }}{% endblock content %}");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("错误 ./themes/default: 模板错误："),
        "{}",
        run.stderr
    );
}

#[test]
fn an_english_site_hears_english() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            "title: Demo\nbase_url: https://example.org/hr/\nlanguage: en\nsite_id_code: none\nicp: none\n",
        )
        .file(
            "content/cases/a.md",
            "---\ntitle: A\ndate: 2023-06-12\nprovince: 贵州\ntask: 劳务协作\n---\nSee [work relief](#work-relief) and [home](/cases/a/).\n\n## Work Relief\n",
        );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "警告 content/cases/a.md:7: the link `/cases/a/` is outside the site's address /hr/: once published it leads off the site (link to the file by its relative path, e.g. ../cases/a.md, not starting with /)"
        ]
    );
    assert_eq!(
        run.stdout,
        "Check done: 0 errors, 1 warnings (49 pages, 2 links followed); nothing written\n"
    );
}

#[test]
fn the_demo_site_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["check", root.to_str().unwrap(), "--strict"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.starts_with("检查完成：0 个错误，0 条警告（"),
        "{stdout}"
    );
}

/// `xiezuo SUB --help`, and the help lines of its options.
fn help_lines(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.push("-h");
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(&all)
        .output()
        .unwrap();
    assert!(run.status.success());
    String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_and_option_has_help_in_chinese_and_english() {
    let bilingual = |line: &str| {
        line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            && line.contains(" / ")
            && line.chars().any(|c| c.is_ascii_alphabetic())
    };
    // `serve` is being rewritten in its own branch, which describes its options.
    let commands = ["build", "check", "new", "fix-encoding", "init"];
    let top = help_lines(&[]);
    for command in commands {
        let line = top
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("{command} is listed"));
        assert!(bilingual(line), "{line}");
    }
    for command in commands {
        let lines = help_lines(&[command]);
        // In short help, an option or argument is a line starting with `-` or `<`/`[` and
        // carrying its help on the same line.
        let described: Vec<&String> = lines
            .iter()
            .filter(|l| {
                let t = l.trim_start();
                t.starts_with('-') || t.starts_with('<') || t.starts_with('[')
            })
            .collect();
        assert!(!described.is_empty(), "{command}");
        for line in described {
            assert!(bilingual(line), "{command}: {line}");
        }
    }
}
