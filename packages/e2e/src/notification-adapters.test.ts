// The sandbox sends real COUPON.SEND notifications (signed, encrypted, retried as WeChat Pay
// retries them) to createNotificationHandler and the Node adapters mounted in the real frameworks,
// each on 127.0.0.1. onEvent fails the first delivery: WeChat Pay's retry arrives and is handled
// once; a further copy of it is acknowledged without calling onEvent.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  createMarketingClient,
  createNotificationHandler,
  type MarketingClient,
  type MarketingNotification,
  type NotificationLogEntry,
} from "@wechatpay-marketing/client";
import {
  createFastifyNotificationPlugin,
  createNodeNotificationHandler,
} from "@wechatpay-marketing/client/node";
import { type Sandbox, startSandbox } from "@wechatpay-marketing/sandbox";
import { stockBody } from "@wechatpay-marketing/test-fixtures";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let sandbox: Sandbox;
let client: MarketingClient;
let stockId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ notificationRetryDelaysMs: [50, 50, 50] });
  client = createMarketingClient(sandbox.clientOptions);
  const { data, error } = await client.POST("/v3/marketing/busifavor/stocks", {
    body: stockBody(sandbox.mchid, {
      stock_name: "通知测试满减券",
      stock_send_rule: { max_coupons: 100, max_coupons_per_user: 20 },
    }) as never,
  });
  if (!data) throw new Error(`stock creation failed: ${JSON.stringify(error)}`);
  stockId = data.stock_id;
});
afterAll(() => sandbox.close());

/** What one adapter saw: onEvent's calls (thrown or not) and the log. */
interface Receiver {
  events: MarketingNotification[];
  calls: number;
  log: NotificationLogEntry[];
}

function failingFirst(receiver: Receiver) {
  return {
    options: {
      ...sandbox.notificationOptions,
      log: (e: NotificationLogEntry) => receiver.log.push(e),
    },
    onEvent: (event: MarketingNotification) => {
      if (++receiver.calls === 1) throw new Error("first delivery fails on purpose");
      receiver.events.push(event);
    },
  };
}

/** Points the merchant's notify URL at `url`, gives a coupon, waits for the delivery to settle. */
async function deliverTo(url: string, openid: string) {
  const set = await client.POST("/v3/marketing/busifavor/callbacks", {
    body: { notify_url: url.replace("http://", "https://") },
  });
  expect(set.response.status).toBe(200);
  const before = sandbox.notifications().length;
  const coupon = await sandbox.issueCoupon(openid, { stock_id: stockId });
  const settled = () => {
    const delivery = sandbox.notifications()[before];
    return delivery && delivery.state !== "PENDING" ? delivery.state : undefined;
  };
  await expect.poll(settled, { timeout: 10_000 }).toBeDefined();
  return { coupon, delivery: sandbox.notifications()[before] };
}

async function expectRetriedOnce(url: string, receiver: Receiver, openid: string) {
  const { coupon, delivery } = await deliverTo(url, openid);
  expect(delivery?.state).toBe("DELIVERED");
  expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 204]);
  expect(receiver.calls).toBe(2);
  expect(receiver.events).toHaveLength(1);
  const event = receiver.events[0] as MarketingNotification;
  expect(event.eventType).toBe("COUPON.SEND");
  if (event.eventType === "COUPON.SEND") {
    expect(event.resource).toMatchObject({ coupon_code: coupon.coupon_code, openid });
  }
  expect(receiver.log.map((e) => e.outcome)).toEqual(["handler-failed", "handled"]);
  return delivery;
}

const fresh = (): Receiver => ({ events: [], calls: 0, log: [] });

/** The base URL of a node:http server once it listens on 127.0.0.1. */
async function loopbackUrl(server: Server): Promise<string> {
  if (!server.listening) await new Promise((r) => server.once("listening", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Hono (createNotificationHandler, @hono/node-server)", () => {
  it("handles the sandbox's retry once", async () => {
    const receiver = fresh();
    const { options, onEvent } = failingFirst(receiver);
    const app = new Hono();
    const handle = createNotificationHandler(options, onEvent);
    app.post("/wechatpay/notify", (c) => handle(c.req.raw));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      await expectRetriedOnce(`http://127.0.0.1:${port}/wechatpay/notify`, receiver, "oHonoUser");
    } finally {
      server.close();
    }
  });
});

describe("Express 5 (createNodeNotificationHandler)", () => {
  it("handles the sandbox's retry once, with express.json() mounted for the rest of the app", async () => {
    const receiver = fresh();
    const { options, onEvent } = failingFirst(receiver);
    const app = express();
    app.post("/wechatpay/notify", createNodeNotificationHandler(options, onEvent));
    app.use(express.json());
    const server = app.listen(0, "127.0.0.1");
    try {
      const base = await loopbackUrl(server);
      await expectRetriedOnce(`${base}/wechatpay/notify`, receiver, "oExpressUser");
    } finally {
      server.close();
    }
  });

  it("behind express.raw() too; behind express.json() it answers 500 naming the fix, never calling onEvent", async () => {
    const receiver = fresh();
    const { options, onEvent } = failingFirst(receiver);
    const app = express();
    app.post("/raw", express.raw({ type: "*/*" }), createNodeNotificationHandler(options, onEvent));
    const parsed = fresh();
    app.post(
      "/parsed",
      express.json(),
      createNodeNotificationHandler(
        { ...sandbox.notificationOptions, log: (e) => parsed.log.push(e) },
        () => {
          parsed.calls++;
        },
      ),
    );
    const server = app.listen(0, "127.0.0.1");
    try {
      const base = await loopbackUrl(server);
      await expectRetriedOnce(`${base}/raw`, receiver, "oExpressRawUser");
      const { delivery } = await deliverTo(`${base}/parsed`, "oExpressJsonUser");
      expect(delivery?.state).toBe("FAILED");
      expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500]);
      expect(parsed.calls).toBe(0);
      expect(parsed.log[0]?.message).toMatch(/before express\.json\(\)/);
    } finally {
      server.close();
    }
  });
});

describe("Fastify 5 (createFastifyNotificationPlugin)", () => {
  it("handles the sandbox's retry once; the app's own JSON routes still parse JSON", async () => {
    const receiver = fresh();
    const { options, onEvent } = failingFirst(receiver);
    const app = Fastify();
    app.register(createFastifyNotificationPlugin(options, onEvent), {
      prefix: "/wechatpay/notify",
    });
    app.post("/echo", async (request) => ({ parsed: request.body }));
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const { port } = app.server.address() as AddressInfo;
      await expectRetriedOnce(
        `http://127.0.0.1:${port}/wechatpay/notify`,
        receiver,
        "oFastifyUser",
      );
      const echo = await fetch(`http://127.0.0.1:${port}/echo`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ a: 1 }),
      });
      expect(await echo.json()).toEqual({ parsed: { a: 1 } });
    } finally {
      await app.close();
    }
  });
});
