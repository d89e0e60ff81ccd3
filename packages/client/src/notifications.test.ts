// parseNotification of the client: the signer verifies and decrypts (real RSA keys and AES-GCM,
// generated here), the client types the resource by the spec's webhooks and refuses event types
// the spec does not describe.
import { randomBytes } from "node:crypto";
import { encryptResource, signResponse } from "@wechatpay-marketing/signer/server";
import { describe, expect, it } from "vitest";
import { createNotificationSender } from "../test/notifications.js";
import { parseNotification, UnsupportedEventError } from "./index.js";

const { keys, apiV3Key, options, couponSent, send } = createNotificationSender();

/** A notification as WeChat Pay sends it: encrypted with the APIv3 key, signed by the platform. */
function notify(eventType: string, resource: unknown = couponSent) {
  return send({
    id: "EV-2030060113293500001",
    eventType,
    summary: "商家券用户领券通知",
    resource,
  });
}

describe("parseNotification", () => {
  it("verifies, decrypts and types a COUPON.SEND notification", async () => {
    const notification = await parseNotification(await notify("COUPON.SEND"), options);
    expect(notification).toMatchObject({
      id: "EV-2030060113293500001",
      eventType: "COUPON.SEND",
      resourceType: "encrypt-resource",
      summary: "商家券用户领券通知",
      resource: couponSent,
    });
    if (notification.eventType === "COUPON.SEND") {
      // Typed by the spec's webhook: the coupon's fields, no cast.
      const { coupon_code, stock_id, send_channel } = notification.resource;
      expect([coupon_code, stock_id, send_channel]).toEqual([
        "sxxe34343434",
        "1002323",
        "BUSICOUPON_SEND_CHANNEL_API",
      ]);
    }
  });

  it("refuses a verified event the marketing spec does not describe, naming its type", async () => {
    const error = await parseNotification(await notify("TRANSACTION.SUCCESS"), options).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error).toMatchObject({
      name: "UnsupportedEventError",
      code: "EVENT_UNSUPPORTED",
      eventType: "TRANSACTION.SUCCESS",
      message:
        'notification event_type "TRANSACTION.SUCCESS" is not one the marketing spec describes; acknowledge it (200/204) so that WeChat Pay stops resending it',
    });
  });

  it("checks the signature before the event type: a forged notification is a signature error", async () => {
    const { headers, body } = await notify("TRANSACTION.SUCCESS");
    const forged = body.replace("TRANSACTION.SUCCESS", "COUPON.SEND");
    await expect(parseNotification({ headers, body: forged }, options)).rejects.toMatchObject({
      code: "SIGNATURE_INVALID",
    });
  });

  it("does not decrypt with another APIv3 key, and names no key in the error", async () => {
    const otherKey = randomBytes(16).toString("hex");
    const error = await parseNotification(await notify("COUPON.SEND"), {
      ...options,
      apiV3Key: otherKey,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DECRYPTION_FAILED" });
    expect(JSON.stringify(error)).not.toContain(otherKey);
    expect(String(error)).not.toContain(apiV3Key);
  });

  it("reads a resource that is not JSON as a malformed body", async () => {
    const body = JSON.stringify({
      id: "EV-1",
      create_time: "2030-06-01T13:29:35+08:00",
      resource_type: "encrypt-resource",
      event_type: "COUPON.SEND",
      summary: "",
      resource: await encryptResource("not json", apiV3Key, "coupon"),
    });
    const headers = await signResponse({
      body,
      privateKey: keys.platformPrivateKey,
      serial: keys.platformKeyId,
    });
    await expect(parseNotification({ headers, body }, options)).rejects.toMatchObject({
      code: "DECRYPTION_FAILED",
    });
  });
});

describe("parseNotification's errors say what to check", () => {
  it("a body changed after it was received: verify the raw body as received", async () => {
    const { headers, body } = await notify("COUPON.SEND");
    // What a JSON body parser hands over: the same notification, re-encoded.
    const reEncoded = JSON.stringify(JSON.parse(body), null, 2);
    const error = await parseNotification({ headers, body: reEncoded }, options).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "SignatureVerificationError", reason: "bad-signature" });
    expect((error as Error).message).toMatch(/verify the raw body exactly as received/);
  });

  it("a resource that does not decrypt: check the APIv3 key", async () => {
    const delivery = await notify("COUPON.SEND");
    const wrongKey = { ...options, apiV3Key: randomBytes(16).toString("hex") };
    const error = await parseNotification(delivery, wrongKey).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DecryptionError", reason: "authentication-failed" });
    expect((error as Error).message).toMatch(/check the APIv3 key/);
  });
});
