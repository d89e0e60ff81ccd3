// The client's side of the attack suite (the signer's is packages/signer/src/attacks.test.ts):
// createMarketingClient with the global fetch, npm undici 7's and node-fetch 2's, behind a real
// man in the middle on 127.0.0.1 in front of a real signing server; bad options; notifications.
// Forged answers accepted and secrets leaked are asserted to be 0.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { signNotification, signResponse } from "@wechatpay-marketing/signer/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FETCHES } from "../../signer/test/fetches.js";
import {
  type ManInTheMiddle,
  startManInTheMiddle,
  streamHugeBody,
  type Tampering,
} from "../../signer/test/mitm.js";
import {
  generateTestKeys,
  startWechatpayServer,
  type WechatpayTestServer,
} from "../test/wechatpay-server.js";
import {
  BodyTooLargeError,
  ConfigError,
  createMarketingClient,
  type MarketingClientOptions,
  parseNotification,
  SignatureVerificationError,
  TransportError,
  WechatpayError,
} from "./index.js";

const keys = generateTestKeys();
const API_V3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
const STOCK = { params: { path: { stock_id: "1212000000000000000" } } } as const;
const STOCK_BODY = { stock_id: "1212000000000000000", stock_name: "8月1日活动券" };
let server: WechatpayTestServer;
let mitm: ManInTheMiddle;
let options: MarketingClientOptions;

const provoked: unknown[] = [];
async function refusal(attempt: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof attempt === "function" ? attempt() : attempt);
    return undefined;
  } catch (error) {
    provoked.push(error);
    return error;
  }
}

beforeAll(async () => {
  server = await startWechatpayServer(keys);
  mitm = await startManInTheMiddle(server.url);
  options = { ...server.clientOptions, baseUrl: mitm.origin };
});
afterAll(async () => {
  await mitm.close();
  await server.close();
});

interface Forgery {
  name: string;
  /** What the genuine server answers. */
  reply: { status: number; body?: unknown };
  tamper: Tampering;
  expected: Record<string, unknown>;
}

const FORGERIES: Forgery[] = [
  {
    name: "a forged stock under a genuine 204's signature headers",
    reply: { status: 204 },
    tamper: (genuine) => ({
      status: 200,
      headers: { ...genuine.headers, "content-type": "application/json" },
      body: Buffer.from(JSON.stringify({ ...STOCK_BODY, stock_name: "forged" })),
    }),
    expected: { name: "SignatureVerificationError", reason: "bad-signature" },
  },
  {
    name: "one byte of a genuine stock changed",
    reply: { status: 200, body: STOCK_BODY },
    tamper: (genuine) => ({
      ...genuine,
      body: Buffer.from(genuine.body.toString("utf8").replace("1212", "1213")),
    }),
    expected: { name: "SignatureVerificationError", reason: "bad-signature" },
  },
  {
    name: "a genuine stock's signature under another key id",
    reply: { status: 200, body: STOCK_BODY },
    tamper: (genuine) => ({
      ...genuine,
      headers: {
        ...genuine.headers,
        "wechatpay-serial": "PUB_KEY_ID_0119000000012025012000000999",
      },
    }),
    expected: { name: "SignatureVerificationError", reason: "unknown-serial" },
  },
  {
    name: "a 3 MiB body, chunked",
    reply: { status: 200, body: STOCK_BODY },
    tamper: (genuine) => streamHugeBody(genuine, 3 * 1024 * 1024).write,
    expected: { name: "BodyTooLargeError" },
  },
];

const figures = { tried: 0, accepted: 0 };

describe.each(FETCHES)("createMarketingClient with $name behind a man in the middle", (f) => {
  const client = () => createMarketingClient({ ...options, fetch: f.fromRequest as never });

  it("verifies a genuine answer and hands over its data", async () => {
    server.reply({ status: 200, body: STOCK_BODY });
    mitm.tamper = (genuine) => genuine;
    const { data, response } = await client().GET(
      "/v3/marketing/busifavor/stocks/{stock_id}",
      STOCK,
    );
    expect(data).toEqual(STOCK_BODY);
    expect(response).toBeInstanceOf(Response);
  });

  for (const forgery of FORGERIES) {
    it(`refuses ${forgery.name}`, async () => {
      server.reply(forgery.reply);
      mitm.tamper = forgery.tamper;
      figures.tried++;
      const error = await refusal(client().GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK));
      if (error === undefined) figures.accepted++;
      expect(error).toBeInstanceOf(WechatpayError);
      expect(error).toMatchObject(forgery.expected);
    });
  }

  it("fails a refused connection with TransportError, carrying no request", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await refusal(
      createMarketingClient({
        ...options,
        baseUrl: `http://127.0.0.1:${port}`,
        fetch: f.fromRequest as never,
      }).GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ reason: "ECONNREFUSED" });
  });
});

describe("transport errors that carry the request", () => {
  it("drop it: no Authorization in the TransportError", async () => {
    const leaky = async (request: Request) => {
      throw Object.assign(new Error(`failed: ${request.headers.get("Authorization")}`), {
        request,
        headers: Object.fromEntries(request.headers),
      });
    };
    const error = await refusal(
      createMarketingClient({ ...options, fetch: leaky }).GET(
        "/v3/marketing/busifavor/stocks/{stock_id}",
        STOCK,
      ),
    );
    expect(error).toMatchObject({ name: "TransportError", code: "TRANSPORT_FAILED" });
    expect(JSON.stringify(error)).not.toContain("WECHATPAY2");
  });
});

describe("options that reach the wire", () => {
  const pasted = keys.merchantPrivateKey;
  const cases: [Partial<MarketingClientOptions>, string][] = [
    [{ userAgent: pasted }, "userAgent"],
    [{ userAgent: "shop/1.0\r\nX-Injected: 1" }, "userAgent"],
    [{ headers: { "X-Trace": pasted } }, "headers.X-Trace"],
    [{ headers: { "X-Trace": ["ok", "bad\nvalue"] } }, "headers.X-Trace"],
    [{ headers: [["X-Trace", "中文"]] }, "headers.X-Trace"],
    [{ headers: { "Bad Name": "1" } }, "headers"],
    [{ headers: [["X-Only-Name"]] as never }, "headers"],
    [{ headers: "X-Trace: 1" as never }, "headers"],
    [{ baseUrl: pasted }, "baseUrl"],
    [{ baseUrl: "ftp://api.mch.weixin.qq.com" }, "baseUrl"],
    [{ baseUrl: "https://api.mch.weixin.qq.com/v3 x" }, "baseUrl"],
    [{ fetch: "fetch" as never }, "fetch"],
    [{ mchid: "1900000001\r\n" }, "mchid"],
  ];
  for (const [change, option] of cases) {
    it(`refuses ${option} with a ConfigError that does not echo the value`, async () => {
      const error = await refusal(() => createMarketingClient({ ...options, ...change }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option });
      const text = [String(error), JSON.stringify(error), (error as Error).stack].join("\n");
      expect(text).not.toContain(pasted.split("\n")[1]);
      expect(text).not.toContain("中文");
      expect(text).not.toMatch(/bad\nvalue|X-Injected/);
    });
  }

  it("accepts header-safe extra headers, as a record, pairs or a Headers", async () => {
    server.reply({ status: 200, body: STOCK_BODY });
    mitm.tamper = (genuine) => genuine;
    for (const headers of [
      { "X-Trace": "a b", "X-Empty": "", "X-Count": 3 as never },
      [["X-Trace", "a b"]] as [string, string][],
      new Headers({ "X-Trace": "a b" }),
    ]) {
      const { data } = await createMarketingClient({ ...options, headers }).GET(
        "/v3/marketing/busifavor/stocks/{stock_id}",
        STOCK,
      );
      expect(data).toEqual(STOCK_BODY);
      expect(server.received.at(-1)?.headers["x-trace"]).toBe("a b");
    }
  });

  it("refuses an RSA key under 2048 bits", async () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const privateKey = small.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    expect(await refusal(() => createMarketingClient({ ...options, privateKey }))).toMatchObject({
      name: "ConfigError",
      option: "privateKey",
    });
  });
});

describe("notifications through the client", () => {
  const notificationOptions = () => ({
    apiV3Key: API_V3_KEY,
    wechatpayPublicKey: server.clientOptions.wechatpayPublicKey,
  });
  const sign = (body: string) =>
    signResponse({ body, privateKey: keys.platformPrivateKey, serial: keys.platformKeyId });

  it("refuses a resource_type other than encrypt-resource, and missing headers, with typed errors", async () => {
    const genuine = await signNotification({
      id: "EV-1",
      eventType: "COUPON.SEND",
      resource: { coupon_code: "1" },
      apiV3Key: API_V3_KEY,
      privateKey: keys.platformPrivateKey,
      serial: keys.platformKeyId,
    });
    await expect(parseNotification(genuine, notificationOptions())).resolves.toMatchObject({
      eventType: "COUPON.SEND",
    });
    const plain = JSON.stringify({ ...JSON.parse(genuine.body), resource_type: "plain" });
    expect(
      await refusal(
        parseNotification({ headers: await sign(plain), body: plain }, notificationOptions()),
      ),
    ).toMatchObject({ name: "DecryptionError", reason: "unsupported-resource-type" });
    expect(
      await refusal(parseNotification({ body: genuine.body } as never, notificationOptions())),
    ).toBeInstanceOf(SignatureVerificationError);
    expect(
      await refusal(
        parseNotification(
          { headers: genuine.headers, body: " ".repeat(3 * 1024 * 1024) },
          notificationOptions(),
        ),
      ),
    ).toBeInstanceOf(BodyTooLargeError);
  });
});

describe("figures", () => {
  it("forged answers accepted: 0", () => {
    expect(figures.tried).toBe(FETCHES.length * FORGERIES.length);
    console.log(`client: forged answers accepted: ${figures.accepted} of ${figures.tried}`);
    expect(figures.accepted).toBe(0);
  });

  it("secrets leaked: 0", () => {
    const secrets = [
      ...[keys.merchantPrivateKey, keys.platformPrivateKey].flatMap((pem) =>
        pem.split("\n").filter((line) => line.length > 40),
      ),
      ...mitm.authorizations,
      ...mitm.authorizations.map((a) => /signature="([^"]+)"/.exec(a)?.[1] as string),
      API_V3_KEY,
    ];
    expect(mitm.authorizations.length).toBeGreaterThan(10);
    let leaked = 0;
    for (const error of provoked) {
      expect(error).toBeInstanceOf(WechatpayError);
      const e = error as Error;
      const text = [
        e.message,
        String(e),
        JSON.stringify(e),
        inspect(e, { depth: 10, showHidden: true }),
        e.stack,
      ].join("\n");
      leaked += secrets.filter((secret) => text.includes(secret)).length;
    }
    console.log(`client: secrets leaked: ${leaked} in ${provoked.length} errors`);
    expect(leaked).toBe(0);
  });
});
