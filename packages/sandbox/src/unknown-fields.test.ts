// Unknown request fields over real HTTP on 127.0.0.1, with raw signed requests (the typed
// client would not let most of these typos through): refused by name by default, dropped with
// unknownFields: "ignore".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSigned } from "../test/raw-http.js";
import { generateRsaKeyPair, type Sandbox, startSandbox } from "./index.js";

const STOCKS = "/v3/marketing/busifavor/stocks";
const APPID = "wx8888888888888888";
let sequence = 0;

const beijing = (days: number) =>
  `${new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/** A merchant coupon stock the document and the business rules accept. */
function stock(mchid: string, extra: Record<string, unknown> = {}) {
  const { stock_send_rule, ...rest } = extra as { stock_send_rule?: object };
  return {
    stock_name: "未知字段测试",
    belong_merchant: mchid,
    goods_name: "全场通用",
    stock_type: "NORMAL",
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: beijing(-1), available_end_time: beijing(30) },
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
      use_method: "OFF_LINE",
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5, ...stock_send_rule },
    out_request_no: `unknown${Date.now()}${++sequence}`,
    coupon_code_mode: "WECHATPAY_MODE",
    notify_config: { notify_appid: APPID },
    ...rest,
  };
}

const keys = () => ({
  merchantPrivateKey: generateRsaKeyPair().privateKey,
  platformPrivateKey: generateRsaKeyPair().privateKey,
});

describe('unknownFields: "refuse" (the default)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(keys());
  });
  afterAll(() => sandbox.close());

  const expectUnknown = (
    answer: Awaited<ReturnType<typeof sendSigned>>,
    field: string,
    location: string,
  ) => {
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.code).toBe("PARAM_ERROR");
    expect(answer.json.detail).toMatchObject({ field, location });
    // The message names the field, says why the sandbox is stricter, and how to relax it.
    expect(answer.json.message).toContain(field);
    expect(answer.json.message).toContain("the real WeChat Pay service may ignore unknown fields");
    expect(answer.json.message).toContain('unknownFields: "ignore"');
  };

  it("a top-level unknown field is refused by the document itself (request bodies are closed)", async () => {
    const answer = await sendSigned(
      sandbox,
      "POST",
      STOCKS,
      stock(sandbox.mchid, { comnent: "x" }),
    );
    expect([answer.status, answer.json.code], answer.text).toEqual([400, "PARAM_ERROR"]);
    expect(answer.json.detail).toMatchObject({ field: "/comnent", location: "body" });
    expect(sandbox.store.stocks.size).toBe(0);
  });

  it("refuses an unknown field nested where the document is open, naming its path; creates nothing", async () => {
    const body = stock(sandbox.mchid, { stock_send_rule: { max_coupon_per_user: 1 } });
    const answer = await sendSigned(sandbox, "POST", STOCKS, body);
    expectUnknown(answer, "/stock_send_rule/max_coupon_per_user", "body");
    expect(sandbox.store.stocks.size).toBe(0);
  });

  it("refuses an unknown field two levels down by its path", async () => {
    const body = stock(sandbox.mchid, {
      notify_config: { notify_appid: APPID, notfy_appid: APPID },
    });
    const answer = await sendSigned(sandbox, "POST", STOCKS, body);
    expectUnknown(answer, "/notify_config/notfy_appid", "body");
  });

  it("refuses an unknown field in an array item of the body by its index", async () => {
    const body = stock(sandbox.mchid);
    body.coupon_use_rule.coupon_available_time = {
      ...body.coupon_use_rule.coupon_available_time,
      irregulary_avaliable_time: [
        { begin_time: beijing(1), end_time: beijing(2) },
        { begin_time: beijing(3), end_time: beijing(4), end_tme: beijing(4) },
      ],
    } as never;
    const answer = await sendSigned(sandbox, "POST", STOCKS, body);
    expectUnknown(
      answer,
      "/coupon_use_rule/coupon_available_time/irregulary_avaliable_time/1/end_tme",
      "body",
    );
  });

  it("refuses an unknown query parameter by name", async () => {
    const answer = await sendSigned(
      sandbox,
      "GET",
      `/v3/marketing/busifavor/callbacks?mchid=${sandbox.mchid}&mchd=1`,
    );
    expectUnknown(answer, "mchd", "query");
  });

  it("refuses an unknown field inside a JSON query parameter by its path", async () => {
    const partner = encodeURIComponent(JSON.stringify({ type: "APPID", appid: APPID, apid: "x" }));
    const answer = await sendSigned(
      sandbox,
      "GET",
      `/v3/marketing/partnerships?partner=${partner}`,
    );
    expectUnknown(answer, "partner/apid", "query");
  });

  it("still answers the same requests without the typo", async () => {
    const created = await sendSigned(sandbox, "POST", STOCKS, stock(sandbox.mchid));
    expect(created.status, created.text).toBe(200);
    const partner = encodeURIComponent(JSON.stringify({ type: "APPID", appid: APPID }));
    const listed = await sendSigned(
      sandbox,
      "GET",
      `/v3/marketing/partnerships?partner=${partner}`,
    );
    expect(listed.status, listed.text).toBe(200);
  });
});

describe('unknownFields: "ignore"', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ ...keys(), unknownFields: "ignore" });
  });
  afterAll(() => sandbox.close());

  it("drops unknown nested fields: the stock is created without them", async () => {
    const body = stock(sandbox.mchid, {
      stock_send_rule: { max_coupon_per_user: 1 },
      notify_config: { notify_appid: APPID, notfy_appid: APPID },
    });
    const answer = await sendSigned(sandbox, "POST", STOCKS, body);
    expect(answer.status, answer.text).toBe(200);
    const { definition } = sandbox.store.stock(answer.json.stock_id);
    expect(definition.stock_send_rule).toEqual({ max_coupons: 100, max_coupons_per_user: 5 });
    expect(definition.notify_config).toEqual({ notify_appid: APPID });
  });

  it("still refuses a top-level unknown field: the document closes request bodies", async () => {
    const answer = await sendSigned(
      sandbox,
      "POST",
      STOCKS,
      stock(sandbox.mchid, { comnent: "x" }),
    );
    expect([answer.status, answer.json.detail?.field], answer.text).toEqual([400, "/comnent"]);
  });

  it("ignores an unknown query parameter", async () => {
    const answer = await sendSigned(sandbox, "GET", "/v3/marketing/busifavor/callbacks?mchd=1");
    // No callback is set yet: the documented 404, not a PARAM_ERROR about mchd.
    expect([answer.status, answer.json.code]).toEqual([404, "RESOURCE_NOT_EXISTS"]);
  });
});

describe("the option itself", () => {
  it("refuses a value it does not know, naming the option", async () => {
    await expect(startSandbox({ unknownFields: "drop" as never })).rejects.toThrow(
      /unknownFields must be "refuse" or "ignore"/,
    );
  });
});
