import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as fetchEntry from "./fetch.js";
import * as main from "./index.js";
import * as media from "./media.js";
import * as sensitive from "./sensitive.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
};

describe("entry points", () => {
  it("package.json maps every sub-entry to its built module, types first", () => {
    for (const name of ["fetch", "media", "sensitive", "server", "certificates"]) {
      const entry = pkg.exports[`./${name}`];
      expect(entry).toEqual({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
      expect(Object.keys(entry as object)[0]).toBe("types");
    }
  });

  it("each sub-entry exports its functions; the main entry keeps the rest", () => {
    expect(Object.keys(fetchEntry)).toEqual(["createSignedFetch"]);
    expect(Object.keys(media).sort()).toEqual(["IMAGE_UPLOAD_PATH", "buildImageUpload"]);
    expect(Object.keys(sensitive).sort()).toEqual([
      "decryptSensitiveField",
      "encryptSensitiveField",
    ]);
    expect(Object.keys(main).sort()).toEqual([
      "ApiError",
      "ConfigError",
      "DecryptionError",
      "SignatureVerificationError",
      "VERSION",
      "WechatpayError",
      "buildAuthorization",
      "buildSignMessage",
      "createMerchantCredentials",
      "createSignerMiddleware",
      "decryptResource",
      "generateNonce",
      "parseNotification",
      "signRequest",
      "verifyResponse",
      "verifySignature",
    ]);
  });
});
