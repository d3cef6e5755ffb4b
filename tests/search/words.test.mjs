// Unit tests of src/search/words.js, the client's pure query functions (run by tests/search.rs
// with `node --test`). A tiny vocabulary stands in for search/vocab.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { corrections, edit, leftovers, readVocabulary, segment, splitQuestion } from "../../src/search/words.js";

const vocab = readVocabulary({
  words: "就业帮扶车间 东西部协作 以工代赈 吕梁山护工 劳务品牌 车间 就业 毕业",
  df: [9, 8, 7, 2, 6, 5, 9, 3],
  pinyin: "就jiu业ye帮bang扶fu车che,ju间jian东dong西xi部bu协xie作zuo以yi工gong代dai赈zhen吕lv梁liang山shan护hu劳lao务wu品pin牌pai毕bi",
  lookalike: ["间问闻", "赈账"],
});
// The query's own characters read through the same table plus these.
const extra = new Map(Object.entries({ 付: ["fu"], 写: ["xie"], 振: ["zhen"], 派: ["pai"] }));
const readings = (c) => vocab.pinyin.get(c) ?? extra.get(c);
const chars = (s) => [...s];

test("question words and particles are left out, function characters beside them too", () => {
  const q = chars("技校毕业能去哪些省份工作");
  const { pieces, ignored } = splitQuestion(q, 0, q.length);
  assert.deepEqual(pieces.map(([a, b]) => q.slice(a, b).join("")), ["技校毕业", "省份工作"]);
  assert.deepEqual(ignored.sort(), ["去", "哪些", "能"].sort());
  const r = chars("闽宁镇的车间是怎么发展的");
  const s = splitQuestion(r, 0, r.length);
  assert.deepEqual(s.pieces.map(([a, b]) => r.slice(a, b).join("")), ["闽宁镇", "车间", "发展"]);
  // 了 ends a piece only at its end; inside a word (了解) it stays.
  const u = chars("了解劳务品牌了");
  assert.deepEqual(splitQuestion(u, 0, u.length).pieces.map(([a, b]) => u.slice(a, b).join("")), ["了解劳务品牌"]);
});

test("edits: same sound, look-alike, one dropped, one added inside", () => {
  assert.equal(edit(vocab, readings, chars("东西部写作"), chars("东西部协作")), "sound");
  assert.equal(edit(vocab, readings, chars("就业帮扶车问"), chars("就业帮扶车间")), "shape");
  assert.equal(edit(vocab, readings, chars("吕梁山工"), chars("吕梁山护工")), "drop");
  assert.equal(edit(vocab, readings, chars("以工代代赈"), chars("以工代赈")), "add");
  // An extra character at an end is another word, not a typo.
  assert.equal(edit(vocab, readings, chars("为劳务品牌"), chars("劳务品牌")), null);
  assert.equal(edit(vocab, readings, chars("劳务品牌"), chars("劳务品牌")), null);
  assert.equal(edit(vocab, readings, chars("车辆"), chars("车间")), null);
  assert.deepEqual(corrections(vocab, readings, chars("以工代振")).map((c) => c.word), ["以工代赈"]);
});

test("segmentation covers a piece with words, correcting only where allowed", () => {
  const text = (segs, s) => segs.map((g) => g.word ?? s.slice(g.from, g.to).join("|"));
  const s = chars("就业帮付车间");
  assert.deepEqual(text(segment(vocab, readings, s, () => true), s), ["就业帮扶车间"]);
  // Not allowed to correct: the words it knows, and the rest left over.
  assert.deepEqual(text(segment(vocab, readings, s, () => false), s), ["就业", "帮|付", "车间"]);
});

test("leftovers: function characters trimmed, long parts cut into pairs", () => {
  const parts = (s, split) => leftovers(chars(s), split).parts.map(([a, b]) => s.slice(a, b));
  assert.deepEqual(parts("能技校毕业去", true), ["技校", "毕业"]);
  assert.deepEqual(parts("采茶工", true), ["采茶工"]);
  assert.deepEqual(parts("冰雪旅游", false), ["冰雪旅游"]);
  assert.deepEqual(parts("能去", true), []);
  assert.deepEqual(parts("申请成为", true), ["申请"]);
});
