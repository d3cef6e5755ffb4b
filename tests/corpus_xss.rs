//! The XSS corpus: script payloads in every author field that reaches a page and in every
//! Markdown construct, built by the real binary. Each payload gets its own small site whose
//! outputs are scanned for the payload's executable form (a real tag or event handler, a
//! `javascript:` URL in an attribute, an element injected into a feed, a template evaluated);
//! then one site carrying every payload in every field is opened in headless Chromium, page
//! kind by page kind and on the search page, where any payload that ran would have set
//! `data-xss` on the document element.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::TestSite;

/// What a payload runs: marks the document with the payload's number. No quotes, so it fits
/// unquoted attributes.
fn js(n: usize) -> String {
    format!("document.documentElement.dataset.xss={n}")
}

/// Vectors; `J` is replaced by [`js`].
const VECTORS: &[&str] = &[
    "<script>J</script>",
    "<SCRIPT>J</SCRIPT>",
    "<scr<script>ipt>J</scr</script>ipt>",
    "<script src=data:,J></script>",
    "<img src=x onerror=J>",
    "<img src=\"x\" onerror=\"J\">",
    "<img/src=x/onerror=J>",
    "<img src=x:x onerror=J//",
    "<img src=x onerror=&#100;ocument.documentElement.dataset.xss=1>",
    "<img src=x onerror=\"&#x64;&#x6f;cument.documentElement.dataset.xss=1\">",
    "<img src=x onerror=eval(atob('ZG9jdW1lbnQuZG9jdW1lbnRFbGVtZW50LmRhdGFzZXQueHNzPTE='))>",
    "<svg onload=J>",
    "<svg/onload=J>",
    "<svg><script>J</script></svg>",
    "<svg><animate onbegin=J attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:J\"><text x=20 y=20>x</text></a></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='J'/></svg>#x\"/></svg>",
    "<math href=\"javascript:J\">x</math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=J>",
    "<body onload=J>",
    "<iframe srcdoc=\"&lt;script&gt;parent.J&lt;/script&gt;\"></iframe>",
    "<iframe src=\"javascript:parent.J\"></iframe>",
    "<a href=\"javascript:J\">x</a>",
    "<a href=# onclick=J>x</a>",
    "<details open ontoggle=J>",
    "<input autofocus onfocus=J>",
    "<select autofocus onfocus=J>",
    "<textarea autofocus onfocus=J>",
    "<video><source onerror=J>",
    "<audio src=x onerror=J>",
    "<object data=\"javascript:J\">",
    "<embed src=\"javascript:J\">",
    "<link rel=stylesheet href=x onerror=J>",
    "<marquee onstart=J>",
    "<form><button formaction=javascript:J>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:J\">",
    "<base href=\"javascript:J//\">",
    "<div style=\"background:url(javascript:J)\">",
    "<noscript><p title=\"</noscript><img src=x onerror=J>\">",
    "<!--<img src=\"--><img src=x onerror=J//\">",
    "<![CDATA[<img src=x onerror=J>]]>",
    "]]><img src=x onerror=J>",
    "</title><img src=x onerror=J>",
    "</textarea><img src=x onerror=J>",
    "</script><script>J</script>",
    "</style><img src=x onerror=J>",
    "</noscript><img src=x onerror=J>",
    "--!><img src=x onerror=J>",
    "\"><img src=x onerror=J>",
    "'><img src=x onerror=J>",
    "\" onmouseover=\"J\" x=\"",
    "' autofocus onfocus='J' x='",
    "\" autofocus onfocus=\"J",
    "'-J-'",
    "\";J;//",
    "\\u003cimg src=x onerror=J\\u003e",
    "&lt;img src=x onerror=J&gt;",
    "&#60;img src=x onerror=J&#62;",
    "%3Cimg%20src%3Dx%20onerror%3DJ%3E",
    "＜img src=x onerror=J＞",
    "<img src=x one\u{0}rror=J>",
    "<im\u{1b}g src=x onerror=J>",
    "\u{202e}<img src=x onerror=J>",
    "javascript:J",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=J )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=J//>\\x3e",
    "{{ 7*191 }}",
    "{% raw %}{{ site }}{% endraw %}",
    "{{ __tera_context }}",
    "{% set x = 7*191 %}{{ x }}",
    "${7*191}#{7*191}<%= 7*191 %>",
];

/// Each vector as written, after an attribute breakout, and after every closing context.
const WRAPPERS: &[(&str, &str)] = &[
    ("", ""),
    ("\"'>", "<\"'"),
    ("</title></textarea></script></style>--><!--]]>", ""),
];

/// URLs for link and image destinations and autolinks; `J` as above.
const URLS: &[&str] = &[
    "javascript:J",
    "jAvAsCrIpT:J",
    "javascript&#58;J",
    "&#106;avascript:J",
    "jav&#x09;ascript:J",
    "java%0ascript:J",
    "%6A%61vascript:J",
    "\u{1}javascript:J",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5wYXJlbnQuZG9jdW1lbnQuZG9jdW1lbnRFbGVtZW50LmRhdGFzZXQueHNzPTE8L3NjcmlwdD4=",
    "data:image/svg+xml,%3Csvg%20onload=J%3E",
];

struct Payload {
    n: usize,
    text: String,
    url: String,
}

fn payloads() -> Vec<Payload> {
    let mut out = Vec::new();
    for (pre, post) in WRAPPERS {
        for v in VECTORS {
            let n = out.len() + 1;
            out.push(Payload {
                n,
                text: format!("{pre}{}{post}", v.replace('J', &js(n))),
                url: URLS[n % URLS.len()].replace('J', &js(n)),
            });
        }
    }
    out
}

/// A YAML double-quoted scalar holding `s` exactly.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every Markdown construct carrying the payload.
fn body(p: &str, url: &str) -> String {
    let cell = p.replace('|', "\\|");
    let title = p.replace('"', "\\\"");
    let lang: String = p
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    let one_line = p.replace('\n', " ");
    format!(
        "{one_line}\n\n\
         行内 {one_line} 文字，`{one_line}`，**{one_line}**，~~{one_line}~~。\n\n\
         [{one_line}]({url}) ![{one_line}]({url}) [标题](https://example.org/ \"{title}\") <{url}> [引用][r] https://example.org/?q={one_line}\n\n\
         [r]: {url} \"{title}\"\n\n\
         ## {one_line}\n\n\
         ### {one_line} {{#{lang}}}\n\n\
         | {cell} | 乙 |\n|---|---|\n| {cell} | 丙 |\n\n\
         - [ ] {one_line}\n- [x] 任务\n\n\
         > {one_line}\n\n\
         脚注[^n]。\n\n\
         [^n]: {one_line}\n\n\
         ```{lang}\n{p}\n```\n\n\
         ~~~\n{p}\n~~~\n\n\
         {p}\n\n\
         <div title=\"{title}\">{p}</div>\n"
    )
}

/// The site with `p` (and link destinations `url`) in every author field.
fn site_files(p: &str, url: &str, base_url: &str) -> Vec<(String, String)> {
    let v = q(p);
    let body = body(p, url);
    // YAML limits an implicit key to 1024 characters; the combined site's key is shorter.
    let key = if v.chars().count() < 1000 {
        v.clone()
    } else {
        "送".to_owned()
    };
    vec![
        (
            "content/site.yaml".into(),
            format!(
                "title: {v}\nbase_url: {base_url}\npublisher: {v}\nsite_id_code: {v}\nicp: {v}\ncontact: {v}\ndescription: {v}\n\
                 tasks:\n  - {{name: {v}, slug: xss-task, description: {v}}}\n  - {{name: 劳务协作, slug: labor-cooperation}}\n\
                 synonyms: [[{v}, 扶贫车间]]\n"
            ),
        ),
        (
            "content/cases/a.md".into(),
            format!(
                "---\ntitle: {v}\nsubtitle: {v}\ndate: 2023-06-12\nprovince: 贵州省\npair: 广东省\ntask: {v}\ntags: [{v}, 稳岗就业]\nsource: {v}\nsummary: {v}\n---\n{body}"
            ),
        ),
        (
            // No summary: the first paragraph (the payload) becomes it.
            "content/cases/b.md".into(),
            format!(
                "---\ntitle: 第二个案例\ndate: 2023-06-13\nprovince: 贵州省\ntask: labor-cooperation\ntags: {v}\n---\n{body}"
            ),
        ),
        (
            "content/brands/b.md".into(),
            format!(
                "---\nname: {v}\naliases: [{v}]\nprovince: 山西省\ncity: {v}\ncounty: {v}\ncategory: {v}\nskills: [{v}]\nworkers: 100\nworkers_note: {v}\nhonors: [{v}]\nsummary: {v}\nslug: xss-brand\n---\n{body}"
            ),
        ),
        (
            "content/bulletins/2025-1.md".into(),
            format!(
                "---\nyear: 2025\nissue: 1\ndate: 2025-03-31\npublisher: {v}\ntitle: {v}\nsummary: {v}\ncases: [a, b]\ndistribution: {{报: {v}, {key}: {v}}}\n---\n{body}"
            ),
        ),
        (
            "content/pages/xss.md".into(),
            format!("---\ntitle: {v}\nslug: xss\nsummary: {v}\n---\n{body}"),
        ),
        (
            "content/stats/a.yaml".into(),
            format!(
                "- year: 2023\n  province: 贵州省\n  workshops: 10\n  scope: {v}\n  source: {v}\n  note: {v}\n\
                 - year: 2023\n  province: 全国\n  workshops: 100\n  scope: {v}\n  source: {v}\n  note: {v}\n"
            ),
        ),
    ]
}

/// Fields above that carry the payload (site 7, tasks 2, synonyms 1, case 6 + case b tags,
/// brand 9, bulletin 5, page 2, stats 6) and Markdown constructs in `body` (18).
const FIELDS: usize = 7 + 2 + 1 + 7 + 9 + 5 + 2 + 6;
const CONSTRUCTS: usize = 18;

/// Tags the theme and the Markdown renderer write; any other element came from content.
const ALLOWED_TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "header",
    "nav",
    "a",
    "ul",
    "ol",
    "li",
    "main",
    "article",
    "section",
    "aside",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "div",
    "span",
    "form",
    "input",
    "label",
    "button",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "svg",
    "g",
    "rect",
    "text",
    "desc",
    "line",
    "path",
    "circle",
    "polyline",
    "polygon",
    "tspan",
    "mark",
    "time",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "sup",
    "sub",
    "del",
    "dl",
    "dt",
    "dd",
    "small",
    "noscript",
    "script",
    "fieldset",
    "legend",
    // The footer's 订阅 panel and the search page's filters; an author's `<details ontoggle>`
    // is still caught by its handler.
    "details",
    "summary",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];

/// Decodes the character references an attribute value may hide a scheme behind.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_script_url(value: &str) -> bool {
    let v: String = decode_entities(value)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || v.starts_with("data:text/html")
        || v.starts_with("data:image/svg")
        || v.contains("url=javascript:")
}

/// Why `html` would run script, if it would: a small tokenizer that finds real tags and their
/// attributes (text and attribute values are where escaped payloads live, harmlessly).
fn scan_html(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(b.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let an_end = html[i..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .map_or(b.len(), |e| i + e);
            let attr = html[i..an_end].to_ascii_lowercase();
            i = an_end.max(i + 1);
            let mut value = String::new();
            let mut j = an_end;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b'=') {
                i = j + 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(quote as char)
                            .map_or(b.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_owned();
                        i = end + 1;
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .map_or(b.len(), |e| i + e);
                        value = html[i..end].to_owned();
                        i = end;
                    }
                }
            }
            attrs.push((attr, value));
        }
        let tag: String = html[start..i.min(b.len())].chars().take(200).collect();
        if !ALLOWED_TAGS.contains(&name.as_str()) {
            return Some(format!("element <{name}> from content: {tag}"));
        }
        for (attr, value) in &attrs {
            if attr.starts_with("on") {
                return Some(format!("event handler {attr}: {tag}"));
            }
            if attr == "srcdoc"
                || attr == "style" && value.to_ascii_lowercase().contains("javascript")
            {
                return Some(format!("{attr} attribute: {tag}"));
            }
            let refresh = name == "meta" && attrs.iter().any(|(a, _)| a == "http-equiv");
            if (URL_ATTRIBUTES.contains(&attr.as_str()) || refresh && attr == "content")
                && is_script_url(value)
            {
                return Some(format!("script URL in {attr}: {tag}"));
            }
        }
        if name == "script" {
            let end = html[i.min(b.len())..]
                .find("</script")
                .map_or(b.len(), |e| i + e);
            let inner = &html[i.min(b.len())..end];
            if !inner.trim().is_empty()
                || attrs.iter().any(|(a, v)| a == "src" && v.contains("data:"))
            {
                return Some(format!(
                    "inline script: {tag}{}",
                    inner.chars().take(100).collect::<String>()
                ));
            }
        }
    }
    None
}

/// Why an XML output would carry script: an element no feed or sitemap has (a breakout), or
/// HTML content that would run in a feed reader.
fn scan_xml(xml: &str) -> Option<String> {
    const ELEMENTS: &[&str] = &[
        "feed",
        "title",
        "subtitle",
        "link",
        "id",
        "updated",
        "published",
        "author",
        "name",
        "uri",
        "email",
        "entry",
        "content",
        "summary",
        "category",
        "rights",
        "generator",
        "icon",
        "logo",
        "urlset",
        "url",
        "loc",
        "lastmod",
        "changefreq",
        "priority",
        "source",
        "contributor",
    ];
    let doc = match roxmltree::Document::parse(xml) {
        Ok(d) => d,
        Err(e) => return Some(format!("invalid XML: {e}")),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if !ELEMENTS.contains(&name) {
            return Some(format!("element <{name}> in XML"));
        }
        if node
            .attribute("type")
            .is_some_and(|t| t == "html" || t == "xhtml")
        {
            let text: String = node.descendants().filter_map(|n| n.text()).collect();
            if let Some(why) = scan_html(&text) {
                return Some(format!("in <{name} type=html>: {why}"));
            }
        }
        if let Some(href) = node.attribute("href")
            && is_script_url(href)
        {
            return Some(format!("script URL in <{name} href>"));
        }
    }
    None
}

/// Problems in one built site's outputs.
fn scan_outputs(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in support::all_files(dir) {
        let text = String::from_utf8_lossy(&bytes);
        let why = if path.ends_with(".html") {
            scan_html(&text)
        } else if path.ends_with(".xml") {
            scan_xml(&text)
        } else if path.ends_with(".json") {
            // Data, shown by ui.js through textContent; it must stay valid JSON.
            serde_json::from_str::<serde_json::Value>(&text)
                .err()
                .map(|e| format!("invalid JSON: {e}"))
        } else if path.ends_with(".js") {
            text.contains("dataset.xss")
                .then(|| "content in a script file".to_owned())
        } else {
            None
        };
        if let Some(why) = why {
            problems.push(format!("{path}: {why}"));
        }
        // Tera must never evaluate what an author wrote.
        if text.contains("1337") {
            problems.push(format!(
                "{path}: a template expression from content was evaluated"
            ));
        }
    }
    problems
}

#[test]
fn the_scanner_finds_what_it_looks_for() {
    assert!(scan_html("<p>&lt;img src=x onerror=alert(1)&gt;</p>").is_none());
    assert!(scan_html(r#"<meta content="&quot;&gt;&lt;script&gt;">"#).is_none());
    assert!(scan_html("<p><img src=x onerror=alert(1)></p>").is_some());
    assert!(scan_html(r#"<a href=" JaVa&#x53;cript:x">"#).is_some());
    assert!(scan_html(r#"<a title="x" href="&#106;avascript:x">"#).is_some());
    assert!(scan_html("<iframe>").is_some());
    assert!(scan_html("<script>x</script>").is_some());
    assert!(scan_html(r#"<script src="/theme/theme.js"></script>"#).is_none());
    assert!(scan_xml("<feed><entry><content type=\"html\">&lt;img src=x onerror=y&gt;</content></entry></feed>").is_some());
    assert!(
        scan_xml("<feed><entry><title>&lt;img src=x onerror=y&gt;</title></entry></feed>")
            .is_none()
    );
}

#[test]
fn no_payload_in_any_field_or_construct_reaches_an_output_as_markup() {
    let payloads = payloads();
    assert!(payloads.len() >= 150, "{} payloads", payloads.len());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(p) = payloads.get(i) else { break };
                    let mut site = TestSite::new();
                    for (path, text) in
                        site_files(&p.text, &p.url, "https://www.example.gov.cn/dxbrs/")
                    {
                        site = site.file(&path, &text);
                    }
                    let run = site.build();
                    let mut found = Vec::new();
                    if run.code != 0 {
                        found.push(format!(
                            "exit {}: {}",
                            run.code,
                            run.stderr.chars().take(800).collect::<String>()
                        ));
                    } else {
                        found = scan_outputs(&site.dir.join("public"));
                    }
                    for f in found {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("payload {} {:?}: {f}", p.n, p.text));
                    }
                }
            });
        }
    });
    println!(
        "XSS corpus: {} payloads × ({FIELDS} fields + {CONSTRUCTS} Markdown constructs), {} link URLs",
        payloads.len(),
        URLS.len()
    );
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_payload_runs_in_chromium_on_any_page_kind_or_in_search_results() {
    let Some(browser) = support::chromium() else {
        return;
    };
    let payloads = payloads();
    // Every payload in every field at once, each with its own number.
    let all: String = payloads.iter().map(|p| format!("{} ", p.text)).collect();
    let urls: Vec<&str> = payloads
        .iter()
        .take(URLS.len())
        .map(|p| p.url.as_str())
        .collect();
    let root = std::env::temp_dir().join(format!("xiezuo-xss-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let server = xiezuo::serve::Server::bind(&root, 0).unwrap();
    let port = server.port().unwrap();
    let mut site = TestSite::new();
    for (path, mut text) in site_files(&all, urls[0], &format!("http://127.0.0.1:{port}/dxbrs/")) {
        // Every link URL payload, each in its own link.
        if path.ends_with(".md") {
            for u in &urls {
                text.push_str(&format!("\n[链接]({u}) ![图]({u}) <{u}>\n"));
            }
        }
        site = site.file(&path, &text);
    }
    let out = root.join("dxbrs");
    let run = site.run(&["build", "-o", out.to_str().unwrap()]);
    assert_eq!(
        run.code,
        0,
        "{}",
        TestSite::diagnostics(&run)
            .iter()
            .filter(|l| l.starts_with("错误"))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let statics = scan_outputs(&out);
    assert!(statics.is_empty(), "{statics:#?}");
    std::thread::spawn(move || server.run());

    let tag = std::fs::read_dir(out.join("tags"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n != "index.html" && n != "wen-gang-jiu-ye")
        .unwrap();
    let pages = [
        String::new(),
        "cases/".into(),
        "cases/a/".into(),
        "cases/b/".into(),
        "brands/".into(),
        "brands/xss-brand/".into(),
        "bulletins/".into(),
        "bulletins/2025-1/".into(),
        "xss/".into(),
        "stats/".into(),
        "tags/".into(),
        format!("tags/{tag}/"),
        "provinces/guizhou/".into(),
        "pairs/guangdong-guizhou/".into(),
        "tasks/".into(),
        "tasks/xss-task/".into(),
        "404.html".into(),
        "search/?q=dataset".into(),
        "search/?q=img%20src%20onerror".into(),
        "search/?q=xss".into(),
    ];
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(page) = pages.get(i) else { break };
                    let dom = support::dump_dom(
                        browser,
                        8000,
                        &format!("http://127.0.0.1:{port}/dxbrs/{page}"),
                    );
                    let mut failures = failures.lock().unwrap();
                    if !dom.contains("dataset.xss") {
                        failures.push(format!(
                            "/{page}: the page does not show the payloads: {}",
                            dom.chars().take(300).collect::<String>()
                        ));
                    }
                    if page.starts_with("search/") && !dom.contains("class=\"search-result\"") {
                        failures.push(format!("/{page}: no search results"));
                    }
                    if let Some(at) = dom.find("data-xss") {
                        let around: String =
                            dom[at.saturating_sub(300)..].chars().take(400).collect();
                        failures.push(format!("/{page}: a payload ran: {around}"));
                    }
                }
            });
        }
    });
    // The oracle itself: a payload written straight into a served page does set the marker.
    std::fs::write(
        root.join("control.html"),
        format!("<!doctype html><p>x</p><img src=x onerror={}>", js(1)),
    )
    .unwrap();
    let control = support::dump_dom(
        browser,
        8000,
        &format!("http://127.0.0.1:{port}/control.html"),
    );
    assert!(
        control.contains("data-xss=\"1\""),
        "the marker is not seen: {control}"
    );
    let failures = failures.into_inner().unwrap();
    println!(
        "XSS corpus in Chromium: {} pages, {} payloads on each",
        pages.len(),
        payloads.len()
    );
    let _ = std::fs::remove_dir_all(&root);
    assert!(failures.is_empty(), "{failures:#?}");
}
