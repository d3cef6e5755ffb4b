//! What one load hands to the next in the same process (`serve`): documents parsed and resolved
//! before, reused while their inputs are unchanged, so an edit to one case re-parses and
//! re-renders the Markdown of that case only.
//!
//! A document's parse depends on its text, its path and the message language; its resolved
//! record on its parse, its slug and what every document resolves against (the settings and the
//! table of link targets). Each entry is kept under the fingerprint of exactly those inputs, and
//! each load replaces the whole table, so entries of deleted files go with it.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;
use std::sync::Arc;

use super::ParsedDoc;
use super::records::Record;
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostics;
use crate::markdown::Markdown;
use crate::output::{Fingerprint, FingerprintWriter};
use crate::problem::Lang;

/// Parsed and resolved documents of the last load, by content-relative path.
pub struct LoadCache {
    /// A one-off build keeps nothing: keeping would copy every record (twice the memory).
    keeps: bool,
    parsed: HashMap<String, Parsed>,
    resolved: HashMap<String, Resolved>,
    /// Setting up highlighting costs tens of milliseconds: once per process.
    markdown: Option<Arc<Markdown>>,
    /// Whether processed photos may be stored in the build cache (`check` writes nothing).
    writes_photos: bool,
    /// What the last successful load resolved its documents against.
    last: Option<LastContext>,
}

/// What every document of the last successful load was resolved against (besides the
/// settings, which the site keeps): enough to resolve one of them again after an edit that
/// left its front matter as it was.
pub(super) struct LastContext {
    pub targets: HashMap<String, String>,
    pub media: crate::media::Media,
    /// Per document (content-relative path), the slug it was given.
    pub slugs: HashMap<String, Option<String>>,
    pub lang: Lang,
}

#[derive(Clone)]
pub(super) struct Parsed {
    pub key: Fingerprint,
    pub doc: Option<Arc<ParsedDoc>>,
    pub diags: Diagnostics,
}

#[derive(Clone)]
pub(super) struct Resolved {
    pub key: Fingerprint,
    pub record: Record,
    pub diags: Diagnostics,
}

impl LoadCache {
    /// A cache for a process that builds the same site again (`serve`).
    pub fn new() -> LoadCache {
        LoadCache {
            keeps: true,
            parsed: HashMap::new(),
            resolved: HashMap::new(),
            markdown: None,
            writes_photos: true,
            last: None,
        }
    }

    /// No cache: for a build that is the only one of its process.
    pub fn none() -> LoadCache {
        LoadCache {
            keeps: false,
            ..LoadCache::new()
        }
    }

    /// No cache, and nothing written to the build cache either: photos not cached yet are
    /// decoded and encoded to find what is wrong with them, and their copies dropped (`check`).
    pub fn read_only() -> LoadCache {
        LoadCache {
            writes_photos: false,
            ..LoadCache::none()
        }
    }

    pub(super) fn writes_photos(&self) -> bool {
        self.writes_photos
    }

    pub(crate) fn keeps(&self) -> bool {
        self.keeps
    }

    pub(super) fn parsed(&self, rel: &str, key: Fingerprint) -> Option<&Parsed> {
        self.parsed.get(rel).filter(|p| p.key == key)
    }

    pub(super) fn resolved(&self, rel: &str, key: Fingerprint) -> Option<&Resolved> {
        self.resolved.get(rel).filter(|r| r.key == key)
    }

    pub(super) fn keep_parsed(&mut self, entries: HashMap<String, Parsed>) {
        self.parsed = entries;
    }

    pub(super) fn keep_resolved(&mut self, entries: HashMap<String, Resolved>) {
        self.resolved = entries;
    }

    pub(super) fn keep_context(&mut self, last: Option<LastContext>) {
        self.last = last;
    }

    pub(super) fn last_context(&self) -> Option<&LastContext> {
        self.last.as_ref()
    }

    /// Whether the last load parsed a document at content-relative `rel`.
    pub fn is_document(&self, rel: &str) -> bool {
        self.parsed_doc(rel).is_some()
    }

    /// The document at `rel` as the last load parsed it.
    pub(super) fn parsed_doc(&self, rel: &str) -> Option<&Arc<ParsedDoc>> {
        self.parsed.get(rel)?.doc.as_ref()
    }

    pub(super) fn markdown(&mut self) -> Arc<Markdown> {
        Arc::clone(
            self.markdown
                .get_or_insert_with(|| Arc::new(Markdown::new())),
        )
    }

    /// Documents kept for reuse (for tests and timings).
    pub fn len(&self) -> usize {
        self.parsed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parsed.is_empty()
    }
}

/// The inputs of parsing one document.
pub(super) fn parse_key(text: &str, shown: &Path, lang: Lang) -> Fingerprint {
    let mut h = FingerprintWriter::default();
    (text, shown, lang).hash(&mut h);
    h.finish()
}

/// The inputs every document resolves against: settings, link targets, the photos and
/// attachments (a photo replaced by one of another size changes the pages showing it), message
/// language.
pub(super) fn context_key(
    config: &SiteConfig,
    targets: &HashMap<String, String>,
    media: Fingerprint,
    lang: Lang,
) -> Fingerprint {
    let mut h = FingerprintWriter::default();
    config.hash(&mut h);
    media.hash(&mut h);
    let mut targets: Vec<_> = targets.iter().collect();
    targets.sort_unstable();
    targets.hash(&mut h);
    lang.hash(&mut h);
    env!("XIEZUO_BUILD_ID").hash(&mut h);
    h.finish()
}

/// The inputs of resolving one document.
pub(super) fn resolve_key(
    context: Fingerprint,
    parse: Fingerprint,
    slug: &Option<String>,
) -> Fingerprint {
    let mut h = FingerprintWriter::default();
    (context, parse, slug).hash(&mut h);
    h.finish()
}

impl Default for LoadCache {
    fn default() -> Self {
        LoadCache::new()
    }
}
