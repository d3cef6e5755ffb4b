// Runs the judged queries (queries.json) through the real search.js over a built site and prints
// recall@10 and MRR as JSON. Usage: node judge.mjs BUILT_SITE_DIR BASE_PATH
import { fetched } from "./fetch_shim.mjs";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [dir, base = "/"] = process.argv.slice(2);
const { search } = await import(pathToFileURL(`${dir}/search/search.js`).href);
const queries = JSON.parse(await readFile(new URL("./queries.json", import.meta.url), "utf8"));
let recall = 0, rr = 0;
const misses = [];
for (const { q, relevant } of queries) {
  const { results } = await search(q, { limit: 10 });
  const urls = results.map((r) => r.url.slice(base.length));
  const found = relevant.filter((u) => urls.includes(u)).length;
  recall += found / relevant.length;
  const first = urls.findIndex((u) => relevant.includes(u));
  rr += first < 0 ? 0 : 1 / (first + 1);
  if (found < relevant.length || first !== 0) misses.push({ q, relevant, got: urls.slice(0, 5) });
}
const n = queries.length;
console.log(JSON.stringify({ queries: n, recall_at_10: recall / n, mrr: rr / n, files: fetched.length, misses }, null, 1));
