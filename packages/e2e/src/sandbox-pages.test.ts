// The running sandbox pages a list by page number (分页页码), as the list's x-pagination says:
// plain GETs with explicit offset/limit (client.paginate over the same lists is paginate.test.ts).
import { APPID, stockBody } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test/fixtures.js";
import { loose, ok } from "../test/scenarios.js";

describe("the running sandbox pages by page number (分页页码)", () => {
  const openid = "oSandboxPagedUser0001";
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sandbox.close());

  it("listBusifavorUserCoupons: offset 1 of limit 2 is the second page of the full list", async () => {
    const { stock_id: stockId } = ok(
      await h.client.POST("/v3/marketing/busifavor/stocks", {
        body: loose(
          stockBody(h.sandbox.mchid, {
            stock_send_rule: { max_coupons: 5, max_coupons_per_user: 5 },
          }),
        ),
      }),
    );
    for (let i = 0; i < 5; i++) await h.sandbox.issueCoupon(openid, { stock_id: stockId });
    const list = (offset: number, limit: number) =>
      h.client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
        params: { path: { openid }, query: { appid: APPID, stock_id: stockId, offset, limit } },
      });
    const all = ok(await list(0, 10)).data ?? [];
    expect(all).toHaveLength(5);
    const second = ok(await list(1, 2));
    expect(second).toMatchObject({ offset: 1, limit: 2, total_count: 5 });
    expect(second.data?.map((c) => c.coupon_code)).toEqual(
      all.slice(2, 4).map((c) => c.coupon_code),
    );
    expect(ok(await list(2, 2)).data?.map((c) => c.coupon_code)).toEqual([all[4]?.coupon_code]);
    expect(h.sandbox.violations).toEqual([]);
  });
});
