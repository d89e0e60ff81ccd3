// The sandbox tried as an attacker would, over real HTTP on 127.0.0.1: business rules a request
// must not bypass (mass assignment, prototype keys, over-committed pre-issues, a hostile web
// page driving the control API, the time window) and inputs that must not knock the server
// over (huge, deep, long or mislabelled requests, unsigned). Every case is refused with the
// error named; the summary line counts the cases of each class that got through (must be 0).

import { APPID, activityBody, at, stockBody, unique } from "@wechatpay-marketing/test-fixtures";
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestSandbox } from "../test/harness.js";
import {
  type RawAnswer,
  sendRaw,
  sendSigned,
  signedHeaders,
  uploadLogo,
} from "../test/raw-http.js";
import { bundledDocument, listOperations } from "./document.js";
import { FavorStore } from "./favor-store.js";
import type { Sandbox } from "./index.js";
import { FORBIDDEN_KEYS } from "./known-fields.js";
import { LIMITS } from "./limits.js";

type AttackClass = "rule bypass" | "resource exhaustion";
const tally: Record<AttackClass, { run: number; through: string[] }> = {
  "rule bypass": { run: 0, through: [] },
  "resource exhaustion": { run: 0, through: [] },
};

/** A case of `kind`: it passes when the server held (refused as expected and stayed up). */
function attack(kind: AttackClass, name: string, run: () => Promise<void>, timeout?: number): void {
  it(
    `${kind}: ${name}`,
    async () => {
      tally[kind].run += 1;
      try {
        await run();
      } catch (error) {
        tally[kind].through.push(name);
        throw error;
      }
    },
    timeout,
  );
}

afterAll(() => {
  const line = (kind: AttackClass) =>
    `${kind}: ${tally[kind].through.length} of ${tally[kind].run} got through`;
  console.log(`attack suite: ${line("rule bypass")}; ${line("resource exhaustion")}`);
});

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const MB = 1024 * 1024;
const stocksPath = "/v3/marketing/busifavor/stocks";

async function createStock(overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await sendSigned(sandbox, "POST", stocksPath, stockBody(sandbox.mchid, overrides));
  expect(answer.status, answer.text).toBe(200);
  return answer.json.stock_id as string;
}

const patchStock = (stockId: string, body: unknown) =>
  sendSigned(sandbox, "PATCH", `${stocksPath}/${stockId}`, body);

function expectRefused(answer: RawAnswer, status: number, code: string, field?: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json?.code, answer.text).toBe(code);
  if (field !== undefined) expect(answer.json?.detail?.field, answer.text).toBe(field);
}

/** Every object the store holds has an ordinary prototype and no prototype-named own key. */
function expectCleanStore(): void {
  const allowed = new Set<unknown>([
    Object.prototype,
    Array.prototype,
    Map.prototype,
    Set.prototype,
    // The sandbox's own: the cash coupon part of the store, and the bill files it makes.
    FavorStore.prototype,
    Buffer.prototype,
    null,
  ]);
  const seen = new Set<object>();
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    const prototype = Object.getPrototypeOf(value);
    if (!allowed.has(prototype) && path !== "store") {
      // Class instances of the sandbox itself (the store) are fine; request data is not.
      expect.fail(`${path} has the prototype of ${String(prototype?.constructor?.name)}`);
    }
    for (const key of Object.getOwnPropertyNames(value)) {
      expect(FORBIDDEN_KEYS.has(key), `${path} has an own key ${key}`).toBe(false);
    }
    if (value instanceof Map) for (const [k, v] of value) walk(v, `${path}.get(${String(k)})`);
    else if (value instanceof Set) for (const v of value) walk(v, `${path}[set]`);
    else for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(sandbox.store, "store");
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const expectNoPollution = () => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
};

describe("mass assignment: PATCH a stock changes only what 修改商家券基本信息 allows", () => {
  const refusedChanges: [string, Record<string, unknown>, string][] = [
    [
      "raise max_coupons past the budget",
      { stock_send_rule: { max_coupons: 1_000_000 } },
      "/stock_send_rule/max_coupons",
    ],
    [
      "lower max_coupons below what was issued",
      { stock_send_rule: { max_coupons: 1 } },
      "/stock_send_rule/max_coupons",
    ],
    [
      "change max_coupons_per_user",
      { stock_send_rule: { max_coupons_per_user: 100 } },
      "/stock_send_rule/max_coupons_per_user",
    ],
    ["change stock_type", { stock_type: "DISCOUNT" }, "/stock_type"],
    ["change coupon_code_mode", { coupon_code_mode: "MERCHANT_API" }, "/coupon_code_mode"],
    ["repeat stock_id in the body", { stock_id: "1" }, "/stock_id"],
    [
      "extend the validity",
      { coupon_use_rule: { coupon_available_time: { available_end_time: at(300) } } },
      "/coupon_use_rule/coupon_available_time",
    ],
    [
      "change the face value",
      {
        coupon_use_rule: {
          fixed_normal_coupon: { discount_amount: 99_999, transaction_minimum: 0 },
        },
      },
      "/coupon_use_rule/fixed_normal_coupon",
    ],
    [
      "change the store of the entrance",
      { custom_entrance: { store_id: "233554655" } },
      "/custom_entrance/store_id",
    ],
    ["change belong_merchant", { belong_merchant: "1900000002" }, "/belong_merchant"],
  ];
  for (const [name, change, field] of refusedChanges) {
    attack("rule bypass", `PATCH cannot ${name} (400 PARAM_ERROR ${field})`, async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 3, max_coupons_per_user: 2 },
      });
      await sandbox.issueCoupon("oUser1", { stock_id: stockId });
      await sandbox.issueCoupon("oUser2", { stock_id: stockId });
      const before = structuredClone(sandbox.store.stock(stockId).definition);
      const answer = await patchStock(stockId, { ...change, out_request_no: unique("patch") });
      expectRefused(answer, 400, "PARAM_ERROR", field);
      expect(sandbox.store.stock(stockId).definition).toEqual(before);
    });
  }

  attack("rule bypass", "a __proto__ key is refused and no prototype changes", async () => {
    const stockId = await createStock();
    const answer = await patchStock(
      stockId,
      `{"stock_name":"新名字","out_request_no":"${unique("p")}","__proto__":{"polluted":"yes","stock_type":"DISCOUNT"}}`,
    );
    expectRefused(answer, 400, "PARAM_ERROR", "/__proto__");
    const { definition } = sandbox.store.stock(stockId);
    expect(Object.getPrototypeOf(definition)).toBe(Object.prototype);
    expect(definition.stock_type).toBe("NORMAL");
    expect(definition.stock_name).toBe("沙箱满减券");
    expectNoPollution();
  });

  const nestedPrototypeKeys = () =>
    `{"out_request_no":"${unique("p")}","display_pattern_info":{"description":"新说明","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}},"notify_config":{"notify_appid":"${APPID}","__proto__":{"x":1}}}`;

  attack(
    "rule bypass",
    "prototype keys nested where the document is open are refused by name, nothing stored",
    async () => {
      const stockId = await createStock();
      const before = structuredClone(sandbox.store.stock(stockId).definition);
      const answer = await patchStock(stockId, nestedPrototypeKeys());
      expectRefused(answer, 400, "PARAM_ERROR", "/display_pattern_info/__proto__");
      expect(sandbox.store.stock(stockId).definition).toEqual(before);
      expectCleanStore();
      expectNoPollution();
    },
  );

  attack(
    "rule bypass",
    'with unknownFields: "ignore", nested prototype keys are dropped, not stored',
    async () => {
      await sandbox.close();
      sandbox = await startTestSandbox({ unknownFields: "ignore" });
      const stockId = await createStock();
      const answer = await patchStock(stockId, nestedPrototypeKeys());
      expect(answer.status, answer.text).toBe(204);
      const { definition } = sandbox.store.stock(stockId);
      expect(definition.display_pattern_info.description).toBe("新说明");
      expect(Object.getPrototypeOf(definition.display_pattern_info)).toBe(Object.prototype);
      expect(Object.hasOwn(definition.display_pattern_info, "constructor")).toBe(false);
      expectCleanStore();
      expectNoPollution();
    },
  );

  attack(
    "rule bypass",
    "the fields the document allows still change (and only those)",
    async () => {
      const stockId = await createStock();
      const answer = await patchStock(stockId, {
        stock_name: "新名字",
        comment: "备注",
        stock_send_rule: { prevent_api_abuse: true },
        coupon_use_rule: { use_method: "OFF_LINE" },
        out_request_no: unique("p"),
      });
      expect(answer.status, answer.text).toBe(204);
      const { definition } = sandbox.store.stock(stockId);
      expect(definition).toMatchObject({
        stock_name: "新名字",
        comment: "备注",
        stock_type: "NORMAL",
      });
      expect(definition.stock_send_rule).toEqual({
        max_coupons: 100,
        max_coupons_per_user: 5,
        prevent_api_abuse: true,
      });
      expect(definition.coupon_use_rule.fixed_normal_coupon).toEqual({
        discount_amount: 500,
        transaction_minimum: 1000,
      });
    },
  );

  attack(
    "rule bypass",
    "switching to MINI_PROGRAMS redemption without the Mini Program is refused",
    async () => {
      const stockId = await createStock();
      const answer = await patchStock(stockId, {
        coupon_use_rule: { use_method: "MINI_PROGRAMS" },
        out_request_no: unique("p"),
      });
      expectRefused(answer, 400, "PARAM_ERROR", "/coupon_use_rule/mini_programs_appid");
      expect(sandbox.store.stock(stockId).definition.coupon_use_rule.use_method).toBe("OFF_LINE");
    },
  );

  attack(
    "rule bypass",
    "the budget changes only through 修改批次预算, never below what was issued",
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 3, max_coupons_per_user: 3 },
      });
      for (let i = 0; i < 3; i++) await sandbox.issueCoupon(`oUser${i}`, { stock_id: stockId });
      const budget = (body: Record<string, unknown>) =>
        sendSigned(sandbox, "PATCH", `${stocksPath}/${stockId}/budget`, {
          ...body,
          modify_budget_request_no: unique("b"),
        });
      expectRefused(
        await budget({ target_max_coupons: 2, current_max_coupons: 3 }),
        400,
        "INVALID_REQUEST",
        "/target_max_coupons",
      );
      expectRefused(
        await budget({ target_max_coupons: 9, current_max_coupons: 5 }),
        400,
        "INVALID_REQUEST",
        "/current_max_coupons",
      );
      const raised = await budget({ target_max_coupons: 4, current_max_coupons: 3 });
      expect(raised.status, raised.text).toBe(200);
      expect(sandbox.store.stock(stockId).definition.stock_send_rule.max_coupons).toBe(4);
    },
  );
});

describe("known fields only, property-tested over every JSON operation", () => {
  const jsonOperations = listOperations(bundledDocument).filter((o) => {
    const body = o.definition.requestBody as { content?: Record<string, unknown> } | undefined;
    return body?.content?.["application/json"] !== undefined;
  });
  /** The first example body the document gives each JSON operation. */
  const examples = jsonOperations.map((operation) => {
    const { content } = operation.definition.requestBody as {
      content: Record<string, { examples?: Record<string, { value: unknown }> }>;
    };
    const example = Object.values(content["application/json"]?.examples ?? {})[0]?.value;
    return { operation, example: example ?? {} };
  });

  /**
   * An example made current for this sandbox, so that requests get past the business checks
   * to where records are stored: its ids, merchant, AppID and pictures, fresh request numbers,
   * and its times moved to begin in an hour, their spacing kept.
   */
  const current = (example: unknown, ids: Record<string, string>, logo: string): unknown => {
    const times = JSON.stringify(example).match(/"\d{4}-\d{2}-\d{2}T[^"]+"/g) ?? [];
    const earliest = Math.min(...times.map((t) => Date.parse(JSON.parse(t))));
    const shift = Date.now() + 3_600_000 - earliest;
    const visit = (value: unknown, key: string): unknown => {
      if (Array.isArray(value)) return value.map((v) => visit(v, key));
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
      }
      if (typeof value !== "string") return value;
      if (ids[key]) return ids[key];
      if (key === "appid" || key.endsWith("_appid")) return APPID;
      if (["mchid", "belong_merchant", "payer_merchant"].includes(key)) return sandbox.mchid;
      if (/^https:\/\/wxpaylogo\.qpic\.cn\//.test(value)) return logo;
      if (/_no$|^out_/.test(key)) return unique("n");
      if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return at(0, Date.parse(value) + shift);
      return value;
    };
    return visit(example, "");
  };

  const objectsOf = (value: unknown): Record<string, unknown>[] =>
    value && typeof value === "object"
      ? [
          ...(Array.isArray(value) ? [] : [value as Record<string, unknown>]),
          ...Object.values(value).flatMap(objectsOf),
        ]
      : [];

  attack(
    "rule bypass",
    `no __proto__/constructor/prototype key reaches a prototype or the store (${jsonOperations.length} operations, 300 runs)`,
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 1000 },
      });
      const logo = await uploadLogo(sandbox);
      const activity = await sendSigned(
        sandbox,
        "POST",
        "/v3/marketing/paygiftactivity/unique-threshold-activity",
        activityBody(logo, [stockId]),
      );
      const ids = { stock_id: stockId, activity_id: activity.json.activity_id as string };
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: examples.length - 1 }),
          fc.nat(),
          fc.constantFrom(...FORBIDDEN_KEYS),
          fc.oneof(
            fc.constant({ polluted: "yes", stock_type: "DISCOUNT", max_coupons: 1e6 }),
            fc.jsonValue({ maxDepth: 3 }),
          ),
          async (which, where, key, payload) => {
            const { operation, example } = examples[which] as (typeof examples)[number];
            const body = current(example, ids, logo);
            const targets = objectsOf(body);
            // An own property named like the key, as JSON.parse makes it (assignment would set the prototype).
            Object.defineProperty(targets[where % targets.length] as object, key, {
              value: payload,
              enumerable: true,
              configurable: true,
              writable: true,
            });
            const path = operation.path.replace(
              /\{([^}]+)\}/g,
              (_, name: string) => ids[name as keyof typeof ids] ?? `${name}1`,
            );
            const headers = operation.key.includes("/partnerships/")
              ? { "Idempotency-Key": unique("k") }
              : undefined;
            const text = JSON.stringify(body);
            const answer = await sendSigned(sandbox, operation.method, path, text, headers);
            expect(answer.status, `${operation.operationId}: ${answer.text}`).toBeLessThan(500);
            expect(sandbox.violations).toEqual([]);
            expectNoPollution();
            expectCleanStore();
          },
        ),
        { numRuns: 300 },
      );
    },
    60_000,
  );
});

describe("pre-issued product coupons: a token holds budget and is spent once", () => {
  const preSend = (stockId: string, openid?: string) =>
    sendSigned(sandbox, "POST", "/v3/marketing/busifavor/product-coupons/pre-send", {
      stock_id: stockId,
      appid: APPID,
      send_request_no: unique("pre"),
      ...(openid ? { openid } : {}),
    });
  const send = (stockId: string, openid: string) =>
    sendSigned(sandbox, "POST", "/v3/marketing/busifavor/product-coupons/send", {
      openid,
      appid: APPID,
      stock_id: stockId,
      out_request_no: unique("send"),
      coupon_type: "NORMAL",
    });
  const issuedOf = (stockId: string) =>
    [...sandbox.store.coupons.values()].filter((c) => c.stock_id === stockId).length;

  attack(
    "rule bypass",
    "2 tokens + 2 sends of a stock of max_coupons 2 make 2 coupons, not 4",
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 2, max_coupons_per_user: 2 },
      });
      const tokens = [await preSend(stockId), await preSend(stockId)].map((a) => {
        expect(a.status, a.text).toBe(200);
        return a.json.token as string;
      });
      for (const user of ["oSend1", "oSend2"]) {
        expectRefused(
          await send(stockId, user),
          400,
          "INVALID_REQUEST",
          "stock_send_rule.max_coupons",
        );
      }
      await expect(sandbox.issueCoupon("oControl", { stock_id: stockId })).rejects.toMatchObject({
        code: "INVALID_REQUEST",
      });
      expectRefused(await preSend(stockId), 400, "INVALID_REQUEST", "stock_send_rule.max_coupons");
      for (const [i, token] of tokens.entries()) {
        const claimed = await sendRaw(sandbox, {
          method: "POST",
          path: "/sandbox/product-coupons/claim",
          headers: sandbox.controlHeaders,
          body: JSON.stringify({ token, openid: `oClaim${i}` }),
        });
        expect(claimed.status, claimed.text).toBe(200);
        expect(claimed.json).toMatchObject({ stock_id: stockId, coupon_state: "SENDED" });
      }
      expect(issuedOf(stockId)).toBe(2);
    },
  );

  attack(
    "rule bypass",
    "a token cannot be spent twice, nor by another user than the one it names",
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 5, max_coupons_per_user: 5 },
      });
      const { token } = (await preSend(stockId, "oNamed")).json as { token: string };
      await expect(sandbox.claimPreSentCoupon(token, { openid: "oOther" })).rejects.toMatchObject({
        code: "INVALID_REQUEST",
        detail: { field: "openid" },
      });
      const coupon = await sandbox.claimPreSentCoupon(token);
      expect(coupon.stock_id).toBe(stockId);
      await expect(sandbox.claimPreSentCoupon(token)).rejects.toMatchObject({
        code: "INVALID_REQUEST",
        detail: { field: "token" },
      });
      await expect(
        sandbox.claimPreSentCoupon("made-up-token", { openid: "o" }),
      ).rejects.toMatchObject({
        code: "RESOURCE_NOT_EXISTS",
      });
      expect(issuedOf(stockId)).toBe(1);
    },
  );

  attack("rule bypass", "a token held for a user counts against that user's limit", async () => {
    const stockId = await createStock({
      stock_send_rule: { max_coupons: 10, max_coupons_per_user: 1 },
    });
    expect((await preSend(stockId, "oLimited")).status).toBe(200);
    expectRefused(
      await send(stockId, "oLimited"),
      400,
      "INVALID_REQUEST",
      "stock_send_rule.max_coupons_per_user",
    );
    expectRefused(
      await preSend(stockId, "oLimited"),
      400,
      "INVALID_REQUEST",
      "stock_send_rule.max_coupons_per_user",
    );
  });

  attack(
    "rule bypass",
    "the budget cannot be cut below what issued coupons and unspent tokens hold",
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 3, max_coupons_per_user: 3 },
      });
      await sandbox.issueCoupon("oUser", { stock_id: stockId });
      await preSend(stockId);
      const cut = await sendSigned(sandbox, "PATCH", `${stocksPath}/${stockId}/budget`, {
        target_max_coupons: 1,
        modify_budget_request_no: unique("b"),
      });
      expectRefused(cut, 400, "INVALID_REQUEST", "/target_max_coupons");
    },
  );

  attack(
    "rule bypass",
    "the same send_request_no answers the same token: a retry holds nothing more",
    async () => {
      const stockId = await createStock({
        stock_send_rule: { max_coupons: 1, max_coupons_per_user: 1 },
      });
      const body = {
        stock_id: stockId,
        appid: APPID,
        send_request_no: unique("pre"),
      };
      const first = await sendSigned(
        sandbox,
        "POST",
        "/v3/marketing/busifavor/product-coupons/pre-send",
        body,
      );
      const again = await sendSigned(
        sandbox,
        "POST",
        "/v3/marketing/busifavor/product-coupons/pre-send",
        body,
      );
      expect(again.json.token).toBe(first.json.token);
      expect(sandbox.store.preSendTokens.size).toBe(1);
    },
  );
});

describe("control API: a web page cannot drive the sandbox", () => {
  const issuePath = "/sandbox/users/oVictim/coupons";

  attack(
    "rule bypass",
    "a cross-site text/plain POST (no token) is 401 and changes nothing",
    async () => {
      const stockId = await createStock();
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: issuePath,
        headers: { "Content-Type": "text/plain;charset=UTF-8", Origin: "https://evil.example" },
        body: JSON.stringify({ stock_id: stockId }),
      });
      expectRefused(answer, 401, "SANDBOX_TOKEN_REQUIRED", "X-Sandbox-Token");
      expect(sandbox.store.coupons.size).toBe(0);
    },
  );

  attack("rule bypass", "the token itself is never echoed, and a wrong token is 401", async () => {
    const answer = await sendRaw(sandbox, {
      method: "POST",
      path: "/sandbox/faults",
      headers: {
        "Content-Type": "application/json",
        "X-Sandbox-Token": `${sandbox.controlToken}x`,
      },
      body: JSON.stringify({ kind: "system-error" }),
    });
    expectRefused(answer, 401, "SANDBOX_TOKEN_REQUIRED");
    expect(answer.text).not.toContain(sandbox.controlToken);
    expect(sandbox.store.coupons.size).toBe(0);
    const listed = await sendRaw(sandbox, {
      method: "GET",
      path: "/sandbox/faults",
      headers: sandbox.controlHeaders,
    });
    expect(listed.json).toEqual({ data: [] });
  });

  attack("rule bypass", "with the token, a POST that is not JSON is 415", async () => {
    const stockId = await createStock();
    const answer = await sendRaw(sandbox, {
      method: "POST",
      path: issuePath,
      headers: { "Content-Type": "text/plain", "X-Sandbox-Token": sandbox.controlToken },
      body: JSON.stringify({ stock_id: stockId }),
    });
    expectRefused(answer, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    expect(sandbox.store.coupons.size).toBe(0);
  });

  attack(
    "rule bypass",
    "reads need the token too (a DNS-rebinding page cannot list notifications)",
    async () => {
      for (const path of [
        "/sandbox",
        "/sandbox/notifications",
        "/sandbox/faults",
        "/sandbox/clock",
        "/sandbox/violations",
        "/sandbox/favor/balance",
      ]) {
        expectRefused(
          await sendRaw(sandbox, { method: "GET", path }),
          401,
          "SANDBOX_TOKEN_REQUIRED",
        );
      }
      expectRefused(
        await sendRaw(sandbox, { method: "DELETE", path: "/sandbox/faults" }),
        401,
        "SANDBOX_TOKEN_REQUIRED",
      );
    },
  );

  attack(
    "rule bypass",
    "no answer grants CORS: a preflight gets no Access-Control-Allow-* header",
    async () => {
      const answer = await sendRaw(sandbox, {
        method: "OPTIONS",
        path: "/sandbox/faults",
        headers: {
          Origin: "https://evil.example",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type,x-sandbox-token",
        },
      });
      expect(Object.keys(answer.headers).filter((k) => k.startsWith("access-control-"))).toEqual(
        [],
      );
    },
  );

  attack(
    "rule bypass",
    "the documented way works: JSON with the token issues the coupon",
    async () => {
      const stockId = await createStock();
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: issuePath,
        headers: sandbox.controlHeaders,
        body: JSON.stringify({ stock_id: stockId }),
      });
      expect(answer.status, answer.text).toBe(200);
      expect(sandbox.store.coupons.size).toBe(1);
    },
  );
});

describe("the request signature's 300 s window, in whole seconds", () => {
  /** Signs a GET with a timestamp `offset` s from now, early in a second so none passes before the check. */
  const atOffset = async (offset: number) => {
    while (Date.now() % 1000 > 500) await new Promise((r) => setTimeout(r, 10));
    const path = "/v3/marketing/busifavor/callbacks";
    const timestamp = Math.floor(Date.now() / 1000) + offset;
    return sendRaw(sandbox, {
      method: "GET",
      path,
      headers: await signedHeaders(sandbox, { method: "GET", path, timestamp }),
    });
  };
  for (const offset of [-299, 299]) {
    attack(
      "rule bypass",
      `a timestamp ${offset > 0 ? "+" : ""}${offset} s away is accepted`,
      async () => {
        // 404: no notify URL set yet, past the signature check.
        expectRefused(await atOffset(offset), 404, "RESOURCE_NOT_EXISTS");
      },
    );
  }
  for (const offset of [-300, 300]) {
    attack(
      "rule bypass",
      `a timestamp ${offset > 0 ? "+" : ""}${offset} s away is 401 SIGN_ERROR`,
      async () => {
        expectRefused(await atOffset(offset), 401, "SIGN_ERROR");
      },
    );
  }
});

describe("resource limits before authentication", () => {
  const rss = () => process.memoryUsage().rss;
  /** A signed request still gets past the signature check (404: no notify URL set yet). */
  const expectServing = async () =>
    expectRefused(
      await sendSigned(sandbox, "GET", "/v3/marketing/busifavor/callbacks"),
      404,
      "RESOURCE_NOT_EXISTS",
    );
  const report = (name: string, before: number, answer: RawAnswer) =>
    console.log(
      `${name}: answered ${answer.status} after ${(answer.written / MB).toFixed(1)} MB sent; test process RSS ${((rss() - before) / MB).toFixed(1)} MB more`,
    );

  attack(
    "resource exhaustion",
    "an unsigned, chunked 256 MB JSON body is 413 after at most 1 MiB read",
    async () => {
      const before = rss();
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: stocksPath,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "User-Agent": "a",
        },
        streamBytes: 256 * MB,
      });
      report("chunked 256 MB", before, answer);
      expectRefused(answer, 413, "INVALID_REQUEST");
      // Old behaviour: all 256 MB were read and kept. Socket buffers let a few MB through at most.
      expect(answer.written).toBeLessThan(32 * MB);
      await expectServing();
    },
  );

  attack(
    "resource exhaustion",
    "an unsigned 256 MB Content-Length is 413 before a byte is read",
    async () => {
      const before = rss();
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: stocksPath,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "User-Agent": "a",
        },
        streamBytes: 256 * MB,
        declareLength: true,
      });
      report("Content-Length 256 MB", before, answer);
      expectRefused(answer, 413, "INVALID_REQUEST");
      expect(answer.written).toBeLessThan(32 * MB);
      await expectServing();
    },
  );

  attack(
    "resource exhaustion",
    "a 256 MB upload is refused as the document says (图片大小不能超过2M) after 2 MB + framing",
    async () => {
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: "/v3/marketing/favor/media/image-upload",
        headers: {
          "Content-Type": "multipart/form-data; boundary=x",
          Accept: "application/json",
          "User-Agent": "a",
        },
        streamBytes: 256 * MB,
      });
      expectRefused(answer, 400, "INVALID_REQUEST", "/file");
      expect(answer.json.message).toBe("图片大小不能超过2M");
      expect(answer.written).toBeLessThan(32 * MB);
      await expectServing();
    },
  );

  attack(
    "resource exhaustion",
    "a control API body past the limit is 413, token or not",
    async () => {
      const answer = await sendRaw(sandbox, {
        method: "POST",
        path: "/sandbox/faults",
        headers: sandbox.controlHeaders,
        streamBytes: 256 * MB,
      });
      expectRefused(answer, 413, "REQUEST_TOO_LARGE");
      expect(answer.written).toBeLessThan(32 * MB);
      await expectServing();
      const unsigned = await sendRaw(sandbox, {
        method: "POST",
        path: "/sandbox/faults",
        streamBytes: 256 * MB,
      });
      expectRefused(unsigned, 401, "SANDBOX_TOKEN_REQUIRED");
      expect(unsigned.written).toBeLessThan(32 * MB);
      await expectServing();
    },
  );

  attack(
    "resource exhaustion",
    "exactly the JSON limit is read; one byte more is 413",
    async () => {
      const filler = (size: number) => {
        const text = `{"out_request_no":"x","stock_name":"${"a".repeat(size)}"}`;
        return text;
      };
      const base = filler(0).length;
      const atLimit = filler(LIMITS.jsonBodyBytes - base);
      const fits = await sendSigned(sandbox, "POST", stocksPath, atLimit);
      expect(fits.status, fits.text.slice(0, 200)).toBe(400); // read, signed, then refused by the schema
      expect(fits.json.code).toBe("PARAM_ERROR");
      const over = await sendSigned(sandbox, "POST", stocksPath, `${atLimit} `);
      expectRefused(over, 413, "INVALID_REQUEST");
    },
  );

  attack(
    "resource exhaustion",
    `an Authorization header past ${LIMITS.authorizationChars} characters is 401 unparsed`,
    async () => {
      const path = "/v3/marketing/busifavor/callbacks";
      const long = `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",${'a="b",'.repeat(2400)}`;
      const answer = await sendRaw(sandbox, {
        method: "GET",
        path,
        headers: { Authorization: long, Accept: "application/json", "User-Agent": "a" },
      });
      expectRefused(answer, 401, "SIGN_ERROR", "Authorization");
      expect(answer.text).not.toContain('a="b"');
    },
  );

  attack(
    "resource exhaustion",
    `request headers past ${LIMITS.headerBytes / 1024} KiB are 431`,
    async () => {
      const answer = await sendRaw(sandbox, {
        method: "GET",
        path: "/v3/marketing/busifavor/callbacks",
        headers: {
          "X-Filler": "a".repeat(LIMITS.headerBytes),
          Accept: "application/json",
          "User-Agent": "a",
        },
      });
      expect(answer.status).toBe(431);
    },
  );

  const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
  const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  attack(
    "resource exhaustion",
    "10,000 levels of JSON, signed, are 400 PARAM_ERROR (no stack overflow, no 500)",
    async () => {
      for (const body of [
        deep(10_000),
        `{"out_request_no":"x","stock_name":${deep(10_000)}}`,
        deepObject(10_000),
      ]) {
        const answer = await sendSigned(sandbox, "POST", stocksPath, body);
        expectRefused(answer, 400, "PARAM_ERROR", "/");
        expect(answer.json.message).toContain(String(LIMITS.jsonDepth));
      }
      expect(sandbox.violations).toEqual([]);
    },
  );

  attack(
    "resource exhaustion",
    `${LIMITS.jsonDepth} levels are parsed; ${LIMITS.jsonDepth + 1} are refused`,
    async () => {
      const fits = await sendSigned(sandbox, "POST", stocksPath, deep(LIMITS.jsonDepth));
      expectRefused(fits, 400, "PARAM_ERROR");
      expect(fits.json.message).not.toContain("嵌套");
      const over = await sendSigned(sandbox, "POST", stocksPath, deep(LIMITS.jsonDepth + 1));
      expect(over.json.message).toContain("嵌套");
    },
  );

  attack("resource exhaustion", "10,000 levels unsigned are 401 before any parse", async () => {
    const answer = await sendRaw(sandbox, {
      method: "POST",
      path: stocksPath,
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "User-Agent": "a",
      },
      body: deep(10_000),
    });
    expectRefused(answer, 401, "SIGN_ERROR");
    expect(sandbox.violations).toEqual([]);
  });

  attack(
    "resource exhaustion",
    "deep JSON in a query parameter and in the control API is 400",
    async () => {
      const query = encodeURIComponent(deep(2000));
      const listed = await sendSigned(
        sandbox,
        "GET",
        `/v3/marketing/partnerships?partner=${query}`,
      );
      expectRefused(listed, 400, "PARAM_ERROR", "partner");
      const control = await sendRaw(sandbox, {
        method: "POST",
        path: "/sandbox/faults",
        headers: sandbox.controlHeaders,
        body: deepObject(10_000),
      });
      expectRefused(control, 400, "PARAM_ERROR");
      expect(sandbox.violations).toEqual([]);
    },
  );
});

describe("Content-Type: bodies are JSON, the image upload multipart, as WeChat Pay requires", () => {
  const body = () => JSON.stringify(stockBody("1900000001"));

  for (const contentType of [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "",
  ]) {
    attack(
      "rule bypass",
      `a signed JSON body sent as "${contentType || "(none)"}" is 400 INVALID_REQUEST`,
      async () => {
        const text = body();
        const headers = await signedHeaders(sandbox, {
          method: "POST",
          path: stocksPath,
          body: text,
        });
        if (contentType) headers["Content-Type"] = contentType;
        else delete headers["Content-Type"];
        const answer = await sendRaw(sandbox, {
          method: "POST",
          path: stocksPath,
          headers,
          body: text,
        });
        expectRefused(answer, 400, "INVALID_REQUEST", "Content-Type");
        expect(sandbox.store.stocks.size).toBe(0);
      },
    );
  }

  attack("rule bypass", "the upload sent as JSON is 400 INVALID_REQUEST", async () => {
    const meta = JSON.stringify({ filename: "logo.png", sha256: "0".repeat(64) });
    const answer = await sendSigned(
      sandbox,
      "POST",
      "/v3/marketing/favor/media/image-upload",
      meta,
    );
    expectRefused(answer, 400, "INVALID_REQUEST", "Content-Type");
  });

  attack("rule bypass", "application/json with a charset is JSON", async () => {
    const text = body().replace("1900000001", sandbox.mchid);
    const headers = await signedHeaders(sandbox, {
      method: "POST",
      path: stocksPath,
      body: text,
    });
    headers["Content-Type"] = "Application/JSON; charset=utf-8";
    const answer = await sendRaw(sandbox, {
      method: "POST",
      path: stocksPath,
      headers,
      body: text,
    });
    expect(answer.status, answer.text).toBe(200);
  });
});
