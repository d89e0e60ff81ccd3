import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { MERCHANT_SERIAL, makeCertificate, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import { parsePlatformCertificate } from "./certificates.js";
import { ApiError, createSignedFetch } from "./fetch.js";
import {
  ConfigError,
  createMerchantCredentials,
  DecryptionError,
  parseNotification,
  SignatureVerificationError,
  type SignerOptions,
  WechatpayError,
} from "./index.js";
import { createSignerMiddleware } from "./middleware.js";
import { VERSION } from "./version.js";

const merchant = testKeyPair("merchant");
const platform = testKeyPair("platform");
const valid: SignerOptions = {
  mchid: "1900000001",
  serialNo: MERCHANT_SERIAL,
  privateKey: merchant.pkcs8Pem,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
};

function configError(options: unknown): ConfigError {
  try {
    createMerchantCredentials(options as SignerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("createMerchantCredentials: bad input fails synchronously with ConfigError", () => {
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecSec1 = ec.privateKey.export({ type: "sec1", format: "pem" }) as string;
  const ecPkcs8 = ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const cert = makeCertificate(platform, { serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1" });
  const cases: [string, Partial<SignerOptions> & Record<string, unknown>, string][] = [
    ["empty mchid", { mchid: "" }, "mchid"],
    ["non-numeric mchid", { mchid: "19000a0001" }, "mchid"],
    ["malformed serial", { serialNo: "XYZ" }, "serialNo"],
    ["too long serial", { serialNo: "A".repeat(41) }, "serialNo"],
    [
      "malformed PEM",
      { privateKey: "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----" },
      "privateKey",
    ],
    ["not a PEM at all", { privateKey: "hello" }, "privateKey"],
    ["EC private key (SEC1)", { privateKey: ecSec1 }, "privateKey"],
    ["EC private key (PKCS#8)", { privateKey: ecPkcs8 }, "privateKey"],
    ["public key as private key", { privateKey: merchant.spkiPem }, "privateKey"],
    ["certificate as private key", { privateKey: cert }, "privateKey"],
    ["public CryptoKey-like as private key", { privateKey: 5 as unknown as string }, "privateKey"],
    [
      "wechatpayPublicKey.id without PUB_KEY_ID_",
      { wechatpayPublicKey: { id: "ABC", key: platform.spkiPem } },
      "wechatpayPublicKey.id",
    ],
    [
      "private key as wechatpayPublicKey",
      { wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.pkcs8Pem } },
      "wechatpayPublicKey.key",
    ],
    ["no verification key", { wechatpayPublicKey: undefined }, "wechatpayPublicKey"],
    [
      "platformCertificates not PEM",
      { wechatpayPublicKey: undefined, platformCertificates: ["nope"] },
      "platformCertificates",
    ],
    ["maxSkewSeconds 0", { maxSkewSeconds: 0 }, "maxSkewSeconds"],
    ["maxSkewSeconds negative", { maxSkewSeconds: -5 }, "maxSkewSeconds"],
    ["maxSkewSeconds Infinity", { maxSkewSeconds: Number.POSITIVE_INFINITY }, "maxSkewSeconds"],
    ["maxSkewSeconds NaN", { maxSkewSeconds: Number.NaN }, "maxSkewSeconds"],
  ];
  for (const [what, change, option] of cases) {
    it(`${what} → option ${option}`, () => {
      const error = configError({ ...valid, ...change });
      expect(error.option).toBe(option);
      expect(error.message).toContain(option);
      expect(error.code).toBe("CONFIG_INVALID");
    });
  }

  it("rejects an APIv3 key that is not 32 bytes (parseNotification)", async () => {
    await expect(
      parseNotification(
        { headers: {}, body: "{}" },
        { apiV3Key: "short", wechatpayPublicKey: valid.wechatpayPublicKey },
      ),
    ).rejects.toMatchObject({ name: "ConfigError", option: "apiV3Key" });
  });

  it("rejects a CryptoKey with the wrong type or algorithm", async () => {
    const verifyKey = await crypto.subtle.importKey(
      "spki",
      platform.publicKey.export({ type: "spki", format: "der" }),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      true,
      ["verify"],
    );
    expect(configError({ ...valid, privateKey: verifyKey }).option).toBe("privateKey");
  });

  it("accepts PKCS#1 PEMs, 40-hex serials and the 16-hex test serial", () => {
    expect(() =>
      createMerchantCredentials({ ...valid, privateKey: merchant.pkcs1Pem }),
    ).not.toThrow();
    expect(() =>
      createMerchantCredentials({ ...valid, serialNo: "F5765756002FDD77" }),
    ).not.toThrow();
  });

  it("imports a PEM once, whichever credentials use it; credentials pass as they are", async () => {
    const fresh = testKeyPair("imported-once");
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    try {
      const options = { ...valid, wechatpayPublicKey: { id: PUB_KEY_ID, key: fresh.spkiPem } };
      await createMerchantCredentials(options).ready();
      await createMerchantCredentials({ ...options }).ready();
      expect(importKey.mock.calls.filter(([format]) => format === "spki")).toHaveLength(1);
    } finally {
      importKey.mockRestore();
    }
    const credentials = createMerchantCredentials(valid);
    expect(createMerchantCredentials(credentials)).toBe(credentials);
  });

  it("names the package and version in the default User-Agent", () => {
    expect(createMerchantCredentials({ ...valid }).userAgent).toBe(
      `@wechatpay-marketing/signer/${VERSION} (Node.js/${process.versions.node})`,
    );
  });
});

describe("platform certificates (./certificates entry, node:crypto X509Certificate)", () => {
  const serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

  it("reads the serial in upper-case hex as WeChat Pay prints it", async () => {
    const pem = makeCertificate(platform, { serial: serial.toLowerCase() });
    expect(new X509Certificate(pem).serialNumber.toUpperCase()).toBe(serial);
    const parsed = await parsePlatformCertificate(pem);
    expect(parsed.serial).toBe(serial);
  });

  it("rejects expired and not-yet-valid certificates with ConfigError", async () => {
    const day = 86_400_000;
    const expired = makeCertificate(platform, {
      serial,
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    const future = makeCertificate(platform, {
      serial,
      notBefore: new Date(Date.now() + day),
      notAfter: new Date(Date.now() + 10 * day),
    });
    for (const pem of [expired, future]) {
      const credentials = createMerchantCredentials({
        ...valid,
        wechatpayPublicKey: undefined,
        platformCertificates: [pem],
      });
      await expect(credentials.ready()).rejects.toMatchObject({
        name: "ConfigError",
        option: "platformCertificates[0]",
      });
    }
  });

  it("names the newest certificate in Wechatpay-Serial when no public key is set", async () => {
    const older = makeCertificate(platform, { serial: "0A1B2C3D" });
    const newer = makeCertificate(platform, {
      serial,
      notAfter: new Date(Date.now() + 800 * 86_400_000),
    });
    const credentials = createMerchantCredentials({
      ...valid,
      wechatpayPublicKey: undefined,
      platformCertificates: [older, newer],
    });
    await credentials.ready();
    const keys = await credentials.trustedKeys();
    expect(keys.preferredSerial(Date.now())).toBe(serial);
    expect(keys.resolve("0a1b2c3d", Date.now())).toBeDefined();
  });
});

describe("secrets never leak into errors", () => {
  const apiV3Key = "SECRETsecretSECRETsecretSECRET12";
  const privateBody = merchant.pkcs8Pem.split("\n")[5] as string;

  function render(error: unknown): string {
    const e = error as Error;
    return [
      e.message,
      String(e),
      JSON.stringify(e),
      inspect(e, { depth: 10, showHidden: true }),
      e.stack,
    ].join("\n");
  }

  it("keeps the private key, APIv3 key and our signature out of every error rendering", async () => {
    const errors: unknown[] = [];
    const capture = async (f: () => unknown) => {
      try {
        await f();
      } catch (error) {
        errors.push(error);
      }
    };
    // Structurally an RSA PKCS#8 header, but truncated: fails only when imported.
    const lines = merchant.pkcs8Pem.trim().split("\n");
    const brokenKey = [...lines.slice(0, 8), lines.at(-1)].join("\n");
    await capture(() => createMerchantCredentials({ ...valid, privateKey: merchant.spkiPem }));
    await capture(() => createMerchantCredentials({ ...valid, mchid: apiV3Key }));
    await capture(() => createMerchantCredentials({ ...valid, privateKey: brokenKey }).ready());
    await capture(() =>
      parseNotification(
        { headers: {}, body: "{}" },
        { apiV3Key: `${apiV3Key}x`, wechatpayPublicKey: valid.wechatpayPublicKey },
      ),
    );
    await capture(() =>
      parseNotification(
        { headers: {}, body: "{}" },
        { apiV3Key, wechatpayPublicKey: valid.wechatpayPublicKey },
      ),
    );
    // A server that rejects our signature: the ApiError must not echo the signature we sent.
    let sentSignature = "";
    const signedFetch = createSignedFetch({
      ...valid,
      fetch: async (_input: RequestInfo | URL, init?: RequestInit) => {
        const auth = new Headers(init?.headers).get("Authorization") ?? "";
        sentSignature = /signature="([^"]+)"/.exec(auth)?.[1] ?? "";
        return Response.json(
          {
            code: "SIGN_ERROR",
            message: "签名错误",
            detail: {
              sign_information: {
                method: "GET",
                url: "/v3/x",
                sign_message_length: 10,
                truncated_sign_message: "GET\n/v3/x\n",
              },
            },
          },
          { status: 401, headers: { "Request-ID": "req-1" } },
        );
      },
    });
    await capture(() => signedFetch("https://api.mch.weixin.qq.com/v3/x"));
    expect(errors).toHaveLength(6);
    expect(sentSignature.length).toBeGreaterThan(100);
    for (const error of errors) {
      expect(error).toBeInstanceOf(WechatpayError);
      const text = render(error);
      expect(text).not.toContain(privateBody);
      expect(text).not.toContain(apiV3Key);
      expect(text).not.toContain(sentSignature);
      expect(text).not.toContain("MII");
    }
    expect(errors.at(-1)).toBeInstanceOf(ApiError);
  });

  it("error classes have stable names and codes", () => {
    expect(new SignatureVerificationError("bad-signature", "Wechatpay-Signature")).toMatchObject({
      name: "SignatureVerificationError",
      code: "SIGNATURE_INVALID",
      reason: "bad-signature",
      message: "Wechatpay-Signature: bad-signature",
    });
    expect(new DecryptionError("authentication-failed", "resource")).toMatchObject({
      name: "DecryptionError",
      code: "DECRYPTION_FAILED",
    });
    expect(JSON.parse(JSON.stringify(new ConfigError("mchid", "must be digits")))).toEqual({
      name: "ConfigError",
      code: "CONFIG_INVALID",
      option: "mchid",
      message: "mchid: must be digits",
    });
  });

  it("middleware construction validates too", () => {
    expect(() => createSignerMiddleware({ ...valid, mchid: "x" })).toThrow(ConfigError);
  });
});
