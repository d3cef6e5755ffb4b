// Lets search.js run in Node: fetch() of file: URLs reads the built site, and every file read
// is recorded with its gzip size so callers can count the bytes a query would transfer.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const fetched = [];

globalThis.fetch = async (input) => {
  // Relative URLs (Pagefind builds some) resolve against the page, as in a browser.
  const url = new URL(String(input), globalThis.location?.href);
  url.search = "";
  const path = fileURLToPath(url);
  let bytes;
  try {
    bytes = await readFile(path);
  } catch {
    return { ok: false, status: 404 };
  }
  fetched.push({ path, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  return {
    ok: true,
    status: 200,
    json: async () => JSON.parse(bytes.toString("utf8")),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
};
