//! xiezuo (协作): a static-site generator for the publicity of East–West human-resources
//! collaboration. The build is a pipeline of values:
//! `resolve::load_site` (content folder → validated [`model::Site`]) → `routes::plan` (every
//! output and its URL) → `render::render_site` (site + routes + theme → outputs, into a sink)
//! → `output::OutputDir` (→ `public/`, only what changed). The library never prints.

pub mod chart;
pub mod check;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod encoding;
pub mod file_name;
pub mod fingerprint;
pub mod frontmatter;
pub mod image_cache;
pub mod image_codec;
pub mod init;
pub mod limits;
pub mod listing;
pub mod markdown;
pub mod media;
pub mod model;
pub mod new;
pub mod output;
pub mod pair;
pub mod problem;
pub mod province;
pub mod render;
pub mod resolve;
pub mod routes;
pub mod search;
pub mod serve;
pub mod site_build;
pub mod slug;
pub mod snapshot;
pub mod source;
pub mod stats;
pub mod svg;
pub mod taxonomy;
pub mod texts;
pub mod theme;
pub mod xml;
pub mod yaml;
