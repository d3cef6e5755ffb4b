//! Values and outputs a careless or hostile author can break: counts beyond their bound, sums
//! that would wrap, bulletins that used to vanish, a key beside its alias, control characters
//! in feeds and terminals, formula cells in the CSV, and very large front matter and bodies.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestSite, all_files, case};

const BRAND: &str =
    "---\nname: 吕梁山护工\nprovince: 山西\ncategory: 家政服务\nworkers: WORKERS\n---\n介绍。\n";

fn stats_record(province: &str, workshops: &str) -> String {
    format!("- year: 2023\n  province: {province}\n  workshops: {workshops}\n")
}

#[test]
fn counts_beyond_the_bound_are_content_errors() {
    let stats = [
        stats_record("贵州", "9223372036854775807"),
        stats_record("云南", "9223372036854775808"),
        stats_record("四川", "1e30"),
        stats_record("甘肃", "1000000001"),
        stats_record("青海", "1000000000"),
    ]
    .concat();
    let site = TestSite::new().file("content/stats/a.yaml", &stats).file(
        "content/brands/lvliang.md",
        &BRAND.replace("WORKERS", "9223372036854775808"),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/brands/lvliang.md:5: workers: 数量 9223372036854775808 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)",
            "错误 content/stats/a.yaml:3: workshops: 数量 9223372036854775807 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)",
            "错误 content/stats/a.yaml:6: workshops: 数量 9223372036854775808 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)",
            "错误 content/stats/a.yaml:9: workshops: 数量 1e+30 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)",
            "错误 content/stats/a.yaml:12: workshops: 数量 1000000001 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)",
        ]
    );
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn four_records_of_i64_max_do_not_wrap_the_headline() {
    let stats: String = ["贵州", "云南", "四川", "甘肃"]
        .iter()
        .map(|p| stats_record(p, "9223372036854775807"))
        .collect();
    let site = TestSite::new().file("content/stats/a.yaml", &stats);
    let run = site.build();
    assert_eq!(run.code, 1);
    let lines = TestSite::diagnostics(&run);
    assert_eq!(lines.len(), 4, "{lines:?}");
    for (line, record) in lines.iter().zip([3, 6, 9, 12]) {
        assert_eq!(
            line,
            &format!(
                "错误 content/stats/a.yaml:{record}: workshops: 数量 9223372036854775807 超过上限 1000000000 (请核对数字，数量不能大于 1000000000（十亿）)"
            )
        );
    }
}

#[test]
fn the_largest_counts_sum_exactly() {
    let stats: String = ["贵州", "云南", "四川", "甘肃"]
        .iter()
        .map(|p| stats_record(p, "1000000000"))
        .collect();
    let site = TestSite::new().file("content/stats/a.yaml", &stats);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&site.read("stats/workshops.json")).unwrap();
    assert_eq!(json["national"][0]["counts"]["workshops"], 4_000_000_000u64);
    assert!(site.read("index.html").contains("4,000,000,000"));
}

#[test]
fn targets_beyond_the_bound_are_content_errors() {
    let site = TestSite::new().file(
        "content/site.yaml",
        &format!(
            "{}targets:\n  workshops: 9223372036854775808\n",
            support::SITE_YAML
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/site.yaml:6: targets: 目标值应为 1 至 1000000000 之间的整数 (例如 workshops: 30000)"
        ]
    );
}

#[test]
fn bulletins_with_wrong_numbers_are_reported_not_dropped() {
    let bulletin = |year: &str, issue: &str, extra: &str| {
        format!("---\nyear: {year}\nissue: {issue}\ndate: 2025-03-31\n{extra}---\n编者按。\n")
    };
    let site = TestSite::new()
        .file("content/bulletins/negative.md", &bulletin("2025", "-1", ""))
        .file("content/bulletins/zero.md", &bulletin("2025", "0", ""))
        .file("content/bulletins/huge.md", &bulletin("2025", "100000", ""))
        .file(
            "content/bulletins/float.md",
            &bulletin("2025", "1e30", "total_issue: -3\n"),
        )
        .file(
            "content/bulletins/chinese.md",
            &bulletin("二〇二五", "2", ""),
        )
        .file("content/bulletins/far.md", &bulletin("99999", "3", ""))
        .file("content/bulletins/text.md", &bulletin("2025", "第4期", ""));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/bulletins/chinese.md:2: year: 年份“二〇二五”无效 (请写成 year: 2025)",
            "错误 content/bulletins/far.md:2: year: 年份“99999”无效 (请写 1900 至 2200 之间的阿拉伯数字，例如 year: 2025)",
            "错误 content/bulletins/float.md:3: issue: 期号 1e+30 超出范围 (期号应为 1 至 99999 之间的整数，例如 issue: 1)",
            "错误 content/bulletins/float.md:5: total_issue: 期号 -3 超出范围 (期号应为 1 至 99999 之间的整数，例如 issue: 1)",
            "错误 content/bulletins/huge.md:3: issue: 期号 100000 超出范围 (期号应为 1 至 99999 之间的整数，例如 issue: 1)",
            "错误 content/bulletins/negative.md:3: issue: 期号 -1 超出范围 (期号应为 1 至 99999 之间的整数，例如 issue: 1)",
            "错误 content/bulletins/text.md:3: issue: “第4期”不是整数 (请写成 4)",
            "错误 content/bulletins/zero.md:3: issue: 期号 0 超出范围 (期号应为 1 至 99999 之间的整数，例如 issue: 1)",
        ]
    );
}

#[test]
fn statistics_years_out_of_range_are_reported() {
    let site = TestSite::new().file(
        "content/stats/a.yaml",
        "- year: 3000\n  province: 贵州\n  workshops: 3\n- year: 二〇二三\n  province: 云南\n  workshops: 4\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/stats/a.yaml:1: year: 年份“3000”无效 (请写 1900 至 2200 之间的阿拉伯数字，例如 year: 2025)",
            "错误 content/stats/a.yaml:4: year: 年份“二〇二三”无效 (请写成 year: 2023)",
        ]
    );
}

#[test]
fn a_key_beside_its_alias_is_an_error_naming_both() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &case("山海同心", "2023-06-12", "标题: 另一个标题\n"),
        )
        .file(
            "content/stats/a.yaml",
            "- year: 2023\n  province: 贵州\n  workshops: 3\n  车间数: 4\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/a.md:7: title: 字段“标题”与第 2 行的“title”重复 (英文字段名和中文别名是同一字段，只保留一个)",
            "错误 content/stats/a.yaml:4: workshops: 字段“车间数”与第 3 行的“workshops”重复 (英文字段名和中文别名是同一字段，只保留一个)",
        ]
    );
}

/// Characters XML 1.0 forbids, and which no HTML or JSON output should carry.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

#[test]
fn control_characters_never_reach_an_output() {
    let hostile = "甲\u{b}乙\u{c}丙\u{1b}[31m丁\u{fffe}戊\u{7}";
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &format!(
                "---\ntitle: \"控制\\v字符\\f标题\\e[31m\\uFFFE\"\ndate: 2023-06-12\nprovince: 贵州省\ntask: 劳务协作\ntags: [\"标\\e签\"]\nsource: \"来\\v源\"\n---\n{hostile}\n\n## 小节{hostile}\n\n正文 {hostile}\n"
            ),
        )
        .file(
            "content/bulletins/1.md",
            &format!("---\nyear: 2025\nissue: 1\ndate: 2025-03-31\ntitle: \"简报\\e[2J\"\n---\n编者按{hostile}\n"),
        )
        .file(
            "content/pages/about.md",
            &format!("---\ntitle: 关于\\x\n---\n{hostile}\n"),
        )
        .file(
            "content/stats/a.yaml",
            "- year: 2023\n  province: 贵州\n  workshops: 3\n  source: \"来源\\v\\e\"\n",
        );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for feed in ["atom.xml", "bulletins/atom.xml", "sitemap.xml"] {
        let text = site.read(feed);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
    }
    assert!(
        site.read("atom.xml")
            .contains("<title>控制字符标题[31m</title>")
    );
    serde_json::from_str::<serde_json::Value>(&site.read("stats/workshops.json")).unwrap();
    // Every text output; the search index's .bin shards are binary and may hold any byte.
    for (path, bytes) in all_files(&site.dir.join("public")) {
        if path.ends_with(".bin") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            panic!("{path} carries U+{:04X}", c as u32);
        }
    }
}

#[test]
fn formula_cells_in_the_csv_are_neutralised() {
    let record = |province: &str, source: &str| {
        format!("- year: 2023\n  province: {province}\n  workshops: 3\n  source: '{source}'\n")
    };
    let site = TestSite::new().file(
        "content/stats/a.yaml",
        &[
            record("贵州", "=HYPERLINK(\"http://evil.example/\",\"点击\")"),
            record("云南", "+1+1"),
            record("四川", "-2+3"),
            record("甘肃", "@SUM(A1:A9)"),
            record("青海", "人社厅"),
        ]
        .concat(),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = site.read("stats/workshops.csv");
    let rows: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    // After region, year, as_of, an empty scope, 3 workshops and four empty counts: the source.
    let sources: Vec<&str> = rows
        .iter()
        .map(|r| r.split_once(",,3,,,,,").unwrap().1)
        .collect();
    assert_eq!(
        sources,
        vec![
            "\"'-2+3\",",
            "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点击\"\")\",",
            "\"'+1+1\",",
            "\"'@SUM(A1:A9)\",",
            "人社厅,",
        ]
    );
}

#[test]
fn a_diagnostic_quoting_escape_sequences_prints_no_raw_escape() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\ndate: 2023-06-12\nprovince: \"\\e[31m贵州\"\ntask: 劳务协作\n---\n正文。\n",
        )
        .file(
            "content/cases/\u{1b}[2Jb.md",
            "---\ndate: 2023-06-12\nprovince: 贵州\ntask: 劳务协作\n---\n正文。\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/\\u{1b}[2Jb.md: 名称含有不可见的控制字符 U+001B，会使名称显示得与实际不同 (请重命名，只用可见字符)",
            "错误 content/cases/a.md:4: province: 未知省份“[31m贵州” (是否为“贵州省”？)",
        ]
    );
}

#[test]
fn a_hundred_thousand_tags_load_correctly() {
    let tags: Vec<String> = (0..100_000).map(|i| format!("标签{i}")).collect();
    // Every tag twice, so de-duplication is exercised at this size too.
    let list = format!("[{}, {}]", tags.join(", "), tags.join(", "));
    let site = TestSite::new().file(
        "content/cases/a.md",
        &case("甲", "2023-06-12", &format!("tags: {list}\n")),
    );
    let loaded = xiezuo::resolve::load_site(&site.dir, &Default::default()).unwrap();
    let case = &loaded.site.cases[0];
    assert_eq!(case.tags.len(), 100_000);
    assert_eq!(case.tags[99_999], "标签99999");
    let taxonomy = &loaded.site.taxonomies.tags;
    assert_eq!(taxonomy.len(), 100_000);
    let slugs: std::collections::HashSet<&str> = taxonomy.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs.len(), 100_000, "every tag has its own slug");
}

#[test]
fn a_hundred_thousand_lines_of_body_load_correctly() {
    let body: String = (0..100_000).map(|i| format!("<b>第{i}行</b>\n")).collect();
    let site = TestSite::new().file(
        "content/cases/a.md",
        &format!("---\ntitle: 甲\ndate: 2023-06-12\nprovince: 贵州\ntask: 劳务协作\nsummary: 摘要\n---\n{body}"),
    );
    let loaded = xiezuo::resolve::load_site(&site.dir, &Default::default()).unwrap();
    assert!(loaded.site.cases[0].body.html.contains("第99999行"));
    // One raw-HTML warning per line, each on its own line of the file.
    assert_eq!(loaded.warnings.len(), 100_000);
    assert_eq!(loaded.warnings[99_999].line, Some(100_007));
}

#[test]
fn english_sites_word_the_limits_in_english() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{}language: en\n", support::SITE_YAML),
        )
        .file(
            "content/brands/lvliang.md",
            &BRAND.replace("WORKERS", "1e30"),
        )
        .file(
            "content/bulletins/1.md",
            "---\nyear: 二〇二五\nissue: 0\n年份: 2025\ndate: 2025-03-31\n---\n编者按。\n",
        );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/brands/lvliang.md:5: workers: count 1e+30 exceeds the limit 1000000000 (check the figure; counts are at most 1000000000 (one billion))",
            "错误 content/bulletins/1.md:2: year: invalid year `二〇二五` (write year: 2025)",
            "错误 content/bulletins/1.md:3: issue: issue number 0 is out of range (write an integer from 1 to 99999, e.g. issue: 1)",
            "错误 content/bulletins/1.md:4: year: `年份` repeats `year` of line 2 (an English key and its Chinese alias are the same field: keep one)",
        ]
    );
}

#[test]
fn a_target_beside_its_alias_and_an_empty_statistics_file_are_reported() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!(
                "{}targets: {{workshops: 1, 车间数: 2}}\n",
                support::SITE_YAML
            ),
        )
        .file("content/stats/empty.yaml", "# 2025 年数据待报送\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/site.yaml:6: targets: 字段“车间数”与第 6 行的“workshops”重复 (英文字段名和中文别名是同一字段，只保留一个)",
            "警告 content/stats/empty.yaml: 统计文件中没有任何记录，不会发布任何数据 (按“- year: 2024”开头逐条填写记录，或删除此文件)",
        ]
    );
}
