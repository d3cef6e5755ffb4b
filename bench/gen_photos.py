#!/usr/bin/env python3
"""Photos for xiezuo, drawn here (nothing copyrighted), with the metadata a phone writes.

    python3 bench/gen_photos.py demo .             # the demo site's photos and attachment
    python3 bench/gen_photos.py bench DIR 500      # a site of 500 phone-sized photos (bench/photos.sh)

Every JPEG carries EXIF as a phone's would: make and model, a date, and a GPS position;
the demo's workshop photo and every bench photo are stored turned (orientation 6), as phones
held upright store them. Needs Pillow (pip install pillow).
"""
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

GPS_HOME = (26.0, 35.0, 12.5, 107.0, 58.0, 41.2)  # an invented spot near 凯里, 黔东南


def exif_for(orientation, gps=GPS_HOME, model="XZ-Phone 12"):
    exif = Image.Exif()
    exif[0x010F] = "Example Phones Ltd."  # Make
    exif[0x0110] = model  # Model
    exif[0x0132] = "2024:04:18 09:41:07"  # DateTime
    exif[0x0112] = orientation
    if gps:
        lat_d, lat_m, lat_s, lon_d, lon_m, lon_s = gps
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (lat_d, lat_m, lat_s)
        gps_ifd[3] = "E"
        gps_ifd[4] = (lon_d, lon_m, lon_s)
    return exif


def sky(draw, w, h, top, bottom):
    for y in range(h):
        t = y / max(h - 1, 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))


def grain(img, sigma, rng):
    """Sensor-like noise, so the file is as large as a phone photo of a real scene."""
    noise = Image.effect_noise(img.size, sigma).convert("RGB")
    return Image.blend(img, noise, 0.08 + rng.random() * 0.04)


def workshop(w, h, rng):
    """A 就业帮扶车间: a hall with windows, rows of sewing tables and workers."""
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    sky(d, w, h, (232, 226, 214), (190, 180, 165))
    d.rectangle([0, int(h * 0.62), w, h], fill=(150, 140, 128))
    for i in range(6):
        x = int(w * (0.05 + i * 0.16))
        d.rectangle([x, int(h * 0.08), x + int(w * 0.11), int(h * 0.3)], fill=(200, 222, 240), outline=(120, 120, 120), width=6)
    for row in range(3):
        y = int(h * (0.5 + row * 0.15))
        for col in range(4):
            x = int(w * (0.08 + col * 0.23))
            d.rectangle([x, y, x + int(w * 0.17), y + int(h * 0.05)], fill=(120, 84, 52))
            d.rectangle([x + int(w * 0.05), y - int(h * 0.05), x + int(w * 0.1), y], fill=(60, 62, 70))
            cx, cy = x + int(w * 0.12), y - int(h * 0.09)
            r = int(w * 0.025)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(236, 200, 170))
            d.rectangle([cx - r, cy + r, cx + r, cy + 4 * r], fill=rng.choice([(190, 40, 40), (40, 90, 170), (230, 180, 40)]))
    return grain(img.filter(ImageFilter.GaussianBlur(1.2)), 60, rng)


def care_scene(w, h, rng):
    """A 护工 training room: beds, a trainer and trainees in uniforms."""
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    sky(d, w, h, (240, 244, 246), (214, 222, 226))
    d.rectangle([0, int(h * 0.7), w, h], fill=(200, 190, 172))
    for i in range(3):
        x = int(w * (0.06 + i * 0.32))
        d.rectangle([x, int(h * 0.55), x + int(w * 0.26), int(h * 0.68)], fill=(250, 250, 250), outline=(150, 160, 170), width=5)
        d.rectangle([x, int(h * 0.5), x + int(w * 0.06), int(h * 0.56)], fill=(255, 255, 255), outline=(150, 160, 170), width=4)
    for i in range(5):
        cx, cy = int(w * (0.12 + i * 0.19)), int(h * 0.36)
        r = int(w * 0.03)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(236, 204, 176))
        d.rectangle([cx - int(r * 1.3), cy + r, cx + int(r * 1.3), cy + 5 * r], fill=(90, 170, 190) if i else (200, 60, 70))
    return grain(img.filter(ImageFilter.GaussianBlur(1.0)), 50, rng)


def fields(w, h, rng):
    """Terraced hills and a road being built by a 以工代赈 team."""
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    sky(d, w, h, (150, 190, 235), (225, 235, 245))
    for i in range(7):
        y = int(h * (0.35 + i * 0.09))
        d.polygon([(0, y), (w * 0.4, y - h * 0.06), (w, y + h * 0.02), (w, h), (0, h)], fill=(60 + i * 14, 120 + i * 10, 50 + i * 6))
    d.polygon([(w * 0.45, h), (w * 0.55, h * 0.45), (w * 0.6, h * 0.45), (w * 0.75, h)], fill=(170, 160, 150))
    for i in range(8):
        cx, cy = int(w * (0.5 + rng.random() * 0.2)), int(h * (0.55 + rng.random() * 0.35))
        r = int(w * 0.012)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(240, 200, 60))
        d.rectangle([cx - r, cy + r, cx + r, cy + 4 * r], fill=(230, 110, 30))
    return grain(img, 70, rng)


def bar_chart(w, h):
    """Trainees per year, as the kind of chart an office exports to PNG."""
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    values = [420, 610, 880, 1130]
    base, left = int(h * 0.85), int(w * 0.12)
    d.line([(left, int(h * 0.08)), (left, base), (int(w * 0.95), base)], fill=(40, 40, 40), width=4)
    for i, v in enumerate(values):
        x = left + int(w * 0.05) + i * int(w * 0.2)
        top = base - int(v / 1200 * (base - h * 0.12))
        d.rectangle([x, top, x + int(w * 0.12), base], fill=(164, 22, 26))
        d.text((x + int(w * 0.03), top - 30), str(v), fill=(30, 30, 30))
        d.text((x + int(w * 0.03), base + 12), str(2021 + i), fill=(30, 30, 30))
    return img


def save_jpeg(img, path, orientation=1, gps=GPS_HOME, quality=92):
    """Saves as a phone would: pixels as the sensor lay, the turn in EXIF."""
    stored = img
    if orientation == 6:
        stored = img.transpose(Image.Transpose.ROTATE_90)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    stored.save(path, "JPEG", quality=quality, exif=exif_for(orientation, gps).tobytes())


def minimal_pdf(title_lines):
    """A one-page PDF with ASCII text, written by hand (no PDF library needed)."""
    text = "BT /F1 14 Tf 72 760 Td 18 TL " + " ".join(f"({line}) '" for line in title_lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def demo(root):
    rng = random.Random(16)
    c = os.path.join(root, "content")
    save_jpeg(workshop(2400, 1800, rng), f"{c}/cases/qiandongnan-foshan/chejian.jpg", orientation=6)
    save_jpeg(fields(2400, 1600, rng), f"{c}/cases/qiandongnan-foshan/peixun.jpg", gps=(26.0, 34.0, 2.0, 107.0, 59.0, 10.0))
    save_jpeg(care_scene(2000, 1500, rng), f"{c}/cases/qiandongnan-foshan/fuwuzhan.jpg", gps=None)
    save_jpeg(care_scene(2200, 1400, rng), f"{c}/brands/zhongjiang-biaosao/peixun.jpg", gps=(31.0, 2.0, 0.0, 104.0, 40.0, 0.0))
    save_jpeg(fields(2000, 1300, rng), f"{c}/cases/hechi-yigongdaizhen/gongdi.jpg", orientation=1)
    bar_chart(1200, 800).save(f"{c}/cases/bijie-guangzhou-jigong/zhaosheng.png")
    save_jpeg(workshop(1800, 900, rng), f"{c}/static/images/banner.jpg", gps=None, quality=88)
    os.makedirs(f"{c}/static/files", exist_ok=True)
    with open(f"{c}/static/files/2024年东西部人社协作工作要点（示例）.pdf", "wb") as f:
        f.write(minimal_pdf(["xiezuo demo attachment (example only)", "East-West HR collaboration: work points 2024"]))


def bench_case(args):
    c, case, n = args
    rng = random.Random(500 + case)
    folder = f"{c}/cases/case{case:03d}"
    photos = range(min(3, n - case * 3))
    scenes = [workshop, care_scene, fields]
    for k in photos:
        scene = scenes[k](1000, 750, rng).resize((4000, 3000), Image.Resampling.BICUBIC)
        save_jpeg(grain(scene, 80, rng), f"{folder}/p{k}.jpg", orientation=6)
    body = "\n\n".join(f"![第{case}号案例的第{k + 1}张照片](p{k}.jpg)" for k in photos)
    with open(f"{folder}/index.md", "w") as f:
        f.write(
            f"---\ntitle: 案例{case}\ndate: 2024-01-01\nprovince: 贵州省\ntask: 就业帮扶车间\ncover: p0.jpg\n---\n"
            f"第一段。\n\n{body}\n"
        )


def bench(out, n):
    """N phone photos (4000 x 3000, orientation 6, GPS), three to a case bundle."""
    from multiprocessing import Pool

    c = os.path.join(out, "content")
    os.makedirs(c, exist_ok=True)
    with open(f"{c}/site.yaml", "w") as f:
        f.write("title: 照片基准\nbase_url: https://www.example.gov.cn/dxbrs/\npublisher: 基准\n")
    with Pool(os.cpu_count()) as pool:
        pool.map(bench_case, [(c, case, n) for case in range((n + 2) // 3)])


if __name__ == "__main__":
    if sys.argv[1:2] == ["demo"]:
        demo(sys.argv[2])
    elif sys.argv[1:2] == ["bench"]:
        bench(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
