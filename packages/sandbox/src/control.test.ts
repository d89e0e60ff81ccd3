// The control API under /sandbox, over real HTTP on 127.0.0.1: every route, its answers and its
// refusals. Each test uses its own sandbox, so that any one runs alone (keys made once).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FAULT_KINDS, generateRsaKeyPair, type Sandbox, startSandbox } from "./index.js";

const keys = {
  merchantPrivateKey: generateRsaKeyPair().privateKey,
  platformPrivateKey: generateRsaKeyPair().privateKey,
};
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox(keys);
});
afterEach(() => sandbox.close());

async function control(method: string, path: string, body?: unknown) {
  // Every control request carries the sandbox's token (and POSTs are JSON): controlHeaders.
  const response = await fetch(new URL(path, sandbox.url), {
    method,
    headers: sandbox.controlHeaders,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /sandbox", () => {
  it("lists the served operations with the connection facts", async () => {
    const { status, body } = await control("GET", "/sandbox");
    expect(status).toBe(200);
    expect(body).toMatchObject({ mchid: sandbox.mchid, base_url: sandbox.url });
    const operations = body.operations as { operation_id: string; method: string; path: string }[];
    expect(operations.length).toBe(sandbox.operations.length);
    expect(operations).toContainEqual(
      expect.objectContaining({ method: "POST", path: "/v3/marketing/busifavor/stocks" }),
    );
  });
});

describe("POST /sandbox/users/{openid}/coupons", () => {
  it("needs a stock_id, and names the field", async () => {
    expect(await control("POST", "/sandbox/users/o1/coupons", {})).toEqual({
      status: 400,
      body: { code: "PARAM_ERROR", message: "stock_id is required", detail: { field: "stock_id" } },
    });
  });

  it("answers a stock it does not know with the business error WeChat Pay gives", async () => {
    const { status, body } = await control("POST", "/sandbox/users/o1/coupons", {
      stock_id: "1212000000000000000",
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.code).toEqual(expect.any(String));
  });
});

describe("POST /sandbox/consumer-cards", () => {
  it("registers a card, and needs its card_id", async () => {
    expect(await control("POST", "/sandbox/consumer-cards", { card_id: "pY7Ft5Vh" })).toEqual({
      status: 200,
      body: { card_id: "pY7Ft5Vh" },
    });
    expect(await control("POST", "/sandbox/consumer-cards", { card_id: "" })).toEqual({
      status: 400,
      body: { code: "PARAM_ERROR", message: "card_id is required" },
    });
  });
});

describe("/sandbox/clock", () => {
  it("reads business time and moves it forward, never back", async () => {
    const before = (await control("GET", "/sandbox/clock")).body.now as string;
    const after = await control("POST", "/sandbox/clock", { advance_seconds: 3600 });
    expect(after.status).toBe(200);
    expect(Date.parse(after.body.now as string) - Date.parse(before)).toBeGreaterThanOrEqual(
      3_600_000,
    );
    for (const advance_seconds of [-1, "60", null]) {
      expect(await control("POST", "/sandbox/clock", { advance_seconds })).toEqual({
        status: 400,
        body: { code: "PARAM_ERROR", message: "advance_seconds must be a number >= 0" },
      });
    }
  });
});

describe("/sandbox/faults", () => {
  it("adds, lists and clears faults", async () => {
    const added = await control("POST", "/sandbox/faults", {
      kind: "latency",
      count: 2,
      path: "/stocks",
      method: "get",
      latency_ms: 5,
    });
    expect(added).toMatchObject({
      status: 200,
      body: { kind: "latency", remaining: 2, path: "/stocks", method: "GET", latencyMs: 5 },
    });
    expect((await control("GET", "/sandbox/faults")).body.data).toEqual([added.body]);
    expect(await control("DELETE", "/sandbox/faults")).toEqual({ status: 200, body: { data: [] } });
    expect((await control("GET", "/sandbox/faults")).body.data).toEqual([]);
  });

  it("refuses an unknown kind, naming the kinds, and a count that is not a positive integer", async () => {
    expect(await control("POST", "/sandbox/faults", { kind: "meteor" })).toEqual({
      status: 400,
      body: {
        code: "PARAM_ERROR",
        message: `kind must be one of ${FAULT_KINDS.join(", ")}`,
        detail: { field: "kind" },
      },
    });
    expect(await control("POST", "/sandbox/faults", { kind: "rate-limit", count: 0 })).toEqual({
      status: 400,
      body: { code: "PARAM_ERROR", message: "count must be a positive integer" },
    });
  });
});

describe("the logs", () => {
  it("start empty: no notification sent, no answer that broke the document", async () => {
    expect(await control("GET", "/sandbox/notifications")).toEqual({
      status: 200,
      body: { data: [] },
    });
    expect(await control("GET", "/sandbox/violations")).toEqual({
      status: 200,
      body: { data: [] },
    });
  });
});

describe("what is not a control route", () => {
  it("answers 404 naming the method and path", async () => {
    expect(await control("PATCH", "/sandbox/clock")).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", message: "PATCH /sandbox/clock is not a control route" },
    });
  });

  it("answers a body that is not JSON with 400", async () => {
    expect(await control("POST", "/sandbox/faults", "{not json")).toEqual({
      status: 400,
      body: { code: "PARAM_ERROR", message: "body is not valid JSON" },
    });
  });
});
