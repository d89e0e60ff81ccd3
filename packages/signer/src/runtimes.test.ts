import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { hasSharedVectors, TEST_VECTORS_PATH } from "../test/helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("../scripts/conformance.mjs", import.meta.url));
const require = createRequire(import.meta.url);

// The deno and bun npm packages ship their binaries; resolve them from this package.
function binary(name: "deno" | "bun"): string {
  const bin = execFileSync("pnpm", ["bin"], { cwd: packageDir, encoding: "utf8" }).trim();
  return `${bin}/${name}`;
}

describe.skipIf(!hasSharedVectors)(
  "conformance of the built dist under Node, Deno and Bun (needs ../shared)",
  () => {
    beforeAll(() => {
      // Build the dist the runtimes load, so this test never checks a stale build.
      execFileSync(
        process.execPath,
        [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
        {
          cwd: packageDir,
          stdio: "inherit",
        },
      );
    }, 120_000);

    const runtimes: [string, () => string[]][] = [
      ["node", () => [process.execPath, script, TEST_VECTORS_PATH]],
      [
        "deno",
        () => [binary("deno"), "run", "--allow-read", "--no-prompt", script, TEST_VECTORS_PATH],
      ],
      ["bun", () => [binary("bun"), script, TEST_VECTORS_PATH]],
    ];
    for (const [name, command] of runtimes) {
      it(`${name} runs the conformance script`, () => {
        const [file, ...args] = command();
        const output = execFileSync(file as string, args, {
          cwd: packageDir,
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
        });
        expect(output).toMatch(/conformance ok/);
        const label = { node: "Node.js", deno: "Deno", bun: "Bun" }[name];
        expect(output).toContain(`(${label}/`);
      }, 60_000);
    }
  },
);
