import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StaticServer, startStaticServer } from "./static-server.js";

let root: string;
let server: StaticServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "docs-static-"));
  mkdirSync(join(root, "sub"));
  writeFileSync(join(root, "index.html"), "<!doctype html><title>首页</title>");
  writeFileSync(join(root, "app.js"), "console.log(1);\n".repeat(50));
  writeFileSync(join(root, "sub", "index.html"), "sub");
  writeFileSync(join(root, "..", "docs-static-secret.txt"), "secret");
  server = await startStaticServer({ root });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(join(root, "..", "docs-static-secret.txt"), { force: true });
});

/** A raw request, so that paths like /../ reach the server unnormalised. */
function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (done, fail) => {
      const req = request(`${server.url.replace(/\/$/, "")}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on("error", fail);
      req.end();
    },
  );
}

describe("startStaticServer", () => {
  it("listens on 127.0.0.1 on a free port and serves index.html for /", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body.toString()).toContain("首页");
    expect((await get("/sub/")).body.toString()).toBe("sub");
  });

  it("gzips text when the client accepts it, with the right types", async () => {
    const res = await get("/app.js", { "accept-encoding": "gzip, br" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(gunzipSync(res.body).toString()).toBe("console.log(1);\n".repeat(50));
    expect((await get("/app.js")).headers["content-encoding"]).toBeUndefined();
  });

  it("answers 404 for missing files, 403 outside the root, 405 for writes, no body for HEAD", async () => {
    expect((await get("/missing.html")).status).toBe(404);
    // The URL parser resolves dot segments; an encoded slash is caught after decoding.
    expect((await get("/../docs-static-secret.txt")).status).toBe(404);
    expect((await get("/%2e%2e/docs-static-secret.txt")).status).toBe(404);
    expect((await get("/..%2fdocs-static-secret.txt")).status).toBe(403);
    expect((await get("/", {}, "POST")).status).toBe(405);
    const head = await get("/", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});
