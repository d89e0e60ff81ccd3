// Every operation of the document, called through createMarketingClient against a sandbox in
// strictResponses mode: a success and at least one documented error each, every answer checked
// against its response schema by the sandbox itself.
//
// Each test starts a sandbox of its own (the keys are made once per file) and creates the
// stocks, coupons and activities it needs, so `vitest -t <name>` runs any one alone and in any
// order. The coverage test runs every scenario again and checks what they called together.
import { createMarketingClient } from "@wechatpay-marketing/client";
import {
  APPID,
  activityBody,
  at,
  pngImage,
  stockBody,
  unique,
} from "@wechatpay-marketing/test-fixtures";
import { describe, expect, it } from "vitest";
import { type Harness, isCashCouponPath, uploadLogo } from "../test/fixtures.js";
import { defineScenarios, fails, loose, ok } from "../test/scenarios.js";

const { scenario, uncovered } = defineScenarios();

// biome-ignore lint/suspicious/noExplicitAny: stock overrides are deliberately loose
async function createStock(h: Harness, overrides: Record<string, any> = {}): Promise<string> {
  return ok(
    await h.client.POST("/v3/marketing/busifavor/stocks", {
      body: loose(stockBody(h.sandbox.mchid, overrides)),
    }),
  ).stock_id;
}

/** 3 coupons, 2 per user, open to subsidies (营销补差): most merchant-coupon tests use it. */
const smallStock = (h: Harness) =>
  createStock(h, { stock_send_rule: { max_coupons: 3, max_coupons_per_user: 2 }, subsidy: true });

/** A MERCHANT_UPLOAD stock holding `codes`. */
async function uploadStock(h: Harness, codes: string[]): Promise<string> {
  const stockId = await createStock(h, { coupon_code_mode: "MERCHANT_UPLOAD" });
  ok(
    await h.client.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
      params: { path: { stock_id: stockId } },
      body: { coupon_code_list: codes, upload_request_no: unique("up") },
    }),
  );
  return stockId;
}

const useBody = (stockId: string, code: string, openid?: string) => ({
  coupon_code: code,
  stock_id: stockId,
  appid: APPID,
  use_time: at(0),
  use_request_no: unique("use"),
  ...(openid ? { openid } : {}),
});

/** A coupon of a fresh small stock, issued to `openid` and redeemed. */
async function usedCoupon(h: Harness, openid: string) {
  const stockId = await smallStock(h);
  const { coupon_code: code } = await h.sandbox.issueCoupon(openid, { stock_id: stockId });
  ok(await h.client.POST("/v3/marketing/busifavor/coupons/use", { body: useBody(stockId, code) }));
  return { stockId, code: code as string };
}

/** A running pay-gift activity awarding one coupon of a fresh stock. */
async function createActivity(h: Harness) {
  const logo = await uploadLogo(h.client);
  const stockId = await createStock(h);
  const { activity_id: activityId } = ok(
    await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
      body: loose(activityBody(logo, [stockId])),
    }),
  );
  return { activityId: activityId as string, stockId, logo };
}

describe("merchant coupons (商家券)", () => {
  const openid = "oSandboxUser0001";

  scenario(
    "createBusifavorStock: creates, is idempotent on out_request_no, checks the coupon rule",
    async (h) => {
      const body = stockBody(h.sandbox.mchid, {
        stock_send_rule: { max_coupons: 3, max_coupons_per_user: 2 },
        subsidy: true,
      });
      const created = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks", { body: loose(body) }),
      );
      const again = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks", { body: loose(body) }),
      );
      expect(again.stock_id).toBe(created.stock_id);
      const changed = await h.client.POST("/v3/marketing/busifavor/stocks", {
        body: loose({ ...body, stock_name: "另一个名字" }),
      });
      fails(changed, 400, "INVALID_REQUEST");
      const wrongRule = await h.client.POST("/v3/marketing/busifavor/stocks", {
        body: loose(stockBody(h.sandbox.mchid, { stock_type: "DISCOUNT" })),
      });
      expect(fails(wrongRule, 400, "PARAM_ERROR").detail?.field).toBe(
        "/coupon_use_rule/discount_coupon",
      );
      const { stock_name: _n, ...missing } = stockBody(h.sandbox.mchid);
      const error = fails(
        await h.client.POST("/v3/marketing/busifavor/stocks", { body: loose(missing) }),
        400,
        "PARAM_ERROR",
      );
      expect(error.detail).toMatchObject({ field: "/stock_name", location: "body" });
      expect(error.detail?.issue).toBeTruthy();
      const upload = stockBody(h.sandbox.mchid, { coupon_code_mode: "MERCHANT_UPLOAD" });
      ok(await h.client.POST("/v3/marketing/busifavor/stocks", { body: loose(upload) }));
    },
  );

  scenario("getBusifavorStock: reads the stock back; unknown stock is 404", async (h) => {
    const stockId = await smallStock(h);
    const stock = ok(
      await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId } },
      }),
    );
    expect(stock).toMatchObject({
      stock_id: stockId,
      stock_state: "RUNNING",
      coupon_code_mode: "WECHATPAY_MODE",
    });
    expect(stock.stock_send_rule.max_amount).toBe(1500);
    fails(
      await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: "999" } },
      }),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  scenario(
    "updateBusifavorStock: 204 and the change is visible; unknown stock is 404",
    async (h) => {
      const stockId = await smallStock(h);
      const result = await h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId } },
        body: { stock_name: "改名后的券", out_request_no: unique("patch") },
      });
      expect(result.response.status).toBe(204);
      const stock = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
          params: { path: { stock_id: stockId } },
        }),
      );
      expect(stock.stock_name).toBe("改名后的券");
      fails(
        await h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}", {
          params: { path: { stock_id: "404404" } },
          body: { stock_name: "x", out_request_no: unique("patch") },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "uploadBusifavorCouponCodes: counts duplicates and existing codes; refused outside MERCHANT_UPLOAD",
    async (h) => {
      const stockId = await smallStock(h);
      const uploadStockId = await createStock(h, { coupon_code_mode: "MERCHANT_UPLOAD" });
      const first = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path: { stock_id: uploadStockId } },
          body: {
            coupon_code_list: ["CODE0001", "CODE0002", "CODE0002"],
            upload_request_no: unique("up"),
          },
        }),
      );
      expect(first).toMatchObject({
        total_count: 3,
        success_count: 2,
        duplicate_codes: ["CODE0002"],
      });
      const second = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path: { stock_id: uploadStockId } },
          body: { coupon_code_list: ["CODE0002", "CODE0003"], upload_request_no: unique("up") },
        }),
      );
      expect(second).toMatchObject({
        success_count: 1,
        exist_codes: ["CODE0002"],
        success_codes: ["CODE0003"],
      });
      const stock = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
          params: { path: { stock_id: uploadStockId } },
        }),
      );
      expect(stock.coupon_code_count).toEqual({ total_count: 3, available_count: 3 });
      fails(
        await h.client.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path: { stock_id: stockId } },
          body: { coupon_code_list: ["X1"], upload_request_no: unique("up") },
        }),
        400,
        "INVALID_REQUEST",
      );
      const coupon = await h.sandbox.issueCoupon(openid, { stock_id: uploadStockId });
      expect(["CODE0001", "CODE0002", "CODE0003"]).toContain(coupon.coupon_code);
    },
  );

  scenario(
    "setBusifavorCallback / getBusifavorCallback: https only; another merchant's is NO_AUTH",
    async (h) => {
      const set = ok(
        await h.client.POST("/v3/marketing/busifavor/callbacks", {
          body: { mchid: h.sandbox.mchid, notify_url: "https://127.0.0.1:9/coupon-events" },
        }),
      );
      expect(set.notify_url).toBe("https://127.0.0.1:9/coupon-events");
      const error = fails(
        await h.client.POST("/v3/marketing/busifavor/callbacks", {
          body: { notify_url: "http://insecure.example/n" },
        }),
        400,
        "PARAM_ERROR",
      );
      expect(error.detail).toMatchObject({ field: "/notify_url", location: "body" });
      const read = ok(
        await h.client.GET("/v3/marketing/busifavor/callbacks", {
          params: { query: { mchid: h.sandbox.mchid } },
        }),
      );
      expect(read).toMatchObject({
        mchid: h.sandbox.mchid,
        notify_url: "https://127.0.0.1:9/coupon-events",
      });
      fails(
        await h.client.GET("/v3/marketing/busifavor/callbacks", {
          params: { query: { mchid: "1900009999" } },
        }),
        403,
        "NO_AUTH",
      );
    },
  );

  scenario("the control API issues coupons within the per-user limit and the budget", async (h) => {
    const stockId = await smallStock(h);
    await h.sandbox.issueCoupon(openid, { stock_id: stockId });
    await h.sandbox.issueCoupon(openid, { stock_id: stockId });
    await expect(h.sandbox.issueCoupon(openid, { stock_id: stockId })).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      detail: { field: "stock_send_rule.max_coupons_per_user" },
    });
    await h.sandbox.issueCoupon("oSandboxUser0002", { stock_id: stockId });
    await expect(
      h.sandbox.issueCoupon("oSandboxUser0003", { stock_id: stockId }),
    ).rejects.toMatchObject({
      detail: { field: "stock_send_rule.max_coupons" },
    });
  });

  scenario(
    "updateBusifavorStockBudget: raises max_coupons; a stale current value or a cut below issued is refused",
    async (h) => {
      const stockId = await smallStock(h);
      for (const user of [openid, openid, "oSandboxUser0002"]) {
        await h.sandbox.issueCoupon(user, { stock_id: stockId });
      }
      const budget = ok(
        await h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}/budget", {
          params: { path: { stock_id: stockId } },
          body: {
            target_max_coupons: 5,
            current_max_coupons: 3,
            modify_budget_request_no: unique("budget"),
          },
        }),
      );
      expect(budget.max_coupons).toBe(5);
      fails(
        await h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}/budget", {
          params: { path: { stock_id: stockId } },
          body: {
            target_max_coupons: 6,
            current_max_coupons: 3,
            modify_budget_request_no: unique("budget"),
          },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}/budget", {
          params: { path: { stock_id: stockId } },
          body: { target_max_coupons: 2, modify_budget_request_no: unique("budget") },
        }),
        400,
        "INVALID_REQUEST",
      );
      await h.sandbox.issueCoupon("oSandboxUser0003", { stock_id: stockId });
    },
  );

  scenario(
    "useBusifavorCoupon: once; the same use_request_no answers the first result; unbound appid refused",
    async (h) => {
      const stockId = await smallStock(h);
      const { coupon_code: code } = await h.sandbox.issueCoupon(openid, { stock_id: stockId });
      const useRequestNo = unique("use");
      const body = {
        coupon_code: code,
        stock_id: stockId,
        appid: APPID,
        use_time: at(0),
        use_request_no: useRequestNo,
        openid,
      };
      const used = ok(await h.client.POST("/v3/marketing/busifavor/coupons/use", { body }));
      expect(used).toMatchObject({ stock_id: stockId, openid });
      const replay = ok(await h.client.POST("/v3/marketing/busifavor/coupons/use", { body }));
      expect(replay).toEqual(used);
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/use", {
          body: { ...body, use_time: at(0.01) },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/use", {
          body: { ...body, use_request_no: unique("use") },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/use", {
          body: { ...body, appid: "wx0000000000000000", use_request_no: unique("use") },
        }),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/use", {
          body: { ...body, coupon_code: "NOPE", use_request_no: unique("use") },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario("listBusifavorUserCoupons: filters and pages; appid is required", async (h) => {
    const { stockId, code } = await usedCoupon(h, openid);
    await h.sandbox.issueCoupon(openid, { stock_id: stockId });
    const page = ok(
      await h.client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: {
          path: { openid },
          query: { appid: APPID, stock_id: stockId, offset: 0, limit: 1 },
        },
      }),
    );
    expect(page).toMatchObject({ offset: 0, limit: 1, total_count: 2 });
    expect(page.data).toHaveLength(1);
    const used = ok(
      await h.client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: { path: { openid }, query: { appid: APPID, coupon_state: "USED" } },
      }),
    );
    expect(used.data?.map((c: { coupon_code?: string }) => c.coupon_code)).toEqual([code]);
    const error = fails(
      await h.client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: { path: { openid }, query: loose({ stock_id: stockId }) },
      }),
      400,
      "PARAM_ERROR",
    );
    expect(error.detail).toMatchObject({ field: "appid", location: "query" });
    const limit = fails(
      await h.client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: { path: { openid }, query: loose({ appid: APPID, limit: "many" }) },
      }),
      400,
      "PARAM_ERROR",
    );
    expect(limit.detail).toMatchObject({ field: "limit", location: "query" });
  });

  scenario("getBusifavorUserCoupon: one coupon; someone else's is 404", async (h) => {
    const { stockId, code } = await usedCoupon(h, openid);
    const coupon = ok(
      await h.client.GET(
        "/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}",
        {
          params: { path: { openid, coupon_code: code, appid: APPID } },
        },
      ),
    );
    expect(coupon).toMatchObject({ coupon_code: code, coupon_state: "USED", stock_id: stockId });
    fails(
      await h.client.GET(
        "/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}",
        {
          params: { path: { openid: "oSomeoneElse", coupon_code: code, appid: APPID } },
        },
      ),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  scenario(
    "createBusifavorSubsidyPayReceipt / getBusifavorSubsidyPayReceipt: for a used coupon, up to its face value",
    async (h) => {
      const { stockId, code } = await usedCoupon(h, openid);
      const body = {
        stock_id: stockId,
        coupon_code: code,
        transaction_id: "4200000913202101152566792388",
        payer_merchant: h.sandbox.mchid,
        payee_merchant: "1900000002",
        amount: 500,
        description: "营销补差",
        out_subsidy_no: unique("subsidy"),
      };
      const receipt = ok(
        await h.client.POST("/v3/marketing/busifavor/subsidy/pay-receipts", { body }),
      );
      expect(receipt).toMatchObject({ status: "SUCCESS", amount: 500 });
      fails(
        await h.client.POST("/v3/marketing/busifavor/subsidy/pay-receipts", {
          body: { ...body, amount: 501, out_subsidy_no: unique("subsidy") },
        }),
        400,
        "INVALID_REQUEST",
      );
      const read = ok(
        await h.client.GET("/v3/marketing/busifavor/subsidy/pay-receipts/{subsidy_receipt_id}", {
          params: { path: { subsidy_receipt_id: receipt.subsidy_receipt_id } },
        }),
      );
      expect(read).toEqual(receipt);
      fails(
        await h.client.GET("/v3/marketing/busifavor/subsidy/pay-receipts/{subsidy_receipt_id}", {
          params: { path: { subsidy_receipt_id: "1120200119165100000000000404" } },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "returnBusifavorCoupon: a used coupon becomes usable again; an unused one cannot be returned",
    async (h) => {
      const { stockId, code } = await usedCoupon(h, openid);
      const body = { coupon_code: code, stock_id: stockId, return_request_no: unique("ret") };
      ok(await h.client.POST("/v3/marketing/busifavor/coupons/return", { body }));
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/return", {
          body: { ...body, return_request_no: unique("ret") },
        }),
        400,
        "INVALID_REQUEST",
      );
    },
  );

  scenario(
    "associate / disassociate: one order per unused coupon; only that order can be removed",
    async (h) => {
      const stockId = await smallStock(h);
      const { coupon_code: code } = await h.sandbox.issueCoupon(openid, { stock_id: stockId });
      const base = { stock_id: stockId, coupon_code: code, out_trade_no: "trade-0001" };
      ok(
        await h.client.POST("/v3/marketing/busifavor/coupons/associate", {
          body: { ...base, out_request_no: unique("as") },
        }),
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/associate", {
          body: { ...base, out_trade_no: "trade-0002", out_request_no: unique("as") },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/disassociate", {
          body: { ...base, out_trade_no: "trade-0002", out_request_no: unique("dis") },
        }),
        400,
        "INVALID_REQUEST",
      );
      ok(
        await h.client.POST("/v3/marketing/busifavor/coupons/disassociate", {
          body: { ...base, out_request_no: unique("dis") },
        }),
      );
      const error = fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/associate", {
          body: loose({ ...base, out_request_no: "bad number!" }),
        }),
        400,
        "PARAM_ERROR",
      );
      expect(error.detail).toMatchObject({ field: "/out_request_no", location: "body" });
    },
  );

  scenario(
    "deactivateBusifavorCoupon: SENDED -> DEACTIVATED, which can be neither used nor deactivated again",
    async (h) => {
      const stockId = await smallStock(h);
      const { coupon_code: code } = await h.sandbox.issueCoupon(openid, { stock_id: stockId });
      const body = {
        coupon_code: code,
        stock_id: stockId,
        deactivate_request_no: unique("de"),
        deactivate_reason: "测试",
      };
      ok(await h.client.POST("/v3/marketing/busifavor/coupons/deactivate", { body }));
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/deactivate", {
          body: { ...body, deactivate_request_no: unique("de") },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/use", {
          body: {
            coupon_code: code,
            stock_id: stockId,
            appid: APPID,
            use_time: at(0),
            use_request_no: unique("use"),
          },
        }),
        400,
        "INVALID_REQUEST",
      );
    },
  );
});

describe("pay-gift activities (支付有礼)", () => {
  scenario(
    "createPayGiftUniqueThresholdActivity: awards must exist and cover the window; a package holds 3-5",
    async (h) => {
      const { stockId, logo } = await createActivity(h);
      const tooLong = activityBody(logo, [stockId], { activity_base_info: { end_time: at(60) } });
      fails(
        await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
          body: loose(tooLong),
        }),
        400,
        "INVALID_REQUEST",
      );
      // The document's GIFT_PACKAGE variant holds 3 to 5 awards: refused before the handler.
      const twoInPackage = activityBody(logo, [stockId, stockId], {});
      const package2 = fails(
        await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
          body: loose(twoInPackage),
        }),
        400,
        "PARAM_ERROR",
      );
      expect(package2.detail?.field).toBe("/award_send_rule/award_list");
    },
  );

  scenario("listPayGiftActivities: pages and filters; offset and limit are required", async (h) => {
    const { activityId } = await createActivity(h);
    const list = ok(
      await h.client.GET("/v3/marketing/paygiftactivity/activities", {
        params: { query: { offset: 0, limit: 10, activity_status: "ONGOING_ACT_STATUS" } },
      }),
    );
    expect(list.total_count).toBe(1);
    expect(list.data?.[0]?.activity_id).toBe(activityId);
    fails(
      await h.client.GET("/v3/marketing/paygiftactivity/activities", {
        params: { query: loose({ offset: 0 }) },
      }),
      400,
      "PARAM_ERROR",
    );
  });

  scenario(
    "getPayGiftActivity / goods / merchants: read back; unknown activity is 404",
    async (h) => {
      const { activityId } = await createActivity(h);
      const path = { activity_id: activityId };
      const activity = ok(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}", {
          params: { path },
        }),
      );
      expect(activity).toMatchObject({
        activity_id: activityId,
        activity_status: "ONGOING_ACT_STATUS",
      });
      const goods = ok(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/goods", {
          params: { path, query: { offset: 0, limit: 10 } },
        }),
      );
      expect(goods).toMatchObject({ total_count: 0, data: [] });
      const merchants = ok(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants", {
          params: { path, query: { offset: 0, limit: 1 } },
        }),
      );
      expect(merchants).toMatchObject({ total_count: 2, limit: 1 });
      expect(merchants.data).toHaveLength(1);
      const missing = { activity_id: "404" };
      fails(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}", {
          params: { path: missing },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
      fails(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/goods", {
          params: { path: missing },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
      fails(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants", {
          params: { path: missing },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "merchants add/delete: invalid ids are reported; deleting an absent id is refused",
    async (h) => {
      const { activityId } = await createActivity(h);
      const path = { activity_id: activityId };
      const added = ok(
        await h.client.POST(
          "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add",
          {
            params: { path },
            body: {
              merchant_id_list: ["1900000003", "1900000001", "123"],
              add_request_no: unique("add"),
            },
          },
        ),
      );
      expect(added.invalid_merchant_id_list).toEqual([
        { mchid: "1900000001", invalid_reason: expect.any(String) },
        { mchid: "123", invalid_reason: expect.any(String) },
      ]);
      fails(
        await h.client.POST(
          "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add",
          {
            params: { path: { activity_id: "404" } },
            body: { merchant_id_list: ["1900000004"], add_request_no: unique("add") },
          },
        ),
        404,
        "RESOURCE_NOT_EXISTS",
      );
      ok(
        await h.client.POST(
          "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/delete",
          {
            params: { path },
            body: { merchant_id_list: ["1900000003"], delete_request_no: unique("del") },
          },
        ),
      );
      fails(
        await h.client.POST(
          "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/delete",
          {
            params: { path },
            body: { merchant_id_list: ["1900000003"], delete_request_no: unique("del") },
          },
        ),
        400,
        "INVALID_REQUEST",
      );
    },
  );

  scenario(
    "terminatePayGiftActivity: ongoing -> terminated, once; a terminated activity takes no merchants",
    async (h) => {
      const { activityId } = await createActivity(h);
      const path = { activity_id: activityId };
      ok(
        await h.client.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/terminate", {
          params: { path },
        }),
      );
      const activity = ok(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}", {
          params: { path },
        }),
      );
      expect(activity.activity_status).toBe("TERMINATE_ACT_STATUS");
      fails(
        await h.client.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/terminate", {
          params: { path },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST(
          "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add",
          {
            params: { path },
            body: { merchant_id_list: ["1900000005"], add_request_no: unique("add") },
          },
        ),
        400,
        "INVALID_REQUEST",
      );
    },
  );
});

describe("delegated marketing (委托营销)", () => {
  scenario(
    "buildPartnership: idempotent on Idempotency-Key; conditional fields; one established pair",
    async (h) => {
      const stockId = await createStock(h);
      const body = {
        partner: { type: "APPID" as const, appid: "wx4e1916a585d1f4e9" },
        authorized_data: { business_type: "BUSIFAVOR_STOCK" as const, stock_id: stockId },
      };
      const key = unique("build");
      const built = ok(
        await h.client.POST("/v3/marketing/partnerships/build", {
          params: { header: { "Idempotency-Key": key } },
          body,
        }),
      );
      expect(built.state).toBe("ESTABLISHED");
      const replay = ok(
        await h.client.POST("/v3/marketing/partnerships/build", {
          params: { header: { "Idempotency-Key": key } },
          body,
        }),
      );
      expect(replay).toEqual(built);
      fails(
        await h.client.POST("/v3/marketing/partnerships/build", {
          params: { header: { "Idempotency-Key": unique("build") } },
          body,
        }),
        400,
        "INVALID_REQUEST",
      );
      const error = fails(
        await h.client.POST("/v3/marketing/partnerships/build", {
          params: { header: { "Idempotency-Key": unique("build") } },
          body: loose({ ...body, partner: { type: "APPID" } }),
        }),
        400,
        "PARAM_ERROR",
      );
      expect(error.detail?.field).toBe("/partner/appid");
      const header = fails(
        await h.client.POST("/v3/marketing/partnerships/build", { params: loose({}), body }),
        400,
        "PARAM_ERROR",
      );
      expect(header.detail).toMatchObject({ field: "Idempotency-Key", location: "header" });
    },
  );

  scenario("listPartnerships: JSON-in-query filters are parsed and validated", async (h) => {
    ok(
      await h.client.POST("/v3/marketing/partnerships/build", {
        params: { header: { "Idempotency-Key": unique("build") } },
        body: {
          partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
          authorized_data: { business_type: "BUSIFAVOR_STOCK", stock_id: await createStock(h) },
        },
      }),
    );
    const list = ok(
      await h.client.GET("/v3/marketing/partnerships", {
        params: {
          query: {
            partner: { type: "APPID" },
            authorized_data: { business_type: "BUSIFAVOR_STOCK" },
            offset: 0,
            limit: 5,
          },
        },
      }),
    );
    expect(list).toMatchObject({ total_count: 1, offset: 0, limit: 5 });
    const none = ok(
      await h.client.GET("/v3/marketing/partnerships", {
        params: { query: { partner: { type: "MERCHANT" } } },
      }),
    );
    expect(none.total_count).toBe(0);
    const error = fails(
      await h.client.GET("/v3/marketing/partnerships", {
        params: { query: loose({ authorized_data: { business_type: "NOPE" } }) },
      }),
      400,
      "PARAM_ERROR",
    );
    expect(error.detail).toMatchObject({
      field: "authorized_data/business_type",
      location: "query",
    });
  });
});

describe("coupon sending, uploaded codes, subsidy returns, termination, images", () => {
  const openid = "oSendingUser0001";
  const codes = ["UP0001", "UP0002", "UP0003"];

  scenario(
    "sendBusifavorCoupon: one coupon per out_request_no, within the per-user limit",
    async (h) => {
      const stockId = await smallStock(h);
      const body = { openid, appid: APPID, stock_id: stockId, out_request_no: unique("send") };
      const sent = ok(await h.client.POST("/v3/marketing/busifavor/coupons/send", { body }));
      const again = ok(await h.client.POST("/v3/marketing/busifavor/coupons/send", { body }));
      expect(again.coupon_code).toBe(sent.coupon_code);
      ok(
        await h.client.POST("/v3/marketing/busifavor/coupons/send", {
          body: { ...body, out_request_no: unique("send") },
        }),
      );
      const limit = fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/send", {
          body: { ...body, out_request_no: unique("send") },
        }),
        400,
        "INVALID_REQUEST",
      );
      expect(limit.detail?.field).toBe("stock_send_rule.max_coupons_per_user");
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/send", {
          body: { ...body, appid: "wx0000000000000000", out_request_no: unique("send") },
        }),
        400,
        "APPID_MCHID_NOT_MATCH",
      );
    },
  );

  scenario(
    "sendBusifavorConsumptionCard: registered consumer cards only, one per user",
    async (h) => {
      h.sandbox.registerConsumerCard("pcard0001");
      const body = { appid: APPID, openid, out_request_no: unique("card"), send_time: at(0) };
      const card = ok(
        await h.client.POST("/v3/marketing/busifavor/coupons/{card_id}/send", {
          params: { path: { card_id: "pcard0001" } },
          body,
        }),
      );
      expect(card.card_code).toBeTruthy();
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/{card_id}/send", {
          params: { path: { card_id: "pcard0001" } },
          body: { ...body, out_request_no: unique("card") },
        }),
        400,
        "INVALID_REQUEST",
      );
      fails(
        await h.client.POST("/v3/marketing/busifavor/coupons/{card_id}/send", {
          params: { path: { card_id: "pcard404" } },
          body: { ...body, out_request_no: unique("card") },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "preSend/sendBusifavorProductCoupon: a token while budget lasts; MEMBER needs member_card_id",
    async (h) => {
      const stockId = await smallStock(h);
      const uploadStockId = await uploadStock(h, codes);
      const token = ok(
        await h.client.POST("/v3/marketing/busifavor/product-coupons/pre-send", {
          body: {
            stock_id: stockId,
            appid: APPID,
            send_request_no: unique("pre"),
          },
        }),
      );
      expect(token.token).toBeTruthy();
      fails(
        await h.client.POST("/v3/marketing/busifavor/product-coupons/pre-send", {
          body: {
            stock_id: "404",
            appid: APPID,
            send_request_no: unique("pre"),
          },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
      const body = {
        openid: "oProductUser",
        appid: APPID,
        stock_id: uploadStockId,
        out_request_no: unique("ps"),
        coupon_type: "NORMAL" as const,
      };
      const sent = ok(
        await h.client.POST("/v3/marketing/busifavor/product-coupons/send", { body }),
      );
      expect(codes).toContain(sent.coupon_code);
      fails(
        await h.client.POST("/v3/marketing/busifavor/product-coupons/send", {
          body: { ...body, coupon_type: "MEMBER", out_request_no: unique("ps") },
        }),
        400,
        "INVALID_REQUEST",
      );
    },
  );

  scenario(
    "list/get/deleteBusifavorCouponCode: codes and their dispatch; a dispatched code cannot be deleted",
    async (h) => {
      const stockId = await smallStock(h);
      const uploadStockId = await uploadStock(h, codes);
      await h.sandbox.issueCoupon("oProductUser", { stock_id: uploadStockId });
      const path = { stock_id: uploadStockId };
      const list = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path, query: { offset: 0, limit: 10 } },
        }),
      );
      expect(list.total_count).toBe(3);
      const dispatched = list.data?.find(
        (c: { code_status?: string }) => c.code_status === "DISPATCHED",
      );
      const available = list.data?.find(
        (c: { code_status?: string }) => c.code_status === "AVAILABLE",
      );
      expect(dispatched?.openid).toBe("oProductUser");
      fails(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path: { stock_id: stockId } },
        }),
        400,
        "INVALID_REQUEST",
      );
      const info = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}", {
          params: { path: { ...path, coupon_code: dispatched?.code as string } },
        }),
      );
      expect(info.coupon_information.coupon_state).toBe("SENDED");
      fails(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}", {
          params: { path: { ...path, coupon_code: "NOPE" } },
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
      fails(
        await h.client.DELETE(
          "/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}",
          {
            params: {
              path: { ...path, coupon_code: dispatched?.code as string },
              query: { delete_request_no: unique("del") },
            },
          },
        ),
        400,
        "INVALID_REQUEST",
      );
      ok(
        await h.client.DELETE(
          "/v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}",
          {
            params: {
              path: { ...path, coupon_code: available?.code as string },
              query: { delete_request_no: unique("del") },
            },
          },
        ),
      );
      const after = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
          params: { path },
        }),
      );
      expect(after.total_count).toBe(2);
    },
  );

  scenario("subsidy list and returns: never more back than was paid", async (h) => {
    const stockId = await smallStock(h);
    const coupon = await h.sandbox.issueCoupon("oSubsidyUser", { stock_id: stockId });
    ok(
      await h.client.POST("/v3/marketing/busifavor/coupons/use", {
        body: {
          coupon_code: coupon.coupon_code,
          stock_id: stockId,
          appid: APPID,
          use_time: at(0),
          use_request_no: unique("use"),
        },
      }),
    );
    const parties = { payer_merchant: h.sandbox.mchid, payee_merchant: "1900000002" };
    const paid = ok(
      await h.client.POST("/v3/marketing/busifavor/subsidy/pay-receipts", {
        body: {
          stock_id: stockId,
          coupon_code: coupon.coupon_code,
          transaction_id: "4200000913202101152566792389",
          ...parties,
          amount: 300,
          description: "补差",
          out_subsidy_no: unique("sub"),
        },
      }),
    );
    const list = ok(
      await h.client.GET("/v3/marketing/busifavor/subsidy/pay-receipts", {
        params: { query: { stock_id: stockId, coupon_code: coupon.coupon_code } },
      }),
    );
    expect(list.pay_receipt_list).toEqual([paid]);
    fails(
      await h.client.GET("/v3/marketing/busifavor/subsidy/pay-receipts", {
        params: { query: loose({ stock_id: stockId }) },
      }),
      400,
      "PARAM_ERROR",
    );
    const base = {
      stock_id: stockId,
      coupon_code: coupon.coupon_code,
      transaction_id: "4200000913202101152566792389",
      refund_id: "50000000382019052709732678859",
      ...parties,
      description: "退款回退",
    };
    const returned = ok(
      await h.client.POST("/v3/marketing/busifavor/subsidy/return-receipts", {
        body: { ...base, amount: 200, out_subsidy_return_no: unique("ret") },
      }),
    );
    expect(returned).toMatchObject({
      status: "SUCCESS",
      subsidy_receipt_id: paid.subsidy_receipt_id,
    });
    fails(
      await h.client.POST("/v3/marketing/busifavor/subsidy/return-receipts", {
        body: { ...base, amount: 101, out_subsidy_return_no: unique("ret") },
      }),
      400,
      "INVALID_REQUEST",
    );
    const read = ok(
      await h.client.GET(
        "/v3/marketing/busifavor/subsidy/return-receipts/{subsidy_return_receipt_id}",
        {
          params: {
            path: { subsidy_return_receipt_id: returned.subsidy_return_receipt_id as string },
          },
        },
      ),
    );
    expect(read).toEqual(returned);
    fails(
      await h.client.GET(
        "/v3/marketing/busifavor/subsidy/return-receipts/{subsidy_return_receipt_id}",
        {
          params: { path: { subsidy_return_receipt_id: "404" } },
        },
      ),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  });

  scenario(
    "terminatePartnership: ESTABLISHED -> TERMINATED, listed with its terminate_time; terminating again is 404",
    async (h) => {
      const stockId = await smallStock(h);
      const body = {
        partner: { type: "MERCHANT" as const, merchant_id: "1900000009" },
        authorized_data: { business_type: "BUSIFAVOR_STOCK" as const, stock_id: stockId },
      };
      ok(
        await h.client.POST("/v3/marketing/partnerships/build", {
          params: { header: { "Idempotency-Key": unique("b") } },
          body,
        }),
      );
      const done = ok(
        await h.client.POST("/v3/marketing/partnerships/terminate", {
          params: { header: { "Idempotency-Key": unique("t") } },
          body,
        }),
      );
      expect(done.terminate_time).toBeTruthy();
      const list = ok(
        await h.client.GET("/v3/marketing/partnerships", {
          params: { query: { partner: { type: "MERCHANT", merchant_id: "1900000009" } } },
        }),
      );
      // The list gives no state (the document's PartnershipRecord): terminate_time marks the end.
      expect(list.data?.[0]).toMatchObject({ terminate_time: done.terminate_time });
      expect(list.data?.[0]).not.toHaveProperty("state");
      fails(
        await h.client.POST("/v3/marketing/partnerships/terminate", {
          params: { header: { "Idempotency-Key": unique("t") } },
          body,
        }),
        404,
        "RESOURCE_NOT_EXISTS",
      );
    },
  );

  scenario(
    "uploadMarketingImage: multipart signed over meta; the file must match meta.sha256",
    async (h) => {
      const file = pngImage();
      const digest = Buffer.from(await crypto.subtle.digest("SHA-256", file)).toString("hex");
      const form = (sha256: string) => {
        const body = new FormData();
        body.append("meta", JSON.stringify({ filename: "logo.png", sha256 }));
        body.append("file", new Blob([file], { type: "image/png" }), "logo.png");
        return body;
      };
      const upload = (sha256: string) =>
        h.client.POST("/v3/marketing/favor/media/image-upload", {
          body: form(sha256) as never,
          bodySerializer: (body: unknown) => body as FormData,
        });
      const uploaded = ok(await upload(digest));
      expect(uploaded.media_url).toMatch(
        /^https:\/\/wxpaylogo\.qpic\.cn\/wxpaylogo\/[0-9A-Za-z]+\/0$/,
      );
      const error = fails(await upload("0".repeat(64)), 400, "INVALID_REQUEST");
      expect(error.detail).toMatchObject({ field: "/meta/sha256", location: "body" });
    },
  );
});

describe("marketing images (图片上传(营销专用)) and the pictures of stocks and activities", () => {
  const madeUp = "https://wxpaylogo.qpic.cn/wxpaylogo/PiajxSqBRaEIPAeia7Imvtsq/0";

  scenario(
    "uploadMarketingImage: JPG, BMP and PNG by content, each upload a URL of its own",
    async (h) => {
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
      const bmp = new Uint8Array(58);
      bmp.set([0x42, 0x4d]);
      new DataView(bmp.buffer).setUint32(14, 40, true); // BITMAPINFOHEADER
      const urls = [
        await uploadLogo(h.client, pngImage(), "logo.png"),
        await uploadLogo(h.client, pngImage(), "logo.PNG"),
        await uploadLogo(h.client, jpeg, "photo.jpg"),
        await uploadLogo(h.client, bmp, "picture.bmp"),
      ];
      expect(new Set(urls).size).toBe(4);
      for (const url of urls) expect(h.sandbox.store.images.has(url)).toBe(true);
    },
  );

  scenario(
    "uploadMarketingImage: bytes that are no image are refused whatever their name",
    async (h) => {
      const text = new TextEncoder().encode("\x89PNG but really just text, not an image");
      const result = await h.client.uploadImage(text, "logo.png");
      const error = fails(result, 400, "INVALID_REQUEST");
      expect(error.message).toBe("图片格式只支持JPG、BMP、PNG");
      expect(error.detail).toMatchObject({ field: "/file", location: "body" });
      const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00");
      fails(await h.client.uploadImage(gif, "logo.png"), 400, "INVALID_REQUEST");
      // A .gif name is already refused by the document's pattern on meta.filename.
      fails(await h.client.uploadImage(gif, "logo.gif"), 400, "PARAM_ERROR");
    },
  );

  scenario(
    "uploadMarketingImage: more than 2 MB is refused; exactly 2 MB is accepted",
    async (h) => {
      const limit = 2 * 1024 * 1024;
      const padded = (size: number) => {
        const bytes = new Uint8Array(size);
        bytes.set(pngImage());
        return bytes;
      };
      const error = fails(
        await h.client.uploadImage(padded(limit + 1), "big.png"),
        400,
        "INVALID_REQUEST",
      );
      expect(error.message).toBe("图片大小不能超过2M");
      expect(error.detail).toMatchObject({ field: "/file", location: "body" });
      ok(await h.client.uploadImage(padded(limit), "exactly-2mb.png"));
    },
  );

  scenario(
    "uploadMarketingImage: the signature covers meta, so a meta changed on the way is SIGN_ERROR",
    async (h) => {
      const file = pngImage();
      const sha256 = Buffer.from(await crypto.subtle.digest("SHA-256", file)).toString("hex");
      // Sends the signed request with another meta (same file, same sha256) under the old signature.
      const swapMeta = async (request: Request) => {
        const form = await request.formData();
        form.set("meta", JSON.stringify({ filename: "renamed.png", sha256 }));
        const headers = new Headers(request.headers);
        headers.delete("content-type");
        return fetch(new Request(request.url, { method: "POST", headers, body: form }));
      };
      const client = createMarketingClient({ ...h.sandbox.clientOptions, fetch: swapMeta });
      const error = fails(await client.uploadImage(file, "logo.png"), 401, "SIGN_ERROR");
      expect(JSON.stringify(error.detail)).toContain("renamed.png");
      ok(await h.client.uploadImage(file, "logo.png"));
    },
  );

  scenario(
    "createBusifavorStock: pictures from the upload are kept; any other URL is 非法敏感图片",
    async (h) => {
      const [logo, picture, cover] = [
        await uploadLogo(h.client),
        await uploadLogo(h.client),
        await uploadLogo(h.client),
      ];
      const display_pattern_info = {
        merchant_logo_url: logo,
        merchant_name: "沙箱商户",
        coupon_image_url: picture,
        finder_info: {
          finder_id: "sph1",
          finder_video_id: "video1",
          finder_video_cover_image_url: cover,
        },
      };
      const { stock_id } = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks", {
          body: loose(stockBody(h.sandbox.mchid, { display_pattern_info })),
        }),
      );
      const stock = ok(
        await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
          params: { path: { stock_id } },
        }),
      );
      expect(stock.display_pattern_info).toMatchObject(display_pattern_info);

      const refused = async (changes: Record<string, unknown>, field: string) => {
        const error = fails(
          await h.client.POST("/v3/marketing/busifavor/stocks", {
            body: loose(
              stockBody(h.sandbox.mchid, {
                display_pattern_info: { ...display_pattern_info, ...changes },
              }),
            ),
          }),
          400,
          "INVALID_REQUEST",
        );
        expect(error.message).toContain("非法敏感图片");
        expect(error.detail).toMatchObject({ field, location: "body" });
      };
      await refused({ merchant_logo_url: madeUp }, "/display_pattern_info/merchant_logo_url");
      await refused(
        { coupon_image_url: "https://example.com/coupon.png" },
        "/display_pattern_info/coupon_image_url",
      );
      await refused(
        {
          finder_info: {
            ...display_pattern_info.finder_info,
            finder_video_cover_image_url: madeUp,
          },
        },
        "/display_pattern_info/finder_info/finder_video_cover_image_url",
      );
    },
  );

  scenario("updateBusifavorStock: a new logo must come from the upload too", async (h) => {
    const { stock_id } = ok(
      await h.client.POST("/v3/marketing/busifavor/stocks", {
        body: loose(stockBody(h.sandbox.mchid)),
      }),
    );
    const patch = (merchant_logo_url: string) =>
      h.client.PATCH("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id } },
        body: { display_pattern_info: { merchant_logo_url }, out_request_no: unique("patch") },
      });
    const error = fails(await patch(madeUp), 400, "INVALID_REQUEST");
    expect(error.detail).toMatchObject({ field: "/display_pattern_info/merchant_logo_url" });
    const logo = await uploadLogo(h.client);
    expect((await patch(logo)).response.status).toBe(204);
    const stock = ok(
      await h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id } },
      }),
    );
    expect(stock.display_pattern_info?.merchant_logo_url).toBe(logo);
  });

  scenario(
    "createPayGiftUniqueThresholdActivity: the logo and award pictures must come from the upload",
    async (h) => {
      const logo = await uploadLogo(h.client);
      const { stock_id } = ok(
        await h.client.POST("/v3/marketing/busifavor/stocks", {
          body: loose(stockBody(h.sandbox.mchid)),
        }),
      );
      const logoError = fails(
        await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
          body: loose(activityBody(madeUp, [stock_id])),
        }),
        400,
        "INVALID_REQUEST",
      );
      expect(logoError.message).toContain("非法敏感图片");
      expect(logoError.detail).toMatchObject({
        field: "/activity_base_info/merchant_logo_url",
        location: "body",
        value: madeUp,
      });
      const award = {
        stock_id,
        original_image_url: await uploadLogo(h.client),
        thumbnail_url: madeUp,
      };
      const awardError = fails(
        await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
          body: loose(activityBody(logo, [stock_id], { award_send_rule: { award_list: [award] } })),
        }),
        400,
        "INVALID_REQUEST",
      );
      expect(awardError.detail).toMatchObject({
        field: "/award_send_rule/award_list/0/thumbnail_url",
      });
      const thumbnail = await uploadLogo(h.client, pngImage(1, 1), "thumbnail.png");
      const created = ok(
        await h.client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
          body: loose(
            activityBody(logo, [stock_id], {
              award_send_rule: { award_list: [{ ...award, thumbnail_url: thumbnail }] },
            }),
          ),
        }),
      );
      const activity = ok(
        await h.client.GET("/v3/marketing/paygiftactivity/activities/{activity_id}", {
          params: { path: { activity_id: created.activity_id } },
        }),
      );
      expect(activity.activity_base_info.merchant_logo_url).toBe(logo);
    },
  );
});

describe("coverage", () => {
  it("every operation of the document was called with a success and an error, and no answer broke the document", async () => {
    // The cash coupons have their own file (favor.integration.test.ts), with the same check.
    expect(await uncovered((path) => !isCashCouponPath(path))).toEqual([]);
  });
});
