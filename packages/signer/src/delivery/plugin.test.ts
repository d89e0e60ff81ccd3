import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WechatpayError } from "../errors.js";
import { CouponDeliveryError } from "./errors.js";
import { buildSendCouponPayload, type SendCouponInput } from "./plugin.js";

const KEY = "Z7kQ2mX9pL4vR8tW1nB6cY3hF5jD0sGa";
const MERCHANT = "10016226";
const one = (coupon: Record<string, unknown>): SendCouponInput =>
  ({ send_coupon_merchant: MERCHANT, send_coupon_params: [coupon] }) as never;
const coupon = { stock_id: "1212000000000001", out_request_no: "10016226202405010001" };

async function refusal(input: unknown, key = KEY): Promise<CouponDeliveryError> {
  const error = await buildSendCouponPayload(input as SendCouponInput, key).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CouponDeliveryError);
  return error as CouponDeliveryError;
}

describe("buildSendCouponPayload: validation before signing", () => {
  it.each([
    ["no merchant", { send_coupon_params: [coupon] }, "send_coupon_merchant", "missing"],
    [
      "a 7-digit merchant",
      { ...one(coupon), send_coupon_merchant: "1001622" },
      "send_coupon_merchant",
      "length",
    ],
    [
      "a 16-digit merchant",
      { ...one(coupon), send_coupon_merchant: "1".repeat(16) },
      "send_coupon_merchant",
      "length",
    ],
    [
      "a merchant with letters",
      { ...one(coupon), send_coupon_merchant: "1001622a" },
      "send_coupon_merchant",
      "charset",
    ],
    [
      "a numeric merchant",
      { ...one(coupon), send_coupon_merchant: 10016226 },
      "send_coupon_merchant",
      "type",
    ],
    [
      "no coupons",
      { send_coupon_merchant: MERCHANT, send_coupon_params: [] },
      "send_coupon_params",
      "count",
    ],
    [
      "11 coupons",
      {
        send_coupon_merchant: MERCHANT,
        send_coupon_params: Array.from({ length: 11 }, (_, i) => ({
          stock_id: "1",
          out_request_no: `n${i}`,
        })),
      },
      "send_coupon_params",
      "count",
    ],
    [
      "coupons not in an array",
      { send_coupon_merchant: MERCHANT, send_coupon_params: coupon },
      "send_coupon_params",
      "type",
    ],
    [
      "a coupon that is not an object",
      { send_coupon_merchant: MERCHANT, send_coupon_params: ["x"] },
      "send_coupon_params[0]",
      "type",
    ],
    ["no stock_id", one({ out_request_no: "a" }), "send_coupon_params[0].stock_id", "missing"],
    [
      "a 21-character stock_id",
      one({ ...coupon, stock_id: "1".repeat(21) }),
      "send_coupon_params[0].stock_id",
      "length",
    ],
    [
      "a stock_id with a dash",
      one({ ...coupon, stock_id: "12-3" }),
      "send_coupon_params[0].stock_id",
      "charset",
    ],
    [
      "an empty out_request_no",
      one({ ...coupon, out_request_no: "" }),
      "send_coupon_params[0].out_request_no",
      "missing",
    ],
    [
      "a 129-character out_request_no",
      one({ ...coupon, out_request_no: "a".repeat(129) }),
      "send_coupon_params[0].out_request_no",
      "length",
    ],
    [
      "an out_request_no with a dot",
      one({ ...coupon, out_request_no: "a.b" }),
      "send_coupon_params[0].out_request_no",
      "charset",
    ],
    [
      "a coupon_code with a space",
      one({ ...coupon, coupon_code: "A B" }),
      "send_coupon_params[0].coupon_code",
      "charset",
    ],
    [
      "a 129-character coupon_code",
      one({ ...coupon, coupon_code: "C".repeat(129) }),
      "send_coupon_params[0].coupon_code",
      "length",
    ],
    [
      "a creator merchant with letters",
      one({ ...coupon, create_coupon_merchant: "19x" }),
      "send_coupon_params[0].create_coupon_merchant",
      "charset",
    ],
    [
      "a date without time",
      one({ ...coupon, customize_send_time: "2024-05-01" }),
      "send_coupon_params[0].customize_send_time",
      "format",
    ],
    [
      "a time without offset",
      one({ ...coupon, customize_send_time: "2024-05-01T10:00:00" }),
      "send_coupon_params[0].customize_send_time",
      "format",
    ],
    [
      "31 February",
      one({ ...coupon, customize_send_time: "2024-02-31T10:00:00+08:00" }),
      "send_coupon_params[0].customize_send_time",
      "format",
    ],
    [
      "hour 24",
      one({ ...coupon, customize_send_time: "2024-05-01T24:00:00+08:00" }),
      "send_coupon_params[0].customize_send_time",
      "format",
    ],
    [
      "a 33-character time",
      one({ ...coupon, customize_send_time: "2024-05-01T10:00:00.1234567+08:00" }),
      "send_coupon_params[0].customize_send_time",
      "format",
    ],
    [
      "an unknown coupon field",
      one({ ...coupon, openid: "o1" }),
      "send_coupon_params[0].openid",
      "unknown-field",
    ],
    [
      "sign_type added by a generic V2 helper",
      { ...one(coupon), sign_type: "HMAC-SHA256" },
      "sign_type",
      "unknown-field",
    ],
    [
      "coupon_code on a cash coupon",
      one({ ...coupon, create_coupon_merchant: "1900000109", coupon_code: "C1" }),
      "send_coupon_params[0].coupon_code",
      "conflict",
    ],
    [
      "customize_send_time on a cash coupon",
      one({
        ...coupon,
        create_coupon_merchant: "1900000109",
        customize_send_time: "2024-05-01T10:00:00+08:00",
      }),
      "send_coupon_params[0].customize_send_time",
      "conflict",
    ],
    [
      "the same stock and 发券凭证 twice",
      { send_coupon_merchant: MERCHANT, send_coupon_params: [coupon, { ...coupon }] },
      "send_coupon_params[1].out_request_no",
      "duplicate",
    ],
  ])("refuses %s, naming the field", async (_what, input, field, reason) => {
    const error = await refusal(input);
    expect(error).toBeInstanceOf(WechatpayError);
    expect(error).toMatchObject({ code: "COUPON_DELIVERY_INVALID", field, reason });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it("accepts RFC 3339 times with Z, fractions and leap days, and the plug-in's extra 发券凭证 characters", async () => {
    for (const time of [
      "2024-02-29T23:59:59Z",
      "2024-05-01T10:00:00.5-03:30",
      "2016-12-31T23:59:60Z",
    ]) {
      await expect(
        buildSendCouponPayload(one({ ...coupon, customize_send_time: time }), KEY),
      ).resolves.toBeDefined();
    }
    const payload = await buildSendCouponPayload(
      one({ ...coupon, out_request_no: "a|b_c*d-e" }),
      KEY,
    );
    expect(payload.send_coupon_params[0]?.out_request_no).toBe("a|b_c*d-e");
  });

  it("refuses a key that is not a 32-character APIv2 key, and never says the key", async () => {
    const cases: [unknown, string][] = [
      [null, "type"],
      ["short-key", "length"],
      [`${KEY}x`, "length"],
      [`${KEY.slice(0, 31)} `, "charset"],
      [`${KEY.slice(0, 31)}键`, "charset"],
    ];
    for (const [key, reason] of cases) {
      const error = await refusal(one(coupon), key as string);
      expect(error).toMatchObject({ field: "apiV2Key", reason });
      const seen = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      if (typeof key === "string") expect(seen).not.toContain(key);
    }
  });

  it("never puts a field's value in the error", async () => {
    const secretish = "a.b.SECRET-LOOKING-VALUE";
    const error = await refusal(one({ ...coupon, out_request_no: secretish }));
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secretish);
  });

  it("leaves empty optional fields out of the payload and the sign, keeping the caller's key order", async () => {
    const payload = await buildSendCouponPayload(
      one({ out_request_no: coupon.out_request_no, coupon_code: "", stock_id: coupon.stock_id }),
      KEY,
    );
    expect(JSON.stringify(payload.send_coupon_params)).toBe(
      `[{"out_request_no":"${coupon.out_request_no}","stock_id":"${coupon.stock_id}"}]`,
    );
    expect(payload.sign).toBe((await buildSendCouponPayload(one(coupon), KEY)).sign);
    expect(Object.keys(payload)).toEqual(["send_coupon_params", "sign", "send_coupon_merchant"]);
  });
});

// ---- properties ----

type Loose = { send_coupon_merchant: string; send_coupon_params: Record<string, string>[] };

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const chars = (set: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
const time = fc
  .date({
    min: new Date("2000-01-01T00:00:00Z"),
    max: new Date("2099-12-31T23:59:59Z"),
    noInvalidDate: true,
  })
  .map((d) => `${d.toISOString().slice(0, 19)}+08:00`);
const busifavor = fc.record(
  {
    stock_id: chars("0123456789", 1, 20),
    out_request_no: chars(`${alnum}|_*-`, 1, 40),
    coupon_code: chars(alnum, 1, 30),
    customize_send_time: time,
  },
  { requiredKeys: ["stock_id", "out_request_no"] },
);
const favor = fc.record({
  stock_id: chars("0123456789", 1, 20),
  out_request_no: chars(alnum, 1, 40),
  create_coupon_merchant: chars("0123456789", 8, 15),
});
const input = fc
  .record({
    send_coupon_merchant: chars("0123456789", 8, 15),
    send_coupon_params: fc.uniqueArray(fc.oneof(busifavor, favor), {
      minLength: 1,
      maxLength: 10,
      selector: (c) => `${c.stock_id}\n${c.out_request_no}`,
    }),
  })
  .map((i) => i as SendCouponInput);
const apiV2Key = chars(`${alnum}_`, 32, 32);

/** An independent reading of the rule (node:crypto), to check the WebCrypto one against. */
function referenceSign(i: SendCouponInput, key: string): string {
  const params: [string, string][] = [["send_coupon_merchant", i.send_coupon_merchant]];
  i.send_coupon_params.forEach((c, n) => {
    for (const [k, v] of Object.entries(c)) if (v) params.push([`${k}${n}`, v]);
  });
  params.sort(([a], [b]) => (a < b ? -1 : 1));
  const text = `${params.map(([k, v]) => `${k}=${v}`).join("&")}&key=${key}`;
  return createHmac("sha256", key).update(text, "utf8").digest("hex").toUpperCase();
}

/** Every signed field of the input, as [path, value]. */
function signedFields(i: SendCouponInput): [number | "merchant", string][] {
  return [
    ["merchant", "send_coupon_merchant"],
    ...i.send_coupon_params.flatMap((c, n) =>
      Object.keys(c).map((k) => [n, k] as [number, string]),
    ),
  ];
}

/** A different valid value for a field of the same kind. */
function changed(value: string, field: string, salt: number): string {
  const pool =
    field === "send_coupon_merchant" || field === "stock_id" || field === "create_coupon_merchant"
      ? "0123456789"
      : alnum;
  const at = salt % value.length;
  const current = pool.indexOf(value[at] as string);
  const next = pool[(current + 1 + (salt % (pool.length - 1))) % pool.length] as string;
  if (field === "customize_send_time") {
    // Another second of the same time keeps it RFC 3339.
    const s = Number(value.slice(17, 19));
    return `${value.slice(0, 17)}${String((s + 1) % 60).padStart(2, "0")}${value.slice(19)}`;
  }
  return `${value.slice(0, at)}${next}${value.slice(at + 1)}`;
}

describe("buildSendCouponPayload: properties (fast-check)", () => {
  it("signs as an independent implementation of the rule does, and echoes the coupons unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(input, apiV2Key, async (i, key) => {
        const payload = await buildSendCouponPayload(i, key);
        expect(payload.sign).toBe(referenceSign(i, key));
        expect(payload.sign).toMatch(/^[0-9A-F]{64}$/);
        expect(payload.send_coupon_params).toEqual(i.send_coupon_params);
        expect(payload.send_coupon_merchant).toBe(i.send_coupon_merchant);
      }),
      { numRuns: 1000 },
    );
  });

  it("any change to a signed field changes the sign", async () => {
    await fc.assert(
      fc.asyncProperty(input, apiV2Key, fc.nat(), fc.nat(), async (i, key, pick, salt) => {
        const fields = signedFields(i);
        const [where, field] = fields[pick % fields.length] as [number | "merchant", string];
        const copy = structuredClone(i) as unknown as Loose;
        if (where === "merchant")
          copy.send_coupon_merchant = changed(i.send_coupon_merchant, field, salt);
        else {
          const c = copy.send_coupon_params[where] as Record<string, string>;
          c[field] = changed(c[field] as string, field, salt);
        }
        const before = (await buildSendCouponPayload(i, key)).sign;
        // A change can make two coupons collide (refused as duplicate): then nothing is signed.
        const after = await buildSendCouponPayload(copy as unknown as SendCouponInput, key).then(
          (p) => p.sign,
          (e: CouponDeliveryError) => e.reason,
        );
        expect(after).not.toBe(before);
      }),
      { numRuns: 1000 },
    );
  });

  it("any change to the key, the order of coupons, or an optional field present changes the sign", async () => {
    await fc.assert(
      fc.asyncProperty(input, apiV2Key, fc.nat(), async (i, key, salt) => {
        const before = (await buildSendCouponPayload(i, key)).sign;
        const otherKey = changed(key, "key", salt);
        expect((await buildSendCouponPayload(i, otherKey)).sign).not.toBe(before);
        if (i.send_coupon_params.length > 1) {
          const reversed = { ...i, send_coupon_params: [...i.send_coupon_params].reverse() };
          expect((await buildSendCouponPayload(reversed, key)).sign).not.toBe(before);
        }
        const dropped = i.send_coupon_params.map((c) => {
          const {
            coupon_code: _c,
            customize_send_time: _t,
            ...rest
          } = c as unknown as Record<string, string>;
          return rest;
        });
        const hadOptional = i.send_coupon_params.some(
          (c) => "coupon_code" in c || "customize_send_time" in c,
        );
        const without = await buildSendCouponPayload(
          { ...i, send_coupon_params: dropped } as never,
          key,
        );
        expect(without.sign === before).toBe(!hadOptional);
      }),
      { numRuns: 1000 },
    );
  });
});
