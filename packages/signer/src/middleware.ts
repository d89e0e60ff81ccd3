/**
 * `@wechatpay-marketing/signer/middleware`: the openapi-fetch middleware (every request signed,
 * every answer verified) and signRequest. Its own entry point, like ./fetch, so that the main
 * entry (credentials, notifications, errors) stays small; @wechatpay-marketing/client uses it.
 */
import { receiveResponse } from "./body.js";
import {
  createMerchantCredentials,
  type MerchantCredentials,
  type SignerOptions,
} from "./credentials.js";
import { TransportError, transportError, WechatpayError } from "./errors.js";
import { requestEnded, requestStarted } from "./signing.js";

// Thrown by the middleware (and ./fetch) when the fetch fails or returns no readable Response.
export { TransportError };

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
    headers.set(
      "Wechatpay-Serial",
      (await credentials.trustedKeys()).preferredSerial(credentials.now()),
    );
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

/** The part of openapi-fetch's Middleware this package implements (structurally compatible). */
export interface SignerMiddleware {
  onRequest(options: { request: Request }): Promise<Request>;
  onResponse(options: { request: Request; response: Response }): Promise<Response>;
  onError(options: { error: unknown }): Error;
}

/**
 * openapi-fetch middleware: signs every request, verifies every 2xx response (throwing
 * SignatureVerificationError from the client call) and leaves non-2xx responses to
 * openapi-fetch, which returns their parsed body as `error`; `ApiError.from(response, error)`
 * (from ./fetch) turns that into an ApiError with requestId. Whatever class of Response the
 * client's fetch returns, the client reads a Response holding exactly the verified bytes. A
 * fetch that throws makes the call reject with TransportError. Register it last, so nothing
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
    onResponse({ response }) {
      requestEnded();
      return receiveResponse(credentials, response);
    },
    onError({ error }) {
      requestEnded();
      return transportError(error);
    },
  };
}
