import { describe, expectTypeOf, it } from "vitest";
import {
  type BusifavorCouponSendResource,
  type FavorCouponUseResource,
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
    if (notification.eventType === "COUPON.USE") {
      expectTypeOf(notification.resource).toEqualTypeOf<FavorCouponUseResource>();
      expectTypeOf(notification.resource.status).toEqualTypeOf<"SENDED" | "USED" | "EXPIRED">();
      expectTypeOf(notification.resource.consume_information?.transaction_id).toEqualTypeOf<
        string | undefined
      >();
    }
  });
});
