//! Machine-read outputs written without templates: Atom feeds, the sitemap and robots.txt.

use std::fmt::Write;

use crate::date::Date;
use crate::model::Site;
use crate::xml::escape as xml_escape;

use super::context::Views;
use crate::routes::{self, Route, Routes};

/// Entries per feed.
const FEED_ENTRIES: usize = 50;

struct Entry<'a> {
    title: &'a str,
    url: String,
    date: Date,
    summary: &'a str,
    content: &'a str,
    author: &'a str,
}

fn atom(site: &Site, feed_path: &str, title: &str, mut entries: Vec<Entry>) -> Vec<u8> {
    let base = &site.config.base_url;
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let updated = entries.first().map_or_else(
        || "1970-01-01T00:00:00+08:00".to_owned(),
        |e| e.date.rfc3339(),
    );
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        crate::texts::texts(site.config.language).lang,
        xml_escape(&base.absolute("")),
        xml_escape(title),
        xml_escape(&base.absolute(feed_path)),
        xml_escape(&base.absolute(feed_path)),
        xml_escape(&base.absolute("")),
        xml_escape(&site.config.publisher),
    );
    for e in entries {
        let url = format!("{}{}", base.origin, e.url);
        let _ = write!(
            x,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            xml_escape(e.title),
            xml_escape(&url),
            xml_escape(&url),
            e.date.rfc3339(),
            e.date.rfc3339(),
            xml_escape(e.author),
            xml_escape(e.summary),
            xml_escape(e.content),
        );
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

/// Atom feeds, the sitemap and robots.txt, as (site path, bytes).
pub fn feeds(site: &Site, routes: &Routes, views: &Views) -> Vec<(String, Vec<u8>)> {
    let base = &site.config.base_url;
    let publisher = site.config.publisher.as_str();
    let bulletin_entries = || {
        site.bulletins
            .iter()
            .zip(&views.bulletins)
            .map(|(b, card)| Entry {
                title: &b.title,
                url: card.url.clone(),
                date: b.date,
                summary: &b.summary,
                content: &b.body.html,
                author: &b.publisher,
            })
    };
    let mut all: Vec<Entry> = site
        .cases
        .iter()
        .zip(&views.cases)
        .map(|(c, card)| Entry {
            title: &c.title,
            url: card.url.clone(),
            date: c.date,
            summary: &c.summary,
            content: &c.body.html,
            author: c.source.as_deref().unwrap_or(publisher),
        })
        .collect();
    all.extend(bulletin_entries());
    let mut out = vec![
        (
            routes::FEED.to_owned(),
            atom(site, routes::FEED, &site.config.title, all),
        ),
        (
            routes::BULLETIN_FEED.to_owned(),
            atom(
                site,
                routes::BULLETIN_FEED,
                &format!(
                    "{} · {}",
                    site.config.title,
                    crate::texts::texts(site.config.language).bulletins
                ),
                bulletin_entries().collect(),
            ),
        ),
    ];

    out.extend(sitemaps(site, routes));
    out.push((
        routes::ROBOTS.to_owned(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            base.absolute(routes::SITEMAP)
        )
        .into_bytes(),
    ));
    out
}

/// The sitemap: every page in `sitemap.xml`, or, when the routes split it, in the parts the
/// routes name, with `sitemap.xml` their index.
fn sitemaps(site: &Site, routes: &Routes) -> Vec<(String, Vec<u8>)> {
    let entries: Vec<(String, Option<Date>)> = routes
        .pages
        .iter()
        .filter(|&&route| routes::in_sitemap(route))
        .map(|&route| {
            let lastmod = match route {
                Route::Case(i) => Some(site.cases[i].date),
                Route::Bulletin(i) => Some(site.bulletins[i].date),
                Route::Page(i) => site.pages[i].date,
                _ => None,
            };
            (routes.absolute_url(site, route), lastmod)
        })
        .collect();
    let parts: Vec<(String, String)> = routes
        .files
        .iter()
        .filter(|route| matches!(route, Route::SitemapPart(_)))
        .map(|&route| {
            (
                routes.output_path(site, route),
                routes.absolute_url(site, route),
            )
        })
        .collect();
    split_sitemap(&entries, &parts)
}

/// `entries` (absolute URL, last change) as one `urlset` in `sitemap.xml` when `parts` (output
/// path, absolute URL) is empty; otherwise shared evenly among the parts, in order, and
/// `sitemap.xml` a `sitemapindex` of them. Sharing by the parts' number rather than a fixed
/// size means no entry is ever left without a part.
fn split_sitemap(
    entries: &[(String, Option<Date>)],
    parts: &[(String, String)],
) -> Vec<(String, Vec<u8>)> {
    const XMLNS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urlset = |entries: &[(String, Option<Date>)]| {
        let mut x =
            format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"{XMLNS}\">\n");
        for (url, lastmod) in entries {
            let _ = write!(x, "  <url><loc>{}</loc>", xml_escape(url));
            if let Some(d) = lastmod {
                let _ = write!(x, "<lastmod>{d}</lastmod>");
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x.into_bytes()
    };
    if parts.is_empty() {
        return vec![(routes::SITEMAP.to_owned(), urlset(entries))];
    }
    let per_part = entries.len().div_ceil(parts.len()).max(1);
    let mut index =
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"{XMLNS}\">\n");
    let mut out = Vec::with_capacity(parts.len() + 1);
    let mut chunks = entries.chunks(per_part);
    for (path, url) in parts {
        let chunk = chunks.next().unwrap_or_default();
        let _ = write!(index, "  <sitemap><loc>{}</loc>", xml_escape(url));
        if let Some(d) = chunk.iter().filter_map(|(_, d)| *d).max() {
            let _ = write!(index, "<lastmod>{d}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        out.push((path.clone(), urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    out.push((routes::SITEMAP.to_owned(), index.into_bytes()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<(String, Option<Date>)> {
        (1..=n)
            .map(|i| {
                let date = (i % 2 == 0).then(|| Date::parse(&format!("2024-01-{i:02}")).unwrap());
                (format!("https://example.gov.cn/cases/c{i}/?a&b"), date)
            })
            .collect()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let files = split_sitemap(&entries(3), &[]);
        assert_eq!(files.len(), 1);
        let (path, bytes) = &files[0];
        assert_eq!(path, "sitemap.xml");
        let xml = std::str::from_utf8(bytes).unwrap();
        assert!(xml.contains("<urlset"), "{xml}");
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(
            xml.contains(
                "<loc>https://example.gov.cn/cases/c2/?a&amp;b</loc><lastmod>2024-01-02</lastmod>"
            ),
            "{xml}"
        );
    }

    #[test]
    fn a_large_site_shares_its_pages_among_parts_and_indexes_them() {
        let parts: Vec<(String, String)> = (1..=3)
            .map(|n| {
                (
                    format!("sitemap-{n}.xml"),
                    format!("https://example.gov.cn/sitemap-{n}.xml"),
                )
            })
            .collect();
        let files = split_sitemap(&entries(7), &parts);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let text = |i: usize| std::str::from_utf8(&files[i].1).unwrap().to_owned();
        let counts: Vec<usize> = (0..3).map(|i| text(i).matches("<url>").count()).collect();
        assert_eq!(counts, [3, 3, 1], "every page in exactly one part");
        assert!(text(2).contains("c7/"));
        let index = text(3);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(!index.contains("<url>"), "{index}");
        assert!(index.contains("<sitemap><loc>https://example.gov.cn/sitemap-2.xml</loc><lastmod>2024-01-06</lastmod></sitemap>"), "{index}");
        assert!(
            index.contains("<sitemap><loc>https://example.gov.cn/sitemap-3.xml</loc></sitemap>"),
            "part 3 has no date: {index}"
        );
    }
}
