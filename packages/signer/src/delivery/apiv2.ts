/**
 * The APIv2 signature rule (签名算法, HMAC-SHA256 variant) that the send-coupon plug-in and
 * H5发券 use instead of APIv3's RSA: sort the non-empty parameters by name in ASCII order, join
 * them as `name=value&…` with raw (not URL-encoded) UTF-8 values, append `&key=<APIv2 key>`,
 * and HMAC-SHA256 the whole string with the APIv2 key; the sign is the upper-case hex digest.
 */
import { hex, toBytes } from "../encoding.js";
import { CouponDeliveryError } from "./errors.js";

/** Parameters to sign; `undefined` and `""` are left out, as the rule says. */
export type ApiV2Params = Readonly<Record<string, string | undefined>>;

// The merchant platform's APIv2 key: 32 characters. Printable ASCII, since the published
// examples use letters, digits and `_`; a space or a line break is a copy-paste accident.
const API_V2_KEY = /^[\x21-\x7e]{32}$/;
const PARAM_NAME = /^[A-Za-z0-9_]+$/;

/** Throws CouponDeliveryError("apiV2Key") unless the key has the APIv2 key's form. */
export function checkApiV2Key(apiV2Key: unknown): asserts apiV2Key is string {
  if (typeof apiV2Key !== "string") {
    throw new CouponDeliveryError("apiV2Key", "type", "must be the APIv2 key string");
  }
  if (!API_V2_KEY.test(apiV2Key)) {
    throw new CouponDeliveryError(
      "apiV2Key",
      apiV2Key.length === 32 ? "charset" : "length",
      "must be the 32-character APIv2 key (API密钥) of send_coupon_merchant, printable ASCII; not the APIv3 key",
    );
  }
}

/**
 * `name=value&…&key=<APIv2 key>`: what the HMAC covers. It contains the key: never log it.
 * Exported for the tests and the sandbox's diagnostics, not from the package entry.
 */
export function buildApiV2StringToSign(params: ApiV2Params, apiV2Key: string): string {
  const pairs: string[] = [];
  // Default sort compares UTF-16 code units: ASCII order for the ASCII names checked below.
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (name === "sign" || value === undefined || value === "") continue;
    if (!PARAM_NAME.test(name)) {
      throw new CouponDeliveryError(
        name,
        "charset",
        "parameter names are ASCII letters, digits and _",
      );
    }
    if (typeof value !== "string") {
      throw new CouponDeliveryError(name, "type", "must be a string");
    }
    pairs.push(`${name}=${value}`);
  }
  pairs.push(`key=${apiV2Key}`);
  return pairs.join("&");
}

/**
 * Signs parameters by the APIv2 HMAC-SHA256 rule with WebCrypto: 64 upper-case hex characters.
 * `sign`, `undefined` and empty values are not signed.
 */
export async function signApiV2(params: ApiV2Params, apiV2Key: string): Promise<string> {
  checkApiV2Key(apiV2Key);
  const key = await crypto.subtle.importKey(
    "raw",
    toBytes(apiV2Key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    toBytes(buildApiV2StringToSign(params, apiV2Key)),
  );
  return hex(mac).toUpperCase();
}
