// The API core without sockets: parsed requests in, answers and signing inputs out. Requests
// are signed for real with a generated merchant key and checked by the real authenticator.
import { buildAuthorization } from "@wechatpay-marketing/signer";
import { beforeAll, describe, expect, it } from "vitest";
import { createAuthenticator } from "./authentication.js";
import { compileDocument } from "./compiled-document.js";
import { type ApiAnswer, type ApiCoreOptions, type ApiRequestBody, createApiCore } from "./core.js";
import { bundledDocument, operationKey } from "./document.js";
import { FaultPlan } from "./faults.js";
import { handlers, type OperationContext, type OperationHandler } from "./handlers/index.js";
import { generateRsaKeyPair, publicKeyOf } from "./keys.js";
import { LIMITS } from "./limits.js";
import { SandboxStore } from "./store.js";

const MCHID = "1900000001";
const SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
const CALLBACKS = "/v3/marketing/busifavor/callbacks";
const UPLOAD = "/v3/marketing/favor/media/image-upload";
const compiled = compileDocument(bundledDocument);
let merchant: { privateKey: string; publicKey: string };
/** The client-side signer needs a platform key to exist; the core never answers with it. */
let platformPublicKey: string;

beforeAll(() => {
  const { privateKey } = generateRsaKeyPair();
  merchant = { privateKey, publicKey: publicKeyOf(privateKey) };
  platformPublicKey = publicKeyOf(generateRsaKeyPair().privateKey);
});

/** A core over a fresh store, the real authenticator and the default handlers. */
function core(overrides: Partial<ApiCoreOptions> = {}) {
  const options: ApiCoreOptions = {
    compiled,
    handlers,
    authenticate: createAuthenticator({
      mchid: MCHID,
      serialNo: SERIAL,
      merchantPublicKey: merchant.publicKey,
      maxSkewSeconds: 300,
    }),
    faults: new FaultPlan(),
    strictResponses: true,
    unknownFields: "refuse",
    violations: [],
    world: {
      store: new SandboxStore(),
      mchid: MCHID,
      appids: ["wx8888888888888888"],
      couponSent: () => {},
      origin: () => "http://127.0.0.1:9",
    },
    ...overrides,
  };
  return { options, core: createApiCore(options) };
}

interface Call {
  method: string;
  url: string;
  json?: unknown;
  body?: ApiRequestBody;
  headers?: Record<string, string>;
  /** Sign this text instead of the body (a forged signature). */
  signed?: string;
}

/** Admits and answers one request the way the HTTP adapter does, signed with the merchant key. */
async function call(target: ReturnType<typeof core>["core"], input: Call): Promise<ApiAnswer> {
  const text = input.json === undefined ? "" : JSON.stringify(input.json);
  const body = input.body ?? { kind: "bytes", bytes: new TextEncoder().encode(text) };
  const signedText = input.signed ?? (body.kind === "multipart" ? body.meta : text);
  const authorization = await buildAuthorization(
    {
      mchid: MCHID,
      serialNo: SERIAL,
      privateKey: merchant.privateKey,
      wechatpayPublicKey: { id: "PUB_KEY_ID_0119000000012026120200000000", key: platformPublicKey },
    },
    { method: input.method, url: input.url, body: signedText },
  );
  const hasBody = body.kind === "multipart" || body.bytes.length > 0;
  const admission = target.admit({
    method: input.method,
    url: input.url,
    headers: {
      accept: "application/json",
      "user-agent": "core-test",
      authorization,
      ...(hasBody && body.kind === "bytes" ? { "content-type": "application/json" } : {}),
      ...input.headers,
    },
    hasBody,
  });
  if ("refused" in admission) return admission.refused;
  return target.answer(admission.admitted, body);
}

/** A handler that records the context it was given and answers like setBusifavorCallback. */
function recording() {
  const seen: OperationContext[] = [];
  const handler: OperationHandler = (context) => {
    seen.push(context);
    return {
      status: 200,
      body: {
        notify_url: "https://m.example/n",
        mchid: MCHID,
        update_time: "2027-01-01T00:00:00+08:00",
      },
    };
  };
  return { seen, handlers: { ...handlers, [operationKey("POST", CALLBACKS)]: handler } };
}

const body = (answer: ApiAnswer) =>
  answer.reply.body as { code?: string; detail?: { field?: string; location?: string } };

describe("routing", () => {
  it("answers an operation of the document through its handler, naming it", async () => {
    const { core: api } = core();
    const answer = await call(api, {
      method: "POST",
      url: CALLBACKS,
      json: { mchid: MCHID, notify_url: "https://m.example/notify" },
    });
    expect(answer.reply.status, JSON.stringify(answer.reply.body)).toBe(200);
    expect(answer.operationId).toBe("setBusifavorCallback");
    expect(answer.reply.body).toMatchObject({
      notify_url: "https://m.example/notify",
      mchid: MCHID,
    });
  });

  it("refuses a path no operation has (404 NOT_FOUND) and another method (METHOD_NOT_ALLOWED)", async () => {
    const { core: api } = core();
    const missing = await call(api, { method: "GET", url: "/v3/marketing/nothing" });
    expect([missing.reply.status, body(missing).code]).toEqual([404, "NOT_FOUND"]);
    expect(missing.operationId).toBeUndefined();
    const method = await call(api, { method: "DELETE", url: CALLBACKS });
    expect([method.reply.status, body(method).code]).toEqual([404, "METHOD_NOT_ALLOWED"]);
  });

  it("refuses before the body: no Accept, a body that is not JSON, an upload limit", async () => {
    const { core: api } = core();
    const noAccept = await call(api, {
      method: "GET",
      url: `${CALLBACKS}?mchid=${MCHID}`,
      headers: { accept: "" },
    });
    expect([noAccept.reply.status, body(noAccept).detail?.field]).toEqual([400, "Accept"]);
    const text = await call(api, {
      method: "POST",
      url: CALLBACKS,
      json: { mchid: MCHID },
      headers: { "content-type": "text/plain" },
    });
    expect([text.reply.status, body(text).detail?.field]).toEqual([400, "Content-Type"]);
    const admission = api.admit({
      method: "POST",
      url: UPLOAD,
      headers: {
        accept: "*/*",
        "user-agent": "t",
        "content-type": "multipart/form-data; boundary=x",
      },
      hasBody: true,
    });
    if (!("admitted" in admission)) throw new Error("the upload was refused before its body");
    expect(admission.admitted.bodyLimit).toBe(LIMITS.uploadBodyBytes);
    expect(api.oversized(admission.admitted).reply).toMatchObject({ status: 400 });
  });
});

describe("authentication comes before faults, validation and the handler", () => {
  it("a forged signature is 401 SIGN_ERROR; no fault is used, no handler runs", async () => {
    const { seen, handlers: table } = recording();
    const faults = new FaultPlan();
    faults.add({ kind: "rate-limit" });
    const { core: api } = core({ handlers: table, faults });
    const answer = await call(api, {
      method: "POST",
      url: CALLBACKS,
      json: { mchid: MCHID, notify_url: "https://m.example/n" },
      signed: '{"mchid":"1900000002"}',
    });
    expect([answer.reply.status, body(answer).code]).toEqual([401, "SIGN_ERROR"]);
    expect(seen).toHaveLength(0);
    expect(faults.list()).toHaveLength(1);
  });

  it("an upload is verified over its meta part, and the handler gets the file", async () => {
    const seen: OperationContext[] = [];
    const { core: api } = core({
      handlers: {
        ...handlers,
        [operationKey("POST", UPLOAD)]: (context) => {
          seen.push(context);
          return { status: 200, body: { media_url: "https://wxpaylogo.qpic.cn/x" } };
        },
      },
    });
    const file = { bytes: new Uint8Array([1, 2, 3]), filename: "a.png", type: "image/png" };
    const meta = JSON.stringify({ filename: "a.png", sha256: "a".repeat(64) });
    const answer = await call(api, {
      method: "POST",
      url: UPLOAD,
      body: { kind: "multipart", meta, file },
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(answer.reply.status, JSON.stringify(answer.reply.body)).toBe(200);
    expect(seen[0]?.upload).toEqual(file);
    expect(seen[0]?.body).toEqual({ meta: JSON.parse(meta), file: "(binary)" });
  });
});

describe("validation", () => {
  it("a body the document refuses is 400 PARAM_ERROR naming the field; the handler never runs", async () => {
    const { seen, handlers: table } = recording();
    const { core: api } = core({ handlers: table });
    const answer = await call(api, { method: "POST", url: CALLBACKS, json: { mchid: MCHID } });
    expect([answer.reply.status, body(answer).code, body(answer).detail?.field]).toEqual([
      400,
      "PARAM_ERROR",
      "/notify_url",
    ]);
    expect(seen).toHaveLength(0);
  });

  it("malformed JSON is 400 naming the body", async () => {
    const { core: api } = core();
    const answer = await call(api, {
      method: "POST",
      url: CALLBACKS,
      body: { kind: "bytes", bytes: new TextEncoder().encode("{not json") },
      signed: "{not json",
    });
    expect([answer.reply.status, body(answer).detail?.field]).toEqual([400, "/"]);
  });

  it("a field a closed schema does not list is refused by the document, whatever the option", async () => {
    const json = { mchid: MCHID, notify_url: "https://m.example/n", notfy: 1 };
    for (const unknownFields of ["refuse", "ignore"] as const) {
      const answer = await call(core({ unknownFields }).core, {
        method: "POST",
        url: CALLBACKS,
        json,
      });
      expect([answer.reply.status, body(answer).code]).toEqual([400, "PARAM_ERROR"]);
      expect(body(answer).detail).toMatchObject({ field: "/notfy", location: "body" });
    }
  });

  it("an unknown field of an open object: refused by name, or dropped before the handler with ignore", async () => {
    const url = "/v3/marketing/partnerships/build";
    const json = {
      partner: { type: "APPID", appid: "wx8888888888888888", apid: "wx1" },
      authorized_data: { business_type: "FAVOR_STOCK", stock_id: "2433405" },
    };
    const headers = { "idempotency-key": "build-1" };
    const refused = await call(core().core, { method: "POST", url, json, headers });
    expect([refused.reply.status, body(refused).code]).toEqual([400, "PARAM_ERROR"]);
    expect(body(refused).detail).toMatchObject({ field: "/partner/apid", location: "body" });
    const seen: OperationContext[] = [];
    const table = {
      ...handlers,
      [operationKey("POST", url)]: ((context) => {
        seen.push(context);
        return { status: 204 };
      }) as OperationHandler,
    };
    const ignoring = core({ handlers: table, unknownFields: "ignore", strictResponses: false });
    const kept = await call(ignoring.core, { method: "POST", url, json, headers });
    expect(kept.reply.status, JSON.stringify(kept.reply.body)).toBe(204);
    expect(seen[0]?.body.partner).toEqual({ type: "APPID", appid: "wx8888888888888888" });
  });

  it("an unknown query parameter is refused by name", async () => {
    const answer = await call(core().core, {
      method: "GET",
      url: `${CALLBACKS}?mchid=${MCHID}&mchidd=1`,
    });
    expect([answer.reply.status, body(answer).code]).toEqual([400, "PARAM_ERROR"]);
    expect(body(answer).detail).toMatchObject({ field: "mchidd", location: "query" });
  });
});

describe("the handler and its answer", () => {
  it("an operation without a handler is 501 naming it", async () => {
    const { [operationKey("POST", CALLBACKS)]: _removed, ...rest } = handlers;
    const answer = await call(core({ handlers: rest }).core, {
      method: "POST",
      url: CALLBACKS,
      json: { mchid: MCHID, notify_url: "https://m.example/n" },
    });
    expect([answer.reply.status, body(answer).code]).toEqual([501, "NOT_IMPLEMENTED"]);
    expect(JSON.stringify(answer.reply.body)).toContain("setBusifavorCallback");
  });

  it("strict: an answer the document does not allow is 500 and a violation; relaxed, it passes", async () => {
    const wrong: OperationHandler = () => ({ status: 200, body: { notify_url: 42 } });
    const table = { ...handlers, [operationKey("POST", CALLBACKS)]: wrong };
    const json = { mchid: MCHID, notify_url: "https://m.example/n" };
    const strict = core({ handlers: table });
    const checked = await call(strict.core, { method: "POST", url: CALLBACKS, json });
    expect([checked.reply.status, body(checked).code]).toEqual([500, "SYSTEM_ERROR"]);
    expect(strict.options.violations).toEqual([
      expect.stringContaining("setBusifavorCallback 200"),
    ]);
    const relaxed = core({ handlers: table, strictResponses: false });
    const passed = await call(relaxed.core, { method: "POST", url: CALLBACKS, json });
    expect(passed.reply).toEqual({ status: 200, body: { notify_url: 42 } });
    expect(relaxed.options.violations).toEqual([]);
  });

  it("a handler that throws is 500 SYSTEM_ERROR and a violation with its stack", async () => {
    const table = {
      ...handlers,
      [operationKey("POST", CALLBACKS)]: (() => {
        throw new RangeError("handler bug");
      }) as OperationHandler,
    };
    const { core: api, options } = core({ handlers: table });
    const answer = await call(api, {
      method: "POST",
      url: CALLBACKS,
      json: { mchid: MCHID, notify_url: "https://m.example/n" },
    });
    expect([answer.reply.status, body(answer).code]).toEqual([500, "SYSTEM_ERROR"]);
    expect(options.violations[0]).toContain("RangeError: handler bug");
  });
});

describe("faults and signing inputs", () => {
  const json = { mchid: MCHID, notify_url: "https://m.example/n" };

  it("rate-limit and system-error answer in the handler's place", async () => {
    const { seen, handlers: table } = recording();
    const faults = new FaultPlan();
    faults.add({ kind: "rate-limit" });
    faults.add({ kind: "system-error", path: "/callbacks" });
    const { core: api } = core({ handlers: table, faults });
    const limited = await call(api, { method: "POST", url: CALLBACKS, json });
    const failed = await call(api, { method: "POST", url: CALLBACKS, json });
    const served = await call(api, { method: "POST", url: CALLBACKS, json });
    expect([limited, failed, served].map((a) => [a.reply.status, body(a).code])).toEqual([
      [429, "FREQUENCY_LIMITED"],
      [500, "SYSTEM_ERROR"],
      [200, undefined],
    ]);
    expect(seen).toHaveLength(1);
  });

  it("a signature fault leaves the answer alone and is handed to the signer", async () => {
    const faults = new FaultPlan();
    faults.add({ kind: "tampered-signature" });
    const { core: api } = core({ faults });
    const answer = await call(api, { method: "POST", url: CALLBACKS, json });
    expect(answer.reply.status).toBe(200);
    expect(answer.signing).toEqual({ fault: "tampered-signature" });
  });

  it("the Wechatpay-Serial a request names is handed to the signer, on refusals too", async () => {
    const { core: api } = core();
    const headers = { "wechatpay-serial": "ABCDEF" };
    const ok = await call(api, { method: "POST", url: CALLBACKS, json, headers });
    const missing = await call(api, { method: "GET", url: "/v3/none", headers });
    expect([ok.signing, missing.signing]).toEqual([
      { requestedSerial: "ABCDEF" },
      { requestedSerial: "ABCDEF" },
    ]);
  });

  it("latency holds the answer back by at least the planned delay", async () => {
    const faults = new FaultPlan();
    faults.add({ kind: "latency", latencyMs: 40 });
    const { core: api } = core({ faults });
    const started = Date.now();
    const answer = await call(api, { method: "POST", url: CALLBACKS, json });
    expect(answer.reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(39);
  });
});
