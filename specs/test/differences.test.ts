import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { README, readmeWithDifferences } from "../scripts/differences.mjs";

/** Biome pads markdown tables; the content, not the padding, must match. */
const unpadded = (markdown: string) =>
  markdown
    .split("\n")
    .map((line) =>
      line
        .replace(/\s*\|\s*/g, "|")
        .replace(/-{3,}/g, "---")
        .trimEnd(),
    )
    .join("\n");

describe("README's list of differences from the reference", () => {
  it("is the current rendering of reference-differences.yaml (run `node scripts/differences.mjs --write`)", () => {
    const readme = readFileSync(README as string, "utf8");
    const rendered = (readmeWithDifferences as (r: string) => string)(readme);
    expect(unpadded(readme)).toBe(unpadded(rendered));
  });
});
