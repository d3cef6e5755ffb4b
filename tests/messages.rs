//! The messages authors read when their YAML or their keys are wrong, each by its full text:
//! the mistake named in their terms on its line, the rest of the file still checked, fields
//! named as written, no parser English on a Chinese site, and `fix-encoding` end to end.
#![allow(clippy::unwrap_used)]

mod support;

use support::TestSite;

/// A case file whose front matter is `yaml` (the other required fields follow unless given).
fn case(yaml: &str) -> String {
    format!("---\n{yaml}\n---\n正文。\n")
}

const REST: &str = "date: 2023-06-12\nprovince: 贵州\ntask: 劳务协作";

#[test]
fn a_full_width_colon_is_named_and_the_next_line_still_checked() {
    // The example: before, the colon hid the bad date until it was fixed.
    let site = TestSite::new().file(
        "content/cases/a.md",
        &case("标题：测试\n日期: 2023/6/12\n省份: 贵州\n任务: 劳务协作"),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/a.md:2: 第 2 行：“标题”后是全角冒号“：”，请改为半角冒号加空格 (应写成 标题: 测试)",
            "错误 content/cases/a.md:3: 日期: 日期“2023/6/12”格式不对 (请写成 2023-06-12)",
        ]
    );
}

#[test]
fn every_yaml_mistake_is_named_in_chinese_on_its_line() {
    let files = [
        ("space", format!("title:测试\n{REST}")),
        ("quote", format!("title: \"测试\n{REST}")),
        ("after", format!("title: \"山海\"同心\n{REST}")),
        (
            "bracket",
            format!("title: 甲\ntags: [稳岗就业, 务工\n{REST}"),
        ),
        (
            "tab",
            "title: 甲\n\tdate: 2023-06-12\nprovince: 贵州\ntask: 劳务协作".to_owned(),
        ),
        ("at", format!("title: @甲\n{REST}")),
        ("star", format!("title: *甲\n{REST}")),
        ("escape", format!("title: \"C:\\报告\"\n{REST}")),
        ("text", format!("title: 甲\n这是正文第一段\n{REST}")),
        ("dup", format!("title: 甲\n{REST}\ntitle: 乙")),
        ("indent", format!("title: 甲\n  subtitle: 乙\n{REST}")),
        ("dash", format!("title: - 甲\n{REST}")),
        ("comment", format!("title: 甲 #乙\n  丙\n{REST}")),
        ("twice", format!("标题：甲：乙\n{REST}")),
    ];
    let mut site = TestSite::new();
    for (name, yaml) in &files {
        site = site.file(&format!("content/cases/{name}.md"), &case(yaml));
    }
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/after.md:2: 引号后面还有文字：引号要括住整个取值 (整个取值放在一对引号里，例如 title: '“山海”同心'；文中的引号请用中文引号)",
            "错误 content/cases/at.md:2: 取值不能以“@”开头 (请给取值加引号，例如 \"@…\")",
            "错误 content/cases/bracket.md:3: 方括号或花括号没有成对 (列表写成 [甲, 乙]，括号要成对，且写在同一行)",
            "错误 content/cases/comment.md:2: 多行文字中间有 # 开头的注释 (请给整段文字加引号，或删去注释)",
            "错误 content/cases/dash.md:2: 取值不能以“-”开头 (请给取值加引号，例如 \"-…\")",
            "错误 content/cases/dup.md:6: title: 字段“title”与第 2 行的“title”重复 (同一字段只能写一次，请删去其中一行)",
            "错误 content/cases/escape.md:2: 双引号中的反斜杠“\\”会被当作转义符 (请改用单引号，或把 \\ 写成 \\\\)",
            "错误 content/cases/indent.md:3: 这一行的缩进或冒号位置不对 (每个字段顶格写成“字段: 值”；取值中含有“: ”时请给取值加引号)",
            "错误 content/cases/quote.md:2: 引号没有成对 (请补上另一半引号，或去掉引号)",
            "错误 content/cases/space.md:2: 第 2 行：“title”后的冒号后面缺少空格 (应写成 title: 测试)",
            "错误 content/cases/star.md:2: 取值以“*”开头，会被当作引用 (请给取值加引号，例如 \"*…\")",
            "错误 content/cases/tab.md:3: 这一行有制表符（Tab） (请用空格缩进，不要用 Tab 键)",
            "错误 content/cases/text.md:3: 这一行不是“字段: 值”的写法 (头部信息每行写一个字段，例如 标题: 山海同心；正文请写在第二个 --- 之后)",
            "错误 content/cases/twice.md:2: 第 2 行：“标题”后是全角冒号“：”，请改为半角冒号加空格 (应写成 标题: 甲：乙)",
        ],
        "one message per mistake: no English, and no field reported missing because its line was unreadable"
    );
}

#[test]
fn unknown_keys_get_the_nearest_key_in_the_authors_script_or_the_list() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &case("标题: 甲\n标提: 乙\n发布日期: 2023-06-12\n省份: 贵州\n作者: 张三\ntitel: x\nauthor: y"),
        )
        .file(
            "content/brands/b.md",
            "---\n名称: 乙\n省份: 山西\n类别: 家政服务\n就业人数: 100\n---\n介绍。\n",
        );
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/brands/b.md:5: 未知字段“就业人数” (是否为“从业人数”？)",
            "错误 content/cases/a.md:1: 任务: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/a.md:1: 日期: 缺少必填字段 (请补上这一字段)",
            "错误 content/cases/a.md:3: 未知字段“标提” (是否为“标题”？)",
            "错误 content/cases/a.md:4: 未知字段“发布日期” (是否为“日期”？)",
            "错误 content/cases/a.md:6: 未知字段“作者” (可用的字段：标题、副标题、日期、省份、结对、任务、标签、来源、摘要、封面、草稿、网址名)",
            "错误 content/cases/a.md:7: 未知字段“titel” (是否为“title”？)",
            "错误 content/cases/a.md:8: 未知字段“author” (可用的字段：title、subtitle、date、province、pair、task、tags、source、summary、cover、draft、slug)",
        ],
        "missing fields of a file written in Chinese are named in Chinese"
    );
}

#[test]
fn fields_are_named_as_written_in_site_yaml_and_statistics_too() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            "标题: 测试站\n网址: https://www.example.gov.cn/dxbrs/\n语言: 中文\n目标: {车间数: 0}\n",
        )
        .file(
            "content/stats/a.yaml",
            "- 年份: 2023\n  省份: 贵洲\n  吸纳就业: 10\n",
        );
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/site.yaml:4: 目标: 目标值应为 1 至 1000000000 之间的整数 (例如 workshops: 30000)",
            "错误 content/stats/a.yaml:2: 省份: 未知省份“贵洲” (是否为“贵州省”？)",
        ]
    );
}

#[test]
fn statistics_files_that_are_no_list_say_so_and_are_still_checked() {
    let site = TestSite::new()
        .file(
            "content/stats/one.yaml",
            "year: 2023\nprovince: 贵州\nworkshops: 3.4万\n",
        )
        .file(
            "content/stats/items.yaml",
            "- year: 2022\n  province：贵州\n  workshops: 10\n- 2024\n",
        )
        .file("content/stats/text.yaml", "就业帮扶车间统计\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/stats/items.yaml:2: 第 2 行：“province”后是全角冒号“：”，请改为半角冒号加空格 (应写成 province: 贵州)",
            "错误 content/stats/items.yaml:4: 这一项不是“字段: 值”写成的记录 (每条记录以“- ”开头，其后每行一个字段，例如：- year: 2023)",
            "错误 content/stats/one.yaml:1: 统计文件应为记录列表，这里只写了一条记录，没有以“- ”开头 (在第一个字段前加“- ”，其余字段各缩进两个空格，例如：- year: 2023)",
            "错误 content/stats/one.yaml:3: workshops: “3.4万”不是整数 (请写成 34000)",
            "错误 content/stats/text.yaml:1: 统计文件应为记录列表 (每条记录以“- ”开头，例如 - year: 2023)",
        ]
    );
    // The column counts from the line's start, list indentation included.
    let json = site.run(&["check", "--format", "json"]);
    let first: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(11))
    );
}

#[test]
fn a_second_document_in_site_yaml_is_named() {
    let site = TestSite::new().file(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://www.example.gov.cn/dxbrs/\n---\npublisher: 某厅\n",
    );
    assert_eq!(
        TestSite::diagnostics(&site.build()),
        vec![
            "错误 content/site.yaml:3: 文件中多了一行 ---，后面的内容会被当作另一个文件 (删去多余的 --- 行)"
        ]
    );
}

#[test]
fn an_english_site_hears_the_same_in_english() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            "title: Demo\nbase_url: https://example.org/\nlanguage: en\nsite_id_code: none\nicp: none\n",
        )
        .file(
            "content/cases/a.md",
            &case("title：Roads\ndate: 2023/6/12\nprovince: 贵州\ntask: 劳务协作\nauthor: x\nsubtitle: \"a"),
        )
        .file(
            "content/stats/one.yaml",
            "year: 2023\nprovince: 贵州\nworkshops: 1\n",
        );
    assert_eq!(
        TestSite::diagnostics(&site.build()),
        vec![
            "错误 content/cases/a.md:2: line 2: `title` is followed by a full-width colon `：`; write a half-width colon and a space (write title: Roads)",
            "错误 content/cases/a.md:3: date: date `2023/6/12` is not in YYYY-MM-DD form (write 2023-06-12)",
            "错误 content/cases/a.md:6: unknown key `author` (known keys: title, subtitle, date, province, pair, task, tags, source, summary, cover, draft, slug)",
            "错误 content/cases/a.md:7: YAML syntax error: unclosed quote (close the quote, or remove it)",
            "错误 content/stats/one.yaml:1: a statistics file must be a list of records; this one holds a single record that does not start with `- ` (put `- ` before the first field and indent the other fields by two spaces, e.g. - year: 2023)",
        ]
    );
}

#[test]
fn a_gbk_file_is_fixed_by_the_command_its_error_names() {
    let text = support::case("黔货出山", "2023-06-12", "");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let site = TestSite::new().bytes("content/cases/gbk.md", &gbk);
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/cases/gbk.md: 文件不是 UTF-8 编码（可能是 GBK） (请运行 xiezuo fix-encoding content/cases/gbk.md 转换为 UTF-8（原文件保留为 .bak），或用“另存为”保存为 UTF-8 编码)"
        ]
    );
    let fix = site.run(&["fix-encoding", "content/cases/gbk.md", "content/site.yaml"]);
    assert_eq!(fix.code, 0, "{}", fix.stderr);
    assert_eq!(
        fix.stdout,
        "已转换 content/cases/gbk.md（GBK/GB18030 → UTF-8），原文件保存为 content/cases/gbk.md.bak / converted content/cases/gbk.md (GBK/GB18030 → UTF-8), original kept as content/cases/gbk.md.bak\n\
         content/site.yaml 已是 UTF-8，未改动 / content/site.yaml is UTF-8 already, unchanged\n"
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The backup is the old file: it is never published.
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "警告 content/cases/gbk.md.bak: 备份文件（.bak）不会发布 (这是转换编码前的原文件；确认转换后的文件无误后可删除)"
        ]
    );
    assert!(site.read("cases/gbk/index.html").contains("黔货出山"));
    assert!(!site.exists("cases/gbk.md.bak"));
    // A second run keeps the first backup and says why.
    std::fs::write(site.dir.join("content/cases/gbk.md"), &gbk).unwrap();
    let again = site.run(&["fix-encoding", "content/cases/gbk.md", "content/none.md"]);
    assert_eq!(again.code, 2);
    let lines: Vec<&str> = again.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "错误 content/cases/gbk.md：已有备份文件 content/cases/gbk.md.bak，为免覆盖原件，未转换；请先移走它 / error content/cases/gbk.md: content/cases/gbk.md.bak exists; not converted, so the earlier original is not overwritten: move it away first"
    );
    assert!(
        lines[1].starts_with("错误 / error: content/none.md: "),
        "{}",
        lines[1]
    );
}
