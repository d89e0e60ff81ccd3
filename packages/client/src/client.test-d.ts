import nodeFetch from "node-fetch";
import { fetch as undiciFetch } from "undici";
import { describe, expectTypeOf, it } from "vitest";
import {
  createMarketingClient,
  type ErrorBody,
  type MarketingClient,
  type MarketingClientOptions,
  type paths,
} from "./index.js";

declare const client: MarketingClient;

describe("createMarketingClient types", () => {
  it("returns openapi-fetch's client over the generated paths", () => {
    expectTypeOf(
      createMarketingClient({} as Omit<MarketingClientOptions, "throwOnError">),
    ).toEqualTypeOf<MarketingClient>();
    expectTypeOf<keyof paths>().toExtend<`/v3/marketing/${string}`>();
  });

  it("rejects a path the spec does not have", () => {
    // @ts-expect-error not a marketing path
    void client.GET("/v3/marketing/busifavor/stockz/{stock_id}", {
      params: { path: { stock_id: "1" } },
    });
    // @ts-expect-error the stocks collection has no GET
    void client.GET("/v3/marketing/busifavor/stocks");
  });

  it("requires the path parameters, with their documented types", () => {
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      params: { path: { stock_id: "1212000000000000000" } },
    });
    // @ts-expect-error stock_id is required
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", { params: { path: {} } });
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      // @ts-expect-error stock_id is a string
      params: { path: { stock_id: 1212 } },
    });
  });

  it("requires the required body fields and checks enums", () => {
    type Body = NonNullable<
      paths["/v3/marketing/busifavor/stocks"]["post"]["requestBody"]
    >["content"]["application/json"];
    expectTypeOf<Body["stock_type"]>().toEqualTypeOf<"NORMAL" | "DISCOUNT" | "EXCHANGE">();
    expectTypeOf<Body>().toHaveProperty("out_request_no").toEqualTypeOf<string>();
    const body = {} as Body;
    void client.POST("/v3/marketing/busifavor/stocks", {
      // @ts-expect-error stock_name is required
      body: { ...body, stock_name: undefined },
    });
    // @ts-expect-error not a stock type
    void client.POST("/v3/marketing/busifavor/stocks", { body: { ...body, stock_type: "FREE" } });
  });

  it("requires the Idempotency-Key header of build partnership", () => {
    const body = {
      partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
      authorized_data: { business_type: "BUSIFAVOR_STOCK", stock_id: "2433405" },
    } as const;
    void client.POST("/v3/marketing/partnerships/build", {
      params: { header: { "Idempotency-Key": "k1" } },
      body,
    });
    // @ts-expect-error the Idempotency-Key header is required
    void client.POST("/v3/marketing/partnerships/build", { params: { header: {} }, body });
    void client.POST("/v3/marketing/partnerships/build", {
      params: { header: { "Idempotency-Key": "k1" } },
      // @ts-expect-error not a partner type
      body: { ...body, partner: { type: "USER" } },
    });
  });

  it("types JSON-in-query parameters as objects", () => {
    void client.GET("/v3/marketing/partnerships", {
      params: {
        query: {
          authorized_data: { business_type: "BUSIFAVOR_STOCK" },
          partner: { type: "APPID" },
          limit: 5,
          offset: 0,
        },
      },
    });
    void client.GET("/v3/marketing/partnerships", {
      // @ts-expect-error business_type is an enum
      params: { query: { authorized_data: { business_type: "OTHER" } } },
    });
  });

  it("types data by the 2xx schema and error by the error body", async () => {
    const { data, error } = await client.GET("/v3/marketing/partnerships", {
      params: { query: { authorized_data: { business_type: "BUSIFAVOR_STOCK" } } },
    });
    if (data) {
      expectTypeOf(data.limit).toEqualTypeOf<number>();
      expectTypeOf(data.data).toEqualTypeOf<
        paths["/v3/marketing/partnerships"]["get"]["responses"]["200"]["content"]["application/json"]["data"]
      >();
    }
    if (error) {
      expectTypeOf(error).toExtend<ErrorBody>();
      // The codes GET /v3/marketing/partnerships documents, not any string.
      expectTypeOf(error.code).toEqualTypeOf<
        | "PARAM_ERROR"
        | "INVALID_REQUEST"
        | "SIGN_ERROR"
        | "NO_AUTH"
        | "RESOURCE_NOT_EXISTS"
        | "FREQUENCY_LIMITED"
        | "SYSTEM_ERROR"
      >();
    }
  });

  it("takes other fetch implementations as they are typed (npm undici's, node-fetch's)", () => {
    type Options = Parameters<typeof createMarketingClient>[0];
    const viaUndici = async (request: Request) =>
      undiciFetch(request.url, { method: request.method, headers: [...request.headers] });
    const viaNodeFetch = async (request: Request) =>
      nodeFetch.default(request.url, { method: request.method, headers: [...request.headers] });
    expectTypeOf({ fetch: viaUndici }).toExtend<Pick<Options, "fetch">>();
    expectTypeOf({ fetch: viaNodeFetch }).toExtend<Pick<Options, "fetch">>();
  });
});

describe("cash coupon (代金券) types", () => {
  it("requires the required body fields", () => {
    void client.POST("/v3/marketing/favor/users/{openid}/coupons", {
      params: { path: { openid: "o4GgauInH_RCEdvrrNGrntXDu6D4" } },
      // @ts-expect-error stock_creator_mchid is required
      body: { stock_id: "2433405", out_request_no: "1", appid: "wx233544546545989" },
    });
    void client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
      params: { path: { stock_id: "2433405" } },
      // @ts-expect-error stock_creator_mchid is required
      body: {},
    });
  });

  it("types error.code by the operation's own business codes", async () => {
    const { error } = await client.POST("/v3/marketing/favor/users/{openid}/coupons", {
      params: { path: { openid: "o4GgauInH_RCEdvrrNGrntXDu6D4" } },
      body: {
        stock_id: "2433405",
        out_request_no: "190000000120271102000001",
        appid: "wx233544546545989",
        stock_creator_mchid: "1900000001",
      },
    });
    if (error) {
      expectTypeOf(error.code).toExtend<string>();
      expectTypeOf<"RULE_LIMIT">().toExtend<typeof error.code>();
      expectTypeOf<"NOT_ENOUGH">().toExtend<typeof error.code>();
      // @ts-expect-error not a code 发放指定批次的代金券 answers
      expectTypeOf<"COUPON_EXPIRED">().toExtend<typeof error.code>();
    }
  });

  it("downloadBill takes the flow links the spec types", async () => {
    const { data } = await client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow", {
      params: { path: { stock_id: "2433400" } },
    });
    if (data) {
      expectTypeOf(data.hash_type).toEqualTypeOf<"SHA1">();
      const file = await client.downloadBill(data);
      expectTypeOf(file.bytes).toEqualTypeOf<Uint8Array>();
      expectTypeOf(file.text()).toEqualTypeOf<string>();
    }
    const day = await client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow-by-day", {
      params: { path: { stock_id: "2433405" }, query: { bill_date: "2027-11-05" } },
    });
    if (day.data) void client.downloadBill(day.data);
    // @ts-expect-error a link without its hash cannot be checked
    void client.downloadBill({ url: "https://api.mch.weixin.qq.com/v3/billdownload/file?token=x" });
  });
});
