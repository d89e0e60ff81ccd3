import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as couponDelivery from "./coupon-delivery.js";
import * as fetchEntry from "./fetch.js";
import * as main from "./index.js";
import * as media from "./media.js";
import * as middleware from "./middleware.js";
import * as sensitive from "./sensitive.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
  imports: Record<string, Record<string, string>>;
};

describe("entry points", () => {
  it("package.json maps every sub-entry to its built module, types first", () => {
    for (const name of [
      "middleware",
      "fetch",
      "media",
      "sensitive",
      "server",
      "certificates",
      "coupon-delivery",
    ]) {
      const entry = pkg.exports[`./${name}`];
      expect(entry).toEqual({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
      expect(Object.keys(entry as object)[0]).toBe("types");
    }
  });

  it("#platform is the web build for browsers and unknown runtimes, the node build under node", () => {
    expect(pkg.imports["#platform"]).toEqual({
      types: "./dist/platform.node.d.ts",
      browser: "./dist/platform.web.js",
      node: "./dist/platform.node.js",
      default: "./dist/platform.web.js",
    });
    // Conditions match in key order: browser must come before node (Deno and Bun match node).
    expect(Object.keys(pkg.imports["#platform"] as object)).toEqual([
      "types",
      "browser",
      "node",
      "default",
    ]);
  });

  it("each sub-entry exports its functions; the main entry keeps the rest", () => {
    expect(Object.keys(middleware).sort()).toEqual([
      "TransportError",
      "createSignerMiddleware",
      "signRequest",
    ]);
    expect(Object.keys(fetchEntry).sort()).toEqual([
      "ApiError",
      "TransportError",
      "createSignedFetch",
      "verifyResponse",
    ]);
    expect(Object.keys(media).sort()).toEqual(["IMAGE_UPLOAD_PATH", "buildImageUpload"]);
    expect(Object.keys(sensitive).sort()).toEqual([
      "decryptSensitiveField",
      "encryptSensitiveField",
    ]);
    expect(Object.keys(couponDelivery).sort()).toEqual([
      "CouponDeliveryError",
      "H5_COUPON_FRAGMENT",
      "MAX_COUPONS_PER_CALL",
      "SEND_COUPON_CODES",
      "SEND_COUPON_ERRCODES",
      "buildH5CouponUrl",
      "buildSendCouponPayload",
      "parseSendCouponResult",
      "signApiV2",
    ]);
    expect(Object.keys(main).sort()).toEqual([
      "BodyTooLargeError",
      "ConfigError",
      "DecryptionError",
      "SignatureVerificationError",
      "VERSION",
      "WechatpayError",
      "buildAuthorization",
      "buildSignMessage",
      "createMerchantCredentials",
      "decryptResource",
      "generateNonce",
      "parseNotification",
    ]);
  });
});
