// axe-core gate: builds the demo site under a sub-path with the given xiezuo binary, serves it,
// and runs axe-core (WCAG 2.0/2.1 A and AA rules) in Debian's Chromium through playwright-core
// over one page of every kind: at 1280 px plain, with 大字, with 高对比 and with both, and at
// 390 px plain and with 大字. Exits 1 on any violation, listing each with its page and mode.
//
//   node .ci/a11y/axe.mjs XIEZUO_BINARY SITE_DIR
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [binary, siteDir] = process.argv.slice(2);
if (!binary || !siteDir) {
  console.error("usage: node axe.mjs XIEZUO_BINARY SITE_DIR");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browserPath = [process.env.CHROMIUM, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => p && existsSync(p));
if (!browserPath) {
  console.error("axe gate: Chromium not found (apt-get install chromium, or set CHROMIUM)");
  process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), "xiezuo-axe-"));
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".bin": "application/octet-stream" };
const server = createServer((req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path.includes("..")) path = "/404.html";
  let file = join(root, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/dxbrs/`;
const build = spawnSync(binary, ["build", siteDir, "-o", join(root, "dxbrs"), "--base-url", base], { encoding: "utf8" });
if (build.status !== 0) {
  console.error(build.stderr);
  process.exit(1);
}

const out = join(root, "dxbrs");
const first = (dir) => readdirSync(join(out, dir)).filter((d) => statSync(join(out, dir, d)).isDirectory() && d !== "page").sort()[0];
const pages = [
  "", "cases/", `cases/${first("cases")}/`, "cases/qiandongnan-foshan/", "brands/", `brands/${first("brands")}/`,
  "bulletins/", `bulletins/${first("bulletins")}/`, "provinces/", "provinces/guizhou/", "pairs/", `pairs/${first("pairs")}/`,
  "tasks/", `tasks/${first("tasks")}/`, "tags/", `tags/${first("tags")}/`, "about/", "stats/",
  "search/", "search/?q=%E5%8A%B3%E5%8A%A1%E5%8D%8F%E4%BD%9C", "404.html",
];
const runs = [
  { width: 1280, modes: [] }, { width: 1280, modes: ["large"] }, { width: 1280, modes: ["contrast"] },
  { width: 1280, modes: ["large", "contrast"] }, { width: 390, modes: [] }, { width: 390, modes: ["large"] },
];

const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox", "--disable-gpu"] });
let failures = 0;
let checked = 0;
for (const { width, modes } of runs) {
  const context = await browser.newContext({ viewport: { width, height: width < 800 ? 844 : 900 } });
  // The toggles are remembered in localStorage: set them as a reader who pressed them would.
  await context.addInitScript((on) => { for (const m of on) localStorage.setItem("xiezuo-" + m, "on"); }, modes);
  const page = await context.newPage();
  for (const path of pages) {
    await page.goto(base + path);
    if (path.includes("?q=")) await page.waitForFunction(() => /\d/.test(document.getElementById("search-status")?.textContent ?? ""));
    const on = await page.evaluate(() => document.documentElement.className);
    for (const m of modes) if (!on.includes("mode-" + m)) throw new Error(`${path}: mode ${m} did not apply`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    checked++;
    for (const v of result.violations) {
      failures++;
      console.log(`${path || "/"} @${width} ${modes.join("+") || "plain"}: ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 5)) console.log(`    ${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1).join(" ").trim()}`);
    }
  }
  await context.close();
}
await browser.close();
server.close();
rmSync(root, { recursive: true, force: true });
console.log(`axe-core ${JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version}: ${checked} page views, ${failures} violations`);
process.exit(failures ? 1 : 0);
