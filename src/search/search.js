// xiezuo static search client: a dependency-free ES module.
//
//   import { search } from "./search.js";
//   const { results, total, facets, suggestions } = await search("劳务协作", { limit: 10 });
//
// It fetches the small manifest once, then only the index shards of the query's tokens and the
// fragments of the results it returns; the vocabulary (for questions and typos) only for a
// query with a term that finds little. Normalisation and tokens mirror src/search/text.rs and
// src/search/pinyin_tokens.rs; the binary format is written by src/search/shards.rs; words.js
// splits questions and corrects typos.
import { corrections, leftovers, readPinyin, readVocabulary, segment, splitQuestion } from "./words.js";

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

/** Runs of normalised characters: [{cjk: bool, s, start, end}], `start` and `end` indexing
 * `chars`. */
function runs(chars) {
  const out = [];
  let k = 0, start = 0;
  const close = (end) => { if (k) out.push({ cjk: k === 2, s: chars.slice(start, end).join(""), start, end }); };
  chars.forEach((c, i) => {
    const kc = classOf(c);
    if (kc !== k) { close(i); start = i; k = kc; }
  });
  close(chars.length);
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

/** The term for chars[start, end) of a CJK run; `fix` marks a corrected word. */
function cjkAt(m, chars, start, end, fix) {
  const text = fix?.word ?? chars.slice(start, end).join("");
  return { ...cjkTerm(m, text), cjk: true, start, end, ...(fix?.kind ? { from: chars.slice(start, end).join(""), kind: fix.kind } : {}) };
}

/** The terms of the normalised query `chars`, and the question and function words left out. */
function parse(m, chars) {
  const terms = [], ignored = [];
  const rs = runs(chars);
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    if (r.cjk) {
      const split = splitQuestion(chars, r.start, r.end);
      ignored.push(...split.ignored);
      // A piece of a question may be split into words; a run typed whole is one word.
      const question = split.ignored.length > 0;
      for (const [a, b] of split.pieces) terms.push({ ...cjkAt(m, chars, a, b), question });
      continue;
    }
    // "sha xian", "lv liang": single syllables typed apart form one pinyin term.
    let j = i, joined = "";
    while (j < rs.length && !rs[j].cjk && (pinyin(m, rs[j].s)?.length ?? 0) === 1) joined += rs[j++].s;
    if (j - i > 1) {
      terms.push({ ...wordTerm(m, joined), start: r.start, end: rs[j - 1].end });
      i = j - 1;
    } else terms.push({ ...wordTerm(m, r.s), start: r.start, end: r.end });
  }
  // A query of nothing but question words searches for what it says.
  if (!terms.length && ignored.length) {
    for (const r of rs) if (r.cjk) terms.push(cjkAt(m, chars, r.start, r.end));
    ignored.length = 0;
  }
  return { terms, ignored };
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
/** Levels above this one come from the title, names, tags and places, summary or headings
 * (BODY_ONLY_MAX in postings.rs); a term there is what the page is about. */
const BODY_ONLY_MAX = 4;

/**
 * How one term matches each document: `ok` (satisfied), `prom` (satisfied by the title, names,
 * tags and places, summary or headings alone), coverage (0..1) and score; and how many
 * documents it satisfies (`found`) and holds whole (`exact`: every token of an alternative).
 */
function scoreTerm(m, term, lists) {
  const n = m.docs, cov = new Float32Array(n), score = new Float32Array(n), ok = new Uint8Array(n);
  const prom = new Uint8Array(n), whole = new Uint8Array(n);
  for (const alt of term.alts) {
    const c = new Float32Array(n), s = new Float32Array(n), sat = new Uint8Array(n).fill(1);
    const psat = new Uint8Array(n).fill(1), full = new Uint8Array(n).fill(1);
    for (const phrase of alt) {
      const pc = new Float32Array(n), pp = new Float32Array(n);
      for (const tok of phrase) {
        const p = lists.get(tok);
        if (!p) continue;
        const idf = Math.log(1 + (n - p.df + 0.5) / (p.df + 0.5));
        for (let d = 0; d < n; d++) {
          const lv = p.lv[d];
          if (!lv) continue;
          pc[d] += 1 / phrase.length;
          if (lv > BODY_ONLY_MAX) pp[d] += 1 / phrase.length;
          s[d] += idf * lv;
        }
      }
      for (let d = 0; d < n; d++) {
        c[d] += pc[d] / alt.length;
        if (pc[d] < need(phrase) - 1e-6) sat[d] = 0;
        if (pp[d] < need(phrase) - 1e-6) psat[d] = 0;
        if (pc[d] < 1 - 1e-6) full[d] = 0;
      }
    }
    for (let d = 0; d < n; d++) {
      if (full[d]) whole[d] = 1;
      if (sat[d] && psat[d]) prom[d] = 1;
      const better = sat[d] > ok[d] || (sat[d] === ok[d] && c[d] * c[d] * s[d] > cov[d] * cov[d] * score[d]);
      if (better) { ok[d] = sat[d]; cov[d] = c[d]; score[d] = s[d]; }
    }
  }
  let found = 0, exact = 0;
  for (let d = 0; d < n; d++) { found += ok[d]; exact += whole[d]; }
  return { cov, score, ok, prom, found, exact };
}

/**
 * Documents matching the terms, best first. Every term must match where some document holds
 * them all, except that a query of three or more words that match somewhere may match half of
 * them; where no document holds them all, those holding the most. Ranked by how many
 * terms match, then how many the title, names, tags, summary or headings carry, then score.
 */
function matchAll(m, terms, per) {
  const n = m.docs, hits = new Uint8Array(n), prom = new Uint8Array(n), score = new Float32Array(n);
  for (const t of per) for (let d = 0; d < n; d++) {
    hits[d] += t.ok[d];
    prom[d] += t.ok[d] & t.prom[d];
    score[d] += t.cov[d] * t.cov[d] * t.score[d];
  }
  const found = per.filter((t) => t.found > 0).length;
  let best = 0;
  for (let d = 0; d < n; d++) best = Math.max(best, hits[d]);
  const want = Math.min(best, found >= 3 ? Math.ceil(found / 2) : found);
  const docs = [];
  if (want > 0) for (let d = 0; d < n; d++) if (hits[d] >= want) docs.push(d);
  docs.sort((a, b) => hits[b] - hits[a] || prom[b] - prom[a] || score[b] - score[a] || a - b);
  return { docs, hits, score };
}

// ---- the vocabulary: questions and typos ----------------------------------------------------

/** Terms whose text finds at most this many documents whole are checked for typos. */
const FEW = 2;

let vocabReady = null;
function vocabulary() {
  vocabReady ??= load("vocab.json").then(readVocabulary, (e) => { vocabReady = null; throw e; });
  return vocabReady;
}

/** Pinyin of the query's characters (search/py/B.json blocks), beside the vocabulary's own. */
const queryPinyin = new Map();
async function loadPinyin(chars) {
  const blocks = new Set();
  for (const c of chars) {
    const b = (c.codePointAt(0) - 0x3400) >> 8;
    if (b >= 0 && c.codePointAt(0) < 0xa000) blocks.add(b);
  }
  // A block that cannot be had only leaves its characters without sound-alike corrections.
  await Promise.all([...blocks].map((b) => load(`py/${b}.json`).then((t) => readPinyin(t, queryPinyin), () => {})));
}

async function fetchLists(m, terms, lists) {
  const tokens = new Set(terms.flatMap((t) => t.alts.flat(2)));
  await Promise.all([...tokens].filter((t) => !lists.has(t)).map(async (t) => {
    const p = await postings(m, t);
    if (p) lists.set(t, p);
  }));
}

/** The query with corrected words put in place of what was typed. */
function replaced(chars, fixes) {
  const out = [...chars];
  for (const f of [...fixes].sort((a, b) => b.start - a.start)) out.splice(f.start, f.end - f.start, f.text);
  return out.join("");
}

/**
 * Second look at the terms that find little, with the vocabulary: a term nothing holds whole is
 * split into the index's words (a question) and its typos corrected where a character pair is
 * unknown to the index; a term few documents hold may get a suggestion. Returns the new terms
 * and their scores, the words left out, the corrections applied and the suggestion.
 */
async function refine(m, chars, terms, per, lists, correct) {
  const [vocab] = await Promise.all([vocabulary(), loadPinyin(chars)]);
  const readings = (c) => vocab.pinyin.get(c) ?? queryPinyin.get(c);
  const out = [], ignored = [], hints = [];
  terms.forEach((t, i) => {
    const len = t.end - t.start;
    if (!t.cjk || len < 2 || per[i].exact > FEW) return out.push(t);
    if (per[i].exact > 0) {
      const [c] = correct ? corrections(vocab, readings, chars.slice(t.start, t.end)) : [];
      if (c) hints.push({ term: t, fix: cjkAt(m, chars, t.start, t.end, c), exact: per[i].exact });
      return out.push(t);
    }
    const unknown = (a, b) => {
      for (let k = t.start + a; k + 1 < t.start + b; k++) if (!lists.has(chars[k] + chars[k + 1])) return true;
      return false;
    };
    // A typo leaves a character pair the index has never seen: a question's other words,
    // which all exist, are never "corrected".
    const may = correct ? unknown : () => false;
    // A short term typed on its own is one word: corrected as a whole, never split.
    const word = len <= 4 && !t.question;
    const segs = segment(vocab, readings, chars.slice(t.start, t.end), word ? (a, b) => a === 0 && b === len && may(a, b) : may);
    if (word && !segs.some((g) => g.kind)) return out.push(t);
    for (const seg of segs) {
      const [a, b] = [t.start + seg.from, t.start + seg.to];
      if (seg.word !== null) { out.push(cjkAt(m, chars, a, b, seg)); continue; }
      const rest = leftovers(chars.slice(a, b), !word);
      ignored.push(...rest.ignored);
      for (const [x, y] of rest.parts) out.push(cjkAt(m, chars, a + x, a + y));
    }
  });
  await fetchLists(m, [...out, ...hints.map((h) => h.fix)], lists);
  // A correction that finds nothing is no correction: the typed text stays, and shows missing.
  const terms2 = out.map((t) => (t.from && !scoreTerm(m, t, lists).found ? cjkAt(m, chars, t.start, t.end) : t));
  await fetchLists(m, terms2, lists);
  const per2 = terms2.map((t) => scoreTerm(m, t, lists));
  const fixes = terms2.filter((t) => t.from);
  let correction = fixes.length
    ? { query: replaced(chars, fixes), original: chars.join(""), applied: true }
    : null;
  for (const h of hints) {
    const e = scoreTerm(m, h.fix, lists).exact;
    if (!correction && e >= Math.max(3, 3 * h.exact))
      correction = { query: replaced(chars, [h.fix]), original: chars.join(""), applied: false };
  }
  return { terms: terms2, per: per2, ignored, correction };
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
 * a list of values as the facets report them; `correct: false` searches for what was typed,
 * without typo corrections. See the README (`search/search.js`) for what it resolves to.
 */
export async function search(query, { limit = 10, offset = 0, filters = {}, correct = true } = {}) {
  const m = await manifest();
  const q = String(query ?? "");
  await loadT2S(m, q);
  const chars = [...normalize(q.normalize("NFC").replace(/u\u0308/g, "ü"))];
  let { terms, ignored } = parse(m, chars);
  const none = { results: [], total: 0, full: 0, facets: facetCounts(m, []), partial: false, terms: [], missing: [], ignored, correction: null, suggestions: [] };
  if (!terms.length) return none;
  const lists = new Map();
  await fetchLists(m, terms, lists);
  let per = terms.map((t) => scoreTerm(m, t, lists));
  let correction = null;
  if (terms.some((t, i) => t.cjk && t.end - t.start >= 2 && per[i].exact <= FEW)) {
    const r = await refine(m, chars, terms, per, lists, correct);
    ({ terms, per, correction } = r);
    ignored = [...ignored, ...r.ignored];
  }
  const { docs, hits, score } = matchAll(m, terms, per);
  const shown = applyFilters(m, docs, filters);
  const full = shown.filter((d) => hits[d] === terms.length).length;
  const needles = terms.flatMap((t) => t.needles);
  const page = shown.slice(offset, offset + limit);
  const frags = await Promise.all(page.map((d) => load(`d/${d}.json`)));
  const results = page.map((d, i) => {
    const f = frags[i];
    const lacks = terms.filter((_, k) => !per[k].ok[d]).map((t) => t.text);
    return {
      url: f.u, title: f.t, titleHtml: html(marks(f.t, needles)), type: m.types[f.k],
      date: f.d ?? null, province: f.p ?? null, pair: label(m, "pair", m.cols.pair[d]),
      task: label(m, "task", m.cols.task[d]), year: label(m, "year", m.cols.year[d]),
      excerpt: excerpt(f, needles), score: Math.round(score[d] * 100) / 100,
      match: hits[d] === terms.length ? "full" : "partial", missing: lacks,
    };
  });
  return {
    results, total: shown.length, full, facets: facetCounts(m, docs),
    partial: shown.length > 0 && full === 0,
    terms: terms.map((t) => t.text),
    missing: terms.filter((_, k) => !per[k].found).map((t) => t.text),
    ignored,
    correction,
    suggestions: docs.length ? [] : suggest(m, terms, per),
  };
}

function suggest(m, terms, per) {
  const out = new Set();
  for (const t of terms) for (const g of m.synonyms) if (g.some((x) => t.text.includes(x) || x.includes(t.text))) g.forEach((x) => out.add(x));
  if (terms.length > 1) terms.forEach((t, i) => per[i].ok.some(Boolean) && out.add(t.text));
  for (const s of m.suggest) if (out.size < 8) out.add(s);
  return [...out].filter((s) => !terms.some((t) => t.text === s)).slice(0, 8);
}
