import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import * as size from "../scripts/size.mjs";

describe("bundle size budget", () => {
  it("main entry, bundled and minified for the browser, is at most 4 KB gzip", async () => {
    const { gzip } = (await size.measureMainEntry()) as { gzip: number };
    expect(size.BUDGET_GZIP_BYTES).toBe(4096);
    expect(gzip).toBeLessThanOrEqual(size.BUDGET_GZIP_BYTES);
  });

  it("./coupon-delivery, bundled the same way, stays within its own 3.5 KB gzip", async () => {
    const { gzip } = (await size.measureCouponDeliveryEntry()) as { gzip: number };
    expect(size.COUPON_DELIVERY_BUDGET_GZIP_BYTES).toBe(3584);
    expect(gzip).toBeLessThanOrEqual(size.COUPON_DELIVERY_BUDGET_GZIP_BYTES);
  });
});
