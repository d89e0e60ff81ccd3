import type * as signer from "@wechatpay-marketing/signer";
import { describe, expectTypeOf, it } from "vitest";
import type {
  DecryptionReason,
  HeadersLike,
  MarketingClientOptions,
  Notification,
  NotificationOptions,
  parseNotification,
  SignatureVerificationReason,
  SignerOptions,
  VerificationOptions,
  WechatpayPublicKey,
} from "./index.js";

describe("the types a client user needs come from the client", () => {
  it("re-exports the signer's option and notification types unchanged", () => {
    expectTypeOf<SignerOptions>().toEqualTypeOf<signer.SignerOptions>();
    expectTypeOf<NotificationOptions>().toEqualTypeOf<signer.NotificationOptions>();
    expectTypeOf<VerificationOptions>().toEqualTypeOf<signer.VerificationOptions>();
    expectTypeOf<WechatpayPublicKey>().toEqualTypeOf<signer.WechatpayPublicKey>();
    expectTypeOf<Notification<unknown>>().toEqualTypeOf<signer.Notification<unknown>>();
    expectTypeOf<HeadersLike>().toEqualTypeOf<signer.HeadersLike>();
    expectTypeOf<SignatureVerificationReason>().toEqualTypeOf<signer.SignatureVerificationReason>();
    expectTypeOf<DecryptionReason>().toEqualTypeOf<signer.DecryptionReason>();
  });

  it("names the options of its own functions with them", () => {
    expectTypeOf<MarketingClientOptions>().toExtend<SignerOptions>();
    expectTypeOf<Parameters<typeof parseNotification>[1]>().toEqualTypeOf<NotificationOptions>();
  });
});
