import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
const ownPackage = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  name: string;
  version: string;
};
const readJson = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as { info: { version: string } };

// The published document says which release it is: `info.version` of the spec source (the
// @wechatpay-marketing/specs dependency) equals this package's version. `pnpm version-packages`
// keeps them equal (the tooling's sync-spec-version); a hand edit of either one alone fails here.
describe("the bundled document", () => {
  it("is the spec at this package's version", () => {
    const source = parse(
      readFileSync(require.resolve("@wechatpay-marketing/specs/marketing/openapi.yaml"), "utf8"),
    ) as { info?: { version?: unknown } };
    expect(ownPackage.name).toBe("@wechatpay-marketing/openapi");
    expect(
      source.info?.version,
      "run `pnpm version-packages` (changeset version + spec version sync), not `changeset version` alone",
    ).toBe(ownPackage.version);
  });

  it("ships that version in every form", async () => {
    const json = readJson(require.resolve("@wechatpay-marketing/openapi/openapi.json"));
    const yaml = parse(
      readFileSync(require.resolve("@wechatpay-marketing/openapi/openapi.yaml"), "utf8"),
    ) as { info: { version: string } };
    const module = (await import("@wechatpay-marketing/openapi")) as {
      version: string;
      document: { info: { version: string } };
    };
    expect([
      json.info.version,
      yaml.info.version,
      module.version,
      module.document.info.version,
    ]).toEqual(Array(4).fill(ownPackage.version));
  });
});
