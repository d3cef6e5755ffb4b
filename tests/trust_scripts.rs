//! No script from content: SVG files authors supply are reduced to a drawing, HTML and other
//! script-capable files are refused unless site.yaml lists them in `trusted_files`.
//!
//! Each hostile file is built with the real binary; the tests assert the exact diagnostics (every
//! removal named with its file and line), that no output file carries an executable part, and,
//! in headless Chromium, that a payload which would mark the DOM does not run when the published
//! SVG is opened by itself or shown on a page — while the same payload unsanitised does run.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use support::{Run, SITE_YAML, TestSite, all_files, case};

const SVG_HINT: &str =
    "SVG 只发布绘图内容；确需原样发布时，请把此文件列入 site.yaml 的 trusted_files（可信文件）";

/// Line 1 of most payloads; the payload itself is on line 2.
const HEAD: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">";

/// Strings that only an executable or fetching part of a payload contains.
const EXECUTABLE: &[&str] = &[
    "alert(",
    "evil.example",
    "javascript:",
    "data-xss",
    "<script",
    "foreignObject",
    "onload",
    "onclick",
    "xml-stylesheet",
    "data:text/html",
    "data:image/svg+xml",
];

fn svg(payload: &str) -> String {
    format!("{HEAD}\n{payload}\n<rect width=\"10\" height=\"10\" fill=\"#2b5797\"/>\n</svg>\n")
}

fn element(name: &str) -> String {
    format!("已删除 SVG 元素 <{name}> 及其内容")
}

fn attribute(el: &str, name: &str) -> String {
    format!("已删除 <{el}> 的属性 {name}")
}

fn reference(el: &str, name: &str, value: &str) -> String {
    format!("已删除 <{el}> 的 {name}=“{value}”：只能引用本文件内的 #id")
}

fn style(el: &str, css: &str) -> String {
    format!("已删除 <{el}> 中的样式“{css}”：样式不能引用外部文件或使用绘图以外的属性")
}

fn warning(path: &str, line: usize, message: &str) -> String {
    format!("警告 {path}:{line}: {message} ({SVG_HINT})")
}

/// A hostile SVG: file name, text, and each removal expected as (line, message).
type Payload = (&'static str, String, Vec<(usize, String)>);

fn payloads() -> Vec<Payload> {
    let head_onload = HEAD.replace("height=\"10\"", "height=\"10\" onload=\"alert(1)\"");
    vec![
        ("onload-root", format!("{head_onload}\n<rect width=\"5\" height=\"5\"/>\n</svg>\n"), vec![(1, attribute("svg", "onload"))]),
        ("script", svg("<script>alert(2)</script>"), vec![(2, element("script"))]),
        ("cdata-script", svg("<script type=\"text/ecmascript\"><![CDATA[alert(3)]]></script>"), vec![(2, element("script"))]),
        ("svg-prefix-script", svg("<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(4)</svg:script>"), vec![(2, element("svg:script"))]),
        ("foreign-object", svg("<foreignObject width=\"10\" height=\"10\"><body xmlns=\"http://www.w3.org/1999/xhtml\"><iframe src=\"javascript:alert(5)\"/></body></foreignObject>"), vec![(2, element("foreignObject"))]),
        ("xlink-javascript", svg("<a xlink:href=\"javascript:alert(6)\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "xlink:href", "javascript:alert(6)"))]),
        ("href-javascript", svg("<a href=\"javascript:alert(7)\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "href", "javascript:alert(7)"))]),
        ("use-external", svg("<use href=\"http://evil.example/s.svg#a\"/>"), vec![(2, reference("use", "href", "http://evil.example/s.svg#a"))]),
        ("href-data-html", svg("<a href=\"data:text/html,&lt;script&gt;alert(9)&lt;/script&gt;\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "href", "data:text/html,<script>alert(9)</script>"))]),
        ("image-data-svg", svg("<image width=\"5\" height=\"5\" href=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEwKSIvPg==\"/>"), vec![(2, reference("image", "href", "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEwKSIvPg=="))]),
        ("style-url-javascript", svg("<style>rect { fill: url(javascript:alert(11)) }</style>"), vec![(2, style("style", "fill: url(javascript:alert(11))"))]),
        ("style-import", svg("<style>@import url(http://evil.example/x.css);</style>"), vec![(2, style("style", "@import url(http://evil.example/x.css);"))]),
        ("style-attr-expression", svg("<rect style=\"fill:red;width:expression(alert(13))\"/>"), vec![(2, style("rect", "width:expression(alert(13))"))]),
        ("set-onload", svg("<set attributeName=\"onload\" to=\"alert(14)\"/>"), vec![(2, element("set"))]),
        ("animate-href", svg("<a href=\"#x\"><animate attributeName=\"href\" to=\"javascript:alert(15)\"/><rect id=\"x\" width=\"5\" height=\"5\"/></a>"), vec![(2, element("animate"))]),
        ("uppercase-onload", svg("<rect ONLOAD=\"alert(16)\" width=\"5\" height=\"5\"/>"), vec![(2, attribute("rect", "ONLOAD"))]),
        ("nested-onclick", svg("<g><g><circle r=\"2\" onclick=\"alert(17)\"/></g></g>"), vec![(2, attribute("circle", "onclick"))]),
        ("text-onmouseover", svg("<text onmouseover=\"alert(18)\">文字</text>"), vec![(2, attribute("text", "onmouseover"))]),
        ("html-iframe", svg("<iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"javascript:alert(19)\"/>"), vec![(2, element("iframe"))]),
        ("xml-stylesheet", format!("<?xml-stylesheet type=\"text/xsl\" href=\"http://evil.example/x.xsl\"?>\n{}", svg("<g/>")), vec![(1, "已删除处理指令 <?xml-stylesheet type=\"text/xsl\" href=\"http://evil.example/x.xsl\"?>".into())]),
        ("entity-script", format!("<!DOCTYPE svg [<!ENTITY p \"<script>alert(21)</script>\">]>\n{}", svg("&p;")), vec![(1, "已删除 DOCTYPE 中的实体声明（实体已展开，并同样检查）".into()), (1, element("script"))]),
        ("handler", svg("<handler xmlns:ev=\"http://www.w3.org/2001/xml-events\" ev:event=\"load\">alert(22)</handler>"), vec![(2, element("handler"))]),
        ("fe-image", svg("<filter id=\"f\"><feImage href=\"http://evil.example/i.png\"/></filter>"), vec![(2, element("feImage"))]),
        ("embed", svg("<embed src=\"http://evil.example/x.swf\"/>"), vec![(2, element("embed"))]),
        ("fill-url-javascript", svg("<rect fill=\"url(javascript:alert(25))\" width=\"5\" height=\"5\"/>"), vec![(2, reference("rect", "fill", "url(javascript:alert(25))"))]),
        ("style-attr-external", svg("<rect style=\"fill:url(http://evil.example/p.svg#p)\" width=\"5\" height=\"5\"/>"), vec![(2, style("rect", "fill:url(http://evil.example/p.svg#p)"))]),
        ("animate-onbegin", svg("<animate onbegin=\"alert(27)\" attributeName=\"x\" dur=\"1s\"/>"), vec![(2, element("animate"))]),
        ("char-ref-javascript", svg("<a href=\"&#106;avascript:alert(28)\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "href", "javascript:alert(28)"))]),
        ("tab-in-scheme", svg("<a href=\"jav&#x09;ascript:alert(29)\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "href", "jav\\u{9}ascript:alert(29)"))]),
        ("focus", svg("<rect tabindex=\"1\" onfocus=\"alert(30)\" width=\"5\" height=\"5\"/>"), vec![(2, attribute("rect", "tabindex")), (2, attribute("rect", "onfocus"))]),
        ("font-face-uri", svg("<font-face font-family=\"x\"><font-face-src><font-face-uri xlink:href=\"http://evil.example/f.svg\"/></font-face-src></font-face>"), vec![(2, element("font-face"))]),
        ("use-data-svg", svg("<use href=\"data:image/svg+xml;base64,PHN2ZyBpZD0ieCIvPg==#x\"/>"), vec![(2, reference("use", "href", "data:image/svg+xml;base64,PHN2ZyBpZD0ieCIvPg==#x"))]),
        ("xlink-spaces", svg("<a xlink:href=\"  javascript:alert(33)\"><rect width=\"5\" height=\"5\"/></a>"), vec![(2, reference("a", "xlink:href", "  javascript:alert(33)"))]),
        ("css-escapes", svg("<style>r\\65 ct { fill: u\\72l(javascript:alert(34)) }</style>"), vec![(2, style("style", "r\\65 ct { fill: u\\72l(javascript:alert(34)) }"))]),
        ("object", svg("<object data=\"http://evil.example/x.html\" type=\"text/html\"/>"), vec![(2, element("object"))]),
        ("iframe-srcdoc-in-switch", svg("<switch><foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" srcdoc=\"&lt;script&gt;alert(36)&lt;/script&gt;\"/></foreignObject><rect width=\"5\" height=\"5\"/></switch>"), vec![(2, element("foreignObject"))]),
    ]
}

/// Strings of the payloads themselves, which no output file of any kind may carry.
const PAYLOAD: &[&str] = &["alert(", "evil.example", "data-xss"];

fn assert_nothing_executable(site: &TestSite) {
    for (name, bytes) in all_files(&site.dir.join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        // The theme's own pages carry its `<script>`; published SVGs carry no script at all.
        let bad = if name.ends_with(".svg") {
            EXECUTABLE
        } else {
            PAYLOAD
        };
        for bad in bad {
            assert!(!text.contains(bad), "{name} carries {bad}:\n{text}");
        }
    }
}

#[test]
fn hostile_svgs_are_published_as_drawings_and_every_removal_is_named() {
    let mut site = TestSite::new();
    let mut expected = Vec::new();
    let payloads = payloads();
    assert!(payloads.len() >= 36);
    for (name, text, removals) in &payloads {
        site = site.file(&format!("content/static/p/{name}.svg"), text);
        let path = format!("content/static/p/{name}.svg");
        expected.extend(removals.iter().map(|(line, m)| warning(&path, *line, m)));
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut got = TestSite::diagnostics(&run);
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    for (name, _, _) in &payloads {
        let published = site.read(&format!("p/{name}.svg"));
        assert!(
            published.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{name}: {published}"
        );
        roxmltree::Document::parse(&published).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_nothing_executable(&site);
}

#[test]
fn svgs_in_bundles_and_as_covers_are_sanitised() {
    let site = TestSite::new()
        .file(
            "content/cases/b/index.md",
            &case("B", "2023-06-12", "cover: cover.svg\n"),
        )
        .file(
            "content/cases/b/cover.svg",
            &svg("<script>alert(1)</script>"),
        )
        .file(
            "content/cases/b/map.svg",
            &format!("{HEAD}\n<circle r=\"3\" onclick=\"alert(2)\"/>\n</svg>\n"),
        );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            warning("content/cases/b/cover.svg", 2, &element("script")),
            warning(
                "content/cases/b/map.svg",
                2,
                &attribute("circle", "onclick")
            ),
        ]
    );
    assert!(
        site.read("cases/b/index.html")
            .contains("cases/b/cover.svg")
    );
    assert_eq!(
        site.read("cases/b/map.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n<circle r=\"3\"/>\n</svg>\n"
    );
    assert_nothing_executable(&site);
}

fn refused(path: &str, ext: &str, rel: &str) -> String {
    format!(
        "错误 {path}: 网站不发布 .{ext} 文件：浏览器会在本站域名下运行其中的脚本 (如文件可信、确需发布，请在 site.yaml 中写 trusted_files: [{rel}]（可信文件）；否则请删除，或改为 PDF 等附件)"
    )
}

#[test]
fn html_and_other_script_capable_files_are_refused_together() {
    let html = "<!doctype html><script>alert(1)</script>";
    let site = TestSite::new()
        .file("content/cases/b/index.md", &case("B", "2023-06-12", ""))
        .file(
            "content/cases/b/page.xhtml",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(2)</script></html>",
        )
        .file("content/static/x.html", html)
        .file("content/static/old.HTM", html)
        .file(
            "content/static/data.xml",
            "<x xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(3)</h:script></x>",
        )
        .file("content/static/t.xsl", "<xsl:stylesheet/>")
        .file("content/static/app.js", "alert(4)")
        .file("content/static/m.mjs", "alert(5)")
        .file("content/static/z.svgz", "not gzip")
        .file("content/static/ok.pdf", "%PDF-1.4");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            refused("content/cases/b/page.xhtml", "xhtml", "cases/b/page.xhtml"),
            refused("content/static/app.js", "js", "static/app.js"),
            refused("content/static/data.xml", "xml", "static/data.xml"),
            refused("content/static/m.mjs", "mjs", "static/m.mjs"),
            refused("content/static/old.HTM", "htm", "static/old.HTM"),
            refused("content/static/t.xsl", "xsl", "static/t.xsl"),
            refused("content/static/x.html", "html", "static/x.html"),
            refused("content/static/z.svgz", "svgz", "static/z.svgz"),
        ]
    );
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn svgs_that_cannot_be_read_are_errors_with_their_lines() {
    let site = TestSite::new()
        .file("content/static/broken.svg", &format!("{HEAD}\n<g>\n<rect/>\n</svg>\n"))
        .file("content/static/html.svg", "<html>\n<body onload=\"alert(1)\"/></html>")
        .file("content/static/external.svg", &format!("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n{HEAD}\n<text>&x;</text>\n</svg>"))
        .file("content/static/laughs.svg", &billion_laughs())
        .bytes("content/static/utf16.svg", &utf16(&svg("<g/>")));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "错误 content/static/broken.svg:4: SVG 文件无法解析：这里应结束 <g>，却是 </svg> (请用绘图软件重新导出为 SVG，或检查这一行的标签是否成对)",
            "错误 content/static/external.svg:3: SVG 文件无法解析：未声明的实体引用 &x; (请用绘图软件重新导出为 SVG，或检查这一行的标签是否成对)",
            "错误 content/static/html.svg:1: 文件扩展名是 .svg，根元素却是 <html> 而不是 <svg> (请导出为 SVG 图形，或改用与内容相符的扩展名)",
            "错误 content/static/laughs.svg:1: SVG 文件无法解析：实体层层引用或元素过多，超出了解析上限 (请用绘图软件重新导出为 SVG，或检查这一行的标签是否成对)",
            "错误 content/static/utf16.svg: 文件不是 UTF-8 编码（可能是 GBK） (请运行 xiezuo fix-encoding content/static/utf16.svg 转换为 UTF-8（原文件保留为 .bak），或用“另存为”保存为 UTF-8 编码)",
        ]
    );
}

fn billion_laughs() -> String {
    let mut dtd = String::from("<!ENTITY a0 \"lol\">");
    for i in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY a{i} \"{}\">",
            format!("&a{};", i - 1).repeat(10)
        ));
    }
    format!(
        "<!DOCTYPE svg [{dtd}]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&a9;</text></svg>"
    )
}

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn trusted_files_are_copied_as_they_are() {
    let html = "<!doctype html><title>地图</title><script>document.title = '交互地图'</script>\n";
    let raw_svg = svg("<script>alert(1)</script>");
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{SITE_YAML}可信文件: [static/embed/map.html, content/static/raw.svg, static/gone.html]\n"),
        )
        .file("content/static/embed/map.html", html)
        .file("content/static/raw.svg", &raw_svg);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "警告 content/site.yaml:6: 可信文件: 可信文件“static/gone.html”不是本站要发布的文件 (请写 content/ 下的路径，例如 static/embed/map.html)"
        ]
    );
    assert_eq!(site.read("embed/map.html"), html);
    assert_eq!(site.read("raw.svg"), raw_svg);
}

#[test]
fn english_sites_word_removals_in_english() {
    let site = TestSite::new()
        .file("content/site.yaml", &format!("{SITE_YAML}language: en\n"))
        .file(
            "content/static/a.svg",
            &svg("<use href=\"http://evil.example/s.svg#a\"/>"),
        )
        .file("content/static/x.html", "<script>alert(1)</script>");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "警告 content/static/a.svg:2: removed href=\"http://evil.example/s.svg#a\" of <use>: only references to an #id in the same file are kept (SVG files keep their drawing only; to publish this file as it is, list it in `trusted_files` in site.yaml)",
            "错误 content/static/x.html: `.html` files are not published: a browser runs the script in them on the site's origin (if the file is trusted and must be published, add `trusted_files: [static/x.html]` to site.yaml; otherwise delete it or publish a PDF instead)",
        ]
    );
}

const MARK: &str = "document.documentElement.setAttribute('data-xss','1')";

#[test]
fn sanitised_svgs_run_no_script_in_chromium() {
    let Some(browser) = support::chromium() else {
        return;
    };
    let payload = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" onload=\"{MARK}\">\n\
         <script>{MARK}</script>\n<rect width=\"10\" height=\"10\" fill=\"#2b5797\"/>\n</svg>\n"
    );
    let site = TestSite::new().file("content/static/x.svg", &payload).file(
        "content/pages/about.md",
        "---\ntitle: 关于\nsummary: 关于本站\n---\n![示意图](../static/x.svg)\n",
    );
    let run: Run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The control: the file as the author wrote it does run, so a silent browser would fail here.
    let original = support::dump_dom(
        browser,
        3000,
        &format!("file://{}", site.dir.join("content/static/x.svg").display()),
    );
    assert!(
        original.contains("data-xss"),
        "the unsanitised payload must fire: {original}"
    );
    let public = site.dir.join("public");
    let published = support::dump_dom(
        browser,
        3000,
        &format!("file://{}", public.join("x.svg").display()),
    );
    assert!(published.contains("<rect"), "{published}");
    assert!(!published.contains("data-xss"), "{published}");
    // The page links files under the site's sub-path; with file:// that root is the output folder.
    let page = site.read("about/index.html");
    assert!(page.contains("src=\"/dxbrs/x.svg\""), "{page}");
    let local = page.replace("\"/dxbrs/", &format!("\"file://{}/", public.display()));
    std::fs::write(public.join("about/local.html"), local).unwrap();
    let shown = support::dump_dom(
        browser,
        3000,
        &format!("file://{}", public.join("about/local.html").display()),
    );
    assert!(shown.contains("x.svg"), "{shown}");
    assert!(!shown.contains("data-xss"), "{shown}");
}

#[test]
fn a_script_link_in_markdown_is_removed_and_named() {
    let site = TestSite::new().file(
        "content/cases/a.md",
        &format!(
            "{}\n[点这里](javascript:alert(1)) 与 [另一个](  JaVaScRiPt:alert(2))\n",
            case("甲", "2024-01-05", "")
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        vec![
            "警告 content/cases/a.md:10: 链接地址“JaVaScRiPt:alert(2)”会在浏览器中运行脚本，已删除该链接 (请改为网页地址（https://…）或站内文件的相对路径)",
            "警告 content/cases/a.md:10: 链接地址“javascript:alert(1)”会在浏览器中运行脚本，已删除该链接 (请改为网页地址（https://…）或站内文件的相对路径)",
        ]
    );
    assert!(
        !site
            .read("cases/a/index.html")
            .to_lowercase()
            .contains("javascript:")
    );
}
