// The 18 cash coupon (代金券) operations through createMarketingClient against a sandbox over real
// HTTP on 127.0.0.1, in strictResponses mode: the stock lifecycle and budget, sending within the
// limits, the user paying (COUPON.USE, signed and encrypted, with retries), refunds, the flow files
// and their SHA-1, and FAVOR_STOCK partnerships. Each operation answers a success and an error.
//
// Each test starts a sandbox of its own and creates the stocks and coupons it needs, so
// `vitest -t <name>` runs any one alone and in any order; the coverage test runs them all again.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApiError,
  BillDownloadError,
  type MarketingNotification,
  parseNotification,
} from "@wechatpay-marketing/client";
import { operations } from "@wechatpay-marketing/openapi";
import { APPID, at, favorStockBody, unique } from "@wechatpay-marketing/test-fixtures";
import { describe, expect, it } from "vitest";
import { type Harness, isCashCouponPath, uploadLogo } from "../test/fixtures.js";
import { defineScenarios, fails, loose, ok } from "../test/scenarios.js";

const OTHER_APPID = "wx7777777777777777";
const PARTNER_APPID = "wx4e1916a585d1f4e9";
const OPENID = "oFavorUser0001";
/** A notify URL for the tests that only set and read it (nothing is sent to it). */
const NOTIFY_URL = "https://merchant.example.com/wechatpay/favor-events";

const { scenario, uncovered } = defineScenarios({ appids: [APPID, OTHER_APPID] });

/**
 * Our notify URL, for the test that `run`s with it: verifies and decrypts each COUPON.USE; the
 * first `failures` answers are 500. Closed when `run` settles.
 */
async function withReceiver(
  h: Harness,
  run: (receiver: {
    received: MarketingNotification[];
    state: { failures: number; attempts: number };
    url: string;
  }) => Promise<void>,
): Promise<void> {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await run({ received, state, url: `https://127.0.0.1:${port}/favor-events` });
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

const mchid = (h: Harness) => h.sandbox.mchid;

async function createStock(h: Harness, overrides: Record<string, unknown> = {}) {
  return ok(
    await h.client.POST("/v3/marketing/favor/coupon-stocks", {
      body: loose(favorStockBody(mchid(h), overrides)),
    }),
  ).stock_id as string;
}

async function startStock(h: Harness, stockId: string) {
  return ok(
    await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
      params: { path: { stock_id: stockId } },
      body: { stock_creator_mchid: mchid(h) },
    }),
  );
}

/** A stock created and started: coupons can be sent from it. */
async function runningStock(h: Harness, overrides: Record<string, unknown> = {}) {
  const stockId = await createStock(h, overrides);
  await startStock(h, stockId);
  return stockId;
}

function send(
  h: Harness,
  stockId: string,
  openid = OPENID,
  out_request_no = unique("send"),
  appid = APPID,
) {
  return h.client.POST("/v3/marketing/favor/users/{openid}/coupons", {
    params: { path: { openid } },
    body: { stock_id: stockId, out_request_no, appid, stock_creator_mchid: mchid(h) },
  });
}

function getCoupon(h: Harness, couponId: string, openid = OPENID, appid = APPID) {
  return h.client.GET("/v3/marketing/favor/users/{openid}/coupons/{coupon_id}", {
    params: { path: { openid, coupon_id: couponId }, query: { appid } },
  });
}

/** A control API request, with the sandbox's token. */
async function control(h: Harness, path: string, body?: Record<string, unknown>) {
  const response = await fetch(`${h.sandbox.url}/sandbox/favor/${path}`, {
    method: "POST",
    headers: h.sandbox.controlHeaders,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The control route standing for the user paying at the till. */
const pay = (h: Harness, couponId: string, body: Record<string, unknown>, openid = OPENID) =>
  control(h, `users/${openid}/coupons/${couponId}/pay`, body);

/** A coupon of a fresh running stock (5 coupons, 3 per user), sent to OPENID and paid with. */
async function usedCoupon(h: Harness) {
  const stockId = await runningStock(h, {
    stock_use_rule: { max_coupons: 5, max_coupons_per_user: 3 },
  });
  const couponId = ok(await send(h, stockId)).coupon_id as string;
  expect((await pay(h, couponId, { order_amount: 12800 })).status).toBe(200);
  const coupon = ok(await getCoupon(h, couponId));
  return { stockId, couponId, usedAt: coupon.consume_information?.consume_time as string };
}

/** The link of the day's use flow of a stock with one coupon used. */
async function useFlowOfTheDay(h: Harness) {
  const used = await usedCoupon(h);
  const link = ok(
    await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow-by-day", {
      params: { path: { stock_id: used.stockId }, query: { bill_date: used.usedAt.slice(0, 10) } },
    }),
  );
  return { ...used, link };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("stocks: create, start, pause, restart, read", () => {
  scenario(
    "createFavorStock: unactivated, idempotent on out_request_no, budget and window checked",
    async (h) => {
      const body = favorStockBody(mchid(h));
      const stockId = ok(
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
          body: loose(favorStockBody(mchid(h), { stock_use_rule: { max_amount: 5000 } })),
        }),
        400,
        "PARAM_ERROR",
      );
      expect(budget.detail).toMatchObject({ field: "/stock_use_rule/max_amount" });
      const long = fails(
        await h.client.POST("/v3/marketing/favor/coupon-stocks", {
          body: loose(favorStockBody(mchid(h), { days: 91 })),
        }),
        400,
        "INVALID_REQUEST",
      );
      expect(long.message).toContain("90天");
      fails(
        await h.client.POST("/v3/marketing/favor/coupon-stocks", {
          body: loose(favorStockBody(mchid(h), { available_begin_time: at(-1 / 24) })),
        }),
        400,
        "INVALID_REQUEST",
      );
      // The request schemas are closed: an unknown field is named.
      const extra = fails(
        await h.client.POST("/v3/marketing/favor/coupon-stocks", {
          body: loose({ ...favorStockBody(mchid(h)), use_method: "OFF_LINE" }),
        }),
        400,
        "PARAM_ERROR",
      );
      expect(extra.detail?.field).toBe("/use_method");
      const stock = ok(
        await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
          params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid(h) } },
        }),
      );
      expect(stock).toMatchObject({
        stock_id: stockId,
        status: "unactivated",
        distributed_coupons: 0,
      });
    },
  );

  scenario("createFavorStock: pictures must come from the marketing image upload", async (h) => {
    const madeUp = "https://wxpaylogo.qpic.cn/wxpaylogo/made-up/0";
    const refused = fails(
      await h.client.POST("/v3/marketing/favor/coupon-stocks", {
        body: loose(
          favorStockBody(mchid(h), { pattern_info: { description: "x", merchant_logo: madeUp } }),
        ),
      }),
      400,
      "INVALID_REQUEST",
    );
    expect(refused.detail).toMatchObject({ field: "/pattern_info/merchant_logo", value: madeUp });
    const logo = await uploadLogo(h.client);
    await createStock(h, { pattern_info: { description: "x", merchant_logo: logo } });
  });

  scenario(
    "getFavorStock: the creator reads it; another creator's stock does not exist for the caller",
    async (h) => {
      const stockId = await createStock(h);
      const read = (creator: string) =>
        h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
          params: { path: { stock_id: stockId }, query: { stock_creator_mchid: creator } },
        });
      expect(ok(await read(mchid(h)))).toMatchObject({ stock_id: stockId, status: "unactivated" });
      fails(await read("1900000002"), 404, "RESOURCE_NOT_EXISTS");
    },
  );

  scenario("sendFavorCoupon: refused before the stock is started", async (h) => {
    const error = fails(await send(h, await createStock(h)), 400, "INVALID_REQUEST");
    expect(error.message).toBe("活动已结束或未激活");
  });

  scenario(
    "startFavorStock: running; idempotent; a prepaid stock locks its budget from the balance",
    async (h) => {
      const stockId = await createStock(h);
      const before = h.sandbox.favor.balance();
      const started = await startStock(h, stockId);
      expect(h.sandbox.favor.balance()).toBe(before - 10_000);
      const again = await startStock(h, stockId);
      expect(again.start_time).toBe(started.start_time);
      expect(h.sandbox.favor.balance()).toBe(before - 10_000);
      // Unfunded stocks (免充值) lock nothing.
      await runningStock(h, { no_cash: true });
      expect(h.sandbox.favor.balance()).toBe(before - 10_000);
      h.sandbox.favor.setBalance(5_000);
      const short = await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
        params: { path: { stock_id: await createStock(h) } },
        body: { stock_creator_mchid: mchid(h) },
      });
      fails(short, 403, "NOT_ENOUGH");
      fails(
        await h.client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
          params: { path: { stock_id: "404404" } },
          body: { stock_creator_mchid: mchid(h) },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "pause / restart: paused stocks send nothing; only a paused stock restarts",
    async (h) => {
      const stockId = await runningStock(h);
      const change = (action: "pause" | "restart" | "start", stock_id = stockId) =>
        h.client.POST(`/v3/marketing/favor/stocks/{stock_id}/${action}`, {
          params: { path: { stock_id } },
          body: { stock_creator_mchid: mchid(h) },
        });
      fails(await change("restart"), 400, "INVALID_REQUEST");
      const paused = ok(await change("pause"));
      expect(paused).toMatchObject({ stock_id: stockId, pause_time: expect.any(String) });
      // Pausing again answers the same pause time.
      expect(ok(await change("pause"))).toEqual(paused);
      fails(await send(h, stockId), 400, "INVALID_REQUEST");
      fails(await change("start"), 400, "INVALID_REQUEST");
      ok(await change("restart"));
      fails(await change("pause", "404404"), 404, "RESOURCE_NOT_EXISTS");
      const stock = ok(
        await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
          params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid(h) } },
        }),
      );
      expect(stock.status).toBe("running");
      ok(await send(h, stockId));
    },
  );

  scenario(
    "listFavorStocks: by state, newest first, paged by page number; at most 10 a page",
    async (h) => {
      const first = await createStock(h);
      const running = await runningStock(h);
      const newest = await createStock(h);
      const list = (query: Record<string, unknown>) =>
        h.client.GET("/v3/marketing/favor/stocks", {
          params: { query: loose({ stock_creator_mchid: mchid(h), ...query }) },
        });
      const all = ok(await list({ offset: 0, limit: 10 }));
      expect(all.total_count).toBe(3);
      expect(all.data?.map((s: { stock_id: string }) => s.stock_id)).toEqual([
        newest,
        running,
        first,
      ]);
      const started = ok(await list({ offset: 0, limit: 10, status: "running" }));
      expect(started.data?.map((s: { stock_id: string }) => s.stock_id)).toEqual([running]);
      const second = ok(await list({ offset: 1, limit: 1 }));
      expect(second.data?.[0]?.stock_id).toBe(running);
      fails(await list({ offset: 0, limit: 11 }), 400, "PARAM_ERROR");
    },
  );
});

describe("sending within the budget and the limits", () => {
  scenario(
    "sendFavorCoupon: idempotent on out_request_no; the per-user limit; an unbound AppID",
    async (h) => {
      const stockId = await runningStock(h, {
        stock_use_rule: { max_coupons: 5, max_coupons_per_user: 2 },
      });
      const number = unique("send");
      const first = ok(await send(h, stockId, OPENID, number));
      expect(ok(await send(h, stockId, OPENID, number)).coupon_id).toBe(first.coupon_id);
      fails(await send(h, stockId, "oSomeoneElse", number), 400, "INVALID_REQUEST");
      ok(await send(h, stockId));
      expect(fails(await send(h, stockId), 403, "RULE_LIMIT").message).toBe("用户已达最大领券次数");
      fails(
        await send(h, stockId, "oAnother", unique("send"), "wx0000000000000000"),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
      fails(await send(h, "404404"), 404, "RESOURCE_NOT_EXISTS");
      expect(ok(await getCoupon(h, first.coupon_id))).toMatchObject({
        coupon_id: first.coupon_id,
        stock_id: stockId,
        status: "SENDED",
        no_cash: false,
      });
    },
  );

  scenario("sendFavorCoupon: the total and the daily budget", async (h) => {
    const stockId = await runningStock(h, {
      stock_use_rule: { max_coupons: 2, max_coupons_per_user: 2 },
    });
    ok(await send(h, stockId, "oBudget1"));
    ok(await send(h, stockId, "oBudget2"));
    expect(fails(await send(h, stockId, "oBudget3"), 403, "NOT_ENOUGH").message).toBe(
      "批次预算不足",
    );
    const daily = await runningStock(h, {
      stock_use_rule: { max_coupons: 5, max_coupons_per_user: 5, max_amount_by_day: 1000 },
    });
    ok(await send(h, daily, "oDaily1"));
    expect(fails(await send(h, daily, "oDaily2"), 403, "NOT_ENOUGH").message).toBe(
      "今日发放已达上限",
    );
    const stock = ok(
      await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid(h) } },
      }),
    );
    expect(stock.distributed_coupons).toBe(2);
  });

  scenario(
    "sendFavorCoupon: natural_person_limit counts one person's accounts; prevent_api_abuse refuses flagged users",
    async (h) => {
      const stockId = await runningStock(h, {
        stock_use_rule: {
          max_coupons: 5,
          max_coupons_per_user: 1,
          natural_person_limit: true,
          prevent_api_abuse: true,
        },
      });
      const profile = (openid: string, body: Record<string, unknown>) =>
        control(h, `users/${openid}/profile`, body);
      expect((await profile("oPersonA1", { natural_person: "person-a" })).status).toBe(200);
      expect((await profile("oPersonA2", { natural_person: "person-a" })).status).toBe(200);
      expect((await profile("oRisky", { risky: true })).status).toBe(200);
      ok(await send(h, stockId, "oPersonA1"));
      expect(fails(await send(h, stockId, "oPersonA2"), 403, "USER_AL_GET_COUPON").message).toBe(
        "超过自然人最大限领数",
      );
      fails(await send(h, stockId, "oRisky"), 403, "USER_ACCOUNT_ABNORMAL");
      // Without the flags, the same users receive coupons.
      const open = await runningStock(h, {
        stock_use_rule: { max_coupons: 5, max_coupons_per_user: 1 },
      });
      ok(await send(h, open, "oPersonA1"));
      ok(await send(h, open, "oPersonA2"));
      ok(await send(h, open, "oRisky"));
    },
  );
});

describe("merchants, items and their change", () => {
  const itemStock = (h: Harness) =>
    createStock(h, { coupon_use_rule: { available_items: ["6921168509256", "6921168509257"] } });

  scenario(
    "listFavorStockMerchants: the available merchants, the creator when none were named",
    async (h) => {
      const stockId = await createStock(h, {
        coupon_use_rule: { available_merchants: [mchid(h), "1900000002"] },
      });
      const merchants = (stock_id: string, limit: number) =>
        h.client.GET("/v3/marketing/favor/stocks/{stock_id}/merchants", {
          params: {
            path: { stock_id },
            query: loose({ offset: 0, limit, stock_creator_mchid: mchid(h) }),
          },
        });
      expect(ok(await merchants(stockId, 1))).toMatchObject({
        total_count: 2,
        data: [mchid(h)],
        offset: 0,
        limit: 1,
        stock_id: stockId,
      });
      expect(ok(await merchants(await createStock(h), 10)).data).toEqual([mchid(h)]);
      fails(await merchants(stockId, 51), 400, "PARAM_ERROR");
    },
  );

  scenario(
    "listFavorStockItems / updateFavorStockGoods: a single-item stock's codes change; others have none",
    async (h) => {
      const stockId = await itemStock(h);
      const items = (stock_id: string) =>
        h.client.GET("/v3/marketing/favor/stocks/{stock_id}/items", {
          params: {
            path: { stock_id },
            query: { offset: 0, limit: 10, stock_creator_mchid: mchid(h) },
          },
        });
      const modify = (stock_id: string, change: Record<string, string[]>) =>
        h.client.POST("/v3/marketing/favor/stocks/{stock_id}/modify-goods-id", {
          params: { path: { stock_id } },
          body: { stock_creator_mchid: mchid(h), ...change },
        });
      expect(ok(await items(stockId)).data).toEqual(["6921168509256", "6921168509257"]);
      ok(
        await modify(stockId, {
          add_goods_id_list: ["6921168509258"],
          delete_goods_id_list: ["6921168509257"],
        }),
      );
      expect(ok(await items(stockId)).data).toEqual(["6921168509256", "6921168509258"]);
      fails(
        await modify(stockId, { delete_goods_id_list: ["6921168509257"] }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await modify(await createStock(h), { add_goods_id_list: ["1"] }),
        400,
        "INVALID_REQUEST",
      );
      fails(await items("404404"), 404, "RESOURCE_NOT_EXISTS");
    },
  );

  scenario("a single-item coupon is used only on an order with one of its items", async (h) => {
    const stockId = await itemStock(h);
    await startStock(h, stockId);
    const { coupon_id } = ok(await send(h, stockId, "oItems"));
    const other = await pay(
      h,
      coupon_id,
      { order_amount: 20000, goods_detail: [{ goods_id: "other", quantity: 1, price: 20000 }] },
      "oItems",
    );
    expect(other.status).toBe(400);
    const paid = await pay(
      h,
      coupon_id,
      {
        order_amount: 20000,
        goods_detail: [{ goods_id: "6921168509256", quantity: 2, price: 10000, extra: "dropped" }],
      },
      "oItems",
    );
    expect(paid).toMatchObject({ status: 200, body: { discount: 1000, payer_total: 19000 } });
    // The order's items reach the coupon field by field: what the control route does not know is dropped.
    const coupon = ok(await getCoupon(h, coupon_id, "oItems"));
    expect(coupon.consume_information?.goods_detail).toEqual([
      { goods_id: "6921168509256", quantity: 2, price: 10000, discount_amount: 1000 },
    ]);
  });
});

describe("the user pays: COUPON.USE, user coupon queries, flows and their files", () => {
  scenario(
    "setFavorCallback / getFavorCallback: https only, the creating merchant only",
    async (h) => {
      const get = (merchant: string) =>
        h.client.GET("/v3/marketing/favor/callbacks", { params: { query: { mchid: merchant } } });
      const set = (body: { mchid: string; notify_url: string; switch?: boolean }) =>
        h.client.POST("/v3/marketing/favor/callbacks", { body });
      fails(await get(mchid(h)), 404, "RESOURCE_NOT_EXISTS");
      fails(await set({ mchid: mchid(h), notify_url: "http://127.0.0.1/x" }), 400, "PARAM_ERROR");
      fails(
        await set({ mchid: mchid(h), notify_url: NOTIFY_URL, switch: false }),
        400,
        "INVALID_REQUEST",
      );
      fails(await set({ mchid: "1900000002", notify_url: NOTIFY_URL }), 400, "INVALID_REQUEST");
      const saved = ok(await set({ mchid: mchid(h), notify_url: NOTIFY_URL, switch: true }));
      expect(saved.notify_url).toBe(NOTIFY_URL);
      expect(ok(await get(mchid(h)))).toEqual({ notify_url: NOTIFY_URL, mchid: mchid(h) });
      fails(await get("1900000002"), 403, "NO_AUTH");
    },
  );

  scenario(
    "the user pays: the coupon is USED and COUPON.USE arrives, signed, encrypted and retried",
    (h) =>
      withReceiver(h, async (receiver) => {
        ok(
          await h.client.POST("/v3/marketing/favor/callbacks", {
            body: { mchid: mchid(h), notify_url: receiver.url },
          }),
        );
        const stockId = await runningStock(h);
        const couponId = ok(await send(h, stockId)).coupon_id;
        expect((await pay(h, couponId, { order_amount: 9999 })).status).toBe(400); // below the threshold
        receiver.state.failures = 1; // the first delivery fails: WeChat Pay sends it again
        const paid = await pay(h, couponId, { order_amount: 12800 });
        expect(paid).toMatchObject({
          status: 200,
          body: { coupon_id: couponId, discount: 1000, payer_total: 11800, notified: true },
        });
        await until(() => receiver.received.length > 0, "COUPON.USE");
        expect(receiver.state.attempts).toBe(2);
        const [notification] = receiver.received;
        if (notification?.eventType !== "COUPON.USE") throw new Error("no COUPON.USE");
        expect(notification.resource).toMatchObject({
          stock_creator_mchid: mchid(h),
          stock_id: stockId,
          coupon_id: couponId,
          status: "USED",
          consume_information: {
            consume_mchid: mchid(h),
            transaction_id: paid.body.transaction_id,
          },
        });
        // The envelope carries the summary the document's webhook names (x-notification).
        expect(notification.summary).toBe("用券成功");
        const delivery = () => h.sandbox.notifications().find((d) => d.event_type === "COUPON.USE");
        // Our receiver has the notification before its 204 reaches the sandbox: wait for that too.
        await until(() => delivery()?.state === "DELIVERED", "the delivery to be recorded");
        expect(delivery()?.attempts).toHaveLength(2);
        expect((await pay(h, couponId, { order_amount: 12800 })).status).toBe(400); // used once only
      }),
  );

  scenario(
    "getFavorCoupon: USED with its payment; another user's or another AppID's is refused",
    async (h) => {
      const { couponId, usedAt } = await usedCoupon(h);
      expect(usedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(ok(await getCoupon(h, couponId))).toMatchObject({
        status: "USED",
        consume_information: { consume_time: usedAt, consume_mchid: mchid(h) },
      });
      fails(await getCoupon(h, couponId, "oSomeoneElse"), 404, "RESOURCE_NOT_EXISTS");
      fails(await getCoupon(h, couponId, OPENID, OTHER_APPID), 400, "INVALID_REQUEST");
      fails(
        await getCoupon(h, couponId, OPENID, "wx0000000000000000"),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
    },
  );

  scenario(
    "listFavorCoupons: SENDED usable only, USED adds the used; available_mchid; a merchant filter is required",
    async (h) => {
      const { stockId, couponId } = await usedCoupon(h);
      const usable = ok(await send(h, stockId)).coupon_id;
      const list = (query: Record<string, unknown>) =>
        h.client.GET("/v3/marketing/favor/users/{openid}/coupons", {
          params: {
            path: { openid: OPENID },
            query: loose({ appid: APPID, stock_id: stockId, ...query }),
          },
        });
      const ids = (page: { data: { coupon_id: string }[] }) =>
        page.data.map((c) => c.coupon_id).sort();
      expect(ids(ok(await list({ creator_mchid: mchid(h), status: "SENDED" })))).toEqual([usable]);
      expect(ids(ok(await list({ creator_mchid: mchid(h), status: "USED" })))).toEqual(
        [couponId, usable].sort(),
      );
      const here = ok(await list({ available_mchid: mchid(h), stock_id: undefined }));
      expect(here.data.every((c: { status: string }) => c.status === "SENDED")).toBe(true);
      expect(ids(here)).toEqual([usable]);
      fails(await list({}), 400, "PARAM_ERROR");
      fails(await list({ creator_mchid: "1900000002" }), 403, "NO_AUTH");
      fails(
        await list({ creator_mchid: mchid(h), stock_id: "404404" }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "getFavorUseFlowByDay: the day's uses, downloaded and checked against their SHA-1",
    async (h) => {
      const { stockId, couponId, link } = await useFlowOfTheDay(h);
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
    },
  );

  scenario(
    "downloadBill refuses a file whose SHA-1 differs, a link off WeChat Pay, and an expired link",
    async (h) => {
      const { link } = await useFlowOfTheDay(h);
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
    },
  );

  scenario(
    "the payment is refunded: the coupon comes back; getFavorRefundFlowByDay lists it",
    async (h) => {
      const { stockId, couponId } = await usedCoupon(h);
      const refunded = await control(h, `users/${OPENID}/coupons/${couponId}/refund`);
      expect(refunded).toMatchObject({
        status: 200,
        body: { coupon_id: couponId, status: "SENDED", returned: 1000 },
      });
      expect(ok(await getCoupon(h, couponId)).status).toBe("SENDED");
      const link = ok(
        await h.client.GET("/v3/marketing/favor/stocks/{stock_id}/refund-flow-by-day", {
          params: { path: { stock_id: stockId }, query: { bill_date: at(0).slice(0, 10) } },
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
    },
  );
});

describe("delegated marketing of a cash coupon stock (FAVOR_STOCK)", () => {
  scenario(
    "buildPartnership: the stock must exist and be the merchant's; the partner AppID then sends it",
    async (h) => {
      const stockId = await runningStock(h, {
        stock_use_rule: { max_coupons: 5, max_coupons_per_user: 1 },
      });
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
        await send(h, stockId, "oPartnerUser", unique("send"), PARTNER_APPID),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
      expect(ok(await build(stockId)).state).toBe("ESTABLISHED");
      ok(await send(h, stockId, "oPartnerUser", unique("send"), PARTNER_APPID));
      // Authorised for that stock only.
      const other = await runningStock(h);
      fails(
        await send(h, other, "oPartnerUser", unique("send"), PARTNER_APPID),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
    },
  );
});

describe("the end of a stock", () => {
  scenario(
    "use and refund flows are ready from 10:00 the day after the end; the prepaid budget left comes back",
    async (h) => {
      const stockId = await createStock(h, {
        days: 1,
        stock_use_rule: { max_coupons: 3, max_coupons_per_user: 3 },
      });
      const before = h.sandbox.favor.balance();
      await startStock(h, stockId);
      const { coupon_id } = ok(await send(h, stockId, "oEnding"));
      expect((await pay(h, coupon_id, { order_amount: 10000 }, "oEnding")).status).toBe(200);
      const flow = (kind: "use-flow" | "refund-flow", stock_id = stockId) =>
        h.client.GET(`/v3/marketing/favor/stocks/{stock_id}/${kind}`, {
          params: { path: { stock_id } },
        });
      const early = fails(await flow("use-flow"), 400, "INVALID_REQUEST");
      expect(early.message).toContain("次日10点");
      h.sandbox.advanceClock(2 * 86_400 + 11 * 3600); // past the end and 10:00 of the next day
      const link = ok(await flow("use-flow"));
      expect(link.hash_type).toBe("SHA1");
      const file = await h.client.downloadBill(link);
      expect(file.sha1).toBe(link.hash_value);
      expect(file.text()).toContain(`${stockId},${coupon_id}`);
      const refunds = ok(await flow("refund-flow"));
      expect((await h.client.downloadBill(refunds)).text().trim().split("\n")).toHaveLength(1); // the header only
      fails(await flow("refund-flow", "404404"), 404, "RESOURCE_NOT_EXISTS");
      const stock = ok(
        await h.client.GET("/v3/marketing/favor/stocks/{stock_id}", {
          params: { path: { stock_id: stockId }, query: { stock_creator_mchid: mchid(h) } },
        }),
      );
      expect(stock.status).toBe("stoped");
      expect(stock.stop_time).toBeDefined();
      // 3,000 fen locked, 1,000 spent: 2,000 come back.
      expect(h.sandbox.favor.balance()).toBe(before - 1000);
      fails(await send(h, stockId, "oLate"), 400, "INVALID_REQUEST");
    },
  );
});

describe("coverage", () => {
  it("every cash coupon operation answered a success and an error, and no answer broke the document", async () => {
    expect(await uncovered(isCashCouponPath)).toEqual([]);
  }, 120_000);

  it("the cash coupon operations are the 18 of 代金券", () => {
    expect(operations().filter((o) => isCashCouponPath(o.path))).toHaveLength(18);
  });
});
