//! `xiezuo new`: the exact file each kind writes, that it builds without a single diagnostic,
//! the next free bulletin number, refusals (an existing file, a taken slug or issue, bad
//! options) with their exact messages, and titles YAML would misread.
#![allow(clippy::unwrap_used)]

mod support;

use support::TestSite;

fn new(site: &TestSite, args: &[&str]) -> support::Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    site.run(&all)
}

/// A build with no diagnostic at all, and the page it made.
fn builds_cleanly(site: &TestSite) {
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "the new file builds without a diagnostic");
}

#[test]
fn a_new_case_is_written_commented_and_builds() {
    let site = TestSite::new();
    let run = new(
        &site,
        &[
            "case",
            "山海同心稳就业 黔粤协作促振兴",
            "--province",
            "黔",
            "--pair",
            "广东",
            "--task",
            "labor-cooperation",
            "--date",
            "2025-03-18",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "content/cases/shan-hai-tong-xin-wen-jiu-ye-qian-yue-xie-zuo-cu-zhen-xing.md";
    assert_eq!(run.stdout, format!("{rel}\n"));
    assert_eq!(
        run.stderr,
        "已创建，发布后的网址：/dxbrs/cases/shan-hai-tong-xin-wen-jiu-ye-qian-yue-xie-zuo-cu-zhen-xing/。请编辑正文，然后用 xiezuo serve 预览、xiezuo check 检查\n"
    );
    let text = std::fs::read_to_string(site.dir.join(rel)).unwrap();
    assert_eq!(
        text,
        "---
title: 山海同心稳就业 黔粤协作促振兴  # 标题（必填）
subtitle:                             # 副标题，可不填
date: 2025-03-18                      # 日期（必填），写成 YYYY-MM-DD
province: 贵州省                      # 报送省份（必填）
pair: 广东省                          # 结对省份，可不填，如 广东省
task: 劳务协作                        # 任务（必填），可选：创新协作方式、劳务协作、劳务品牌、就业帮扶车间、以工代赈、技工教育培训、人才协作、考核评价
tags: []                              # 标签，如 [稳岗就业, 务工服务站]
source:                               # 来源：报送单位，如 贵州省人力资源和社会保障厅
summary:                              # 摘要：一句话概括；不填则取正文第一段
cover:                                # 封面图片，相对于本文件，如 cover.jpg；可不填
draft: false                          # 草稿：改为 true 则暂不发布
---
（请在此写正文第一段：用一两句话概括主要做法和成效。）

## 一、主要做法

## 二、取得成效
"
    );
    builds_cleanly(&site);
    let page =
        site.read("cases/shan-hai-tong-xin-wen-jiu-ye-qian-yue-xie-zuo-cu-zhen-xing/index.html");
    assert!(page.contains("山海同心稳就业 黔粤协作促振兴"));
    assert!(
        page.contains("广东–贵州（粤黔）"),
        "the pair, oriented east to west"
    );
}

#[test]
fn brands_bulletins_and_pages_build_too() {
    let site = TestSite::new();
    for args in [
        &[
            "brand",
            "吕梁山护工",
            "--province",
            "山西",
            "--category",
            "家政服务",
        ][..],
        &["bulletin", "--date", "2025-03-31"],
        &["page", "联系我们"],
    ] {
        let run = new(&site, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(site.dir.join("content/bulletins/2025-1.md")).unwrap(),
        "---
year: 2025        # 年份（必填）
issue: 1          # 期号（必填）：本年第几期，同一年不能重复
total_issue:      # 总期号，可不填
date: 2025-03-31  # 日期（必填）：印发日期，写成 YYYY-MM-DD
publisher:        # 编印单位，不填则用网站主办单位
title:            # 标题，不填则为“东西部人社协作工作简报（某年第某期）”
summary:          # 摘要；不填则取正文第一段
cases: []         # 收录的典型经验：网址名或文件路径，如 [qiandongnan-foshan]
distribution: {}  # 报送范围，如 {报: 部领导, 送: 各省级人力资源社会保障部门}
draft: false      # 草稿：改为 true 则暂不发布
---
**编者按：**（请在此写编者按。）
"
    );
    builds_cleanly(&site);
    assert!(site.exists("brands/lv-liang-shan-hu-gong/index.html"));
    assert!(site.exists("bulletins/2025-1/index.html"));
    assert!(site.exists("lian-xi-wo-men/index.html"));
}

#[test]
fn a_bulletin_takes_the_next_free_number_of_its_year() {
    let bulletin = |year: u32, issue: u32, draft: bool| {
        format!(
            "---\n年份: {year}\n期号: {issue}\n日期: {year}-03-01\n草稿: {draft}\n---\n编者按。\n"
        )
    };
    // Names that do not follow the numbers, a draft and another year: the front matter counts.
    let site = TestSite::new()
        .file("content/bulletins/first.md", &bulletin(2025, 1, false))
        .file("content/bulletins/x/index.md", &bulletin(2025, 2, true))
        .file("content/bulletins/old.md", &bulletin(2024, 7, false));
    let run = new(&site, &["bulletin", "--date", "2025-06-30"]);
    assert_eq!(run.stdout, "content/bulletins/2025-3.md\n");
    let run = new(
        &site,
        &["bulletin", "--year", "2024", "--date", "2025-01-05"],
    );
    assert_eq!(run.stdout, "content/bulletins/2024-8.md\n");
    let text = std::fs::read_to_string(site.dir.join("content/bulletins/2024-8.md")).unwrap();
    assert!(
        text.starts_with("---\nyear: 2024        # 年份（必填）\nissue: 8 "),
        "{text}"
    );
    let run = new(&site, &["bulletin", "--issue", "2", "--date", "2025-06-30"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 --issue: 简报期号“2025-2”重复，与 content/bulletins/x/index.md 相同 (同一年份的期号不能重复)",
            "未创建文件 / nothing created",
        ]
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_existing_file_or_slug_is_never_overwritten() {
    let site = TestSite::new().file(
        "content/cases/other.md",
        &support::case("其他", "2024-01-01", "slug: wen-gang-jiu-ye\n"),
    );
    let args = [
        "case",
        "稳岗就业",
        "--province",
        "贵州",
        "--task",
        "劳务协作",
    ];
    let run = new(&site, &args);
    assert_eq!(run.code, 2);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 TITLE: 网址名“wen-gang-jiu-ye”重复，与 content/cases/other.md 相同 (请在其中一个文件中用 slug 字段另取名称)",
            "未创建文件 / nothing created",
        ]
    );
    let mut with_slug = args.to_vec();
    with_slug.extend(["--slug", "wen-gang"]);
    assert_eq!(new(&site, &with_slug).code, 0);
    let path = site.dir.join("content/cases/wen-gang.md");
    std::fs::write(&path, "作者改过的文字").unwrap();
    let run = new(&site, &with_slug);
    assert_eq!(run.code, 2);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/wen-gang.md: 文件已存在，没有改动 (请换一个标题，或用 --slug 另取文件名)",
            "未创建文件 / nothing created",
        ]
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "作者改过的文字");
}

#[test]
fn wrong_or_missing_options_are_all_named_with_a_command_that_works() {
    let site = TestSite::new();
    let run = new(&site, &["case"]);
    assert_eq!(run.code, 2);
    let example = "xiezuo new case 山海同心稳就业 --province 贵州 --task 劳务协作";
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            format!("错误 --province: 缺少 --province (例如 {example})"),
            format!("错误 --task: 缺少 --task (例如 {example})"),
            format!("错误 TITLE: 缺少 TITLE (例如 {example})"),
            "未创建文件 / nothing created".into(),
        ]
    );
    let run = new(
        &site,
        &[
            "case",
            "标题",
            "--province",
            "贵洲",
            "--task",
            "劳务",
            "--pair",
            "黔",
            "--date",
            "2025/3/18",
        ],
    );
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 --date: 日期“2025/3/18”格式不对 (请写成 2025-03-18)",
            "错误 --province: 未知省份“贵洲” (是否为“贵州省”？)",
            "错误 --task: 未知任务“劳务” (可选：创新协作方式、劳务协作、劳务品牌、就业帮扶车间、以工代赈、技工教育培训、人才协作、考核评价)",
            "未创建文件 / nothing created",
        ]
    );
    let run = new(&site, &["page", "Cases", "--slug", "cases"]);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 --slug: 输出地址 /dxbrs/cases/ 与 内置页面 /dxbrs/cases/ 冲突 (两个文件不能生成同一个网页，请修改 slug)",
            "未创建文件 / nothing created",
        ]
    );
    assert!(
        !site.dir.join("content/cases").exists(),
        "nothing was written"
    );
}

#[test]
fn titles_yaml_would_misread_are_quoted_and_shown_as_typed() {
    let site = TestSite::new();
    for (title, slug) in [
        ("劳务协作: 新路径 #1", "lao-wu-xie-zuo-xin-lu-jing-1"),
        ("2025", "2025"),
        ("\"粤菜师傅\"走出去", "yue-cai-shi-fu-zou-chu-qu"),
        ("yes", "yes"),
        ("！！", "case-2025-03-18"),
    ] {
        let run = new(
            &site,
            &[
                "case",
                title,
                "--province",
                "贵州",
                "--task",
                "劳务协作",
                "--date",
                "2025-03-18",
            ],
        );
        assert_eq!(
            run.stdout,
            format!("content/cases/{slug}.md\n"),
            "{}",
            run.stderr
        );
    }
    builds_cleanly(&site);
    let escaped = site.read("cases/yue-cai-shi-fu-zou-chu-qu/index.html");
    assert!(
        escaped.contains("&quot;粤菜师傅&quot;走出去"),
        "the title as typed"
    );
    assert!(
        site.read("cases/lao-wu-xie-zuo-xin-lu-jing-1/index.html")
            .contains("劳务协作: 新路径 #1")
    );
    assert!(
        site.read("cases/yes/index.html").contains("<h1>yes"),
        "text, not a boolean"
    );
    assert!(
        site.read("cases/2025/index.html").contains("<h1>2025"),
        "text, not a number"
    );
}

#[test]
fn the_default_date_is_today_in_beijing() {
    let site = TestSite::new();
    let before = xiezuo::date::Date::today_in_beijing().unwrap();
    let run = new(&site, &["page", "关于本站"]);
    let after = xiezuo::date::Date::today_in_beijing().unwrap();
    assert_eq!(run.code, 0);
    // A page's date is optional; the bulletin's is the one that defaults.
    let run = new(&site, &["bulletin"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.dir.join(run.stdout.trim());
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        [before, after]
            .iter()
            .any(|d| text.contains(&format!("\ndate: {d}  "))),
        "{text}"
    );
}

#[test]
fn an_english_site_gets_english_comments_and_messages() {
    let site = TestSite::new().file(
        "content/site.yaml",
        "title: Demo\nbase_url: https://example.org/\nlanguage: en\nsite_id_code: none\nicp: none\n",
    );
    let run = new(
        &site,
        &[
            "case",
            "Work relief: roads",
            "--province",
            "贵州",
            "--task",
            "work-relief",
            "--date",
            "2025-01-02",
        ],
    );
    assert_eq!(run.stdout, "content/cases/work-relief-roads.md\n");
    assert_eq!(
        run.stderr,
        "Created; it will be published at /cases/work-relief-roads/. Edit it, preview with xiezuo serve, then run xiezuo check\n"
    );
    let text =
        std::fs::read_to_string(site.dir.join("content/cases/work-relief-roads.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Work relief: roads\"  # title (required)\n"),
        "{text}"
    );
    builds_cleanly(&site);
    let run = new(&site, &["brand", "X", "--province", "Guizhou"]);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 --category: --category is required (e.g. xiezuo new brand 吕梁山护工 --province 山西 --category 家政服务)",
            "错误 --province: unknown province `Guizhou` (did you mean `贵州省`?)",
            "未创建文件 / nothing created",
        ]
    );
}

#[test]
fn without_a_site_nothing_is_written() {
    let site = TestSite::new();
    std::fs::remove_file(site.dir.join("content/site.yaml")).unwrap();
    let run = new(&site, &["page", "关于本站"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/site.yaml: 找不到网站配置文件 site.yaml (请在站点目录的 content/ 下创建 site.yaml，或用 xiezuo init 新建站点)",
            "未创建文件 / nothing created",
        ]
    );
    assert!(!site.dir.join("content/pages").exists());
}
