//! Layout in a real browser: one page of every kind, on the demo site and on a site written to
//! strain the theme (long names, a nine-column table, an unbroken URL, nine years of figures),
//! each at 390 px (a phone) and 1280 px, with and without 大字, checked in headless Chromium by
//! `tests/layout/check.js`: the page never scrolls sideways and every sideways scroller says so;
//! no text, SVG text included, under 12 px (15 px with 大字); no target under 24×24 px unless it
//! sits in a sentence, and the menu, the toggles and the search filters 44 px tall on phones; no
//! chart under another chart's heading; table headers that break only between words. The printed
//! bulletins are checked too: two A4 pages at most.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xiezuo-layout-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(site: &Path, out: &Path, base_url: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .arg("--base-url")
        .arg(base_url)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A site written to strain the layout, in the ways real content does.
fn write_strained_site(dir: &Path) {
    let years: String = (2016..=2024)
        .map(|y| {
            let n = 20_000 + (y - 2016) * 2_400;
            format!("- {{year: {y}, province: 全国, scope: 中西部22省份, workshops: {n}, employed: {}, poverty_alleviated: {}, monitored: 1200, source: 示例来源}}\n- {{year: {y}, province: 新疆生产建设兵团, workshops: {}, employed: 1234567, source: 兵团人力资源和社会保障局}}\n- {{year: {y}, province: 广西, workshops: {}, employed: 45678, poverty_alleviated: 20000, source: 广西壮族自治区人力资源和社会保障厅}}\n", n * 30, n * 12, n / 30, n / 12)
        })
        .collect();
    let wide_table = "| 地区 | 车间数（个） | 吸纳就业人数（人） | 吸纳脱贫人口和防止返贫监测对象就业人数（人） | 安置区配套车间（个） | 人均月工资（元） | 培训人次 | 同比增减 | 备注说明 |\n|---|--:|--:|--:|--:|--:|--:|--:|---|\n| 黔东南苗族侗族自治州 | 1,234 | 45,678 | 23,456 | 345 | 3,450 | 12,345 | +12.5% | 含居家式车间 |\n| 佛山市 | 56 | 7,890 | 1,234 | 0 | 5,600 | 2,345 | −3.2% | 协作共建 |\n";
    write(
        dir,
        &[
            (
                "content/site.yaml",
                "title: 某某省人力资源和社会保障厅东西部人社协作宣传专栏\nbase_url: https://www.example.gov.cn/zhuanlan/\npublisher: 某某省人力资源和社会保障厅\nsite_id_code: \"1234567890\"\nicp: 某ICP备12345678号-1\ncontact: 电话 0851-12345678，电子邮箱 dxbrs@example.gov.cn\n",
            ),
            (
                "content/cases/chang.md",
                &format!(
                    "---\ntitle: 深化东西部劳务协作推动脱贫劳动力稳岗就业和易地扶贫搬迁群众就近就业的实践与思考\nsubtitle: ——某某自治州与某某市携手共建“一站一队一库”劳务协作机制纪实\ndate: 2024-05-20\nprovince: 贵州\npair: 广东\ntask: 劳务协作\ntags: [稳岗就业, 务工服务站, 劳务经纪人, 易地扶贫搬迁, 家政服务村社对接, 用工信息对接平台, 技能培训, 东西部协作]\nsource: 某某自治州人力资源和社会保障局劳务协作科\n---\n某某州把劳务协作作为东西部协作的重点。详见 https://www.example.gov.cn/dxbrs/zhengcewenjian/2024/05/20/guanyujinyibutuijindongxiburenshexiezuodetongzhi.html 。\n\n## 背景\n\n正文。\n\n## 主要做法\n\n{wide_table}\n\n```\nwhile true; do echo 一行很长的代码一行很长的代码一行很长的代码一行很长的代码一行很长的代码; done\n```\n\n## 成效\n\n> 引用的一段话，来自务工人员的反馈。\n\n正文[^1]。\n\n[^1]: 数据来源：某某州人社局。\n"
                ),
            ),
            (
                "content/brands/hugong.md",
                "---\nname: 某某山护工\naliases: [某某护工, 某某山家政]\nprovince: 新疆生产建设兵团\ncategory: 养老护理\nskills: [养老护理员, 育婴员, 家政服务员, 病患陪护, 母婴护理]\nworkers: 1234567\nworkers_note: 截至2024年底累计开展培训并实现就业的人数（人），含季节性务工人员和居家灵活就业人员\nhonors: [2022年全国劳务品牌形象代言人, 2023年全国劳务品牌发展大会金牌劳务品牌, 省级优秀劳务品牌]\ndestinations: [北京, 天津, 上海, 江苏, 浙江, 广东]\n---\n品牌介绍。\n",
            ),
            (
                "content/bulletins/2024-9.md",
                "---\nyear: 2024\nissue: 9\ntotal_issue: 123\ndate: 2024-09-30\npublisher: 某某省东西部协作领导小组办公室（某某省人力资源和社会保障厅代章）\ncases: [chang]\ndistribution: {报: 省委、省政府领导同志, 送: 各市（州）人民政府、省直有关部门, 发: 各市（州）人力资源社会保障局}\n---\n**编者按：**本期刊发。\n",
            ),
            ("content/stats/all.yaml", &years),
            (
                "content/pages/about.md",
                "---\ntitle: 关于本专栏\n---\n本专栏为测试内容。\n",
            ),
        ],
    );
}

/// Pages of every kind on the demo, and the strained site's own.
fn pages(demo: &Path) -> Vec<String> {
    let tag = std::fs::read_dir(demo.join("tags"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.path().is_dir())
        .unwrap()
        .file_name()
        .into_string()
        .unwrap();
    let demo_pages = [
        "".to_owned(),
        "cases/".into(),
        "cases/page/2/".into(),
        "cases/qiandongnan-foshan/".into(),
        "cases/minning-zhen/".into(),
        "brands/".into(),
        "brands/lvliangshan-hugong/".into(),
        "bulletins/".into(),
        "bulletins/2025-1/".into(),
        "provinces/".into(),
        "provinces/guizhou/".into(),
        "pairs/".into(),
        "pairs/beijing-neimenggu/".into(),
        "tasks/".into(),
        "tasks/labor-cooperation/".into(),
        "tags/".into(),
        format!("tags/{tag}/"),
        "about/".into(),
        "stats/".into(),
        "search/".into(),
        "search/?q=%E5%8A%B3%E5%8A%A1%E5%8D%8F%E4%BD%9C".into(),
        "404.html".into(),
    ];
    let strained = [
        "",
        "cases/chang/",
        "brands/hugong/",
        "bulletins/2024-9/",
        "stats/",
        "provinces/guangxi/",
        "about/",
    ];
    demo_pages
        .iter()
        .map(|p| format!("/dxbrs/{p}"))
        .chain(strained.iter().map(|p| format!("/strained/{p}")))
        .collect()
}

#[test]
fn every_page_kind_fits_phones_and_desktops_with_and_without_large_text() {
    let Some(browser) = support::chromium() else {
        return;
    };
    let root = temp("pages");
    let server = xiezuo::serve::Server::bind(&root, 0).unwrap();
    let port = server.port().unwrap();
    let demo_site = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    build(
        &demo_site,
        &root.join("dxbrs"),
        &format!("http://127.0.0.1:{port}/dxbrs/"),
    );
    let strained = temp("strained-site");
    write_strained_site(&strained);
    build(
        &strained,
        &root.join("strained"),
        &format!("http://127.0.0.1:{port}/strained/"),
    );
    let config = serde_json::json!({
        "sizes": [[390, 844], [1280, 900]],
        "pages": pages(&root.join("dxbrs")),
    });
    let harness = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>layout</title></head><body><pre id=\"report\"></pre><script type=\"application/json\" id=\"pages\">{config}</script><script>{}</script></body></html>",
        include_str!("layout/check.js")
    );
    std::fs::write(root.join("harness.html"), harness).unwrap();
    std::thread::spawn(move || server.run());

    let dom = support::dump_dom(
        browser,
        600_000,
        &format!("http://127.0.0.1:{port}/harness.html"),
    );
    let report = dom
        .split("<pre id=\"report\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("no report in {dom}"));
    let report: Value =
        serde_json::from_str(&unescape(report)).unwrap_or_else(|e| panic!("{e}: {report}"));
    assert_eq!(report["done"], true, "{report}");
    let results = report["results"].as_array().unwrap();
    let expected = config["pages"].as_array().unwrap().len() * 2 * 2;
    assert_eq!(results.len(), expected, "every page, width and mode ran");

    let mut failures = Vec::new();
    let (mut texts, mut targets) = (0, 0);
    for r in results {
        texts += r["texts"].as_u64().unwrap();
        targets += r["targets"].as_u64().unwrap();
        for v in r["violations"].as_array().unwrap() {
            failures.push(format!(
                "{} @{} {}: {}: {}",
                r["url"].as_str().unwrap(),
                r["width"],
                r["mode"].as_str().unwrap(),
                v["rule"].as_str().unwrap(),
                v["detail"].as_str().unwrap()
            ));
        }
        // The header leaves a phone most of its screen (it took 244 px, 340 px with 大字).
        if r["width"] == 390 {
            let limit = if r["mode"] == "large" { 200 } else { 170 };
            let h = r["headerHeight"].as_u64().unwrap();
            if h > limit {
                failures.push(format!(
                    "{} @390 {}: header {h}px > {limit}px",
                    r["url"].as_str().unwrap(),
                    r["mode"].as_str().unwrap()
                ));
            }
        }
    }
    println!(
        "layout: {} page views, {texts} text nodes, {targets} targets checked",
        results.len()
    );
    // The checks must have looked at something on every view.
    assert!(results.iter().all(|r| r["texts"].as_u64().unwrap() > 20));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&strained);
}

/// Undoes the HTML escaping of `--dump-dom` inside the report's text.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Pages in a PDF, counted from its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

#[test]
fn bulletins_print_on_two_a4_pages() {
    let Some(browser) = support::chromium() else {
        return;
    };
    let root = temp("print");
    std::fs::create_dir_all(root.join("site")).unwrap();
    let server = xiezuo::serve::Server::bind(&root.join("site"), 0).unwrap();
    let port = server.port().unwrap();
    let demo_site = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    build(
        &demo_site,
        &root.join("site"),
        &format!("http://127.0.0.1:{port}/"),
    );
    std::thread::spawn(move || server.run());
    let loaded = xiezuo::resolve::load_site(&demo_site, &Default::default()).unwrap();
    for b in &loaded.site.bulletins {
        let pdf = root.join(format!("{}.pdf", b.slug()));
        let run = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("http://127.0.0.1:{port}/bulletins/{}/", b.slug()))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
        assert!(
            (1..=2).contains(&pages),
            "bulletin {} prints on {pages} pages",
            b.slug()
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
