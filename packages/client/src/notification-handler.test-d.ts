import { describe, expectTypeOf, it } from "vitest";
import {
  type BusifavorCouponSendResource,
  createNotificationHandler,
  type FavorCouponUseResource,
  type MarketingEventType,
  type NotificationHandler,
} from "./index.js";

const options = { apiV3Key: "k".repeat(32) };

describe("createNotificationHandler's onEvent", () => {
  it("gets a union discriminated by eventType, each with its decrypted resource", () => {
    const handler = createNotificationHandler(options, (event) => {
      expectTypeOf(event.eventType).toEqualTypeOf<MarketingEventType>();
      expectTypeOf(event.eventType).toEqualTypeOf<"COUPON.SEND" | "COUPON.USE">();
      if (event.eventType === "COUPON.SEND") {
        expectTypeOf(event.resource).toEqualTypeOf<BusifavorCouponSendResource>();
        expectTypeOf(event.resource.coupon_code).toBeString();
      } else {
        expectTypeOf(event.eventType).toEqualTypeOf<"COUPON.USE">();
        expectTypeOf(event.resource).toEqualTypeOf<FavorCouponUseResource>();
      }
      // @ts-expect-error a COUPON.SEND resource is not known before narrowing
      event.resource.coupon_code;
    });
    expectTypeOf(handler).toEqualTypeOf<NotificationHandler>();
    expectTypeOf(handler).toEqualTypeOf<(request: Request) => Promise<Response>>();
  });

  it("may be async", () => {
    createNotificationHandler(options, async (event) => {
      expectTypeOf(event.id).toBeString();
    });
  });
});
