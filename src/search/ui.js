// The search page: reads ?q= and facet filters from the URL, renders results, facets as real
// checkboxes, and suggestions. No framework; all content text goes in through textContent, and
// only search.js's escaped excerpts (with <mark>) through innerHTML.
import { search } from "./search.js";

const en = document.documentElement.lang === "en";
const T = en
  ? { found: (n) => `${n} results`, none: "No results.", tryThese: "Try:", more: "More results",
      facets: { type: "Type", province: "Province", pair: "Pair", task: "Task", year: "Year" },
      filter: (n) => n ? `Filters (${n} on)` : "Filter results", clear: "Clear filters",
      partial: "No page has every word; showing pages with most of them.", loading: "Searching…" }
  : { found: (n) => `找到 ${n} 条结果`, none: "没有找到相关内容。", tryThese: "试试：", more: "更多结果",
      facets: { type: "类型", province: "省份", pair: "结对", task: "任务", year: "年份" },
      filter: (n) => n ? `筛选（已选 ${n} 项）` : "筛选结果", clear: "清除筛选",
      partial: "没有同时包含全部词语的页面，以下为包含部分词语的结果。", loading: "正在搜索…" };

const form = document.querySelector(".search-page-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const facetBox = document.getElementById("search-facets");
const list = document.getElementById("search-results");
const FACETS = ["type", "province", "pair", "task", "year"];
const PAGE = 10;
let shown = PAGE;

const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
};

function state() {
  const p = new URLSearchParams(location.search);
  const filters = {};
  for (const f of FACETS) if (p.getAll(f).length) filters[f] = p.getAll(f);
  return { q: p.get("q") ?? "", filters, correct: p.get("correct") !== "0" };
}

// `correct: false` (`correct=0` in the URL) searches for the words as typed, without typo
// corrections: the "search instead" link of a corrected query.
function go(q, filters, push = true, correct = state().correct) {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  if (!correct) p.set("correct", "0");
  for (const [f, vs] of Object.entries(filters)) for (const v of vs) p.append(f, v);
  const url = `${location.pathname}${p.size ? "?" + p : ""}`;
  if (push) history.pushState(null, "", url);
  shown = PAGE;
  run();
}

// Filters sit in one panel that phones show folded (results first, ~45 checkboxes otherwise
// push them away) and wide screens beside the results, open.
const wide = matchMedia("(min-width: 48rem)");
let panelOpen = null; // the reader's own choice, kept while they search

function renderFacets(facets, filters, q) {
  const active = Object.values(filters).reduce((n, vs) => n + vs.length, 0);
  const groups = el("div", { className: "facet-groups" });
  for (const f of FACETS) {
    let items = facets[f] ?? [];
    if (items.length < 2 && !(filters[f] ?? []).length) continue;
    // Years read in order, newest first, whatever their counts.
    if (f === "year") items = [...items].sort((a, b) => Number(b.value) - Number(a.value));
    const box = el("fieldset", { className: `facet facet-${f}` }, el("legend", { textContent: T.facets[f] }));
    for (const { value, count } of items) {
      const id = `facet-${f}-${String(value)}`;
      const cb = el("input", { type: "checkbox", id, value: String(value), name: f });
      cb.checked = (filters[f] ?? []).includes(String(value));
      cb.addEventListener("change", () => {
        const next = { ...filters, [f]: [...(filters[f] ?? [])].filter((v) => v !== cb.value) };
        if (cb.checked) next[f].push(cb.value);
        go(q, next);
      });
      box.append(el("div", { className: "facet-item" }, cb, el("label", { htmlFor: id }, `${value} `, el("span", { className: "facet-count", textContent: `(${count})` }))));
    }
    groups.append(box);
  }
  if (!groups.childElementCount) { facetBox.replaceChildren(); return; }
  if (active) {
    const clear = el("button", { type: "button", className: "facet-clear", textContent: T.clear });
    clear.addEventListener("click", () => go(q, {}));
    groups.append(clear);
  }
  const panel = el("details", { className: "facet-panel" }, el("summary", { textContent: T.filter(active) }), groups);
  const initial = panelOpen ?? wide.matches;
  panel.open = initial;
  // Setting `open` above fires a toggle too; only the reader's own clicks are remembered.
  panel.addEventListener("toggle", () => { if (panelOpen !== null || panel.open !== initial) panelOpen = panel.open; });
  facetBox.replaceChildren(panel);
}

function renderResult(r, missing) {
  const title = el("a", { href: r.url });
  title.innerHTML = r.titleHtml; // escaped by search.js; only <mark> is markup
  const meta = [r.type, r.province, r.date].filter(Boolean).join(" · ");
  const excerpt = el("p", { className: "search-excerpt" });
  excerpt.innerHTML = r.excerpt; // escaped by search.js; only <mark> is markup
  return el("li", { className: "search-result" }, el("h2", {}, title), el("p", { className: "search-meta", textContent: meta }), excerpt, lacking(r, missing));
}

// ---- corrections and partial matches: what was searched for, said before the results --------

const N = en
  ? { showing: (q) => `Showing results for “${q}”.`, instead: "Search instead for", didYouMean: "Did you mean:",
      missing: (m, f) => `No page contains ${m}; showing results with ${f}.`, lacks: "Missing: ",
      list: (ws) => ws.map((w) => `“${w}”`).join(", ") }
  : { showing: (q) => `已显示“${q}”的搜索结果。`, instead: "仍然搜索：", didYouMean: "您是不是要找：",
      missing: (m, f) => `未找到${m}，以下是包含${f}的结果。`, lacks: "未包含：",
      list: (ws) => ws.map((w) => `“${w}”`).join("、") };

const link = (text, q, correct) => {
  const a = el("a", { href: `?q=${encodeURIComponent(q)}${correct ? "" : "&correct=0"}`, textContent: text });
  a.addEventListener("click", (ev) => { ev.preventDefault(); go(q, {}, true, correct); });
  return a;
};

/** The notice above the results: a correction made or offered, and words no page holds. */
function notice(res) {
  const out = [], c = res.correction;
  if (c?.applied) out.push(el("p", {}, N.showing(c.query), " ", N.instead, " ", link(c.original, c.original, false)));
  else if (c) out.push(el("p", {}, N.didYouMean, " ", link(c.query, c.query, true)));
  const found = res.terms.filter((t) => !res.missing.includes(t));
  if (res.total && res.missing.length) out.push(el("p", { textContent: N.missing(N.list(res.missing), N.list(found)) }));
  else if (res.total && res.partial) out.push(el("p", { textContent: T.partial }));
  return out.length ? el("div", { className: "search-notice", role: "note" }, ...out) : null;
}

/** A partial result's words it lacks, beyond those no page holds (said once, above). */
function lacking(r, missing) {
  const words = r.match === "partial" ? r.missing.filter((w) => !missing.includes(w)) : [];
  return words.length ? el("p", { className: "search-lacks", textContent: `${N.lacks}${N.list(words)}` }) : null;
}

async function run() {
  const { q, filters, correct } = state();
  input.value = q;
  if (!q.trim()) { status.textContent = ""; list.replaceChildren(); facetBox.replaceChildren(); return; }
  status.textContent = T.loading;
  let res;
  try {
    res = await search(q, { limit: shown, filters, correct });
  } catch (e) {
    status.textContent = String(e.message ?? e);
    return;
  }
  if (state().q !== q) return; // a newer query started meanwhile
  status.textContent = res.total ? T.found(res.total) : T.none;
  renderFacets(res.facets, filters, q);
  const kids = [notice(res)].filter(Boolean);
  if (!res.total && res.suggestions.length) {
    const ul = el("ul", { className: "search-suggestions" });
    for (const s of res.suggestions) {
      const a = el("a", { href: `?q=${encodeURIComponent(s)}`, textContent: s });
      a.addEventListener("click", (ev) => { ev.preventDefault(); go(s, {}, true, true); });
      ul.append(el("li", {}, a));
    }
    kids.push(el("p", { textContent: T.tryThese }), ul);
  }
  kids.push(el("ol", { className: "search-list" }, ...res.results.map((r) => renderResult(r, res.missing))));
  if (res.total > res.results.length) {
    const more = el("button", { type: "button", className: "search-more", textContent: T.more });
    more.addEventListener("click", () => { shown += PAGE; run(); });
    kids.push(more);
  }
  list.replaceChildren(...kids);
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  go(input.value.trim(), {}, true, true);
});
addEventListener("popstate", run);
run();
