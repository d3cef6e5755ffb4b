//! Photos and attachments: small images generated here (with EXIF orientation and GPS tags
//! written by hand), built by the real binary, and the published bytes decoded again.
#![allow(clippy::unwrap_used)]
// The cache test prints the builds it measured (cargo test -- --nocapture shows them).
#![allow(clippy::print_stdout)]

mod support;

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use support::{TestSite, all_files};

/// A JPEG `w` × `h` whose top half is red and bottom half blue, with `exif` as its APP1.
fn jpeg_with_exif(w: u32, h: u32, exif: Option<Vec<u8>>) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        if y < h / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .unwrap();
    let Some(tiff) = exif else { return plain };
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let len = u16::try_from(app1.len() + 2).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

/// A little-endian TIFF block: IFD0 with Orientation and a GPS IFD (latitude 26.5833 N,
/// longitude 106.7167 E, a home in 贵阳), and the camera's make.
fn exif_orientation_gps(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    // IFD0 at 8: three entries.
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    let ifd0 = 8;
    let ifd0_len = 2 + 3 * 12 + 4;
    let make_at = ifd0 + ifd0_len;
    let make = b"PhoneMaker\0";
    let gps_at = make_at + make.len() as u32;
    t.extend(3u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, make.len() as u32, make_at);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend(0u32.to_le_bytes());
    t.extend(make);
    // GPS IFD: four entries, then the two rational triples.
    let gps_len = 2 + 4 * 12 + 4;
    let lat_at = gps_at + gps_len;
    let lon_at = lat_at + 24;
    t.extend(4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, lat_at);
    entry(&mut t, 0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0"));
    entry(&mut t, 0x0004, 5, 3, lon_at);
    t.extend(0u32.to_le_bytes());
    for (num, den) in [(26, 1), (35, 1), (0, 1), (106, 1), (43, 1), (0, 1)] {
        t.extend(u32::to_le_bytes(num));
        t.extend(u32::to_le_bytes(den));
    }
    t
}

fn photo(w: u32, h: u32) -> Vec<u8> {
    jpeg_with_exif(w, h, None)
}

fn bundle_case(extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: 车间里的春天\ndate: 2024-03-01\nprovince: 贵州省\npair: 广东省\ntask: 就业帮扶车间\n{extra}---\n{body}\n"
    )
}

/// JPEG segments before the image data: (marker, payload).
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        out.push((marker, bytes[i + 4..i + 2 + len].to_vec()));
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A published JPEG carries no metadata at all: no APP segment but JFIF's, no comment.
fn assert_no_metadata(name: &str, bytes: &[u8]) {
    for (marker, payload) in jpeg_segments(bytes) {
        let app_or_comment = (0xE0..=0xEF).contains(&marker) || marker == 0xFE;
        assert!(
            !app_or_comment || (marker == 0xE0 && payload.starts_with(b"JFIF\0")),
            "{name}: segment FF{marker:02X} {:?}",
            String::from_utf8_lossy(&payload[..payload.len().min(16)])
        );
    }
    for needle in [
        &b"Exif"[..],
        b"PhoneMaker",
        b"GPS",
        b"http://ns.adobe.com/xap",
    ] {
        assert!(!contains(bytes, needle), "{name} contains {needle:?}");
    }
}

fn is_red(p: image::Rgb<u8>) -> bool {
    p[0] > 150 && p[2] < 100
}

fn is_blue(p: image::Rgb<u8>) -> bool {
    p[2] > 150 && p[0] < 100
}

#[test]
fn a_rotated_photo_with_gps_comes_out_upright_with_no_metadata() {
    // Stored 64 × 32 (red above blue), orientation 6: shown turned 90° clockwise, 32 × 64,
    // with the stored top (red) on the right.
    let original = jpeg_with_exif(64, 32, Some(exif_orientation_gps(6)));
    assert!(contains(&original, b"PhoneMaker"));
    let site = TestSite::new()
        .file(
            "content/cases/chejian/index.md",
            &bundle_case("cover: photo.jpg\n", "![学员在车间缝纫](photo.jpg)"),
        )
        .bytes("content/cases/chejian/photo.jpg", &original);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(TestSite::diagnostics(&run), Vec::<String>::new());

    let published = std::fs::read(site.dir.join("public/cases/chejian/photo.jpg")).unwrap();
    assert_no_metadata("photo.jpg", &published);
    let upright = image::load_from_memory(&published).unwrap().to_rgb8();
    assert_eq!(upright.dimensions(), (32, 64));
    assert!(is_red(*upright.get_pixel(28, 32)), "right half red");
    assert!(is_blue(*upright.get_pixel(3, 32)), "left half blue");

    // The original's bytes are published nowhere.
    for (path, bytes) in all_files(&site.dir.join("public")) {
        assert_ne!(bytes, original, "{path} is the original");
        if path.ends_with(".jpg") {
            assert_no_metadata(&path, &bytes);
        }
    }
    let page = site.read("cases/chejian/index.html");
    assert!(
        page.contains(r#"width="32" height="64""#),
        "upright size in the page: {page}"
    );
    // The cover is also the body's photo: the reader sees it once, where the author put it.
    assert_eq!(page.matches("photo.jpg\"").count(), 1, "{page}");
    assert!(!page.contains(r#"class="cover""#), "{page}");
}

#[test]
fn photos_get_srcset_sizes_width_height_and_lazy_loading() {
    let site = TestSite::new()
        .file(
            "content/cases/chejian/index.md",
            &bundle_case(
                "cover: cover.jpg\n",
                "第一段。\n\n![学员在车间缝纫](wide.jpg \"缝纫车间\")\n\n![小图标](small.jpg)",
            ),
        )
        .bytes("content/cases/chejian/wide.jpg", &photo(1000, 750))
        .bytes("content/cases/chejian/cover.jpg", &photo(2000, 1000))
        .bytes("content/cases/chejian/small.jpg", &photo(300, 200))
        .file(
            "content/cases/plain.md",
            &support::case("没有封面的案例", "2024-01-01", ""),
        );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("cases/chejian/index.html");
    let u = "/dxbrs/cases/chejian/";
    assert!(
        page.contains(&format!(
            r#"<img loading="lazy" src="{u}wide-960w.jpg" srcset="{u}wide-480w.jpg 480w, {u}wide-960w.jpg 960w, {u}wide.jpg 1000w" sizes="(min-width: 50rem) 48rem, 100vw" width="1000" height="750" decoding="async" alt="学员在车间缝纫" title="缝纫车间" />"#
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            r#"<img loading="lazy" src="{u}small.jpg" srcset="{u}small.jpg 300w" sizes="(min-width: 50rem) 48rem, 100vw" width="300" height="200" decoding="async" alt="小图标" />"#
        )),
        "{page}"
    );
    // The cover heads the article, eagerly, described by the title; 1600 is the widest copy.
    assert!(
        page.contains(&format!(
            r#"<img class="cover" src="{u}cover-960w.jpg" srcset="{u}cover-480w.jpg 480w, {u}cover-960w.jpg 960w, {u}cover.jpg 1600w" sizes="(min-width: 50rem) 48rem, 100vw" width="1600" height="800" alt="车间里的春天" fetchpriority="high" decoding="async">"#
        )),
        "{page}"
    );
    for (file, w, h) in [
        ("wide-480w.jpg", 480, 360),
        ("wide-960w.jpg", 960, 720),
        ("wide.jpg", 1000, 750),
        ("cover.jpg", 1600, 800),
        ("small.jpg", 300, 200),
    ] {
        let bytes = std::fs::read(site.dir.join("public/cases/chejian").join(file)).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (w, h), "{file}");
    }
    assert!(
        !site.exists("cases/chejian/small-480w.jpg"),
        "never upscaled"
    );

    // Cards: the photo as a thumbnail (alt empty: the title is beside it), or a typographic
    // block, never a broken image.
    let list = site.read("cases/index.html");
    assert!(
        list.contains(&format!(
            r#"<img class="card-cover" src="{u}cover-960w.jpg" srcset="{u}cover-480w.jpg 480w, {u}cover-960w.jpg 960w, {u}cover.jpg 1600w" sizes="(min-width: 48rem) 12rem, 7rem" width="1600" height="800" alt="" loading="lazy" decoding="async">"#
        )),
        "{list}"
    );
    assert!(
        list.contains(r#"<div class="card-cover card-cover-text" aria-hidden="true"><span>劳务协作</span><small>贵州省</small></div>"#),
        "{list}"
    );
    assert_eq!(list.matches("<img").count(), 1, "{list}");
}

#[test]
fn brand_cards_and_profiles_use_the_cover() {
    let brand = |name: &str, slug: &str, extra: &str| {
        format!(
            "---\nname: {name}\nslug: {slug}\nprovince: 四川省\ncategory: 家政服务\n{extra}---\n介绍{name}。\n"
        )
    };
    let site = TestSite::new()
        .file(
            "content/brands/biaosao/index.md",
            &brand("中江表嫂", "biaosao", "cover: team.png\n"),
        )
        .bytes("content/brands/biaosao/team.png", &{
            let mut out = Vec::new();
            image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
                600,
                300,
                image::Rgba([10, 120, 30, 128]),
            ))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
            out
        })
        .file("content/brands/other.md", &brand("巴山建工", "bashan", ""));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let u = "/dxbrs/brands/biaosao/";
    let profile = site.read("brands/biaosao/index.html");
    assert!(
        profile.contains(&format!(
            r#"<img class="cover" src="{u}team.png" srcset="{u}team-480w.png 480w, {u}team.png 600w" sizes="(min-width: 50rem) 48rem, 100vw" width="600" height="300" alt="中江表嫂""#
        )),
        "{profile}"
    );
    // A PNG stays a PNG, transparency kept.
    let png = image::load_from_memory(
        &std::fs::read(site.dir.join("public/brands/biaosao/team.png")).unwrap(),
    )
    .unwrap();
    assert!(png.color().has_alpha());
    let list = site.read("brands/index.html");
    assert!(
        list.contains(&format!(r#"<img class="card-cover" src="{u}team.png""#)),
        "{list}"
    );
    assert!(
        list.contains(r#"<div class="card-cover card-cover-text" aria-hidden="true"><span>家政服务</span><small>四川</small></div>"#),
        "{list}"
    );
    let home = site.read("index.html");
    assert!(home.contains(&format!(r#"<img class="card-cover" src="{u}team.png""#)));
}

#[test]
fn a_second_build_takes_every_copy_from_the_cache() {
    let mut site = TestSite::new();
    for i in 0..6 {
        site = site.bytes(
            &format!("content/cases/c{i}/p.jpg"),
            &jpeg_with_exif(1700 + i, 1100, Some(exif_orientation_gps(1))),
        );
        site = site.file(
            &format!("content/cases/c{i}/index.md"),
            &bundle_case("", &format!("案例 {i}。\n\n![照片{i}](p.jpg)")),
        );
    }
    let cache = site.dir.join(".xiezuo-cache/images");
    let timed = |site: &TestSite| {
        let started = std::time::Instant::now();
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        started.elapsed()
    };
    let first = timed(&site);
    let entries = |cache: &Path| {
        let mut e: Vec<_> = std::fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| {
                (
                    e.file_name(),
                    e.path()
                        .join("meta")
                        .metadata()
                        .unwrap()
                        .modified()
                        .unwrap(),
                )
            })
            .collect();
        e.sort();
        e
    };
    let made = entries(&cache);
    assert_eq!(made.len(), 6, "one entry per photo");
    let output_times = |site: &TestSite| {
        all_files(&site.dir.join("public"))
            .into_iter()
            .filter(|(p, _)| p.ends_with(".jpg"))
            .map(|(p, _)| {
                let t = site
                    .dir
                    .join("public")
                    .join(&p)
                    .metadata()
                    .unwrap()
                    .modified()
                    .unwrap();
                (p, t)
            })
            .collect::<Vec<_>>()
    };
    let published = output_times(&site);
    assert_eq!(published.len(), 6 * 3);

    // Edit a text so the build really runs (an untouched site is not even loaded).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let md = site.dir.join("content/cases/c0/index.md");
    let text = std::fs::read_to_string(&md)
        .unwrap()
        .replace("案例 0。", "案例零。");
    std::fs::write(&md, text).unwrap();
    let second = timed(&site);
    assert_eq!(entries(&cache), made, "no photo encoded again");
    assert_eq!(output_times(&site), published, "no copy written again");

    // Without the output folder the copies come from the cache, not from the encoder.
    std::fs::remove_dir_all(site.dir.join("public")).unwrap();
    let third = timed(&site);
    assert_eq!(entries(&cache), made);
    assert_eq!(output_times(&site).len(), 6 * 3);
    println!(
        "6 photos: first build {first:?}, after an edit {second:?}, into an empty folder {third:?}"
    );
    assert!(second < first, "{second:?} < {first:?}");

    // A photo replaced by another: encoded again, and the page shows its new size.
    site = site.bytes("content/cases/c1/p.jpg", &photo(800, 400));
    std::thread::sleep(std::time::Duration::from_millis(20));
    timed(&site);
    let page = site.read("cases/c1/index.html");
    assert!(page.contains(r#"width="800" height="400""#), "{page}");
    assert!(!site.exists("cases/c1/p-1600w.jpg"));
}

#[test]
fn broken_and_unsupported_images_are_errors_with_their_file() {
    let whole = photo(200, 100);
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0".to_vec();
    let site = TestSite::new()
        .file(
            "content/cases/a/index.md",
            &bundle_case("", "文字。\n\n![断开的图](cut.jpg)"),
        )
        .bytes("content/cases/a/cut.jpg", &whole[..whole.len() / 2])
        .bytes("content/cases/a/iphone.jpg", &heic)
        .bytes("content/static/noise.png", b"this is not a png at all")
        .bytes("content/static/bad.jpg", &{
            let mut b = whole.clone();
            // A JPEG header and then nothing the decoder can use.
            b.truncate(20);
            b.extend([0xFF, 0xD9]);
            b
        });
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "错误 content/cases/a/cut.jpg: JPEG 图片不完整：文件在图片数据结束前就断了，发布后会有一块灰色 (可能没有复制或下载完整，请重新复制原图)",
            "错误 content/cases/a/iphone.jpg: 扩展名是 .jpg，文件内容却是 HEIC 格式，无法处理 (请用图片软件另存为 JPEG 或 PNG（iPhone 可在“设置 › 相机 › 格式”中选“兼容性最佳”）)",
            "错误 content/static/bad.jpg: JPEG 图片不完整：文件在图片数据结束前就断了，发布后会有一块灰色 (可能没有复制或下载完整，请重新复制原图)",
            "错误 content/static/noise.png: 文件不是可识别的 PNG 图片 (请确认文件完整，或用图片软件重新导出为 JPEG 或 PNG)",
        ]
    );
    assert!(
        !site.dir.join("public").exists(),
        "a content error writes nothing"
    );
}

#[test]
fn missing_images_attachments_and_alt_text_are_reported_with_their_line() {
    let site = TestSite::new()
        .file(
            "content/cases/a/index.md",
            &bundle_case(
                "",
                "第一段。\n\n![](p.jpg)\n\n![车间全景](nope.jpg)\n\n[工作总结](../../static/files/none.pdf)\n\n![扫描件](scan.heic)",
            ),
        )
        .bytes("content/cases/a/p.jpg", &photo(100, 50))
        .bytes("content/cases/a/scan.heic", b"\0\0\0\x18ftypheic");
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "警告 content/cases/a/index.md:10: 图片没有替代文字，读屏软件无法描述这张图 (请在方括号中写出图片内容，例如 ![学员在帮扶车间练习缝纫](photo.jpg))",
            "警告 content/cases/a/index.md:12: 图片“nope.jpg”不存在，页面上只显示它的替代文字 (路径相对于当前 Markdown 文件所在目录；请检查文件名及扩展名的大小写)",
            "警告 content/cases/a/index.md:14: 附件“../../static/files/none.pdf”不存在 (请把文件放在 content/static/ 或页面所在文件夹，路径相对于当前 Markdown 文件)",
            "错误 content/cases/a/index.md:16: 浏览器不能显示 .heic 格式的图片 (请用图片软件另存为 JPEG 或 PNG 后再引用)",
        ]
    );
    // Without the unshowable scan the site builds; the missing photo is its words.
    std::fs::write(
        site.dir.join("content/cases/a/index.md"),
        bundle_case("", "第一段。\n\n![车间全景](nope.jpg)"),
    )
    .unwrap();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("cases/a/index.html");
    assert!(page.contains("<p>车间全景</p>"), "{page}");
    assert!(!page.contains("nope.jpg"), "{page}");
}

#[test]
fn a_file_named_like_a_copy_is_an_error_naming_both() {
    let site = TestSite::new()
        .file(
            "content/cases/a/index.md",
            &bundle_case("", "正文。\n\n![大图](p.jpg)"),
        )
        .bytes("content/cases/a/p.jpg", &photo(700, 400))
        .bytes("content/cases/a/p-480w.jpg", &photo(480, 274))
        .file("content/cases/a/p-960w.jpg.txt", "说明");
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "错误 content/cases/a/p.jpg: 此照片缩小后的副本会发布到 /dxbrs/cases/a/p-480w.jpg，与 content/cases/a/p-480w.jpg 冲突 (请给其中一个文件改名：副本的名称是照片名加 -480w、-960w、-1600w)"
        ]
    );
}

#[test]
fn a_missing_or_wrong_cover_is_an_error_on_its_line() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &bundle_case("cover: nope.jpg\n", "正文。"),
        )
        .file(
            "content/cases/b/index.md",
            &bundle_case("cover: plan.pdf\nslug: b\n", "正文。"),
        )
        .bytes("content/cases/b/plan.pdf", b"%PDF-1.4\n%%EOF\n");
    let run = site.build();
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "错误 content/cases/a.md:7: cover: 文件“nope.jpg”不存在 (路径相对于当前 Markdown 文件所在目录)",
            "错误 content/cases/b/index.md:7: cover: 封面“plan.pdf”不是图片 (封面应为 JPEG、PNG、SVG、GIF 或 WebP 图片)",
        ]
    );
}

#[test]
fn attachments_show_their_kind_and_size_inside_the_link() {
    let site = TestSite::new()
        .file(
            "content/cases/a.md",
            &bundle_case(
                "",
                "第一段。\n\n[2023年工作总结.pdf](../static/files/2023年工作总结.pdf)\n\n[报名表](../static/files/form.docx \"下载报名表\")",
            ),
        )
        .bytes("content/static/files/2023年工作总结.pdf", &vec![b'%'; 1_258_291])
        .bytes("content/static/files/form.docx", &vec![0; 13 * 1024]);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("cases/a/index.html");
    assert!(
        page.contains(r#"<a class="attachment" href="/dxbrs/files/2023%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.pdf" type="application/pdf"><span class="attachment-label">附件：</span>2023年工作总结.pdf<span class="attachment-note">（1.2 MB）</span></a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a class="attachment" href="/dxbrs/files/form.docx" type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" title="下载报名表"><span class="attachment-label">附件：</span>报名表<span class="attachment-note">（Word，13 KB）</span></a>"#),
        "{page}"
    );
    assert_eq!(
        std::fs::metadata(site.dir.join("public/files/2023年工作总结.pdf"))
            .unwrap()
            .len(),
        1_258_291
    );
}

#[test]
fn oversized_originals_are_a_warning() {
    let mut big = photo(100, 100);
    // Bytes after the end-of-image marker are ignored by every decoder.
    big.resize(21 * 1024 * 1024, 0);
    let site = TestSite::new().bytes("content/static/big.jpg", &big);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "警告 content/static/big.jpg: 原图 21.0 MB 超过 20 MB (网站只发布缩小后的图片，但过大的原图会拖慢首次构建并占用存储，请先压缩到 20 MB 以内)"
        ]
    );
    assert!(
        std::fs::metadata(site.dir.join("public/big.jpg"))
            .unwrap()
            .len()
            < 100_000
    );
}

/// `check` hears of every photo problem a build reports, and still writes nothing.
#[test]
fn check_reports_photo_problems_and_writes_no_cache() {
    let mut big = photo(100, 100);
    big.resize(21 * 1024 * 1024, 0);
    let site = TestSite::new()
        .file(
            "content/cases/a/index.md",
            &bundle_case("", "第一段。\n\n![](p.jpg)\n\n![车间全景](nope.jpg)"),
        )
        .bytes("content/cases/a/p.jpg", &photo(600, 400))
        .bytes("content/static/big.jpg", &big);
    let before = all_files(&site.dir);
    let run = site.run(&["check"]);
    let lines: Vec<String> = TestSite::diagnostics(&run)
        .into_iter()
        .filter(|l| !l.starts_with("检查完成"))
        .collect();
    assert_eq!(
        lines,
        [
            "警告 content/cases/a/index.md:10: 图片没有替代文字，读屏软件无法描述这张图 (请在方括号中写出图片内容，例如 ![学员在帮扶车间练习缝纫](photo.jpg))",
            "警告 content/cases/a/index.md:12: 图片“nope.jpg”不存在，页面上只显示它的替代文字 (路径相对于当前 Markdown 文件所在目录；请检查文件名及扩展名的大小写)",
            "警告 content/static/big.jpg: 原图 21.0 MB 超过 20 MB (网站只发布缩小后的图片，但过大的原图会拖慢首次构建并占用存储，请先压缩到 20 MB 以内)",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(all_files(&site.dir), before, "check wrote a file");
    assert!(!site.dir.join(".xiezuo-cache").exists());
}

#[test]
fn full_size_photos_are_published_on_request_still_without_metadata() {
    let original = jpeg_with_exif(2000, 1000, Some(exif_orientation_gps(1)));
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{}publish_originals: true\n", support::SITE_YAML),
        )
        .file(
            "content/cases/a/index.md",
            &bundle_case("", "正文。\n\n![全景](p.jpg)"),
        )
        .bytes("content/cases/a/p.jpg", &original);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let full = std::fs::read(site.dir.join("public/cases/a/p.jpg")).unwrap();
    assert_no_metadata("p.jpg", &full);
    let img = image::load_from_memory(&full).unwrap();
    assert_eq!((img.width(), img.height()), (2000, 1000));
    let page = site.read("cases/a/index.html");
    let u = "/dxbrs/cases/a/";
    assert!(
        page.contains(&format!(
            r#"srcset="{u}p-480w.jpg 480w, {u}p-960w.jpg 960w, {u}p-1600w.jpg 1600w" sizes="(min-width: 50rem) 48rem, 100vw" width="1600" height="800""#
        )),
        "the full-size photo is for downloading, not for pages: {page}"
    );
}

/// The demo site's photos: processed, upright, and without the GPS position one was taken with.
#[test]
fn demo_photos_leak_no_position() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gps_original = root.join("content/cases/qiandongnan-foshan/chejian.jpg");
    let original = std::fs::read(&gps_original).unwrap();
    let segments = jpeg_segments(&original);
    let exif = segments
        .iter()
        .find(|(m, p)| *m == 0xE1 && p.starts_with(b"Exif"))
        .expect("the demo keeps a photo with EXIF");
    // The GPS IFD pointer tag 0x8825, in either byte order.
    assert!(
        contains(&exif.1, &[0x25, 0x88]) || contains(&exif.1, &[0x88, 0x25]),
        "it has a GPS IFD"
    );
    let out = std::env::temp_dir().join(format!("xiezuo-media-demo-{}", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_xiezuo"))
        .args(["build", root.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let files = all_files(&out);
    let photos: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".jpg") || p.ends_with(".png"))
        .collect();
    assert!(photos.len() >= 12, "{}", photos.len());
    for (path, bytes) in &photos {
        if path.ends_with(".jpg") {
            assert_no_metadata(path, bytes);
        }
        assert!(
            !contains(bytes, b"GPS") && !contains(bytes, b"eXIf"),
            "{path}"
        );
    }
    // Stored 1800 × 2400 with orientation 6: published turned upright, 1600 × 1200.
    let stored = image::load_from_memory(&original).unwrap();
    assert_eq!((stored.width(), stored.height()), (1800, 2400));
    let published = files
        .iter()
        .find(|(p, _)| p == "cases/qiandongnan-foshan/chejian.jpg")
        .unwrap();
    let img = image::load_from_memory(&published.1).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 1200));
    let _ = std::fs::remove_dir_all(&out);
}

/// A WebP of a lossless picture (its pixels are not decoded on the way) with an EXIF chunk.
fn webp_with_exif(exif: &[u8]) -> Vec<u8> {
    let chunk = |fourcc: &[u8], payload: &[u8]| {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        c.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    // VP8X: flags EXIF (0x08), canvas 1 × 1.
    let body = [
        chunk(b"VP8X", &[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        chunk(b"VP8L", &[0x2f, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x11]),
        chunk(b"EXIF", exif),
    ]
    .concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    out
}

#[test]
fn a_webp_is_published_without_its_exif_and_a_broken_one_is_an_error() {
    let exif = exif_orientation_gps(1);
    let site = TestSite::new()
        .file(
            "content/cases/chejian/index.md",
            &bundle_case("", "![学员在车间缝纫](photo.webp)"),
        )
        .bytes("content/cases/chejian/photo.webp", &webp_with_exif(&exif));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let published = std::fs::read(site.dir.join("public/cases/chejian/photo.webp")).unwrap();
    assert!(published.starts_with(b"RIFF") && &published[8..12] == b"WEBP");
    assert!(!contains(&published, b"EXIF") && !contains(&published, b"PhoneMaker"));
    assert!(contains(&published, b"VP8L"), "the picture is kept");

    let mut cut = webp_with_exif(&exif);
    cut.truncate(cut.len() - 10);
    let site = TestSite::new()
        .file(
            "content/cases/chejian/index.md",
            &bundle_case("", "![学员在车间缝纫](photo.webp)"),
        )
        .bytes("content/cases/chejian/photo.webp", &cut);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "错误 content/cases/chejian/photo.webp: 图片无法解码：WebP 文件的块超出文件末尾 (请用图片软件打开确认，并重新导出为 JPEG 或 PNG)"
        ]
    );
}

#[test]
fn a_gif_or_avif_with_metadata_is_published_as_it_is_with_a_warning() {
    let avif_with_exif =
        b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf\0\0\0\x30meta\0\0\0\0iinf infe Exif location";
    let plain_gif = b"GIF89a\x01\0\x01\0\0\0\0;";
    let site = TestSite::new()
        .file(
            "content/cases/chejian/index.md",
            &bundle_case("", "![车间](a.avif)\n\n![动图](b.gif)"),
        )
        .bytes("content/cases/chejian/a.avif", avif_with_exif)
        .bytes("content/cases/chejian/b.gif", plain_gif);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        TestSite::diagnostics(&run),
        [
            "警告 content/cases/chejian/a.avif: AVIF 图片带有 EXIF 或 XMP 元数据（可能含拍摄位置），会原样公开 (请用图片软件另存为 JPEG 或 PNG：网站发布 JPEG、PNG 前会去除全部元数据)"
        ]
    );
    let published = std::fs::read(site.dir.join("public/cases/chejian/a.avif")).unwrap();
    assert_eq!(published, avif_with_exif);
}
