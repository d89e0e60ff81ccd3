// The client's retries, timeouts and failover against the signing sandbox over real HTTP on
// 127.0.0.1: the sandbox injects 500s, 429s and delays (its fault plan), a proxy in front of it
// loses answers after the sandbox applied the request, and the sandbox counts how many times each
// business number changed its state: a retried coupon send is applied once.
import { createServer } from "node:net";
import {
  ApiError,
  type CallLogEntry,
  createMarketingClient,
  type MarketingClient,
  type MarketingClientOptions,
} from "@wechatpay-marketing/client";
import { type Sandbox, startSandbox } from "@wechatpay-marketing/sandbox";
import { APPID, stockBody, unique } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DroppingProxy, startDroppingProxy } from "../test/dropping-proxy.js";

const SEND_PATH = "/v3/marketing/busifavor/coupons/send";
const FAST = { retries: 2, baseDelayMs: 5, maxDelayMs: 50 };

let sandbox: Sandbox;
let proxy: DroppingProxy;
let stockId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = await startDroppingProxy(sandbox.url);
  const { data, error } = await createMarketingClient(sandbox.clientOptions).POST(
    "/v3/marketing/busifavor/stocks",
    {
      body: stockBody(sandbox.mchid, {
        stock_name: "重试测试满减券",
        stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 100 },
      }) as never,
    },
  );
  if (!data) throw new Error(`stock creation failed: ${JSON.stringify(error)}`);
  stockId = data.stock_id;
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

function clientWith(options: Partial<Omit<MarketingClientOptions, "throwOnError">> = {}) {
  const log: CallLogEntry[] = [];
  const client = createMarketingClient({
    ...sandbox.clientOptions,
    retry: FAST,
    onLog: (entry) => log.push(entry),
    ...options,
  });
  return { client, log };
}

const sendCoupon = (client: MarketingClient, outRequestNo: string) =>
  client.POST(SEND_PATH, {
    body: {
      openid: "oRetryUser0000000000000000",
      appid: APPID,
      stock_id: stockId,
      out_request_no: outRequestNo,
    },
  });

/** How many times the sandbox applied this business number (0 if never). */
const applied = (outRequestNo: string) =>
  Object.entries(sandbox.inspect().requestNumbers)
    .filter(([key]) => key.endsWith(`|${outRequestNo}`))
    .reduce((sum, [, times]) => sum + times, 0);

describe("a coupon send that meets trouble is applied once", () => {
  it("after a 500 SYSTEM_ERROR", async () => {
    sandbox.injectFault({ kind: "system-error", path: SEND_PATH });
    const { client, log } = clientWith();
    const outRequestNo = unique("retry-500-");
    const { data, attempts } = await sendCoupon(client, outRequestNo);
    expect(data?.coupon_code).toMatch(/\S/);
    expect(attempts).toBe(2);
    expect(log.map((e) => [e.status, e.errorCode, e.next])).toEqual([
      [500, "SYSTEM_ERROR", "retry"],
      [200, undefined, undefined],
    ]);
    expect(log[1]?.requestId).toMatch(/\S/);
    expect(applied(outRequestNo)).toBe(1);
  });

  it("after a 429 FREQUENCY_LIMITED", async () => {
    sandbox.injectFault({ kind: "rate-limit", path: SEND_PATH });
    const { client } = clientWith();
    const outRequestNo = unique("retry-429-");
    expect((await sendCoupon(client, outRequestNo)).attempts).toBe(2);
    expect(applied(outRequestNo)).toBe(1);
  });

  it("after an answer lost with its connection, the sandbox having applied it", async () => {
    const { client, log } = clientWith({ baseUrl: proxy.url });
    const outRequestNo = unique("retry-drop-");
    const dropped = proxy.dropped;
    proxy.dropNext();
    const { data, attempts } = await sendCoupon(client, outRequestNo);
    expect(proxy.dropped).toBe(dropped + 1);
    expect(attempts).toBe(2);
    expect(log[0]).toMatchObject({ errorCode: "TRANSPORT_FAILED", next: "retry" });
    // The retry carried the same number: the sandbox answered the first result, no second coupon.
    expect(applied(outRequestNo)).toBe(1);
    const coupons = await client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
      params: { path: { openid: "oRetryUser0000000000000000" }, query: { appid: APPID } },
    });
    expect(coupons.data?.data?.filter((c) => c.coupon_code === data?.coupon_code)).toHaveLength(1);
  });

  it("after a timeout, the slow first attempt landing too", async () => {
    sandbox.injectFault({ kind: "latency", path: SEND_PATH, latencyMs: 400 });
    const { client, log } = clientWith({ timeout: 150 });
    const outRequestNo = unique("retry-slow-");
    const { attempts } = await sendCoupon(client, outRequestNo);
    expect(attempts).toBe(2);
    expect(log[0]).toMatchObject({ errorCode: "TIMEOUT", next: "retry" });
    // The first attempt is still running in the sandbox: wait for it, then count.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(applied(outRequestNo)).toBe(1);
  });

  it("and a write without a business number is not sent again", async () => {
    sandbox.injectFault({ kind: "system-error", path: "/busifavor/callbacks", method: "POST" });
    const { client } = clientWith();
    const result = await client.POST("/v3/marketing/busifavor/callbacks", {
      body: { mchid: sandbox.mchid, notify_url: "https://127.0.0.1:9/notify" },
    });
    expect(result.error?.code).toBe("SYSTEM_ERROR");
    expect(result.attempts).toBe(1);
  });
});

describe("failover to the backup host", () => {
  it("sends a retryable call to the backup when the primary refuses connections", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const { client, log } = clientWith({
      baseUrl: `http://127.0.0.1:${port}`,
      backupBaseUrl: sandbox.url,
    });
    const outRequestNo = unique("retry-failover-");
    const { data, attempts } = await sendCoupon(client, outRequestNo);
    expect(data?.coupon_code).toMatch(/\S/);
    expect(attempts).toBe(2);
    expect(log.map((e) => [e.baseUrl, e.next])).toEqual([
      [`http://127.0.0.1:${port}`, "failover"],
      [sandbox.url, undefined],
    ]);
    expect(applied(outRequestNo)).toBe(1);
  });
});

describe("the throwing style", () => {
  it("hands over data directly and throws ApiError naming status, code and message", async () => {
    const client = createMarketingClient({ ...sandbox.clientOptions, throwOnError: true });
    const { data } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      params: { path: { stock_id: stockId } },
    });
    expect(data.stock_id).toBe(stockId);
    const error = await client
      .GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: "9999999999" } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/^HTTP 404 RESOURCE_NOT_EXISTS: \S/);
  });
});
