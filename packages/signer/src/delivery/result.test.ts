import { describe, expect, it } from "vitest";
import { CouponDeliveryError } from "./errors.js";
import { parseSendCouponResult, SEND_COUPON_CODES, SEND_COUPON_ERRCODES } from "./result.js";

const item = (code: string, extra = {}) => ({
  stock_id: "1212000000000001",
  out_request_no: "n1",
  code,
  ...extra,
});

describe("parseSendCouponResult", () => {
  it("reads an OK answer into per-coupon results: SUCCESS and DUPREQUEST are received", () => {
    const result = parseSendCouponResult({
      errcode: "OK",
      msg: "ok",
      send_coupon_result: [
        item("SUCCESS", { coupon_code: "C1" }),
        item("DUPREQUEST", { coupon_code: "C0" }),
        item("MAXQUOTA", { message: "已达上限" }),
        item("SOMETHING_NEW"),
      ],
    });
    expect(result.status).toBe("ok");
    expect(result.coupons.map((c) => [c.status, c.code])).toEqual([
      ["received", "SUCCESS"],
      ["received", "DUPREQUEST"],
      ["refused", "MAXQUOTA"],
      ["unknown", "SOMETHING_NEW"],
    ]);
    expect(result.coupons[0]).toEqual({
      status: "received",
      code: "SUCCESS",
      stock_id: "1212000000000001",
      out_request_no: "n1",
      coupon_code: "C1",
    });
    expect(result.coupons[2]?.message).toBe("已达上限");
  });

  it("knows every documented code, outer and per coupon", () => {
    for (const errcode of SEND_COUPON_ERRCODES.filter((c) => c !== "OK")) {
      expect(parseSendCouponResult({ errcode, msg: "x" })).toMatchObject({
        status: "error",
        errcode,
      });
    }
    for (const code of SEND_COUPON_CODES) {
      const [coupon] = parseSendCouponResult({
        errcode: "OK",
        send_coupon_result: [item(code)],
      }).coupons;
      expect(coupon?.status).toBe(
        code === "SUCCESS" || code === "DUPREQUEST" ? "received" : "refused",
      );
    }
  });

  it("reads the numeric 签名错误 as SIGN_ERROR and keeps other unknown errcodes as unknown", () => {
    expect(parseSendCouponResult({ errcode: 272758293, msg: "签名错误" })).toEqual({
      status: "error",
      errcode: "SIGN_ERROR",
      msg: "签名错误",
      coupons: [],
    });
    expect(parseSendCouponResult({ errcode: 268435461, msg: "x" })).toMatchObject({
      status: "unknown",
      errcode: "268435461",
    });
    expect(parseSendCouponResult({ errcode: "NEW_CODE" })).toMatchObject({
      status: "unknown",
      errcode: "NEW_CODE",
      msg: "",
    });
  });

  it.each([
    ["not an object", "x", "detail"],
    ["no errcode", { msg: "x" }, "detail.errcode"],
    ["a msg that is not a string", { errcode: "OK", msg: 1 }, "detail.msg"],
    [
      "a result that is not an array",
      { errcode: "OK", send_coupon_result: {} },
      "detail.send_coupon_result",
    ],
    [
      "an item without code",
      { errcode: "OK", send_coupon_result: [{ stock_id: "1" }] },
      "detail.send_coupon_result[0].code",
    ],
    [
      "a numeric coupon_code",
      { errcode: "OK", send_coupon_result: [item("SUCCESS", { coupon_code: 1 })] },
      "detail.send_coupon_result[0].coupon_code",
    ],
  ])("refuses %s, naming the field", (_what, detail, field) => {
    expect(() => parseSendCouponResult(detail)).toThrow(CouponDeliveryError);
    try {
      parseSendCouponResult(detail);
    } catch (error) {
      expect(error).toMatchObject({ field });
    }
  });
});
