import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * WeChat Pay's side of the APIv2 HMAC-SHA256 rule, written apart from the signer's on purpose
 * (node:crypto, not WebCrypto), so that the signer's output is checked against something that
 * is not itself: non-empty parameters sorted by name, `name=value&…&key=<APIv2 key>`,
 * HMAC-SHA256 with the key, upper-case hex. Compared in constant time.
 */
export function apiV2SignMatches(
  params: Readonly<Record<string, string | undefined>>,
  sign: unknown,
  apiV2Key: string,
): boolean {
  if (typeof sign !== "string" || !/^[0-9A-F]{64}$/.test(sign)) return false;
  const text = Object.keys(params)
    .filter((name) => params[name])
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .concat(`key=${apiV2Key}`)
    .join("&");
  const expected = createHmac("sha256", apiV2Key).update(text, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(sign, "hex"));
}
