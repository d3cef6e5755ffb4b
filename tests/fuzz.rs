//! Property tests (proptest) over the functions that take what authors write: front-matter
//! parsing, Markdown rendering, slugs, output paths and the search normaliser. Inputs mix
//! arbitrary text with fragments of the syntax each function parses, so that the cases reach
//! past the first token. Case counts keep the whole file to seconds in a debug build; every
//! crash found becomes a named regression test at the bottom.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;

use xiezuo::diagnostic::Diagnostics;
use xiezuo::frontmatter::{RawBrand, RawCase, RawStatRecord, parse_mapping, parse_mapping_list};
use xiezuo::markdown::{DocContext, Markdown};
use xiezuo::output::{OutputDir, Protected, Sink};
use xiezuo::problem::Lang;
use xiezuo::search::text::Folder;
use xiezuo::slug::{MAX_LEN, is_valid, shorten, slugify};

/// Text made of `fragments` and arbitrary characters, up to `max` pieces.
fn text_of(fragments: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(fragments).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9 ]{0,8}",
        1 => "[\u{4e00}-\u{9fff}]{1,4}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

const YAML: &[&str] = &[
    "title",
    "标题",
    "date",
    "province",
    "tags",
    "pair",
    "workers",
    "year",
    ":",
    ": ",
    " ",
    "\n",
    "\n  ",
    "\n- ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "\\",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!x ",
    "#",
    "|",
    ">-",
    "? ",
    "\t",
    "---",
    "\n---\n",
    "...",
    "2023-06-12",
    "1e400",
    "-1",
    "0x1F",
    "0123",
    ".inf",
    "~",
    "null",
    "true",
    "贵州",
    "\u{FEFF}",
    "\r\n",
    "\r",
    "%YAML 1.2\n",
    "<<: ",
    "\u{0}",
    "\u{1b}",
    "\u{FFFE}",
    "：",
    "，",
];

const MARKDOWN: &[&str] = &[
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[",
    "]",
    "(",
    ")",
    "](",
    "javascript:alert(1)",
    "data:text/html,x",
    "!",
    "*",
    "**",
    "_",
    "`",
    "```",
    "~~~",
    "\n",
    "\n\n",
    "# ",
    "## ",
    "|",
    "|---|",
    "-",
    "- [ ] ",
    "> ",
    "[^1]",
    "[^1]: ",
    "<",
    ">",
    "&",
    "&#60;",
    "&lt;",
    "\"",
    "'",
    "<http://a.b/c>",
    "注意：",
    "~~",
    "    ",
    "\t",
    "{#id}",
    "<!--",
    "-->",
    "<![CDATA[",
    "../",
    "./a.md",
    "\\",
    "  \n",
    "===",
    "1. ",
    "<div>",
    "</div>",
    "\r\n",
    "\u{0}",
    "\u{b}",
    "\u{FFFE}",
    "\u{202e}",
];

static MARKDOWN_ENGINE: LazyLock<Markdown> = LazyLock::new(Markdown::new);

/// Elements the renderer writes; any other means author HTML got through.
const RENDERED_TAGS: &[&str] = &[
    "p",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "span",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "sup",
    "section",
    "input",
    "input/",
];

/// `cases` for CI; `XIEZUO_FUZZ_SCALE=N` multiplies it for a longer local session.
fn config(cases: u32) -> ProptestConfig {
    let scale: u32 = std::env::var("XIEZUO_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    ProptestConfig {
        cases: cases * scale,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(400))]

    /// Front matter never panics, and every error names a line inside the text it was given.
    #[test]
    fn front_matter_never_panics_and_errors_carry_a_line_in_the_text(
        yaml in text_of(YAML, 40),
        first_line in 1usize..5,
    ) {
        let path = Path::new("content/cases/a.md");
        let mut diags = Diagnostics::new(Lang::Zh);
        if let Some(entries) = parse_mapping(&yaml, first_line, path, &mut diags) {
            for e in &entries {
                prop_assert!(e.line >= first_line);
            }
            let _ = RawCase::from_entries(entries.clone(), path, &mut diags);
            let _ = RawBrand::from_entries(entries, path, &mut diags);
        }
        let mut list_diags = Diagnostics::new(Lang::En);
        if let Some(items) = parse_mapping_list(&yaml, path, &mut list_diags) {
            for (_, entries) in items {
                let _ = RawStatRecord::from_entries(entries, path, &mut list_diags);
            }
        }
        // Lines past the end are allowed only as far as the line after the last one (an error
        // at the end of the input).
        let last = first_line + yaml.split(['\n', '\r']).count();
        for d in diags.into_sorted() {
            let line = d.line.unwrap_or(first_line);
            prop_assert!((first_line..=last).contains(&line), "line {line} outside {first_line}..={last}: {d}");
        }
        let last = yaml.split(['\n', '\r']).count() + 1;
        for d in list_diags.into_sorted() {
            let line = d.line.unwrap_or(1);
            prop_assert!((1..=last).contains(&line), "line {line} outside 1..={last}: {d}");
        }
    }

    /// Splitting a file into front matter and body never panics.
    #[test]
    fn splitting_front_matter_never_panics(text in text_of(YAML, 30)) {
        let _ = xiezuo::source::split_front_matter(&text);
        let _ = xiezuo::source::split_front_matter(&format!("---\n{text}"));
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// Markdown never panics and never lets author HTML through as markup.
    #[test]
    fn markdown_never_panics_and_writes_no_author_markup(text in text_of(MARKDOWN, 40)) {
        let targets = HashMap::from([("cases/b.md".to_owned(), "/cases/b/".to_owned())]);
        let media = xiezuo::media::Media::default();
        let ctx = DocContext { dir: "cases", first_line: 3, targets: &targets, media: &media, lang: xiezuo::problem::Lang::Zh };
        let out = MARKDOWN_ENGINE.render(&text, &ctx);
        let lower = out.html.to_ascii_lowercase();
        prop_assert!(!lower.contains("<script"), "{}", out.html);
        prop_assert!(!lower.contains("href=\"javascript:") && !lower.contains("src=\"javascript:"), "{}", out.html);
        prop_assert!(!lower.contains("href=\"data:text") && !lower.contains("src=\"data:text"), "{}", out.html);
        for tag in lower.split('<').skip(1) {
            let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
            let name = name.trim_start_matches('/');
            if name.is_empty() {
                continue;
            }
            prop_assert!(RENDERED_TAGS.contains(&name), "<{name}> in {}", out.html);
            // Attribute names only: quoted values may say anything.
            let mut quote = None;
            let mut names = String::new();
            for c in tag.chars() {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '>' => break,
                    None if c == '"' || c == '\'' => quote = Some(c),
                    None => names.push(c),
                }
            }
            prop_assert!(!names.contains(" on"), "event handler in <{names}>");
        }
        let lines = text.split(['\n', '\r']).count() + 3;
        for (line, _) in &out.problems {
            prop_assert!((3..=lines).contains(line), "line {line}");
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// A slug is valid or empty, and slugging is idempotent.
    #[test]
    fn slugs_are_valid_or_empty_and_idempotent(text in text_of(&["-", " ", "A", "é", "ü", "吕", "　", "_", "--"], 20)) {
        let slug = slugify(&text);
        prop_assert!(slug.is_empty() || is_valid(&slug), "{text:?} → {slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone());
        let short = shorten(&slug);
        prop_assert!(short.len() <= MAX_LEN);
        prop_assert!(short.is_empty() || is_valid(short), "{slug:?} → {short:?}");
    }

    /// Any string of slug characters that is valid is its own slug.
    #[test]
    fn valid_slugs_are_fixed_points(slug in "[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,5}") {
        prop_assert!(is_valid(&slug));
        prop_assert_eq!(slugify(&slug), slug);
    }

    /// The search normaliser never panics and is idempotent.
    #[test]
    fn the_search_normaliser_is_idempotent(text in text_of(&["勞務", "ＡＢＣ", "Ⅻ", "ﬁ", "ǅ", "İ", "ß", "ẞ", "\u{301}", "①", "㍿", "貴州", "ﾊﾟ", "\u{FEFF}"], 30)) {
        static FOLDER: LazyLock<Folder> = LazyLock::new(Folder::new);
        let once = FOLDER.normalize(&text);
        let twice = FOLDER.normalize(&once);
        prop_assert_eq!(&twice, &once, "{:?}", text);
    }
}

const PATH_PIECES: &[&str] = &[
    "..",
    ".",
    "/",
    "//",
    "a",
    "index.html",
    "\\",
    "\0",
    "%2e%2e",
    "．．",
    "／",
    "~",
    "C:",
    "cases",
    ".xiezuo-output",
    "..\\",
    " ",
    "\n",
    "\u{202e}",
    "con",
    "a/../..",
    "/etc/passwd",
];

proptest! {
    #![proptest_config(config(64))]

    /// Whatever path a route hands the output folder, nothing is written outside it.
    #[test]
    fn no_output_path_escapes_the_output_folder(paths in proptest::collection::vec(text_of(PATH_PIECES, 8), 1..8)) {
        let tmp = support::TestSite::new();
        let out = tmp.dir.join("public");
        let protected = Protected { sources: vec![tmp.dir.join("content")], site: tmp.dir.clone(), previews: None };
        let dir = OutputDir::open(&out, &protected, &tmp.dir.join(".xiezuo-cache")).unwrap();
        for p in &paths {
            let _ = dir.emit(p, b"x".to_vec());
        }
        drop(dir);
        let outside: Vec<String> = support::all_files(&tmp.dir)
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| !p.starts_with("public/") && !p.starts_with(".xiezuo-cache/") && p != "content/site.yaml")
            .collect();
        prop_assert!(outside.is_empty(), "{paths:?} wrote {outside:?}");
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Routes of a site loaded from arbitrary names, titles and tags are safe relative paths.
    #[test]
    fn route_paths_stay_inside_the_site(
        names in proptest::collection::vec("[a-zA-Z0-9\u{4e00}-\u{4e2f}._ -]{1,12}", 1..4),
        tags in proptest::collection::vec(text_of(&["..", "/", "标签", "-", ".", "C#"], 6), 0..4),
        slug in proptest::option::of(text_of(&["..", "/", "a", "-", "."], 6)),
    ) {
        let mut site = support::TestSite::new();
        let tags: Vec<String> = tags.iter().map(|t| format!("\"{}\"", t.replace(['"', '\\'], ""))).collect();
        for (i, name) in names.iter().enumerate() {
            let slug_line = match &slug {
                Some(s) if i == 0 => format!("slug: \"{}\"\n", s.replace(['"', '\\'], "")),
                _ => String::new(),
            };
            let extra = format!("tags: [{}]\n{slug_line}", tags.join(", "));
            site = site.file(&format!("content/cases/{name}.md"), &support::case("标题", "2023-06-12", &extra));
        }
        let Ok(loaded) = xiezuo::resolve::load_site(&site.dir, &xiezuo::resolve::LoadOptions::default()) else {
            return Ok(());
        };
        let assets: Vec<String> = xiezuo::theme::DEFAULT_ASSETS.iter().map(|(n, _)| (*n).to_owned()).collect();
        let Ok(routes) = xiezuo::routes::plan(&loaded.site, &assets) else {
            return Ok(());
        };
        for route in routes.pages.iter().chain(&routes.files) {
            let path = routes.output_path(&loaded.site, *route);
            prop_assert!(!path.starts_with('/') && !path.contains('\\') && !path.contains('\0'), "{path:?}");
            prop_assert!(!path.split('/').any(|p| p == ".." || p == "."), "{path:?}");
            prop_assert!(!path.contains("//"), "{path:?}");
        }
    }
}
