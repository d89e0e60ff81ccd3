// pnpm bench: what unsigned oversized requests cost the sandbox. Each case runs against a fresh
// sandbox in a child process, which reports its peak RSS while the attack streams 256 MB per
// request (one reused 64 KiB chunk on this side). Figures are printed, never asserted: the
// attack suite (src/attacks.test.ts) asserts that every such request is refused early.
import { fork } from "node:child_process";
import { request } from "node:http";

const MB = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 0x5b);

function stream(port, { path, headers, bytes, declareLength }) {
  return new Promise((resolve) => {
    let written = 0;
    const req = request({
      host: "127.0.0.1",
      port: Number(port),
      method: "POST",
      path,
      headers: { ...headers, ...(declareLength ? { "Content-Length": String(bytes) } : {}) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, written }));
    });
    req.on("error", (error) => resolve({ status: error.code, written }));
    const pump = () => {
      while (written < bytes && !req.destroyed) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

const json = { "Content-Type": "application/json", Accept: "application/json", "User-Agent": "b" };
const cases = [
  ["chunked JSON", { path: "/v3/marketing/busifavor/stocks", headers: json }],
  [
    "Content-Length JSON",
    { path: "/v3/marketing/busifavor/stocks", headers: json, declareLength: true },
  ],
  [
    "chunked upload",
    {
      path: "/v3/marketing/favor/media/image-upload",
      headers: { ...json, "Content-Type": "multipart/form-data; boundary=x" },
    },
  ],
  ["control API", { path: "/sandbox/faults", headers: { "Content-Type": "application/json" } }],
];

console.log("sandbox limits: unsigned 256 MB requests, each case on a fresh sandbox process");
for (const [name, options] of cases) {
  for (const parallel of [1, 16]) {
    const child = fork(new URL("./limits-server.mjs", import.meta.url), { stdio: "inherit" });
    const next = () => new Promise((resolve) => child.once("message", resolve));
    const { url, rss: idle } = await next();
    const { port } = new URL(url);
    child.send("start");
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: parallel }, () => stream(port, { ...options, bytes: 256 * MB })),
    );
    const ms = performance.now() - started;
    child.send("stop");
    const { peak } = await next();
    child.send("close");
    const sent = answers.reduce((sum, a) => sum + a.written, 0);
    const statuses = [...new Set(answers.map((a) => a.status))].join("/");
    console.log(
      `  ${name}, ${parallel} x 256 MB: answered ${statuses} in ${ms.toFixed(0)} ms, ${(sent / MB).toFixed(1)} MB sent by then in all; sandbox RSS ${(idle / MB).toFixed(1)} -> peak ${(peak / MB).toFixed(1)} MB (+${((peak - idle) / MB).toFixed(1)} MB)`,
    );
  }
}
