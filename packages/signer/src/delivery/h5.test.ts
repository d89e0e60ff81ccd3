import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CouponDeliveryError } from "./errors.js";
import { buildH5CouponUrl, H5_COUPON_FRAGMENT, type H5CouponInput } from "./h5.js";

const KEY = "Z7kQ2mX9pL4vR8tW1nB6cY3hF5jD0sGa";
const input: H5CouponInput = {
  stock_id: "1212000000000001",
  out_request_no: "10016226202405010101",
  send_coupon_merchant: "10016226",
  open_id: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
};

async function refusal(value: unknown, options = {}): Promise<CouponDeliveryError> {
  const error = await buildH5CouponUrl(value as H5CouponInput, KEY, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CouponDeliveryError);
  return error as CouponDeliveryError;
}

describe("buildH5CouponUrl", () => {
  it("defaults to action.weixin.qq.com and the current official fragment; both are configurable", async () => {
    const url = new URL(await buildH5CouponUrl(input, KEY));
    expect(url.origin + url.pathname).toBe("https://action.weixin.qq.com/busifavor/getcouponinfo");
    expect(url.hash).toBe(H5_COUPON_FRAGMENT);
    expect(H5_COUPON_FRAGMENT).toBe("#wechat_pay&wechat_redirect");
    const older = await buildH5CouponUrl(input, KEY, {
      fragment: "#wechat_redirect",
      baseUrl: "http://127.0.0.1:8787/sandbox-action/",
    });
    expect(older.startsWith("http://127.0.0.1:8787/sandbox-action/busifavor/getcouponinfo?")).toBe(
      true,
    );
    expect(older.endsWith("#wechat_redirect")).toBe(true);
    // The fragment is not signed: the query is the same either way.
    expect(new URL(older).search).toBe(url.search);
  });

  it("percent-encodes values in the URL and signs them raw", async () => {
    const odd = { ...input, open_id: "oK7fFt8zzEZ909XH-LE2#", coupon_code: "A&B=C%" };
    const url = new URL(await buildH5CouponUrl(odd, KEY));
    expect(url.searchParams.get("open_id")).toBe(odd.open_id);
    expect(url.searchParams.get("coupon_code")).toBe(odd.coupon_code);
    const text = `coupon_code=${odd.coupon_code}&open_id=${odd.open_id}&out_request_no=${odd.out_request_no}&send_coupon_merchant=${odd.send_coupon_merchant}&stock_id=${odd.stock_id}&key=${KEY}`;
    expect(url.searchParams.get("sign")).toBe(
      createHmac("sha256", KEY).update(text).digest("hex").toUpperCase(),
    );
  });

  it("sends and signs customize_send_time without an index (experimental)", async () => {
    const url = new URL(
      await buildH5CouponUrl({ ...input, customize_send_time: "2024-05-01T10:00:00+08:00" }, KEY),
    );
    expect(url.searchParams.get("customize_send_time")).toBe("2024-05-01T10:00:00+08:00");
    expect(url.searchParams.get("sign")).not.toBe(
      new URL(await buildH5CouponUrl(input, KEY)).searchParams.get("sign"),
    );
  });

  it.each([
    [
      "openid for open_id",
      { ...input, open_id: undefined, openid: "o1" },
      "openid",
      "unknown-field",
    ],
    ["no open_id", { ...input, open_id: "" }, "open_id", "missing"],
    [
      "an out_request_no with _ (letters and digits only here)",
      { ...input, out_request_no: "a_b" },
      "out_request_no",
      "charset",
    ],
    ["a 21-character stock_id", { ...input, stock_id: "1".repeat(21) }, "stock_id", "length"],
    [
      "a short merchant",
      { ...input, send_coupon_merchant: "1234567" },
      "send_coupon_merchant",
      "length",
    ],
    ["an open_id with a space", { ...input, open_id: "o 1" }, "open_id", "charset"],
    [
      "a bad customize_send_time",
      { ...input, customize_send_time: "yesterday" },
      "customize_send_time",
      "format",
    ],
    ["a sign passed in", { ...input, sign: "X" }, "sign", "unknown-field"],
  ])("refuses %s, naming the field", async (_what, value, field, reason) => {
    expect(await refusal(value)).toMatchObject({ field, reason });
  });

  it("refuses a fragment without wechat_redirect and a base URL that is not http(s)", async () => {
    expect(await refusal(input, { fragment: "#wechat_pay" })).toMatchObject({
      field: "options.fragment",
    });
    expect(await refusal(input, { fragment: "wechat_redirect" })).toMatchObject({
      field: "options.fragment",
    });
    for (const baseUrl of ["ftp://x", "not a url", "https://x/?a=1"]) {
      expect(await refusal(input, { baseUrl })).toMatchObject({ field: "options.baseUrl" });
    }
  });

  it("property: the URL carries every value raw after decoding, and any change to a field or the key changes the sign", async () => {
    const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const chars = (set: string, min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 40,
    });
    const h5 = fc.record(
      {
        stock_id: chars("0123456789", 1, 20),
        out_request_no: chars(alnum, 1, 60),
        send_coupon_merchant: chars("0123456789", 8, 15),
        open_id: printable,
        coupon_code: printable,
      },
      { requiredKeys: ["stock_id", "out_request_no", "send_coupon_merchant", "open_id"] },
    );
    const key = chars(alnum, 32, 32);
    await fc.assert(
      fc.asyncProperty(h5, key, fc.nat(), async (value, k, pick) => {
        const url = new URL(await buildH5CouponUrl(value, k));
        const sign = url.searchParams.get("sign");
        for (const [name, v] of Object.entries(value)) expect(url.searchParams.get(name)).toBe(v);
        const names = Object.keys(value) as (keyof typeof value)[];
        const name = names[pick % names.length] as keyof typeof value;
        const original = value[name] as string;
        // Appending a digit keeps every rule (lengths allow it, or the property skips that field).
        const longer = `${original}7`;
        const max = { stock_id: 20, send_coupon_merchant: 15 }[name as string] ?? 128;
        if (longer.length <= max) {
          const other = new URL(await buildH5CouponUrl({ ...value, [name]: longer }, k));
          expect(other.searchParams.get("sign")).not.toBe(sign);
        }
        const otherKey = `${k.slice(1)}${k[0] === "A" ? "B" : "A"}`;
        if (otherKey !== k) {
          const other = new URL(await buildH5CouponUrl(value, otherKey));
          expect(other.searchParams.get("sign")).not.toBe(sign);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
