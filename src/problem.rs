//! Every kind of content problem xiezuo reports, and its wording in Chinese and English.
//!
//! Keeping the texts in one enum means a new check cannot forget its translation, and tests can
//! assert on the exact text authors will read. This module only words problems; finding them is
//! the job of the loading and resolving stages.

use crate::limits::{MAX_COUNT, YEARS};
use crate::svg::{Removed, XmlFault};

/// Whether a diagnostic stops the build.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build fails; nothing is written.
    Error,
    /// Reported, but the site is still written.
    Warning,
}

/// The language of the site's theme and of its diagnostics.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, Hash,
)]
pub enum Lang {
    /// 简体中文 (the default).
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English, for `language: en`.
    #[serde(rename = "en")]
    En,
}

/// What kind of YAML mistake the parser stopped at, so it can be named in the author's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlSyntax {
    /// A quote opened and never closed.
    UnclosedQuote,
    /// Text after a closing quote (`title: "山海"同心`): quotes must hold the whole value.
    TextAfterQuote,
    /// A `[` or `{` never closed, or a bracket too many.
    UnclosedBracket,
    /// A tab where YAML wants spaces.
    Tab,
    /// A line indented or continued where a new `key: value` was expected, or a second `: `
    /// inside a value.
    Indentation,
    /// A value starting with a character YAML reserves (`@`, `` ` ``, `%`).
    ReservedStart(char),
    /// A value starting with `*`, which YAML reads as a reference to an anchor.
    UnknownAnchor,
    /// A backslash in double quotes that is no YAML escape (`"C:\报告"`).
    BadEscape,
    /// A line that is no `key: value` at all (often body text above the closing `---`).
    NotKeyValue,
    /// An item of a statistics list that is no record of `key: value` lines (`- 2024`).
    NotARecord,
    /// The same key written twice.
    DuplicateKey,
    /// A second `---` starting another document.
    SecondDocument,
    /// A `#` comment in the middle of a text that runs over several lines.
    CommentInText,
    /// Anything else.
    Other,
}

/// A content problem, with the data its message needs.
#[derive(Clone, Debug)]
pub enum Problem {
    Io(String),
    /// Not UTF-8 text; `file` is the path to give `xiezuo fix-encoding`.
    NotUtf8 {
        file: String,
    },
    NoFrontMatter,
    UnclosedFrontMatter,
    /// YAML the parser cannot read: what kind of mistake it is, and the parser's own words
    /// (shown on English sites only).
    Yaml {
        syntax: YamlSyntax,
        detail: String,
    },
    /// `标题：测试`: a key followed by a full-width colon; `fixed` is the line as it should be.
    FullWidthColon {
        key: String,
        line: usize,
        fixed: String,
    },
    /// `title:测试`: no space after the colon, so YAML reads the line as one text.
    NoSpaceAfterColon {
        key: String,
        line: usize,
        fixed: String,
    },
    /// YAML whose anchors and aliases expand past the parser's budget ("billion laughs").
    YamlTooLarge,
    NotAMapping,
    NotAList,
    /// A statistics file holding one record (a mapping) where a list of records belongs.
    StatsSingleRecord,
    /// `known` lists the keys of that kind, in the script the unknown key was written in, for
    /// when no key is near enough to suggest.
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        known: Vec<&'static str>,
    },
    MissingField,
    WrongType {
        expected: &'static str,
        detail: String,
    },
    EmptyValue,
    BadDate {
        value: String,
        suggestion: Option<String>,
    },
    UnknownProvince {
        value: String,
        suggestion: Option<String>,
    },
    UnknownTask {
        value: String,
        vocabulary: Vec<String>,
    },
    UnknownPair {
        province: String,
        partner: String,
    },
    PairNotWithProvince {
        province: String,
        east: String,
        west: String,
    },
    /// `pair: 粤黔`: the pair's short name where the partner province belongs; `fix` is the value
    /// to write instead (`广东省`, or `{east: 广东省, west: 贵州省}`).
    PairShortName {
        value: String,
        fix: String,
    },
    PairSameSide {
        east: String,
        west: String,
    },
    BadSlug {
        value: String,
    },
    DuplicateSlug {
        slug: String,
        other: String,
    },
    UrlCollision {
        url: String,
        other: String,
    },
    DuplicateBulletin {
        label: String,
        other: String,
    },
    MissingCase {
        reference: String,
    },
    DraftCase {
        reference: String,
    },
    BrokenLink {
        target: String,
    },
    /// A link whose URL would run script (`javascript:`); it is removed.
    ScriptLink {
        target: String,
    },
    MissingFile {
        file: String,
    },
    /// A link to a place in a page (`#id`) that the page does not have; `suggestion` is the
    /// nearest id it does have.
    BrokenAnchor {
        target: String,
        page: String,
        suggestion: Option<String>,
    },
    /// A root-relative or own-site absolute link to a URL the site does not produce.
    MissingPage {
        target: String,
    },
    /// A link to the local preview (`http://127.0.0.1:1111/…`), copied from the browser: it
    /// leads nowhere for readers.
    PreviewLink {
        target: String,
    },
    /// A root-relative link outside the site's base path (`/cases/a/` on a site at `/dxbrs/`).
    OutsideBase {
        target: String,
        base: String,
    },
    NotANumber {
        value: String,
        suggestion: Option<String>,
    },
    NegativeCount,
    /// A count above the documented bound (`resolve::count::MAX_COUNT`).
    CountTooLarge {
        value: String,
        max: u64,
    },
    /// A year that is not an integer in `resolve::count::YEARS`; `suggestion` is the year meant
    /// by `二〇二五` or `2025年`.
    BadYear {
        value: String,
        suggestion: Option<String>,
    },
    /// An issue number below 1 or above `max`.
    IssueOutOfRange {
        value: String,
        max: u64,
    },
    /// A national sum of one year that does not fit; `records` lists the summed records.
    SumOverflow {
        year: i32,
        records: Vec<String>,
    },
    /// A key written twice under its English name and its Chinese alias (`title:`, `标题:`).
    DuplicateKey {
        key: String,
        other: String,
        other_line: usize,
    },
    NoCounts,
    /// A statistics file that holds no record at all (empty, or only comments).
    EmptyStatsFile,
    SharesExceedEmployed {
        alleviated: u64,
        monitored: u64,
        employed: u64,
    },
    YearMismatch {
        year: i64,
        as_of: String,
    },
    DuplicateRecord {
        province: String,
        as_of: String,
        other: String,
    },
    MissingSummary,
    BadBaseUrl {
        value: String,
    },
    BadLanguage {
        value: String,
    },
    DuplicateTask {
        value: String,
    },
    BadTarget,
    Template(String),
    MissingSiteFile,
    RawHtml,
    /// A symbolic link that resolves outside the site folder; `target` as the link reads.
    LinkOutsideSite {
        target: String,
    },
    DanglingLink {
        target: String,
    },
    /// A link to a folder that contains it: following it would never end.
    LinkLoop {
        target: String,
    },
    /// A pipe, socket or device node: nothing that can be published.
    SpecialFile,
    UnreadableFolder(String),
    /// A name starting with a dot: skipped, but said so.
    Hidden {
        folder: bool,
    },
    /// A file in `stats/` that is not YAML.
    NotStatsFile,
    /// A `.bak` file (the original `xiezuo fix-encoding` keeps): not published.
    BackupFile,
    /// A file directly in `content/`, or a folder there that is no section.
    NotPublished {
        folder: bool,
    },
    ReservedName {
        name: String,
    },
    /// `code` is `U+202E` and the like, never the character itself.
    InvisibleCharInName {
        code: String,
    },
    LookalikePathChar {
        ch: char,
    },
    NameNotUtf8,
    NameTooLong {
        len: usize,
        max: usize,
    },
    SlugTooLong {
        len: usize,
        max: usize,
    },
    PathTooLong {
        len: usize,
        max: usize,
    },
    /// `theme:` that is not a plain folder name; `value` has its invisible characters escaped.
    BadTheme {
        value: String,
    },
    /// Something left out of a published SVG because it could run script or fetch a file.
    SvgRemoved(Removed),
    /// An SVG that is not well-formed XML; `detail` from the parser (English sites), `fault`
    /// what it means (Chinese ones).
    SvgUnparsable {
        detail: String,
        fault: XmlFault,
    },
    /// A `.svg` file whose root element is not `<svg>`.
    SvgNotSvg {
        root: String,
    },
    /// An HTML, XML, script or other file a browser runs script in, not in `trusted_files`;
    /// `rel` is the path to list there.
    ScriptFile {
        ext: String,
        rel: String,
    },
    /// A file copied from `content/` that lands where the site writes a file of its own.
    CopiedFileCollision {
        url: String,
        other: String,
    },
    /// A `trusted_files` entry that names no file of the site.
    UnknownTrustedFile {
        value: String,
    },
    /// `xiezuo new` without a value the new file needs; `example` is a command that works.
    MissingOption {
        option: String,
        example: String,
    },
    /// `xiezuo new` would write over a file that exists.
    FileExists,
    /// `theme:` names a folder that `themes/` does not hold.
    ThemeNotFound {
        value: String,
    },
    /// site.yaml leaves 网站标识码 or ICP备案号 empty, which the footer of a government site shows.
    MissingTrustMark {
        which: TrustMark,
    },
    /// `logo:` names no file published from `content/static/`.
    LogoNotFound {
        value: String,
    },
    /// A photo whose bytes are not the format its extension names (`found`, when recognised:
    /// an iPhone's HEIC renamed `.jpg`); `ext` is the extension in capitals.
    ImageNotWhatItSays {
        ext: String,
        found: Option<String>,
    },
    /// A JPEG that stops before its end.
    ImageTruncated,
    /// A photo the decoder cannot read; `detail` from the decoder.
    ImageCorrupt {
        detail: String,
    },
    ImageTooManyPixels {
        width: u32,
        height: u32,
        max: u64,
    },
    /// An original over `media::LARGE_ORIGINAL` bytes.
    LargeOriginal {
        bytes: u64,
    },
    /// A GIF or AVIF, published as it is, that carries EXIF or XMP metadata.
    MetadataKept {
        format: &'static str,
    },
    /// `![](photo.jpg)`: an image a screen reader cannot describe.
    ImageWithoutAlt,
    MissingImage {
        target: String,
    },
    MissingAttachment {
        target: String,
    },
    /// An image in a format browsers do not show (`.heic`, `.tif`), used as an image.
    UnshowableImage {
        ext: String,
    },
    /// A `cover:` that is not an image.
    CoverNotImage {
        file: String,
    },
    /// A photo's smaller copy (`p-480w.jpg`) lands where another output is.
    ImageCopyCollision {
        url: String,
        other: String,
    },
}

/// The identifiers a Chinese government site's footer shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrustMark {
    /// 网站标识码 (`site_id_code`).
    SiteIdCode,
    /// ICP备案号 (`icp`).
    Icp,
}

impl Problem {
    /// Warnings leave the build going; everything else is an error.
    pub fn severity(&self) -> Severity {
        match self {
            Problem::UnknownPair { .. }
            | Problem::PairNotWithProvince { .. }
            | Problem::MissingSummary
            | Problem::BrokenLink { .. }
            | Problem::BrokenAnchor { .. }
            | Problem::MissingPage { .. }
            | Problem::OutsideBase { .. }
            | Problem::PreviewLink { .. }
            | Problem::ScriptLink { .. }
            | Problem::RawHtml
            | Problem::Hidden { .. }
            | Problem::NotStatsFile
            | Problem::BackupFile
            | Problem::NotPublished { .. }
            | Problem::SvgRemoved(_)
            | Problem::UnknownTrustedFile { .. }
            | Problem::MissingTrustMark { .. }
            | Problem::LogoNotFound { .. }
            | Problem::EmptyStatsFile
            | Problem::LargeOriginal { .. }
            | Problem::MetadataKept { .. }
            | Problem::ImageWithoutAlt
            | Problem::MissingImage { .. }
            | Problem::MissingAttachment { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// A stable name of the problem's kind (`unknown-key`, `bad-date`), for `check --format
    /// json`: tools match on it, never on the worded message.
    pub fn code(&self) -> &'static str {
        use Problem::*;
        match self {
            Io(_) => "io",
            NotUtf8 { .. } => "not-utf8",
            NoFrontMatter => "no-front-matter",
            UnclosedFrontMatter => "unclosed-front-matter",
            Yaml { syntax, .. } => syntax.code(),
            FullWidthColon { .. } => "full-width-colon",
            NoSpaceAfterColon { .. } => "no-space-after-colon",
            YamlTooLarge => "yaml-too-large",
            NotAMapping => "not-a-mapping",
            NotAList => "not-a-list",
            StatsSingleRecord => "stats-single-record",
            UnknownKey { .. } => "unknown-key",
            MissingField => "missing-field",
            WrongType { .. } => "wrong-type",
            EmptyValue => "empty-value",
            BadDate { .. } => "bad-date",
            UnknownProvince { .. } => "unknown-province",
            UnknownTask { .. } => "unknown-task",
            UnknownPair { .. } => "unknown-pair",
            PairNotWithProvince { .. } => "pair-not-with-province",
            PairShortName { .. } => "pair-short-name",
            PairSameSide { .. } => "pair-same-side",
            BadSlug { .. } => "bad-slug",
            DuplicateSlug { .. } => "duplicate-slug",
            UrlCollision { .. } => "url-collision",
            DuplicateBulletin { .. } => "duplicate-bulletin",
            MissingCase { .. } => "missing-case",
            DraftCase { .. } => "draft-case",
            BrokenLink { .. } => "broken-link",
            ScriptLink { .. } => "script-link",
            MissingFile { .. } => "missing-file",
            BrokenAnchor { .. } => "broken-anchor",
            MissingPage { .. } => "missing-page",
            OutsideBase { .. } => "outside-base",
            PreviewLink { .. } => "preview-link",
            NotANumber { .. } => "not-a-number",
            NegativeCount => "negative-count",
            CountTooLarge { .. } => "count-too-large",
            BadYear { .. } => "bad-year",
            IssueOutOfRange { .. } => "issue-out-of-range",
            SumOverflow { .. } => "sum-overflow",
            DuplicateKey { .. } => "duplicate-key",
            NoCounts => "no-counts",
            EmptyStatsFile => "empty-stats-file",
            SharesExceedEmployed { .. } => "shares-exceed-employed",
            YearMismatch { .. } => "year-mismatch",
            DuplicateRecord { .. } => "duplicate-record",
            MissingSummary => "missing-summary",
            BadBaseUrl { .. } => "bad-base-url",
            BadLanguage { .. } => "bad-language",
            DuplicateTask { .. } => "duplicate-task",
            BadTarget => "bad-target",
            Template(_) => "template",
            MissingSiteFile => "missing-site-file",
            RawHtml => "raw-html",
            LinkOutsideSite { .. } => "link-outside-site",
            DanglingLink { .. } => "dangling-link",
            LinkLoop { .. } => "link-loop",
            SpecialFile => "special-file",
            UnreadableFolder(_) => "unreadable-folder",
            Hidden { .. } => "hidden",
            NotStatsFile => "not-stats-file",
            BackupFile => "backup-file",
            NotPublished { .. } => "not-published",
            ReservedName { .. } => "reserved-name",
            InvisibleCharInName { .. } => "invisible-char-in-name",
            LookalikePathChar { .. } => "lookalike-path-char",
            NameNotUtf8 => "name-not-utf8",
            NameTooLong { .. } => "name-too-long",
            SlugTooLong { .. } => "slug-too-long",
            PathTooLong { .. } => "path-too-long",
            BadTheme { .. } => "bad-theme",
            SvgRemoved(_) => "svg-removed",
            SvgUnparsable { .. } => "svg-unparsable",
            SvgNotSvg { .. } => "svg-not-svg",
            ScriptFile { .. } => "script-file",
            CopiedFileCollision { .. } => "copied-file-collision",
            UnknownTrustedFile { .. } => "unknown-trusted-file",
            ThemeNotFound { .. } => "theme-not-found",
            MissingOption { .. } => "missing-option",
            FileExists => "file-exists",
            MissingTrustMark {
                which: TrustMark::SiteIdCode,
            } => "missing-site-id-code",
            MissingTrustMark {
                which: TrustMark::Icp,
            } => "missing-icp",
            LogoNotFound { .. } => "logo-not-found",
            ImageNotWhatItSays { .. } => "image-not-what-it-says",
            ImageTruncated => "image-truncated",
            ImageCorrupt { .. } => "image-corrupt",
            ImageTooManyPixels { .. } => "image-too-many-pixels",
            LargeOriginal { .. } => "large-original",
            MetadataKept { .. } => "metadata-kept",
            ImageWithoutAlt => "image-without-alt",
            MissingImage { .. } => "missing-image",
            MissingAttachment { .. } => "missing-attachment",
            UnshowableImage { .. } => "unshowable-image",
            CoverNotImage { .. } => "cover-not-image",
            ImageCopyCollision { .. } => "image-copy-collision",
        }
    }

    /// The message and the optional hint, in `lang`.
    pub fn text(&self, lang: Lang) -> (String, Option<String>) {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    fn zh(&self) -> (String, Option<String>) {
        use Problem::*;
        let none = |m: String| (m, None);
        let with = |m: String, h: String| (m, Some(h));
        match self {
            Io(e) => none(format!("无法读取文件：{}", zh_io(e))),
            NotUtf8 { file } => with(
                "文件不是 UTF-8 编码（可能是 GBK）".into(),
                format!(
                    "请运行 xiezuo fix-encoding {} 转换为 UTF-8（原文件保留为 .bak），或用“另存为”保存为 UTF-8 编码",
                    shell_word(file)
                ),
            ),
            NoFrontMatter => with(
                "缺少头部信息".into(),
                "文件第一行应为 ---，其后写 标题、日期 等字段，再以 --- 结束".into(),
            ),
            UnclosedFrontMatter => with(
                "头部信息没有结束".into(),
                "请在字段之后单独一行写 ---".into(),
            ),
            YamlTooLarge => with(
                "YAML 展开后过大：锚点（&）和别名（*）层层引用，超出了解析上限".into(),
                "请直接写出取值，不要用 & 和 * 重复引用".into(),
            ),
            Yaml { syntax, .. } => yaml_zh(*syntax),
            FullWidthColon { key, line, fixed } => with(
                format!("第 {line} 行：“{key}”后是全角冒号“：”，请改为半角冒号加空格"),
                format!("应写成 {fixed}"),
            ),
            NoSpaceAfterColon { key, line, fixed } => with(
                format!("第 {line} 行：“{key}”后的冒号后面缺少空格"),
                format!("应写成 {fixed}"),
            ),
            NotAMapping => with(
                "内容应为“字段: 值”的列表".into(),
                "每行写一个字段，例如 title: 标题".into(),
            ),
            NotAList => with(
                "统计文件应为记录列表".into(),
                "每条记录以“- ”开头，例如 - year: 2023".into(),
            ),
            StatsSingleRecord => with(
                "统计文件应为记录列表，这里只写了一条记录，没有以“- ”开头".into(),
                "在第一个字段前加“- ”，其余字段各缩进两个空格，例如：- year: 2023".into(),
            ),
            UnknownKey {
                key,
                suggestion,
                known,
            } => match suggestion {
                Some(s) => with(format!("未知字段“{key}”"), format!("是否为“{s}”？")),
                None => with(
                    format!("未知字段“{key}”"),
                    format!("可用的字段：{}", known.join("、")),
                ),
            },
            MissingField => with("缺少必填字段".into(), "请补上这一字段".into()),
            WrongType { expected, detail } => with(
                format!("取值类型不对：应为{}", zh_type(expected)),
                detail.clone(),
            ),
            EmptyValue => none("取值为空".into()),
            BadDate { value, suggestion } => match suggestion {
                Some(s) => with(format!("日期“{value}”格式不对"), format!("请写成 {s}")),
                None => with(
                    format!("日期“{value}”无效"),
                    "请写成 YYYY-MM-DD，例如 2023-06-12".into(),
                ),
            },
            UnknownProvince { value, suggestion } => match suggestion {
                Some(s) => with(format!("未知省份“{value}”"), format!("是否为“{s}”？")),
                None => with(
                    format!("未知省份“{value}”"),
                    "请写省级行政区名称，如 贵州省、贵州 或 黔".into(),
                ),
            },
            UnknownTask { value, vocabulary } => with(
                format!("未知任务“{value}”"),
                format!("可选：{}", vocabulary.join("、")),
            ),
            UnknownPair { province, partner } => with(
                format!("“{province}”与“{partner}”不在东西部协作结对关系中"),
                "如属原有或市县级结对可忽略；否则请检查 结对 字段，或在 site.yaml 的 pairs 中补充"
                    .into(),
            ),
            PairNotWithProvince {
                province,
                east,
                west,
            } => with(
                format!("结对“{east}—{west}”不含报送省份“{province}”"),
                "请检查 省份 与 结对 字段".into(),
            ),
            PairShortName { value, fix } => with(
                format!("“{value}”是结对简称，结对字段应写对方省份"),
                format!("请写成 pair: {fix}"),
            ),
            PairSameSide { east, west } => none(format!("结对双方相同：“{east}”与“{west}”")),
            BadSlug { value } => with(
                format!("网址名“{value}”无效"),
                "只用小写字母、数字和连字符，例如 qiandongnan-foshan".into(),
            ),
            DuplicateSlug { slug, other } => with(
                format!("网址名“{slug}”重复，与 {other} 相同"),
                "请在其中一个文件中用 slug 字段另取名称".into(),
            ),
            UrlCollision { url, other } => with(
                format!("输出地址 {url} 与 {other} 冲突"),
                "两个文件不能生成同一个网页，请修改 slug".into(),
            ),
            CopiedFileCollision { url, other } => with(
                format!("此文件会发布到 {url}，与{other} 冲突"),
                "请给文件改名，或放到别的文件夹".into(),
            ),
            DuplicateBulletin { label, other } => with(
                format!("简报期号“{label}”重复，与 {other} 相同"),
                "同一年份的期号不能重复".into(),
            ),
            MissingCase { reference } => with(
                format!("收录的案例“{reference}”不存在"),
                "请写 content/cases/ 下已有案例的 slug 或文件路径".into(),
            ),
            DraftCase { reference } => with(
                format!("收录的案例“{reference}”是草稿，本次不会发布"),
                "请先把该案例的 draft 改为 false，或从 收录 中移除".into(),
            ),
            ScriptLink { target } => with(
                format!("链接地址“{target}”会在浏览器中运行脚本，已删除该链接"),
                "请改为网页地址（https://…）或站内文件的相对路径".into(),
            ),
            BrokenLink { target } => with(
                format!("链接的文件“{target}”不存在"),
                "请检查相对路径，例如 ../brands/lvliangshan-hugong.md".into(),
            ),
            MissingFile { file } => with(
                format!("文件“{file}”不存在"),
                "路径相对于当前 Markdown 文件所在目录".into(),
            ),
            BrokenAnchor {
                target,
                page,
                suggestion,
            } => with(
                format!("链接“{target}”指向的位置在 {page} 中不存在"),
                match suggestion {
                    Some(s) => format!("是否为“#{s}”？锚点由标题文字生成，去掉标点，空格变为连字符"),
                    None => "锚点由标题文字生成，例如“## 一、主要做法”的锚点是 #一主要做法".into(),
                },
            ),
            MissingPage { target } => with(
                format!("链接“{target}”在本站找不到对应的网页或文件"),
                "站内链接请写目标文件的相对路径，例如 ../brands/lvliangshan-hugong.md 或 ../static/files/x.pdf".into(),
            ),
            PreviewLink { target } => with(
                format!("链接“{target}”是本机预览地址，读者打不开"),
                "站内链接请写目标文件的相对路径，例如 ../cases/a.md".into(),
            ),
            OutsideBase { target, base } => with(
                format!("链接“{target}”不在本站地址 {base} 之下，发布后会指向网站以外"),
                "站内链接请写目标文件的相对路径，例如 ../cases/a.md，不要以 / 开头".into(),
            ),
            NotANumber { value, suggestion } => match suggestion {
                Some(s) => with(format!("“{value}”不是整数"), format!("请写成 {s}")),
                None => with(
                    format!("“{value}”不是整数"),
                    "请写阿拉伯数字，不带单位，例如 34000".into(),
                ),
            },
            NegativeCount => none("数量不能为负数".into()),
            CountTooLarge { value, max } => with(
                format!("数量 {value} 超过上限 {max}"),
                format!("请核对数字，数量不能大于 {max}（十亿）"),
            ),
            BadYear { value, suggestion } => match suggestion {
                Some(s) => with(format!("年份“{value}”无效"), format!("请写成 year: {s}")),
                None => with(
                    format!("年份“{value}”无效"),
                    format!(
                        "请写 {} 至 {} 之间的阿拉伯数字，例如 year: 2025",
                        YEARS.start(),
                        YEARS.end()
                    ),
                ),
            },
            IssueOutOfRange { value, max } => with(
                format!("期号 {value} 超出范围"),
                format!("期号应为 1 至 {max} 之间的整数，例如 issue: 1"),
            ),
            SumOverflow { year, records } => with(
                format!(
                    "{year}年各地区数量之和超出可表示范围：{}",
                    records.join("、")
                ),
                "请核对这些记录中的数字".into(),
            ),
            DuplicateKey {
                key,
                other,
                other_line,
            } => with(
                format!("字段“{key}”与第 {other_line} 行的“{other}”重复"),
                if key == other {
                    "同一字段只能写一次，请删去其中一行".into()
                } else {
                    "英文字段名和中文别名是同一字段，只保留一个".into()
                },
            ),
            EmptyStatsFile => with(
                "统计文件中没有任何记录，不会发布任何数据".into(),
                "按“- year: 2024”开头逐条填写记录，或删除此文件".into(),
            ),
            NoCounts => with(
                "记录中没有任何数量".into(),
                "至少填写 workshops、employed、poverty_alleviated、monitored、relocation_site 之一"
                    .into(),
            ),
            SharesExceedEmployed {
                alleviated,
                monitored,
                employed,
            } => with(
                format!(
                    "脱贫人口 {alleviated} 与监测对象 {monitored} 之和超过吸纳就业人数 {employed}"
                ),
                "两者都是吸纳就业人数中的“其中”项，请核对".into(),
            ),
            YearMismatch { year, as_of } => with(
                format!("年份 {year} 与截至日期 {as_of} 不一致"),
                "删去其中一个，或使两者一致".into(),
            ),
            DuplicateRecord {
                province,
                as_of,
                other,
            } => with(
                format!("{province} 截至 {as_of} 的记录重复，另见 {other}"),
                "每个地区每个截至日期只保留一条记录".into(),
            ),
            MissingSummary => with(
                "没有摘要，正文也没有可用作摘要的段落".into(),
                "请填写 summary（摘要）".into(),
            ),
            BadBaseUrl { value } => with(
                format!("网站地址“{value}”无效"),
                "应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/dxbrs/".into(),
            ),
            BadLanguage { value } => {
                with(format!("不支持的语言“{value}”"), "可选：zh-CN、en".into())
            }
            DuplicateTask { value } => none(format!("任务“{value}”重复")),
            BadTarget => with(
                format!("目标值应为 1 至 {MAX_COUNT} 之间的整数"),
                "例如 workshops: 30000".into(),
            ),
            Template(m) => none(format!("模板错误：{m}")),
            MissingSiteFile => with(
                "找不到网站配置文件 site.yaml".into(),
                "请在站点目录的 content/ 下创建 site.yaml，或用 xiezuo init 新建站点".into(),
            ),
            RawHtml => with(
                "正文中的 HTML 标签按原样文字显示，不会生效".into(),
                "请改用 Markdown 写法，例如 **加粗**、表格、图片".into(),
            ),
            LinkOutsideSite { target } => with(
                format!("符号链接指向站点文件夹之外的“{target}”，不会读取"),
                "请把要发布的文件复制到站点文件夹内，而不是链接到外面".into(),
            ),
            DanglingLink { target } => with(
                format!("符号链接指向的“{target}”不存在"),
                "请删除该链接，或让它指向站点内已有的文件".into(),
            ),
            LinkLoop { target } => with(
                format!("符号链接指向“{target}”，即包含它的文件夹，会无限循环"),
                "请删除该链接".into(),
            ),
            SpecialFile => with(
                "不是普通文件（命名管道、套接字或设备），无法发布".into(),
                "请删除它，或换成普通文件".into(),
            ),
            UnreadableFolder(e) => with(
                format!("无法读取文件夹：{}", zh_io(e)),
                "请检查文件夹的访问权限".into(),
            ),
            Hidden { folder } => with(
                if *folder {
                    "隐藏文件夹及其中的文件不会发布".into()
                } else {
                    "隐藏文件不会发布".into()
                },
                "名称以点开头的文件和文件夹都会跳过；如需发布，请去掉开头的点".into(),
            ),
            NotStatsFile => with(
                "统计文件夹中只读取 .yaml 和 .yml 文件，此文件不会读取".into(),
                "如为统计记录，请改用 .yaml 扩展名；否则请移出 stats/".into(),
            ),
            BackupFile => with(
                "备份文件（.bak）不会发布".into(),
                "这是转换编码前的原文件；确认转换后的文件无误后可删除".into(),
            ),
            NotPublished { folder: false } => with(
                "content/ 下除 site.yaml 外的文件不会发布".into(),
                "附件请放在 content/static/，页面请放在 content/pages/".into(),
            ),
            NotPublished { folder: true } => with(
                "不是已知的栏目文件夹，其中的文件不会发布".into(),
                "可用的文件夹：cases、brands、bulletins、pages、stats、static".into(),
            ),
            ReservedName { name } => with(
                format!("“{name}”是 Windows 的保留名称，在 Windows 上无法保存或打开"),
                "请重命名，例如在名称后加上说明文字".into(),
            ),
            InvisibleCharInName { code } => with(
                format!("名称含有不可见的控制字符 {code}，会使名称显示得与实际不同"),
                "请重命名，只用可见字符".into(),
            ),
            LookalikePathChar { ch } => with(
                format!("名称含有形似路径符号的全角字符“{ch}”"),
                format!("请重命名，去掉“{ch}”"),
            ),
            NameNotUtf8 => with("名称不是 UTF-8 编码".into(), "请重命名".into()),
            NameTooLong { len, max } => with(
                format!("名称长 {len} 字节，超过上限 {max} 字节"),
                "请改用较短的名称".into(),
            ),
            SlugTooLong { len, max } => with(
                format!("网址名长 {len} 个字符，超过上限 {max} 个字符"),
                "请用 slug 字段另取较短的网址名，例如 slug: qiandongnan-foshan".into(),
            ),
            PathTooLong { len, max } => with(
                format!("输出路径长 {len} 字节，超过上限 {max} 字节"),
                "请缩短文件名或减少文件夹层级".into(),
            ),
            BadTheme { value } => with(
                format!("主题“{value}”应为 themes/ 下的文件夹名称，不能是路径"),
                "例如 theme: default 表示 themes/default/".into(),
            ),
            SvgRemoved(removed) => with(svg_removed_zh(removed), SVG_HINT_ZH.into()),
            SvgUnparsable { fault, .. } => with(
                format!("SVG 文件无法解析：{}", xml_fault_zh(fault)),
                "请用绘图软件重新导出为 SVG，或检查这一行的标签是否成对".into(),
            ),
            SvgNotSvg { root } => with(
                format!("文件扩展名是 .svg，根元素却是 <{root}> 而不是 <svg>"),
                "请导出为 SVG 图形，或改用与内容相符的扩展名".into(),
            ),
            ScriptFile { ext, rel } => with(
                format!("网站不发布 .{ext} 文件：浏览器会在本站域名下运行其中的脚本"),
                format!(
                    "如文件可信、确需发布，请在 site.yaml 中写 trusted_files: [{rel}]（可信文件）；否则请删除，或改为 PDF 等附件"
                ),
            ),
            UnknownTrustedFile { value } => with(
                format!("可信文件“{value}”不是本站要发布的文件"),
                "请写 content/ 下的路径，例如 static/embed/map.html".into(),
            ),
            MissingOption { option, example } => {
                with(format!("缺少 {option}"), format!("例如 {example}"))
            }
            FileExists => with(
                "文件已存在，没有改动".into(),
                "请换一个标题，或用 --slug 另取文件名".into(),
            ),
            ThemeNotFound { value } => with(
                format!("找不到主题文件夹 themes/{value}/"),
                "请检查主题名称，或删去 theme 一行以使用内置主题".into(),
            ),
            MissingTrustMark {
                which: TrustMark::SiteIdCode,
            } => with(
                "未填写网站标识码，政府网站的页脚须显示网站标识码".into(),
                "请填写，如 site_id_code: \"1234567890\"；网站确实没有标识码时写 site_id_code: 无".into(),
            ),
            MissingTrustMark {
                which: TrustMark::Icp,
            } => with(
                "未填写ICP备案号，网站页脚须显示备案号".into(),
                "请填写，如 icp: 京ICP备12345678号；作为门户网站的专栏等确实没有单独备案号时写 icp: 无".into(),
            ),
            LogoNotFound { value } => with(
                format!("找不到徽标文件 static/{value}，页头改为显示网站名称"),
                "请把徽标图片放在 content/static/ 下，并写它在 static/ 中的路径，如 logo: logo.svg".into(),
            ),
            ImageNotWhatItSays { ext, found: Some(found) } => with(
                format!("扩展名是 .{}，文件内容却是 {found} 格式，无法处理", ext.to_lowercase()),
                "请用图片软件另存为 JPEG 或 PNG（iPhone 可在“设置 › 相机 › 格式”中选“兼容性最佳”）".into(),
            ),
            ImageNotWhatItSays { ext, found: None } => with(
                format!("文件不是可识别的 {ext} 图片"),
                "请确认文件完整，或用图片软件重新导出为 JPEG 或 PNG".into(),
            ),
            ImageTruncated => with(
                "JPEG 图片不完整：文件在图片数据结束前就断了，发布后会有一块灰色".into(),
                "可能没有复制或下载完整，请重新复制原图".into(),
            ),
            ImageCorrupt { detail } => with(
                format!("图片无法解码：{detail}"),
                "请用图片软件打开确认，并重新导出为 JPEG 或 PNG".into(),
            ),
            ImageTooManyPixels { width, height, max } => with(
                format!("图片有 {width}×{height} 像素，超过上限 {} 万像素", max / 10_000),
                "请先用图片软件缩小到 6000 像素宽以内".into(),
            ),
            MetadataKept { format } => with(
                format!("{format} 图片带有 EXIF 或 XMP 元数据（可能含拍摄位置），会原样公开"),
                "请用图片软件另存为 JPEG 或 PNG：网站发布 JPEG、PNG 前会去除全部元数据".into(),
            ),
            LargeOriginal { bytes } => with(
                format!("原图 {} 超过 20 MB", crate::media::format_size(*bytes)),
                "网站只发布缩小后的图片，但过大的原图会拖慢首次构建并占用存储，请先压缩到 20 MB 以内".into(),
            ),
            ImageWithoutAlt => with(
                "图片没有替代文字，读屏软件无法描述这张图".into(),
                "请在方括号中写出图片内容，例如 ![学员在帮扶车间练习缝纫](photo.jpg)".into(),
            ),
            MissingImage { target } => with(
                format!("图片“{target}”不存在，页面上只显示它的替代文字"),
                "路径相对于当前 Markdown 文件所在目录；请检查文件名及扩展名的大小写".into(),
            ),
            MissingAttachment { target } => with(
                format!("附件“{target}”不存在"),
                "请把文件放在 content/static/ 或页面所在文件夹，路径相对于当前 Markdown 文件".into(),
            ),
            UnshowableImage { ext } => with(
                format!("浏览器不能显示 .{ext} 格式的图片"),
                "请用图片软件另存为 JPEG 或 PNG 后再引用".into(),
            ),
            CoverNotImage { file } => with(
                format!("封面“{file}”不是图片"),
                "封面应为 JPEG、PNG、SVG、GIF 或 WebP 图片".into(),
            ),
            ImageCopyCollision { url, other } => with(
                format!("此照片缩小后的副本会发布到 {url}，与 {other} 冲突"),
                "请给其中一个文件改名：副本的名称是照片名加 -480w、-960w、-1600w".into(),
            ),
        }
    }

    fn en(&self) -> (String, Option<String>) {
        use Problem::*;
        let none = |m: String| (m, None);
        let with = |m: String, h: String| (m, Some(h));
        match self {
            Io(e) => none(format!("cannot read the file: {e}")),
            NotUtf8 { file } => with(
                "the file is not UTF-8 (GBK?)".into(),
                format!("run xiezuo fix-encoding {} to convert it (the original is kept as .bak), or save it again with UTF-8 encoding", shell_word(file)),
            ),
            NoFrontMatter => with(
                "front matter is missing".into(),
                "the first line must be ---, then the fields, then ---".into(),
            ),
            UnclosedFrontMatter => with("front matter is not closed".into(), "add a line with --- after the fields".into()),
            YamlTooLarge => with("the YAML expands past the parser's limit: anchors (&) and aliases (*) refer to each other over and over".into(), "write the values out instead of repeating them with & and *".into()),
            Yaml { syntax, detail } => yaml_en(*syntax, detail),
            FullWidthColon { key, line, fixed } => with(format!("line {line}: `{key}` is followed by a full-width colon `：`; write a half-width colon and a space"), format!("write {fixed}")),
            NoSpaceAfterColon { key, line, fixed } => with(format!("line {line}: the colon after `{key}` needs a space after it"), format!("write {fixed}")),
            NotAMapping => with("expected `key: value` lines".into(), "write one field per line, e.g. title: ...".into()),
            NotAList => with("a statistics file must be a list of records".into(), "start each record with `- `".into()),
            StatsSingleRecord => with("a statistics file must be a list of records; this one holds a single record that does not start with `- `".into(), "put `- ` before the first field and indent the other fields by two spaces, e.g. - year: 2023".into()),
            UnknownKey { key, suggestion, known } => match suggestion {
                Some(s) => with(format!("unknown key `{key}`"), format!("did you mean `{s}`?")),
                None => with(format!("unknown key `{key}`"), format!("known keys: {}", known.join(", "))),
            },
            MissingField => with("required field is missing".into(), "add this field".into()),
            WrongType { expected, detail } => with(format!("wrong type: expected {expected}"), detail.clone()),
            EmptyValue => none("the value is empty".into()),
            BadDate { value, suggestion } => match suggestion {
                Some(s) => with(format!("date `{value}` is not in YYYY-MM-DD form"), format!("write {s}")),
                None => with(format!("invalid date `{value}`"), "write YYYY-MM-DD, e.g. 2023-06-12".into()),
            },
            UnknownProvince { value, suggestion } => match suggestion {
                Some(s) => with(format!("unknown province `{value}`"), format!("did you mean `{s}`?")),
                None => with(format!("unknown province `{value}`"), "write a provincial-level division, e.g. 贵州省".into()),
            },
            UnknownTask { value, vocabulary } => with(format!("unknown task `{value}`"), format!("one of: {}", vocabulary.join(", "))),
            UnknownPair { province, partner } => with(
                format!("{province} and {partner} are not an east–west pair"),
                "ignore for older or city-level pairs; otherwise fix `pair` or add it to `pairs` in site.yaml".into(),
            ),
            PairNotWithProvince { province, east, west } => with(
                format!("pair {east}–{west} does not include the reporting province {province}"),
                "check `province` and `pair`".into(),
            ),
            PairShortName { value, fix } => with(format!("`{value}` is a pair's short name; `pair` takes the partner province"), format!("write pair: {fix}")),
            PairSameSide { east, west } => none(format!("both sides of the pair are the same: {east} and {west}")),
            BadSlug { value } => with(format!("invalid slug `{value}`"), "use lowercase letters, digits and hyphens".into()),
            DuplicateSlug { slug, other } => with(format!("slug `{slug}` is also used by {other}"), "give one of them another `slug`".into()),
            UrlCollision { url, other } => with(format!("output URL {url} is also written by {other}"), "change one slug".into()),
            CopiedFileCollision { url, other } => with(format!("this file would be published at {url}, where {other} is"), "rename the file or move it to another folder".into()),
            DuplicateBulletin { label, other } => with(format!("bulletin {label} also defined in {other}"), "issue numbers are unique per year".into()),
            MissingCase { reference } => with(format!("carried case `{reference}` does not exist"), "use the slug or path of a file in content/cases/".into()),
            DraftCase { reference } => with(format!("carried case `{reference}` is a draft"), "publish it or remove it from `cases`".into()),
            ScriptLink { target } => with(format!("the link `{target}` would run script in the browser; it is removed"), "link to a web address (https://…) or to a file of the site by its relative path".into()),
            BrokenLink { target } => with(format!("linked file `{target}` does not exist"), "check the relative path".into()),
            MissingFile { file } => with(format!("file `{file}` does not exist"), "paths are relative to the Markdown file".into()),
            BrokenAnchor { target, page, suggestion } => with(
                format!("the link `{target}` points to a place {page} does not have"),
                match suggestion {
                    Some(s) => format!("did you mean `#{s}`? Anchors are made from heading text, without punctuation, spaces as hyphens"),
                    None => "anchors are made from heading text: `## Work relief` is #work-relief".into(),
                },
            ),
            PreviewLink { target } => with(format!("the link `{target}` is the local preview's address: readers cannot open it"), "link to the file by its relative path, e.g. ../cases/a.md".into()),
            MissingPage { target } => with(format!("the link `{target}` points to no page or file of the site"), "link to the file by its relative path, e.g. ../brands/lvliangshan-hugong.md or ../static/files/x.pdf".into()),
            OutsideBase { target, base } => with(format!("the link `{target}` is outside the site's address {base}: once published it leads off the site"), "link to the file by its relative path, e.g. ../cases/a.md, not starting with /".into()),
            NotANumber { value, suggestion } => match suggestion {
                Some(s) => with(format!("`{value}` is not an integer"), format!("write {s}")),
                None => with(format!("`{value}` is not an integer"), "write digits without units, e.g. 34000".into()),
            },
            NegativeCount => none("counts cannot be negative".into()),
            CountTooLarge { value, max } => with(format!("count {value} exceeds the limit {max}"), format!("check the figure; counts are at most {max} (one billion)")),
            BadYear { value, suggestion } => match suggestion {
                Some(s) => with(format!("invalid year `{value}`"), format!("write year: {s}")),
                None => with(format!("invalid year `{value}`"), format!("write digits from {} to {}, e.g. year: 2025", YEARS.start(), YEARS.end())),
            },
            IssueOutOfRange { value, max } => with(format!("issue number {value} is out of range"), format!("write an integer from 1 to {max}, e.g. issue: 1")),
            SumOverflow { year, records } => with(format!("the {year} sum over regions does not fit: {}", records.join(", ")), "check the figures of these records".into()),
            DuplicateKey { key, other, other_line } => with(
                format!("`{key}` repeats `{other}` of line {other_line}"),
                if key == other {
                    "a field may be written once: remove one of the lines".into()
                } else {
                    "an English key and its Chinese alias are the same field: keep one".into()
                },
            ),
            EmptyStatsFile => with("the statistics file holds no record: nothing of it is published".into(), "write records starting with `- year: 2024`, or delete the file".into()),
            NoCounts => with("the record has no counts".into(), "give at least one of workshops, employed, poverty_alleviated, monitored, relocation_site".into()),
            SharesExceedEmployed { alleviated, monitored, employed } => with(
                format!("poverty_alleviated {alleviated} + monitored {monitored} exceed employed {employed}"),
                "both are parts of employed".into(),
            ),
            YearMismatch { year, as_of } => with(format!("year {year} disagrees with as_of {as_of}"), "remove one or make them agree".into()),
            DuplicateRecord { province, as_of, other } => with(format!("second record for {province} as of {as_of}; see {other}"), "keep one record per region and date".into()),
            MissingSummary => with("no summary and no paragraph to take one from".into(), "add `summary`".into()),
            BadBaseUrl { value } => with(format!("invalid base_url `{value}`"), "start with http:// or https://".into()),
            BadLanguage { value } => with(format!("unsupported language `{value}`"), "one of: zh-CN, en".into()),
            DuplicateTask { value } => none(format!("task `{value}` is listed twice")),
            BadTarget => with(format!("targets must be integers from 1 to {MAX_COUNT}"), "e.g. workshops: 30000".into()),
            Template(m) => none(format!("template error: {m}")),
            MissingSiteFile => with("site.yaml not found".into(), "create content/site.yaml, or run `xiezuo init`".into()),
            RawHtml => with("raw HTML is shown as text, not rendered".into(), "use Markdown instead".into()),
            LinkOutsideSite { target } => with(format!("symbolic link points outside the site folder, to `{target}`; it is not read"), "copy the file into the site folder instead of linking to it".into()),
            DanglingLink { target } => with(format!("symbolic link points to `{target}`, which does not exist"), "delete the link or point it at a file in the site".into()),
            LinkLoop { target } => with(format!("symbolic link points to `{target}`, a folder that contains it (a loop)"), "delete the link".into()),
            SpecialFile => with("not a regular file (a pipe, socket or device); it cannot be published".into(), "delete it or replace it with a regular file".into()),
            UnreadableFolder(e) => with(format!("cannot read the folder: {e}"), "check the folder's permissions".into()),
            Hidden { folder: true } => with("hidden folder: nothing in it is published".into(), "names starting with a dot are skipped; remove the dot to publish it".into()),
            Hidden { folder: false } => with("hidden file: not published".into(), "names starting with a dot are skipped; remove the dot to publish it".into()),
            NotStatsFile => with("only .yaml and .yml files are read in stats/; this file is not".into(), "rename it to .yaml if it holds records, or move it out of stats/".into()),
            BackupFile => with("backup files (.bak) are not published".into(), "this is the original kept when the file was converted; delete it once the converted file is right".into()),
            NotPublished { folder: false } => with("files directly in content/ other than site.yaml are not published".into(), "put attachments in content/static/ and pages in content/pages/".into()),
            NotPublished { folder: true } => with("not a known section folder: nothing in it is published".into(), "known folders: cases, brands, bulletins, pages, stats, static".into()),
            ReservedName { name } => with(format!("`{name}` is a reserved name on Windows"), "rename it, e.g. add a word to the name".into()),
            InvisibleCharInName { code } => with(format!("the name contains the invisible character {code}, which makes it display differently from what it is"), "rename it using visible characters only".into()),
            LookalikePathChar { ch } => with(format!("the name contains `{ch}`, a full-width look-alike of a path character"), format!("rename it without `{ch}`")),
            NameNotUtf8 => with("the name is not UTF-8".into(), "rename it".into()),
            NameTooLong { len, max } => with(format!("the name is {len} bytes long, more than the maximum of {max}"), "use a shorter name".into()),
            SlugTooLong { len, max } => with(format!("the slug is {len} characters long, more than the maximum of {max}"), "set a shorter `slug:`, e.g. slug: qiandongnan-foshan".into()),
            PathTooLong { len, max } => with(format!("the output path is {len} bytes long, more than the maximum of {max}"), "shorten the file name or use fewer folders".into()),
            BadTheme { value } => with(format!("theme `{value}` must be the name of a folder in themes/, not a path"), "e.g. theme: default for themes/default/".into()),
            SvgRemoved(removed) => with(svg_removed_en(removed), SVG_HINT_EN.into()),
            SvgUnparsable { detail, .. } => with(format!("the SVG file cannot be parsed: {detail}"), "export it again from the drawing program, or check that the tags on this line are closed".into()),
            SvgNotSvg { root } => with(format!("the file is named .svg but its root element is <{root}>, not <svg>"), "export an SVG drawing, or give the file the extension of what it holds".into()),
            ScriptFile { ext, rel } => with(
                format!("`.{ext}` files are not published: a browser runs the script in them on the site's origin"),
                format!("if the file is trusted and must be published, add `trusted_files: [{rel}]` to site.yaml; otherwise delete it or publish a PDF instead"),
            ),
            UnknownTrustedFile { value } => with(format!("trusted file `{value}` is not a file the site publishes"), "write its path under content/, e.g. static/embed/map.html".into()),
            MissingOption { option, example } => with(format!("{option} is required"), format!("e.g. {example}")),
            FileExists => with("the file exists already; nothing was changed".into(), "choose another title, or another file name with --slug".into()),
            ThemeNotFound { value } => with(format!("there is no theme folder themes/{value}/"), "check the name, or remove the theme line to use the built-in theme".into()),
            MissingTrustMark { which: TrustMark::SiteIdCode } => with("no site identification code (网站标识码): a government site shows it in its footer".into(), "write it, e.g. site_id_code: \"1234567890\"; if the site has none, write site_id_code: none".into()),
            MissingTrustMark { which: TrustMark::Icp } => with("no ICP licence number (ICP备案号): the footer shows it".into(), "write it, e.g. icp: 京ICP备12345678号; if the site has none of its own (a column inside a portal), write icp: none".into()),
            LogoNotFound { value } => with(format!("logo file static/{value} not found; the header shows the site title instead"), "put the image under content/static/ and write its path there, e.g. logo: logo.svg".into()),
            ImageNotWhatItSays { ext, found: Some(found) } => with(format!("the file is named .{} but holds a {found} image, which cannot be processed", ext.to_lowercase()), "save it as JPEG or PNG from an image editor (on an iPhone: Settings › Camera › Formats › Most Compatible)".into()),
            ImageNotWhatItSays { ext, found: None } => with(format!("the file is not a readable {ext} image"), "check that the file is whole, or export it again as JPEG or PNG".into()),
            ImageTruncated => with("the JPEG is incomplete: the file ends before the image data does, and would be published with a grey band".into(), "it was probably copied or downloaded in part: copy the original again".into()),
            ImageCorrupt { detail } => with(format!("the image cannot be decoded: {detail}"), "open it in an image editor and export it again as JPEG or PNG".into()),
            ImageTooManyPixels { width, height, max } => with(format!("the image has {width}×{height} pixels, more than the maximum of {} megapixels", max / 1_000_000), "scale it down to at most 6,000 pixels wide first".into()),
            MetadataKept { format } => with(format!("the {format} image carries EXIF or XMP metadata (perhaps where it was taken), published as it is"), "save it as JPEG or PNG: the build removes all metadata from those".into()),
            LargeOriginal { bytes } => with(format!("the original is {}, more than 20 MB", crate::media::format_size(*bytes)), "only the small copies are published, but large originals slow the first build and fill the disk: compress it below 20 MB".into()),
            ImageWithoutAlt => with("the image has no alternative text: a screen reader cannot describe it".into(), "describe the picture between the brackets, e.g. ![trainees at a sewing workshop](photo.jpg)".into()),
            MissingImage { target } => with(format!("image `{target}` does not exist; the page shows its alternative text only"), "paths are relative to the Markdown file; check the case of the name and extension".into()),
            MissingAttachment { target } => with(format!("attachment `{target}` does not exist"), "put the file in content/static/ or beside the page; paths are relative to the Markdown file".into()),
            UnshowableImage { ext } => with(format!("browsers cannot show .{ext} images"), "save it as JPEG or PNG and link that instead".into()),
            CoverNotImage { file } => with(format!("the cover `{file}` is not an image"), "a cover is a JPEG, PNG, SVG, GIF or WebP image".into()),
            ImageCopyCollision { url, other } => with(format!("a smaller copy of this photo would be published at {url}, where {other} is"), "rename one of them: copies are named after the photo with -480w, -960w, -1600w".into()),
        }
    }
}

impl YamlSyntax {
    fn code(self) -> &'static str {
        match self {
            YamlSyntax::UnclosedQuote => "yaml-unclosed-quote",
            YamlSyntax::TextAfterQuote => "yaml-text-after-quote",
            YamlSyntax::UnclosedBracket => "yaml-unclosed-bracket",
            YamlSyntax::Tab => "yaml-tab",
            YamlSyntax::Indentation => "yaml-indentation",
            YamlSyntax::ReservedStart(_) => "yaml-reserved-start",
            YamlSyntax::UnknownAnchor => "yaml-unknown-anchor",
            YamlSyntax::BadEscape => "yaml-bad-escape",
            YamlSyntax::NotKeyValue => "yaml-not-key-value",
            YamlSyntax::NotARecord => "yaml-not-a-record",
            YamlSyntax::DuplicateKey => "yaml-duplicate-key",
            YamlSyntax::SecondDocument => "yaml-second-document",
            YamlSyntax::CommentInText => "yaml-comment-in-text",
            YamlSyntax::Other => "yaml-syntax",
        }
    }
}

fn xml_fault_zh(fault: &XmlFault) -> String {
    match fault {
        XmlFault::MismatchedTag { expected, found } => {
            format!("这里应结束 <{expected}>，却是 </{found}>")
        }
        XmlFault::Unclosed => "文件在元素结束前就结束了".into(),
        XmlFault::UnknownEntity(name) => format!("未声明的实体引用 &{name};"),
        XmlFault::TooLarge => "实体层层引用或元素过多，超出了解析上限".into(),
        XmlFault::DuplicateAttribute(name) => format!("属性 {name} 写了两次"),
        XmlFault::LessThanInAttribute => "属性值中有未转义的“<”".into(),
        XmlFault::Other => "XML 格式错误".into(),
    }
}

fn yaml_zh(syntax: YamlSyntax) -> (String, Option<String>) {
    let (message, hint) = match syntax {
        YamlSyntax::UnclosedQuote => (
            "引号没有成对".to_owned(),
            "请补上另一半引号，或去掉引号".to_owned(),
        ),
        YamlSyntax::TextAfterQuote => (
            "引号后面还有文字：引号要括住整个取值".into(),
            "整个取值放在一对引号里，例如 title: '“山海”同心'；文中的引号请用中文引号".into(),
        ),
        YamlSyntax::UnclosedBracket => (
            "方括号或花括号没有成对".into(),
            "列表写成 [甲, 乙]，括号要成对，且写在同一行".into(),
        ),
        YamlSyntax::Tab => (
            "这一行有制表符（Tab）".into(),
            "请用空格缩进，不要用 Tab 键".into(),
        ),
        YamlSyntax::Indentation => (
            "这一行的缩进或冒号位置不对".into(),
            "每个字段顶格写成“字段: 值”；取值中含有“: ”时请给取值加引号".into(),
        ),
        YamlSyntax::ReservedStart(c) => (
            format!("取值不能以“{c}”开头"),
            format!("请给取值加引号，例如 \"{c}…\""),
        ),
        YamlSyntax::UnknownAnchor => (
            "取值以“*”开头，会被当作引用".into(),
            "请给取值加引号，例如 \"*…\"".into(),
        ),
        YamlSyntax::BadEscape => (
            "双引号中的反斜杠“\\”会被当作转义符".into(),
            "请改用单引号，或把 \\ 写成 \\\\".into(),
        ),
        YamlSyntax::NotKeyValue => (
            "这一行不是“字段: 值”的写法".into(),
            "头部信息每行写一个字段，例如 标题: 山海同心；正文请写在第二个 --- 之后".into(),
        ),
        YamlSyntax::NotARecord => (
            "这一项不是“字段: 值”写成的记录".into(),
            "每条记录以“- ”开头，其后每行一个字段，例如：- year: 2023".into(),
        ),
        YamlSyntax::DuplicateKey => ("同一字段写了两次".into(), "只保留一个".into()),
        YamlSyntax::SecondDocument => (
            "文件中多了一行 ---，后面的内容会被当作另一个文件".into(),
            "删去多余的 --- 行".into(),
        ),
        YamlSyntax::CommentInText => (
            "多行文字中间有 # 开头的注释".into(),
            "请给整段文字加引号，或删去注释".into(),
        ),
        YamlSyntax::Other => (
            "YAML 格式错误，这一行无法识别".into(),
            "检查冒号后是否有空格、缩进是否对齐、引号是否成对".into(),
        ),
    };
    (message, Some(hint))
}

fn yaml_en(syntax: YamlSyntax, detail: &str) -> (String, Option<String>) {
    let hint = match syntax {
        YamlSyntax::UnclosedQuote => "close the quote, or remove it".to_owned(),
        YamlSyntax::TextAfterQuote => "quotes must hold the whole value, e.g. title: '\"Mountains\" and sea'".into(),
        YamlSyntax::UnclosedBracket => "write lists as [a, b] on one line, brackets paired".into(),
        YamlSyntax::Tab => "indent with spaces, not tabs".into(),
        YamlSyntax::Indentation => "start each field at the beginning of its line as `key: value`; quote a value that contains `: `".into(),
        YamlSyntax::ReservedStart(c) => format!("quote the value, e.g. \"{c}…\""),
        YamlSyntax::UnknownAnchor => "quote the value, e.g. \"*…\"".into(),
        YamlSyntax::BadEscape => "use single quotes, or write \\ as \\\\".into(),
        YamlSyntax::NotKeyValue => "write one `key: value` per line; the body goes after the second ---".into(),
        YamlSyntax::NotARecord => "start each record with `- ` and write one `key: value` per line, e.g. - year: 2023".into(),
        YamlSyntax::DuplicateKey => "keep one of them".into(),
        YamlSyntax::SecondDocument => "remove the extra --- line".into(),
        YamlSyntax::CommentInText => "quote the whole text, or remove the comment".into(),
        YamlSyntax::Other => "check the space after each colon, indentation and quotes".into(),
    };
    (format!("YAML syntax error: {detail}"), Some(hint))
}

/// An operating-system error in Chinese. std words them in English (`Permission denied (os
/// error 13)`); the error number says which one it is on every Unix and on Windows alike for
/// the common ones.
fn zh_io(e: &str) -> String {
    let code = e
        .rsplit_once("(os error ")
        .and_then(|(_, n)| n.trim_end_matches(')').parse::<i32>().ok());
    match code {
        Some(2 | 3) => "文件或文件夹不存在".into(),
        Some(5) if cfg!(windows) => "没有访问权限".into(),
        Some(13 | 1) => "没有访问权限".into(),
        Some(5) => "磁盘读写错误".into(),
        Some(20) => "路径中有一部分不是文件夹".into(),
        Some(21) => "这是一个文件夹，不是文件".into(),
        Some(36) => "名称过长".into(),
        Some(40) => "符号链接层数过多（可能循环）".into(),
        Some(24 | 23) => "同时打开的文件过多，请稍后重试".into(),
        Some(n) => format!("系统错误（错误号 {n}）"),
        None => "系统错误".into(),
    }
}

/// `path` as one word of a shell command: quoted when it holds spaces or quotes.
fn shell_word(path: &str) -> String {
    if path.contains([' ', '\'', '"', '\t', '$', '&', ';', '(', ')']) {
        format!("'{}'", path.replace('\'', "'\\''"))
    } else {
        path.to_owned()
    }
}

const SVG_HINT_ZH: &str =
    "SVG 只发布绘图内容；确需原样发布时，请把此文件列入 site.yaml 的 trusted_files（可信文件）";
const SVG_HINT_EN: &str = "SVG files keep their drawing only; to publish this file as it is, list it in `trusted_files` in site.yaml";

fn svg_removed_zh(removed: &Removed) -> String {
    match removed {
        Removed::Element { name } => format!("已删除 SVG 元素 <{name}> 及其内容"),
        Removed::Attribute { element, name } => format!("已删除 <{element}> 的属性 {name}"),
        Removed::Reference {
            element,
            name,
            value,
        } => {
            format!("已删除 <{element}> 的 {name}=“{value}”：只能引用本文件内的 #id")
        }
        Removed::Style { element, css } => {
            format!("已删除 <{element}> 中的样式“{css}”：样式不能引用外部文件或使用绘图以外的属性")
        }
        Removed::Instruction { text } => format!("已删除处理指令 {text}"),
        Removed::Entities => "已删除 DOCTYPE 中的实体声明（实体已展开，并同样检查）".into(),
    }
}

fn svg_removed_en(removed: &Removed) -> String {
    match removed {
        Removed::Element { name } => format!("removed the SVG element <{name}> and its content"),
        Removed::Attribute { element, name } => format!("removed the attribute {name} of <{element}>"),
        Removed::Reference { element, name, value } => {
            format!("removed {name}=\"{value}\" of <{element}>: only references to an #id in the same file are kept")
        }
        Removed::Style { element, css } => {
            format!("removed the style `{css}` of <{element}>: styles may not load files or set properties other than drawing ones")
        }
        Removed::Instruction { text } => format!("removed the processing instruction {text}"),
        Removed::Entities => "removed the DOCTYPE's entity declarations (the entities were expanded and checked like the rest)".into(),
    }
}

fn zh_type(expected: &str) -> &str {
    match expected {
        "text" => "文字",
        "list" => "列表（如 [甲, 乙]）",
        "integer" => "整数",
        "boolean" => "true 或 false",
        "pair" => "省份名或 {east: 东部省份, west: 西部省份}",
        "mapping" => "“键: 值”对",
        "date" => "日期 YYYY-MM-DD",
        _ => expected,
    }
}
