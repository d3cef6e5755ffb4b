// The layout checks of tests/layout.rs, run in headless Chromium by harness.html: each page is
// loaded in an iframe of a phone's or a desktop's width (so media and container queries answer
// to that width), measured as it is, then with 大字 on, and the violations are written into the
// harness page as JSON for the Rust test to read from the dumped DOM.
"use strict";

const MIN_TEXT = { plain: 12, large: 15 };
const MIN_TARGET = 24;
const PHONE_TARGET = 44;

function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  if (el.classList.length) s += "." + [...el.classList].join(".");
  const parent = el.parentElement;
  return parent && parent.tagName !== "BODY" ? describe(parent).split(" > ").slice(-2).join(" > ") + " > " + s : s;
}

function snippet(text) {
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 30 ? text.slice(0, 30) + "…" : text;
}

// Rendered and not hidden the accessible way (a 1px clip, as .visually-hidden does).
function shown(win, el) {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const cs = win.getComputedStyle(e);
    if (cs.display === "none" || cs.visibility === "hidden") return false;
    const r = e.getBoundingClientRect();
    if (cs.position === "absolute" && r.width <= 1 && r.height <= 1) return false;
  }
  return el.getClientRects().length > 0;
}

function blockAncestor(win, el) {
  for (let e = el.parentElement; e; e = e.parentElement) {
    if (!win.getComputedStyle(e).display.startsWith("inline")) return e;
  }
  return el.ownerDocument.body;
}

// WCAG 2.2 target size: a link inside a sentence may be as small as the text around it.
function inSentence(win, el) {
  if (win.getComputedStyle(el).display !== "inline") return false;
  const block = blockAncestor(win, el);
  let own = "";
  const walker = el.ownerDocument.createTreeWalker(block, 4);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest("a, button")) own += n.data;
  }
  return (own.match(/[\p{L}]/gu) || []).length >= 4;
}

// Where a text node's lines break: the characters on either side of each break.
function lineBreaks(doc, node) {
  const breaks = [];
  let lastTop = null;
  const range = doc.createRange();
  for (let i = 0; i < node.data.length; i++) {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rect = range.getClientRects()[0];
    if (!rect || !node.data[i].trim()) continue;
    if (lastTop !== null && rect.top > lastTop + 2) breaks.push([node.data[i - 1] || "", node.data[i]]);
    lastTop = rect.top;
  }
  return breaks;
}

function checkPage(win, mode, phone) {
  const doc = win.document;
  const v = [];
  const add = (rule, detail) => v.push({ rule, detail });
  const width = win.innerWidth;

  // 1. The document never scrolls sideways.
  if (doc.documentElement.scrollWidth > width + 1) {
    const wide = [...doc.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && shown(win, e))
      .filter((e) => !e.parentElement.closest(".table-scroll"))
      .slice(0, 3)
      .map(describe);
    add("page scrolls sideways", `${doc.documentElement.scrollWidth}px > ${width}px: ${wide.join("; ")}`);
  }

  // 2. Any sideways scroller says so.
  for (const el of doc.body.querySelectorAll("*")) {
    const cs = win.getComputedStyle(el);
    if (!["auto", "scroll"].includes(cs.overflowX) || el.scrollWidth <= el.clientWidth + 1 || !shown(win, el)) continue;
    const before = win.getComputedStyle(el, "::before");
    const cue = before.display !== "none" && before.content !== "none" && /[\p{L}→]/u.test(before.content);
    if (!cue) add("scroller without a cue", describe(el));
  }

  // 3. No text under 12px (15px with 大字), SVG text included at its drawn size.
  const min = MIN_TEXT[mode];
  const walker = doc.createTreeWalker(doc.body, 4);
  let texts = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || ["SCRIPT", "STYLE", "NOSCRIPT", "TITLE", "DESC"].includes(el.tagName) || !shown(win, el)) continue;
    let size = parseFloat(win.getComputedStyle(el).fontSize);
    if (el instanceof win.SVGElement && el.getScreenCTM) size *= Math.abs(el.getScreenCTM().a);
    texts++;
    if (size < min - 0.05) add("text too small", `${size.toFixed(1)}px < ${min}px: “${snippet(n.data)}” in ${describe(el)}`);
  }
  for (const el of doc.querySelectorAll("input[placeholder]")) {
    if (!shown(win, el)) continue;
    const cs = win.getComputedStyle(el);
    const ctx = doc.createElement("canvas").getContext("2d");
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (ctx.measureText(el.placeholder).width > room + 1) add("placeholder cut off", `“${el.placeholder}” in ${describe(el)}`);
  }

  // 4. Targets at least 24×24 unless inside a sentence; 44px tall on phones for the menu, the
  //    display toggles and the search filters.
  let targets = 0;
  for (const el of doc.body.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    if (!shown(win, el)) continue;
    const r = el.getBoundingClientRect();
    if (r.bottom < 0) continue; // the skip link waits above the page until it is focused
    targets++;
    if ((r.width < MIN_TARGET - 0.5 || r.height < MIN_TARGET - 0.5) && !inSentence(win, el)) {
      add("target under 24px", `${r.width.toFixed(0)}×${r.height.toFixed(0)} “${snippet(el.textContent || el.value || el.type)}” ${describe(el)}`);
    }
  }
  if (phone) {
    for (const el of doc.querySelectorAll(".site-nav a, .toggle, .facet-item, .facet-panel > summary")) {
      if (!shown(win, el)) continue;
      const h = el.getBoundingClientRect().height;
      if (h < PHONE_TARGET - 0.5) add("under 44px on a phone", `${h.toFixed(0)}px “${snippet(el.textContent)}” ${describe(el)}`);
    }
  }

  // 5. A heading is not followed by another heading's chart: the nearest heading above each
  //    chart is its own title, never the title of another chart on the page.
  const subject = (f) => {
    const title = f.querySelector(".chart-title, svg > title");
    return title ? title.textContent.trim() : "";
  };
  const figures = [...doc.querySelectorAll("main figure")].filter(subject);
  const titles = figures.map(subject);
  const headings = [...doc.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6")];
  figures.forEach((f, i) => {
    const body = f.querySelector(".chart, .tile-map, svg") || f;
    const above = headings.filter((h) => h.compareDocumentPosition(body) & 4).pop();
    const text = above ? above.textContent.trim() : "";
    if (text !== titles[i] && titles.some((t, j) => j !== i && t !== titles[i] && text.includes(t))) {
      add("chart under another chart's heading", `“${titles[i]}” sits under “${text}”`);
    } else if (text !== titles[i]) {
      add("chart without its own title", `“${titles[i]}” is under “${text}”`);
    }
  });

  // 6. Table headers break between words, never inside one.
  for (const th of doc.querySelectorAll("thead th")) {
    if (!shown(win, th)) continue;
    const w = doc.createTreeWalker(th, 4);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (const [a, b] of lineBreaks(doc, n)) {
        if (!/[\s、，,）)\/-]/.test(a) && !/[\s（(]/.test(b)) add("header breaks mid-word", `“${snippet(n.data)}” between “${a}” and “${b}”`);
      }
    }
  }

  const header = doc.querySelector(".site-header");
  return {
    violations: v,
    texts,
    targets,
    headerHeight: header ? Math.round(header.getBoundingClientRect().height) : 0,
    width,
  };
}

function load(frame, url) {
  return new Promise((resolve) => {
    frame.onload = () => resolve();
    frame.src = url;
  });
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function run() {
  const out = document.getElementById("report");
  const config = JSON.parse(document.getElementById("pages").textContent);
  const results = [];
  for (const [width, height] of config.sizes) {
    for (const url of config.pages) {
      const frame = document.createElement("iframe");
      frame.style.width = width + "px";
      frame.style.height = height + "px";
      frame.style.border = "0";
      document.body.append(frame);
      await load(frame, url);
      const win = frame.contentWindow;
      await win.document.fonts.ready;
      if (url.includes("/search/?q=")) {
        for (let i = 0; i < 50 && !/\d/.test(win.document.getElementById("search-status").textContent); i++) await wait(100);
      }
      for (const mode of ["plain", "large"]) {
        win.document.documentElement.classList.toggle("mode-large", mode === "large");
        await wait(50);
        win.dispatchEvent(new win.Event("resize"));
        await wait(50);
        results.push({ url, width, mode, ...checkPage(win, mode, width < 600) });
      }
      frame.remove();
    }
  }
  out.textContent = JSON.stringify({ done: true, results });
}

run().catch((e) => {
  document.getElementById("report").textContent = JSON.stringify({ done: false, error: String(e && e.stack || e) });
});
