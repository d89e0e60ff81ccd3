// Browser bundle size of a package entry, the way the packages' size budgets measure it:
// esbuild, bundled and minified as ESM for the browser, then gzip at level 9.
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";

export interface BundleSize {
  minified: number;
  gzip: number;
}

/** @param options entryPoints or stdin, plugins, and what stays external */
export async function measureBundle(options: BuildOptions): Promise<BundleSize> {
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
    ...options,
    write: false,
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output file");
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** Prints `label: N B minified, M B gzip (budget B) PASS|FAIL` and says whether it fits. */
export function reportBundle(
  label: string,
  { minified, gzip }: BundleSize,
  budget: number,
): boolean {
  const ok = gzip <= budget;
  console.log(
    `${label}: ${minified} B minified, ${gzip} B gzip (budget ${budget} B) ${ok ? "PASS" : "FAIL"}`,
  );
  return ok;
}
