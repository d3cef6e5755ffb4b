//! The one module that knows the Markdown engine (comrak).
//!
//! comrak is used instead of pulldown-cmark because pulldown-cmark 0.13.6 leaves
//! `**注意：**本文` as literal asterisks: CommonMark's flanking rules treat the full-width colon
//! as punctuation before a letter, and only comrak's `cjk_friendly_emphasis` follows the
//! CJK-friendly amendment. Besides rendering, this module rewrites links between content files
//! into page URLs, joins soft line breaks between Chinese characters, derives the table of
//! contents and the first paragraph, and reports raw HTML and broken links. Photos the build
//! processed are written with their copies (`srcset`, `sizes`, `width`, `height`), links to
//! attachments with their kind and size, both from [`Media`]. It never reads files.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};

use comrak::html::{ChildRendering, Context};
use comrak::nodes::{AstNode, NodeValue};
use comrak::options::Plugins;
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::{Anchorizer, Arena, Options};

use crate::media::{self, Attachment, Media};
use crate::model::Picture;
use crate::problem::{Lang, Problem};

/// A configured renderer, built once per build and shared between threads.
pub struct Markdown {
    options: Options<'static>,
    highlighter: SyntectAdapter,
}

/// Where a document sits, so its relative links can be resolved.
pub struct DocContext<'a> {
    /// The folder of the source file relative to the content folder (`cases/minning-zhen`).
    pub dir: &'a str,
    /// Line of the file on which the Markdown starts.
    pub first_line: usize,
    /// Content-relative file path → root-relative URL, for pages and copied files.
    pub targets: &'a HashMap<String, String>,
    /// The site's processed photos and attachments.
    pub media: &'a Media,
    /// The language of the words around attachments.
    pub lang: Lang,
}

/// A rendered document.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the first paragraph, if there is one.
    pub first_paragraph: Option<String>,
    /// The whole document as plain text, one block per line, for search.
    pub text: String,
    /// Problems found, with the file line they are on.
    pub problems: Vec<(usize, Problem)>,
}

/// A link or image as written in a document, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRef {
    /// Line of the file.
    pub line: usize,
    /// 1-based character column on that line.
    pub column: usize,
    pub url: String,
}

/// A heading of level 2 or 3, for the page's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, Hash)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

impl Default for Markdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Markdown {
    /// CommonMark + GFM with CJK-friendly emphasis, footnotes and class-based highlighting.
    pub fn new() -> Self {
        let mut options = Options::default();
        let ext = &mut options.extension;
        ext.strikethrough = true;
        ext.table = true;
        ext.autolink = true;
        ext.tasklist = true;
        ext.footnotes = true;
        ext.cjk_friendly_emphasis = true;
        ext.header_id_prefix = Some(String::new());
        // Raw HTML is shown as text, never passed through: authors' HTML must not be able to
        // inject script into a public government site. It is reported, so nothing is lost silently.
        options.render.escape = true;
        options.render.tasklist_classes = true;
        let highlighter = SyntectAdapterBuilder::new().css().build();
        Markdown {
            options,
            highlighter,
        }
    }

    /// Renders `text`, resolving links against `ctx`.
    pub fn render(&self, text: &str, ctx: &DocContext) -> Rendered {
        // Control characters would make feeds invalid XML and pages invalid HTML; removing them
        // before parsing keeps the HTML, the plain text and the summary free of them alike.
        // Line feeds stay, so every reported line is still the author's.
        let text = crate::xml::remove_forbidden_chars(text);
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, &text, &self.options);
        let mut problems = Vec::new();
        let line_of = |node: &AstNode| node.data().sourcepos.start.line + ctx.first_line - 1;

        let mut soft_breaks = Vec::new();
        let mut first_paragraph = None;
        let mut toc = Vec::new();
        let mut anchorizer = Anchorizer::new();
        let mut html_lines = HashSet::new();
        let mut decorations = Decorations {
            lang: ctx.lang,
            ..Decorations::default()
        };
        let mut missing_images = Vec::new();
        for node in root.descendants() {
            let mut data = node.data_mut();
            let is_image = matches!(data.value, NodeValue::Image(_));
            match &mut data.value {
                NodeValue::Link(link) | NodeValue::Image(link) => {
                    let written = link.url.clone();
                    let target = resolve_target(&written, ctx);
                    if let Some((_, url)) = &target {
                        link.url = url.clone();
                    } else if runs_script(&written) {
                        // The renderer would drop it too; removing it here makes that certain
                        // and lets the author hear why, rather than "missing file".
                        link.url.clear();
                    }
                    drop(data);
                    let line = line_of(node);
                    if is_image && plain_text(node).trim().is_empty() {
                        problems.push((line, Problem::ImageWithoutAlt));
                    }
                    match target {
                        Some((rel, url)) => {
                            if let Some(p) = ctx.media.picture(&rel).filter(|_| is_image) {
                                decorations.pictures.insert(url, p.clone());
                            } else if is_image && media::is_unshowable_image(&rel) {
                                let ext = rel.rsplit_once('.').map_or("", |e| e.1).to_lowercase();
                                problems.push((line, Problem::UnshowableImage { ext }));
                            } else if let Some(a) = ctx.media.attachment(&rel).filter(|_| !is_image)
                            {
                                decorations.attachments.insert(url, (rel, a.clone()));
                            }
                        }
                        None if runs_script(&written) => {
                            problems.push((line, Problem::ScriptLink { target: written }));
                        }
                        None if is_relative(&written) && is_image => {
                            missing_images.push(node);
                            problems.push((line, Problem::MissingImage { target: written }));
                        }
                        None if is_relative(&written) => {
                            let path = written.split(['#', '?']).next().unwrap_or_default();
                            let problem = if media::attachment_kind(path).is_some() {
                                Problem::MissingAttachment { target: written }
                            } else {
                                Problem::BrokenLink { target: written }
                            };
                            problems.push((line, problem));
                        }
                        None => {}
                    }
                }
                NodeValue::SoftBreak => soft_breaks.push(node),
                NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_) => {
                    drop(data);
                    let line = line_of(node);
                    // One report per line: `<b>…</b>` is two nodes but one thing to fix. A set,
                    // not a search of the reports so far, keeps 100,000 lines of HTML linear.
                    if html_lines.insert(line) {
                        problems.push((line, Problem::RawHtml));
                    }
                }
                NodeValue::Paragraph if first_paragraph.is_none() => {
                    drop(data);
                    let text = plain_text(node);
                    if !text.trim().is_empty() {
                        first_paragraph = Some(text.trim().to_owned());
                    }
                }
                NodeValue::Heading(h) => {
                    let level = h.level;
                    drop(data);
                    let title = plain_text(node);
                    let id = anchorizer.anchorize(&title);
                    if (2..=3).contains(&level) {
                        toc.push(TocEntry { level, id, title });
                    }
                }
                _ => {}
            }
        }
        // A photo that is not there is shown as its words, never as a broken image.
        for node in missing_images {
            while let Some(child) = node.first_child() {
                node.insert_before(child);
            }
            node.detach();
        }
        for node in soft_breaks {
            let before = node.previous_sibling().and_then(|n| edge_char(n, true));
            let after = node.next_sibling().and_then(|n| edge_char(n, false));
            if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
                node.detach();
            }
        }

        let plain = document_text(root);
        let mut plugins = Plugins::default();
        plugins.render.codefence_syntax_highlighter = Some(&self.highlighter);
        let mut html = String::new();
        // Writing into a String cannot fail.
        let _ = comrak::html::format_document_with_formatter(
            root,
            &self.options,
            &mut html,
            &plugins,
            format_media,
            &decorations,
        );
        Rendered {
            html: decorate_html(html),
            toc,
            first_paragraph,
            text: plain,
            problems,
        }
    }
}

impl Markdown {
    /// Every link and image URL of `text` as written, with its file line (`first_line` is the
    /// line `text` starts on) and column, for `check` to follow. Nothing is resolved here.
    pub fn links(&self, text: &str, first_line: usize) -> Vec<LinkRef> {
        let text = crate::xml::remove_forbidden_chars(text);
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, &text, &self.options);
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for node in root.descendants() {
            let data = node.data();
            if let NodeValue::Link(link) | NodeValue::Image(link) = &data.value {
                let pos = data.sourcepos.start;
                // comrak counts columns in bytes; authors count characters.
                let column = lines
                    .get(pos.line.saturating_sub(1))
                    .and_then(|l| l.get(..pos.column.saturating_sub(1)))
                    .map_or(pos.column, |before| before.chars().count() + 1);
                out.push(LinkRef {
                    line: pos.line + first_line - 1,
                    column,
                    url: link.url.clone(),
                });
            }
        }
        out
    }
}

/// What the renderer writes differently from comrak: processed photos and attachment links,
/// by the URL their node carries after link resolution.
#[derive(Default)]
struct Decorations {
    pictures: HashMap<String, Picture>,
    /// URL → content-relative path and what the attachment is.
    attachments: HashMap<String, (String, Attachment)>,
    lang: Lang,
}

/// comrak's HTML, except for processed photos (`srcset`, `sizes`, `width`, `height`: the page
/// does not shift as they load) and attachment links (`附件：` before, kind and size after, inside
/// the link, so a screen reader reads them with it).
fn format_media<'a>(
    context: &mut Context<&Decorations>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let (url, title, is_image) = match &node.data().value {
        NodeValue::Image(l) => (l.url.clone(), l.title.clone(), true),
        NodeValue::Link(l) => (l.url.clone(), l.title.clone(), false),
        _ => return comrak::html::format_node_default(context, node, entering),
    };
    let decorations = context.user;
    if is_image && let Some(p) = decorations.pictures.get(&url) {
        if entering {
            context.write_str("<img src=\"")?;
            context.escape_href(&p.src)?;
            if let Some(srcset) = &p.srcset {
                context.write_str("\" srcset=\"")?;
                context.escape(srcset)?;
                write!(context, "\" sizes=\"{}", media::ARTICLE_SIZES)?;
            }
            if let (Some(w), Some(h)) = (p.width, p.height) {
                write!(context, "\" width=\"{w}\" height=\"{h}")?;
            }
            context.write_str("\" decoding=\"async\" alt=\"")?;
            return Ok(ChildRendering::Plain);
        }
        if !title.is_empty() {
            context.write_str("\" title=\"")?;
            context.escape(&title)?;
        }
        context.write_str("\" />")?;
        return Ok(ChildRendering::HTML);
    }
    if !is_image && let Some((rel, a)) = decorations.attachments.get(&url) {
        if entering {
            context.write_str("<a class=\"attachment\" href=\"")?;
            context.escape_href(&url)?;
            write!(context, "\" type=\"{}\"", a.mime)?;
            if !title.is_empty() {
                context.write_str(" title=\"")?;
                context.escape(&title)?;
                context.write_str("\"")?;
            }
            context.write_str("><span class=\"attachment-label\">")?;
            context.escape(media::attachment_label(decorations.lang))?;
            context.write_str("</span>")?;
        } else {
            let note = media::attachment_note(&plain_text(node), rel, a, decorations.lang);
            context.write_str("<span class=\"attachment-note\">")?;
            context.escape(&note)?;
            context.write_str("</span></a>")?;
        }
        return Ok(ChildRendering::HTML);
    }
    comrak::html::format_node_default(context, node, entering)
}

/// Makes wide tables scroll on phones and images load lazily.
fn decorate_html(html: String) -> String {
    if !html.contains("<table") && !html.contains("<img") {
        return html;
    }
    html.replace(
        "<table>",
        "<div class=\"table-scroll\" tabindex=\"0\"><table>",
    )
    .replace("</table>", "</table></div>")
    .replace("<img ", "<img loading=\"lazy\" ")
}

/// Whether a link's URL runs script when followed (`javascript:`, `vbscript:`), however it is
/// spaced or capitalised: browsers ignore tabs, newlines and leading spaces in a scheme.
fn runs_script(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .flat_map(char::to_lowercase)
        .collect();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript")
}

/// Whether `url` is a path relative to the document (not `#…`, `/…`, a scheme or empty).
pub fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:"))
}

/// The URL a relative link to another content file or copied file stands for.
pub fn resolve_link(url: &str, ctx: &DocContext) -> Option<String> {
    resolve_target(url, ctx).map(|(_, url)| url)
}

/// The content-relative path a relative link names, and the URL it stands for.
fn resolve_target(url: &str, ctx: &DocContext) -> Option<(String, String)> {
    if !is_relative(url) {
        return None;
    }
    let (path, fragment) = match url.find(['#', '?']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let joined = normalise_path(ctx.dir, path)?;
    if let Some(target) = ctx.targets.get(&joined) {
        return Some((joined, format!("{target}{fragment}")));
    }
    let index = format!("{}/index.md", joined.trim_end_matches('/'));
    let target = ctx.targets.get(&index)?;
    Some((index, format!("{target}{fragment}")))
}

/// Joins `rel` onto `dir`, resolving `.` and `..`; None if it climbs out of the content folder.
pub fn normalise_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Plain text of a whole document: text of each block on its own line, no markup.
fn document_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in root.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => {
                out.push_str(&c.literal);
                out.push('\n');
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::TableCell
            | NodeValue::Item(_)
                if !out.is_empty() && !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The first or last character of a node's text, looking inside emphasis and links.
fn edge_char<'a>(node: &'a AstNode<'a>, last: bool) -> Option<char> {
    match &node.data().value {
        NodeValue::Text(t) => {
            return if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            };
        }
        NodeValue::Code(c) => {
            return if last {
                c.literal.chars().next_back()
            } else {
                c.literal.chars().next()
            };
        }
        _ => {}
    }
    let child = if last {
        node.last_child()
    } else {
        node.first_child()
    }?;
    edge_char(child, last)
}

/// Han characters, CJK punctuation and full-width forms: no space is wanted between them.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3134F}'
        | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Cuts `text` to at most `max` characters, ending with an ellipsis when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> Rendered {
        let mut targets = HashMap::new();
        targets.insert(
            "brands/lvliang.md".to_owned(),
            "/x/brands/lvliang/".to_owned(),
        );
        targets.insert(
            "cases/b/map.svg".to_owned(),
            "/x/cases/b/map.svg".to_owned(),
        );
        Markdown::new().render(
            md,
            &DocContext {
                dir: "cases/b",
                first_line: 5,
                targets: &targets,
                media: &Media::default(),
                lang: Lang::Zh,
            },
        )
    }

    #[test]
    fn cjk_emphasis_renders() {
        let html = render("**注意：**本文\n\n本县**“巴山建工”**品牌\n\n*强调。*正文\n").html;
        assert!(html.contains("<strong>注意：</strong>本文"), "{html}");
        assert!(html.contains("<strong>“巴山建工”</strong>品牌"), "{html}");
        assert!(html.contains("<em>强调。</em>正文"), "{html}");
    }

    #[test]
    fn soft_breaks_between_chinese_are_joined() {
        let html = render("东西部协作\n稳就业\nand English\nwords\n").html;
        assert!(
            html.contains("东西部协作稳就业\nand English\nwords"),
            "{html}"
        );
    }

    #[test]
    fn links_between_content_files_become_urls() {
        let r = render("见[吕梁](../../brands/lvliang.md#a)与![图](map.svg)和[缺](../nope.md)\n");
        assert!(
            r.html.contains("href=\"/x/brands/lvliang/#a\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("src=\"/x/cases/b/map.svg\""), "{}", r.html);
        assert!(
            matches!(&r.problems[..], [(5, Problem::BrokenLink { target })] if target == "../nope.md")
        );
    }

    #[test]
    fn raw_html_is_escaped_and_reported() {
        let r = render("段落\n\n<script>alert(1)</script>\n\n<b onclick=x>粗</b>\n");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert_eq!(r.problems.len(), 2);
    }

    #[test]
    fn chinese_headings_get_ids_and_toc() {
        let r = render("## 一、主要做法\n\n## 一、主要做法\n\n### Work Relief\n");
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        for id in &ids {
            assert!(
                r.html.contains(&format!("id=\"{id}\"")),
                "{id} in {}",
                r.html
            );
        }
        assert_eq!(ids.len(), 3);
        assert_ne!(ids[0], ids[1]);
    }

    #[test]
    fn gfm_features() {
        let r = render(
            "|甲|乙|\n|-|-|\n|1|2|\n\n~~删~~ - [x] 完成\n\n脚注[^1]\n\n[^1]: 说明\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>删</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("<span class=\""), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn autolinks_stop_before_chinese() {
        let html =
            render("访问 https://www.example.gov.cn/a 了解，或www.example.gov.cn了解详情\n").html;
        assert!(
            html.contains("href=\"https://www.example.gov.cn/a\""),
            "{html}"
        );
        assert!(!html.contains("了解</a>"), "{html}");
    }
}
