// Runs the judged queries (queries.json) through the real search.js over a built site and prints
// recall@10 and MRR as JSON, overall and per kind, with the queries whose expectations fail.
// Usage: node judge.mjs BUILT_SITE_DIR BASE_PATH
//
// A query may also expect what the client API says besides its results: `correction` (the
// corrected query it runs instead of a typo) and `missing` (the words no page holds, which
// make every result partial). Those checks are reported as `failed`.
import { fetched } from "./fetch_shim.mjs";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [dir, base = "/"] = process.argv.slice(2);
const { search } = await import(pathToFileURL(`${dir}/search/search.js`).href);
const queries = JSON.parse(await readFile(new URL("./queries.json", import.meta.url), "utf8"));
const kinds = {};
const misses = [], failed = [];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
for (const { q, kind, relevant, correction, missing } of queries) {
  const res = await search(q, { limit: 10 });
  const urls = res.results.map((r) => r.url.slice(base.length));
  const found = relevant.filter((u) => urls.includes(u)).length;
  const first = urls.findIndex((u) => relevant.includes(u));
  const k = (kinds[kind] ??= { queries: 0, recall: 0, rr: 0 });
  k.queries++;
  k.recall += found / relevant.length;
  k.rr += first < 0 ? 0 : 1 / (first + 1);
  if (found < relevant.length || first !== 0) misses.push({ q, relevant, got: urls.slice(0, 5) });
  if (correction !== undefined && !(res.correction?.applied && res.correction.query === correction))
    failed.push({ q, want: { correction }, got: res.correction ?? null });
  if (missing !== undefined && !(same(res.missing ?? null, missing) && res.partial && res.results.every((r) => r.match === "partial")))
    failed.push({ q, want: { missing, partial: true }, got: { missing: res.missing, partial: res.partial } });
}
const figures = (list) => {
  const n = list.reduce((s, k) => s + k.queries, 0);
  return {
    queries: n,
    recall_at_10: list.reduce((s, k) => s + k.recall, 0) / n,
    mrr: list.reduce((s, k) => s + k.rr, 0) / n,
  };
};
// The categories added with typo tolerance are reported apart from the ones before them, whose
// figures must hold as they were.
const NEW = ["typo", "question", "partial"];
const out = {
  ...figures(Object.entries(kinds).filter(([k]) => !NEW.includes(k)).map(([, v]) => v)),
  all: figures(Object.values(kinds)),
  kinds: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, figures([v])])),
  files: fetched.length,
  failed,
  misses,
};
console.log(JSON.stringify(out, null, 1));
