import { describe, expectTypeOf, it } from "vitest";
import {
  buildH5CouponUrl,
  buildSendCouponPayload,
  type CouponSendResult,
  type SendCouponCode,
  type SendCouponParam,
  type SendCouponPayload,
  type SendCouponResult,
} from "./coupon-delivery.js";

describe("coupon-delivery types", () => {
  it("the payload is exactly the three plug-in attributes", () => {
    expectTypeOf(buildSendCouponPayload).returns.resolves.toEqualTypeOf<SendCouponPayload>();
    expectTypeOf<keyof SendCouponPayload>().toEqualTypeOf<
      "send_coupon_params" | "sign" | "send_coupon_merchant"
    >();
    expectTypeOf(buildH5CouponUrl).returns.resolves.toBeString();
  });

  it("a coupon is a merchant coupon or a cash coupon, never a mix", () => {
    expectTypeOf({
      stock_id: "1",
      out_request_no: "a",
      coupon_code: "C",
    }).toExtend<SendCouponParam>();
    expectTypeOf({
      stock_id: "1",
      out_request_no: "a",
      create_coupon_merchant: "1900000001",
    }).toExtend<SendCouponParam>();
    expectTypeOf({
      stock_id: "1",
      out_request_no: "a",
      create_coupon_merchant: "1900000001",
      coupon_code: "C",
    }).not.toExtend<SendCouponParam>();
  });

  it("the fragment must end in wechat_redirect", () => {
    type Options = NonNullable<Parameters<typeof buildH5CouponUrl>[2]>;
    expectTypeOf({ fragment: "#wechat_redirect" as const }).toExtend<Options>();
    expectTypeOf({ fragment: "#wechat_pay" as const }).not.toExtend<Options>();
  });

  it("results narrow on status; unknown codes stay strings", () => {
    const narrow = (r: CouponSendResult) => {
      if (r.status === "received") expectTypeOf(r.code).toEqualTypeOf<"SUCCESS" | "DUPREQUEST">();
      if (r.status === "refused") expectTypeOf(r.code).toExtend<SendCouponCode>();
      if (r.status === "unknown") expectTypeOf(r.code).toBeString();
    };
    const outer = (r: SendCouponResult) => {
      if (r.status === "ok") expectTypeOf(r.errcode).toEqualTypeOf<"OK">();
      if (r.status === "error")
        expectTypeOf(r.errcode).toEqualTypeOf<
          | "PARAM_ERROR"
          | "USER_NOT_EXISTS"
          | "USER_GET_FAILED"
          | "SIGN_ERROR"
          | "SYSTEMERROR"
          | "FREQUENCY_LIMITED"
        >();
    };
    expectTypeOf(narrow).toBeFunction();
    expectTypeOf(outer).toBeFunction();
  });
});
