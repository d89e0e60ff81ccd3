// Browser bundle size of the main entry. External: the certificates module and the Node fast
// path (node-crypto.js), both loaded by dynamic import only on runtimes with node:crypto.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

// The target is 4 KB gzip. The main entry does not meet it yet (about 4.4 KB, from 5.4 KB);
// the test enforces CEILING_GZIP_BYTES so it cannot grow while it is being trimmed, and the
// bench reports PASS/FAIL against the 4 KB target.
export const BUDGET_GZIP_BYTES = 4096;
export const CEILING_GZIP_BYTES = 4608;

export async function measureMainEntry() {
  const result = await build({
    entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    external: ["./certificates.js", "./node-crypto.js", "node:crypto"],
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { minified, gzip } = await measureMainEntry();
  const ok = gzip <= BUDGET_GZIP_BYTES;
  console.log(
    `main entry: ${minified} B minified, ${gzip} B gzip (budget ${BUDGET_GZIP_BYTES} B) ${ok ? "PASS" : "FAIL"}`,
  );
  if (!ok) process.exitCode = 1;
}
