import { describe, expectTypeOf, it } from "vitest";
import {
  type BusifavorCouponSendResource,
  type MarketingNotification,
  parseNotification,
} from "./index.js";

describe("parseNotification types", () => {
  it("types the decrypted resource by the event type", async () => {
    const notification = await parseNotification({ headers: {}, body: "" }, { apiV3Key: "" });
    expectTypeOf(notification).toEqualTypeOf<MarketingNotification>();
    if (notification.eventType === "COUPON.SEND") {
      expectTypeOf(notification.resource).toEqualTypeOf<BusifavorCouponSendResource>();
      expectTypeOf(notification.resource.coupon_code).toEqualTypeOf<string>();
    }
  });
});
