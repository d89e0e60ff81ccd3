// @ts-check
// A tiny static file server (node:http) for the built site: preview, browser tests and the bench.
// Only GET/HEAD of files under `root`; gzip when the client accepts it, like any static host or CDN.
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".yaml", ".txt", ".svg"]);

/**
 * @typedef {object} StaticServer
 * @property {string} url `http://127.0.0.1:<port>/`
 * @property {number} port
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ root: string, port?: number, host?: string, gzip?: boolean }} options
 * @returns {Promise<StaticServer>}
 */
export async function startStaticServer({ root, port = 0, host = "127.0.0.1", gzip = true }) {
  const base = resolve(root);
  /** @type {Map<string, Buffer>} */
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = normalize(join(base, pathname));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      /** @type {Buffer} */
      let body = await readFile(file);
      const ext = extname(file);
      /** @type {Record<string, string>} */
      const headers = {
        "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      };
      if (gzip && COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        const cached = gzipped.get(file);
        const compressed = cached ?? gzipSync(body);
        if (!cached) gzipped.set(file, compressed);
        body = compressed;
        headers["content-encoding"] = "gzip";
        headers.vary = "accept-encoding";
      }
      headers["content-length"] = String(body.length);
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  await new Promise((ready, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ready(undefined));
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done(undefined)));
      }),
  };
}
