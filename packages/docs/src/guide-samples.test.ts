// The TypeScript blocks of the guides that live in their own description files
// (specs/marketing/descriptions/guide-*.md), type-checked against the real packages like the
// operation samples, so the server code a reader copies compiles as it stands.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatProblems, typecheckSamples } from "./typecheck-samples.js";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
// Through the specs dependency, so turbo sees the edge.
const descriptions = join(
  dirname(
    createRequire(import.meta.url).resolve("@wechatpay-marketing/specs/marketing/openapi.yaml"),
  ),
  "descriptions",
);
const guides = readdirSync(descriptions).filter((f) => /^guide-.*\.md$/.test(f));

function tsBlocks(file: string) {
  const markdown = readFileSync(join(descriptions, file), "utf8");
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m, i) => ({
    key: `${file} TypeScript block ${i + 1}`,
    kind: "operation" as const,
    method: "",
    path: file,
    operationId: `${file.replace(/\.md$/, "")}-${i + 1}`,
    source: m[1] as string,
  }));
}

describe("guide samples", () => {
  it("finds the guides and their TypeScript blocks", () => {
    expect(guides).toContain("guide-delivering-coupons.md");
    expect(tsBlocks("guide-delivering-coupons.md").length).toBeGreaterThanOrEqual(3);
  });

  it("type-check against the published packages", () => {
    const samples = guides.flatMap(tsBlocks);
    const { problems } = typecheckSamples(samples, { dir: join(pkgDir, ".samples-guides") });
    expect(formatProblems(problems)).toBe("");
  });
});
