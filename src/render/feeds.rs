//! Machine-read outputs written without templates: Atom feeds, sitemap.xml and robots.txt.

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

    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &route in &routes.pages {
        if route == Route::NotFound {
            continue;
        }
        let lastmod = match route {
            Route::Case(i) => Some(site.cases[i].date),
            Route::Bulletin(i) => Some(site.bulletins[i].date),
            Route::Page(i) => site.pages[i].date,
            _ => None,
        };
        let _ = write!(
            sitemap,
            "  <url><loc>{}</loc>",
            xml_escape(&routes.absolute_url(site, route))
        );
        if let Some(d) = lastmod {
            let _ = write!(sitemap, "<lastmod>{d}</lastmod>");
        }
        sitemap.push_str("</url>\n");
    }
    sitemap.push_str("</urlset>\n");
    out.push((routes::SITEMAP.to_owned(), sitemap.into_bytes()));
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
