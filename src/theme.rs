//! The one module that knows the template engine (Tera 2).
//!
//! The default theme is compiled into the binary; a site's `themes/NAME/` overrides it file by
//! file (`templates/case.html`, `static/style.css` …). Templates are compiled when the theme
//! loads, so a syntax error is reported before anything is rendered.

use std::io::Write as _;
use std::path::Path;

use crate::diagnostic::{Diagnostics, Place};
use crate::listing::{Tree, list_files, site_folder};
use crate::problem::Problem;

/// Compiled templates and the static files of the theme.
pub struct Theme {
    tera: tera::Tera,
    /// (output path under `theme/`, bytes), sorted by path.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Fingerprint of every template's name and text: a page made with other templates is
    /// made again.
    pub fingerprint: crate::output::Fingerprint,
}

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/", $dir, "/", $name)) as &[u8])),*]
    };
}

/// The built-in theme's templates.
pub const DEFAULT_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "card_cover.html", "case_cards.html", "pagination.html", "index.html", "case_list.html", "case.html", "brands.html",
    "brand.html", "bulletins.html", "bulletin.html", "terms.html", "page.html", "stats.html", "progress.html",
    "search.html", "404.html", "chart.html", "tile_map.html", "article_tools.html",
);

/// The built-in theme's static files.
pub const DEFAULT_ASSETS: &[(&str, &[u8])] =
    embedded!("static": "style.css", "print.css", "theme.js");

impl Theme {
    /// The built-in theme with the overrides found in `root/themes/NAME/`.
    ///
    /// None when any error has been reported into `diags` (a template that does not compile, a
    /// theme file linked from outside the site).
    pub fn load(root: &Path, theme_name: &str, diags: &mut Diagnostics) -> Option<Theme> {
        let theme_dir = root.join("themes").join(theme_name);
        let shown_dir = Path::new("themes").join(theme_name);
        let site = site_folder(root);
        let tree = Tree {
            root: &theme_dir,
            shown: &shown_dir,
            site: &site,
            skip: &[],
        };
        let files = list_files(&tree, diags);
        if diags.has_errors() {
            return None;
        }
        let mut templates: Vec<(String, String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, b)| {
                (
                    (*n).to_owned(),
                    String::from_utf8_lossy(b).into_owned(),
                    format!("(built-in theme) templates/{n}"),
                )
            })
            .collect();
        let mut assets: Vec<(String, Vec<u8>)> = DEFAULT_ASSETS
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
            .collect();
        for (rel, name) in in_folder(&files, "templates/") {
            let shown = shown_dir.join(rel).display().to_string();
            let not_utf8 = |_| Problem::NotUtf8 {
                file: shown.clone(),
            };
            match std::fs::read(theme_dir.join(rel))
                .map_err(|e| Problem::Io(e.to_string()))
                .and_then(|b| crate::source::decode_text(b).map_err(not_utf8))
            {
                Ok(text) => {
                    templates.retain(|(n, _, _)| n != name);
                    templates.push((name.to_owned(), text, shown));
                }
                Err(p) => diags.report(Place::file(Path::new(&shown)), p),
            }
        }
        for (rel, name) in in_folder(&files, "static/") {
            match std::fs::read(theme_dir.join(rel)) {
                Ok(bytes) => {
                    assets.retain(|(n, _)| n != name);
                    assets.push((name.to_owned(), bytes));
                }
                Err(e) => diags.report(
                    Place::file(&shown_dir.join(rel)),
                    Problem::Io(e.to_string()),
                ),
            }
        }
        assets.sort_by(|a, b| a.0.cmp(&b.0));

        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("thousands", |n: i64, _: tera::Kwargs, _: &tera::State| {
            thousands(n)
        });
        // Compile one by one first so each syntax error names its own file.
        let mut ok = true;
        for (name, text, shown) in &templates {
            let mut single = new_engine();
            if let Err(e) = single.add_raw_template(name, text)
                && !is_missing_reference(&error_chain(&e))
            {
                diags.report(
                    Place::file(Path::new(shown)),
                    Problem::Template(error_chain(&e)),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        templates.sort_by(|a, b| a.0.cmp(&b.0));
        let mut fp = crate::output::FingerprintWriter::default();
        for (name, text, _) in &templates {
            let _ = writeln!(fp, "{name}\n{}\n{text}", text.len());
        }
        let pairs: Vec<(&str, &str)> = templates
            .iter()
            .map(|(n, t, _)| (n.as_str(), t.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(pairs) {
            diags.report(Place::file(&theme_dir), Problem::Template(error_chain(&e)));
            return None;
        }
        Some(Theme {
            tera,
            assets,
            fingerprint: fp.finish(),
        })
    }

    /// Renders `template` with a page's context plus the values shared by every page.
    pub fn render<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
        globals: &Globals,
    ) -> Result<String, String> {
        let mut ctx = tera::Context::from_serialize(context).map_err(|e| error_chain(&e))?;
        // Tera keeps maps and lists behind reference counts, so this clone is cheap.
        ctx.extend(globals.0.clone());
        self.tera
            .render(template, &ctx)
            .map_err(|e| format!("{template}: {}", error_chain(&e)))
    }
}

/// Values every template sees as `site` and `t`, serialised once per build, not once per page.
pub struct Globals(tera::Context);

impl Globals {
    /// Serialises the shared values.
    pub fn new<S: serde::Serialize, T: serde::Serialize>(site: &S, t: &T) -> Globals {
        let mut ctx = tera::Context::new();
        ctx.insert("site", site);
        ctx.insert("t", t);
        Globals(ctx)
    }
}

/// The files of `files` under `folder` (`templates/`), with their names below it.
fn in_folder<'a>(files: &'a [String], folder: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
    files
        .iter()
        .filter_map(move |rel| Some((rel.as_str(), rel.strip_prefix(folder)?)))
}

/// A Tera instance with xiezuo's escaping and filters.
fn new_engine() -> tera::Tera {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("thousands", |n: i64, _: tera::Kwargs, _: &tera::State| {
        thousands(n)
    });
    tera
}

/// Errors that only mean "needs another template", which a single-file compile cannot see.
fn is_missing_reference(message: &str) -> bool {
    message.contains("doesn't exist")
        || message.contains("isn't loaded")
        || message.contains("not found")
        || message.contains("Unknown template")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `45524` → `45,524`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(45524), "45,524");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(-1234567), "-1,234,567");
    }

    #[test]
    fn every_default_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let site = site_folder(&dir);
        let tree = Tree {
            root: &dir,
            shown: Path::new("themes/default"),
            site: &site,
            skip: &[],
        };
        let mut diags = Diagnostics::new(crate::problem::Lang::Zh);
        let files = list_files(&tree, &mut diags);
        assert!(!diags.has_errors());
        for (sub, list) in [
            ("templates/", DEFAULT_TEMPLATES),
            ("static/", DEFAULT_ASSETS),
        ] {
            for (rel, name) in in_folder(&files, sub) {
                assert!(
                    list.iter().any(|(n, _)| *n == name),
                    "{rel} is not embedded"
                );
            }
        }
    }
}
