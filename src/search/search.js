// xiezuo static search client: a dependency-free ES module.
//
//   import { search } from "./search.js";
//   const { results, total, facets, suggestions } = await search("劳务协作", { limit: 10 });
//
// It fetches the small manifest once, then only the index shards of the query's tokens and the
// fragments of the results it returns. Normalisation and tokens mirror src/search/text.rs and
// src/search/pinyin_tokens.rs; the binary format is written by src/search/shards.rs.

const BASE = new URL("./", import.meta.url);
const files = new Map();

function load(path, type) {
  let p = files.get(path);
  if (!p) {
    p = fetch(new URL(path, BASE)).then((r) => {
      if (!r.ok) throw new Error(`search: ${path}: HTTP ${r.status}`);
      return type === "bin" ? r.arrayBuffer() : r.json();
    });
    p.catch(() => files.delete(path));
    files.set(path, p);
  }
  return p;
}

// ---- manifest -------------------------------------------------------------------------------

let ready = null;
function manifest() {
  ready ??= load("index.json").then((m) => {
    const expand = (rle) => {
      const out = new Uint16Array(m.docs);
      for (let i = 0, at = 0; i < rle.length; i += 2) out.fill(rle[i], at, (at += rle[i + 1]));
      return out;
    };
    m.cols = {};
    for (const k of Object.keys(m.facets)) m.cols[k] = expand(m.facets[k]);
    m.syll = new Set(m.syllables.split(" "));
    m.blocks = new Set(m.t2s_blocks);
    return m;
  });
  return ready;
}

// ---- normalisation (mirrors text.rs) --------------------------------------------------------

const t2s = new Map();
const ALNUM = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;

function fold(ch) {
  let out = "";
  for (const n of ch.normalize("NFKC")) for (const l of n.toLowerCase()) out += t2s.get(l) ?? l;
  return out;
}

/** Normalised text: NFKC, lower case, traditional → simplified, character by character. */
export function normalize(text) {
  let out = "";
  for (const ch of text) out += fold(ch);
  return out;
}

async function loadT2S(m, text) {
  const need = new Set();
  for (const ch of text.normalize("NFKC")) {
    const b = (ch.codePointAt(0) - 0x3400) >> 8;
    if (m.blocks.has(b)) need.add(b);
  }
  await Promise.all(
    [...need].map(async (b) => {
      const path = `t2s/${b}.json`;
      if (files.has(path)) return files.get(path);
      const c = [...(await load(path))];
      for (let i = 0; i + 1 < c.length; i += 2) t2s.set(c[i], c[i + 1]);
    }),
  );
}

const classOf = (c) => (!ALNUM.test(c) ? 0 : c.codePointAt(0) >= 0x2e80 ? 2 : 1);

/** Runs of normalised text: [{cjk: bool, s}]. */
function runs(text) {
  const out = [];
  let cur = "", k = 0;
  for (const c of text) {
    const kc = classOf(c);
    if (kc !== k) {
      if (k) out.push({ cjk: k === 2, s: cur });
      cur = "";
      k = kc;
    }
    cur += c;
  }
  if (k) out.push({ cjk: k === 2, s: cur });
  return out;
}

const bigrams = (s) => {
  const c = [...s];
  return c.length < 2 ? c : c.slice(1).map((b, i) => c[i] + b);
};

// ---- query → terms --------------------------------------------------------------------------
// A term is a list of alternatives; an alternative is a list of phrases that must all match; a
// phrase is a list of tokens, matched in part when it has three or more.

function pinyin(m, word) {
  const w = word.replace(/lyu/g, "lv").replace(/nyu/g, "nv").replace(/ü/g, "v");
  const best = [[]];
  for (let i = 1; i <= w.length; i++) {
    for (let j = Math.max(0, i - 6); j < i; j++) {
      if (best[j] && m.syll.has(w.slice(j, i)) && (!best[i] || best[j].length + 1 < best[i].length))
        best[i] = [...best[j], w.slice(j, i)];
    }
  }
  return best[w.length] ?? null;
}

function wordTerm(m, w) {
  const alts = [[[`w:${w}`]]];
  for (const p of m.provinces) if (p[3] === w) alts.push([bigrams(p[1])]);
  const syl = /^[a-zü]+$/.test(w) ? pinyin(m, w) : null;
  if (syl && syl.length > 1) alts.push([syl.slice(1).map((b, i) => `p:${syl[i]} ${b}`)]);
  else if (!syl && /^[a-z]{2,12}$/.test(w)) alts.push([bigrams(w).map((b) => `i:${b}`)]);
  const prov = m.provinces.filter((p) => p[3] === w).map((p) => p[1]);
  return { text: w, alts, needles: /^[a-z]+$/.test(w) ? prov : [w, ...prov] };
}

function cjkTerm(m, s) {
  const needles = new Set([s, ...([...s].length > 2 ? bigrams(s) : [])]);
  // A synonym group is one precomputed token (`g:N`, see search/mod.rs), so a query for
  // 就业帮扶车间 fetches one posting list instead of the bigrams of every member.
  const groups = [];
  m.synonyms.forEach((g, i) => { if (g.includes(s)) { groups.push(i); g.forEach((o) => needles.add(o)); } });
  const alts = groups.length ? groups.map((i) => [[`g:${i}`]]) : [[[...s].length === 1 ? [s] : bigrams(s)]];
  const add = (...phrases) => { alts.push(phrases.map(bigrams)); phrases.forEach((p) => needles.add(p)); };
  for (const p of m.provinces) {
    if (p[0] === s && p[1] !== s) add(p[1]);
    if ([...s].length === 1 && p[2] === s) add(p[1]);
  }
  for (const pr of m.pairs) {
    const rev = [...pr.short].reverse().join("");
    if (pr.short === s || rev === s)
      add(m.provinces[pr.east][1], m.provinces[pr.west][1]), s !== pr.short && add(pr.short);
  }
  return { text: s, alts, needles: [...needles] };
}

function parse(m, q) {
  const terms = [];
  const rs = runs(normalize(q.normalize("NFC").replace(/u\u0308/g, "ü")));
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    if (r.cjk) { terms.push(cjkTerm(m, r.s)); continue; }
    // "sha xian", "lv liang": single syllables typed apart form one pinyin term.
    let j = i, joined = "";
    while (j < rs.length && !rs[j].cjk && (pinyin(m, rs[j].s)?.length ?? 0) === 1) joined += rs[j++].s;
    if (j - i > 1) {
      terms.push(wordTerm(m, joined));
      i = j - 1;
    } else terms.push(wordTerm(m, r.s));
  }
  return terms;
}

// ---- shards and postings (format: shards.rs) ------------------------------------------------

function reader(buf) {
  const b = new Uint8Array(buf);
  let pos = 0;
  const v = () => {
    let x = 0, shift = 0, c;
    do { c = b[pos++]; x += (c & 0x7f) * 2 ** shift; shift += 7; } while (c & 0x80);
    return x;
  };
  return { b, v, get pos() { return pos; }, set pos(p) { pos = p; } };
}

function fnv(token) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(token)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h >>> 0;
}

const shards = new Map();
async function shard(m, id) {
  if (!shards.has(id)) {
    shards.set(id, load(`s/${id}.bin`, "bin").then((buf) => {
      const r = reader(buf), dec = new TextDecoder(), map = new Map();
      for (let n = r.v(); n > 0; n--) {
        const len = r.v(), tok = dec.decode(r.b.subarray(r.pos, r.pos + len));
        r.pos += len;
        const df = r.v(), ext = r.b[r.pos++];
        if (ext) map.set(tok, { df, ext: r.v() });
        else { const l = r.v(); map.set(tok, { df, bytes: r.b.subarray(r.pos, r.pos + l) }); r.pos += l; }
      }
      return map;
    }).catch((e) => { shards.delete(id); throw e; }));
  }
  return shards.get(id);
}

/** Impact level of each document for `token` (0 = absent), or null when unindexed. */
async function postings(m, token) {
  const e = (await shard(m, fnv(token) % m.shards)).get(token);
  if (!e) return null;
  const r = reader(e.bytes ?? (await load(`p/${e.ext}.bin`, "bin")));
  const lv = new Uint8Array(m.docs);
  for (let g = r.v(); g > 0; g--) {
    const level = r.b[r.pos++], kind = r.b[r.pos++];
    if (kind === 1) {
      const start = r.v(), n = r.v();
      for (let i = 0; i < n; i++) {
        const byte = r.b[r.pos + i];
        if (byte) for (let k = 0; k < 8; k++) if (byte & (1 << k)) lv[start + i * 8 + k] ||= level;
      }
      r.pos += n;
    } else if (kind === 2) {
      // Complement: every document below `total` except the listed ones (shards.rs).
      const total = r.v(), skip = new Uint8Array(total);
      for (let n = r.v(), d = 0, i = 0; i < n; i++) skip[(d += r.v())] = 1;
      for (let d = 0; d < total; d++) if (!skip[d]) lv[d] ||= level;
    } else for (let n = r.v(), d = 0, i = 0; i < n; i++) lv[(d += r.v())] ||= level;
  }
  return { df: e.df, lv };
}

// ---- scoring --------------------------------------------------------------------------------

const need = (phrase) => (phrase.length >= 3 ? 0.66 : 1);

/** Per-document coverage (0..1), satisfaction and score of one term. */
function scoreTerm(m, term, lists) {
  const n = m.docs, cov = new Float32Array(n), score = new Float32Array(n), ok = new Uint8Array(n);
  for (const alt of term.alts) {
    const c = new Float32Array(n), s = new Float32Array(n), sat = new Uint8Array(n).fill(1);
    for (const phrase of alt) {
      const pc = new Float32Array(n);
      for (const tok of phrase) {
        const p = lists.get(tok);
        if (!p) continue;
        const idf = Math.log(1 + (n - p.df + 0.5) / (p.df + 0.5));
        for (let d = 0; d < n; d++) if (p.lv[d]) { pc[d] += 1 / phrase.length; s[d] += idf * p.lv[d]; }
      }
      for (let d = 0; d < n; d++) { c[d] += pc[d] / alt.length; if (pc[d] < need(phrase) - 1e-6) sat[d] = 0; }
    }
    for (let d = 0; d < n; d++) {
      const better = sat[d] > ok[d] || (sat[d] === ok[d] && c[d] * c[d] * s[d] > cov[d] * cov[d] * score[d]);
      if (better) { ok[d] = sat[d]; cov[d] = c[d]; score[d] = s[d]; }
    }
  }
  return { cov, score, ok };
}

function matchAll(m, terms, lists) {
  const n = m.docs, hits = new Uint8Array(n), score = new Float32Array(n);
  const per = terms.map((t) => scoreTerm(m, t, lists));
  for (const t of per) for (let d = 0; d < n; d++) {
    hits[d] += t.ok[d];
    score[d] += t.cov[d] * t.cov[d] * t.score[d];
  }
  let want = terms.length;
  const has = (k) => hits.some((h) => h >= k);
  while (want > 0 && !has(want)) want--;
  const docs = [];
  if (want > 0) for (let d = 0; d < n; d++) if (hits[d] >= want) docs.push(d);
  docs.sort((a, b) => score[b] - score[a] || a - b);
  return { docs, partial: want < terms.length, per, score };
}

// ---- facets ---------------------------------------------------------------------------------

const FACETS = ["type", "province", "pair", "task", "year"];

function label(m, facet, v) {
  if (facet === "type") return m.types[v];
  if (facet === "year") return v || null;
  if (!v) return null;
  if (facet === "province") return m.provinces[v - 1][0];
  if (facet === "pair") return m.pairs[v - 1].short;
  return m.tasks[v - 1];
}

function facetCounts(m, docs) {
  const out = {};
  for (const f of FACETS) {
    const counts = new Map(), col = m.cols[f];
    for (const d of docs) counts.set(col[d], (counts.get(col[d]) ?? 0) + 1);
    out[f] = [...counts]
      .map(([v, count]) => ({ value: label(m, f, v), count }))
      .filter((x) => x.value !== null && x.value !== undefined)
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }
  return out;
}

function applyFilters(m, docs, filters = {}) {
  const active = FACETS.filter((f) => filters[f] && [].concat(filters[f]).length);
  if (!active.length) return docs;
  return docs.filter((d) =>
    active.every((f) => [].concat(filters[f]).map(String).includes(String(label(m, f, m.cols[f][d])))),
  );
}

// ---- excerpts -------------------------------------------------------------------------------

const escape = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** Original characters of `text` marked where a needle occurs in its normalised form. */
function marks(text, needles) {
  const chars = [...text], owner = [];
  let norm = "";
  chars.forEach((c, i) => { const f = fold(c); norm += f; for (let k = 0; k < f.length; k++) owner.push(i); });
  const hit = new Uint8Array(chars.length);
  for (const n of needles) {
    if (!n) continue;
    for (let at = norm.indexOf(n); at >= 0; at = norm.indexOf(n, at + 1))
      for (let k = at; k < at + n.length; k++) hit[owner[k]] = 1;
  }
  return { chars, hit };
}

/** Escaped HTML of chars[from, to) with marked characters wrapped in <mark>. */
function html({ chars, hit }, from = 0, to = chars.length) {
  let out = "", open = false;
  for (let i = from; i < to; i++) {
    if (hit[i] && !open) { out += "<mark>"; open = true; }
    if (!hit[i] && open) { out += "</mark>"; open = false; }
    out += escape(chars[i]);
  }
  return out + (open ? "</mark>" : "");
}

function excerpt(frag, needles, size = 90) {
  for (const text of [frag.s, frag.b ?? ""]) {
    const mk = marks(text, needles), first = mk.hit.indexOf(1);
    if (first < 0) continue;
    const from = Math.max(0, Math.min(first - 20, mk.chars.length - size));
    const to = Math.min(mk.chars.length, from + size);
    return (from > 0 ? "…" : "") + html(mk, from, to) + (to < mk.chars.length ? "…" : "");
  }
  const mk = marks(frag.s || frag.b || "", []);
  return html(mk, 0, Math.min(size, mk.chars.length)) + (mk.chars.length > size ? "…" : "");
}

// ---- the API --------------------------------------------------------------------------------

/**
 * Searches the site. `filters` maps facet names (type, province, pair, task, year) to a value or
 * a list of values as the facets report them. Resolves to {results, total, facets, partial,
 * suggestions}; each result has url, title, titleHtml, type, date, province, pair, task, year,
 * excerpt (safe HTML: escaped text with <mark> around matches) and score.
 */
export async function search(query, { limit = 10, offset = 0, filters = {} } = {}) {
  const m = await manifest();
  await loadT2S(m, String(query ?? ""));
  const terms = parse(m, String(query ?? ""));
  const empty = { results: [], total: 0, facets: facetCounts(m, []), partial: false, suggestions: [] };
  if (!terms.length) return empty;
  const tokens = new Set(terms.flatMap((t) => t.alts.flat(2)));
  const lists = new Map();
  await Promise.all([...tokens].map(async (t) => { const p = await postings(m, t); if (p) lists.set(t, p); }));
  const { docs, partial, per, score } = matchAll(m, terms, lists);
  const shown = applyFilters(m, docs, filters);
  const needles = terms.flatMap((t) => t.needles);
  const page = shown.slice(offset, offset + limit);
  const frags = await Promise.all(page.map((d) => load(`d/${d}.json`)));
  const results = page.map((d, i) => {
    const f = frags[i];
    return {
      url: f.u, title: f.t, titleHtml: html(marks(f.t, needles)), type: m.types[f.k],
      date: f.d ?? null, province: f.p ?? null, pair: label(m, "pair", m.cols.pair[d]),
      task: label(m, "task", m.cols.task[d]), year: label(m, "year", m.cols.year[d]),
      excerpt: excerpt(f, needles), score: Math.round(score[d] * 100) / 100,
    };
  });
  const suggestions = docs.length ? [] : suggest(m, terms, per);
  return { results, total: shown.length, facets: facetCounts(m, docs), partial, suggestions };
}

function suggest(m, terms, per) {
  const out = new Set();
  for (const t of terms) for (const g of m.synonyms) if (g.some((x) => t.text.includes(x) || x.includes(t.text))) g.forEach((x) => out.add(x));
  if (terms.length > 1) terms.forEach((t, i) => per[i].ok.some(Boolean) && out.add(t.text));
  for (const s of m.suggest) if (out.size < 8) out.add(s);
  return [...out].filter((s) => !terms.some((t) => t.text === s)).slice(0, 8);
}
