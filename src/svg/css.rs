//! CSS inside an SVG (`style="…"` and `<style>`), reduced to declarations that only paint.
//!
//! The output is rebuilt from checked pieces only (a selector, then `property:value` pairs from
//! [`PROPERTIES`]), never patched in place, so whatever this parser misunderstands is dropped
//! rather than passed through. It does not aim to keep every valid stylesheet: at-rules other
//! than `@media` go, and so does anything with a backslash escape (`u\72l(` spells `url(`).

/// Properties an SVG drawing needs; also the presentation attributes allowed on elements.
/// None of them can run script; `url()` in their values is checked by [`value_is_safe`].
pub const PROPERTIES: &[&str] = &[
    "alignment-baseline",
    "baseline-shift",
    "clip",
    "clip-path",
    "clip-rule",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "direction",
    "display",
    "dominant-baseline",
    "enable-background",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "flood-color",
    "flood-opacity",
    "font",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "image-rendering",
    "isolation",
    "letter-spacing",
    "lighting-color",
    "line-height",
    "marker",
    "marker-end",
    "marker-mid",
    "marker-start",
    "mask",
    "mix-blend-mode",
    "opacity",
    "overflow",
    "paint-order",
    "pointer-events",
    "shape-rendering",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "text-decoration",
    "text-rendering",
    "transform",
    "transform-origin",
    "unicode-bidi",
    "vector-effect",
    "visibility",
    "white-space",
    "word-spacing",
    "writing-mode",
];

/// Functions that fetch something (or, in old browsers, run script); `url()` is handled apart.
const FETCHING: &[&str] = &[
    "expression(",
    "image(",
    "image-set(",
    "cross-fade(",
    "element(",
    "src(",
    "javascript:",
    "-moz-binding",
    "behavior",
];

/// A declaration list (`fill:red; stroke:url(#g)`) with only allowed, safe declarations kept;
/// each dropped declaration is pushed to `removed` as written.
pub fn sanitize_declarations(text: &str, removed: &mut Vec<String>) -> String {
    let mut kept = Vec::new();
    for declaration in split_top_level(text, ';') {
        let declaration = declaration.trim();
        if declaration.is_empty() {
            continue;
        }
        let safe = declaration.split_once(':').and_then(|(name, value)| {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            (PROPERTIES.contains(&name.as_str()) && value_is_safe(value))
                .then(|| format!("{name}:{value}"))
        });
        match safe {
            Some(d) => kept.push(d),
            None => removed.push(declaration.to_owned()),
        }
    }
    kept.join(";")
}

/// A whole stylesheet: rules whose selectors are plain keep their safe declarations, `@media`
/// blocks are checked inside, every other at-rule (`@import`, `@font-face` …) is dropped.
pub fn sanitize_stylesheet(css: &str, removed: &mut Vec<String>) -> String {
    let css = strip_comments(css, removed);
    let mut out = String::new();
    let mut rest = css.as_str();
    while !rest.trim_start().is_empty() {
        rest = rest.trim_start();
        let Some(open) = rest.find(['{', ';']) else {
            removed.push(rest.trim().to_owned());
            break;
        };
        let prelude = rest[..open].trim();
        if rest.as_bytes()[open] == b';' {
            // A statement without a block: `@import url(x.css);`, `@charset "x";`.
            removed.push(rest[..=open].trim().to_owned());
            rest = &rest[open + 1..];
            continue;
        }
        let Some(len) = block_len(&rest[open..]) else {
            removed.push(rest.trim().to_owned());
            break;
        };
        let body = &rest[open + 1..open + len - 1];
        let whole = &rest[..open + len];
        rest = &rest[open + len..];
        if let Some(at) = prelude.strip_prefix('@') {
            let is_media = at.len() >= 5 && at[..5].eq_ignore_ascii_case("media");
            if is_media && selector_is_safe(prelude) {
                out.push_str(&format!(
                    "{prelude}{{{}}}",
                    sanitize_stylesheet(body, removed)
                ));
            } else {
                removed.push(whole.trim().to_owned());
            }
        } else if selector_is_safe(prelude) && !body.contains('{') {
            out.push_str(&format!(
                "{prelude}{{{}}}",
                sanitize_declarations(body, removed)
            ));
        } else {
            removed.push(whole.trim().to_owned());
        }
    }
    out
}

/// True when a value can only paint: no escapes, no markup, no `url()` but to a `#id` of this
/// file, no fetching function, and quotes that close on their line.
pub fn value_is_safe(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if value.contains(['\\', '<', '>', '@', '{', '}']) || lower.contains("/*") {
        return false;
    }
    if FETCHING.iter().any(|f| lower.contains(f)) || !quotes_close(value) {
        return false;
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let target = rest.trim_start().trim_start_matches(['"', '\'']);
        let end = target.find(')').unwrap_or(target.len());
        let inside = target[..end].trim_end().trim_end_matches(['"', '\'']);
        if !is_local_reference(inside) {
            return false;
        }
    }
    true
}

/// `#id`: a reference to an element of the same file, and nothing else.
pub fn is_local_reference(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    })
}

fn selector_is_safe(selector: &str) -> bool {
    !selector.is_empty()
        && !selector.contains(['\\', '<', '{', '}', ';'])
        && !selector.to_ascii_lowercase().contains("url(")
        && quotes_close(selector)
}

/// Every quoted string ends on the line it starts on (an unclosed string would swallow the
/// next rule when the browser reads the rebuilt stylesheet).
fn quotes_close(text: &str) -> bool {
    let mut open: Option<char> = None;
    for c in text.chars() {
        match open {
            Some(q) if c == q => open = None,
            Some(_) if c == '\n' => return false,
            Some(_) => {}
            None if c == '"' || c == '\'' => open = Some(c),
            None => {}
        }
    }
    open.is_none()
}

/// Length of the `{…}` block that `text` starts with, braces balanced; None if unclosed.
fn block_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn strip_comments(css: &str, removed: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                removed.push(rest[start..].trim().to_owned());
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits at `sep` outside parentheses and quotes (`font-family:"a;b"` is one declaration).
fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut start, mut depth, mut quote) = (Vec::new(), 0, 0i32, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, c) if c == sep && depth <= 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(text: &str) -> (String, Vec<String>) {
        let mut removed = Vec::new();
        (sanitize_declarations(text, &mut removed), removed)
    }

    fn sheet(text: &str) -> (String, Vec<String>) {
        let mut removed = Vec::new();
        (sanitize_stylesheet(text, &mut removed), removed)
    }

    #[test]
    fn painting_declarations_are_kept() {
        let (kept, removed) = decls("fill: #b4231c; stroke:url(#g) ; font-family:'Noto Sans;SC'");
        assert_eq!(
            kept,
            "fill:#b4231c;stroke:url(#g);font-family:'Noto Sans;SC'"
        );
        assert!(removed.is_empty());
    }

    #[test]
    fn fetching_and_unknown_declarations_are_dropped() {
        let (kept, removed) = decls(
            "fill:url(javascript:alert(1));background:url(x.png);fill:red;\
             stroke:url( 'http://e.x/a.svg#g' );behavior:url(x.htc);fill:u\\72l(x)",
        );
        assert_eq!(kept, "fill:red");
        assert_eq!(
            removed,
            [
                "fill:url(javascript:alert(1))",
                "background:url(x.png)",
                "stroke:url( 'http://e.x/a.svg#g' )",
                "behavior:url(x.htc)",
                "fill:u\\72l(x)"
            ]
        );
    }

    #[test]
    fn stylesheets_keep_rules_and_media_only() {
        let (kept, removed) = sheet(
            "@import url(evil.css);\n/* note */ .a, rect > g { fill: red; background-image: url(x) }\n\
             @font-face { font-family: x; src: url(http://e.x/f.woff) }\n\
             @media print { .a { stroke: black } }\n.b\\3a { fill: blue }",
        );
        assert_eq!(kept, ".a, rect > g{fill:red}@media print{.a{stroke:black}}");
        assert_eq!(
            removed,
            [
                "@import url(evil.css);",
                "background-image: url(x)",
                "@font-face { font-family: x; src: url(http://e.x/f.woff) }",
                ".b\\3a { fill: blue }"
            ]
        );
    }

    #[test]
    fn unclosed_blocks_strings_and_comments_are_dropped() {
        assert_eq!(sheet(".a { fill: red").0, "");
        assert_eq!(sheet(".a { fill: red } /* open").0, ".a{fill:red}");
        assert!(!value_is_safe("'abc"));
        assert!(!value_is_safe("expression(alert(1))"));
        assert!(
            is_local_reference("#grad-1")
                && !is_local_reference("#a)b")
                && !is_local_reference("#")
        );
    }
}
