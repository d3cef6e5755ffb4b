//! Watching a site's sources and deciding when a burst of changes has settled enough to build.
//!
//! What is watched is what a build reads: `content/` (site.yaml, the sections, statistics,
//! static files) and `themes/`, each recursively, plus the site folder itself without recursion,
//! so that a `themes/` created later, or a `content/` replaced wholesale, is picked up. Never the
//! output folders or the build cache: a build must not wake the watcher.
//!
//! The build compares the whole tree with its last snapshot itself, so the files named by the
//! events only decide whether an edit can be shown early (see
//! [`crate::site_build::preview_body_edits`]); the main question is when to build. A single save (an editor writing a temporary file and renaming it over the original,
//! or vim moving the original aside first) is a handful of events within milliseconds, and
//! should be built at once; a burst (a script, an editor saving on every keystroke, a `git
//! checkout`) should not queue one build per save. [`Debounce`] answers with a quiet period
//! that starts short and doubles while changes keep arriving right after builds, and a longest
//! wait, so that a burst that never pauses is still built about once a second.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::resolve::{CACHE_DIR, Section, SitePaths};

/// When to build after changes (see the module documentation).
#[derive(Clone, Copy, Debug)]
pub(super) struct Debounce {
    /// The quiet period after a change when none came shortly after the last build.
    pub base: Duration,
    /// The longest quiet period a burst grows it to.
    pub max_quiet: Duration,
    /// A build starts at the latest this long after the first change of a batch.
    pub max_wait: Duration,
    /// A change this soon after the end of a build continues a burst.
    pub burst_gap: Duration,
}

impl Debounce {
    pub const DEFAULT: Debounce = Debounce {
        base: Duration::from_millis(30),
        max_quiet: Duration::from_millis(400),
        max_wait: Duration::from_secs(1),
        burst_gap: Duration::from_secs(1),
    };

    /// The quiet period for a batch whose first change came `since_build` after the end of the
    /// last build (None before the first), when the previous batch used `previous`.
    pub fn quiet(&self, previous: Duration, since_build: Option<Duration>) -> Duration {
        match since_build {
            Some(gap) if gap < self.burst_gap => (previous * 2).clamp(self.base, self.max_quiet),
            _ => self.base,
        }
    }

    /// When a batch that began at `first`, with its latest change at `last`, is ready to build.
    pub fn ready_at(&self, first: Instant, last: Instant, quiet: Duration) -> Instant {
        (last + quiet).min(first + self.max_wait)
    }
}

/// Why watching stopped.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{path}: {source}{hint}")]
    Watch {
        path: String,
        source: notify::Error,
        /// What to do about it, when there is something to do.
        hint: &'static str,
    },
    #[error("the file watcher stopped")]
    Stopped,
}

fn watch_error(path: &Path) -> impl FnOnce(notify::Error) -> WatchError + '_ {
    move |source| WatchError::Watch {
        path: path.display().to_string(),
        // The system's limit on watches, reached by a site with very many folders.
        hint: match source.kind {
            notify::ErrorKind::MaxFilesWatch => {
                " (系统允许监视的文件夹数已用完，可提高 fs.inotify.max_user_watches / the system's limit on watched folders is reached: raise fs.inotify.max_user_watches)"
            }
            _ => "",
        },
        source,
    }
}

/// Which paths of a site are sources.
#[derive(Clone, Debug)]
struct WatchPlan {
    root: PathBuf,
    /// Folders watched recursively when they exist.
    trees: Vec<PathBuf>,
    /// True when site.yaml lies in the site folder itself (no `content/`): every direct child
    /// of the site folder is then content, except the outputs and the cache.
    flat: bool,
}

impl WatchPlan {
    fn of(paths: &SitePaths) -> WatchPlan {
        let root = std::path::absolute(&paths.root).unwrap_or_else(|_| paths.root.clone());
        let flat = paths.content == paths.root;
        let mut trees = vec![root.join("themes")];
        if flat {
            trees.extend(Section::ALL.iter().map(|s| root.join(s.dir())));
            trees.extend(["static", "stats"].map(|d| root.join(d)));
        } else {
            trees.push(root.join("content"));
        }
        WatchPlan { root, trees, flat }
    }

    /// Whether a change at `path` can change the site.
    fn relevant(&self, path: &Path) -> bool {
        if transient_editor_file(path) {
            return false;
        }
        if self.trees.iter().any(|t| path.starts_with(t)) {
            return true;
        }
        self.flat
            && path.parent() == Some(self.root.as_path())
            && path
                .file_name()
                .is_some_and(|n| n != "public" && n != CACHE_DIR)
    }

    /// The watched folder `path` is, if it is one (created, replaced or removed).
    fn tree_root(&self, path: &Path) -> Option<&Path> {
        self.trees.iter().find(|t| *t == path).map(PathBuf::as_path)
    }
}

/// Files editors make and remove beside the one being edited, which change nothing by
/// themselves: vim's swap files and its `4913` probe, backups ending in `~`, Emacs's locks.
fn transient_editor_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let vim_swap = name.starts_with('.')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    vim_swap || name == "4913" || name.ends_with('~') || name.starts_with(".#")
}

enum Signal {
    /// Sources changed at these paths (among others, if `complete` is false).
    Changed { paths: Vec<PathBuf>, complete: bool },
    /// A watched folder appeared or was replaced: watch it (again).
    Rewatch(PathBuf),
}

/// The changes of one batch.
#[derive(Default)]
struct Changes {
    paths: Vec<PathBuf>,
    /// Some change was not named (lost events, a folder replaced).
    incomplete: bool,
}

impl Changes {
    fn named(mut self) -> Option<Vec<PathBuf>> {
        self.paths.sort_unstable();
        self.paths.dedup();
        (!self.incomplete).then_some(self.paths)
    }
}

/// The sources of one site under watch.
pub(super) struct SourceWatcher {
    watcher: RecommendedWatcher,
    signals: mpsc::Receiver<Signal>,
    plan: WatchPlan,
    debounce: Debounce,
    quiet: Duration,
    last_build: Option<Instant>,
}

impl SourceWatcher {
    /// Starts watching the sources of the site at `paths`.
    pub fn start(paths: &SitePaths, debounce: Debounce) -> Result<SourceWatcher, WatchError> {
        let plan = WatchPlan::of(paths);
        let (tx, signals) = mpsc::channel();
        let filter = plan.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // A failed or overflowing watch lost events: a build is the safe answer.
            let Ok(event) = event else {
                let _ = tx.send(Signal::Changed {
                    paths: Vec::new(),
                    complete: false,
                });
                return;
            };
            // Reading is not changing (and the build itself reads every source).
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in &event.paths {
                if let Some(tree) = filter.tree_root(path) {
                    let _ = tx.send(Signal::Rewatch(tree.to_path_buf()));
                }
            }
            let paths: Vec<PathBuf> = event
                .paths
                .iter()
                .filter(|p| filter.relevant(p))
                .cloned()
                .collect();
            if event.need_rescan() || !paths.is_empty() {
                let _ = tx.send(Signal::Changed {
                    paths,
                    complete: !event.need_rescan(),
                });
            }
        })
        .map_err(watch_error(&plan.root))?;
        let mut this = SourceWatcher {
            watcher,
            signals,
            plan,
            debounce,
            quiet: debounce.base,
            last_build: None,
        };
        let root = this.plan.root.clone();
        this.watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(watch_error(&root))?;
        for tree in this.plan.trees.clone() {
            this.watch_tree(&tree)?;
        }
        Ok(this)
    }

    /// Blocks until the sources changed and the changes have settled; returns the paths that
    /// changed, or None when the watcher cannot name them all.
    pub fn wait_for_change(&mut self) -> Result<Option<Vec<PathBuf>>, WatchError> {
        let mut changes = Changes::default();
        let signal = self.signals.recv().map_err(|_| WatchError::Stopped)?;
        self.handle(signal, &mut changes)?;
        let first = Instant::now();
        self.quiet = self.debounce.quiet(
            self.quiet,
            self.last_build
                .map(|end| first.saturating_duration_since(end)),
        );
        let mut last = first;
        loop {
            let ready = self.debounce.ready_at(first, last, self.quiet);
            let now = Instant::now();
            if now >= ready {
                return Ok(changes.named());
            }
            match self.signals.recv_timeout(ready - now) {
                Ok(signal) => {
                    self.handle(signal, &mut changes)?;
                    last = Instant::now();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => return Ok(changes.named()),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(WatchError::Stopped),
            }
        }
    }

    /// Records the end of a build: changes soon after it continue a burst.
    pub fn built(&mut self) {
        self.last_build = Some(Instant::now());
    }

    fn handle(&mut self, signal: Signal, changes: &mut Changes) -> Result<(), WatchError> {
        match signal {
            Signal::Changed { paths, complete } => {
                changes.paths.extend(paths);
                changes.incomplete |= !complete;
                Ok(())
            }
            Signal::Rewatch(tree) => {
                changes.incomplete = true;
                // The old watch may follow a folder renamed away, or be gone with it.
                let _ = self.watcher.unwatch(&tree);
                self.watch_tree(&tree)
            }
        }
    }

    fn watch_tree(&mut self, tree: &Path) -> Result<(), WatchError> {
        if !tree.is_dir() {
            return Ok(());
        }
        self.watcher
            .watch(tree, RecursiveMode::Recursive)
            .map_err(watch_error(tree))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn a_lone_change_waits_the_base_and_a_burst_waits_longer() {
        let d = Debounce::DEFAULT;
        assert_eq!(d.quiet(MS(400), None), MS(30));
        assert_eq!(d.quiet(MS(400), Some(MS(5000))), MS(30));
        assert_eq!(d.quiet(MS(30), Some(MS(10))), MS(60));
        assert_eq!(d.quiet(MS(240), Some(MS(900))), MS(400));
        assert_eq!(d.quiet(MS(400), Some(MS(0))), MS(400));
    }

    #[test]
    fn a_batch_is_ready_after_quiet_or_the_longest_wait() {
        let d = Debounce::DEFAULT;
        let t = Instant::now();
        assert_eq!(d.ready_at(t, t + MS(10), MS(30)), t + MS(40));
        assert_eq!(d.ready_at(t, t + MS(990), MS(400)), t + MS(1000));
    }

    /// 200 saves 50 ms apart, each build taking 20 ms: the rule the watcher applies, simulated
    /// (a save during a build starts the next batch when the build ends).
    #[test]
    fn a_burst_of_200_saves_in_10_seconds_coalesces() {
        let d = Debounce::DEFAULT;
        let saves: Vec<Duration> = (0..200).map(|i| MS(50 * i)).collect();
        let (mut builds, mut quiet, mut free_at) = (0, d.base, None::<Duration>);
        let mut next = 0;
        while next < saves.len() {
            let first = free_at.map_or(saves[next], |f| saves[next].max(f));
            quiet = d.quiet(quiet, free_at.map(|end| first.saturating_sub(end)));
            let mut last = first;
            next += 1;
            while next < saves.len() && saves[next] < ready(&d, first, last, quiet) {
                last = saves[next].max(first);
                next += 1;
            }
            builds += 1;
            free_at = Some(ready(&d, first, last, quiet) + MS(20));
        }
        assert!((5..=15).contains(&builds), "{builds} builds");
    }

    fn ready(d: &Debounce, first: Duration, last: Duration, quiet: Duration) -> Duration {
        let t = Instant::now();
        d.ready_at(t + first, t + last, quiet) - t
    }

    #[test]
    fn outputs_cache_and_editor_litter_are_not_sources() {
        let nested = WatchPlan::of(&SitePaths::locate(Path::new("/s")));
        assert!(nested.relevant(Path::new("/s/content/cases/a.md")));
        assert!(nested.relevant(Path::new("/s/content/site.yaml")));
        assert!(nested.relevant(Path::new("/s/themes/default/templates/case.html")));
        assert!(!nested.relevant(Path::new("/s/public/index.html")));
        assert!(!nested.relevant(Path::new("/s/.xiezuo-cache/serve/1/index.html")));
        assert!(!nested.relevant(Path::new("/s/target")));
        assert!(!nested.relevant(Path::new("/s/content/cases/.a.md.swp")));
        assert!(!nested.relevant(Path::new("/s/content/cases/4913")));
        assert!(!nested.relevant(Path::new("/s/content/cases/a.md~")));
        assert_eq!(
            nested.tree_root(Path::new("/s/themes")),
            Some(Path::new("/s/themes"))
        );
        assert_eq!(nested.tree_root(Path::new("/s/content/cases")), None);
    }
}
