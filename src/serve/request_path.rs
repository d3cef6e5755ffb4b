//! From a request's path to a file of the preview, refusing everything that could reach outside
//! the output folder or send the browser to another site.
//!
//! The path is split on `/` before it is percent-decoded, and each decoded segment must be a
//! plain name: not empty, not `.`/`..` or any other name starting with a dot, without `/`, `\`,
//! NUL or control characters. So `..`, `%2e%2e`, `%2f`, `%5c`, `//`, `\` and NUL never become a
//! path, and the file is found by joining names one by one under the root, never by handing the
//! OS a path it could read as absolute. A symbolic link in the output is followed only if its
//! target still lies inside the root. Double encoding needs no rule: `%252e` decodes once, to
//! the name `%2e`. Whatever is refused is a 404, like a file that does not exist.

use std::path::{Path, PathBuf};

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A file inside the root (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: the same path with one, on this site.
    Redirect(String),
    NotFound,
}

/// Maps the path (and query) of a request to a file under `root`, which must be canonical.
pub(super) fn resolve(root: &Path, path: &str, query: Option<&str>) -> Target {
    let Some(rest) = path.strip_prefix('/') else {
        return Target::NotFound;
    };
    let folder = rest.is_empty() || rest.ends_with('/');
    let raw: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.strip_suffix('/').unwrap_or(rest).split('/').collect()
    };
    let mut candidate = root.to_path_buf();
    for segment in &raw {
        match decode_segment(segment) {
            Some(name) => candidate.push(name),
            None => return Target::NotFound,
        }
    }
    // Symbolic links inside the output could point anywhere: only what really lies inside counts.
    let Ok(real) = candidate.canonicalize() else {
        return Target::NotFound;
    };
    if !real.starts_with(root) {
        return Target::NotFound;
    }
    if real.is_dir() {
        if !folder {
            // Built from the checked segments, so it starts with exactly one `/` and a name:
            // never `//host` or `/\host`, which a browser would take for another site.
            let mut location = format!("/{}/", raw.join("/"));
            if let Some(q) = query {
                location.push('?');
                location.push_str(q);
            }
            return Target::Redirect(location);
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if folder || !real.is_file() {
        return Target::NotFound;
    }
    Target::File(real)
}

/// One path segment as a file name, or None if it is not a plain name.
fn decode_segment(segment: &str) -> Option<String> {
    let name = percent_decode(segment)?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    plain.then_some(name)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tree(PathBuf);

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// `public/` with a page, a folder without index, a Chinese file name, and a secret beside it.
    fn tree(name: &str) -> (Tree, PathBuf) {
        let tmp = std::env::temp_dir().join(format!("xiezuo-req-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        for dir in ["public/a", "public/empty", "public/evil.test"] {
            std::fs::create_dir_all(tmp.join(dir)).unwrap();
        }
        std::fs::write(tmp.join("secret.txt"), "secret").unwrap();
        std::fs::write(tmp.join("public/index.html"), "home").unwrap();
        std::fs::write(tmp.join("public/a/index.html"), "a").unwrap();
        std::fs::write(tmp.join("public/通知.pdf"), "pdf").unwrap();
        std::fs::write(tmp.join("public/.xiezuo-output"), "marker").unwrap();
        let root = tmp.join("public").canonicalize().unwrap();
        (Tree(tmp), root)
    }

    #[test]
    fn pages_folders_and_encoded_names_resolve() {
        let (_t, root) = tree("ok");
        assert_eq!(
            resolve(&root, "/", None),
            Target::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/a/", None),
            Target::File(root.join("a/index.html"))
        );
        assert_eq!(
            resolve(&root, "/a", Some("q=1")),
            Target::Redirect("/a/?q=1".into())
        );
        assert_eq!(
            resolve(&root, "/%E9%80%9A%E7%9F%A5.pdf", None),
            Target::File(root.join("通知.pdf"))
        );
        assert_eq!(resolve(&root, "/empty/", None), Target::NotFound);
        assert_eq!(resolve(&root, "/a/index.html/", None), Target::NotFound);
    }

    #[test]
    fn the_traversal_list_is_not_found() {
        let (_t, root) = tree("traversal");
        for path in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/.%2e/secret.txt",
            "/%2e%2e%2fsecret.txt",
            "/a%2f..%2f..%2fsecret.txt",
            "/%252e%252e/secret.txt",
            "/%252e%252e%252fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/a\\..\\..\\secret.txt",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/%2Fetc%2Fpasswd",
            "/etc/passwd",
            "/C:/Windows/win.ini",
            "/index.html%00.png",
            "/a/%00",
            "/.xiezuo-output",
            "/%2exiezuo-output",
            "/./index.html",
            "/a/./index.html",
            "/%ff",
            "/%2",
            "relative",
            "",
        ] {
            assert_eq!(resolve(&root, path, None), Target::NotFound, "{path}");
        }
    }

    #[test]
    fn a_redirect_never_leaves_the_site() {
        let (_t, root) = tree("redirect");
        assert_eq!(resolve(&root, "//evil.test", None), Target::NotFound);
        assert_eq!(resolve(&root, "/%2fevil.test", None), Target::NotFound);
        assert_eq!(resolve(&root, "/%5cevil.test", None), Target::NotFound);
        assert_eq!(resolve(&root, "/\\evil.test", None), Target::NotFound);
        assert_eq!(
            resolve(&root, "/evil.test", Some("x=//y")),
            Target::Redirect("/evil.test/?x=//y".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_not_followed() {
        let (t, root) = tree("links");
        std::os::unix::fs::symlink(t.0.join("secret.txt"), root.join("s.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("a/index.html"), root.join("inside.html")).unwrap();
        assert_eq!(resolve(&root, "/s.txt", None), Target::NotFound);
        assert_eq!(
            resolve(&root, "/inside.html", None),
            Target::File(root.join("a/index.html"))
        );
    }
}
