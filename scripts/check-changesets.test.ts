import { describe, expect, it } from "vitest";
import {
  findUncoveredPackages,
  globToRegExp,
  isReleaseRelevant,
  packagesOfFile,
  parseChangeset,
} from "./check-changesets.mjs";

const packages = [
  {
    name: "@wechatpay-marketing/openapi",
    dir: "packages/openapi",
    sources: ["specs/marketing/**", "specs/redocly.yaml"],
  },
  { name: "@wechatpay-marketing/signer", dir: "packages/signer", sources: [] },
  { name: "@wechatpay-marketing/client", dir: "packages/client", sources: [] },
  {
    name: "@wechatpay-marketing/docs",
    dir: "packages/docs",
    sources: ["specs/redocly.yaml", "tsconfig.base.json"],
  },
  { name: "@wechatpay-marketing/sandbox", dir: "packages/sandbox", sources: [] },
];

const changeset = (file: string, text: string) => parseChangeset(file, text);
const decide = (changedFiles: string[], changesets: ReturnType<typeof parseChangeset>[] = []) =>
  findUncoveredPackages({ changedFiles, packages, changesets });

describe("parseChangeset", () => {
  it("reads quoted and bare package names with their bumps", () => {
    expect(
      changeset(
        "a.md",
        '---\n"@wechatpay-marketing/client": minor\n@wechatpay-marketing/signer: patch\n---\n\nText\n',
      ).releases,
    ).toEqual([
      { name: "@wechatpay-marketing/client", type: "minor" },
      { name: "@wechatpay-marketing/signer", type: "patch" },
    ]);
  });

  it("reads an empty changeset as no releases", () => {
    expect(changeset("empty.md", "---\n---\n").releases).toEqual([]);
    expect(changeset("empty.md", "---\n---\n\nInternal refactor.\n").releases).toEqual([]);
  });

  it("accepts CRLF files", () => {
    expect(
      changeset("crlf.md", '---\r\n"@wechatpay-marketing/docs": patch\r\n---\r\n').releases,
    ).toHaveLength(1);
  });

  it("rejects a file without front matter and an unknown bump", () => {
    expect(() => changeset("x.md", "Just text\n")).toThrow(/x\.md: no front matter/);
    expect(() => changeset("y.md", '---\n"@wechatpay-marketing/docs": huge\n---\n')).toThrow(
      /y\.md: cannot read/,
    );
  });
});

describe("which files ask for a release", () => {
  it.each([
    "packages/client/src/client.ts",
    "packages/client/package.json",
    "packages/openapi/scripts/bundle.mjs",
    "packages/docs/site/template.hbs",
  ])("%s does", (file) => expect(isReleaseRelevant(file)).toBe(true));

  it.each([
    "packages/client/src/client.test.ts",
    "packages/client/src/types.test-d.ts",
    "packages/sandbox/test/fixtures.ts",
    "packages/signer/bench/run.mjs",
    "packages/signer/vitest.config.ts",
    "packages/docs/README.md",
    "packages/docs/CHANGELOG.md",
  ])("%s does not", (file) => expect(isReleaseRelevant(file)).toBe(false));

  it("maps spec sources outside packages/ to the packages built from them", () => {
    expect(packagesOfFile("specs/marketing/paths/busifavor/stocks.yaml", packages)).toEqual([
      "@wechatpay-marketing/openapi",
    ]);
    expect(packagesOfFile("specs/redocly.yaml", packages).sort()).toEqual([
      "@wechatpay-marketing/docs",
      "@wechatpay-marketing/openapi",
    ]);
    expect(packagesOfFile("specs/test/coverage.test.ts", packages)).toEqual([]);
    expect(packagesOfFile("scripts/demo.mjs", packages)).toEqual([]);
    expect(packagesOfFile("packages/signer-extra/x.ts", packages)).toEqual([]);
  });

  it("globs: ** spans folders, * stays in one", () => {
    expect(globToRegExp("specs/marketing/**").test("specs/marketing/a/b/c.yaml")).toBe(true);
    expect(globToRegExp("specs/*.yaml").test("specs/redocly.yaml")).toBe(true);
    expect(globToRegExp("specs/*.yaml").test("specs/marketing/openapi.yaml")).toBe(false);
    expect(globToRegExp("**/x.json").test("x.json")).toBe(true);
    expect(globToRegExp("tsconfig.base.json").test("tsconfigXbaseXjson")).toBe(false);
  });
});

describe("findUncoveredPackages", () => {
  it("passes when nothing release-relevant changed, without any changeset", () => {
    const result = decide([
      "README.md",
      "scripts/demo.mjs",
      "packages/client/src/client.test.ts",
      "specs/test/examples.test.ts",
    ]);
    expect(result.changed).toEqual([]);
    expect(result.uncovered).toEqual([]);
  });

  it("names every changed package that no changeset covers", () => {
    const result = decide(
      ["packages/client/src/client.ts", "packages/signer/src/sign.ts", "packages/sandbox/src/a.ts"],
      [changeset("c.md", '---\n"@wechatpay-marketing/client": patch\n---\n')],
    );
    expect(result.uncovered).toEqual([
      "@wechatpay-marketing/sandbox",
      "@wechatpay-marketing/signer",
    ]);
    expect(result.changed.find((p) => p.name === "@wechatpay-marketing/client")?.coveredBy).toEqual(
      ["c.md"],
    );
  });

  it("asks for an openapi changeset when only the spec source changed", () => {
    const result = decide(["specs/marketing/components/schemas/busifavor/Stock.yaml"]);
    expect(result.uncovered).toEqual(["@wechatpay-marketing/openapi"]);
  });

  it("does not let a fixed-group partner stand in: client changes need a client changeset", () => {
    const result = decide(
      ["packages/client/src/client.ts"],
      [changeset("o.md", '---\n"@wechatpay-marketing/openapi": minor\n---\n')],
    );
    expect(result.uncovered).toEqual(["@wechatpay-marketing/client"]);
  });

  it("treats an empty changeset as 'no release needed' for every changed package", () => {
    const result = decide(
      ["packages/client/src/client.ts", "specs/redocly.yaml"],
      [changeset("empty.md", "---\n---\n")],
    );
    expect(result.uncovered).toEqual([]);
    expect(result.empty).toEqual(["empty.md"]);
    expect(result.changed.map((p) => p.coveredBy)).toEqual([
      ["empty.md"],
      ["empty.md"],
      ["empty.md"],
    ]);
  });

  it("reports changesets that name a package that is not publishable", () => {
    const result = decide(
      [],
      [changeset("s.md", '---\n"@wechatpay-marketing/specs": patch\n---\n')],
    );
    expect(result.unknown).toEqual([{ file: "s.md", name: "@wechatpay-marketing/specs" }]);
  });

  it("lists each package's files once per package, sorted by package name", () => {
    const result = decide([
      "packages/sandbox/src/b.ts",
      "specs/redocly.yaml",
      "packages/docs/scripts/build.mjs",
    ]);
    expect(result.changed.map((p) => [p.name, p.files])).toEqual([
      ["@wechatpay-marketing/docs", ["specs/redocly.yaml", "packages/docs/scripts/build.mjs"]],
      ["@wechatpay-marketing/openapi", ["specs/redocly.yaml"]],
      ["@wechatpay-marketing/sandbox", ["packages/sandbox/src/b.ts"]],
    ]);
  });
});
