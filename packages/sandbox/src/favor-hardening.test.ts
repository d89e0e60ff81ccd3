// The cash coupon control routes (/sandbox/favor) and the bill download, as the hardened sandbox
// takes them over real HTTP on 127.0.0.1: the token and JSON required, bodies read within the
// limit, bad input named, and the download a signed GET without a body. Set up with signed
// requests of 代金券 sent raw (the typed client's view of these operations is in packages/e2e).
import { APPID, favorStockBody, unique } from "@wechatpay-marketing/test-fixtures";
import { describe, expect, it } from "vitest";
import { sandboxForFile } from "../test/harness.js";
import { type RawAnswer, sendRaw, sendSigned } from "../test/raw-http.js";

const OPENID = "oFavorUser0001";

const h = sandboxForFile();

function ok(answer: RawAnswer) {
  expect(answer.status, answer.text).toBeLessThan(300);
  return answer.json;
}

/** A cash coupon stock created and started (5 coupons, 3 per user), and a coupon of it sent to OPENID. */
async function sentCoupon() {
  const mchid = h.sandbox.mchid;
  const body = favorStockBody(mchid, {
    stock_use_rule: { max_coupons: 5, max_coupons_per_user: 3 },
  });
  const { stock_id: stockId } = ok(
    await sendSigned(h.sandbox, "POST", "/v3/marketing/favor/coupon-stocks", body),
  );
  ok(
    await sendSigned(h.sandbox, "POST", `/v3/marketing/favor/stocks/${stockId}/start`, {
      stock_creator_mchid: mchid,
    }),
  );
  const { coupon_id: couponId } = ok(
    await sendSigned(h.sandbox, "POST", `/v3/marketing/favor/users/${OPENID}/coupons`, {
      stock_id: stockId,
      out_request_no: unique("send"),
      appid: APPID,
      stock_creator_mchid: mchid,
    }),
  );
  return { stockId: stockId as string, couponId: couponId as string };
}

const couponOf = async (couponId: string) =>
  ok(
    await sendSigned(
      h.sandbox,
      "GET",
      `/v3/marketing/favor/users/${OPENID}/coupons/${couponId}?appid=${APPID}`,
    ),
  );

/** The control route standing for the user paying at the till. */
async function pay(couponId: string, body: Record<string, unknown>) {
  const response = await fetch(
    `${h.sandbox.url}/sandbox/favor/users/${OPENID}/coupons/${couponId}/pay`,
    {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: JSON.stringify(body),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the cash coupon control routes", () => {
  it("need the token and JSON, read their body within the limit, and name bad input", async () => {
    const { couponId } = await sentCoupon();
    const path = `/sandbox/favor/users/${OPENID}/coupons/${couponId}/pay`;
    const body = JSON.stringify({ order_amount: 12800 });
    const noToken = await sendRaw(h.sandbox, {
      method: "POST",
      path,
      headers: { "Content-Type": "text/plain" },
      body,
    });
    expect([noToken.status, noToken.json?.code]).toEqual([401, "SANDBOX_TOKEN_REQUIRED"]);
    const plain = await sendRaw(h.sandbox, {
      method: "POST",
      path,
      headers: { "Content-Type": "text/plain", "X-Sandbox-Token": h.sandbox.controlToken },
      body,
    });
    expect([plain.status, plain.json?.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    const huge = await sendRaw(h.sandbox, {
      method: "POST",
      path,
      headers: h.sandbox.controlHeaders,
      streamBytes: 2 * 1024 * 1024,
    });
    expect([huge.status, huge.json?.code]).toEqual([413, "REQUEST_TOO_LARGE"]);
    const readBalance = await sendRaw(h.sandbox, { method: "GET", path: "/sandbox/favor/balance" });
    expect(readBalance.status).toBe(401);
    expect((await couponOf(couponId)).status).toBe("SENDED"); // none of these paid
    const badItems = await pay(couponId, { order_amount: 12800, goods_detail: [{ goods_id: 1 }] });
    expect(badItems).toMatchObject({ status: 400, body: { code: "PARAM_ERROR" } });
    expect(String(badItems.body.message)).toContain("goods_detail");
    expect(await pay(couponId, {})).toMatchObject({ status: 400, body: { code: "PARAM_ERROR" } });
    expect(await pay("404404", { order_amount: 12800 })).toMatchObject({
      status: 404,
      body: { code: "RESOURCE_NOT_EXISTS" },
    });
    expect((await pay(couponId, { order_amount: 12800 })).status).toBe(200);
  });
});

describe("the bill download", () => {
  it("is a signed GET without a body: a body, a long Authorization, another method are refused", async () => {
    const { stockId, couponId } = await sentCoupon();
    expect((await pay(couponId, { order_amount: 12800 })).status).toBe(200);
    const usedAt = (await couponOf(couponId)).consume_information.consume_time as string;
    const link = ok(
      await sendSigned(
        h.sandbox,
        "GET",
        `/v3/marketing/favor/stocks/${stockId}/use-flow-by-day?bill_date=${usedAt.slice(0, 10)}`,
      ),
    );
    const { pathname, search } = new URL(link.url);
    const path = `${pathname}${search}`;
    // Framed by its length: a GET body without one is not a body but the next request.
    const body = JSON.stringify({ token: "x" });
    const withBody = await sendSigned(h.sandbox, "GET", path, body, {
      "Content-Length": String(Buffer.byteLength(body)),
    });
    expect([withBody.status, withBody.json?.code]).toEqual([400, "INVALID_REQUEST"]);
    const longAuthorization = await sendRaw(h.sandbox, {
      method: "GET",
      path,
      headers: { Authorization: `WECHATPAY2-SHA256-RSA2048 ${"x".repeat(4096)}` },
    });
    expect([longAuthorization.status, longAuthorization.json?.code]).toEqual([401, "SIGN_ERROR"]);
    const post = await sendSigned(h.sandbox, "POST", path, {});
    expect([post.status, post.json?.code]).toEqual([404, "METHOD_NOT_ALLOWED"]);
    const signed = await sendSigned(h.sandbox, "GET", path);
    expect(signed.status, signed.text).toBe(200);
    expect(signed.headers["request-id"]).toMatch(/^[0-9A-F]{32}$/);
  });
});
