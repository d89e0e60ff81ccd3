// Retries, timeouts, failover and the log hook through createMarketingClient, against a real
// signing server on 127.0.0.1 (every attempt's Authorization is verified with the merchant's public
// key, every answer signed with a platform key) and with the global fetch, npm undici's and
// node-fetch's.
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FETCHES } from "../../signer/test/fetches.js";
import {
  generateTestKeys,
  type Reply,
  startWechatpayServer,
  type WechatpayTestServer,
} from "../test/wechatpay-server.js";
import {
  ApiError,
  type CallLogEntry,
  ConfigError,
  createMarketingClient,
  type MarketingClientOptions,
  TimeoutError,
  TransportError,
} from "./index.js";

const keys = generateTestKeys();
const STOCK = { params: { path: { stock_id: "1212000000000000000" } } } as const;
const STOCK_BODY = { stock_id: "1212000000000000000", stock_name: "8月1日活动券" };
const SEND = {
  openid: "o4GgauInH_RCEdvrrNGrntXDu6D4",
  appid: "wx233544546545989",
  stock_id: "98065001",
  out_request_no: "MCHSEND202003101234",
};
const SYSTEM_ERROR: Reply = { status: 500, body: { code: "SYSTEM_ERROR", message: "系统错误" } };
const OK: Reply = { status: 200, body: STOCK_BODY };
// Waits short enough for a test; the policy is the client's, only its scale is smaller.
const FAST = { retries: 2, baseDelayMs: 5, maxDelayMs: 50 };

let server: WechatpayTestServer;
let backup: WechatpayTestServer;
let refusing: string;
beforeAll(async () => {
  server = await startWechatpayServer(keys);
  backup = await startWechatpayServer(keys);
  refusing = await closedPort();
});
afterAll(async () => {
  await server.close();
  await backup.close();
});
afterEach(() => {
  server.received.length = 0;
  backup.received.length = 0;
});

/** A loopback URL nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Answers the replies in turn, the last one from then on. */
function inTurn(...replies: Reply[]) {
  let next = 0;
  return () => replies[Math.min(next++, replies.length - 1)] as Reply;
}

function clientWith(options: Partial<Omit<MarketingClientOptions, "throwOnError">> = {}) {
  const log: CallLogEntry[] = [];
  const client = createMarketingClient({
    ...server.clientOptions,
    retry: FAST,
    onLog: (entry) => log.push(entry),
    ...options,
  });
  return { client, log };
}

describe("retries", () => {
  it("sends a read again after a 500, signed anew, and says how many attempts it took", async () => {
    server.reply(inTurn(SYSTEM_ERROR, OK));
    const { client, log } = clientWith();
    const { data, attempts } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(data).toEqual(STOCK_BODY);
    expect(attempts).toBe(2);
    const [first, second] = server.received;
    expect(first?.signatureValid && second?.signatureValid).toBe(true);
    // A fresh nonce and signature per attempt: WeChat Pay refuses a replayed Authorization.
    expect(first?.headers.authorization).not.toBe(second?.headers.authorization);
    expect(log.map(({ attempt, status, next }) => ({ attempt, status, next }))).toEqual([
      { attempt: 1, status: 500, next: "retry" },
      { attempt: 2, status: 200, next: undefined },
    ]);
  });

  it("sends a coupon again with the same body and out_request_no after 503 and 429", async () => {
    server.reply(
      inTurn(
        { status: 503, body: { code: "SYSTEM_ERROR", message: "系统繁忙" } },
        { status: 429, body: { code: "FREQUENCY_LIMITED", message: "频率超限" } },
        { status: 200, body: { coupon_code: "123446565767" } },
      ),
    );
    const { client } = clientWith();
    const result = await client.POST("/v3/marketing/busifavor/coupons/send", { body: SEND });
    expect(result.data).toEqual({ coupon_code: "123446565767" });
    expect(result.attempts).toBe(3);
    expect(server.received.map((r) => JSON.parse(r.body))).toEqual([SEND, SEND, SEND]);
    expect(new Set(server.received.map((r) => r.headers.authorization)).size).toBe(3);
  });

  it("stops after the budget and returns the last answer", async () => {
    server.reply(SYSTEM_ERROR);
    const { client } = clientWith();
    const result = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(result.error?.code).toBe("SYSTEM_ERROR");
    expect(result.attempts).toBe(3);
    expect(server.received).toHaveLength(3);
  });

  it("never repeats a write the document names no business number for", async () => {
    server.reply(SYSTEM_ERROR);
    const { client } = clientWith();
    const result = await client.POST("/v3/marketing/busifavor/callbacks", {
      body: { mchid: "10000098", notify_url: "https://pay.weixin.qq.com" },
    });
    expect(result.error?.code).toBe("SYSTEM_ERROR");
    expect(result.attempts).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  it("repeats a partnership build only when it carries its Idempotency-Key", async () => {
    server.reply(SYSTEM_ERROR);
    const { client } = clientWith();
    const body = {
      partner: { type: "APPID", appid: "wx4e1916a585d1f4e9" },
      authorized_data: { business_type: "FAVOR_STOCK", stock_id: "2433405" },
    } as const;
    const keyed = await client.POST("/v3/marketing/partnerships/build", {
      params: { header: { "Idempotency-Key": "12345" } },
      body,
    });
    expect(keyed.attempts).toBe(3);
    expect(server.received.map((r) => r.headers["idempotency-key"])).toEqual([
      "12345",
      "12345",
      "12345",
    ]);
    const unkeyed = await client.POST("/v3/marketing/partnerships/build", {
      params: { header: { "Idempotency-Key": "" } },
      body,
    });
    expect(unkeyed.attempts).toBe(1);
  });

  it("takes the call's own budget: retry false, or { retries }", async () => {
    server.reply(SYSTEM_ERROR);
    const { client } = clientWith();
    const once = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      retry: false,
    });
    expect(once.attempts).toBe(1);
    const more = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      retry: { retries: 4 },
    });
    expect(more.attempts).toBe(5);
    const off = clientWith({ retry: false }).client;
    expect((await off.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK)).attempts).toBe(1);
  });

  it("waits what Retry-After asks, and returns at once when it asks more than maxDelayMs", async () => {
    const limited = { status: 429, body: { code: "FREQUENCY_LIMITED", message: "频率超限" } };
    server.reply(inTurn({ ...limited, headers: { "Retry-After": "1" } }, OK));
    const { client } = clientWith({ retry: { ...FAST, maxDelayMs: 2000 } });
    const started = performance.now();
    const waited = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(waited.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    server.reply({ ...limited, headers: { "Retry-After": "120" } });
    const given = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(given.error?.code).toBe("FREQUENCY_LIMITED");
    expect(given.attempts).toBe(1);
  });

  it("sends again after a dropped connection, and not after a bad signature", async () => {
    server.reply(inTurn({ status: 200, drop: true }, OK));
    const { client, log } = clientWith();
    const result = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(result.attempts).toBe(2);
    expect(log[0]).toMatchObject({ errorCode: "TRANSPORT_FAILED", next: "retry" });
    expect(log[0]?.status).toBeUndefined();
    // An answer that does not verify is an attack or a misconfiguration, not bad luck.
    server.reply({ status: 200, body: STOCK_BODY, headers: { "Wechatpay-Signature": "Zm9yZ2Vk" } });
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK),
    ).rejects.toMatchObject({ name: "SignatureVerificationError" });
    expect(server.received).toHaveLength(3);
  });

  it("ignores a log hook that throws", async () => {
    server.reply(OK);
    const client = createMarketingClient({
      ...server.clientOptions,
      onLog: () => {
        throw new Error("log sink down");
      },
    });
    const { data } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(data).toEqual(STOCK_BODY);
  });
});

describe("timeouts", () => {
  it("rejects with TimeoutError when no answer comes in time, and retries a read", async () => {
    server.reply({ ...OK, delayMs: 400 });
    const { client, log } = clientWith({ timeout: 60 });
    const error = await client
      .GET("/v3/marketing/busifavor/stocks/{stock_id}", { ...STOCK, retry: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeoutMs: 60, attempts: 1 });
    expect(log[0]).toMatchObject({ errorCode: "TIMEOUT", next: undefined });
    server.reply(inTurn({ ...OK, delayMs: 400 }, OK));
    const retried = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(retried.attempts).toBe(2);
  });

  it("takes the call's own timeout over the client's", async () => {
    server.reply({ ...OK, delayMs: 150 });
    const { client } = clientWith({ timeout: 60 });
    const { data } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      timeout: 2000,
    });
    expect(data).toEqual(STOCK_BODY);
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        ...STOCK,
        timeout: 30,
        retry: false,
      }),
    ).rejects.toMatchObject({ name: "TimeoutError", timeoutMs: 30 });
  });

  it("keeps the caller's abort distinct from a timeout and never retries it", async () => {
    server.reply({ ...OK, delayMs: 400 });
    const { client } = clientWith();
    const error = await client
      .GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        ...STOCK,
        signal: AbortSignal.timeout(50),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(server.received).toHaveLength(1);
  });

  it("stops waiting between attempts when the caller aborts", async () => {
    // Retry-After makes the wait certain (a backoff's full jitter may be near 0).
    server.reply({ ...SYSTEM_ERROR, headers: { "Retry-After": "3" } });
    const { client } = clientWith({ retry: { ...FAST, maxDelayMs: 5000 } });
    const controller = new AbortController();
    const started = performance.now();
    const pending = client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      ...STOCK,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "TransportError", reason: "AbortError" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(server.received).toHaveLength(1);
  });
});

describe("failover", () => {
  it("moves a retryable call to the backup when the primary refuses the connection", async () => {
    backup.reply(OK);
    const { client, log } = clientWith({ baseUrl: refusing, backupBaseUrl: backup.url });
    const { data, attempts } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(data).toEqual(STOCK_BODY);
    expect(attempts).toBe(2);
    expect(log.map(({ baseUrl, errorReason, next }) => ({ baseUrl, errorReason, next }))).toEqual([
      { baseUrl: refusing, errorReason: "ECONNREFUSED", next: "failover" },
      { baseUrl: backup.url, errorReason: undefined, next: undefined },
    ]);
    expect(backup.received[0]?.signatureValid).toBe(true);
  });

  it("does not move a call the primary answered, nor one that may not be repeated", async () => {
    server.reply(SYSTEM_ERROR);
    const { client } = clientWith({ backupBaseUrl: backup.url });
    expect((await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK)).attempts).toBe(3);
    expect(backup.received).toHaveLength(0);
    const refused = clientWith({ baseUrl: refusing, backupBaseUrl: backup.url }).client;
    const error = await refused
      .POST("/v3/marketing/busifavor/callbacks", {
        body: { mchid: "10000098", notify_url: "https://pay.weixin.qq.com" },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TransportError", reason: "ECONNREFUSED" });
    expect(backup.received).toHaveLength(0);
  });

  it("stays on the primary with backupBaseUrl false", async () => {
    const { client } = clientWith({ baseUrl: refusing, backupBaseUrl: false });
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK),
    ).rejects.toMatchObject({ reason: "ECONNREFUSED" });
    expect(backup.received).toHaveLength(0);
  });
});

describe("the throwing style", () => {
  it("resolves to data and attempts, and rejects with an ApiError that says status, code and message", async () => {
    const client = createMarketingClient({
      ...server.clientOptions,
      retry: FAST,
      throwOnError: true,
    });
    server.reply(inTurn(SYSTEM_ERROR, OK));
    const { data, attempts } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(data.stock_name).toBe("8月1日活动券");
    expect(attempts).toBe(2);
    server.reply({ status: 404, body: { code: "RESOURCE_NOT_EXISTS", message: "批次不存在" } });
    const error = await client
      .GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      code: "RESOURCE_NOT_EXISTS",
      message: "HTTP 404 RESOURCE_NOT_EXISTS: 批次不存在",
      requestId: expect.stringMatching(/^test-/),
    });
  });
});

describe("options", () => {
  it.each([
    ["retry", { retry: "twice" }],
    ["retry.retries", { retry: { retries: -1 } }],
    ["retry.maxDelayMs", { retry: { maxDelayMs: 1.5 } }],
    ["timeout", { timeout: 0 }],
    ["backupBaseUrl", { backupBaseUrl: "ftp://api2.mch.weixin.qq.com" }],
    ["onLog", { onLog: "console" }],
    ["throwOnError", { throwOnError: "yes" }],
  ])("refuses a bad %s with a ConfigError naming it", (option, bad) => {
    const error = (() => {
      try {
        createMarketingClient({ ...server.clientOptions, ...(bad as object) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option });
  });

  it("refuses a bad per-call timeout or retry with a ConfigError naming it", async () => {
    const { client } = clientWith();
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", { ...STOCK, timeout: -5 }),
    ).rejects.toMatchObject({ name: "ConfigError", option: "timeout" });
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", { ...STOCK, retry: { retries: 99 } }),
    ).rejects.toMatchObject({ name: "ConfigError", option: "retry.retries" });
  });
});

describe.each(FETCHES)("with $name as the client's fetch", (f) => {
  const client = () =>
    createMarketingClient({
      ...server.clientOptions,
      fetch: f.fromRequest as never,
      retry: FAST,
      timeout: 100,
    });

  it("retries a dropped connection and a 500, and verifies the answer it keeps", async () => {
    server.reply(inTurn({ status: 200, drop: true }, SYSTEM_ERROR, OK));
    const result = await client().GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(result.data).toEqual(STOCK_BODY);
    expect(result.attempts).toBe(3);
  });

  it("times out even though the adapter does not pass the signal on", async () => {
    server.reply({ ...OK, delayMs: 500 });
    const started = performance.now();
    await expect(
      client().GET("/v3/marketing/busifavor/stocks/{stock_id}", { ...STOCK, retry: false }),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(450);
  });
});
