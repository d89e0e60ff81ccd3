// Coupon delivery through the sandbox's plug-in and H5 routes, over real HTTP on 127.0.0.1:
// payloads and links built by the signer's ./coupon-delivery helper with the sandbox's APIv2 key,
// every outer and per-coupon code the sandbox produces, and the COUPON.SEND notifications.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseNotification } from "@wechatpay-marketing/signer";
import {
  buildH5CouponUrl,
  buildSendCouponPayload,
  parseSendCouponResult,
  type SendCouponParam,
} from "@wechatpay-marketing/signer/coupon-delivery";
import { APPID, at, stockBody, unique } from "@wechatpay-marketing/test-fixtures";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "../../test/harness.js";
import { sendSigned } from "../../test/raw-http.js";
import type { Sandbox } from "../server.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
type Loose = Record<string, any>;

interface World {
  sandbox: Sandbox;
  events: Loose[];
  receiver: Server;
}

/** A sandbox with a notify URL and a receiver that verifies every COUPON.SEND. */
async function startWorld(): Promise<World> {
  const sandbox = await startTestSandbox();
  const events: Loose[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      parseNotification({ headers: request.headers, body }, sandbox.notificationOptions).then(
        (n) => {
          events.push(n.resource as Loose);
          response.writeHead(204).end();
        },
        () => response.writeHead(401).end(),
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  const callbacks = await sendSigned(sandbox, "POST", "/v3/marketing/busifavor/callbacks", {
    mchid: sandbox.mchid,
    notify_url: `https://127.0.0.1:${port}/notify`,
  });
  expect(callbacks.status, callbacks.text).toBe(200);
  return { sandbox, events, receiver };
}

async function stopWorld(w: World | undefined) {
  w?.receiver.close();
  await w?.sandbox.close();
}

async function createStock(w: World, overrides: Loose = {}): Promise<string> {
  const created = await sendSigned(
    w.sandbox,
    "POST",
    "/v3/marketing/busifavor/stocks",
    stockBody(w.sandbox.mchid, overrides),
  );
  expect(created.status, created.text).toBe(200);
  return created.json.stock_id;
}

/** 查询用户单张券详情, signed, as the merchant reads a coupon the routes issued. */
async function couponOf(w: World, openid: string, couponCode: string): Promise<Loose> {
  const path = `/v3/marketing/busifavor/users/${openid}/coupons/${couponCode}/appids/${APPID}`;
  const answer = await sendSigned(w.sandbox, "GET", path);
  expect(answer.status, answer.text).toBe(200);
  return answer.json;
}

async function post(w: World, body: unknown, contentType = "application/json"): Promise<Loose> {
  const response = await fetch(`${w.sandbox.actionUrl}/busifavor/sendcoupon`, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Loose;
}

/** The plug-in's request for `coupons`, signed by the helper, by user `openid`. */
async function deliver(w: World, openid: string, coupons: SendCouponParam[], extra: Loose = {}) {
  const payload = await buildSendCouponPayload(
    { send_coupon_merchant: w.sandbox.mchid, send_coupon_params: coupons },
    w.sandbox.apiV2Key,
  );
  return post(w, { ...payload, appid: APPID, openid, ...extra });
}

/** The page's inline script parses (compiled, not run: there is no DOM here). */
function expectScriptCompiles(html: string) {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
  expect(scripts).toHaveLength(1);
  expect(() => new Function(`return async () => {${scripts[0]}}`)).not.toThrow();
}

const codes = (answer: Loose) => (answer.send_coupon_result as Loose[]).map((r) => r.code);

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => stopWorld(w));

describe("the plug-in route (小程序发券插件)", () => {
  it("SUCCESS: issues the coupon with send_channel MINIAPP and a verified COUPON.SEND", async () => {
    const stockId = await createStock(w);
    const openid = unique("oPlugin");
    const outRequestNo = unique("plugin");
    const answer = await deliver(w, openid, [{ stock_id: stockId, out_request_no: outRequestNo }]);
    const result = parseSendCouponResult(answer);
    expect(result).toMatchObject({ status: "ok", errcode: "OK" });
    const [coupon] = result.coupons;
    expect(coupon).toMatchObject({ status: "received", code: "SUCCESS", stock_id: stockId });
    expect(coupon?.out_request_no).toBe(outRequestNo);
    await expect
      .poll(() => w.events.find((e) => e.coupon_code === coupon?.coupon_code))
      .toMatchObject({
        event_type: "EVENT_TYPE_BUSICOUPON_SEND",
        stock_id: stockId,
        openid,
        send_channel: "BUSICOUPON_SEND_CHANNEL_MINIAPP",
        send_merchant: w.sandbox.mchid,
      });
    const data = await couponOf(w, openid, coupon?.coupon_code as string);
    expect(data).toMatchObject({ coupon_state: "SENDED", send_request_no: outRequestNo });
    expect(w.sandbox.violations).toEqual([]);
  });

  it("DUPREQUEST: the same 发券凭证 for the same user and stock is already received; another user may reuse it", async () => {
    const stockId = await createStock(w);
    const coupon = { stock_id: stockId, out_request_no: unique("dup") };
    const user = unique("oDup");
    const first = await deliver(w, user, [coupon]);
    const again = await deliver(w, user, [coupon]);
    expect(codes(again)).toEqual(["DUPREQUEST"]);
    expect(again.send_coupon_result[0].coupon_code).toBe(first.send_coupon_result[0].coupon_code);
    expect(parseSendCouponResult(again).coupons[0]?.status).toBe("received");
    expect(codes(await deliver(w, unique("oOther"), [coupon]))).toEqual(["SUCCESS"]);
    await expect.poll(() => w.events.filter((e) => e.stock_id === stockId).length).toBe(2);
    await w.sandbox.notificationsSettled();
    expect(w.events.filter((e) => e.stock_id === stockId)).toHaveLength(2);
  });

  it("MAXQUOTA: the user already holds max_coupons_per_user of the stock", async () => {
    const stockId = await createStock(w, { stock_send_rule: { max_coupons_per_user: 1 } });
    const user = unique("oQuota");
    expect(
      codes(await deliver(w, user, [{ stock_id: stockId, out_request_no: unique("q") }])),
    ).toEqual(["SUCCESS"]);
    const answer = await deliver(w, user, [{ stock_id: stockId, out_request_no: unique("q") }]);
    expect(codes(answer)).toEqual(["MAXQUOTA"]);
    expect(answer.send_coupon_result[0].message).toContain("max_coupons_per_user");
  });

  it("NOTENOUGH: the stock's max_coupons or max_amount is used up, or its uploaded codes are", async () => {
    const byCount = await createStock(w, {
      stock_send_rule: { max_coupons: 1, max_coupons_per_user: 1 },
    });
    expect(
      codes(await deliver(w, unique("oA"), [{ stock_id: byCount, out_request_no: unique("n") }])),
    ).toEqual(["SUCCESS"]);
    expect(
      codes(await deliver(w, unique("oB"), [{ stock_id: byCount, out_request_no: unique("n") }])),
    ).toEqual(["NOTENOUGH"]);
    const byAmount = await createStock(w, {
      stock_send_rule: { max_coupons: 10, max_amount: 500 },
    });
    expect(
      codes(await deliver(w, unique("oC"), [{ stock_id: byAmount, out_request_no: unique("n") }])),
    ).toEqual(["SUCCESS"]);
    expect(
      codes(await deliver(w, unique("oD"), [{ stock_id: byAmount, out_request_no: unique("n") }])),
    ).toEqual(["NOTENOUGH"]);
    const upload = await createStock(w, { coupon_code_mode: "MERCHANT_UPLOAD" });
    const uploaded = await sendSigned(
      w.sandbox,
      "POST",
      `/v3/marketing/busifavor/stocks/${upload}/couponcodes`,
      { coupon_code_list: ["UPLOADED0001"], upload_request_no: unique("up") },
    );
    expect(uploaded.status, uploaded.text).toBe(200);
    const got = await deliver(w, unique("oE"), [{ stock_id: upload, out_request_no: unique("n") }]);
    expect(got.send_coupon_result[0]).toMatchObject({
      code: "SUCCESS",
      coupon_code: "UPLOADED0001",
    });
    expect(
      codes(await deliver(w, unique("oF"), [{ stock_id: upload, out_request_no: unique("n") }])),
    ).toEqual(["NOTENOUGH"]);
  });

  it("FAILED: unknown stock, a cash coupon, a code the code mode does not take or lacks, a code another user holds", async () => {
    const apiMode = await createStock(w, { coupon_code_mode: "MERCHANT_API" });
    const wechatMode = await createStock(w);
    const user = unique("oFail");
    const answer = await deliver(w, user, [
      { stock_id: "9999999999", out_request_no: unique("f") },
      {
        stock_id: wechatMode,
        out_request_no: unique("f"),
        create_coupon_merchant: w.sandbox.mchid,
      },
      { stock_id: wechatMode, out_request_no: unique("f"), coupon_code: "MINE0001" },
      { stock_id: apiMode, out_request_no: unique("f") },
      { stock_id: apiMode, out_request_no: unique("f"), coupon_code: "API00001" },
    ]);
    expect(codes(answer)).toEqual(["FAILED", "FAILED", "FAILED", "FAILED", "SUCCESS"]);
    expect(answer.send_coupon_result[0].message).toContain("批次不存在");
    expect(answer.send_coupon_result[4].coupon_code).toBe("API00001");
    // The same merchant code again: this user holds it (DUPREQUEST), another user cannot get it.
    const again = await deliver(w, user, [
      { stock_id: apiMode, out_request_no: unique("f"), coupon_code: "API00001" },
    ]);
    expect(codes(again)).toEqual(["DUPREQUEST"]);
    const other = await deliver(w, unique("oOther"), [
      { stock_id: apiMode, out_request_no: unique("f"), coupon_code: "API00001" },
    ]);
    expect(codes(other)).toEqual(["FAILED"]);
  });

  it("answers each coupon of one call in order, with its own code", async () => {
    const one = await createStock(w, {
      stock_send_rule: { max_coupons: 1, max_coupons_per_user: 1 },
    });
    const open = await createStock(w);
    const answer = await deliver(w, unique("oMixed"), [
      { stock_id: one, out_request_no: unique("m") },
      { stock_id: one, out_request_no: unique("m") },
      { stock_id: open, out_request_no: unique("m"), coupon_code: "X1" },
      { stock_id: open, out_request_no: unique("m") },
    ]);
    expect(codes(answer)).toEqual(["SUCCESS", "NOTENOUGH", "FAILED", "SUCCESS"]);
  });

  it("customize_send_time moves a relative validity period", async () => {
    const stockId = await createStock(w, {
      coupon_use_rule: {
        coupon_available_time: {
          available_begin_time: at(-10),
          available_end_time: at(30),
          available_day_after_receive: 5,
        },
      },
    });
    const openid = unique("oTime");
    const sent = at(-2);
    const answer = await deliver(w, openid, [
      { stock_id: stockId, out_request_no: unique("t"), customize_send_time: sent },
    ]);
    const data = await couponOf(w, openid, answer.send_coupon_result[0].coupon_code);
    expect(Date.parse(data.expire_time as string)).toBe(Date.parse(sent) + 5 * 86_400_000 - 1000);
  });

  it("SIGN_ERROR: a changed sign, payload or merchant, the wrong key or algorithm", async () => {
    const stockId = await createStock(w);
    const coupons = [
      { stock_id: stockId, out_request_no: unique("s") },
      { stock_id: stockId, out_request_no: unique("s") },
    ];
    const good = await buildSendCouponPayload(
      { send_coupon_merchant: w.sandbox.mchid, send_coupon_params: coupons },
      w.sandbox.apiV2Key,
    );
    const login = { appid: APPID, openid: unique("oSign") };
    const flip = `${good.sign.slice(0, -1)}${good.sign.endsWith("0") ? "1" : "0"}`;
    const md5 = createHash("md5").update("x").digest("hex").toUpperCase();
    const withApiV3Key = await buildSendCouponPayload(
      { send_coupon_merchant: w.sandbox.mchid, send_coupon_params: coupons },
      w.sandbox.apiV3Key,
    );
    const otherMerchant = await buildSendCouponPayload(
      { send_coupon_merchant: "1900000002", send_coupon_params: coupons },
      w.sandbox.apiV2Key,
    );
    const cases: Loose[] = [
      { ...good, sign: flip },
      { ...good, sign: good.sign.toLowerCase() },
      { ...good, sign: md5 },
      { ...good, sign: undefined },
      withApiV3Key,
      otherMerchant,
      { ...good, send_coupon_params: [...coupons].reverse() },
      { ...good, send_coupon_params: [coupons[0]] },
      { ...good, send_coupon_params: [{ ...coupons[0], coupon_code: "ADDED" }, coupons[1]] },
    ];
    for (const payload of cases) {
      const answer = await post(w, { ...payload, ...login });
      expect(answer).toEqual({ errcode: "SIGN_ERROR", msg: "签名错误" });
      expect(parseSendCouponResult(answer).status).toBe("error");
    }
    expect(codes(await post(w, { ...good, ...login }))).toEqual(["SUCCESS", "SUCCESS"]);
  });

  it("PARAM_ERROR: what the plug-in cannot read, with msg naming it", async () => {
    const login = { appid: APPID, openid: unique("oParam") };
    const sign = "0".repeat(64);
    const merchant = w.sandbox.mchid;
    const cases: [unknown, string, string?][] = [
      ["{not json", "JSON"],
      [{ ...login, send_coupon_merchant: merchant, sign }, "send_coupon_params"],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: Array.from({ length: 11 }, (_, i) => ({
            stock_id: "1",
            out_request_no: `n${i}`,
          })),
        },
        "最多10张",
      ],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: [{ out_request_no: "n" }],
        },
        "send_coupon_params[0].stock_id",
      ],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: [{ stock_id: "1", out_request_no: "a.b" }],
        },
        "send_coupon_params[0].out_request_no",
      ],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: [{ stock_id: "1", out_request_no: "a", sign_type: "HMAC-SHA256" }],
        },
        "send_coupon_params[0].sign_type",
      ],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: [
            {
              stock_id: "1",
              out_request_no: "a",
              customize_send_time: "2024-02-30T10:00:00+08:00",
            },
          ],
        },
        "customize_send_time",
      ],
      [
        {
          ...login,
          send_coupon_merchant: "1234567",
          sign,
          send_coupon_params: [{ stock_id: "1", out_request_no: "a" }],
        },
        "send_coupon_merchant",
      ],
      [
        {
          ...login,
          send_coupon_merchant: merchant,
          sign,
          send_coupon_params: [{ stock_id: "1", out_request_no: "a" }],
        },
        "Content-Type",
        "text/plain",
      ],
    ];
    for (const [body, named, contentType] of cases) {
      const answer = await post(w, body, contentType);
      expect(answer.errcode, JSON.stringify(body)).toBe("PARAM_ERROR");
      expect(answer.msg).toContain(named);
    }
  });

  it("USER_NOT_EXISTS without a login state (openid); USER_GET_FAILED for a Mini Program the sandbox does not know", async () => {
    const stockId = await createStock(w);
    const coupons = [{ stock_id: stockId, out_request_no: unique("u") }];
    expect((await deliver(w, "", coupons)).errcode).toBe("USER_NOT_EXISTS");
    expect((await deliver(w, "oUser", coupons, { appid: "wx0000000000000000" })).errcode).toBe(
      "USER_GET_FAILED",
    );
  });

  it("SYSTEMERROR and FREQUENCYLIMIT from faults aimed at the route; a fault without a path stays for /v3", async () => {
    const stockId = await createStock(w);
    w.sandbox.injectFault({ kind: "system-error", path: "/sandbox-action/busifavor/sendcoupon" });
    const coupon = { stock_id: stockId, out_request_no: unique("fault") };
    expect(await deliver(w, unique("oFault"), [coupon])).toMatchObject({ errcode: "SYSTEMERROR" });
    w.sandbox.injectFault({ kind: "rate-limit", path: "/sandbox-action/" });
    const limited = await deliver(w, unique("oFault"), [
      coupon,
      { ...coupon, out_request_no: unique("fault") },
    ]);
    expect(limited.errcode).toBe("OK");
    expect(codes(limited)).toEqual(["FREQUENCYLIMIT", "FREQUENCYLIMIT"]);
    expect(parseSendCouponResult(limited).coupons[0]?.status).toBe("refused");
    w.sandbox.injectFault({ kind: "rate-limit" });
    expect(codes(await deliver(w, unique("oFault"), [coupon]))).toEqual(["SUCCESS"]);
    const limitedRead = await sendSigned(
      w.sandbox,
      "GET",
      `/v3/marketing/busifavor/callbacks?mchid=${w.sandbox.mchid}`,
    );
    expect(limitedRead.status).toBe(429);
  });

  it("answers 404 and 405 beside the routes", async () => {
    expect((await fetch(`${w.sandbox.actionUrl}/busifavor/other`)).status).toBe(404);
    expect((await fetch(`${w.sandbox.actionUrl}/busifavor/sendcoupon`)).status).toBe(405);
  });

  it("property: whatever the helper builds verifies in the sandbox, and the sandbox answers every coupon", async () => {
    const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const chars = (set: string, min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 30,
    });
    const stockIds = [
      await createStock(w),
      await createStock(w, { coupon_code_mode: "MERCHANT_API" }),
    ];
    const coupon = fc.oneof(
      fc.record(
        {
          stock_id: fc.oneof(fc.constantFrom(...stockIds), chars("0123456789", 1, 20)),
          out_request_no: chars(`${alnum}|_*-`, 1, 128),
          coupon_code: printable,
          customize_send_time: fc
            .date({
              min: new Date("2000-01-01T00:00:00Z"),
              max: new Date("2090-01-01T00:00:00Z"),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString()),
        },
        { requiredKeys: ["stock_id", "out_request_no"] },
      ),
      fc.record({
        stock_id: chars("0123456789", 1, 20),
        out_request_no: chars(alnum, 1, 64),
        create_coupon_merchant: chars("0123456789", 1, 32),
      }),
    );
    const coupons = fc.uniqueArray(coupon, {
      minLength: 1,
      maxLength: 10,
      selector: (c) => `${c.stock_id}\n${c.out_request_no}`,
    });
    await fc.assert(
      fc.asyncProperty(coupons, printable, async (list, openid) => {
        const answer = await deliver(w, openid, list as SendCouponParam[]);
        expect(answer.errcode).toBe("OK");
        expect(answer.send_coupon_result.map((r: Loose) => r.out_request_no)).toEqual(
          list.map((c) => c.out_request_no),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the H5发券 route", () => {
  const h5 = async (input: Loose, options: Loose = {}) =>
    buildH5CouponUrl(
      { send_coupon_merchant: w.sandbox.mchid, ...input } as never,
      w.sandbox.apiV2Key,
      { baseUrl: w.sandbox.actionUrl, ...options },
    );
  const take = async (url: string) => {
    const response = await fetch(url.split("#")[0] as string, { method: "POST" });
    expect(response.status).toBe(200);
    return (await response.json()) as Loose;
  };

  it("opens the coupon page of a signed link, and 领券 issues it with send_channel H5", async () => {
    const stockId = await createStock(w, { stock_name: "<b>H5</b>专享券" });
    const openid = unique("oH5");
    const url = await h5({ stock_id: stockId, out_request_no: unique("h5"), open_id: openid });
    expect(url).toMatch(/#wechat_pay&wechat_redirect$/);
    const page = await fetch(url);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain("&lt;b&gt;H5&lt;/b&gt;专享券");
    expect(html).toContain("领券");
    const answer = await take(url);
    expect(codes(answer)).toEqual(["SUCCESS"]);
    expect(codes(await take(url))).toEqual(["DUPREQUEST"]);
    await expect
      .poll(() => w.events.find((e) => e.openid === openid))
      .toMatchObject({
        send_channel: "BUSICOUPON_SEND_CHANNEL_H5",
        coupon_code: answer.send_coupon_result[0].coupon_code,
      });
  });

  it("signs and issues coupon_code for a MERCHANT_API stock; the older fragment works the same", async () => {
    const stockId = await createStock(w, { coupon_code_mode: "MERCHANT_API" });
    const url = await h5(
      {
        stock_id: stockId,
        out_request_no: unique("h5"),
        open_id: unique("oH5"),
        coupon_code: "H5CODE01",
      },
      { fragment: "#wechat_redirect" },
    );
    expect((await take(url)).send_coupon_result[0]).toMatchObject({
      code: "SUCCESS",
      coupon_code: "H5CODE01",
    });
  });

  it("272758293 签名错误 for a changed link or the wrong key, 268435461 for a missing or misnamed parameter, PARAM_ERROR for a malformed one", async () => {
    const stockId = await createStock(w);
    const url = new URL(
      await h5({ stock_id: stockId, out_request_no: unique("h5"), open_id: unique("oH5") }),
    );
    const changed = (edit: (u: URL) => void) => {
      const copy = new URL(url);
      edit(copy);
      return copy.href;
    };
    const signError = { errcode: 272758293, msg: "签名错误" };
    for (const bad of [
      changed((u) => u.searchParams.set("open_id", "oSomeoneElse")),
      changed((u) => u.searchParams.set("coupon_code", "UNSIGNED")),
      changed((u) => u.searchParams.delete("sign")),
      await h5({ stock_id: stockId, out_request_no: unique("h5"), open_id: "o1" }).then(async () =>
        buildH5CouponUrl(
          {
            stock_id: stockId,
            out_request_no: "x1",
            open_id: "o1",
            send_coupon_merchant: w.sandbox.mchid,
          },
          w.sandbox.apiV3Key,
          { baseUrl: w.sandbox.actionUrl },
        ),
      ),
    ]) {
      expect(await (await fetch(bad)).json()).toEqual(signError);
      expect(await take(bad)).toEqual(signError);
      expect(parseSendCouponResult(await take(bad))).toMatchObject({
        status: "error",
        errcode: "SIGN_ERROR",
      });
    }
    const misnamed = changed((u) => {
      u.searchParams.set("openid", u.searchParams.get("open_id") as string);
      u.searchParams.delete("open_id");
    });
    const missing = await take(misnamed);
    expect(missing.errcode).toBe(268435461);
    expect(missing.msg).toContain("open_id");
    const malformed = await take(changed((u) => u.searchParams.set("out_request_no", "a_b")));
    expect(malformed).toMatchObject({ errcode: "PARAM_ERROR" });
    expect(malformed.msg).toContain("out_request_no");
  });

  it("the H5 page checks the fragment the server never sees", async () => {
    const stockId = await createStock(w);
    const html = await (
      await fetch(await h5({ stock_id: stockId, out_request_no: unique("h5"), open_id: "o1" }))
    ).text();
    expect(html).toContain("268435461");
    expect(html).toContain("wechat_redirect$/.test(location.hash)");
    expectScriptCompiles(html);
  });
});

describe("the Mini Program page", () => {
  it("serves a form for the login state and the server's payload, posting to the plug-in route", async () => {
    const response = await fetch(`${w.sandbox.actionUrl}/mini-program`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain(`<option>${APPID}</option>`);
    expect(html).toContain('name="openid"');
    expect(html).toContain('name="payload"');
    expect(html).toContain('"/sandbox-action/busifavor/sendcoupon"');
    expect(html).not.toContain(w.sandbox.apiV2Key);
    expectScriptCompiles(html);
  });
});

describe("rules that need the clock or the stock's state (a sandbox of their own)", () => {
  let own: World;
  beforeAll(async () => {
    own = await startWorld();
  });
  afterAll(() => stopWorld(own));

  it("DAYLIMIT: max_coupons_by_day is reached; the next day it delivers again", async () => {
    const stockId = await createStock(own, { stock_send_rule: { max_coupons_by_day: 1 } });
    expect(
      codes(
        await deliver(own, unique("oDay"), [{ stock_id: stockId, out_request_no: unique("d") }]),
      ),
    ).toEqual(["SUCCESS"]);
    expect(
      codes(
        await deliver(own, unique("oDay"), [{ stock_id: stockId, out_request_no: unique("d") }]),
      ),
    ).toEqual(["DAYLIMIT"]);
    own.sandbox.advanceClock(86_400);
    expect(
      codes(
        await deliver(own, unique("oDay"), [{ stock_id: stockId, out_request_no: unique("d") }]),
      ),
    ).toEqual(["SUCCESS"]);
  });

  it("NOTRUNNING: a stock that is not running, or has expired", async () => {
    const paused = await createStock(own);
    const record = own.sandbox.store.stocks.get(paused);
    if (record) record.stock_state = "PAUSED";
    expect(
      codes(
        await deliver(own, unique("oRun"), [{ stock_id: paused, out_request_no: unique("r") }]),
      ),
    ).toEqual(["NOTRUNNING"]);
    const expiring = await createStock(own, {
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: at(-1), available_end_time: at(2) },
      },
    });
    own.sandbox.advanceClock(3 * 86_400);
    const answer = await deliver(own, unique("oRun"), [
      { stock_id: expiring, out_request_no: unique("r") },
    ]);
    expect(codes(answer)).toEqual(["NOTRUNNING"]);
    expect(answer.send_coupon_result[0].message).toContain("过期");
  });
});
