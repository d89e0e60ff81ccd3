import {
  createMerchantCredentials,
  type MerchantCredentials,
  type SignerOptions,
} from "./credentials.js";
import type { BodyInit } from "./encoding.js";
import { WechatpayError } from "./errors.js";
import { requestEnded, requestStarted, verifyWechatpayHeaders } from "./signing.js";

/** The signed BODY: the bytes sent, or for multipart uploads the `meta` part. */
async function signedBody(request: Request): Promise<string | Uint8Array> {
  if (!request.body) return "";
  const copy = request.clone();
  if (!/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) {
    return new Uint8Array(await copy.arrayBuffer());
  }
  const meta = (await copy.formData()).get("meta");
  if (typeof meta === "string") return meta;
  throw new WechatpayError("UNSIGNABLE_BODY", "multipart body has no meta part");
}

/** Sets Authorization, Accept, User-Agent, Wechatpay-Serial (and JSON Content-Type) on the request. */
export async function signRequest(
  credentials: MerchantCredentials,
  request: Request,
): Promise<Request> {
  const body = await signedBody(request);
  // Set in place: a constructed Request's headers are mutable (openapi-fetch documents this
  // pattern), and it spares a copy of the Request per call.
  const { headers } = request;
  headers.set(
    "Authorization",
    await credentials.authorize({ method: request.method, url: request.url, body }),
  );
  headers.set("Accept", "application/json");
  if (!headers.has("User-Agent")) headers.set("User-Agent", credentials.userAgent);
  if (!headers.has("Wechatpay-Serial")) {
    headers.set("Wechatpay-Serial", await credentials.preferredSerial());
  }
  // A string body gets text/plain from Request itself; WeChat Pay APIv3 bodies are JSON.
  if (
    typeof body !== "string" &&
    body.length > 0 &&
    !/json/i.test(headers.get("Content-Type") ?? "")
  ) {
    headers.set("Content-Type", "application/json");
  }
  return request;
}

/**
 * Verifies a 2xx response's Wechatpay-* signature over its raw body (a 204's is empty).
 * Throws SignatureVerificationError; non-2xx responses are not verified (they are errors).
 */
export async function verifyResponse(
  credentials: SignerOptions | MerchantCredentials,
  response: Response | { status?: number; headers: Headers; body: BodyInit },
): Promise<void> {
  const keys = createMerchantCredentials(credentials);
  const status = response.status ?? 200;
  if (status < 200 || status > 299) return;
  const body =
    response instanceof Response
      ? new Uint8Array(await response.clone().arrayBuffer())
      : response.body;
  await verifyWechatpayHeaders(response.headers, body, keys.resolve, keys);
}

/** The part of openapi-fetch's Middleware this package implements (structurally compatible). */
export interface SignerMiddleware {
  onRequest(options: { request: Request }): Promise<Request>;
  onResponse(options: { request: Request; response: Response }): Promise<undefined>;
  onError(options: { error: unknown }): undefined;
}

/**
 * openapi-fetch middleware: signs every request, verifies every 2xx response (throwing
 * SignatureVerificationError from the client call) and leaves non-2xx responses to
 * openapi-fetch, which returns their parsed body as `error`; `ApiError.from(response, error)`
 * (from ./fetch) turns that into an ApiError with requestId. Register it last, so nothing
 * changes the request after it is signed.
 */
export function createSignerMiddleware(
  options: SignerOptions | MerchantCredentials,
): SignerMiddleware {
  const credentials = createMerchantCredentials(options);
  // Counts requests in flight (see signing.ts: the Node fast path offloads when concurrent).
  return {
    async onRequest({ request }) {
      requestStarted();
      try {
        return await signRequest(credentials, request);
      } catch (error) {
        requestEnded();
        throw error;
      }
    },
    async onResponse({ response }) {
      requestEnded();
      await verifyResponse(credentials, response);
      return undefined;
    },
    onError() {
      requestEnded();
      return undefined;
    },
  };
}
