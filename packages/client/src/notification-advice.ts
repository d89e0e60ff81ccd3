/**
 * What to do about a notification that fails: the two mistakes behind most failures are verifying
 * a body that a JSON parser re-encoded, and the wrong APIv3 key. parseNotification's errors and the
 * notification handler's log say so in the same words.
 */
import { DecryptionError, SignatureVerificationError } from "@wechatpay-marketing/signer";

export const RAW_BODY_ADVICE =
  "verify the raw body exactly as received, before any JSON parsing, with the WeChat Pay key named by Wechatpay-Serial";

export const APIV3_KEY_ADVICE =
  "the resource did not decrypt: check the APIv3 key (商户平台 → API安全 → APIv3密钥)";

/** The advice for an error of parseNotification, if there is one to give. */
export function adviceFor(error: unknown): string | undefined {
  if (error instanceof SignatureVerificationError && error.reason === "bad-signature") {
    return RAW_BODY_ADVICE;
  }
  if (error instanceof DecryptionError && error.reason === "authentication-failed") {
    return APIV3_KEY_ADVICE;
  }
  return undefined;
}

/** The same error, its message followed by the advice (the error is this call's own). */
export function withAdvice(error: unknown): unknown {
  const advice = adviceFor(error);
  if (advice !== undefined) (error as Error).message = `${(error as Error).message}: ${advice}`;
  return error;
}
