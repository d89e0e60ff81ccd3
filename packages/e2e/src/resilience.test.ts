// What clients' resilience tests need from the sandbox: signature faults the client must
// reject, typed 429/500 errors, WeChat Pay's authentication answers, and notification retries.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApiError,
  createMarketingClient,
  parseNotification,
  SignatureVerificationError,
} from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";
import { buildAuthorization } from "@wechatpay-marketing/signer";
import { stockBody } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test/fixtures.js";

let h: Harness;
let stockId: string;
beforeAll(async () => {
  h = await startHarness();
  const created = await h.client.POST("/v3/marketing/busifavor/stocks", {
    body: stockBody(h.sandbox.mchid) as never,
  });
  stockId = created.data?.stock_id as string;
});
afterAll(async () => {
  await h.sandbox.close();
});

// Sent once: these tests look at the faults themselves, not at the client's retries of them.
const getStock = () =>
  h.client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
    params: { path: { stock_id: stockId } },
    retry: false,
  });

describe("signature faults", () => {
  it("a tampered answer signature is rejected with reason bad-signature", async () => {
    h.sandbox.injectFault({ kind: "tampered-signature" });
    const error = await getStock().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureVerificationError);
    expect(error).toMatchObject({ reason: "bad-signature", header: "Wechatpay-Signature" });
    expect((await getStock()).response.status).toBe(200);
  });

  it("a WECHATPAY/SIGNTEST/ probe is rejected with reason probe-signature, for N requests on a path", async () => {
    h.sandbox.injectFault({ kind: "probe-signature", count: 2, path: "/busifavor/stocks/" });
    for (let i = 0; i < 2; i++) {
      await expect(getStock()).rejects.toMatchObject({
        name: "SignatureVerificationError",
        reason: "probe-signature",
      });
    }
    expect((await getStock()).response.status).toBe(200);
  });

  it("faults injected through the control API apply the same way", async () => {
    const added = await fetch(`${h.sandbox.url}/sandbox/faults`, {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: JSON.stringify({ kind: "probe-signature", path: "/busifavor/stocks/" }),
    });
    expect(added.status).toBe(200);
    await expect(getStock()).rejects.toMatchObject({ reason: "probe-signature" });
    const bad = await fetch(`${h.sandbox.url}/sandbox/faults`, {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: '{"kind":"meteor"}',
    });
    expect(bad.status).toBe(400);
  });
});

describe("typed errors", () => {
  it("429 FREQUENCY_LIMITED and 500 SYSTEM_ERROR surface as error.code, and as ApiError", async () => {
    h.sandbox.injectFault({ kind: "rate-limit" });
    const limited = await getStock();
    expect(limited.response.status).toBe(429);
    expect(limited.error?.code).toBe("FREQUENCY_LIMITED");
    const apiError = await ApiError.from(limited.response, limited.error);
    expect(apiError).toMatchObject({ status: 429, code: "FREQUENCY_LIMITED" });
    expect(apiError.requestId).toMatch(/^[0-9A-F]{32}$/);
    h.sandbox.injectFault({ kind: "system-error", method: "GET" });
    const failed = await getStock();
    expect(failed.response.status).toBe(500);
    expect(failed.error?.code).toBe("SYSTEM_ERROR");
  });

  it("latency delays the answer without changing it", async () => {
    h.sandbox.injectFault({ kind: "latency", latencyMs: 150 });
    const started = performance.now();
    expect((await getStock()).response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("authentication", () => {
  const path = () => `/v3/marketing/busifavor/stocks/${stockId}`;

  it("a signature by another key is 401 SIGN_ERROR with sign_information as the server built it", async () => {
    const other = await startSandbox();
    try {
      const stranger = createMarketingClient({
        ...other.clientOptions,
        baseUrl: h.sandbox.url,
        serialNo: h.sandbox.serialNo,
      });
      const result = await stranger.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
        params: { path: { stock_id: stockId } },
      });
      expect(result.response.status).toBe(401);
      expect(result.error?.code).toBe("SIGN_ERROR");
      const info = result.error?.detail?.sign_information;
      expect(info).toMatchObject({ method: "GET", url: path() });
      expect(info?.truncated_sign_message).toMatch(
        new RegExp(`^GET\\n${path()}\\n\\d+\\n\\w{32}\\n\\n$`),
      );
      expect(info?.sign_message_length).toBe(
        new TextEncoder().encode(info?.truncated_sign_message).length,
      );
    } finally {
      await other.close();
    }
  });

  it("a stale timestamp is 401 SIGN_ERROR; missing Accept or User-Agent is refused", async () => {
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = await fetch(`${h.sandbox.url}${path()}`, {
      headers: {
        Accept: "application/json",
        "User-Agent": "test",
        Authorization: await buildAuthorization(h.sandbox.clientOptions, {
          method: "GET",
          url: path(),
          timestamp: old,
        }),
      },
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ code: "SIGN_ERROR" });
    const authorization = await buildAuthorization(h.sandbox.clientOptions, {
      method: "GET",
      url: path(),
    });
    const bare = await fetch(`${h.sandbox.url}${path()}`, {
      headers: { Authorization: authorization, "User-Agent": "" },
    });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ message: "HTTP头缺少Accept或User-Agent" });
    const missing = await fetch(`${h.sandbox.url}${path()}`, {
      headers: { Accept: "application/json", "User-Agent": "t" },
    });
    expect(missing.status).toBe(401);
  });

  it("the platform certificate mode signs with a self-signed X.509 certificate the client verifies", async () => {
    const sandbox = await startSandbox({ platformKeyMode: "certificate", strictResponses: true });
    try {
      expect(sandbox.clientOptions.wechatpayPublicKey).toBeUndefined();
      expect(sandbox.clientOptions.platformCertificates?.[0]).toMatch(
        /^-----BEGIN CERTIFICATE-----/,
      );
      const client = createMarketingClient(sandbox.clientOptions);
      const result = await client.GET("/v3/marketing/partnerships", {
        params: { query: { limit: 5 } },
      });
      expect(result.response.status).toBe(200);
      expect(result.response.headers.get("Wechatpay-Serial")).not.toMatch(/^PUB_KEY_ID_/);
    } finally {
      await sandbox.close();
    }
  });
});

describe("COUPON.SEND notifications", () => {
  it("are retried on a failing receiver, stop after success, and verify and decrypt with parseNotification", async () => {
    const received: {
      status: number;
      body: string;
      headers: Record<string, string | string[] | undefined>;
    }[] = [];
    let failuresLeft = 2;
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const status = failuresLeft-- > 0 ? 500 : 204;
        received.push({ status, body, headers: req.headers });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const { port } = receiver.address() as AddressInfo;
    try {
      const set = await h.client.POST("/v3/marketing/busifavor/callbacks", {
        body: { notify_url: `https://127.0.0.1:${port}/coupon-events` },
      });
      expect(set.response.status).toBe(200);
      const coupon = await h.sandbox.issueCoupon("oNotifiedUser", { stock_id: stockId });
      await expect
        .poll(() => h.sandbox.notifications().at(-1)?.state, { timeout: 5000 })
        .toBe("DELIVERED");
      const delivery = h.sandbox.notifications().at(-1);
      expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
      expect(received).toHaveLength(3);
      expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
      const last = received[2] as (typeof received)[number];
      const notification = await parseNotification(
        { headers: last.headers as Record<string, string>, body: last.body },
        h.sandbox.notificationOptions,
      );
      expect(notification).toMatchObject({
        eventType: "COUPON.SEND",
        resource: { coupon_code: coupon.coupon_code, stock_id: stockId, openid: "oNotifiedUser" },
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toHaveLength(3);
    } finally {
      receiver.close();
    }
  });

  it("give up after the retry schedule when the receiver never succeeds", async () => {
    const sandbox = await startSandbox({
      notificationRetryDelaysMs: [10, 20, 40],
      strictResponses: true,
    });
    let calls = 0;
    const receiver = createServer((_req, res) => {
      calls++;
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const { port } = receiver.address() as AddressInfo;
    try {
      const client = createMarketingClient(sandbox.clientOptions);
      await client.POST("/v3/marketing/busifavor/callbacks", {
        body: { notify_url: `https://localhost:${port}/n` },
      });
      const stock = await client.POST("/v3/marketing/busifavor/stocks", {
        body: stockBody(sandbox.mchid) as never,
      });
      await sandbox.issueCoupon("oUser", { stock_id: stock.data?.stock_id as string });
      await expect.poll(() => sandbox.notifications()[0]?.state, { timeout: 5000 }).toBe("FAILED");
      expect(calls).toBe(4);
      expect(sandbox.violations).toEqual([]);
    } finally {
      receiver.close();
      await sandbox.close();
    }
  });
});

describe("control API", () => {
  it("issues coupons, moves the clock so coupons expire, and lists deliveries", async () => {
    const issued = await fetch(`${h.sandbox.url}/sandbox/users/oClockUser/coupons`, {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: JSON.stringify({ stock_id: stockId }),
    });
    expect(issued.status).toBe(200);
    const coupon = (await issued.json()) as { coupon_code: string; coupon_state: string };
    expect(coupon.coupon_state).toBe("SENDED");
    const clock = await fetch(`${h.sandbox.url}/sandbox/clock`, {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: JSON.stringify({ advance_seconds: 40 * 86_400 }),
    });
    expect(clock.status).toBe(200);
    const read = await h.client.GET(
      "/v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}",
      {
        params: {
          path: {
            openid: "oClockUser",
            coupon_code: coupon.coupon_code,
            appid: "wx8888888888888888",
          },
        },
      },
    );
    expect(read.data?.coupon_state).toBe("EXPIRED");
    const used = await h.client.POST("/v3/marketing/busifavor/coupons/use", {
      body: {
        coupon_code: coupon.coupon_code,
        appid: "wx8888888888888888",
        use_time: new Date().toISOString().replace(/\.\d+Z$/, "+00:00"),
        use_request_no: "use-expired-1",
      },
    });
    expect(used.error?.code).toBe("INVALID_REQUEST");
    const more = await fetch(`${h.sandbox.url}/sandbox/users/oClockUser/coupons`, {
      method: "POST",
      headers: h.sandbox.controlHeaders,
      body: JSON.stringify({ stock_id: stockId }),
    });
    expect(more.status).toBe(400);
    const log = (await (
      await fetch(`${h.sandbox.url}/sandbox/notifications`, { headers: h.sandbox.controlHeaders })
    ).json()) as {
      data: unknown[];
    };
    expect(log.data.length).toBeGreaterThan(0);
    expect(h.sandbox.violations).toEqual([]);
  });
});
