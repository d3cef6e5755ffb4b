//! What the default theme shows, read from the built pages: trust marks and their warnings, the
//! logo, task descriptions, the table of contents, the wording of labels (no nested brackets,
//! no English on a Chinese site, pair names that cannot read as 一), and the demo's pages.
//! How pages lay out in a browser is `tests/layout.rs`.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestSite, case};

const BASE: &str =
    "title: 测试站\nbase_url: https://www.example.gov.cn/dxbrs/\npublisher: 测试主办单位\n";

#[test]
fn empty_trust_marks_are_one_warning_each_and_none_silences_them() {
    let site = TestSite::new().file("content/site.yaml", &format!("{BASE}icp: \"\"\n"));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "警告 content/site.yaml:1: site_id_code: 未填写网站标识码，政府网站的页脚须显示网站标识码 (请填写，如 site_id_code: \"1234567890\"；网站确实没有标识码时写 site_id_code: 无)",
            "警告 content/site.yaml:4: icp: 未填写ICP备案号，网站页脚须显示备案号 (请填写，如 icp: 京ICP备12345678号；作为门户网站的专栏等确实没有单独备案号时写 icp: 无)",
        ]
    );
    let site = site.file(
        "content/site.yaml",
        &format!("{BASE}site_id_code: 无\nicp: none\n"),
    );
    let run = site.build();
    assert_eq!(TestSite::diagnostics(&run), Vec::<String>::new());
    let home = site.read("index.html");
    assert!(!home.contains("网站标识码") && !home.contains("SiteIDCode"));
    assert!(!home.contains(">无<") && !home.contains(">none<"));

    let site = site.file(
        "content/site.yaml",
        &format!("{BASE}site_id_code: \"1234567890\"\nicp: 京ICP备12345678号\n"),
    );
    site.build();
    let home = site.read("index.html");
    assert!(home.contains("网站标识码：1234567890"));
    assert!(
        home.contains(
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">京ICP备12345678号</a>"
        )
    );
}

#[test]
fn the_logo_stands_in_the_header_with_the_site_name_as_its_text() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{}logo: static/emblem.png\n", support::SITE_YAML),
        )
        .bytes("content/static/emblem.png", &tiny_png());
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("index.html");
    assert!(
        home.contains(
            "<a class=\"site-brand\" href=\"/dxbrs/\"><img class=\"site-logo\" src=\"/dxbrs/emblem.png\" alt=\"测试站\"></a>"
        ),
        "{home}"
    );

    let site = site.file(
        "content/site.yaml",
        &format!("{}徽标: logo.svg\n", support::SITE_YAML),
    );
    let run = site.build();
    assert_eq!(run.code, 0);
    assert_eq!(
        TestSite::diagnostics(&run)[..1],
        [
            "警告 content/site.yaml:6: 徽标: 找不到徽标文件 static/logo.svg，页头改为显示网站名称 (请把徽标图片放在 content/static/ 下，并写它在 static/ 中的路径，如 logo: logo.svg)"
        ]
    );
    let home = site.read("index.html");
    assert!(home.contains("<span class=\"site-title\">测试站</span>"));
    assert!(!home.contains("site-logo"));
}

#[test]
fn task_pages_say_what_the_task_is() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!(
                "{}tasks:\n  - {{name: 劳务协作, slug: labor-cooperation}}\n  - {{name: 乡村工匠, slug: craftsmen, 说明: 培育乡村工匠，带动手工业就业。}}\n",
                support::SITE_YAML
            ),
        )
        .file("content/cases/a.md", &case("甲", "2024-01-02", ""));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("tasks/labor-cooperation/index.html");
    assert!(
        page.contains("<p class=\"lead task-description\">西部摸清有外出务工意愿的人员"),
        "a task of the notice keeps the notice's wording: {page}"
    );
    let page = site.read("tasks/craftsmen/index.html");
    assert!(page.contains("培育乡村工匠，带动手工业就业。"));
    let list = site.read("tasks/index.html");
    assert!(list.contains("<p>培育乡村工匠，带动手工业就业。</p>"));
    assert!(list.contains("<p>西部摸清有外出务工意愿的人员"));
}

#[test]
fn the_contents_number_only_headings_that_do_not_number_themselves() {
    let site = TestSite::new()
        .file(
            "content/cases/numbered.md",
            &case("甲", "2024-01-02", "")
                .replace("正文第一段", "## 一、摸清底数\n\n正文。\n\n## 二、精准对接\n\n正文。\n\n## 三、成效\n\n正文第一段"),
        )
        .file(
            "content/cases/plain.md",
            &case("乙", "2024-01-03", "")
                .replace("正文第一段", "## 背景\n\n正文。\n\n## 做法\n\n正文。\n\n## 成效\n\n正文第一段"),
        );
    assert_eq!(site.build().code, 0);
    let numbered = site.read("cases/numbered/index.html");
    assert!(numbered.contains("<ul class=\"toc-list\"><li class=\"toc-2\"><a href=\"#"));
    assert!(!numbered.contains("<ol class=\"toc-list\">"));
    let plain = site.read("cases/plain/index.html");
    assert!(plain.contains("<ol class=\"toc-list\"><li class=\"toc-2\">"));
}

#[test]
fn the_demo_reads_as_an_official_chinese_column() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("xiezuo-theme-demo-{}", std::process::id()));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success());
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    for page in support::all_files(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let (path, bytes) = page;
        let html = String::from_utf8(bytes).unwrap();
        // Labels never nest brackets (`52,000（截至2023年底…（人））`).
        assert!(!html.contains("））"), "{path}: nested brackets");
        // A pair's name cannot read as 北京一内蒙古.
        assert!(
            !html.contains("北京—内蒙古"),
            "{path}: em dash in a pair name"
        );
        if html.contains("<nav class=\"breadcrumb\"") {
            assert!(html.contains("当前位置：</span>"), "{path}: 当前位置");
        }
        // The logo, with the site's name as its text.
        assert!(
            html.contains(
                "<img class=\"site-logo\" src=\"/dxbrs/logo.svg\" alt=\"东西部人社协作经验交流\">"
            ),
            "{path}"
        );
    }
    let hub = read("provinces/guizhou/index.html");
    assert!(
        hub.contains("<p class=\"lead\">西部地区 · 简称“黔”</p>"),
        "{hub}"
    );
    assert!(!hub.contains("Guizhou"), "no English on a Chinese hub");
    let bulletin = read("bulletins/2025-1/index.html");
    assert!(
        !bulletin.contains("阅读全文"),
        "each carried case is linked by its title"
    );
    assert!(bulletin.contains("<h2 id=\"item-1-h\"><a href=\"/dxbrs/cases/"));
    let stats = read("stats/index.html");
    assert!(!stats.contains('▼'), "the table does not look sortable");
    assert!(stats.contains(
        "<h3 class=\"chart-title\" id=\"chart-people-t\">吸纳脱贫人口和监测对象就业（人）</h3>"
    ));
    assert!(stats.contains(">各省份车间数量（个）<"));
    let brand = read("brands/lvliangshan-hugong/index.html");
    assert!(brand.contains("<span class=\"figure\">52,000</span><span class=\"dd-note\">截至2023年底累计培训后实现就业（人）</span>"), "{brand}");
    let home = read("index.html");
    assert!(
        home.contains("<summary>订阅</summary>"),
        "the feeds are explained, not a bare link to XML"
    );
    assert!(home.contains("https://www.example.gov.cn/dxbrs/atom.xml"));
    let case = read("cases/qiandongnan-foshan/index.html");
    assert!(
        case.contains("<div class=\"article-tools\">") && case.contains("data-action=\"print\"")
    );
    assert!(
        case.contains("<ul class=\"toc-list\">"),
        "its headings number themselves"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn english_sites_get_english_charts_and_labels() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{}language: en\n", support::SITE_YAML),
        )
        .file("content/cases/a.md", &case("A", "2024-01-02", ""))
        .file(
            "content/stats/s.yaml",
            "- {year: 2023, province: 贵州, workshops: 2000}\n- {year: 2024, province: 贵州, workshops: 2100}\n",
        );
    assert_eq!(site.build().code, 0);
    let stats = site.read("stats/index.html");
    assert!(stats.contains("Provinces in 2024") && stats.contains(">Guizhou<"));
    assert!(stats.contains(">Hong Kong, Macao, Taiwan<"));
    let hub = site.read("provinces/guizhou/index.html");
    assert!(hub.contains("Guizhou · West"));
    let page = site.read("cases/a/index.html");
    assert!(page.contains("You are here") && page.contains("Guangdong–Guizhou"));
    assert!(!page.contains("当前位置"));
}

/// A real 40 × 20 PNG: photos are decoded when published, so a bare signature would not do.
fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(40, 20))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
