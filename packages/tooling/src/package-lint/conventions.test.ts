import { describe, expect, it } from "vitest";
import { checkConventions, type PackedManifest } from "./conventions.js";

const good: PackedManifest = {
  name: "@wechatpay-marketing/example",
  type: "module",
  sideEffects: false,
  engines: { node: ">=20.19" },
  license: "MIT",
  repository: { url: "git+https://example.invalid/repo.git", directory: "packages/example" },
  files: ["dist", "README.md"],
  exports: {
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./assets/*": "./dist/assets/*",
    "./package.json": "./package.json",
  },
  bin: { example: "./dist/cli.js" },
  dependencies: { "@wechatpay-marketing/signer": "^0.1.0" },
};
const files = [
  "package.json",
  "README.md",
  "dist/index.js",
  "dist/index.d.ts",
  "dist/cli.js",
  "dist/assets/logo.svg",
];

describe("checkConventions", () => {
  it("finds nothing wrong with a package that follows DESIGN.md", () => {
    expect(checkConventions(good, files)).toEqual([]);
  });

  it("names each missing field", () => {
    expect(checkConventions({ name: "x" }, [])).toEqual([
      '"type" must be "module" (ESM only)',
      '"sideEffects" must be false',
      '"engines.node" is missing',
      '"license" is missing',
      '"repository" needs url and directory',
      '"files" allowlist is missing',
      "README.md is not in the tarball",
      '"exports" is missing',
      '"exports" lacks "./package.json"',
    ]);
  });

  it("wants types first, and every export and bin target shipped", () => {
    const manifest: PackedManifest = {
      ...good,
      exports: {
        ".": { default: "./dist/index.js", types: "./dist/index.d.ts" },
        "./missing": "./dist/missing.js",
        "./fonts/*": "./dist/fonts/*",
        "./package.json": "./package.json",
      },
      bin: "./dist/absent.js",
    };
    expect(checkConventions(manifest, files)).toEqual([
      'exports["."]: "types" must be the first condition',
      'exports["./missing"] → ./dist/missing.js is not in the tarball',
      'exports["./fonts/*"] → ./dist/fonts/* matches no file',
      "bin @wechatpay-marketing/example → ./dist/absent.js is not in the tarball",
    ]);
  });

  it("refuses workspace: ranges and stray files", () => {
    const manifest = {
      ...good,
      peerDependencies: { "@wechatpay-marketing/client": "workspace:^" },
    };
    expect(
      checkConventions(manifest, [
        ...files,
        "dist/index.test.js",
        "dist/types.test-d.d.ts",
        "src/generated/marketing.gen.ts",
        "pkg.tgz",
      ]),
    ).toEqual([
      'peerDependencies.@wechatpay-marketing/client is still "workspace:^"',
      "ships files it should not: dist/index.test.js, dist/types.test-d.d.ts, src/generated/marketing.gen.ts, pkg.tgz",
    ]);
  });
});
