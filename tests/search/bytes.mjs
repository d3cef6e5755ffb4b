// Bytes a browser would transfer per query. Usage:
//   node bytes.mjs xiezuo|pagefind BUILT_SITE_DIR [JUDGE_BASE]
// Prints JSON: the first (cold) query's bytes, each later query's new bytes (files already
// fetched are cached, as the browser's HTTP cache and search.js's own cache would), raw and gzip.
// With JUDGE_BASE, also recall@10 / MRR of the judged queries (queries.json).
import { fetched } from "./fetch_shim.mjs";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [engine, dir, judgeBase] = process.argv.slice(2);
const QUERIES = ["劳务协作", "沙县小吃", "勞務協作", "贵州 技能培训", "就业帮扶车间", "shaxian", "粤黔协作", "护工", "2023年 稳岗就业", "吕梁"];

let run;
if (engine === "xiezuo") {
  const { search } = await import(pathToFileURL(`${dir}/search/search.js`).href);
  run = async (q) => (await search(q, { limit: 10 })).results.map((r) => r.url);
} else {
  globalThis.window = globalThis; // pagefind.js expects a browser-like global
  globalThis.location = { href: pathToFileURL(`${dir}/`).href, origin: "file://" };
  globalThis.document = { currentScript: null, querySelector: () => null };
  const pf = await import(pathToFileURL(`${dir}/pagefind/pagefind.js`).href);
  await pf.options({ basePath: pathToFileURL(`${dir}/pagefind/`).href });
  await pf.init();
  run = async (q) => {
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    // With a file: base, Pagefind's URLs start with the site folder; make them root-relative.
    return data.map((d) => d.url.replace(dir.replace(/\/$/, ""), ""));
  };
}

const seen = new Set();
async function measure(q) {
  const start = fetched.length;
  const urls = await run(q);
  let raw = 0, gzip = 0;
  for (const f of fetched.slice(start)) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    raw += f.raw;
    gzip += Math.min(f.gzip, f.raw);
  }
  return { q, raw, gzip, hits: urls.length, urls };
}

const per = [];
for (const q of QUERIES) per.push(await measure(q));
const later = per.slice(1);
const out = {
  engine,
  first_gzip: per[0].gzip,
  first_raw: per[0].raw,
  later_max_gzip: Math.max(...later.map((x) => x.gzip)),
  later_avg_gzip: Math.round(later.reduce((s, x) => s + x.gzip, 0) / later.length),
  per: per.map(({ q, raw, gzip, hits }) => ({ q, raw, gzip, hits })),
};
if (judgeBase !== undefined) {
  const queries = JSON.parse(await readFile(new URL("./queries.json", import.meta.url), "utf8"));
  let recall = 0, rr = 0;
  for (const { q, relevant } of queries) {
    const urls = (await run(q)).map((u) => u.slice(judgeBase.length));
    const clean = urls.map((u) => u.replace(/index\.html$/, ""));
    recall += relevant.filter((u) => clean.includes(u)).length / relevant.length;
    const first = clean.findIndex((u) => relevant.includes(u));
    rr += first < 0 ? 0 : 1 / (first + 1);
  }
  out.recall_at_10 = recall / queries.length;
  out.mrr = rr / queries.length;
}
console.log(JSON.stringify(out));
