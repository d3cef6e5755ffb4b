// The words of a query, for search.js: question and function words left out, a question split
// into the index's words, and typos corrected towards them (same pinyin ignoring tones, a
// look-alike character, one character dropped or added). Pure functions over the vocabulary
// that search.js fetches (search/vocab.json, built by src/search/vocabulary.rs) and over
// normalised characters; nothing here fetches, tokenises for the index or scores.

/** Question and request words, left out wherever they stand in a query (longest first). */
export const QUESTION_WORDS = [
  "可不可以", "多长时间", "怎么样", "怎么办", "为什么", "什么样", "有没有", "有哪些", "是不是", "能不能", "会不会",
  "要不要", "想知道", "告诉我", "请问", "请教", "想问", "我想", "我要", "我们", "怎么", "怎样", "如何",
  "为何", "什么", "哪些", "哪里", "哪儿", "哪个", "哪家", "哪位", "多少", "是否", "能否", "可否", "可以",
  "一下", "帮我", "多久", "找谁",
].sort((a, b) => b.length - a.length);

/** Particles, left out anywhere: they end a phrase, never start a search word. */
export const PARTICLES = "的吗呢吧啊呀嘛哦";
/** Left out at the end of a piece only, as they also end words (了解 is searched, 好了 is 好). */
export const END_PARTICLES = "了么";
/** Function characters: a piece of a question left between the index's words that holds only
 * these is not searched, and they are trimmed off the ends of longer pieces. */
export const WEAK = "能去到在是有会要想可和与及或被把给对从向让我你他她谁啥几哪怎都也还就才又很最更该应吗呢吧啊呀嘛么的了得地着过个些样此这那里时后前成为用来";

const isCjk = (c) => /[\p{Alphabetic}\p{N}]/u.test(c) && c.codePointAt(0) >= 0x2e80;

/**
 * Splits chars[start, end) (one CJK run of the normalised query) at question words and
 * particles. Returns the pieces as [from, to) and the words left out.
 */
export function splitQuestion(chars, start, end) {
  const pieces = [], ignored = [];
  let from = start;
  const cut = (to) => {
    let a = from, b = to;
    while (b - a > 1 && END_PARTICLES.includes(chars[b - 1])) ignored.push(chars[--b]);
    // Beside a question word, a function character belongs to the question (车间是怎么…,
    // 能去哪些…), not to the words: trimmed, down to two characters.
    while (a > start && b - a > 2 && WEAK.includes(chars[a])) ignored.push(chars[a++]);
    while (to < end && b - a > 2 && WEAK.includes(chars[b - 1])) ignored.push(chars[--b]);
    if (b > a) pieces.push([a, b]);
  };
  for (let i = start; i < end; ) {
    const w = QUESTION_WORDS.find((q) => chars.slice(i, i + [...q].length).join("") === q);
    const n = w ? [...w].length : PARTICLES.includes(chars[i]) ? 1 : 0;
    if (!n) { i++; continue; }
    cut(i);
    ignored.push(chars.slice(i, i + n).join(""));
    i += n;
    from = i;
  }
  cut(end);
  return { pieces, ignored };
}

// ---- the vocabulary -------------------------------------------------------------------------

/** Adds `字du,dou写xie…` (a character, then its toneless readings) to the map `into`. */
export function readPinyin(text, into) {
  let ch = null, buf = "";
  const flush = () => { if (ch) into.set(ch, buf.split(",")); };
  for (const c of text) {
    if (isCjk(c)) { flush(); ch = c; buf = ""; } else buf += c;
  }
  flush();
  return into;
}

/** The vocabulary of vocab.json, ready for look-ups. */
export function readVocabulary(v) {
  const words = new Map();
  const list = v.words ? v.words.split(" ") : [];
  list.forEach((w, i) => words.set(w, v.df[i] ?? 1));
  const byLen = new Map();
  for (const w of list) {
    const n = [...w].length;
    if (!byLen.has(n)) byLen.set(n, []);
    byLen.get(n).push([...w]);
  }
  const look = new Map();
  for (const g of v.lookalike ?? []) {
    for (const c of g) {
      if (!look.has(c)) look.set(c, new Set());
      for (const o of g) if (o !== c) look.get(c).add(o);
    }
  }
  return { words, byLen, look, pinyin: readPinyin(v.pinyin ?? "", new Map()) };
}

// ---- corrections ----------------------------------------------------------------------------

/** Cost of a corrected word in a segmentation, by kind (an exact word costs 1). */
const COST = { sound: 1.3, shape: 1.4, drop: 1.5, add: 1.5 };
/** Cost of a character no word covers. */
const SKIP = 1;
/** Longest word looked for. */
const MAX_WORD = 10;

function sameSound(readings, a, b) {
  const ra = readings(a), rb = readings(b);
  return !!ra && !!rb && ra.some((r) => rb.includes(r));
}

/** Whether `x` is `w` with one character left out (both arrays of characters). */
function oneDropped(x, w) {
  let i = 0;
  while (i < x.length && x[i] === w[i]) i++;
  for (let k = i; k < x.length; k++) if (x[k] !== w[k + 1]) return false;
  return true;
}

/**
 * How the typed characters `x` are one edit away from the word `w`: "sound" (every differing
 * character reads the same, ignoring tones), "shape" (one differs and looks alike), "drop" (one
 * left out of a word of four or more), "add" (one too many inside a word of three or more); null
 * otherwise, and for `x` equal to `w`.
 */
export function edit(vocab, readings, x, w) {
  if (x.length === w.length) {
    const diff = [];
    for (let i = 0; i < x.length; i++) if (x[i] !== w[i]) diff.push(i);
    if (!diff.length) return null;
    if (diff.every((i) => sameSound(readings, x[i], w[i]))) return "sound";
    if (diff.length === 1 && vocab.look.get(x[diff[0]])?.has(w[diff[0]])) return "shape";
    return null;
  }
  if (w.length === x.length + 1 && x.length >= 3 && oneDropped(x, w)) return "drop";
  // An extra character at either end is a word boundary, not a typo (为劳务品牌 is 为 + 劳务品牌).
  if (x.length === w.length + 1 && w.length >= 3 && x[0] === w[0] && x.at(-1) === w.at(-1) && oneDropped(w, x))
    return "add";
  return null;
}

/** Vocabulary words one edit away from `x` (an array of characters), the likeliest first. */
export function corrections(vocab, readings, x) {
  const out = [];
  for (const n of [x.length, x.length + 1, x.length - 1]) {
    for (const w of vocab.byLen.get(n) ?? []) {
      const kind = edit(vocab, readings, x, w);
      if (kind) out.push({ word: w.join(""), kind, df: vocab.words.get(w.join("")) });
    }
  }
  return out.sort((a, b) => COST[a.kind] - COST[b.kind] || b.df - a.df || (a.word < b.word ? -1 : 1));
}

/**
 * Covers `chars` (a piece of the query) with vocabulary words, fewest and longest first, at the
 * least cost: an exact word costs 1, a corrected one (only where `mayCorrect(from, to)`) a little
 * more, and a character no word covers 1 each. Returns segments {from, to, word, kind}: `word`
 * is the vocabulary word (corrected when `kind` is set), or null for characters no word covers.
 */
export function segment(vocab, readings, chars, mayCorrect) {
  const n = chars.length, best = [{ cost: 0 }];
  const relax = (i, j, cost, seg) => {
    if (!best[j] || cost < best[j].cost - 1e-9) best[j] = { cost, back: i, seg };
  };
  for (let i = 0; i < n; i++) {
    if (!best[i]) continue;
    const base = best[i].cost;
    relax(i, i + 1, base + SKIP, null);
    for (let j = i + 2; j <= Math.min(n, i + MAX_WORD); j++) {
      const x = chars.slice(i, j), text = x.join("");
      if (vocab.words.has(text)) relax(i, j, base + 1, { word: text, kind: null });
      else if (mayCorrect(i, j)) {
        const [c] = corrections(vocab, readings, x);
        if (c) relax(i, j, base + COST[c.kind], { word: c.word, kind: c.kind });
      }
    }
  }
  const segs = [];
  for (let j = n; j > 0; j = best[j].back) {
    const s = best[j].seg;
    const from = best[j].back;
    if (!s && segs.length && segs[0].word === null && segs[0].from === j) segs[0].from = from;
    else segs.unshift({ from, to: j, word: s?.word ?? null, kind: s?.kind ?? null });
  }
  return segs;
}

/**
 * The searchable parts of characters no vocabulary word covers: function characters are
 * trimmed off both ends, a part of only those is dropped, and (with `split`) a part of four or
 * more characters is cut into pairs (a question's words are mostly two characters long). Returns
 * [from, to) ranges relative to `chars` and the text left out.
 */
export function leftovers(chars, split = true) {
  let a = 0, b = chars.length;
  const ignored = [];
  while (a < b && WEAK.includes(chars[a])) a++;
  while (b > a && WEAK.includes(chars[b - 1])) b--;
  if (a > 0) ignored.push(chars.slice(0, a).join(""));
  if (b < chars.length) ignored.push(chars.slice(b).join(""));
  if (b - a < 2) {
    if (b > a) ignored.push(chars.slice(a, b).join(""));
    return { parts: [], ignored };
  }
  if (b - a < 4 || !split) return { parts: [[a, b]], ignored };
  const parts = [];
  for (let i = a; i < b; ) {
    const to = b - i === 3 ? b : i + 2;
    parts.push([i, to]);
    i = to;
  }
  return { parts: parts.filter(([x, y]) => !chars.slice(x, y).every((c) => WEAK.includes(c))), ignored };
}
