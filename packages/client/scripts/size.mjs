// Browser bundle size of createMarketingClient: openapi-fetch + signer + glue, bundled and minified.
// The generated types must add nothing at run time; certificate parsing stays behind its lazy entry.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const BUDGET_GZIP_BYTES = 8192;

export async function measureClient() {
  const result = await build({
    stdin: {
      contents: 'export { createMarketingClient } from "./dist/index.js";',
      resolveDir: new URL("..", import.meta.url).pathname,
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    external: ["./certificates.js", "node:crypto"],
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { minified, gzip } = await measureClient();
  const ok = gzip <= BUDGET_GZIP_BYTES;
  console.log(
    `createMarketingClient: ${minified} B minified, ${gzip} B gzip (budget ${BUDGET_GZIP_BYTES} B) ${ok ? "PASS" : "FAIL"}`,
  );
  if (!ok) process.exitCode = 1;
}
