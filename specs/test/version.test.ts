import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { specsDir } from "./bundle.js";

// The published document says which release it is: `info.version` of the source equals the
// version of @wechatpay-marketing/openapi. `pnpm version-packages` keeps them equal
// (scripts/release-sync-spec-version.mjs); a hand edit of either one alone fails here.
describe("info.version", () => {
  it("equals the version of @wechatpay-marketing/openapi", () => {
    const root = parse(readFileSync(join(specsDir, "marketing/openapi.yaml"), "utf8")) as {
      info?: { version?: unknown };
    };
    const openapiPackage = JSON.parse(
      readFileSync(join(specsDir, "../packages/openapi/package.json"), "utf8"),
    ) as { name: string; version: string };

    expect(openapiPackage.name).toBe("@wechatpay-marketing/openapi");
    expect(
      root.info?.version,
      "run `pnpm version-packages` (changeset version + spec version sync), not `changeset version` alone",
    ).toBe(openapiPackage.version);
  });
});
