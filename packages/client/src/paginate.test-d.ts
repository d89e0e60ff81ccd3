import { describe, expectTypeOf, it } from "vitest";
import type {
  BusifavorCouponCodeInformation,
  BusifavorUserCoupon,
  FavorStock,
  MarketingClient,
  PaginatedItem,
  PaginatedPath,
  PartnershipRecord,
} from "./index.js";

declare const client: MarketingClient;

describe("client.paginate types", () => {
  it("yields the generated item type of each list's items array", () => {
    const coupons = client.paginate("/v3/marketing/busifavor/users/{openid}/coupons", {
      params: { path: { openid: "o1" }, query: { appid: "wx233544546545989" } },
    });
    expectTypeOf(coupons).toEqualTypeOf<AsyncIterable<BusifavorUserCoupon>>();
    const stocks = client.paginate("/v3/marketing/favor/stocks", {
      params: { query: { stock_creator_mchid: "1900000001" } },
    });
    expectTypeOf(stocks).toEqualTypeOf<AsyncIterable<FavorStock>>();
    expectTypeOf<
      PaginatedItem<"/v3/marketing/busifavor/stocks/{stock_id}/couponcodes">
    >().toEqualTypeOf<BusifavorCouponCodeInformation>();
    expectTypeOf<PaginatedItem<"/v3/marketing/partnerships">>().toEqualTypeOf<PartnershipRecord>();
  });

  it("accepts only the document's offset/limit lists", () => {
    expectTypeOf<PaginatedPath>().toEqualTypeOf<
      | "/v3/marketing/busifavor/stocks/{stock_id}/couponcodes"
      | "/v3/marketing/busifavor/users/{openid}/coupons"
      | "/v3/marketing/favor/stocks"
      | "/v3/marketing/favor/stocks/{stock_id}/merchants"
      | "/v3/marketing/favor/stocks/{stock_id}/items"
      | "/v3/marketing/favor/users/{openid}/coupons"
      | "/v3/marketing/paygiftactivity/activities"
      | "/v3/marketing/paygiftactivity/activities/{activity_id}/goods"
      | "/v3/marketing/paygiftactivity/activities/{activity_id}/merchants"
      | "/v3/marketing/partnerships"
    >();
    // @ts-expect-error a single stock is not a list
    void client.paginate("/v3/marketing/busifavor/stocks/{stock_id}", {
      params: { path: { stock_id: "1212" } },
    });
    // @ts-expect-error not a marketing path at all
    void client.paginate("/v3/marketing/busifavor/stockz");
  });

  it("requires the list's own required parameters, and leaves offset and limit to paginate", () => {
    // @ts-expect-error openid (path) and appid (query) are required
    void client.paginate("/v3/marketing/busifavor/users/{openid}/coupons");
    void client.paginate("/v3/marketing/busifavor/users/{openid}/coupons", {
      // @ts-expect-error appid is required
      params: { path: { openid: "o1" }, query: {} },
    });
    void client.paginate("/v3/marketing/favor/stocks", {
      // @ts-expect-error offset is paginate's: it is not a parameter of the call
      params: { query: { stock_creator_mchid: "1900000001", offset: 2 } },
    });
    void client.paginate("/v3/marketing/favor/stocks", {
      params: { query: { stock_creator_mchid: "1900000001" } },
      // @ts-expect-error pageSize is a number
      pageSize: "10",
    });
    // Every parameter of 查询合作关系列表 is optional: so are params and the options.
    void client.paginate("/v3/marketing/partnerships");
  });
});
