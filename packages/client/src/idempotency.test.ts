import { operations } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import { idempotencyRule, mayRepeat } from "./idempotency.js";

describe("the generated retry table", () => {
  it("holds exactly the writes whose x-idempotency names a field, where the document says", () => {
    for (const { method, path, operationId, definition } of operations()) {
      const stated = definition["x-idempotency"] as
        | { in: string; field: string }
        | false
        | undefined;
      const rule = idempotencyRule(method, path);
      if (method === "GET" || stated === false) {
        expect(rule, operationId).toBeUndefined();
        continue;
      }
      expect(rule, operationId).toEqual({
        in: stated?.in,
        field: stated?.in === "body" ? stated.field.split(".") : [stated?.field],
      });
    }
  });
});

describe("mayRepeat", () => {
  it("repeats reads", () => {
    expect(mayRepeat("GET", "/v3/marketing/busifavor/stocks/{stock_id}", {})).toBe(true);
  });

  it("repeats a write only when this call carries its business number", () => {
    const send = "/v3/marketing/busifavor/coupons/send";
    expect(mayRepeat("POST", send, { body: { out_request_no: "MCH1" } })).toBe(true);
    expect(mayRepeat("POST", send, { body: { out_request_no: "" } })).toBe(false);
    expect(mayRepeat("POST", send, { body: {} })).toBe(false);
    expect(mayRepeat("POST", send, {})).toBe(false);
  });

  it("finds a nested number, a query one and a header in either place and any case", () => {
    const activity = "/v3/marketing/paygiftactivity/unique-threshold-activity";
    expect(
      mayRepeat("POST", activity, { body: { activity_base_info: { out_request_no: "A1" } } }),
    ).toBe(true);
    expect(mayRepeat("POST", activity, { body: { out_request_no: "A1" } })).toBe(false);
    const code = "/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}";
    expect(mayRepeat("DELETE", code, { params: { query: { delete_request_no: "D1" } } })).toBe(
      true,
    );
    const build = "/v3/marketing/partnerships/build";
    expect(mayRepeat("POST", build, { params: { header: { "Idempotency-Key": "K1" } } })).toBe(
      true,
    );
    expect(mayRepeat("POST", build, { headers: { "idempotency-key": "K1" } })).toBe(true);
    expect(mayRepeat("POST", build, { headers: new Headers({ "Idempotency-Key": "K1" }) })).toBe(
      true,
    );
    expect(mayRepeat("POST", build, {})).toBe(false);
  });

  it("never repeats a write the document says is not idempotent", () => {
    const body = { stock_creator_mchid: "1900000001", out_request_no: "X" };
    expect(mayRepeat("POST", "/v3/marketing/favor/stocks/{stock_id}/start", { body })).toBe(false);
    expect(mayRepeat("POST", "/v3/marketing/favor/media/image-upload", {})).toBe(false);
  });
});
