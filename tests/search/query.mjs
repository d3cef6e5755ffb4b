// Prints what search.js answers for one query over a built site, as JSON (without the facets),
// for tests that assert on the client API. Usage: node query.mjs BUILT_SITE_DIR QUERY [nocorrect]
import "./fetch_shim.mjs";
import { pathToFileURL } from "node:url";

const [dir, q, flag] = process.argv.slice(2);
const { search } = await import(pathToFileURL(`${dir}/search/search.js`).href);
const { facets, ...res } = await search(q, { limit: 10, correct: flag !== "nocorrect" });
console.log(JSON.stringify(res));
