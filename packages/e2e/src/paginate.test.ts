// client.paginate against the real sandbox: both read the lists' x-pagination from the one
// document, so the pages the client asks for are the pages the sandbox serves. Each list holds more
// items than one page.
import { createMarketingClient, type MarketingClient } from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";
import { APPID, at } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, expect, it } from "vitest";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let client: MarketingClient;
/** `offset`/`limit` of every list request the sandbox answered, by operationId. */
const pages = new Map<string, string[]>();

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    strictResponses: true,
    onRequest({ operationId, url }) {
      if (!operationId?.startsWith("list")) return;
      const query = new URL(url, "http://127.0.0.1").searchParams;
      const seen = pages.get(operationId) ?? [];
      seen.push(`${query.get("offset")}/${query.get("limit") ?? "-"}`);
      pages.set(operationId, seen);
    },
  });
  client = createMarketingClient(sandbox.clientOptions);
});
afterAll(() => sandbox.close());

it("iterates a user's merchant coupons over two of the sandbox's default pages", async () => {
  const openid = "oE2ePagedUser0000000000001";
  const { data: stock, error } = await client.POST("/v3/marketing/busifavor/stocks", {
    body: {
      stock_name: "分页满减券",
      belong_merchant: sandbox.mchid,
      goods_name: "全场通用",
      stock_type: "NORMAL",
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
        fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
        use_method: "OFF_LINE",
      },
      stock_send_rule: { max_coupons: 30, max_coupons_per_user: 30 },
      out_request_no: `e2e-paged-${Date.now()}`,
      coupon_code_mode: "WECHATPAY_MODE",
    },
  });
  expect(error).toBeUndefined();
  const stockId = stock?.stock_id ?? "";
  const issued = new Set<string>();
  for (let i = 0; i < 25; i++) {
    const coupon = await sandbox.issueCoupon(openid, { stock_id: stockId });
    issued.add(String(coupon.coupon_code));
  }

  const codes: string[] = [];
  for await (const coupon of client.paginate("/v3/marketing/busifavor/users/{openid}/coupons", {
    params: { path: { openid }, query: { appid: APPID, stock_id: stockId } },
  })) {
    expect(coupon.stock_id).toBe(stockId);
    codes.push(String(coupon.coupon_code));
  }
  expect(codes).toHaveLength(25);
  expect(new Set(codes)).toEqual(issued);
  // No maximum is documented, so the sandbox's page of 20 decides: page 0, then page 1 (5 left).
  expect(pages.get("listBusifavorUserCoupons")).toEqual(["0/-", "1/-"]);
  expect(sandbox.violations).toEqual([]);
});

it("iterates the cash coupon stocks 10 a page (the documented maximum), and by a smaller pageSize", async () => {
  const created: string[] = [];
  for (let i = 0; i < 12; i++) {
    const { data, error } = await client.POST("/v3/marketing/favor/coupon-stocks", {
      body: {
        stock_name: `分页代金券${i}`,
        belong_merchant: sandbox.mchid,
        available_begin_time: at(0),
        available_end_time: at(30),
        stock_use_rule: {
          max_coupons: 10,
          max_amount: 10_000,
          max_coupons_per_user: 2,
          natural_person_limit: false,
          prevent_api_abuse: false,
        },
        pattern_info: { description: "全场通用" },
        coupon_use_rule: {
          fixed_normal_coupon: { coupon_amount: 1000, transaction_minimum: 10000 },
        },
        no_cash: false,
        stock_type: "NORMAL",
        out_request_no: `e2e-favor-${Date.now()}-${i}`,
      },
    });
    expect(error).toBeUndefined();
    created.push(data?.stock_id ?? "");
  }
  const params = { query: { stock_creator_mchid: sandbox.mchid } };

  const stocks: string[] = [];
  for await (const stock of client.paginate("/v3/marketing/favor/stocks", { params })) {
    stocks.push(stock.stock_id);
  }
  expect(new Set(stocks)).toEqual(new Set(created));
  expect(stocks).toHaveLength(12);
  expect(pages.get("listFavorStocks")).toEqual(["0/10", "1/10"]);

  pages.delete("listFavorStocks");
  const small: string[] = [];
  for await (const stock of client.paginate("/v3/marketing/favor/stocks", {
    params,
    pageSize: 5,
  })) {
    small.push(stock.stock_id);
  }
  expect(small).toEqual(stocks);
  expect(pages.get("listFavorStocks")).toEqual(["0/5", "1/5", "2/5"]);
  expect(sandbox.violations).toEqual([]);
});
