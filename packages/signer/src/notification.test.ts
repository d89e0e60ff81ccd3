import { describe, expect, it } from "vitest";
import { API_V3_KEY, makeCertificate, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import {
  DecryptionError,
  type NotificationOptions,
  parseNotification,
  SignatureVerificationError,
} from "./index.js";
import { signNotification } from "./server.js";

const platform = testKeyPair("platform");
const options: NotificationOptions = {
  apiV3Key: API_V3_KEY,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
};
const coupon = {
  stock_id: "9856000",
  coupon_code: "75b3f4e9",
  openid: "o4GgauInH_RCEdvrrNGrntXDuXXX",
};

async function notification(extra: Partial<Parameters<typeof signNotification>[0]> = {}) {
  return signNotification({
    id: "EV-2018022511223320873",
    eventType: "COUPON.SEND",
    summary: "商家券领券通知",
    resource: coupon,
    originalType: "busifavor",
    associatedData: "coupon",
    apiV3Key: API_V3_KEY,
    privateKey: platform.pkcs8Pem,
    serial: PUB_KEY_ID,
    ...extra,
  });
}

describe("parseNotification", () => {
  it("verifies, decrypts and parses, with Headers or a lower-case record", async () => {
    const { headers, body } = await notification();
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const h of [new Headers(headers), lower]) {
      const parsed = await parseNotification<typeof coupon>({ headers: h, body }, options);
      expect(parsed).toMatchObject({
        id: "EV-2018022511223320873",
        eventType: "COUPON.SEND",
        resourceType: "encrypt-resource",
        summary: "商家券领券通知",
        resource: coupon,
      });
      expect(parsed.createTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it("verifies with a platform certificate too", async () => {
    const serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    const { headers, body } = await notification({ serial });
    const parsed = await parseNotification(
      { headers, body },
      { apiV3Key: API_V3_KEY, platformCertificates: [makeCertificate(platform, { serial })] },
    );
    expect(parsed.resource).toEqual(coupon);
  });

  it("rejects a bad signature, a stale timestamp and a probe before decrypting", async () => {
    const { headers, body } = await notification();
    await expect(
      parseNotification({ headers, body: body.replace("COUPON.SEND", "COUPON.USE") }, options),
    ).rejects.toMatchObject({ reason: "bad-signature" });
    const stale = await notification({ timestamp: Math.floor(Date.now() / 1000) - 300 });
    await expect(parseNotification(stale, options)).rejects.toMatchObject({
      reason: "stale-timestamp",
    });
    await expect(
      parseNotification(stale, { ...options, maxSkewSeconds: 600 }),
    ).resolves.toMatchObject({ eventType: "COUPON.SEND" });
    await expect(
      parseNotification(
        { headers: { ...headers, "Wechatpay-Signature": "WECHATPAY/SIGNTEST/abc" }, body },
        options,
      ),
    ).rejects.toMatchObject({ reason: "probe-signature" });
    await expect(
      parseNotification({ headers: { ...headers, "Wechatpay-Timestamp": "12a" }, body }, options),
    ).rejects.toMatchObject({ reason: "malformed-timestamp" });
    const { "Wechatpay-Nonce": _, ...missing } = headers;
    await expect(parseNotification({ headers: missing, body }, options)).rejects.toMatchObject({
      reason: "missing-header",
      header: "Wechatpay-Nonce",
    });
  });

  it("uses the injected clock", async () => {
    const old = await notification({ timestamp: 1_600_000_000 });
    await expect(
      parseNotification(old, { ...options, now: () => 1_600_000_100_000 }),
    ).resolves.toMatchObject({ id: "EV-2018022511223320873" });
  });

  it("rejects a tampered resource, unknown algorithm and malformed JSON with DecryptionError", async () => {
    // Re-signed by the platform after tampering, so only the AEAD layer can catch it.
    const { body } = await notification();
    const envelope = JSON.parse(body);
    const resign = async (b: string) => {
      const { signResponse } = await import("./server.js");
      return {
        headers: await signResponse({ body: b, privateKey: platform.pkcs8Pem, serial: PUB_KEY_ID }),
        body: b,
      };
    };
    const flipped = { ...envelope, resource: { ...envelope.resource, associated_data: "other" } };
    await expect(
      parseNotification(await resign(JSON.stringify(flipped)), options),
    ).rejects.toMatchObject({
      name: "DecryptionError",
      reason: "authentication-failed",
    });
    const algo = { ...envelope, resource: { ...envelope.resource, algorithm: "SM4_GCM" } };
    await expect(
      parseNotification(await resign(JSON.stringify(algo)), options),
    ).rejects.toMatchObject({
      reason: "unsupported-algorithm",
    });
    await expect(parseNotification(await resign("not json"), options)).rejects.toMatchObject({
      reason: "malformed-body",
    });
    const { id: _, ...noId } = envelope;
    await expect(
      parseNotification(await resign(JSON.stringify(noId)), options),
    ).rejects.toBeInstanceOf(DecryptionError);
    const notJsonInside = await notification({ resource: undefined });
    await expect(parseNotification(notJsonInside, options)).rejects.toBeInstanceOf(DecryptionError);
    await expect(parseNotification({ headers: {}, body }, options)).rejects.toBeInstanceOf(
      SignatureVerificationError,
    );
  });
});
