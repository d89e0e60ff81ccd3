import { describe, expect, it } from "vitest";
import { BUDGET_GZIP_BYTES, measureClient } from "../scripts/size.mjs";

describe("bundle size budget", () => {
  it("createMarketingClient, bundled and minified for the browser, fits the gzip budget", async () => {
    const { gzip } = (await measureClient()) as { gzip: number };
    expect(gzip).toBeGreaterThan(1000);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
