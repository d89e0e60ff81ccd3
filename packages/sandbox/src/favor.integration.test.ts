// The 18 cash coupon (代金券) operations through createMarketingClient against one sandbox over real
// HTTP on 127.0.0.1, in strictResponses mode: the stock lifecycle and budget, sending within the
// limits, the user paying (COUPON.USE, signed and encrypted, with retries), refunds, the flow files
// and their SHA-1, and FAVOR_STOCK partnerships. Each operation answers a success and an error.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApiError,
  BillDownloadError,
  type MarketingNotification,
  parseNotification,
} from "@wechatpay-marketing/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APPID,
  favorStockBody,
  type Harness,
  isCashCouponPath,
  startHarness,
  unique,
  uploadLogo,
} from "../test/fixtures.js";

const OTHER_APPID = "wx7777777777777777";
const PARTNER_APPID = "wx4e1916a585d1f4e9";
const OPENID = "oFavorUser0001";

// biome-ignore lint/suspicious/noExplicitAny: openapi-fetch results of many operations
type Result = { data?: any; error?: any; response: Response };

function ok<T extends Result>(result: T): NonNullable<T["data"]> {
  expect(result.error, JSON.stringify(result.error)).toBeUndefined();
  expect(result.response.status).toBeLessThan(300);
  return result.data as NonNullable<T["data"]>;
}

function fails(result: Result, status: number, code: string) {
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
  expect(result.error?.code).toBe(code);
  return result.error as { code: string; message: string; detail?: Record<string, unknown> };
}

// The typed client rejects bad bodies at compile time; these tests send them on purpose.
const loose = (value: unknown) => value as never;

/** Our notify URL: verifies and decrypts each COUPON.USE; the first `failures` answers are 500. */
function startReceiver(h: Harness) {
  const received: MarketingNotification[] = [];
  const state = { failures: 0, attempts: 0 };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      state.attempts += 1;
      if (state.failures > 0) {
        state.failures -= 1;
        response.writeHead(500).end();
        return;
      }
      parseNotification({ headers: request.headers, body }, h.sandbox.notificationOptions).then(
        (notification) => {
          received.push(notification);
          response.writeHead(204).end();
        },
        () => response.writeHead(401).end(),
      );
    });
  });
  return {
    received,
    state,
    listen: () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    url: () => `https://127.0.0.1:${(server.address() as AddressInfo).port}/favor-events`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let receiver: ReturnType<typeof startReceiver>;

beforeAll(async () => {
  h = await startHarness({ appids: [APPID, OTHER_APPID] });
  receiver = startReceiver(h);
  await receiver.listen();
});
afterAll(async () => {
  await h.sandbox.close();
  await receiver.close();
});

const mchid = () => h.sandbox.mchid;

async function createStock(overrides: Record<string, unknown> = {}) {
  return ok(
    await h.client.POST("/v3/marketing/favor/coupon-stocks", {
      body: loose(favorStockBody(mchid(), overrides)),
    }),
  ).stock_id as string;
}

async function startStock(stockId: string) {
  return ok(
    await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
      params: { path: { stock_id: stockId } },
      body: { stock_creator_mchid: mchid() },
    }),
  );
}

function send(stockId: string, openid = OPENID, out_request_no = unique("send"), appid = APPID) {
  return h.client.POST("/v3/marketing/favor/users/{openid}/coupons", {
    params: { path: { openid } },
    body: { stock_id: stockId, out_request_no, appid, stock_creator_mchid: mchid() },
  });
}

function getCoupon(couponId: string, openid = OPENID, appid = APPID) {
  return h.client.GET("/v3/marketing/favor/users/{openid}/coupons/{coupon_id}", {
    params: { path: { openid, coupon_id: couponId }, query: { appid } },
  });
}

/** The control route standing for the user paying at the till. */
async function pay(couponId: string, body: Record<string, unknown>, openid = OPENID) {
  const response = await fetch(
    `${h.sandbox.url}/sandbox/favor/users/${openid}/coupons/${couponId}/pay`,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("stocks: create, start, pause, restart, read", () => {
  let stockId: string;

  it("createFavorStock: unactivated, idempotent on out_request_no, budget and window checked", async () => {
    const body = favorStockBody(mchid());
    stockId = ok(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", { body: loose(body) }),
    ).stock_id;
    const again = ok(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", { body: loose(body) }),
    );
    expect(again.stock_id).toBe(stockId);
    fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose({ ...body, stock_name: "另一个批次" }),
      }),
      400,
      "INVALID_REQUEST",
    );
    const budget = fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose(favorStockBody(mchid(), { stock_use_rule: { max_amount: 5000 } })),
      }),
      400,
      "PARAM_ERROR",
    );
    expect(budget.detail).toMatchObject({ field: "/stock_use_rule/max_amount" });
    const long = fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose(favorStockBody(mchid(), { days: 91 })),
      }),
      400,
      "INVALID_REQUEST",
    );
    expect(long.message).toContain("90天");
    const past = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 19);
    fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose(favorStockBody(mchid(), { available_begin_time: `${past}+08:00` })),
      }),
      400,
      "INVALID_REQUEST",
    );
    // The request schemas are closed: an unknown field is named.
    const extra = fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose({ ...favorStockBody(mchid()), use_method: "OFF_LINE" }),
      }),
      400,
      "PARAM_ERROR",
    );
    expect(extra.detail?.field).toBe("/use_method");
    const stock = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid() } },
      }),
    );
    expect(stock).toMatchObject({
      stock_id: stockId,
      status: "unactivated",
      distributed_coupons: 0,
    });
  });

  it("createFavorStock: pictures must come from the marketing image upload", async () => {
    const madeUp = "https://wxpaylogo.qpic.cn/wxpaylogo/made-up/0";
    const refused = fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose(
          favorStockBody(mchid(), { pattern_info: { description: "x", merchant_logo: madeUp } }),
        ),
      }),
      400,
      "INVALID_REQUEST",
    );
    expect(refused.detail).toMatchObject({ field: "/pattern_info/merchant_logo", value: madeUp });
    const logo = await uploadLogo(h.client);
    await createStock({ pattern_info: { description: "x", merchant_logo: logo } });
  });

  it("getFavorStock: another creator's stock does not exist for the caller", async () => {
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: "1900000002" } },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  it("sendFavorCoupon: refused before the stock is started", async () => {
    const error = fails(await send(stockId), 400, "INVALID_REQUEST");
    expect(error.message).toBe("活动已结束或未激活");
  });

  it("startFavorStock: running; idempotent; a prepaid stock locks its budget from the balance", async () => {
    const before = h.sandbox.favor.balance();
    const started = await startStock(stockId);
    expect(h.sandbox.favor.balance()).toBe(before - 10_000);
    const again = await startStock(stockId);
    expect(again.start_time).toBe(started.start_time);
    expect(h.sandbox.favor.balance()).toBe(before - 10_000);
    // Unfunded stocks (免充值) lock nothing.
    await startStock(await createStock({ no_cash: true }));
    expect(h.sandbox.favor.balance()).toBe(before - 10_000);
    h.sandbox.favor.setBalance(5_000);
    const short = await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
      params: { path: { stock_id: await createStock() } },
      body: { stock_creator_mchid: mchid() },
    });
    fails(short, 403, "NOT_ENOUGH");
    h.sandbox.favor.setBalance(before - 10_000);
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
        params: { path: { stock_id: "404404" } },
        body: { stock_creator_mchid: mchid() },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  it("pause / restart: paused stocks send nothing; only a paused stock restarts", async () => {
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/restart", {
        params: { path: { stock_id: stockId } },
        body: { stock_creator_mchid: mchid() },
      }),
      400,
      "INVALID_REQUEST",
    );
    const paused = ok(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/pause", {
        params: { path: { stock_id: stockId } },
        body: { stock_creator_mchid: mchid() },
      }),
    );
    const pausedAgain = ok(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/pause", {
        params: { path: { stock_id: stockId } },
        body: { stock_creator_mchid: mchid() },
      }),
    );
    expect(pausedAgain.pause_time).toBe(paused.pause_time);
    fails(await send(stockId), 400, "INVALID_REQUEST");
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
        params: { path: { stock_id: stockId } },
        body: { stock_creator_mchid: mchid() },
      }),
      400,
      "INVALID_REQUEST",
    );
    ok(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/restart", {
        params: { path: { stock_id: stockId } },
        body: { stock_creator_mchid: mchid() },
      }),
    );
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/pause", {
        params: { path: { stock_id: "404404" } },
        body: { stock_creator_mchid: mchid() },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
    const stock = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid() } },
      }),
    );
    expect(stock.status).toBe("running");
  });

  it("listFavorStocks: by state, newest first, paged by page number; at most 10 a page", async () => {
    const all = ok(
      await h.client.GET("/v3/marketing/favor/stocks", {
        params: { query: { offset: 0, limit: 10, stock_creator_mchid: mchid() } },
      }),
    );
    expect(all.total_count).toBeGreaterThanOrEqual(4);
    const running = ok(
      await h.client.GET("/v3/marketing/favor/stocks", {
        params: {
          query: { offset: 0, limit: 10, stock_creator_mchid: mchid(), status: "running" },
        },
      }),
    );
    expect(running.data?.every((s: { status: string }) => s.status === "running")).toBe(true);
    const second = ok(
      await h.client.GET("/v3/marketing/favor/stocks", {
        params: { query: { offset: 1, limit: 1, stock_creator_mchid: mchid() } },
      }),
    );
    expect(second.data?.[0]?.stock_id).toBe(all.data?.[1]?.stock_id);
    fails(
      await h.client.GET("/v3/marketing/favor/stocks", {
        params: { query: { offset: 0, limit: loose(11), stock_creator_mchid: mchid() } },
      }),
      400,
      "PARAM_ERROR",
    );
  });
});

describe("sending within the budget and the limits", () => {
  it("sendFavorCoupon: idempotent on out_request_no; the per-user limit; an unbound AppID", async () => {
    const stockId = await createStock({
      stock_use_rule: { max_coupons: 5, max_coupons_per_user: 2 },
    });
    await startStock(stockId);
    const number = unique("send");
    const first = ok(await send(stockId, OPENID, number));
    expect(ok(await send(stockId, OPENID, number)).coupon_id).toBe(first.coupon_id);
    fails(await send(stockId, "oSomeoneElse", number), 400, "INVALID_REQUEST");
    ok(await send(stockId));
    expect(fails(await send(stockId), 403, "RULE_LIMIT").message).toBe("用户已达最大领券次数");
    fails(
      await send(stockId, "oAnother", unique("send"), "wx0000000000000000"),
      400,
      "APPID_MCHID_NOT_MATCH",
    );
    fails(await send("404404"), 404, "RESOURCE_NOT_EXISTS");
    const coupon = ok(await getCoupon(first.coupon_id));
    expect(coupon).toMatchObject({
      coupon_id: first.coupon_id,
      stock_id: stockId,
      status: "SENDED",
      no_cash: false,
    });
  });

  it("sendFavorCoupon: the total and the daily budget", async () => {
    const stockId = await createStock({
      stock_use_rule: { max_coupons: 2, max_coupons_per_user: 2 },
    });
    await startStock(stockId);
    ok(await send(stockId, "oBudget1"));
    ok(await send(stockId, "oBudget2"));
    expect(fails(await send(stockId, "oBudget3"), 403, "NOT_ENOUGH").message).toBe("批次预算不足");
    const daily = await createStock({
      stock_use_rule: { max_coupons: 5, max_coupons_per_user: 5, max_amount_by_day: 1000 },
    });
    await startStock(daily);
    ok(await send(daily, "oDaily1"));
    expect(fails(await send(daily, "oDaily2"), 403, "NOT_ENOUGH").message).toBe("今日发放已达上限");
    const stock = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid() } },
      }),
    );
    expect(stock.distributed_coupons).toBe(2);
  });

  it("sendFavorCoupon: natural_person_limit counts one person's accounts; prevent_api_abuse refuses flagged users", async () => {
    const stockId = await createStock({
      stock_use_rule: {
        max_coupons: 5,
        max_coupons_per_user: 1,
        natural_person_limit: true,
        prevent_api_abuse: true,
      },
    });
    await startStock(stockId);
    const control = (openid: string, body: unknown) =>
      fetch(`${h.sandbox.url}/sandbox/favor/users/${openid}/profile`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await control("oPersonA1", { natural_person: "person-a" })).status).toBe(200);
    expect((await control("oPersonA2", { natural_person: "person-a" })).status).toBe(200);
    expect((await control("oRisky", { risky: true })).status).toBe(200);
    ok(await send(stockId, "oPersonA1"));
    expect(fails(await send(stockId, "oPersonA2"), 403, "USER_AL_GET_COUPON").message).toBe(
      "超过自然人最大限领数",
    );
    fails(await send(stockId, "oRisky"), 403, "USER_ACCOUNT_ABNORMAL");
    // Without the flags, the same users receive coupons.
    const open = await createStock({ stock_use_rule: { max_coupons: 5, max_coupons_per_user: 1 } });
    await startStock(open);
    ok(await send(open, "oPersonA1"));
    ok(await send(open, "oPersonA2"));
    ok(await send(open, "oRisky"));
  });
});

describe("merchants, items and their change", () => {
  let itemStock: string;

  it("listFavorStockMerchants: the available merchants, the creator when none were named", async () => {
    const stockId = await createStock({
      coupon_use_rule: { available_merchants: [mchid(), "1900000002"] },
    });
    const page = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/merchants", {
        params: {
          path: { stock_id: stockId },
          query: { offset: 0, limit: 1, stock_creator_mchid: mchid() },
        },
      }),
    );
    expect(page).toMatchObject({
      total_count: 2,
      data: [mchid()],
      offset: 0,
      limit: 1,
      stock_id: stockId,
    });
    const plain = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/merchants", {
        params: {
          path: { stock_id: await createStock() },
          query: { offset: 0, limit: 10, stock_creator_mchid: mchid() },
        },
      }),
    );
    expect(plain.data).toEqual([mchid()]);
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/merchants", {
        params: {
          path: { stock_id: stockId },
          query: { offset: 0, limit: loose(51), stock_creator_mchid: mchid() },
        },
      }),
      400,
      "PARAM_ERROR",
    );
  });

  it("listFavorStockItems / updateFavorStockGoods: a single-item stock's codes change; others have none", async () => {
    itemStock = await createStock({
      coupon_use_rule: { available_items: ["6921168509256", "6921168509257"] },
    });
    const items = () =>
      h.client.GET("/v3/marketing/favor/stocks/{stock_id}/items", {
        params: {
          path: { stock_id: itemStock },
          query: { offset: 0, limit: 10, stock_creator_mchid: mchid() },
        },
      });
    expect(ok(await items()).data).toEqual(["6921168509256", "6921168509257"]);
    ok(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/modify-goods-id", {
        params: { path: { stock_id: itemStock } },
        body: {
          stock_creator_mchid: mchid(),
          add_goods_id_list: ["6921168509258"],
          delete_goods_id_list: ["6921168509257"],
        },
      }),
    );
    expect(ok(await items()).data).toEqual(["6921168509256", "6921168509258"]);
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/modify-goods-id", {
        params: { path: { stock_id: itemStock } },
        body: { stock_creator_mchid: mchid(), delete_goods_id_list: ["6921168509257"] },
      }),
      400,
      "INVALID_REQUEST",
    );
    const plain = await createStock();
    fails(
      await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/modify-goods-id", {
        params: { path: { stock_id: plain } },
        body: { stock_creator_mchid: mchid(), add_goods_id_list: ["1"] },
      }),
      400,
      "INVALID_REQUEST",
    );
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/items", {
        params: {
          path: { stock_id: "404404" },
          query: { offset: 0, limit: 10, stock_creator_mchid: mchid() },
        },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  it("a single-item coupon is used only on an order with one of its items", async () => {
    await startStock(itemStock);
    const { coupon_id } = ok(await send(itemStock, "oItems"));
    expect(
      (
        await pay(
          coupon_id,
          { order_amount: 20000, goods_detail: [{ goods_id: "other", quantity: 1, price: 20000 }] },
          "oItems",
        )
      ).status,
    ).toBe(400);
    const paid = await pay(
      coupon_id,
      {
        order_amount: 20000,
        goods_detail: [{ goods_id: "6921168509256", quantity: 2, price: 10000 }],
      },
      "oItems",
    );
    expect(paid).toMatchObject({ status: 200, body: { discount: 1000, payer_total: 19000 } });
  });
});

describe("the user pays: COUPON.USE, user coupon queries, flows and their files", () => {
  let stockId: string;
  let couponId: string;
  let usedAt: string;

  it("setFavorCallback / getFavorCallback: https only, the creating merchant only", async () => {
    fails(
      await h.client.GET("/v3/marketing/favor/callbacks", {
        params: { query: { mchid: mchid() } },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
    fails(
      await h.client.POST("/v3/marketing/favor/callbacks", {
        body: { mchid: mchid(), notify_url: "http://127.0.0.1/x" },
      }),
      400,
      "PARAM_ERROR",
    );
    fails(
      await h.client.POST("/v3/marketing/favor/callbacks", {
        body: { mchid: mchid(), notify_url: receiver.url(), switch: false },
      }),
      400,
      "INVALID_REQUEST",
    );
    fails(
      await h.client.POST("/v3/marketing/favor/callbacks", {
        body: { mchid: "1900000002", notify_url: receiver.url() },
      }),
      400,
      "INVALID_REQUEST",
    );
    const set = ok(
      await h.client.POST("/v3/marketing/favor/callbacks", {
        body: { mchid: mchid(), notify_url: receiver.url(), switch: true },
      }),
    );
    expect(set.notify_url).toBe(receiver.url());
    expect(
      ok(
        await h.client.GET("/v3/marketing/favor/callbacks", {
          params: { query: { mchid: mchid() } },
        }),
      ),
    ).toEqual({ notify_url: receiver.url(), mchid: mchid() });
    fails(
      await h.client.GET("/v3/marketing/favor/callbacks", {
        params: { query: { mchid: "1900000002" } },
      }),
      403,
      "NO_AUTH",
    );
  });

  it("the user pays: the coupon is USED and COUPON.USE arrives, signed, encrypted and retried", async () => {
    stockId = await createStock({ stock_use_rule: { max_coupons: 5, max_coupons_per_user: 3 } });
    await startStock(stockId);
    couponId = ok(await send(stockId)).coupon_id;
    expect((await pay(couponId, { order_amount: 9999 })).status).toBe(400); // below the threshold
    receiver.state.failures = 1; // the first delivery fails: WeChat Pay sends it again
    const before = receiver.state.attempts;
    const paid = await pay(couponId, { order_amount: 12800 });
    expect(paid).toMatchObject({
      status: 200,
      body: { coupon_id: couponId, discount: 1000, payer_total: 11800, notified: true },
    });
    await until(
      () =>
        receiver.received.some(
          (n) => n.eventType === "COUPON.USE" && n.resource.coupon_id === couponId,
        ),
      "COUPON.USE",
    );
    expect(receiver.state.attempts - before).toBe(2);
    const notification = receiver.received.find((n) => n.eventType === "COUPON.USE");
    if (notification?.eventType !== "COUPON.USE") throw new Error("no COUPON.USE");
    expect(notification.resource).toMatchObject({
      stock_creator_mchid: mchid(),
      stock_id: stockId,
      coupon_id: couponId,
      status: "USED",
      consume_information: { consume_mchid: mchid(), transaction_id: paid.body.transaction_id },
    });
    usedAt = notification.resource.consume_information?.consume_time ?? "";
    // Our receiver has the notification before its 204 reaches the sandbox: wait for that too.
    const delivery = () => h.sandbox.notifications().find((d) => d.event_type === "COUPON.USE");
    await until(() => delivery()?.state === "DELIVERED", "the delivery to be recorded");
    expect(delivery()?.attempts).toHaveLength(2);
    expect((await pay(couponId, { order_amount: 12800 })).status).toBe(400); // used once only
  });

  it("getFavorCoupon: USED with its payment; another user's or another AppID's is refused", async () => {
    const coupon = ok(await getCoupon(couponId));
    expect(coupon).toMatchObject({ status: "USED", consume_information: { consume_time: usedAt } });
    fails(await getCoupon(couponId, "oSomeoneElse"), 404, "RESOURCE_NOT_EXISTS");
    fails(await getCoupon(couponId, OPENID, OTHER_APPID), 400, "INVALID_REQUEST");
    fails(await getCoupon(couponId, OPENID, "wx0000000000000000"), 400, "APPID_MCHID_NOT_MATCH");
  });

  it("listFavorCoupons: SENDED usable only, USED adds the used; available_mchid; a merchant filter is required", async () => {
    const usable = ok(await send(stockId)).coupon_id;
    const list = (query: Record<string, unknown>) =>
      h.client.GET("/v3/marketing/favor/users/{openid}/coupons", {
        params: {
          path: { openid: OPENID },
          query: loose({ appid: APPID, stock_id: stockId, ...query }),
        },
      });
    const sended = ok(await list({ creator_mchid: mchid(), status: "SENDED" }));
    expect(sended.data.map((c: { coupon_id: string }) => c.coupon_id)).toEqual([usable]);
    const used = ok(await list({ creator_mchid: mchid(), status: "USED" }));
    expect(used.data.map((c: { coupon_id: string }) => c.coupon_id).sort()).toEqual(
      [couponId, usable].sort(),
    );
    const here = ok(await list({ available_mchid: mchid(), stock_id: undefined }));
    expect(here.data.every((c: { status: string }) => c.status === "SENDED")).toBe(true);
    expect(here.data.map((c: { coupon_id: string }) => c.coupon_id)).toContain(usable);
    fails(await list({}), 400, "PARAM_ERROR");
    fails(await list({ creator_mchid: "1900000002" }), 403, "NO_AUTH");
    fails(await list({ creator_mchid: mchid(), stock_id: "404404" }), 404, "RESOURCE_NOT_EXISTS");
  });

  it("getFavorUseFlowByDay: today's uses, downloaded and checked against their SHA-1", async () => {
    const day = usedAt.slice(0, 10);
    const link = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow-by-day", {
        params: { path: { stock_id: stockId }, query: { bill_date: day } },
      }),
    );
    expect(link).toMatchObject({ stock_useflow_count: "1" });
    const file = await h.client.downloadBill(link);
    expect(file.sha1).toBe(link.stock_useflow_hash);
    const [header, row] = file.text().trim().split("\n");
    expect(header).toContain("批次id");
    expect(row).toContain(`${stockId},${couponId},全场券,10.00,128.00`);
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow-by-day", {
        params: { path: { stock_id: stockId }, query: { bill_date: "2020-01-01" } },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  it("downloadBill refuses a file whose SHA-1 differs, a link off WeChat Pay, and an expired link", async () => {
    const link = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow-by-day", {
        params: { path: { stock_id: stockId }, query: { bill_date: usedAt.slice(0, 10) } },
      }),
    );
    const tampered = { ...link, stock_useflow_hash: "0".repeat(40) };
    const mismatch = await h.client.downloadBill(tampered).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(BillDownloadError);
    expect(mismatch).toMatchObject({
      reason: "hash-mismatch",
      expected: "0".repeat(40),
      actual: link.stock_useflow_hash,
    });
    const elsewhere = await h.client
      .downloadBill({ ...link, url: "https://evil.example/v3/billdownload/file?token=x" })
      .catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ reason: "untrusted-url" });
    expect(String((elsewhere as Error).message)).not.toContain("token");
    // Unsigned, the download is refused like any APIv3 call.
    expect((await fetch(link.url)).status).toBe(401);
    h.sandbox.advanceClock(31);
    const expired = await h.client.downloadBill(link).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(ApiError);
    expect(expired).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
  });

  it("the payment is refunded: the coupon comes back; getFavorRefundFlowByDay lists it", async () => {
    const refunded = await fetch(
      `${h.sandbox.url}/sandbox/favor/users/${OPENID}/coupons/${couponId}/refund`,
      { method: "POST" },
    );
    expect(await refunded.json()).toMatchObject({
      coupon_id: couponId,
      status: "SENDED",
      returned: 1000,
    });
    expect(ok(await getCoupon(couponId)).status).toBe("SENDED");
    const today = new Date(Date.now() + 8 * 3600_000 + 31_000).toISOString().slice(0, 10);
    const link = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/refund-flow-by-day", {
        params: { path: { stock_id: stockId }, query: { bill_date: today } },
      }),
    );
    expect(link.stock_refundflow_count).toBe("1");
    expect((await h.client.downloadBill(link)).text()).toContain(
      `${stockId},${couponId},全场券,10.00`,
    );
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/refund-flow-by-day", {
        params: { path: { stock_id: stockId }, query: { bill_date: "2999-01-01" } },
      }),
      400,
      "INVALID_REQUEST",
    );
  });
});

describe("delegated marketing of a cash coupon stock (FAVOR_STOCK)", () => {
  it("buildPartnership: the stock must exist and be the merchant's; the partner AppID then sends it", async () => {
    const stockId = await createStock({
      stock_use_rule: { max_coupons: 5, max_coupons_per_user: 1 },
    });
    await startStock(stockId);
    const build = (stock_id: string) =>
      h.client.POST("/v3/marketing/partnerships/build", {
        params: { header: { "Idempotency-Key": unique("build") } },
        body: {
          partner: { type: "APPID", appid: PARTNER_APPID },
          authorized_data: { business_type: "FAVOR_STOCK", stock_id },
        },
      });
    fails(await build("404404"), 404, "RESOURCE_NOT_EXISTS");
    fails(
      await send(stockId, "oPartnerUser", unique("send"), PARTNER_APPID),
      400,
      "APPID_MCHID_NOT_MATCH",
    );
    expect(ok(await build(stockId)).state).toBe("ESTABLISHED");
    ok(await send(stockId, "oPartnerUser", unique("send"), PARTNER_APPID));
    // Authorised for that stock only.
    const other = await createStock();
    await startStock(other);
    fails(
      await send(other, "oPartnerUser", unique("send"), PARTNER_APPID),
      400,
      "APPID_MCHID_NOT_MATCH",
    );
  });
});

describe("the end of a stock", () => {
  it("use and refund flows are ready from 10:00 the day after the end; the prepaid budget left comes back", async () => {
    const stockId = await createStock({
      days: 1,
      stock_use_rule: { max_coupons: 3, max_coupons_per_user: 3 },
    });
    const before = h.sandbox.favor.balance();
    await startStock(stockId);
    const { coupon_id } = ok(await send(stockId, "oEnding"));
    expect((await pay(coupon_id, { order_amount: 10000 }, "oEnding")).status).toBe(200);
    const flow = () =>
      h.client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow", {
        params: { path: { stock_id: stockId } },
      });
    const early = fails(await flow(), 400, "INVALID_REQUEST");
    expect(early.message).toContain("次日10点");
    h.sandbox.advanceClock(2 * 86_400 + 11 * 3600); // past the end and 10:00 of the next day
    const link = ok(await flow());
    expect(link.hash_type).toBe("SHA1");
    const file = await h.client.downloadBill(link);
    expect(file.sha1).toBe(link.hash_value);
    expect(file.text()).toContain(`${stockId},${coupon_id}`);
    const refunds = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/refund-flow", {
        params: { path: { stock_id: stockId } },
      }),
    );
    expect((await h.client.downloadBill(refunds)).text().trim().split("\n")).toHaveLength(1); // the header only
    fails(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/refund-flow", {
        params: { path: { stock_id: "404404" } },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
    const stock = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid() } },
      }),
    );
    expect(stock.status).toBe("stoped");
    expect(stock.stop_time).toBeDefined();
    // 3,000 fen locked, 1,000 spent: 2,000 come back.
    expect(h.sandbox.favor.balance()).toBe(before - 1000);
    fails(await send(stockId, "oLate"), 400, "INVALID_REQUEST");
  });
});

describe("coverage", () => {
  it("every cash coupon operation answered a success and an error, and no answer broke the document", () => {
    const favor = h.sandbox.operations.filter((o) => isCashCouponPath(o.path));
    expect(favor).toHaveLength(18);
    const missing = favor
      .filter((o) => {
        const seen = h.outcomes.get(o.operationId);
        return !seen?.has("success") || !seen.has("error");
      })
      .map(
        (o) =>
          `${o.operationId} (${[...(h.outcomes.get(o.operationId) ?? [])].join("+") || "never called"})`,
      );
    expect(missing).toEqual([]);
    expect(h.sandbox.violations).toEqual([]);
  });
});
