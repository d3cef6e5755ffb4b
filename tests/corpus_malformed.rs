//! The malformed-input corpus: hundreds of sites made from one small valid site by systematic
//! mutations (every field of every kind given wrong types, empty, huge, negative, lists, maps,
//! nulls, broken quoting and indentation, and whole files truncated, re-encoded, garbled or
//! made into YAML bombs). Each is built by the real binary in a child process with a timeout.
//!
//! What must hold for every input: exit 1 with every stderr line a diagnostic
//! `错误|警告 content/…[:LINE]: …`, or exit 0 where the input is valid, with each value the
//! mutation wrote visible in some output file (nothing silently dropped); never a panic, a hang
//! or exit 2 for a content problem. The slowest input's time is printed, never asserted.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::TestSite;

/// A build that takes longer than this is a hang (the whole corpus takes well under a minute).
const TIMEOUT: Duration = Duration::from_secs(20);

/// Worker threads: CI has 2 cores, and each build is one child process.
const THREADS: usize = 2;

/// One file of the base site: its path, front-matter fields in order, and the rest.
struct BaseFile {
    path: &'static str,
    kind: Kind,
    fields: &'static [(&'static str, &'static str)],
    /// Fields the base file leaves out, mutated by adding them.
    optional: &'static [&'static str],
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Markdown with front matter and this body.
    Markdown(&'static str),
    /// A statistics file: one list item holding the fields.
    Stats,
    /// site.yaml: a plain mapping.
    Site,
}

const BASE: &[BaseFile] = &[
    BaseFile {
        path: "content/site.yaml",
        kind: Kind::Site,
        fields: &[
            ("title", "测试站"),
            ("base_url", "https://www.example.gov.cn/dxbrs/"),
            ("language", "zh-CN"),
            ("publisher", "测试主办单位"),
            ("site_id_code", "\"1234567890\""),
            ("icp", "京ICP备00000000号"),
            ("contact", "电话 010-00000000"),
            ("description", "站点简介"),
            ("targets", "{workshops: 30000, poverty_alleviated: 400000}"),
            ("synonyms", "[[扶贫车间, 社区工厂]]"),
        ],
        optional: &["theme", "tasks", "pairs"],
    },
    BaseFile {
        path: "content/cases/a.md",
        kind: Kind::Markdown("正文第一段。\n\n## 做法\n\n正文第二段。\n"),
        fields: &[
            ("title", "山海同心稳就业"),
            ("subtitle", "——黔东南州与佛山市"),
            ("date", "2023-06-12"),
            ("province", "贵州省"),
            ("pair", "广东省"),
            ("task", "劳务协作"),
            ("tags", "[稳岗就业, 务工服务站]"),
            ("source", "贵州省人力资源和社会保障厅"),
            ("summary", "一句话摘要"),
        ],
        optional: &["cover", "draft", "slug"],
    },
    BaseFile {
        path: "content/brands/b.md",
        kind: Kind::Markdown("品牌介绍。\n"),
        fields: &[
            ("name", "吕梁山护工"),
            ("aliases", "[吕梁护工]"),
            ("province", "山西省"),
            ("city", "吕梁市"),
            ("category", "家政服务"),
            ("skills", "[养老护理员, 育婴员]"),
            ("workers", "45524"),
            ("workers_note", "截至2022年累计"),
            ("honors", "[全国劳务品牌]"),
            ("destinations", "[北京市, 天津市]"),
            ("summary", "品牌摘要"),
        ],
        optional: &["county", "pair", "cover", "draft", "slug"],
    },
    BaseFile {
        path: "content/bulletins/2025-1.md",
        kind: Kind::Markdown("编者按。\n"),
        fields: &[
            ("year", "2025"),
            ("issue", "1"),
            ("total_issue", "37"),
            ("date", "2025-03-31"),
            ("publisher", "编印单位"),
            ("title", "工作简报"),
            ("summary", "简报摘要"),
            ("cases", "[a]"),
            ("distribution", "{报: 部领导, 送: 各省厅}"),
        ],
        optional: &["draft"],
    },
    BaseFile {
        path: "content/pages/about.md",
        kind: Kind::Markdown("关于本站。\n"),
        fields: &[
            ("title", "关于本站"),
            ("slug", "about"),
            ("date", "2024-01-01"),
            ("summary", "页面摘要"),
        ],
        optional: &["draft"],
    },
    BaseFile {
        path: "content/stats/a.yaml",
        kind: Kind::Stats,
        fields: &[
            ("year", "2023"),
            ("province", "贵州省"),
            ("as_of", "2023-12-31"),
            ("scope", "全省"),
            ("workshops", "2239"),
            ("employed", "61234"),
            ("poverty_alleviated", "35000"),
            ("monitored", "2100"),
            ("relocation_site", "800"),
            ("source", "统计来源"),
            ("note", "统计备注"),
        ],
        optional: &[],
    },
];

/// One malformed site: which files differ from the base, and what must be visible if it builds.
struct Input {
    name: String,
    files: Vec<(&'static str, Vec<u8>)>,
    /// Texts the mutation wrote that an exit-0 build must show in some output.
    visible: Vec<String>,
}

/// Renders a base file with `lines` as its front-matter lines (already `key: value` text).
fn render(file: &BaseFile, lines: &[String]) -> Vec<u8> {
    let mut out = String::new();
    match file.kind {
        Kind::Markdown(body) => {
            out.push_str("---\n");
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str("---\n");
            out.push_str(body);
        }
        Kind::Stats => {
            for (i, l) in lines.iter().enumerate() {
                out.push_str(if i == 0 { "- " } else { "  " });
                // A multi-line value keeps its lines inside the list item.
                out.push_str(&l.replace('\n', "\n  "));
                out.push('\n');
            }
        }
        Kind::Site => {
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

fn base_lines(file: &BaseFile) -> Vec<String> {
    file.fields
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect()
}

fn base_bytes(file: &BaseFile) -> Vec<u8> {
    render(file, &base_lines(file))
}

/// A value mutation: the text after `key:` (or a whole replacement line when it starts with
/// `LINE:`), and the texts that must be visible if the build accepts it.
type Mutation = fn(&str) -> (String, Vec<String>);

/// Applied to every field.
const CORE: &[(&str, Mutation)] = &[
    ("list", |m| {
        (
            format!(" [{m}a, {m}b]"),
            vec![format!("{m}a"), format!("{m}b")],
        )
    }),
    ("map", |m| {
        (
            format!(" {{{m}k: {m}v}}"),
            vec![format!("{m}k"), format!("{m}v")],
        )
    }),
    ("huge", |m| {
        (format!(" {m}{}", "长".repeat(10_000)), vec![m.to_owned()])
    }),
];

/// Spread over the fields, two per field, so every one is tried on several kinds.
const EXTRA: &[(&str, Mutation)] = &[
    ("empty", |_| (String::new(), vec![])),
    ("null", |_| (" ~".into(), vec![])),
    ("negative", |_| (" -7319".into(), vec!["-7319".into()])),
    ("float", |_| (" 3.1416".into(), vec!["3.1416".into()])),
    ("bool", |_| (" true".into(), vec![])),
    ("empty-string", |_| (" \"\"".into(), vec![])),
    ("unclosed-quote", |m| {
        (format!(" \"{m} unclosed"), vec![m.to_owned()])
    }),
    ("unclosed-bracket", |m| {
        (format!(" [{m}, b"), vec![m.to_owned()])
    }),
    ("tab-value", |m| (format!(":\t{m}"), vec![m.to_owned()])),
    ("tab-indent", |m| {
        (format!("LINE:\t{{KEY}}: {m}"), vec![m.to_owned()])
    }),
    ("full-width-colon", |m| {
        (format!("LINE:{{KEY}}：{m}"), vec![m.to_owned()])
    }),
    ("duplicate-key", |m| {
        (
            format!("LINE:{{KEY}}: {m}1\n{{KEY}}: {m}2"),
            vec![format!("{m}1"), format!("{m}2")],
        )
    }),
    ("bad-indent", |m| {
        (format!("LINE:   {{KEY}}: {m}"), vec![m.to_owned()])
    }),
    ("undefined-alias", |_| (" *nowhere".into(), vec![])),
    ("anchor-alias", |m| (format!(" &x {m}"), vec![m.to_owned()])),
    ("deep-nesting", |m| {
        (
            format!(" {}{m}{}", "[".repeat(3000), "]".repeat(3000)),
            vec![m.to_owned()],
        )
    }),
    ("huge-int", |_| {
        (
            " 98765432109876543210".into(),
            vec!["98765432109876543210".into()],
        )
    }),
    ("bad-date", |_| {
        (" 2023-13-45".into(), vec!["2023-13-45".into()])
    }),
    ("binary-tag", |_| (" !!binary aGVsbG8=".into(), vec![])),
    ("custom-tag", |m| {
        (format!(" !custom {m}"), vec![m.to_owned()])
    }),
    ("bom-inside", |m| {
        (format!(" \u{FEFF}{m}"), vec![m.to_owned()])
    }),
    ("escapes", |m| {
        (
            format!(" \"{m}\\0\\e[31m\\u202E\\uFFFE\""),
            vec![m.to_owned()],
        )
    }),
    ("full-width-digits", |_| {
        (" ２０２５".into(), vec!["２０２５".into()])
    }),
    ("chinese-number", |_| {
        (" 二〇二五".into(), vec!["二〇二五".into()])
    }),
    ("wan", |_| (" 4.5万".into(), vec!["4.5万".into()])),
    ("hex", |_| (" 0x1F".into(), vec![])),
    ("infinity", |_| (" .inf".into(), vec![])),
    ("block-scalar", |m| {
        (format!(" >-\n    {m}"), vec![m.to_owned()])
    }),
    ("long-line", |m| {
        (format!(" {m}{}", "x".repeat(200_000)), vec![m.to_owned()])
    }),
    ("html", |m| (format!(" \"<b>{m}</b>\""), vec![m.to_owned()])),
    ("comment-only", |_| (" # nothing".into(), vec![])),
    ("question-key", |m| {
        (format!("LINE:? {{KEY}}\n: {m}"), vec![m.to_owned()])
    }),
    ("merge-key", |m| {
        (format!(" {{<<: {{x: {m}}}}}"), vec![m.to_owned()])
    }),
    ("multi-doc", |m| {
        (format!(" {m}\n---\nx: 1"), vec![m.to_owned()])
    }),
];

/// A marker no output contains by accident, unique per input.
fn marker(n: usize) -> String {
    format!("Mk{n}q")
}

fn field_inputs(out: &mut Vec<Input>) {
    let mut field_no = 0;
    for file in BASE {
        let keys: Vec<&str> = file
            .fields
            .iter()
            .map(|(k, _)| *k)
            .chain(file.optional.iter().copied())
            .collect();
        for key in keys {
            // Two extras per field keep CI time down; over 68 fields each extra is tried on
            // four fields of different kinds.
            let extras = [
                EXTRA[(field_no * 7) % EXTRA.len()],
                EXTRA[(field_no * 7 + EXTRA.len() / 2) % EXTRA.len()],
            ];
            field_no += 1;
            for (what, mutate) in CORE.iter().chain(extras.iter()) {
                let m = marker(out.len());
                let (text, visible) = mutate(&m);
                let line = match text.strip_prefix("LINE:") {
                    Some(line) => line.replace("{KEY}", key),
                    None if text.starts_with(':') => format!("{key}{text}"),
                    None => format!("{key}:{text}"),
                };
                let mut lines = base_lines(file);
                match lines.iter().position(|l| l.starts_with(&format!("{key}:"))) {
                    Some(i) => lines[i] = line,
                    None => lines.push(line),
                }
                out.push(Input {
                    name: format!("{} {key}: {what}", file.path),
                    files: vec![(file.path, render(file, &lines))],
                    visible,
                });
            }
        }
    }
}

/// Whole-file mutations, applied to every file of the base site.
fn file_inputs(out: &mut Vec<Input>) {
    type FileMutation = fn(&[u8], &BaseFile) -> Vec<u8>;
    let mutations: &[(&str, FileMutation)] = &[
        ("empty file", |_, _| Vec::new()),
        ("only whitespace", |_, _| b"\n  \n\t\n".to_vec()),
        ("truncated at half", |b, _| b[..b.len() / 2].to_vec()),
        ("truncated inside a character", |b, _| {
            let i = (b.len() / 3..b.len())
                .find(|&i| b[i] >= 0xC0)
                .unwrap_or(b.len() - 1);
            b[..=i].to_vec()
        }),
        ("BOM at start", |b, _| {
            [b"\xEF\xBB\xBF".as_slice(), b].concat()
        }),
        ("two BOMs at start", |b, _| {
            [b"\xEF\xBB\xBF\xEF\xBB\xBF".as_slice(), b].concat()
        }),
        ("BOM in the middle", |b, _| {
            let i = b.iter().position(|&c| c == b'\n').unwrap() + 1;
            [&b[..i], b"\xEF\xBB\xBF", &b[i..]].concat()
        }),
        ("invalid UTF-8", |b, _| {
            let i = b.len() / 2;
            [&b[..i], b"\xFF\xFE\x80", &b[i..]].concat()
        }),
        ("GBK", |_, f| {
            // 标题 in GBK: the encoding older office tools save.
            let gbk: &[u8] = b"\xb1\xea\xcc\xe2";
            match f.kind {
                Kind::Stats => [b"- province: ", gbk, b"\n  year: 2023\n"].concat(),
                Kind::Site => [b"title: ", gbk, b"\nbase_url: https://a.b/\n"].concat(),
                Kind::Markdown(_) => [b"---\ntitle: ", gbk, b"\n---\n", gbk].concat(),
            }
        }),
        ("UTF-16", |b, _| {
            let s = String::from_utf8_lossy(b);
            [0xFF, 0xFE]
                .into_iter()
                .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
                .collect()
        }),
        ("NUL bytes", |b, _| {
            let i = b.len() / 2;
            [&b[..i], b"\0\0\0", &b[i..]].concat()
        }),
        ("binary garbage", |_, _| {
            // A fixed pseudo-random stream: the same input on every run.
            let mut x: u32 = 0x9E37_79B9;
            (0..4096)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x >> 24) as u8
                })
                .collect()
        }),
        ("garbage after a valid start", |b, _| {
            [&b[..b.len() / 2], b"\x01\x02\x1b[2J\x7f\xc3\x28{{{::::"].concat()
        }),
        ("CRLF", |b, _| {
            String::from_utf8_lossy(b)
                .replace('\n', "\r\n")
                .into_bytes()
        }),
        ("CRLF mixed", |b, _| {
            let s = String::from_utf8_lossy(b);
            s.split_inclusive('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i % 2 == 0 {
                        l.replace('\n', "\r\n")
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<String>()
                .into_bytes()
        }),
        ("CR only", |b, _| {
            String::from_utf8_lossy(b).replace('\n', "\r").into_bytes()
        }),
        ("missing opening ---", |b, f| match f.kind {
            Kind::Markdown(_) => b[4..].to_vec(),
            _ => [b"---\n".as_slice(), b].concat(),
        }),
        ("missing closing ---", |b, f| match f.kind {
            Kind::Markdown(_) => String::from_utf8_lossy(b)
                .replacen("\n---\n", "\n", 1)
                .into_bytes(),
            _ => [b, b"...\n".as_slice()].concat(),
        }),
        ("only the fences", |_, f| match f.kind {
            Kind::Markdown(_) => b"---\n---\n".to_vec(),
            _ => b"---\n".to_vec(),
        }),
        ("front matter is a list", |_, f| match f.kind {
            Kind::Markdown(_) => b"---\n- a\n- b\n---\n".to_vec(),
            Kind::Stats => b"- [a, b]\n- 1\n".to_vec(),
            Kind::Site => b"- title\n- base_url\n".to_vec(),
        }),
        ("front matter is a scalar", |_, f| match f.kind {
            Kind::Markdown(_) => b"---\njust text\n---\n".to_vec(),
            _ => b"just text\n".to_vec(),
        }),
        ("stats as a mapping", |b, f| match f.kind {
            Kind::Stats => String::from_utf8_lossy(b).replace("- ", "  ").into_bytes(),
            _ => [b, b"extra: {a: 1}\n"].concat(),
        }),
        ("billion laughs", |b, f| {
            let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (i, prev) in ('b'..='i').zip('a'..='h') {
                bomb.push_str(&format!("{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            }
            let bomb_tags = bomb.replace('\n', "\n  ");
            match f.kind {
                Kind::Markdown(_) => {
                    let s = String::from_utf8_lossy(b);
                    s.replacen("---\n", &format!("---\nx:\n  {bomb_tags}\n"), 1)
                        .into_bytes()
                }
                Kind::Stats => format!(
                    "- year: 2023\n  province: 贵州\n  workshops: 1\n  x:\n    {}",
                    bomb.replace('\n', "\n    ")
                )
                .into_bytes(),
                Kind::Site => [b, format!("x:\n  {bomb_tags}").as_bytes()].concat(),
            }
        }),
        ("alias bomb in a known field", |b, f| {
            let mut bomb = String::from("[&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
            for (i, prev) in ('b'..='i').zip('a'..='h') {
                bomb.push_str(&format!(", &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"));
            }
            bomb.push(']');
            let key = match f.kind {
                Kind::Site => "synonyms",
                _ => f.fields[0].0,
            };
            let s = String::from_utf8_lossy(b);
            s.replacen(
                &format!(
                    "{key}: {}",
                    f.fields.iter().find(|(k, _)| *k == key).unwrap().1
                ),
                &format!("{key}: {bomb}"),
                1,
            )
            .into_bytes()
        }),
        ("deeply nested mapping", |b, f| {
            let deep = format!("{}1{}", "{a: ".repeat(20_000), "}".repeat(20_000));
            match f.kind {
                Kind::Stats => {
                    format!("- year: 2023\n  province: 贵州\n  workshops: 1\n  x: {deep}\n")
                        .into_bytes()
                }
                _ => String::from_utf8_lossy(b)
                    .replacen(
                        &format!("{}: ", f.fields[0].0),
                        &format!("x: {deep}\n{}: ", f.fields[0].0),
                        1,
                    )
                    .into_bytes(),
            }
        }),
        ("deeply nested block lists", |b, f| {
            let deep: String = (0..3000)
                .map(|i| format!("{}- \n", " ".repeat(i * 2)))
                .collect();
            match f.kind {
                Kind::Stats => deep.into_bytes(),
                _ => String::from_utf8_lossy(b)
                    .replacen(
                        &format!("{}: ", f.fields[0].0),
                        &format!("x:\n{deep}{}: ", f.fields[0].0),
                        1,
                    )
                    .into_bytes(),
            }
        }),
        ("10,000 unknown keys", |b, f| {
            let keys: String = (0..10_000).map(|i| format!("k{i}: v\n")).collect();
            match f.kind {
                Kind::Stats => format!(
                    "- year: 2023\n  province: 贵州\n  workshops: 1\n{}",
                    keys.replace("k", "  k")
                )
                .into_bytes(),
                Kind::Site => [b, keys.as_bytes()].concat(),
                Kind::Markdown(_) => String::from_utf8_lossy(b)
                    .replacen("---\n", &format!("---\n{keys}"), 1)
                    .into_bytes(),
            }
        }),
        ("Chinese aliases and English keys together", |b, f| {
            let s = String::from_utf8_lossy(b);
            let extra = match f.kind {
                Kind::Site | Kind::Markdown(_) => "标题: 重复\n",
                Kind::Stats => "  年份: 2024\n",
            };
            match f.kind {
                Kind::Markdown(_) => s
                    .replacen("---\n", &format!("---\n{extra}"), 1)
                    .into_bytes(),
                _ => format!("{s}{extra}").into_bytes(),
            }
        }),
        ("a key with no value and no colon", |b, f| {
            let s = String::from_utf8_lossy(b);
            match f.kind {
                Kind::Markdown(_) => s.replacen("---\n", "---\ntitle\n", 1).into_bytes(),
                Kind::Stats => format!("{s}  province\n").into_bytes(),
                Kind::Site => format!("{s}title\n").into_bytes(),
            }
        }),
        ("very long body line", |b, f| match f.kind {
            Kind::Markdown(_) => [b, "长".repeat(300_000).as_bytes()].concat(),
            _ => [b, format!("# {}\n", "x".repeat(1_000_000)).as_bytes()].concat(),
        }),
    ];
    for (what, mutate) in mutations {
        for file in BASE {
            out.push(Input {
                name: format!("{}: {what}", file.path),
                files: vec![(file.path, mutate(&base_bytes(file), file))],
                visible: vec![],
            });
        }
    }
    // Markdown bodies that stress the parser rather than the front matter.
    let bodies: &[(&str, String)] = &[
        ("nested quotes", ">".repeat(20_000)),
        (
            "nested lists",
            (0..2000)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "nested emphasis",
            format!("{}x{}", "*_".repeat(10_000), "_*".repeat(10_000)),
        ),
        ("unclosed brackets", "[".repeat(50_000)),
        (
            "link reference storm",
            (0..5000)
                .map(|i| format!("[a{i}]: /u{i}\n[a{i}]\n"))
                .collect(),
        ),
        (
            "table of 1000 columns",
            format!("{}\n{}\n", "|a".repeat(1000), "|-".repeat(1000)),
        ),
        ("footnote loops", "[^a]\n\n[^a]: [^b]\n[^b]: [^a]\n".into()),
        (
            "heading ids that collide",
            "## a\n## a\n## a-1\n## a\n".into(),
        ),
        ("unclosed code fence", "```rust\nfn main() {".into()),
        (
            "code fence with a strange language",
            "```<script>x\ncode\n```\n".into(),
        ),
        ("10,000 raw HTML lines", "<div>x</div>\n".repeat(10_000)),
        (
            "links out of the content folder",
            "[a](../../../../etc/passwd) ![b](../../x.png)\n".into(),
        ),
    ];
    for (what, body) in bodies {
        let case = "---\ntitle: 正文\ndate: 2023-06-12\nprovince: 贵州省\ntask: 劳务协作\nsummary: 摘要\n---\n";
        out.push(Input {
            name: format!("content/cases/a.md body: {what}"),
            files: vec![("content/cases/a.md", format!("{case}{body}\n").into_bytes())],
            visible: vec![],
        });
    }
    // Missing site.yaml: a content error, not a crash.
    out.push(Input {
        name: "content/site.yaml: missing".into(),
        files: vec![("content/site.yaml", Vec::new())],
        visible: vec![],
    });
}

struct Outcome {
    name: String,
    code: Option<i32>,
    elapsed: Duration,
    problem: Option<String>,
}

fn run(input: &Input) -> Outcome {
    let mut site = TestSite::new();
    for file in BASE {
        site = site.bytes(file.path, &base_bytes(file));
    }
    for (path, bytes) in &input.files {
        site = site.bytes(path, bytes);
    }
    if input.name == "content/site.yaml: missing" {
        std::fs::remove_file(site.dir.join("content/site.yaml")).unwrap();
    }
    let stdout = std::fs::File::create(site.dir.join("stdout")).unwrap();
    let stderr = std::fs::File::create(site.dir.join("stderr")).unwrap();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .arg("build")
        .current_dir(&site.dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stderr =
        String::from_utf8_lossy(&std::fs::read(site.dir.join("stderr")).unwrap()).into_owned();
    let code = status.and_then(|s| s.code());
    let problem = judge(&site.dir, input, status.is_none(), code, &stderr);
    Outcome {
        name: input.name.clone(),
        code,
        elapsed,
        problem,
    }
}

/// What is wrong with a run, if anything.
fn judge(
    dir: &Path,
    input: &Input,
    timed_out: bool,
    code: Option<i32>,
    stderr: &str,
) -> Option<String> {
    let head: String = stderr.chars().take(600).collect();
    if timed_out {
        return Some(format!("hang: killed after {TIMEOUT:?}"));
    }
    if stderr.contains("panicked") || code == Some(101) {
        return Some(format!("panic: {head}"));
    }
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("构建失败"))
        .collect();
    if let Some(bad) = lines.iter().find(|l| !is_diagnostic(l)) {
        let bad: String = bad.chars().take(300).collect();
        return Some(format!(
            "exit {code:?}, stderr line not a content diagnostic: {bad}"
        ));
    }
    match code {
        Some(1) => {
            if !lines.iter().any(|l| l.starts_with("错误 ")) {
                return Some(format!("exit 1 without an error line: {head}"));
            }
            None
        }
        Some(0) => {
            let outputs = all_output_text(&dir.join("public"));
            let missing: Vec<&String> = input
                .visible
                .iter()
                .filter(|v| !outputs.contains(v.as_str()))
                .collect();
            if missing.is_empty() {
                None
            } else {
                Some(format!(
                    "exit 0 but {missing:?} is in no output (silently dropped)"
                ))
            }
        }
        other => Some(format!(
            "exit {other:?} (a content problem is exit 1): {head}"
        )),
    }
}

/// `错误 content/…[:LINE]: …` or `警告 …`.
fn is_diagnostic(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("错误 ")
        .or_else(|| line.strip_prefix("警告 "))
    else {
        return false;
    };
    let Some(rest) = rest.strip_prefix("content/") else {
        return false;
    };
    let Some(end) = rest.find(": ") else {
        return false;
    };
    let place = &rest[..end];
    match place.rsplit_once(':') {
        Some((path, line)) => {
            !path.is_empty() && line.chars().all(|c| c.is_ascii_digit()) && !line.is_empty()
        }
        None => !place.is_empty(),
    }
}

fn all_output_text(dir: &Path) -> String {
    support::all_files(dir)
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn corpus() -> Vec<Input> {
    let mut inputs = Vec::new();
    field_inputs(&mut inputs);
    file_inputs(&mut inputs);
    inputs
}

#[test]
fn the_base_site_builds_cleanly() {
    let mut site = TestSite::new();
    for file in BASE {
        site = site.bytes(file.path, &base_bytes(file));
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(TestSite::diagnostics(&run), Vec::<String>::new());
}

#[test]
fn every_malformed_site_is_an_error_naming_its_file_or_builds_what_it_says() {
    let inputs = corpus();
    assert!(inputs.len() >= 300, "{} inputs", inputs.len());
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(input) = inputs.get(i) else { break };
                    let outcome = run(input);
                    outcomes.lock().unwrap().push(outcome);
                }
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap();
    let slowest = outcomes.iter().max_by_key(|o| o.elapsed).unwrap();
    let accepted = outcomes.iter().filter(|o| o.code == Some(0)).count();
    println!(
        "malformed corpus: {} inputs, {} rejected with diagnostics, {accepted} accepted as valid; slowest {:.2} s ({})",
        outcomes.len(),
        outcomes.iter().filter(|o| o.code == Some(1)).count(),
        slowest.elapsed.as_secs_f64(),
        slowest.name
    );
    // `XIEZUO_CORPUS_VERBOSE=1 cargo test --test corpus_malformed -- --nocapture` lists what
    // was accepted, for a reviewer to judge.
    if std::env::var_os("XIEZUO_CORPUS_VERBOSE").is_some() {
        for o in outcomes.iter().filter(|o| o.code == Some(0)) {
            println!("accepted: {}", o.name);
        }
    }
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.problem.as_ref().map(|p| format!("{}: {p}", o.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Regressions the corpus found, each with its exact diagnostic or output.
#[test]
fn a_theme_folder_that_does_not_exist_is_an_error() {
    let site = TestSite::new().file(
        "content/site.yaml",
        &format!("{}theme: 红色\n", support::SITE_YAML),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "错误 content/site.yaml:6: theme: 找不到主题文件夹 themes/红色/ (请检查主题名称，或删去 theme 一行以使用内置主题)"
        ]
    );
}

#[test]
fn numbers_in_text_fields_are_shown_as_written() {
    let site = TestSite::new().file(
        "content/site.yaml",
        "title: 测试站\nbase_url: https://www.example.gov.cn/dxbrs/\nsite_id_code: 0123456789\ncontact: 1.10\ndescription: 98765432109876543210\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("index.html");
    assert!(home.contains("网站标识码：0123456789<"), "{home}");
    assert!(home.contains("1.10"), "{home}");
    assert!(home.contains("98765432109876543210"), "{home}");
}
