//! End-to-end tests: small sites written inline, built by the real binary or library.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::{TestSite, all_files, case};

#[test]
fn demo_site_builds_without_any_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("xiezuo-demo-{}", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "",
        "the demo site must build with zero warnings"
    );
    let loaded = xiezuo::resolve::load_site(root, &Default::default()).unwrap();
    let site = &loaded.site;
    assert!(site.cases.len() >= 24);
    assert_eq!(site.brands.len(), 12);
    assert_eq!(site.bulletins.len(), 4);
    let tasks: std::collections::HashSet<usize> = site.cases.iter().map(|c| c.task).collect();
    assert_eq!(tasks.len(), 8, "all eight tasks are covered");
    let pairs: std::collections::HashSet<_> = site.cases.iter().filter_map(|c| c.pair).collect();
    for p in &site.config.pairs {
        assert!(pairs.contains(p), "pair {} has a case", p.name());
    }
    let years: std::collections::HashSet<i32> = site.stats.iter().map(|r| r.year).collect();
    for y in 2021..=2024 {
        assert!(years.contains(&y), "workshop records for {y}");
    }
    for page in [
        "index.html",
        "cases/index.html",
        "cases/page/2/index.html",
        "brands/lvliangshan-hugong/index.html",
        "bulletins/2025-1/index.html",
        "provinces/guizhou/index.html",
        "provinces/shaanxi/index.html",
        "pairs/guangdong-guizhou/index.html",
        "tasks/labor-cooperation/index.html",
        "tags/index.html",
        "stats/index.html",
        "about/index.html",
        "404.html",
        "atom.xml",
        "bulletins/atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // The bundle's own file is copied beside its page.
    assert!(out.join("cases/minning-zhen/diagram.svg").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn pages_urls_and_metadata_under_a_sub_path() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("山海同心稳就业", "2023-06-12", "tags: [稳岗就业, 务工服务站]\nsource: 贵州省人力资源和社会保障厅\n"))
        .file("content/cases/b.md", &case("第二篇", "2024-01-05", "tags: [稳岗就业]\n"))
        .file("content/brands/lvliang.md", "---\nname: 吕梁山护工\naliases: [吕梁护工]\nprovince: 山西\ncategory: 家政服务\nworkers: 45524\n---\n介绍。\n")
        .file("content/pages/about.md", "---\ntitle: 关于本站\n---\n见[案例](../cases/a.md)。\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("个页面"), "{}", run.stdout);

    let page = site.read("cases/a/index.html");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<meta name=\"ArticleTitle\" content=\"山海同心稳就业\">"));
    assert!(page.contains("<meta name=\"PubDate\" content=\"2023-06-12 00:00\">"));
    assert!(page.contains("<meta name=\"ContentSource\" content=\"贵州省人力资源和社会保障厅\">"));
    assert!(page.contains("<meta name=\"SiteIDCode\" content=\"1234567890\">"));
    assert!(
        page.contains("<meta name=\"Url\" content=\"https://www.example.gov.cn/dxbrs/cases/a/\">")
    );
    assert!(page.contains("href=\"/dxbrs/provinces/guizhou/\""));
    assert!(page.contains("href=\"/dxbrs/pairs/guangdong-guizhou/\""));
    assert!(page.contains("href=\"/dxbrs/tasks/labor-cooperation/\""));
    assert!(page.contains("href=\"/dxbrs/tags/wen-gang-jiu-ye/\""));
    assert!(page.contains("href=\"/dxbrs/theme/style.css\""));
    assert!(page.contains("京ICP备00000000号"));
    // Newest first: b is newer, so a's "previous" (newer) link is b.
    assert!(
        page.contains("href=\"/dxbrs/cases/b/\" rel=\"prev\""),
        "prev link"
    );
    // No link anywhere escapes the sub-path.
    for (name, bytes) in all_files(&site.dir.join("public")) {
        if name.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            for part in html
                .split("href=\"/")
                .skip(1)
                .chain(html.split("src=\"/").skip(1))
            {
                assert!(
                    part.starts_with("dxbrs/"),
                    "{name}: /{}",
                    &part[..part.len().min(40)]
                );
            }
        }
    }
    assert!(
        site.read("about/index.html")
            .contains("href=\"/dxbrs/cases/a/\"")
    );
    let brand = site.read("brands/lvliang/index.html");
    assert!(brand.contains("45,524") && brand.contains("山西省") || brand.contains("山西"));
    assert!(
        site.read("provinces/shanxi/index.html")
            .contains("吕梁山护工")
    );

    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<id>https://www.example.gov.cn/dxbrs/cases/a/</id>"),
        "{feed}"
    );
    assert!(feed.contains("<updated>2024-01-05T00:00:00+08:00</updated>"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://www.example.gov.cn/dxbrs/cases/a/</loc><lastmod>2023-06-12</lastmod>"
    ));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://www.example.gov.cn/dxbrs/sitemap.xml")
    );
}

#[test]
fn every_diagnostic_of_a_build_is_reported_together() {
    let site = TestSite::new()
        .file("content/cases/a.md", "---\ntitel: 标题\ndate: 2023/6/12\nprovince: 贵洲\ntask: 劳务\n---\n正文。\n")
        .file("content/cases/b.md", "---\ntitle: B\ndate: 2023-06-12\nprovince: 陕西\npair: 北京市\ntask: 劳务协作\n---\n")
        .file("content/cases/c.md", &case("C", "2023-06-12", "slug: b\n"))
        .file("content/pages/cases.md", "---\ntitle: 冲突\n---\n内容\n")
        .file("content/bulletins/1.md", "---\nyear: 2025\nissue: 1\ndate: 2025-03-31\ncases: [nope]\n---\n编者按。\n")
        .file("content/brands/x.md", "---\nname: X\nprovince: 贵州\ncategory: 制造\nworkers: 4.5万\n---\n介绍。\n")
        .file("content/stats/a.yaml", "- year: 2023\n  province: 贵州省\n  employed: 100\n  poverty_alleviated: 90\n  monitored: 20\n- year: 2023\n  province: 黔\n  workshops: 3\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/brands/x.md:5: workers: “4.5万”不是整数 (请写成 45000)",
            "错误 content/bulletins/1.md:5: cases: 收录的案例“nope”不存在 (请写 content/cases/ 下已有案例的 slug 或文件路径)",
            "错误 content/cases/a.md:1: title: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/a.md:2: 未知字段“titel” (是否为“title”？)",
            "错误 content/cases/a.md:3: date: 日期“2023/6/12”格式不对 (请写成 2023-06-12)",
            "错误 content/cases/a.md:4: province: 未知省份“贵洲” (是否为“贵州省”？)",
            "错误 content/cases/a.md:5: task: 未知任务“劳务” (可选：创新协作方式、劳务协作、劳务品牌、就业帮扶车间、以工代赈、技工教育培训、人才协作、考核评价)",
            "错误 content/cases/b.md: 网址名“b”重复，与 content/cases/c.md 相同 (请在其中一个文件中用 slug 字段另取名称)",
            "警告 content/cases/b.md: 没有摘要，正文也没有可用作摘要的段落 (请填写 summary（摘要）)",
            "警告 content/cases/b.md:5: pair: “北京市”与“陕西省”不在东西部协作结对关系中 (如属原有或市县级结对可忽略；否则请检查 结对 字段，或在 site.yaml 的 pairs 中补充)",
            "错误 content/cases/c.md:7: slug: 网址名“b”重复，与 content/cases/b.md 相同 (请在其中一个文件中用 slug 字段另取名称)",
            "错误 content/pages/cases.md: 输出地址 /dxbrs/cases/ 与 内置页面 /dxbrs/cases/ 冲突 (两个文件不能生成同一个网页，请修改 slug)",
            "错误 content/stats/a.yaml:3: employed: 脱贫人口 90 与监测对象 20 之和超过吸纳就业人数 100 (两者都是吸纳就业人数中的“其中”项，请核对)",
            "错误 content/stats/a.yaml:6: 贵州省 截至 2023-12-31 的记录重复，另见 content/stats/a.yaml:1 (每个地区每个截至日期只保留一条记录)",
        ]
    );
    assert!(!site.exists("index.html"), "nothing is written on failure");
}

#[test]
fn a_pair_short_name_gets_the_value_to_write_instead() {
    let with_pair = |pair: &str| {
        format!(
            "---\ntitle: T\ndate: 2023-06-12\nprovince: 贵州省\npair: {pair}\ntask: 劳务协作\n---\n正文。\n"
        )
    };
    let site = TestSite::new()
        .file("content/cases/a.md", &with_pair("粤黔"))
        .file("content/cases/b.md", &with_pair("黔粤"))
        .file("content/cases/c.md", &with_pair("闽宁"))
        // A two-character province name is still a province, not a short name.
        .file("content/cases/d.md", &with_pair("广东"));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/a.md:5: pair: “粤黔”是结对简称，结对字段应写对方省份 (请写成 pair: 广东省)",
            "错误 content/cases/b.md:5: pair: “黔粤”是结对简称，结对字段应写对方省份 (请写成 pair: 广东省)",
            "错误 content/cases/c.md:5: pair: “闽宁”是结对简称，结对字段应写对方省份 (请写成 pair: {east: 福建省, west: 宁夏回族自治区})",
        ]
    );
}

#[test]
fn failed_build_keeps_the_previous_site_and_stale_files_go() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("A", "2023-06-12", ""))
        .file("content/cases/old.md", &case("Old", "2022-01-01", ""));
    assert_eq!(site.build().code, 0);
    let before = all_files(&site.dir.join("public"));
    assert!(site.exists("cases/old/index.html"));

    let site = site.file("content/cases/bad.md", "---\ntitle: x\n---\n");
    assert_eq!(site.build().code, 1);
    assert_eq!(
        all_files(&site.dir.join("public")),
        before,
        "a failed build leaves public/ untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");

    std::fs::remove_file(site.dir.join("content/cases/bad.md")).unwrap();
    std::fs::remove_file(site.dir.join("content/cases/old.md")).unwrap();
    assert_eq!(site.build().code, 0);
    assert!(
        !site.exists("cases/old/index.html"),
        "stale pages are removed"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = std::env::temp_dir().join(format!("xiezuo-det-a-{}", std::process::id()));
    let b = std::env::temp_dir().join(format!("xiezuo-det-b-{}", std::process::id()));
    for out in [&a, &b] {
        let s = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
            .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(s.success());
    }
    assert_eq!(all_files(&a), all_files(&b));
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn pagination_slices_newest_first() {
    let mut site = TestSite::new();
    for i in 0..45 {
        site = site.file(
            &format!("content/cases/c{i:02}.md"),
            &case(
                &format!("案例{i:02}"),
                &format!("2023-01-{:02}", i % 28 + 1),
                "",
            ),
        );
    }
    assert_eq!(site.build().code, 0);
    let p1 = site.read("cases/index.html");
    let p3 = site.read("cases/page/3/index.html");
    assert!(!site.exists("cases/page/4/index.html"));
    assert!(!site.exists("cases/page/1/index.html"));
    assert_eq!(p1.matches("class=\"card\"").count(), 20);
    assert_eq!(p3.matches("class=\"card\"").count(), 5);
    assert!(p1.contains("href=\"/dxbrs/cases/page/2/\" rel=\"next\""));
    assert!(p3.contains("href=\"/dxbrs/cases/page/2/\" rel=\"prev\""));
    // Task pages paginate too.
    assert!(site.exists("tasks/labor-cooperation/page/3/index.html"));
}

#[test]
fn chinese_emphasis_soft_breaks_and_raw_html() {
    let site = TestSite::new().file(
        "content/cases/a.md",
        &case("A", "2023-06-12", "").replace(
            "正文第一段",
            "**注意：**本文\n东西部\n协作\n\n<script>alert(1)</script>\n\n正文第一段",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/cases/a.md:12: 正文中的 HTML 标签按原样文字显示"),
        "{}",
        run.stderr
    );
    let page = site.read("cases/a/index.html");
    assert!(
        page.contains("<strong>注意：</strong>本文东西部协作"),
        "{page}"
    );
    assert!(
        !page.contains("<script>alert"),
        "raw HTML never reaches the page"
    );
}

#[test]
fn bundles_key_aliases_bom_crlf_and_chinese_file_names() {
    let text = "\u{feff}---\r\n标题: 别名\r\n日期: 2023-06-12\r\n省份: 黔\r\n结对: {east: 廣東, west: 贵州}\r\n任务: labor-cooperation\r\n封面: cover.svg\r\n---\r\n![图](cover.svg)\r\n";
    let site = TestSite::new()
        .file("content/cases/bundle/index.md", text)
        .file(
            "content/cases/bundle/cover.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file(
            "content/cases/稳岗就业.md",
            &case("中文文件名", "2023-06-12", ""),
        );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("cases/bundle/index.html");
    assert!(page.contains("<h1>别名"));
    assert!(page.contains("src=\"/dxbrs/cases/bundle/cover.svg\""));
    assert!(
        page.contains("广东–贵州"),
        "pairs join with an en dash, which no font draws as 一"
    );
    assert!(site.exists("cases/bundle/cover.svg"));
    assert!(site.exists("cases/wen-gang-jiu-ye/index.html"));
}

#[test]
fn gbk_files_and_yaml_errors_name_file_and_line() {
    let site = TestSite::new()
        .bytes(
            "content/cases/gbk.md",
            &[b'-', b'-', b'-', b'\n', 0xB9, 0xF3, 0xD6, 0xDD, b'\n'],
        )
        .file("content/cases/y.md", "---\ntitle: a\n  bad: b\n---\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/gbk.md: 文件不是 UTF-8 编码（可能是 GBK） (请运行 xiezuo fix-encoding content/cases/gbk.md 转换为 UTF-8（原文件保留为 .bak），或用“另存为”保存为 UTF-8 编码)",
            "警告 content/cases/y.md: 没有摘要，正文也没有可用作摘要的段落 (请填写 summary（摘要）)",
            "错误 content/cases/y.md:1: date: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/y.md:1: province: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/y.md:1: task: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/y.md:3: 这一行的缩进或冒号位置不对 (每个字段顶格写成“字段: 值”；取值中含有“: ”时请给取值加引号)",
        ]
    );
}

#[test]
fn english_sites_get_english_messages_and_ui() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            "title: Demo\nbase_url: https://example.org/\nlanguage: en\n",
        )
        .file(
            "content/cases/a.md",
            "---\ntitle: A\ndate: 2023-06-12\nprovince: Guizhou\ntask: 劳务协作\n---\nText.\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/cases/a.md:4: province: unknown province `Guizhou` (did you mean `贵州省`?)"
        ),
        "{}",
        run.stderr
    );
    let site = site.file(
        "content/cases/a.md",
        "---\ntitle: A\ndate: 2023-06-12\nprovince: 贵州\ntask: 劳务协作\n---\nText.\n",
    );
    assert_eq!(site.build().code, 0);
    let page = site.read("cases/a/index.html");
    assert!(page.contains("<html lang=\"en\">") && page.contains("Case studies"));
}

#[test]
fn theme_overrides_file_by_file() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("A", "2023-06-12", ""))
        .file("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>自定义404</h1>{% endblock content %}")
        .file("themes/default/static/style.css", "body{color:red}");
    assert_eq!(site.build().code, 0);
    assert!(site.read("404.html").contains("自定义404"));
    assert_eq!(site.read("theme/style.css"), "body{color:red}");
    assert!(
        site.read("cases/a/index.html").contains("skip-link"),
        "other templates come from the built-in theme"
    );

    let broken = site.file("themes/default/templates/case.html", "{% if %}");
    let run = broken.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("themes/default/templates/case.html: 模板错误"),
        "{}",
        run.stderr
    );
}

#[test]
fn bulletins_carry_cases_in_order_with_masthead_and_distribution() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲案例", "2023-06-12", "source: 甲单位\n"))
        .file("content/cases/b.md", &case("乙案例", "2023-07-12", ""))
        .file("content/bulletins/2025-1.md", "---\nyear: 2025\nissue: 1\ntotal_issue: 37\ndate: 2025-03-31\ncases: [b, ../cases/a.md]\ndistribution: {报: 部领导, 送: 各省厅, 发: 各司局}\n---\n**编者按：**本期刊发两篇。\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("bulletins/2025-1/index.html");
    assert!(
        page.contains("2025年第1期") && page.contains("总第37期") && page.contains("2025年3月31日")
    );
    assert!(page.contains("东西部人社协作工作简报（2025年第1期）"));
    let (b, a) = (page.find("乙案例").unwrap(), page.find("甲案例").unwrap());
    assert!(b < a, "carried in the order written");
    let (bao, song, fa) = (
        page.find("报：").unwrap(),
        page.find("送：").unwrap(),
        page.find("发：").unwrap(),
    );
    assert!(bao < song && song < fa);
    assert!(site.read("bulletins/atom.xml").contains("2025年第1期"));
    assert!(
        site.read("cases/a/index.html")
            .contains("href=\"/dxbrs/bulletins/2025-1/\""),
        "a carried case links to its bulletin"
    );
}

#[test]
fn drafts_build_only_when_asked() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("A", "2023-06-12", ""))
        .file(
            "content/cases/d.md",
            &case("D", "2023-06-12", "draft: true\n"),
        );
    assert_eq!(site.build().code, 0);
    assert!(!site.exists("cases/d/index.html"));
    assert_eq!(site.run(&["build", "--drafts"]).code, 0);
    assert!(site.exists("cases/d/index.html"));
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = std::env::temp_dir().join(format!("xiezuo-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["init", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success());
    let build = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&build.stderr).trim(), "");
    assert!(dir.join("public/brands/example-brand/index.html").is_file());
    // The built site and the build cache stay out of version control.
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "public/"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "/.xiezuo-cache/"), "{ignore}");
    assert!(dir.join(".xiezuo-cache").is_dir());
    let again = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["init", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "init refuses to overwrite");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_with_two() {
    let site = TestSite::new();
    assert_eq!(site.run(&["build", "--nope"]).code, 2);
    let empty = std::env::temp_dir().join(format!("xiezuo-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("找不到网站配置文件 site.yaml"));
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn statistics_validation_messages() {
    let site = TestSite::new().file(
        "content/stats/a.yaml",
        "- year: 2023\n  province: 河北x\n  workshops: 3\n- year: 2023\n  province: 贵州\n  workshops: -5\n- year: 2023\n  province: 云南\n  workshops: 3.4万\n- year: 2022\n  as_of: 2023-06-30\n  province: 四川\n  employed: 7\n- province: 甘肃\n  year: 2023\n- year: 2023\n  province: 全国\n  workshops: 1.5\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/stats/a.yaml:2: province: 未知省份“河北x” (是否为“河北省”？)",
            "错误 content/stats/a.yaml:6: workshops: 数量不能为负数",
            "错误 content/stats/a.yaml:9: workshops: “3.4万”不是整数 (请写成 34000)",
            "错误 content/stats/a.yaml:10: year: 年份 2022 与截至日期 2023-06-30 不一致 (删去其中一个，或使两者一致)",
            "错误 content/stats/a.yaml:14: workshops: 记录中没有任何数量 (至少填写 workshops、employed、poverty_alleviated、monitored、relocation_site 之一)",
            "错误 content/stats/a.yaml:18: workshops: “1.5”不是整数 (请写阿拉伯数字，不带单位，例如 34000)",
        ]
    );
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn statistics_pages_charts_and_open_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("xiezuo-stats-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let loaded = xiezuo::resolve::load_site(root, &Default::default()).unwrap();

    // CSV: BOM for Excel, bilingual header, and the same numbers as the content.
    let bytes = std::fs::read(out.join("stats/workshops.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let rows = parse_csv(std::str::from_utf8(&bytes[3..]).unwrap());
    assert_eq!(rows[0][0], "地区 region");
    assert_eq!(rows[0][4], "车间数 workshops");
    assert_eq!(rows.len() - 1, loaded.site.stats.len());
    for (row, record) in rows[1..].iter().zip(&loaded.site.stats) {
        assert_eq!(row[2], record.as_of.to_string());
        assert_eq!(
            row[4],
            record.workshops.map(|n| n.to_string()).unwrap_or_default()
        );
        assert_eq!(
            row[5],
            record.employed.map(|n| n.to_string()).unwrap_or_default()
        );
        assert_eq!(
            row[6],
            record
                .poverty_alleviated
                .map(|n| n.to_string())
                .unwrap_or_default()
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stats/workshops.json")).unwrap()).unwrap();
    assert_eq!(
        json["records"].as_array().unwrap().len(),
        loaded.site.stats.len()
    );
    assert_eq!(json["national"][0]["basis"], "national");

    // Every chart is a figure named by its title, its values printed as text beside the bars;
    // the tile grid has 34 tiles, 台湾, 香港 and 澳门 included.
    for page in [
        "stats/index.html",
        "brands/index.html",
        "provinces/guizhou/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let figures: Vec<&str> = html
            .split("<figure class=\"")
            .skip(1)
            .map(|s| &s[..s.find("</figure>").unwrap()])
            .collect();
        assert!(!figures.is_empty(), "{page} has a chart");
        for figure in figures {
            let id = figure
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap();
            let title = figure
                .split(&format!("id=\"{id}\">"))
                .nth(1)
                .and_then(|s| s.split('<').next())
                .unwrap();
            assert!(!title.is_empty(), "{page}: a chart without a title");
            if figure.starts_with("tile-figure") {
                let tiles = figure.matches("<li class=\"tile ").count();
                assert_eq!(tiles, 34, "{page}: all 34 tiles, 台湾 香港 澳门 included");
                for name in ["台湾", "香港", "澳门"] {
                    assert!(figure.contains(&format!(">{name}<")), "{page}: {name}");
                }
            } else {
                let bars = figure.matches("<span class=\"chart-bar\">").count();
                let values = figure.matches("<span class=\"chart-value\">").count();
                assert!(
                    bars > 0 && bars == values,
                    "{page}: {title}: a value beside every bar"
                );
            }
        }
    }
    let stats = std::fs::read_to_string(out.join("stats/index.html")).unwrap();
    assert!(
        stats.contains("全国数据"),
        "the page says which basis the national figure uses"
    );
    assert!(
        stats.contains("<table"),
        "a data table sits beside the charts"
    );
    assert!(stats.contains("workshops.csv") && stats.contains("workshops.json"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn national_progress_falls_back_to_the_sum_of_provinces() {
    let site = TestSite::new()
        .file("content/stats/p.yaml", "- year: 2024\n  province: 贵州\n  workshops: 20000\n  poverty_alleviated: 300000\n- year: 2024\n  province: 云南\n  workshops: 15000\n  poverty_alleviated: 150000\n  monitored: 10000\n");
    assert_eq!(site.build().code, 0);
    let stats = site.read("stats/index.html");
    assert!(stats.contains("各省合计（2个省份）"), "{stats}");
    assert!(stats.contains("35,000"), "20000 + 15000 workshops");
    assert!(
        stats.contains("460,000"),
        "people = poverty_alleviated + monitored"
    );
}

#[test]
fn a_bulletin_citing_a_draft_is_told_it_is_a_draft() {
    let site = TestSite::new()
        .file(
            "content/cases/d.md",
            &case("D", "2023-06-12", "draft: true\n"),
        )
        .file(
            "content/bulletins/2025-1.md",
            "---\nyear: 2025\nissue: 1\ndate: 2025-03-31\ncases: [d]\n---\n编者按。\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/bulletins/2025-1.md:5: cases: 收录的案例“d”是草稿，本次不会发布 (请先把该案例的 draft 改为 false，或从 收录 中移除)"
        ]
    );
    assert_eq!(
        site.run(&["build", "--drafts"]).code,
        0,
        "with --drafts the draft is carried"
    );
}

/// Values of `href="…"` and `src="…"` attributes in an HTML page.
fn link_targets(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(&rest[..end]);
        }
    }
    out
}

fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn every_internal_link_of_the_demo_resolves_to_an_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("xiezuo-links-{}", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success());
    let mut checked = 0;
    for (page, bytes) in all_files(&out) {
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for target in link_targets(&html) {
            let Some(site_path) = target.strip_prefix("/dxbrs/") else {
                assert!(
                    !target.starts_with('/') && !target.starts_with('.'),
                    "{page}: {target} is outside the site's base path"
                );
                continue;
            };
            // Links to files with Chinese names are percent-encoded; the file is not.
            let site_path = percent_decoded(site_path.split(['#', '?']).next().unwrap());
            let file = if site_path.is_empty() || site_path.ends_with('/') {
                format!("{site_path}index.html")
            } else {
                site_path.to_owned()
            };
            assert!(out.join(&file).is_file(), "{page}: {target} leads nowhere");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_static_file_on_a_generated_output_is_an_error_naming_both() {
    let site = TestSite::new()
        .file("content/cases/a.md", &case("甲", "2024-01-05", ""))
        .file("content/static/stats/workshops.csv", "地区,车间数\n")
        .file("content/static/search/index.json", "{}")
        .file("content/static/theme/style.css", "body{}");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/static/search/index.json: 此文件会发布到 /dxbrs/search/index.json，与生成的文件 /dxbrs/search/ 冲突 (请给文件改名，或放到别的文件夹)",
            "错误 content/static/stats/workshops.csv: 此文件会发布到 /dxbrs/stats/workshops.csv，与生成的文件 /dxbrs/stats/workshops.csv 冲突 (请给文件改名，或放到别的文件夹)",
            "错误 content/static/theme/style.css: 此文件会发布到 /dxbrs/theme/style.css，与生成的文件 /dxbrs/theme/style.css 冲突 (请给文件改名，或放到别的文件夹)",
        ]
    );
}

/// A brand page shows a fixed handful of its province's other brands, those of its own category
/// first, and links to the province's page for them all: listing every one made each brand
/// page grow with the site.
#[test]
fn a_brand_shows_a_few_brands_of_its_province_and_links_to_all() {
    let mut site = TestSite::new();
    for n in 10..30 {
        let category = if n % 4 == 0 { "家政服务" } else { "制造" };
        site = site.file(
            &format!("content/brands/b{n}.md"),
            &format!("---\nname: 贵州品牌{n}\nslug: b{n}\nprovince: 贵州省\ncategory: {category}\n---\n介绍。\n"),
        );
    }
    site = site.file(
        "content/brands/other.md",
        "---\nname: 山西品牌\nslug: other\nprovince: 山西省\ncategory: 家政服务\n---\n介绍。\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("brands/b12/index.html");
    let section = &page[page.find("id=\"h-more\"").expect("a same-province section")..];
    let shown: Vec<&str> = section
        .match_indices("<strong>贵州品牌")
        .map(|(at, _)| &section[at + 8..at + 8 + "贵州品牌12".len()])
        .collect();
    // The other four of its category after it, wrapping round, then the others after it.
    assert_eq!(
        shown,
        ["贵州品牌16", "贵州品牌20", "贵州品牌24", "贵州品牌28"]
            .into_iter()
            .chain(["贵州品牌13", "贵州品牌14", "贵州品牌15", "贵州品牌17"])
            .collect::<Vec<_>>()
    );
    assert!(
        !section.contains("山西品牌"),
        "another province's brand is shown"
    );
    assert!(
        section.contains("href=\"/dxbrs/provinces/guizhou/#h-brands\">贵州省 · 全部劳务品牌（20）"),
        "no link to the province's brands: {section}"
    );
    let province = site.read("provinces/guizhou/index.html");
    assert_eq!(
        province.matches("<strong>贵州品牌").count(),
        20,
        "the province lists them all"
    );
    // A province with no more brands than a page shows needs no link.
    let mut small = TestSite::new();
    for n in 1..=3 {
        small = small.file(
            &format!("content/brands/s{n}.md"),
            &format!(
                "---\nname: 宁夏品牌{n}\nslug: s{n}\nprovince: 宁夏\ncategory: 制造\n---\n介绍。\n"
            ),
        );
    }
    assert_eq!(small.build().code, 0);
    let page = small.read("brands/s1/index.html");
    assert_eq!(page.matches("<strong>宁夏品牌").count(), 2);
    assert!(
        !page.contains("#h-brands"),
        "a link to brands already all shown"
    );
}

/// A brand page lists the newest cases of its province that name it or an alias, however many
/// cases share the first characters of its name (here the province's name).
#[test]
fn a_brand_lists_the_newest_cases_that_name_it() {
    let brand = "---\nname: 贵州护工\nslug: gzhg\nprovince: 贵州省\ncategory: 家政服务\naliases: [黔护]\n---\n介绍。\n";
    let mut site = TestSite::new().file("content/brands/gzhg.md", brand);
    for n in 1..=8 {
        let path = format!("content/cases/named-{n}.md");
        site = site.file(
            &path,
            &case(&format!("贵州护工第{n}例"), &format!("2024-01-0{n}"), ""),
        );
    }
    site = site.file(
        "content/cases/alias.md",
        &case("黔护培训", "2024-02-01", ""),
    );
    for n in 10..40 {
        let path = format!("content/cases/other-{n}.md");
        site = site.file(
            &path,
            &case(
                &format!("贵州其他经验{n}"),
                &format!("2024-03-{:02}", n - 9),
                "",
            ),
        );
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("brands/gzhg/index.html");
    let section = &page[page
        .find("id=\"h-cases\"")
        .expect("a related-cases section")..];
    let listed: Vec<&str> = [
        "黔护培训",
        "贵州护工第8例",
        "贵州护工第7例",
        "贵州护工第6例",
        "贵州护工第5例",
        "贵州护工第4例",
    ]
    .into_iter()
    .filter(|t| section.contains(t))
    .collect();
    assert_eq!(listed.len(), 6, "the six newest naming it: {listed:?}");
    for absent in ["贵州护工第3例", "贵州其他经验"] {
        assert!(!section.contains(absent), "{absent} is listed");
    }
}
