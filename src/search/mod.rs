//! Static search index, built from the validated site (never from rendered HTML).
//!
//! Placeholder until the index lands: it writes nothing.

use crate::model::Site;

/// Search files (paths under `search/`) for `site`.
pub fn build_search_index(_site: &Site) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
