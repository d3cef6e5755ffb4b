//! The text `xiezuo new` writes: every field of the kind on its own line, with what the
//! command line gave, a comment saying what the field takes (in the site's language), and a
//! body to replace. Values go through `yaml::scalar`, so a title such as `2025` or `甲: 乙`
//! reads back as the text typed.

use crate::config::SiteConfig;
use crate::problem::Lang;

use super::{Kind, Values};

/// One front-matter line: key, value as YAML, and its comment (per language).
type Line = (&'static str, String, &'static str, String);

/// The text of the new file: front matter with a comment on every field, and a body to
/// replace.
pub(super) fn front_matter(kind: Kind, v: &Values, config: &SiteConfig) -> String {
    let zh = config.language == Lang::Zh;
    let text = |s: &Option<String>| s.as_deref().map(crate::yaml::scalar).unwrap_or_default();
    let name = |s: Option<&str>| s.map(crate::yaml::scalar).unwrap_or_default();
    let tasks = config
        .tasks
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(if zh { "、" } else { ", " });
    let date = v.date.to_string();
    let lines: Vec<Line> = match kind {
        Kind::Case => vec![
            (
                "title",
                text(&v.title),
                "标题（必填）",
                "title (required)".into(),
            ),
            (
                "subtitle",
                String::new(),
                "副标题，可不填",
                "subtitle, optional".into(),
            ),
            (
                "date",
                date,
                "日期（必填），写成 YYYY-MM-DD",
                "date (required), YYYY-MM-DD".into(),
            ),
            (
                "province",
                name(v.province),
                "报送省份（必填）",
                "reporting province (required)".into(),
            ),
            (
                "pair",
                name(v.pair),
                "结对省份，可不填，如 广东省",
                "partner province, optional, e.g. 广东省".into(),
            ),
            (
                "task",
                text(&v.task),
                "",
                format!("task (required): {tasks}"),
            ),
            (
                "tags",
                "[]".into(),
                "标签，如 [稳岗就业, 务工服务站]",
                "tags, e.g. [稳岗就业, 务工服务站]".into(),
            ),
            (
                "source",
                String::new(),
                "来源：报送单位，如 贵州省人力资源和社会保障厅",
                "source: the reporting office".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要：一句话概括；不填则取正文第一段",
                "summary: one sentence; default: the first paragraph".into(),
            ),
            (
                "cover",
                String::new(),
                "封面图片，相对于本文件，如 cover.jpg；可不填",
                "cover image relative to this file, e.g. cover.jpg; optional".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Brand => vec![
            (
                "name",
                text(&v.title),
                "名称（必填）",
                "name (required)".into(),
            ),
            (
                "aliases",
                "[]".into(),
                "别称，可用于搜索，如 [吕梁护工]",
                "other names, searchable".into(),
            ),
            (
                "province",
                name(v.province),
                "省份（必填）",
                "province (required)".into(),
            ),
            ("city", String::new(), "城市，如 吕梁市", "city".into()),
            ("county", String::new(), "区县", "county".into()),
            (
                "category",
                text(&v.category),
                "类别（必填），如 餐饮、家政服务、养老护理、建筑、制造",
                "category (required), e.g. 家政服务".into(),
            ),
            (
                "skills",
                "[]".into(),
                "工种，如 [养老护理员, 育婴员]",
                "trades, e.g. [养老护理员, 育婴员]".into(),
            ),
            (
                "workers",
                String::new(),
                "从业人数，写阿拉伯数字，如 45524",
                "workers, digits, e.g. 45524".into(),
            ),
            (
                "workers_note",
                String::new(),
                "人数说明：人还是人次、当前还是累计",
                "what the number counts".into(),
            ),
            ("honors", "[]".into(), "荣誉", "honours".into()),
            (
                "destinations",
                "[]".into(),
                "输入地，如 [北京市, 天津市]",
                "destination provinces".into(),
            ),
            (
                "pair",
                name(v.pair),
                "结对省份（协作品牌可填），如 天津市",
                "partner province of a co-brand".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要：一句话介绍；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "cover",
                String::new(),
                "封面图片，相对于本文件；可不填",
                "cover image relative to this file; optional".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Bulletin => vec![
            (
                "year",
                v.year.to_string(),
                "年份（必填）",
                "year (required)".into(),
            ),
            (
                "issue",
                v.issue.map(|i| i.to_string()).unwrap_or_default(),
                "期号（必填）：本年第几期，同一年不能重复",
                "issue (required), unique within the year".into(),
            ),
            (
                "total_issue",
                String::new(),
                "总期号，可不填",
                "running number, optional".into(),
            ),
            (
                "date",
                date,
                "日期（必填）：印发日期，写成 YYYY-MM-DD",
                "date of issue (required), YYYY-MM-DD".into(),
            ),
            (
                "publisher",
                String::new(),
                "编印单位，不填则用网站主办单位",
                "publisher; default: the site's".into(),
            ),
            (
                "title",
                text(&v.title),
                "标题，不填则为“东西部人社协作工作简报（某年第某期）”",
                "title; default: the bulletin's name and number".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "cases",
                "[]".into(),
                "收录的典型经验：网址名或文件路径，如 [qiandongnan-foshan]",
                "cases carried: slugs or paths".into(),
            ),
            (
                "distribution",
                "{}".into(),
                "报送范围，如 {报: 部领导, 送: 各省级人力资源社会保障部门}",
                "distribution, e.g. {报: …, 送: …}".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
        Kind::Page => vec![
            (
                "title",
                text(&v.title),
                "标题（必填）",
                "title (required)".into(),
            ),
            (
                "date",
                String::new(),
                "日期，可不填，写成 YYYY-MM-DD",
                "date, optional, YYYY-MM-DD".into(),
            ),
            (
                "summary",
                String::new(),
                "摘要；不填则取正文第一段",
                "summary; default: the first paragraph".into(),
            ),
            (
                "draft",
                "false".into(),
                "草稿：改为 true 则暂不发布",
                "draft: true keeps it unpublished".into(),
            ),
        ],
    };
    let task_zh = format!("任务（必填），可选：{tasks}");
    let mut out = String::from("---\n");
    let written: Vec<(String, String)> = lines
        .into_iter()
        .map(|(key, value, comment_zh, comment_en)| {
            let line = if value.is_empty() {
                format!("{key}:")
            } else {
                format!("{key}: {value}")
            };
            let comment = match (zh, key) {
                (true, "task") => task_zh.clone(),
                (true, _) => comment_zh.to_owned(),
                (false, _) => comment_en,
            };
            (line, comment)
        })
        .collect();
    let column = written
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(40)
        + 2;
    for (line, comment) in written {
        let pad = column.saturating_sub(width(&line)).max(1);
        out.push_str(&format!("{line}{}# {comment}\n", " ".repeat(pad)));
    }
    out.push_str("---\n");
    out.push_str(body(kind, zh));
    out
}

/// Columns a line takes in a terminal or an editor: CJK characters take two.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if crate::markdown::is_cjk(c) { 2 } else { 1 })
        .sum()
}

fn body(kind: Kind, zh: bool) -> &'static str {
    match (kind, zh) {
        (Kind::Case, true) => {
            "（请在此写正文第一段：用一两句话概括主要做法和成效。）\n\n## 一、主要做法\n\n## 二、取得成效\n"
        }
        (Kind::Brand, true) => "（请在此写品牌简介。）\n\n## 品牌简介\n\n## 培训和就业\n",
        (Kind::Bulletin, true) => "**编者按：**（请在此写编者按。）\n",
        (Kind::Page, true) => "（请在此写正文。）\n",
        (Kind::Case, false) => {
            "(Write the first paragraph here: what was done and what it achieved.)\n\n## What was done\n\n## Results\n"
        }
        (Kind::Brand, false) => "(Describe the brand here.)\n",
        (Kind::Bulletin, false) => "**Editor's note:** (write it here.)\n",
        (Kind::Page, false) => "(Write the page here.)\n",
    }
}
