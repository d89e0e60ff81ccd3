// The attack suite: every way issue 11 found to get a forged answer, a bad input or a secret
// past the signer, tried as an attacker would (an on-path proxy without the platform key,
// hostile headers and options, other fetch implementations), each with the typed error
// expected. Real HTTP on 127.0.0.1, real keys generated here, the three fetches as real
// dependencies. The figures (forged answers accepted, secrets leaked) are asserted to be 0.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import fc from "fast-check";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FETCHES } from "../test/fetches.js";
import {
  API_V3_KEY,
  MERCHANT_SERIAL,
  makeCertificate,
  PUB_KEY_ID,
  testKeyPair,
} from "../test/helpers.js";
import {
  type Answer,
  type ManInTheMiddle,
  startManInTheMiddle,
  streamHugeBody,
  type Tampering,
} from "../test/mitm.js";
import type { paths } from "../test/paths.js";
import { startTestServer, type TestServer } from "../test/server.js";
import { createSignedFetch, TransportError, verifyResponse } from "./fetch.js";
import {
  BodyTooLargeError,
  ConfigError,
  createMerchantCredentials,
  type PlatformKeyOptions,
  parseNotification,
  SignatureVerificationError,
  type SignerOptions,
  WechatpayError,
} from "./index.js";
import { createSignerMiddleware } from "./middleware.js";
import {
  MAX_AUTHORIZATION_LENGTH,
  parseAuthorization,
  signNotification,
  signResponse,
  verifyAuthorization,
} from "./server.js";

const merchant = testKeyPair("merchant");
const platform = testKeyPair("platform");
const MiB = 1024 * 1024;
const options: SignerOptions = {
  mchid: "1900000001",
  serialNo: MERCHANT_SERIAL,
  privateKey: merchant.pkcs8Pem,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
};

// Every error the suite provoked, checked at the end for secrets.
const provoked: unknown[] = [];
/** The error `attempt` rejects with (recorded), or undefined when it resolves. */
async function refusal(attempt: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof attempt === "function" ? attempt() : attempt);
    return undefined;
  } catch (error) {
    provoked.push(error);
    return error;
  }
}

let server: TestServer;
let mitm: ManInTheMiddle;
beforeAll(async () => {
  server = await startTestServer({
    merchantPublicKey: merchant.spkiPem,
    platformPrivateKey: platform.pkcs8Pem,
    platformSerial: PUB_KEY_ID,
  });
  mitm = await startManInTheMiddle(server.origin);
});
afterAll(async () => {
  await mitm.close();
  await server.close();
});

// ---------------------------------------------------------------------------------------------
// 1. Forged answers through a real man in the middle, with every fetch, middleware and wrapper.

const STOCK = "/v3/marketing/busifavor/stocks/123?stock_creator_mchid=1900000001";
const PAUSE = "/v3/marketing/busifavor/stocks/123/pause";

/** Changes (or, for undefined, removes) one header of the genuine answer. */
const header =
  (name: string, change: (value: string) => string | undefined): Tampering =>
  (genuine) => {
    const headers = { ...genuine.headers };
    const value = change(headers[name] ?? "");
    if (value === undefined) delete headers[name];
    else headers[name] = value;
    return { ...genuine, headers };
  };
/** One character replaced by another: a byte changed. */
const edit = (text: string, at: number) =>
  text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
const bad = (reason: string) => ({ name: "SignatureVerificationError", reason });

interface Forgery {
  name: string;
  path: typeof STOCK | typeof PAUSE;
  tamper: Tampering;
  expected: Record<string, unknown>;
  /** The answer was signed this far from now (ms): a genuine answer kept and replayed. */
  signedSkewMs?: number;
}

const FORGERIES: Forgery[] = [
  {
    name: "a forged JSON body under a genuine 204's signature headers",
    path: PAUSE,
    tamper: (genuine) => ({
      status: 200,
      headers: { ...genuine.headers, "content-type": "application/json" },
      body: Buffer.from('{"stock_id":"123","stock_state":"FORGED"}'),
    }),
    expected: bad("bad-signature"),
  },
  {
    name: "one byte of the body changed",
    path: STOCK,
    tamper: (genuine) => {
      const body = Buffer.from(genuine.body);
      body[body.indexOf("123")] = 0x39; // "123" -> "923"
      return { ...genuine, body };
    },
    expected: bad("bad-signature"),
  },
  {
    name: "bytes appended to the body",
    path: STOCK,
    tamper: (genuine) => ({ ...genuine, body: Buffer.concat([genuine.body, Buffer.from(" ")]) }),
    expected: bad("bad-signature"),
  },
  {
    name: "the body dropped",
    path: STOCK,
    tamper: (genuine) => ({ ...genuine, body: Buffer.alloc(0) }),
    expected: bad("bad-signature"),
  },
  {
    name: "a 200 turned into an empty 204",
    path: STOCK,
    tamper: (genuine) => ({ ...genuine, status: 204, body: Buffer.alloc(0) }),
    expected: bad("bad-signature"),
  },
  {
    name: "Wechatpay-Timestamp moved by one second",
    path: STOCK,
    tamper: header("wechatpay-timestamp", (v) => String(Number(v) - 1)),
    expected: bad("bad-signature"),
  },
  {
    name: "Wechatpay-Nonce changed",
    path: STOCK,
    tamper: header("wechatpay-nonce", (v) => edit(v, 5)),
    expected: bad("bad-signature"),
  },
  {
    name: "Wechatpay-Signature changed",
    path: PAUSE,
    tamper: header("wechatpay-signature", (v) => edit(v, 40)),
    expected: bad("bad-signature"),
  },
  {
    name: "Wechatpay-Serial naming a key the client does not trust",
    path: STOCK,
    tamper: header("wechatpay-serial", () => "PUB_KEY_ID_0114232134912410000000000000000999"),
    expected: { ...bad("unknown-serial"), header: "Wechatpay-Serial" },
  },
  {
    name: "a WECHATPAY/SIGNTEST/ probe signature",
    path: STOCK,
    tamper: header("wechatpay-signature", (v) => `WECHATPAY/SIGNTEST/${v}`),
    expected: bad("probe-signature"),
  },
  {
    name: "Wechatpay-Signature removed",
    path: PAUSE,
    tamper: header("wechatpay-signature", () => undefined),
    expected: { ...bad("missing-header"), header: "Wechatpay-Signature" },
  },
  {
    name: "Wechatpay-Timestamp that is not a timestamp",
    path: STOCK,
    tamper: header("wechatpay-timestamp", () => "1".repeat(16)),
    expected: bad("malformed-timestamp"),
  },
  {
    name: "a genuine answer replayed 300.5 s after it was signed",
    path: STOCK,
    tamper: (genuine) => genuine,
    signedSkewMs: -300_500,
    expected: bad("stale-timestamp"),
  },
  {
    name: "a genuine answer signed 300.5 s ahead of the client's clock",
    path: PAUSE,
    tamper: (genuine) => genuine,
    signedSkewMs: 300_500,
    expected: bad("stale-timestamp"),
  },
  {
    name: "a body past maxBodyBytes announced by Content-Length",
    path: STOCK,
    tamper: (genuine) => ({ ...genuine, body: Buffer.alloc(3 * MiB, 0x20) }),
    expected: { name: "BodyTooLargeError", limit: 2 * MiB },
  },
  {
    name: "a body past maxBodyBytes sent chunked, without Content-Length",
    path: STOCK,
    tamper: (genuine) => streamHugeBody(genuine, 3 * MiB).write,
    expected: { name: "BodyTooLargeError", limit: 2 * MiB },
  },
];

const figures = { forgedTried: 0, forgedAccepted: 0 };

interface Kind {
  name: string;
  /** Sends `path` through the man in the middle; resolves to the body the caller reads. */
  send(fetch: (typeof FETCHES)[number], path: string): Promise<string>;
}

const KINDS: Kind[] = [
  {
    name: "middleware",
    async send(f, path) {
      const client = createClient<paths>({ baseUrl: mitm.origin, fetch: f.fromRequest as never });
      client.use(createSignerMiddleware(options));
      // parseAs text: the body exactly as the client call hands it over.
      const { data, error } =
        path === PAUSE
          ? await client.POST(PAUSE, { parseAs: "text" })
          : await client.GET("/v3/marketing/busifavor/stocks/123", {
              params: { query: { stock_creator_mchid: "1900000001" } },
              parseAs: "text",
            });
      if (error !== undefined) throw new Error("expected a 2xx answer");
      return (data as string | undefined) ?? "";
    },
  },
  {
    name: "fetch wrapper",
    async send(f, path) {
      const signedFetch = createSignedFetch({ ...options, fetch: f.fetch });
      const response = await signedFetch(`${mitm.origin}${path}`, {
        method: path === PAUSE ? "POST" : "GET",
      });
      return response.text();
    },
  },
];

describe.each(FETCHES)("forged answers through a man in the middle, with $name", (f) => {
  for (const kind of KINDS) {
    it(`${kind.name}: genuine answers pass, and the caller reads exactly the verified bytes`, async () => {
      let genuine: Answer | undefined;
      mitm.tamper = (answer) => {
        genuine = answer;
        return answer;
      };
      const body = await kind.send(f, STOCK);
      expect(JSON.parse(body)).toMatchObject({ stock_id: "123" });
      expect(body).toBe(genuine?.body.toString("utf8"));
      expect(await kind.send(f, PAUSE)).toBe("");
    });

    for (const forgery of FORGERIES) {
      it(`${kind.name} refuses ${forgery.name}`, async () => {
        mitm.tamper = forgery.tamper;
        server.signingSkewMs = forgery.signedSkewMs ?? 0;
        figures.forgedTried++;
        const error = await refusal(kind.send(f, forgery.path)).finally(() => {
          server.signingSkewMs = 0;
        });
        if (error === undefined) figures.forgedAccepted++;
        expect(error).toBeInstanceOf(WechatpayError);
        expect(error).toMatchObject(forgery.expected);
      });
    }
  }
});

describe("body limit while reading", () => {
  it("lets go of a 100 MB chunked body at the limit with the global fetch (never buffers it)", async () => {
    const huge = { sent: () => 0 };
    mitm.tamper = (genuine) => {
      const stream = streamHugeBody(genuine, 100 * MiB);
      huge.sent = stream.sent;
      return stream.write;
    };
    const error = await refusal(createSignedFetch(options)(`${mitm.origin}${STOCK}`));
    expect(error).toBeInstanceOf(BodyTooLargeError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // What was sent before the client let go: the limit plus what sockets buffer, not 100 MB.
    expect(huge.sent()).toBeLessThan(24 * MiB);
  });

  it("refuses a declared 100 MB body before reading it, with every fetch", async () => {
    for (const f of FETCHES) {
      const huge = { sent: () => 0 };
      mitm.tamper = (genuine) => {
        const stream = streamHugeBody(genuine, 100 * MiB, true);
        huge.sent = stream.sent;
        return stream.write;
      };
      const signedFetch = createSignedFetch({ ...options, fetch: f.fetch });
      const error = await refusal(signedFetch(`${mitm.origin}${STOCK}`));
      expect(error, f.name).toMatchObject({ name: "BodyTooLargeError", limit: 2 * MiB });
      expect(huge.sent(), f.name).toBeLessThan(24 * MiB);
    }
  });

  it("takes a maxBodyBytes of its own, and refuses non-2xx bodies past it too", async () => {
    mitm.tamper = (genuine) => genuine;
    const small = createSignedFetch({ ...options, maxBodyBytes: 10 });
    expect(await refusal(small(`${mitm.origin}${STOCK}`))).toMatchObject({
      name: "BodyTooLargeError",
      limit: 10,
      message: "body: larger than maxBodyBytes (10)",
    });
    mitm.tamper = (genuine) => ({ ...genuine, status: 500, body: Buffer.alloc(3 * MiB, 0x20) });
    expect(await refusal(createSignedFetch(options)(`${mitm.origin}${STOCK}`))).toBeInstanceOf(
      BodyTooLargeError,
    );
    for (const maxBodyBytes of [0, -1, 1.5, Number.NaN, "1000"]) {
      expect(
        await refusal(() => createSignedFetch({ ...options, maxBodyBytes } as never)),
      ).toMatchObject({ name: "ConfigError", option: "maxBodyBytes" });
    }
  });
});

describe("residual the scheme cannot detect (documented in SECURITY.md)", () => {
  it("accepts a genuine answer to another request replayed within the window", async () => {
    let captured: Answer | undefined;
    mitm.tamper = (genuine) => {
      captured = genuine;
      return genuine;
    };
    await createSignedFetch(options)(`${mitm.origin}${PAUSE}`, { method: "POST" });
    // The answer to POST …/pause (a signed empty 204) stands in for another POST's answer.
    mitm.tamper = () => captured as Answer;
    const response = await createSignedFetch(options)(
      `${mitm.origin}/v3/marketing/busifavor/stocks`,
      { method: "POST", body: "{}" },
    );
    expect(response.status).toBe(204);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Transport errors never carry the request.

describe("transport errors", () => {
  it("wraps a refused connection in TransportError with its code, with every fetch", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    for (const f of FETCHES) {
      const signedFetch = createSignedFetch({ ...options, fetch: f.fetch });
      const error = await refusal(signedFetch(`http://127.0.0.1:${port}${STOCK}`));
      expect(error, f.name).toBeInstanceOf(TransportError);
      expect(error, f.name).toMatchObject({ code: "TRANSPORT_FAILED", reason: "ECONNREFUSED" });

      const client = createClient<paths>({
        baseUrl: `http://127.0.0.1:${port}`,
        fetch: f.fromRequest as never,
      });
      client.use(createSignerMiddleware(options));
      expect(await refusal(client.POST(PAUSE)), f.name).toMatchObject({
        name: "TransportError",
        reason: "ECONNREFUSED",
      });
    }
  });

  it("drops what a fetch puts in its error: the Request, its headers, its message", async () => {
    const leaky = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const error = new Error(`cannot send ${JSON.stringify([...request.headers])}`);
      throw Object.assign(error, { name: "LeakyError", request, init, code: "E_LEAKY" });
    };
    const error = await refusal(
      createSignedFetch({ ...options, fetch: leaky })(`${server.origin}${STOCK}`),
    );
    expect(error).toMatchObject({ name: "TransportError", reason: "E_LEAKY" });
    expect(Object.keys(error as object).sort()).toEqual(["code", "name", "reason"]);
    expect((error as Error).cause).toBeUndefined();

    const client = createClient<paths>({ baseUrl: server.origin, fetch: leaky as never });
    client.use(createSignerMiddleware(options));
    expect(await refusal(client.POST(PAUSE))).toMatchObject({ name: "TransportError" });
  });

  it("refuses what is not a Response with TransportError invalid-response", async () => {
    for (const answer of [undefined, null, {}, { status: 200 }, "ok"]) {
      const fetch = async () => answer as never;
      expect(
        await refusal(createSignedFetch({ ...options, fetch })(`${server.origin}${STOCK}`)),
      ).toMatchObject({ name: "TransportError" });
    }
    const noBody = async () => ({ status: 200, headers: new Headers() }) as never;
    expect(
      await refusal(createSignedFetch({ ...options, fetch: noBody })(`${server.origin}${STOCK}`)),
    ).toMatchObject({ name: "TransportError", reason: "unreadable-body" });
    const notBytes = async () =>
      ({ status: 200, headers: new Headers(), arrayBuffer: async () => "forged" }) as never;
    expect(
      await refusal(createSignedFetch({ ...options, fetch: notBytes })(`${server.origin}${STOCK}`)),
    ).toMatchObject({ name: "TransportError", reason: "unreadable-body" });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. The 300 s window: whole seconds, both ways, for answers, notifications and requests.

describe("the time window (fast-check, 1,000 runs each)", () => {
  const t = 1_700_000_000;
  /** A clock `delta` whole seconds from t, anywhere within that second. */
  const clock = fc.record({
    delta: fc.oneof(
      fc.constantFrom(-300, -299, 299, 300),
      fc.integer({ min: -301, max: 301 }),
      fc.integer({ min: -5000, max: 5000 }),
    ),
    ms: fc.integer({ min: 0, max: 999 }),
  });
  const accepted = (delta: number) => Math.abs(delta) <= 299;
  const at =
    ({ delta, ms }: { delta: number; ms: number }) =>
    () =>
      (t + delta) * 1000 + ms;
  const outcome = (attempt: Promise<unknown>) =>
    attempt.then(
      () => "accepted",
      (error: unknown) => {
        expect(error).toBeInstanceOf(SignatureVerificationError);
        expect(error).toMatchObject({ reason: "stale-timestamp" });
        return "refused";
      },
    );

  it("responses: |now - t| <= 299 s accepted, >= 300 s refused", async () => {
    const body = '{"stock_id":"123"}';
    const headers = await signResponse({
      body,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
      timestamp: t,
    });
    await fc.assert(
      fc.asyncProperty(clock, async (c) => {
        const result = await outcome(
          verifyResponse({ ...options, now: at(c) }, new Response(body, { headers })),
        );
        expect(result).toBe(accepted(c.delta) ? "accepted" : "refused");
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("notifications: the same window", async () => {
    const notification = await signNotification({
      id: "EV-1",
      eventType: "COUPON.SEND",
      resource: { coupon_code: "1" },
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
      timestamp: t,
    });
    await fc.assert(
      fc.asyncProperty(clock, async (c) => {
        const result = await outcome(
          parseNotification(notification, {
            apiV3Key: API_V3_KEY,
            wechatpayPublicKey: options.wechatpayPublicKey,
            now: at(c),
          }),
        );
        expect(result).toBe(accepted(c.delta) ? "accepted" : "refused");
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("the server-side request check (the sandbox's): the same window", async () => {
    const request = { method: "GET", url: STOCK, body: "" };
    const authorization = await createMerchantCredentials(options).authorize({
      ...request,
      timestamp: t,
    });
    await fc.assert(
      fc.asyncProperty(clock, async (c) => {
        const result = await outcome(
          verifyAuthorization({ ...request, authorization }, merchant.spkiPem, { now: at(c) }),
        );
        expect(result).toBe(accepted(c.delta) ? "accepted" : "refused");
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("refuses everything when the clock gives NaN, and a maxSkewSeconds that is not whole", async () => {
    const authorization = await createMerchantCredentials(options).authorize({
      method: "GET",
      url: STOCK,
    });
    expect(
      await refusal(
        verifyAuthorization({ method: "GET", url: STOCK, authorization }, merchant.spkiPem, {
          now: () => Number.NaN,
        }),
      ),
    ).toMatchObject({ reason: "stale-timestamp" });
    for (const maxSkewSeconds of [299.5, 0, -1, "300"]) {
      expect(
        await refusal(() => createMerchantCredentials({ ...options, maxSkewSeconds } as never)),
      ).toMatchObject({ name: "ConfigError", option: "maxSkewSeconds" });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Any byte changed in body, timestamp, nonce or signature is refused.

describe("any byte changed is refused (fast-check, 1,000 runs each)", () => {
  const body = fc.uint8Array({ maxLength: 300 });
  const field = fc.constantFrom("body", "timestamp", "nonce", "signature");
  /** `bytes` with the byte at `at` replaced by a different one, chosen from `alphabet`. */
  const changeByte = (bytes: Uint8Array, at: number, by: number, alphabet?: string) => {
    const copy = new Uint8Array(bytes.length ? bytes : [0x41]);
    const i = at % copy.length;
    const old = copy[i] as number;
    if (alphabet) {
      const codes = [...alphabet].map((c) => c.charCodeAt(0)).filter((c) => c !== old);
      copy[i] = codes[by % codes.length] as number;
    } else copy[i] = (old + 1 + (by % 255)) % 256;
    return copy;
  };
  // Header values stay header-safe (printable ASCII, no edge space Headers would trim).
  const HEADER_SAFE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join("");
  const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
  const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

  it("responses (read from a Response, as the middleware and wrapper read them)", async () => {
    const checks = createMerchantCredentials(options);
    await fc.assert(
      fc.asyncProperty(body, field, fc.nat(), fc.nat(), async (b, which, at, by) => {
        const headers = await signResponse({
          body: b,
          privateKey: platform.pkcs8Pem,
          serial: PUB_KEY_ID,
        });
        const genuine = await verifyResponse(checks, new Response(b, { headers }));
        expect(new Uint8Array(await genuine.arrayBuffer())).toEqual(b);
        let forgedBody = b;
        const forgedHeaders = { ...headers };
        if (which === "body") forgedBody = changeByte(b, at, by);
        else {
          const name = `Wechatpay-${which[0]?.toUpperCase()}${which.slice(1)}`;
          forgedHeaders[name] = latin1(
            changeByte(bytesOf(headers[name] as string), at, by, HEADER_SAFE),
          );
        }
        const forged = new Response(b.length || which === "body" ? forgedBody : null, {
          headers: forgedHeaders,
        });
        const error = await refusal(verifyResponse(checks, forged));
        expect(error).toBeInstanceOf(SignatureVerificationError);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("notifications (any byte of the raw body, any character of the headers)", async () => {
    const notification = await signNotification({
      id: "EV-2",
      eventType: "COUPON.SEND",
      resource: { coupon_code: "75b3f4e9", stock_id: "9856000" },
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    const notificationOptions = {
      apiV3Key: API_V3_KEY,
      wechatpayPublicKey: options.wechatpayPublicKey,
    };
    await parseNotification(notification, notificationOptions);
    await fc.assert(
      fc.asyncProperty(field, fc.nat(), fc.nat(), async (which, at, by) => {
        const forged = { headers: { ...notification.headers }, body: notification.body };
        if (which === "body") {
          forged.body = new TextDecoder().decode(
            changeByte(new TextEncoder().encode(notification.body), at, by, HEADER_SAFE),
          );
        } else {
          const name = `Wechatpay-${which[0]?.toUpperCase()}${which.slice(1)}`;
          const value = notification.headers[name] as string;
          forged.headers[name] = latin1(changeByte(bytesOf(value), at, by));
        }
        const error = await refusal(parseNotification(forged, notificationOptions));
        expect(error).toBeInstanceOf(SignatureVerificationError);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("requests checked server side (body, and the Authorization's timestamp, nonce, signature)", async () => {
    const credentials = createMerchantCredentials(options);
    const url = "/v3/marketing/busifavor/stocks";
    await fc.assert(
      fc.asyncProperty(body, field, fc.nat(), fc.nat(), async (b, which, at, by) => {
        const authorization = await credentials.authorize({ method: "POST", url, body: b });
        await verifyAuthorization(
          { method: "POST", url, body: b, authorization },
          merchant.spkiPem,
        );
        const parts = parseAuthorization(authorization);
        let forgedBody = b;
        let forgedAuthorization = authorization;
        if (which === "body") forgedBody = changeByte(b, at, by);
        else {
          const key = { timestamp: "timestamp", nonce: "nonce_str", signature: "signature" }[which];
          const value = {
            timestamp: parts.timestamp,
            nonce: parts.nonce,
            signature: parts.signature,
          }[which as "timestamp"];
          const changed = latin1(changeByte(bytesOf(value), at, by, HEADER_SAFE));
          forgedAuthorization = authorization.replace(`${key}="${value}"`, `${key}="${changed}"`);
        }
        const error = await refusal(
          verifyAuthorization(
            { method: "POST", url, body: forgedBody, authorization: forgedAuthorization },
            merchant.spkiPem,
          ),
        );
        expect(error).toBeInstanceOf(SignatureVerificationError);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 5. Key lifecycle: rotation through platformKeys, certificates checked at every verification.

/** A WeChat Pay stand-in whose platform key can be swapped while it runs. */
async function startRotatingServer(key: { privateKey: string; serial: string }) {
  const state = { key };
  const http: Server = createServer(async (_req, res) => {
    const body = '{"stock_id":"123"}';
    const headers = await signResponse({ body, ...state.key });
    res.writeHead(200, { ...headers, "Content-Type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe("key lifecycle", () => {
  const next = testKeyPair("platform-next");
  const NEXT_ID = "PUB_KEY_ID_0114232134912410000000000000000002";
  const oldKey = { wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem } };
  const newKey = { wechatpayPublicKey: { id: NEXT_ID, key: next.spkiPem } };
  const { wechatpayPublicKey: _, ...merchantOnly } = options;

  it("rotates through a platformKeys function, for a client made before the rotation", async () => {
    const rotating = await startRotatingServer({
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    try {
      let trusted: PlatformKeyOptions = oldKey;
      const client = createClient<paths>({ baseUrl: rotating.origin });
      client.use(createSignerMiddleware({ ...merchantOnly, platformKeys: () => trusted }));
      const get = () =>
        client.GET("/v3/marketing/busifavor/stocks/123", {
          params: { query: { stock_creator_mchid: "1" } },
        });
      expect((await get()).data).toEqual({ stock_id: "123" });

      // WeChat Pay's public key is replaced: the client trusts the new one from the next call...
      trusted = newKey;
      rotating.state.key = { privateKey: next.pkcs8Pem, serial: NEXT_ID };
      expect((await get()).data).toEqual({ stock_id: "123" });
      // ...and an answer under the retired key is refused from then on.
      rotating.state.key = { privateKey: platform.pkcs8Pem, serial: PUB_KEY_ID };
      expect(await refusal(get())).toMatchObject({ reason: "unknown-serial" });
      // The request names the key trusted now.
      const signedFetch = createSignedFetch({
        ...merchantOnly,
        platformKeys: async () => trusted,
        fetch: async (_input: RequestInfo | URL, init?: RequestInit) => {
          expect(new Headers(init?.headers).get("Wechatpay-Serial")).toBe(NEXT_ID);
          return new Response(null, { status: 204 });
        },
      });
      expect(await refusal(signedFetch(`${rotating.origin}/v3/x`))).toMatchObject({
        reason: "missing-header",
      });
    } finally {
      await rotating.close();
    }
  });

  it("a key supplied by platformKeys is validated at use: a bad one is a ConfigError, fail closed", async () => {
    let trusted: PlatformKeyOptions = { wechatpayPublicKey: { id: "nope", key: next.spkiPem } };
    const checks = createMerchantCredentials({ ...merchantOnly, platformKeys: () => trusted });
    const headers = await signResponse({ body: "{}", privateKey: next.pkcs8Pem, serial: NEXT_ID });
    expect(await refusal(verifyResponse(checks, new Response("{}", { headers })))).toMatchObject({
      name: "ConfigError",
      option: "wechatpayPublicKey.id",
    });
    trusted = newKey;
    await expect(verifyResponse(checks, new Response("{}", { headers }))).resolves.toBeInstanceOf(
      Response,
    );
    for (const platformKeys of [
      "PUB_KEY_ID_1",
      { wechatpayPublicKey: newKey.wechatpayPublicKey },
    ]) {
      expect(
        await refusal(() => createMerchantCredentials({ ...merchantOnly, platformKeys } as never)),
      ).toMatchObject({ name: "ConfigError", option: "platformKeys" });
    }
    expect(
      await refusal(() => createMerchantCredentials({ ...options, platformKeys: () => newKey })),
    ).toMatchObject({ name: "ConfigError", option: "platformKeys" });
  });

  it("migrates from platform certificates to the public key through platformKeys", async () => {
    const serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    const certificate = makeCertificate(platform, { serial });
    let trusted: PlatformKeyOptions = { platformCertificates: [certificate] };
    const checks = createMerchantCredentials({ ...merchantOnly, platformKeys: () => trusted });
    const answer = async (privateKey: string, id: string) =>
      new Response("{}", { headers: await signResponse({ body: "{}", privateKey, serial: id }) });
    await expect(
      verifyResponse(checks, await answer(platform.pkcs8Pem, serial)),
    ).resolves.toBeInstanceOf(Response);
    expect((await checks.trustedKeys()).preferredSerial(Date.now())).toBe(serial);
    trusted = { ...newKey, platformCertificates: [certificate] };
    await expect(
      verifyResponse(checks, await answer(platform.pkcs8Pem, serial)),
    ).resolves.toBeInstanceOf(Response);
    await expect(
      verifyResponse(checks, await answer(next.pkcs8Pem, NEXT_ID)),
    ).resolves.toBeInstanceOf(Response);
    expect((await checks.trustedKeys()).preferredSerial(Date.now())).toBe(NEXT_ID);
    trusted = newKey;
    expect(
      await refusal(verifyResponse(checks, await answer(platform.pkcs8Pem, serial))),
    ).toMatchObject({ reason: "unknown-serial" });
  });

  it("options are read once: changing the options object later is not rotation", async () => {
    const mutable = { ...options, wechatpayPublicKey: { ...oldKey.wechatpayPublicKey } };
    const checks = createMerchantCredentials(mutable);
    mutable.wechatpayPublicKey = newKey.wechatpayPublicKey;
    const underOld = await signResponse({
      body: "{}",
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    await expect(
      verifyResponse(checks, new Response("{}", { headers: underOld })),
    ).resolves.toBeInstanceOf(Response);
    // parseNotification reads its options at every call: the new key counts from the next one.
    const notificationOptions = { apiV3Key: API_V3_KEY, ...oldKey };
    const sign = (privateKey: string, serial: string) =>
      signNotification({
        id: "EV-3",
        eventType: "COUPON.SEND",
        resource: {},
        apiV3Key: API_V3_KEY,
        privateKey,
        serial,
      });
    await parseNotification(await sign(platform.pkcs8Pem, PUB_KEY_ID), notificationOptions);
    Object.assign(notificationOptions, newKey);
    await parseNotification(await sign(next.pkcs8Pem, NEXT_ID), notificationOptions);
    expect(
      await refusal(
        parseNotification(await sign(platform.pkcs8Pem, PUB_KEY_ID), notificationOptions),
      ),
    ).toMatchObject({ reason: "unknown-serial" });
  });

  it("refuses an answer signed under a certificate that expired while the process ran", async () => {
    const day = 86_400_000;
    const start = Date.now();
    const expiring = makeCertificate(platform, {
      serial: "0A1B2C3D",
      notAfter: new Date(start + day),
    });
    const later = makeCertificate(next, {
      serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      notAfter: new Date(start + 400 * day),
    });
    let clock = start;
    const certificates = { platformCertificates: [expiring, later] };
    const body = "{}";
    for (const checks of [
      createMerchantCredentials({ ...merchantOnly, ...certificates, now: () => clock }),
      createMerchantCredentials({
        ...merchantOnly,
        platformKeys: () => certificates,
        now: () => clock,
      }),
    ]) {
      clock = start;
      const timestamp = () => Math.floor(clock / 1000);
      const underExpiring = async () =>
        new Response(body, {
          headers: await signResponse({
            body,
            privateKey: platform.pkcs8Pem,
            serial: "0A1B2C3D",
            timestamp: timestamp(),
          }),
        });
      await expect(verifyResponse(checks, await underExpiring())).resolves.toBeInstanceOf(Response);
      expect((await checks.trustedKeys()).preferredSerial(clock)).toBe(
        "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      );
      clock = start + 2 * day;
      expect(await refusal(verifyResponse(checks, await underExpiring()))).toMatchObject({
        name: "SignatureVerificationError",
        reason: "expired-certificate",
        header: "Wechatpay-Serial",
      });
      const underLater = new Response(body, {
        headers: await signResponse({
          body,
          privateKey: next.pkcs8Pem,
          serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
          timestamp: timestamp(),
        }),
      });
      await expect(verifyResponse(checks, underLater)).resolves.toBeInstanceOf(Response);
    }
    // Configured once, a certificate already expired is a ConfigError at ready().
    clock = start + 2 * day;
    const stale = createMerchantCredentials({
      ...merchantOnly,
      platformCertificates: [expiring],
      now: () => clock,
    });
    expect(await refusal(stale.ready())).toMatchObject({
      name: "ConfigError",
      option: "platformCertificates[0]",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 6. The notification envelope.

describe("notification envelope", () => {
  const notificationOptions = {
    apiV3Key: API_V3_KEY,
    wechatpayPublicKey: options.wechatpayPublicKey,
  };
  const resign = async (body: string) => ({
    headers: await signResponse({ body, privateKey: platform.pkcs8Pem, serial: PUB_KEY_ID }),
    body,
  });

  it("refuses a resource_type other than encrypt-resource, even when signed", async () => {
    const genuine = await signNotification({
      id: "EV-4",
      eventType: "COUPON.SEND",
      resource: { a: 1 },
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    for (const resourceType of ["plain-resource", "", "ENCRYPT-RESOURCE"]) {
      const body = JSON.stringify({ ...JSON.parse(genuine.body), resource_type: resourceType });
      expect(
        await refusal(parseNotification(await resign(body), notificationOptions)),
      ).toMatchObject({
        name: "DecryptionError",
        reason: "unsupported-resource-type",
        field: "body.resource_type",
      });
    }
  });

  it("refuses missing or non-object headers with a typed error, not a TypeError", async () => {
    const { body } = await signNotification({
      id: "EV-5",
      eventType: "COUPON.SEND",
      resource: {},
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    for (const headers of [undefined, null, 5, "Wechatpay-Signature: x"]) {
      expect(
        await refusal(parseNotification({ headers, body } as never, notificationOptions)),
      ).toMatchObject({
        name: "SignatureVerificationError",
        reason: "missing-header",
        header: "headers",
      });
    }
    expect(
      await refusal(
        parseNotification(
          { headers: { "Wechatpay-Timestamp": 5 }, body } as never,
          notificationOptions,
        ),
      ),
    ).toMatchObject({ reason: "missing-header" });
    for (const request of [undefined, null, {}, { headers: {} }, { body: 5, headers: {} }]) {
      expect(await refusal(parseNotification(request as never, notificationOptions))).toMatchObject(
        { name: "DecryptionError", reason: "malformed-body" },
      );
    }
  });

  it("refuses a body past maxBodyBytes before verifying it", async () => {
    const huge = { headers: {}, body: " ".repeat(2 * MiB + 1) };
    expect(await refusal(parseNotification(huge, notificationOptions))).toMatchObject({
      name: "BodyTooLargeError",
      limit: 2 * MiB,
    });
    // Characters that take 3 bytes in UTF-8: under the limit in length, over it in bytes.
    const wide = { headers: {}, body: "中".repeat(1000) };
    expect(
      await refusal(parseNotification(wide, { ...notificationOptions, maxBodyBytes: 2000 })),
    ).toMatchObject({ name: "BodyTooLargeError", limit: 2000 });
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Options that reach headers, and key sizes.

describe("options that reach headers, and RSA key sizes", () => {
  const pastedKey = merchant.pkcs8Pem;
  it("refuses header-unsafe options with a ConfigError naming the option, never the value", async () => {
    const cases: [Partial<SignerOptions>, string][] = [
      [{ userAgent: pastedKey }, "userAgent"],
      [{ userAgent: "app/1.0\r\nX-Injected: 1" }, "userAgent"],
      [{ userAgent: "应用/1.0" }, "userAgent"],
      [{ userAgent: " padded" }, "userAgent"],
      [{ userAgent: "" }, "userAgent"],
      [{ mchid: "1900000001\r\nX: 1" }, "mchid"],
      [{ mchid: "1".repeat(33) }, "mchid"],
      [{ serialNo: `${MERCHANT_SERIAL}\n` }, "serialNo"],
      [
        { wechatpayPublicKey: { id: `${PUB_KEY_ID}\r\nX: 1`, key: platform.spkiPem } },
        "wechatpayPublicKey.id",
      ],
      [
        { wechatpayPublicKey: { id: `PUB_KEY_ID_${"0".repeat(65)}`, key: platform.spkiPem } },
        "wechatpayPublicKey.id",
      ],
    ];
    for (const [change, option] of cases) {
      const error = await refusal(() => createMerchantCredentials({ ...options, ...change }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option });
      const value = Object.values(change)[0];
      const text = (typeof value === "string" ? value : (value as { id: string }).id).trim();
      if (text) expect(render(error)).not.toContain(text);
    }
    // The accepted range: printable ASCII.
    expect(
      createMerchantCredentials({
        ...options,
        userAgent: "my-shop/2.1 (+https://example.com; ops@example.com)",
      }).userAgent,
    ).toMatch(/^my-shop/);
  });

  it("refuses RSA keys under 2048 bits wherever a key is read", async () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pkcs8 = small.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const pkcs1 = small.privateKey.export({ type: "pkcs1", format: "pem" }) as string;
    const spki = small.publicKey.export({ type: "spki", format: "pem" }) as string;
    const spkiPkcs1 = small.publicKey.export({ type: "pkcs1", format: "pem" }) as string;
    const signKey = await crypto.subtle.importKey(
      "pkcs8",
      small.privateKey.export({ type: "pkcs8", format: "der" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
    for (const [change, option] of [
      [{ privateKey: pkcs8 }, "privateKey"],
      [{ privateKey: pkcs1 }, "privateKey"],
      [{ privateKey: signKey }, "privateKey"],
      [{ wechatpayPublicKey: { id: PUB_KEY_ID, key: spki } }, "wechatpayPublicKey.key"],
      [{ wechatpayPublicKey: { id: PUB_KEY_ID, key: spkiPkcs1 } }, "wechatpayPublicKey.key"],
    ] as [Partial<SignerOptions>, string][]) {
      const error = await refusal(() => createMerchantCredentials({ ...options, ...change }));
      expect(error, option).toMatchObject({
        name: "ConfigError",
        option,
        message: expect.stringMatching(/2048 bits or more$/),
      });
    }
    const authorization = await createMerchantCredentials(options).authorize({
      method: "GET",
      url: "/",
    });
    expect(
      await refusal(verifyAuthorization({ method: "GET", url: "/", authorization }, spki)),
    ).toMatchObject({ name: "ConfigError", option: "publicKey" });
    const certificate = makeCertificate(
      { ...merchant, privateKey: merchant.privateKey, publicKey: small.publicKey } as never,
      { serial: "0A1B2C3D" },
    );
    const { wechatpayPublicKey: _, ...merchantOnly } = options;
    expect(
      await refusal(
        createMerchantCredentials({ ...merchantOnly, platformCertificates: [certificate] }).ready(),
      ),
    ).toMatchObject({
      name: "ConfigError",
      option: "platformCertificates[0]",
      message: expect.stringMatching(/2048 bits/),
    });
    // PKCS#1 public keys of 2048 bits are read, as before.
    const big = merchant.publicKey.export({ type: "pkcs1", format: "pem" }) as string;
    await createMerchantCredentials({
      ...options,
      wechatpayPublicKey: { id: PUB_KEY_ID, key: big },
    }).ready();
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Hostile lengths: bounded, and parsed in linear time (pnpm bench measures the time).

describe("hostile input lengths", () => {
  it("parseAuthorization refuses a header past MAX_AUTHORIZATION_LENGTH and hostile shapes within it", () => {
    expect(MAX_AUTHORIZATION_LENGTH).toBe(4096);
    const scheme = "WECHATPAY2-SHA256-RSA2048 ";
    const hostile = [
      `${scheme}${"a".repeat(64 * 1024)}`,
      `${scheme}${"a".repeat(4096 - scheme.length)}`,
      `${scheme}${'a="'.repeat(1300)}`,
      `${scheme}${" ".repeat(4000)}x`,
      `${scheme}${'a="1" '.repeat(600)}`,
      `${scheme}mchid="1",mchid="2",nonce_str="n",timestamp="1",serial_no="s",signature="x"`,
      `${scheme}mchid="1",nonce_str="n",timestamp="1",serial_no="s",signature="x",`,
    ];
    for (const header of hostile) {
      expect(() => parseAuthorization(header)).toThrow(
        expect.objectContaining({ name: "SignatureVerificationError", reason: "malformed-header" }),
      );
    }
    // A key named like a prototype is a field like any other (kept in a Map), then ignored.
    expect(
      parseAuthorization(
        `${scheme}__proto__="x",mchid="1",nonce_str="n",timestamp="1",serial_no="s",signature="x"`,
      ),
    ).toEqual({ mchid: "1", nonce: "n", timestamp: "1", serialNo: "s", signature: "x" });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // Fields in any order, spaces around them: accepted.
    expect(
      parseAuthorization(
        `${scheme}signature="c2ln", serial_no="AB", timestamp="1", nonce_str="n", mchid="1"`,
      ),
    ).toEqual({ mchid: "1", nonce: "n", timestamp: "1", serialNo: "AB", signature: "c2ln" });
  });

  it("PEM decoding refuses a key past 16 KiB and hostile shapes within it, naming the option", async () => {
    for (const privateKey of [
      `-----BEGIN PRIVATE KEY-----\n${"A".repeat(64 * 1024)}\n-----END PRIVATE KEY-----`,
      "-----BEGIN A-----".repeat(900),
      `-----BEGIN ${"A".repeat(5000)}-----\nAAAA\n-----END ${"A".repeat(5000)}-----`,
      `-----BEGIN PRIVATE KEY-----${"-----END PRIVATE KEY".repeat(700)}`,
      "-----END PRIVATE KEY----------BEGIN PRIVATE KEY-----",
    ]) {
      expect(
        await refusal(() => createMerchantCredentials({ ...options, privateKey })),
      ).toMatchObject({ name: "ConfigError", option: "privateKey" });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The figures, and no secret in any error the suite provoked.

function render(error: unknown): string {
  const e = error as Error;
  return [
    e?.message,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    e?.stack,
  ].join("\n");
}

describe("figures", () => {
  it("forged answers accepted: 0 of every forgery tried", () => {
    expect(figures.forgedTried).toBe(FETCHES.length * KINDS.length * FORGERIES.length);
    console.log(`forged answers accepted: ${figures.forgedAccepted} of ${figures.forgedTried}`);
    expect(figures.forgedAccepted).toBe(0);
  });

  it("secrets leaked: 0 (private keys, APIv3 key, Authorization values, in message, stack and JSON)", () => {
    const secrets = [
      ...[merchant.pkcs8Pem, merchant.pkcs1Pem, platform.pkcs8Pem].flatMap((pem) =>
        pem.split("\n").filter((line) => line.length > 40),
      ),
      API_V3_KEY,
      ...mitm.authorizations,
      ...mitm.authorizations.map((a) => /signature="([^"]+)"/.exec(a)?.[1] as string),
    ];
    expect(mitm.authorizations.length).toBeGreaterThan(50);
    expect(provoked.length).toBeGreaterThan(200);
    let leaked = 0;
    for (const error of provoked) {
      expect(error).toBeInstanceOf(WechatpayError);
      const text = render(error);
      leaked += secrets.filter((secret) => text.includes(secret)).length;
    }
    console.log(`secrets leaked: ${leaked} in ${provoked.length} errors`);
    expect(leaked).toBe(0);
  });
});
