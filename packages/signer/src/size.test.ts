import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { BUDGET_GZIP_BYTES, measureMainEntry } from "../scripts/size.mjs";

describe("bundle size budget", () => {
  it("main entry, bundled and minified for the browser, is at most 4 KB gzip", async () => {
    const { gzip } = (await measureMainEntry()) as { gzip: number };
    expect(BUDGET_GZIP_BYTES).toBe(4096);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
