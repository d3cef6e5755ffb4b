//! The `xiezuo` command: parses arguments, calls the library, prints, and sets the exit code
//! (0 ok, 1 content errors, 2 usage or I/O errors).

// The binary is the one place that talks to the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use xiezuo::diagnostic::{Diagnostic, Severity, TerminalSafe};
use xiezuo::encoding::{EncodingError, Fixed, fix_encoding};
use xiezuo::new::{Kind, NewError, NewOptions};
use xiezuo::problem::Lang;
use xiezuo::resolve::LoadOptions;
use xiezuo::serve::{ServeEvent, ServeOptions};
use xiezuo::site_build::{BuildError, BuildReport, build_site};

#[derive(Parser)]
#[command(
    name = "xiezuo",
    version,
    about = "东西部人社协作宣传网站生成器 / static-site generator for East–West HR collaboration",
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站到 OUT（默认 SITE_DIR/public） / Build the site into OUT (default SITE_DIR/public)
    Build {
        /// 站点文件夹，内有 content/（及可选的 themes/） / Folder holding content/ (and optionally themes/)
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// 输出文件夹 / Output folder
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 代替 site.yaml 中的 base_url / Override site.yaml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// 同时生成草稿（draft: true） / Include drafts (draft: true)
        #[arg(long)]
        drafts: bool,
    },
    /// 发布前检查：构建的全部校验，加上失效的站内链接和锚点；不写入任何文件 / Check before publishing: everything build validates, plus broken internal links and anchors; writes nothing
    Check {
        /// 站点文件夹，内有 content/ / Folder holding content/
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// 同时检查草稿 / Check drafts too
        #[arg(long)]
        drafts: bool,
        /// 输出格式：text（文字）或 json（每行一条诊断） / Output format: text, or json (one diagnostic per line)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// 有警告也以退出码 1 结束（用于持续集成） / Exit with 1 on warnings too (for CI)
        #[arg(long)]
        strict: bool,
    },
    /// 新建一篇典型经验、劳务品牌、简报或页面，头部信息已填好 / Create a case, brand, bulletin or page with its front matter filled in
    New {
        /// 内容类型 / Kind of content
        #[arg(value_enum)]
        kind: KindArg,
        /// 标题（品牌为名称；简报可不填） / Title (a brand's name; optional for bulletins)
        title: Option<String>,
        /// 站点文件夹 / Folder holding content/
        #[arg(short, long, default_value = ".")]
        site: PathBuf,
        /// 省份，如 贵州、贵州省、黔（典型经验、劳务品牌必填） / Province, e.g. 贵州 (required for cases and brands)
        #[arg(long)]
        province: Option<String>,
        /// 任务，site.yaml 中任务的名称或网址名（典型经验必填） / Task, a name or slug from site.yaml (required for cases)
        #[arg(long)]
        task: Option<String>,
        /// 结对省份，如 广东 / Partner province, e.g. 广东
        #[arg(long)]
        pair: Option<String>,
        /// 劳务品牌类别，如 家政服务（劳务品牌必填） / Brand category, e.g. 家政服务 (required for brands)
        #[arg(long)]
        category: Option<String>,
        /// 日期 YYYY-MM-DD（默认今天，北京时间） / Date YYYY-MM-DD (default: today, Beijing time)
        #[arg(long)]
        date: Option<String>,
        /// 简报年份（默认取日期的年份） / Bulletin year (default: the date's year)
        #[arg(long)]
        year: Option<u64>,
        /// 简报期号（默认为该年下一期） / Bulletin issue number (default: the year's next)
        #[arg(long)]
        issue: Option<u64>,
        /// 文件名和网址名（默认为标题的拼音） / File name and slug (default: the title's pinyin)
        #[arg(long)]
        slug: Option<String>,
    },
    /// 把 GBK/GB18030（或 UTF-16）文件转换为 UTF-8，原文件另存为 .bak / Convert GBK/GB18030 (or UTF-16) files to UTF-8, keeping each original as .bak
    FixEncoding {
        /// 要转换的文件 / Files to convert
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 预览网站：构建到缓存文件夹（不动 public/）并在本机提供，保存文件后页面自动刷新 / Preview: build into the cache (never public/), serve on this machine, reload pages after every save
    Serve {
        /// 网站文件夹（包含 content/）/ Folder holding content/
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// 端口；0 表示自动选择空闲端口 / Port; 0 picks a free one
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// 监听地址，默认只限本机；其他地址（如 0.0.0.0）会让同一网络中的人都能访问 / Address to listen on, this machine only by default; another (such as 0.0.0.0) opens the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// 包括草稿 / Include drafts
        #[arg(long)]
        drafts: bool,
    },
    /// 在 DIR 新建网站：site.yaml 和各类内容的示例 / Create a new site in DIR: site.yaml and an example of each kind of content
    Init {
        /// 新网站的文件夹 / Folder of the new site
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// 文字 / text
    Text,
    /// 每行一个 JSON 对象 / one JSON object per line
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    /// 典型经验 / case study
    Case,
    /// 劳务品牌 / labour brand
    Brand,
    /// 工作简报 / bulletin
    Bulletin,
    /// 页面 / page
    Page,
}

/// The command line with the built-in help and version flags described in both languages too.
fn cli() -> Cli {
    let help = "显示帮助 / Print help";
    let mut command = Cli::command();
    // Built first: clap adds its help and version flags only when it builds the command.
    command.build();
    let mut command = command
        .mut_arg("help", |a| a.help(help))
        .mut_arg("version", |a| a.help("显示版本 / Print version"));
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |c| c.mut_arg("help", |a| a.help(help)));
    }
    let matches = command.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn main() -> ExitCode {
    match cli().command {
        Command::Build {
            site_dir,
            output,
            base_url,
            drafts,
        } => {
            let options = LoadOptions { drafts, base_url };
            match run_build(&site_dir, output.as_deref(), &options) {
                Ok(_) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        Command::Serve {
            site_dir,
            port,
            bind,
            drafts,
        } => serve(&ServeOptions {
            site_dir,
            bind,
            port,
            drafts,
        }),
        Command::Check {
            site_dir,
            drafts,
            format,
            strict,
        } => {
            let options = LoadOptions {
                drafts,
                base_url: None,
            };
            run_check(&site_dir, &options, format, strict)
        }
        Command::New {
            kind,
            title,
            site,
            province,
            task,
            pair,
            category,
            date,
            year,
            issue,
            slug,
        } => {
            let kind = match kind {
                KindArg::Case => Kind::Case,
                KindArg::Brand => Kind::Brand,
                KindArg::Bulletin => Kind::Bulletin,
                KindArg::Page => Kind::Page,
            };
            let options = NewOptions {
                title,
                province,
                task,
                pair,
                category,
                date,
                year,
                issue,
                slug,
            };
            run_new(&site, kind, &options)
        }
        Command::FixEncoding { files } => run_fix_encoding(&files),
        Command::Init { dir } => match xiezuo::init::init_site(&dir) {
            Ok(files) => {
                for f in files {
                    println!("  {}", dir.join(f).display());
                }
                println!("新站点已创建 / new site created: {}", dir.display());
                println!("预览 / preview: xiezuo serve {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("错误 / error: {}", TerminalSafe(&e.to_string()));
                ExitCode::from(2)
            }
        },
    }
}

fn run_check(site_dir: &Path, options: &LoadOptions, format: Format, strict: bool) -> ExitCode {
    let report = match xiezuo::check::check_site(site_dir, options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误 / error: {}", TerminalSafe(&e));
            return ExitCode::from(2);
        }
    };
    let (errors, warnings) = (report.errors(), report.warnings());
    let summary = match report.lang {
        Lang::Zh => format!(
            "检查完成：{errors} 个错误，{warnings} 条警告（{} 个页面，{} 个链接）；未写入任何文件",
            report.pages, report.links
        ),
        Lang::En => format!(
            "Check done: {errors} errors, {warnings} warnings ({} pages, {} links followed); nothing written",
            report.pages, report.links
        ),
    };
    match format {
        Format::Text => {
            print_diagnostics(&report.diagnostics);
            println!("{summary}");
        }
        Format::Json => {
            // stdout carries the JSON only, so tools can read it line by line.
            for d in &report.diagnostics {
                println!("{}", d.to_json());
            }
            eprintln!("{summary}");
        }
    }
    if errors > 0 || strict && warnings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_new(site_dir: &Path, kind: Kind, options: &NewOptions) -> ExitCode {
    match xiezuo::new::create(site_dir, kind, options) {
        Ok(created) => {
            // The path alone on stdout, so `$EDITOR "$(xiezuo new …)"` opens it.
            println!("{}", TerminalSafe(&created.path.display().to_string()));
            let url = TerminalSafe(&created.url);
            match created.lang {
                Lang::Zh => eprintln!(
                    "已创建，发布后的网址：{url}。请编辑正文，然后用 xiezuo serve 预览、xiezuo check 检查"
                ),
                Lang::En => eprintln!(
                    "Created; it will be published at {url}. Edit it, preview with xiezuo serve, then run xiezuo check"
                ),
            }
            ExitCode::SUCCESS
        }
        Err(NewError::Invalid(diags)) => {
            print_diagnostics(&diags);
            eprintln!("未创建文件 / nothing created");
            ExitCode::from(2)
        }
        Err(NewError::Io(e)) => {
            eprintln!("错误 / error: {}", TerminalSafe(&e));
            ExitCode::from(2)
        }
    }
}

fn run_fix_encoding(files: &[PathBuf]) -> ExitCode {
    let mut code = 0;
    for file in files {
        let shown = TerminalSafe(&file.display().to_string()).to_string();
        match fix_encoding(file) {
            Ok(Fixed::Converted { from, backup }) => {
                let backup = TerminalSafe(&backup.display().to_string()).to_string();
                println!(
                    "已转换 {shown}（{from} → UTF-8），原文件保存为 {backup} / converted {shown} ({from} → UTF-8), original kept as {backup}"
                );
            }
            Ok(Fixed::AlreadyUtf8) => {
                println!("{shown} 已是 UTF-8，未改动 / {shown} is UTF-8 already, unchanged");
            }
            Err(EncodingError::NotText) => {
                eprintln!(
                    "错误 {shown}：不是 GBK/GB18030 编码的文本，未改动 / error {shown}: not GBK/GB18030 text, unchanged"
                );
                code = code.max(1);
            }
            Err(EncodingError::BackupExists(backup)) => {
                let backup = TerminalSafe(&backup.display().to_string()).to_string();
                eprintln!(
                    "错误 {shown}：已有备份文件 {backup}，为免覆盖原件，未转换；请先移走它 / error {shown}: {backup} exists; not converted, so the earlier original is not overwritten: move it away first"
                );
                code = code.max(1);
            }
            Err(e @ EncodingError::Io { .. }) => {
                eprintln!("错误 / error: {}", TerminalSafe(&e.to_string()));
                code = 2;
            }
        }
    }
    ExitCode::from(code)
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let mut last: Option<&Path> = None;
    for d in diags {
        if last.is_some_and(|p| p != d.path) {
            eprintln!();
        }
        last = Some(&d.path);
        let label = match d.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        eprintln!("{label} {d}");
    }
}

fn run_build(
    site_dir: &Path,
    output: Option<&Path>,
    options: &LoadOptions,
) -> Result<BuildReport, ExitCode> {
    match build_site(site_dir, output, options) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let secs = report.elapsed.as_secs_f64();
            let pages = report.summary.pages;
            match (report.lang, report.unchanged) {
                (Lang::Zh, true) => println!(
                    "完成：内容与上次构建相同，未改动任何文件（{pages} 个页面，{} 条警告），用时 {secs:.2} 秒 → {}",
                    report.warnings.len(),
                    report.output.display()
                ),
                (Lang::En, true) => println!(
                    "Done: nothing changed since the last build, no file touched ({pages} pages, {} warnings) in {secs:.2}s → {}",
                    report.warnings.len(),
                    report.output.display()
                ),
                (Lang::Zh, false) => println!(
                    "完成：{pages} 个页面（重新生成 {} 个），{} 个其他文件，复制 {} 个文件，{} 条警告；写入 {} 个、删除 {} 个文件，用时 {secs:.2} 秒 → {}",
                    report.summary.rendered,
                    report.summary.other_files,
                    report.copied,
                    report.warnings.len(),
                    report.written.written,
                    report.written.removed,
                    report.output.display()
                ),
                (Lang::En, false) => println!(
                    "Done: {pages} pages ({} rendered), {} other files, {} copied, {} warnings; {} files written, {} removed in {secs:.2}s → {}",
                    report.summary.rendered,
                    report.summary.other_files,
                    report.copied,
                    report.warnings.len(),
                    report.written.written,
                    report.written.removed,
                    report.output.display()
                ),
            }
            print_timings(&report);
            Ok(report)
        }
        Err(BuildError::Content(diags)) => {
            print_diagnostics(&diags);
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!(
                "构建失败：{errors} 个错误，未写入任何文件 / build failed: {errors} errors, nothing written"
            );
            Err(ExitCode::from(1))
        }
        Err(e @ (BuildError::Io(_) | BuildError::Output(_))) => {
            eprintln!("错误 / error: {}", TerminalSafe(&e.to_string()));
            Err(ExitCode::from(2))
        }
    }
}

fn serve(options: &ServeOptions) -> ExitCode {
    let mut shown_warnings: Vec<Diagnostic> = Vec::new();
    let result = xiezuo::serve::run(options, &mut |event| match event {
        ServeEvent::Built(report) => {
            // The same warnings after every save would bury what changed: only new ones.
            if report.warnings != shown_warnings {
                print_diagnostics(&report.warnings);
                shown_warnings = report.warnings.clone();
            }
            let ms = report.elapsed.as_millis();
            let (written, removed) = (report.written.written, report.written.removed);
            match report.lang {
                Lang::Zh => println!(
                    "已构建：{} 个页面，写入 {written} 个、删除 {removed} 个文件，{} 条警告，用时 {ms} 毫秒",
                    report.summary.pages,
                    report.warnings.len()
                ),
                Lang::En => println!(
                    "Built: {} pages, {written} files written, {removed} removed, {} warnings in {ms} ms",
                    report.summary.pages,
                    report.warnings.len()
                ),
            }
            print_timings(report);
        }
        ServeEvent::Previewed(preview) => {
            let ms = preview.elapsed.as_millis();
            let pages = preview.written.len();
            match preview.lang {
                _ if pages == 0 => {}
                Lang::Zh => {
                    println!("已显示修改：{pages} 个页面，用时 {ms} 毫秒；其余页面随即更新")
                }
                Lang::En => println!("Edit shown: {pages} pages in {ms} ms; the rest follows"),
            }
        }
        ServeEvent::Failed(error) => {
            shown_warnings.clear();
            match error {
                BuildError::Content(diags) => {
                    print_diagnostics(diags);
                    let errors = diags
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                    eprintln!(
                        "构建失败：{errors} 个错误，预览仍是上一次成功构建的网站 / build failed: {errors} errors; the preview keeps the last good build"
                    );
                }
                other => eprintln!(
                    "构建失败 / build failed: {}",
                    TerminalSafe(&other.to_string())
                ),
            }
        }
        ServeEvent::Ready { url, output } => {
            if !options.bind.is_loopback() {
                eprintln!(
                    "警告：预览对网络开放（监听 {}）：同一网络中的任何人都能看到它，包括草稿和未发布的内容。只在可信的网络中使用，用完即停。\n\
                     WARNING: the preview is open to the network (listening on {}): anyone on the same network can read it, drafts and unpublished content included. Use it on trusted networks only.",
                    options.bind, options.bind
                );
            }
            println!(
                "预览构建在 {}（不会改动 public/）/ the preview is built there (public/ is left alone)",
                output.display()
            );
            println!("预览地址 / serving at {url}  (Ctrl+C 停止 / to stop)");
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 / error: {}", TerminalSafe(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

// glibc's allocator slows down as the heap grows (bin consolidation with millions of live
// strings): at 100,000 cases the build spent 18 % more CPU time with it, while at 10,000 the
// two are equal. mimalloc keeps the cost per page flat (bench/README.md). It is built without
// transparent huge pages (Cargo.toml): a 2 MB page partly used counts whole, and each one the
// kernel clears whole; without them a 100,000-case build peaked at 2,902 MiB instead of
// 3,149 MiB and spent 13 % less CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where a build's time went, for benchmarks (`XIEZUO_TIMINGS=1`).
fn print_timings(report: &BuildReport) {
    if std::env::var_os("XIEZUO_TIMINGS").is_none() {
        return;
    }
    let s = &report.summary;
    println!(
        "timings: load {:.3}s, pages {:.3}s, search {:.3}s (alongside pages), total {:.3}s",
        report.load_time.as_secs_f64(),
        s.pages_time.as_secs_f64(),
        s.search_time.as_secs_f64(),
        report.elapsed.as_secs_f64()
    );
}
