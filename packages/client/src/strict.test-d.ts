import { describe, expectTypeOf, it } from "vitest";
import {
  type BusifavorStock,
  type CallLogEntry,
  createMarketingClient,
  type ImageUploadResult,
  type MarketingClient,
  type MarketingClientOptions,
  type MarketingImageUploadResult,
  type StrictMarketingClient,
} from "./index.js";

declare const options: Omit<MarketingClientOptions, "throwOnError">;
declare const strict: StrictMarketingClient;
declare const client: MarketingClient;
const STOCK = { params: { path: { stock_id: "1212000000000000000" } } } as const;

describe("the throwing style", () => {
  it("is chosen by throwOnError: true", () => {
    expectTypeOf(
      createMarketingClient({ ...options, throwOnError: true }),
    ).toEqualTypeOf<StrictMarketingClient>();
    expectTypeOf(
      createMarketingClient({ ...options, throwOnError: false }),
    ).toEqualTypeOf<MarketingClient>();
  });

  it("resolves to data that is never optional, and has no error", async () => {
    const result = await strict.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expectTypeOf(result.data).toEqualTypeOf<BusifavorStock>();
    expectTypeOf(result.attempts).toEqualTypeOf<number>();
    expectTypeOf(result).not.toHaveProperty("error");
    const uploaded = await strict.uploadImage(new Uint8Array(), "logo.png");
    expectTypeOf(uploaded.data).toEqualTypeOf<MarketingImageUploadResult>();
  });

  it("types its arguments as strictly as the other style", () => {
    // @ts-expect-error stock_id is required
    void strict.GET("/v3/marketing/busifavor/stocks/{stock_id}", { params: { path: {} } });
    void strict.POST("/v3/marketing/busifavor/coupons/send", {
      // @ts-expect-error out_request_no is misspelt
      body: { openid: "o", appid: "wx", stock_id: "1", out_request_n: "x" },
    });
  });
});

describe("uploadImage's result", () => {
  it("is openapi-fetch's result of the upload operation", () => {
    expectTypeOf<ImageUploadResult>().toEqualTypeOf<
      Awaited<ReturnType<typeof client.POST<"/v3/marketing/favor/media/image-upload">>>
    >();
  });

  it("lets a helper infer the data type without undefined", async () => {
    const unwrap = <T>(result: { data?: T; error?: unknown }): T => result.data as T;
    const result = await client.uploadImage(new Uint8Array(), "logo.png");
    expectTypeOf(unwrap(result)).toEqualTypeOf<MarketingImageUploadResult>();
  });
});

describe("the per-call options", () => {
  it("take retry and timeout", () => {
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      retry: { retries: 1 },
      timeout: 5000,
    });
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", { ...STOCK, retry: false });
    void client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      // @ts-expect-error retries is a number
      retry: { retries: "2" },
    });
  });

  it("log entries carry no header or body", () => {
    expectTypeOf<keyof CallLogEntry>().toEqualTypeOf<
      | "method"
      | "path"
      | "baseUrl"
      | "attempt"
      | "status"
      | "latencyMs"
      | "requestId"
      | "errorCode"
      | "errorReason"
      | "next"
    >();
  });
});
