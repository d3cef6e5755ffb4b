use super::*;

fn clean(text: &str) -> Sanitized {
    sanitize_svg(text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn svg(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n{body}\n</svg>"
    )
}

/// An element's name, sorted attributes and text.
type Shape = (String, Vec<(String, String)>, String);

/// Elements with their attributes, in document order: what a renderer draws from.
fn shapes(text: &str) -> Vec<Shape> {
    let doc = Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.is_element())
        .map(|n| {
            let mut attrs: Vec<_> = n
                .attributes()
                .map(|a| (a.name().to_owned(), a.value().to_owned()))
                .collect();
            attrs.sort();
            let text: String = n.children().filter_map(|c| c.text()).collect();
            (n.tag_name().name().to_owned(), attrs, text)
        })
        .collect()
}

#[test]
fn the_demo_drawings_come_out_whole() {
    for original in [
        include_str!("../../content/static/logo.svg"),
        include_str!("../../content/cases/minning-zhen/diagram.svg"),
    ] {
        let done = clean(original);
        assert_eq!(done.removals, []);
        assert_eq!(shapes(&done.svg), shapes(original));
    }
}

#[test]
fn script_handlers_and_foreign_content_are_removed_with_their_lines() {
    let done = clean(&svg(
        "<script>alert(1)</script>\n<rect onload=\"x()\" ONCLICK=\"y()\" width=\"4\"/>\n\
         <foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">hi</div></foreignObject>",
    ));
    assert_eq!(
        done.removals,
        [
            Removal {
                line: 2,
                removed: Removed::Element {
                    name: "script".into()
                }
            },
            Removal {
                line: 3,
                removed: Removed::Attribute {
                    element: "rect".into(),
                    name: "onload".into()
                }
            },
            Removal {
                line: 3,
                removed: Removed::Attribute {
                    element: "rect".into(),
                    name: "ONCLICK".into()
                }
            },
            Removal {
                line: 4,
                removed: Removed::Element {
                    name: "foreignObject".into()
                }
            },
        ]
    );
    assert!(done.svg.contains("<rect width=\"4\"/>"), "{}", done.svg);
    assert!(!done.svg.contains("alert") && !done.svg.contains("div"));
}

#[test]
fn only_local_references_survive() {
    let done = clean(&svg(
        "<use href=\"#a\"/><use xlink:href=\" #b\"/><use href=\"http://e.x/s.svg#a\"/>\
         <a href=\"javascript:alert(1)\"><rect fill=\"url(#g)\" stroke=\"url(x.svg#g)\"/></a>\
         <image href=\"data:image/png;base64,iVBORw0KGgo=\"/><image href=\"data:image/svg+xml,&lt;svg/&gt;\"/>",
    ));
    let refs: Vec<_> = done
        .removals
        .iter()
        .map(|r| match &r.removed {
            Removed::Reference {
                element,
                name,
                value,
            } => format!("{element} {name}={value}"),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        refs,
        [
            "use href=http://e.x/s.svg#a",
            "a href=javascript:alert(1)",
            "rect stroke=url(x.svg#g)",
            "image href=data:image/svg+xml,<svg/>"
        ]
    );
    assert!(
        done.svg
            .contains("<use href=\"#a\"/><use xlink:href=\"#b\"/>")
    );
    assert!(done.svg.contains("fill=\"url(#g)\""));
    assert!(done.svg.contains("data:image/png;base64,iVBORw0KGgo="));
}

#[test]
fn styles_keep_painting_only() {
    let done = clean(&svg(
        "<style><![CDATA[@import url(x.css); rect { fill: red; background: url(javascript:a()) }]]></style>\
         <rect style=\"fill:blue;behavior:url(x.htc)\"/>",
    ));
    assert!(
        done.svg.contains("<style>rect{fill:red}</style>"),
        "{}",
        done.svg
    );
    assert!(done.svg.contains("<rect style=\"fill:blue\"/>"));
    assert_eq!(done.removals.len(), 3);
}

#[test]
fn animation_instructions_and_other_namespaces_go() {
    let done = clean(
        "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>\n\
         <svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\" xmlns:h=\"http://www.w3.org/1999/xhtml\">\
         <svg:set attributeName=\"onload\" to=\"alert(1)\"/><svg:script>alert(2)</svg:script>\
         <h:iframe src=\"javascript:alert(3)\"/><svg:circle r=\"2\"/></svg:svg>",
    );
    let names: Vec<_> = done
        .removals
        .iter()
        .map(|r| format!("{}:{:?}", r.line, r.removed))
        .collect();
    assert_eq!(
        names,
        [
            "2:Instruction { text: \"<?xml-stylesheet type=\\\"text/xsl\\\" href=\\\"x.xsl\\\"?>\" }",
            "3:Element { name: \"svg:set\" }",
            "3:Element { name: \"svg:script\" }",
            "3:Element { name: \"h:iframe\" }"
        ]
    );
    assert_eq!(
        done.svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"2\"/></svg>\n"
    );
}

#[test]
fn entities_expand_into_checked_content_and_external_ones_are_never_read() {
    let done = clean(
        "<!DOCTYPE svg [<!ENTITY x \"<script>alert(1)</script>\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>",
    );
    assert_eq!(
        done.removals[0],
        Removal {
            line: 1,
            removed: Removed::Entities
        }
    );
    assert!(matches!(done.removals[1].removed, Removed::Element { .. }));
    assert!(!done.svg.contains("alert"));
    let external = sanitize_svg(
        "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>",
    );
    assert!(
        matches!(external, Err(SvgError::Parse { line: 2, .. })),
        "{external:?}"
    );
    let laughs = format!(
        "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">{}]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&a9;</text></svg>",
        (1..10)
            .map(|i| format!(
                "<!ENTITY a{i} \"{}\">",
                format!(
                    "&a{};",
                    if i == 1 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    }
                )
                .repeat(10)
            ))
            .collect::<String>()
    );
    assert!(matches!(sanitize_svg(&laughs), Err(SvgError::Parse { .. })));
}

#[test]
fn broken_and_foreign_files_are_errors_with_lines() {
    assert_eq!(
        sanitize_svg("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect>\n</svg>").err(),
        Some(SvgError::Parse {
            line: 3,
            detail: "expected 'rect' tag, not 'svg' at 3:1".into(),
            fault: XmlFault::MismatchedTag {
                expected: "rect".into(),
                found: "svg".into()
            },
        })
    );
    assert_eq!(
        sanitize_svg("\n<html><script>alert(1)</script></html>").err(),
        Some(SvgError::NotSvg {
            line: 2,
            root: "html".into()
        })
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 50_000;
    let text = svg(&format!("{}{}", "<g>".repeat(depth), "</g>".repeat(depth)));
    assert_eq!(clean(&text).removals, []);
}
