import { buildSignMessage, SignatureVerificationError } from "@wechatpay-marketing/signer";
import { parseAuthorization, verifyAuthorization } from "@wechatpay-marketing/signer/server";
import { BusinessError, type Reply } from "./reply.js";

const SIGN_MESSAGES: Record<string, string> = {
  "missing-header": "缺少Authorization头，签名信息不完整",
  "malformed-header": "Authorization头格式错误，签名信息不完整",
  "stale-timestamp": "签名时间戳已过期，请检查系统时间",
  "malformed-timestamp": "签名时间戳格式错误",
  "bad-signature": "签名错误",
};

export const MALFORMED_AUTHORIZATION = SIGN_MESSAGES["malformed-header"] as string;

/** What the merchant signed: the request line and the exact bytes the signature covers. */
export interface SignedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization: string | undefined;
  /** The signed bytes: the body as received, or for an upload its `meta` part only. */
  signed: string | Uint8Array;
}

/**
 * The message the server built, shown as WeChat Pay shows it in `sign_information`. Built from
 * the same bytes the signature was checked over on every refusal (an upload's `meta`, never its
 * whole multipart body), so what it shows is what was verified.
 */
export function signInformation(request: SignedRequest) {
  const { method, url, authorization } = request;
  let timestamp = "";
  let nonce = "";
  try {
    ({ timestamp, nonce } = parseAuthorization(authorization));
  } catch {
    // A missing or malformed header: show the message with empty timestamp and nonce.
  }
  const bytes = buildSignMessage([method, url, timestamp, nonce, request.signed]);
  const message = new TextDecoder().decode(bytes);
  return {
    method,
    url,
    truncated_sign_message: message.length > 256 ? `${message.slice(0, 256)}…` : message,
    sign_message_length: bytes.length,
  };
}

export interface MerchantIdentity {
  mchid: string;
  /** The merchant API certificate serial, upper case. */
  serialNo: string;
  /** SPKI PEM of the merchant's key. */
  merchantPublicKey: string;
  maxSkewSeconds: number;
}

/** Why a request's APIv3 signature does not hold, as a signed refusal; undefined when it holds. */
export type Authenticate = (request: SignedRequest) => Promise<Reply | undefined>;

/** The authentication layer: the merchant's signature, time window, serial and mchid. */
export function createAuthenticator(merchant: MerchantIdentity): Authenticate {
  return async (request) => {
    const { method, url, authorization, signed } = request;
    try {
      const parts = await verifyAuthorization(
        { method, url, body: signed, authorization },
        merchant.merchantPublicKey,
        { maxSkewSeconds: merchant.maxSkewSeconds },
      );
      if (parts.mchid !== merchant.mchid) {
        return new BusinessError(400, "MCH_NOT_EXISTS", "商户号不存在", {
          field: "mchid",
          location: "header",
        }).toReply();
      }
      if (parts.serialNo.toUpperCase() !== merchant.serialNo) {
        return new BusinessError(
          401,
          "SIGN_ERROR",
          "商户证书序列号有误。请使用签名私钥匹配的证书序列号",
          { field: "serial_no", location: "header", sign_information: signInformation(request) },
        ).toReply();
      }
      return undefined;
    } catch (error) {
      const reason = error instanceof SignatureVerificationError ? error.reason : "bad-signature";
      return new BusinessError(401, "SIGN_ERROR", SIGN_MESSAGES[reason] ?? "签名错误", {
        sign_information: signInformation(request),
      }).toReply();
    }
  };
}
