//! An author's SVG file reduced to a drawing that cannot run script on the site's origin.
//!
//! A published SVG opened by itself (or through `<object>`) is a document like an HTML page:
//! `onload`, `<script>`, `<foreignObject>` with HTML, `javascript:` links, `<set>` that rewrites
//! an `href`, an `<?xml-stylesheet?>` all run on the site's origin. [`sanitize_svg`] parses the
//! file and writes it again from an allowlist: SVG elements that draw, their geometry and
//! presentation attributes, references only to `#id`s of the same file (and raster images
//! embedded as `data:` URLs), and CSS that only paints (see [`css`]). Everything else is left
//! out and listed with its line, so the build can say what it took away. Comments, the DOCTYPE
//! and the XML declaration are not written (they draw nothing); entities are expanded while
//! reading and their results go through the same allowlist, and external entities are never
//! fetched. This module is pure: it never reads files and never words messages.

mod allowlist;
mod css;

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use allowlist::{ATTRIBUTES, ELEMENTS, RASTER_DATA};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// At most this many nodes are read: far above any drawing, and a bound on what an entity
/// expansion can make.
const MAX_NODES: u32 = 1_000_000;

/// One thing left out of a sanitised SVG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    /// An element not on the allowlist, with everything inside it (`script`, `svg:script`).
    Element { name: String },
    /// An attribute not on the allowlist (`onload`, `ONLOAD`, `inkscape:label`).
    Attribute { element: String, name: String },
    /// A reference to anything but an `#id` of the file (`javascript:`, `http://`, `data:`).
    Reference {
        element: String,
        name: String,
        value: String,
    },
    /// CSS that does more than paint: `url(…)` out of the file, `@import`, unknown properties.
    Style { element: String, css: String },
    /// A processing instruction such as `<?xml-stylesheet href="x.xsl"?>`.
    Instruction { text: String },
    /// A DOCTYPE declaring entities: expanded while reading, the declarations are not written.
    Entities,
}

/// What was removed, and the 1-based line where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub line: usize,
    pub removed: Removed,
}

/// A sanitised SVG: the text to publish and everything left out of it.
#[derive(Debug)]
pub struct Sanitized {
    pub svg: String,
    pub removals: Vec<Removal>,
}

/// Why an SVG could not be sanitised at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SvgError {
    /// Not well-formed XML (or an entity that expands without end); `detail` from the parser,
    /// `fault` what it means, for messages in the author's language.
    Parse {
        line: usize,
        detail: String,
        fault: XmlFault,
    },
    /// Well-formed, but the root element is not `<svg>`.
    NotSvg { line: usize, root: String },
}

/// The XML mistakes a drawing program's file or a hand edit most often has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlFault {
    /// `</svg>` where `</g>` was due.
    MismatchedTag {
        expected: String,
        found: String,
    },
    /// The file ends inside an element.
    Unclosed,
    /// `&name;` that no entity declares.
    UnknownEntity(String),
    /// Entities that expand into each other, or too many elements.
    TooLarge,
    DuplicateAttribute(String),
    /// A `<` inside an attribute value.
    LessThanInAttribute,
    Other,
}

impl From<&roxmltree::Error> for XmlFault {
    fn from(e: &roxmltree::Error) -> Self {
        use roxmltree::Error as E;
        match e {
            E::UnexpectedCloseTag(expected, found, _) => XmlFault::MismatchedTag {
                expected: expected.clone(),
                found: found.clone(),
            },
            E::UnclosedRootNode | E::UnexpectedEndOfStream => XmlFault::Unclosed,
            E::UnknownEntityReference(name, _) => XmlFault::UnknownEntity(name.clone()),
            E::EntityReferenceLoop(_) | E::NodesLimitReached => XmlFault::TooLarge,
            E::DuplicatedAttribute(name, _) => XmlFault::DuplicateAttribute(name.clone()),
            E::InvalidAttributeValue(_) => XmlFault::LessThanInAttribute,
            _ => XmlFault::Other,
        }
    }
}

/// Parses `text` and writes it again with only the allowed elements, attributes and styles.
pub fn sanitize_svg(text: &str) -> Result<Sanitized, SvgError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        entity_resolver: None,
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| SvgError::Parse {
        line: e.pos().row as usize,
        detail: e.to_string(),
        fault: XmlFault::from(&e),
    })?;
    let root = doc.root_element();
    if !is_svg(root) || root.tag_name().name() != "svg" {
        return Err(SvgError::NotSvg {
            line: lines.line(root.range().start),
            root: element_name(root),
        });
    }
    let mut writer = Writer {
        out: String::with_capacity(text.len()),
        removals: Vec::new(),
        lines: &lines,
        xlink: doc
            .descendants()
            .any(|n| n.attributes().any(|a| a.namespace() == Some(XLINK_NS))),
    };
    if let Some(at) = text.find("<!ENTITY") {
        let doctype = text[..at].rfind("<!DOCTYPE").unwrap_or(at);
        writer.remove(doctype, Removed::Entities);
    }
    writer.write_tree(doc.root());
    writer.out.push('\n');
    Ok(Sanitized {
        svg: writer.out,
        removals: writer.removals,
    })
}

/// Byte offsets of line starts, so each removal's line costs a binary search rather than a
/// scan from the start of the file (a hostile file can have 100,000 removals).
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        LineIndex(text.match_indices('\n').map(|(i, _)| i).collect())
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

struct Writer<'a> {
    out: String,
    removals: Vec<Removal>,
    lines: &'a LineIndex,
    /// Whether any `xlink:` attribute may be written, so the root declares the prefix.
    xlink: bool,
}

impl Writer<'_> {
    fn remove(&mut self, offset: usize, removed: Removed) {
        let line = self.lines.line(offset);
        self.removals.push(Removal { line, removed });
    }

    /// Walks the tree without recursion (a file may nest 100,000 groups); an element left out
    /// is not entered, so its whole subtree goes with it.
    fn write_tree(&mut self, root: Node) {
        let mut node = root;
        loop {
            if self.open(node)
                && let Some(child) = node.first_child()
            {
                node = child;
                continue;
            }
            // `node` is written: climb to the next sibling, closing the elements left.
            loop {
                if node == root {
                    return;
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                let Some(parent) = node.parent() else { return };
                node = parent;
                if node.is_element() {
                    self.out.push_str(&format!("</{}>", node.tag_name().name()));
                }
            }
        }
    }

    /// Writes the start of `node`; true when its children are to be written too.
    fn open(&mut self, node: Node) -> bool {
        let at = node.range().start;
        match node.node_type() {
            NodeType::Element if is_svg(node) && ELEMENTS.contains(&node.tag_name().name()) => {
                self.start_tag(node);
                return true;
            }
            NodeType::Element => {
                let name = element_name(node);
                self.remove(at, Removed::Element { name });
            }
            NodeType::Text => {
                let text = node.text().unwrap_or_default();
                let in_style = node
                    .parent()
                    .is_some_and(|p| p.tag_name().name() == "style");
                if in_style {
                    let mut removed = Vec::new();
                    let css = css::sanitize_stylesheet(text, &mut removed);
                    for css in removed {
                        let (element, css) = ("style".to_owned(), quote(&css));
                        self.remove(at, Removed::Style { element, css });
                    }
                    push_escaped(&mut self.out, &css, false);
                } else {
                    push_escaped(&mut self.out, text, false);
                }
            }
            NodeType::PI => {
                let pi = node.pi();
                let text = pi.map_or_else(String::new, |pi| {
                    format!("<?{} {}?>", pi.target, pi.value.unwrap_or_default())
                });
                self.remove(at, Removed::Instruction { text: quote(&text) });
            }
            NodeType::Root => return true,
            NodeType::Comment => {}
        }
        false
    }

    fn start_tag(&mut self, node: Node) {
        let name = node.tag_name().name();
        self.out.push('<');
        self.out.push_str(name);
        if node.parent().is_some_and(|p| p.is_root()) {
            self.out.push_str(&format!(" xmlns=\"{SVG_NS}\""));
            if self.xlink {
                self.out.push_str(&format!(" xmlns:xlink=\"{XLINK_NS}\""));
            }
        }
        for attr in node.attributes() {
            let at = attr.range().start;
            match check_attribute(node, &attr) {
                Checked::Keep(qname, value) => {
                    self.out.push_str(&format!(" {qname}=\""));
                    push_escaped(&mut self.out, &value, true);
                    self.out.push('"');
                }
                Checked::Removed(removed) => {
                    for r in removed {
                        self.remove(at, r);
                    }
                }
                Checked::KeepPart(qname, value, removed) => {
                    if !value.is_empty() {
                        self.out.push_str(&format!(" {qname}=\""));
                        push_escaped(&mut self.out, &value, true);
                        self.out.push('"');
                    }
                    for r in removed {
                        self.remove(at, r);
                    }
                }
            }
        }
        self.out
            .push_str(if node.has_children() { ">" } else { "/>" });
    }
}

/// The verdict on one attribute.
enum Checked {
    Keep(String, String),
    /// A `style` attribute with some declarations taken out.
    KeepPart(String, String, Vec<Removed>),
    Removed(Vec<Removed>),
}

fn check_attribute(node: Node, attr: &roxmltree::Attribute) -> Checked {
    let element = node.tag_name().name().to_owned();
    let (name, value) = (attr.name(), attr.value());
    let qname = match attr.namespace() {
        None => name.to_owned(),
        Some(XLINK_NS) if name == "href" => "xlink:href".to_owned(),
        Some(XML_NS) if name == "space" || name == "lang" => format!("xml:{name}"),
        Some(ns) => {
            let prefix = node.lookup_prefix(ns).unwrap_or("?");
            let name = format!("{prefix}:{name}");
            return Checked::Removed(vec![Removed::Attribute { element, name }]);
        }
    };
    let reference = |value: &str| Removed::Reference {
        element: element.clone(),
        name: qname.clone(),
        value: quote(value),
    };
    if name == "href" || qname == "xlink:href" {
        let trimmed = value.trim();
        let raster = element == "image" && is_raster_data(trimmed);
        return if css::is_local_reference(trimmed) || raster {
            Checked::Keep(qname, trimmed.to_owned())
        } else {
            Checked::Removed(vec![reference(value)])
        };
    }
    if qname == "style" {
        let mut removed = Vec::new();
        let kept = css::sanitize_declarations(value, &mut removed);
        let removed = removed.into_iter().map(|css| Removed::Style {
            element: element.clone(),
            css: quote(&css),
        });
        return Checked::KeepPart(qname, kept, removed.collect());
    }
    if css::PROPERTIES.contains(&name) && attr.namespace().is_none() {
        return if css::value_is_safe(value) {
            Checked::Keep(qname, value.to_owned())
        } else {
            Checked::Removed(vec![reference(value)])
        };
    }
    let described = name.starts_with("aria-") && name[5..].chars().all(|c| c.is_ascii_lowercase());
    if ATTRIBUTES.contains(&name) || described || attr.namespace().is_some() {
        Checked::Keep(qname, value.to_owned())
    } else {
        Checked::Removed(vec![Removed::Attribute {
            element,
            name: qname,
        }])
    }
}

/// An element of the SVG namespace, or of none (a hand-written file without `xmlns`, which
/// the output declares).
fn is_svg(node: Node) -> bool {
    matches!(node.tag_name().namespace(), None | Some(SVG_NS))
}

/// The element's name as written, with its prefix (`svg:script`, `html:iframe`).
fn element_name(node: Node) -> String {
    let name = node.tag_name().name();
    match node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
    {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{name}"),
        _ => name.to_owned(),
    }
}

fn is_raster_data(value: &str) -> bool {
    RASTER_DATA.iter().any(|prefix| {
        value.len() > prefix.len()
            && value[..prefix.len()].eq_ignore_ascii_case(prefix)
            && value[prefix.len()..].chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_ascii_whitespace()
            })
    })
}

/// An author's value cut to 80 characters for a message.
fn quote(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// XML escaping; in attributes, tabs and line ends too, so they survive re-reading.
fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
