// WeChat Pay's side of a notification, for the client's notification tests: platform keys and an
// APIv3 key generated here, the options that verify and decrypt with them, and a sender that
// signs and encrypts a delivery as WeChat Pay does (real RSA and AES-GCM).
import { randomBytes } from "node:crypto";
import { signNotification } from "@wechatpay-marketing/signer/server";
import { generateTestKeys } from "./wechatpay-server.js";

type Delivery = Omit<Parameters<typeof signNotification>[0], "apiV3Key" | "privateKey" | "serial">;

export function createNotificationSender() {
  const keys = generateTestKeys();
  const apiV3Key = randomBytes(16).toString("hex"); // 32 characters, as WeChat Pay issues it
  const options = {
    apiV3Key,
    wechatpayPublicKey: { id: keys.platformKeyId, key: keys.platformPublicKey },
  };
  /** A COUPON.SEND resource as the spec's webhook describes it. */
  const couponSent = {
    event_type: "EVENT_TYPE_BUSICOUPON_SEND",
    coupon_code: "sxxe34343434",
    stock_id: "1002323",
    send_time: "2030-06-01T13:29:35+08:00",
    openid: "oDemoUser0000000000000001",
    send_channel: "BUSICOUPON_SEND_CHANNEL_API",
    send_merchant: keys.mchid,
  } as const;
  /** A delivery signed by the platform key, its resource encrypted with the APIv3 key. */
  const send = (delivery: Delivery) =>
    signNotification({
      originalType: "coupon",
      associatedData: "coupon",
      ...delivery,
      apiV3Key,
      privateKey: keys.platformPrivateKey,
      serial: keys.platformKeyId,
    });
  return { keys, apiV3Key, options, couponSent, send };
}
