import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUPON_VECTORS_PATH, hasSharedVectors, TEST_VECTORS_PATH } from "../test/helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

// The deno and bun npm packages ship their binaries; resolve them from this package, once.
let binDir: string | undefined;
function binary(name: "deno" | "bun"): string {
  binDir ??= execFileSync("pnpm", ["bin"], { cwd: packageDir, encoding: "utf8" }).trim();
  return `${binDir}/${name}`;
}

/**
 * A directory where the built package is installed as a consumer gets it (package.json and
 * dist under node_modules), so each runtime resolves its exports and `#platform` imports
 * itself; run in place, Bun would follow this package's tsconfig paths to the sources.
 */
function stageInstall(): string {
  const dir = mkdtempSync(join(tmpdir(), "signer-conformance-"));
  const installed = join(dir, "node_modules/@wechatpay-marketing/signer");
  for (const file of ["package.json", "dist"]) {
    cpSync(join(packageDir, file), join(installed, file), { recursive: true });
  }
  writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  cpSync(join(packageDir, "scripts/conformance.mjs"), join(dir, "conformance.mjs"));
  return dir;
}

describe.skipIf(!hasSharedVectors)(
  "conformance of the built package under Node, Deno and Bun, node and web builds (needs ../shared)",
  () => {
    let dir = "";
    beforeAll(() => {
      // Build the dist the runtimes load, so this test never checks a stale build.
      execFileSync(
        process.execPath,
        [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
        { cwd: packageDir, stdio: "inherit" },
      );
      dir = stageInstall();
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // Each runtime resolves #platform to the node build by default; --conditions=browser
    // picks the web build (WebCrypto only), as browser bundlers do.
    const runtimes: [string, (flags: string[]) => string[]][] = [
      ["node", (flags) => [process.execPath, ...flags]],
      ["deno", (flags) => [binary("deno"), "run", "--allow-read", "--no-prompt", ...flags]],
      ["bun", (flags) => [binary("bun"), ...flags]],
    ];
    const label = { node: "Node.js", deno: "Deno", bun: "Bun" } as Record<string, string>;
    const builds: [string, string[], (runtime: string) => string][] = [
      ["node", [], (runtime) => `(${label[runtime]}/`],
      ["web", ["--conditions=browser"], () => "(web)"],
    ];
    for (const [name, command] of runtimes) {
      for (const [build, flags, expected] of builds) {
        it(`${name} runs the conformance script on the ${build} build`, () => {
          const [file, ...args] = command(flags);
          const output = execFileSync(
            file as string,
            [...args, "conformance.mjs", TEST_VECTORS_PATH, COUPON_VECTORS_PATH],
            {
              cwd: dir,
              encoding: "utf8",
              env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
            },
          );
          expect(output).toMatch(/conformance ok/);
          expect(output).toContain("; 12 coupon-delivery vectors)");
          expect(output).toContain(expected(name));
        }, 60_000);
      }
    }
  },
);
