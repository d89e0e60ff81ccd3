// Browser bundle size of a package entry, the way the packages' size budgets measure it:
// esbuild, bundled and minified as ESM for the browser, then gzip at level 9.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** @param {import("esbuild").BuildOptions} options entryPoints or stdin, and what stays external */
export async function measureBundle(options) {
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    ...options,
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** Prints `label: N B minified, M B gzip (budget B) PASS|FAIL` and says whether it fits. */
export function reportBundle(label, { minified, gzip }, budget) {
  const ok = gzip <= budget;
  console.log(
    `${label}: ${minified} B minified, ${gzip} B gzip (budget ${budget} B) ${ok ? "PASS" : "FAIL"}`,
  );
  return ok;
}
