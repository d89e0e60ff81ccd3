/**
 * `@wechatpay-marketing/signer/fetch`: a fetch that signs every request and verifies every
 * answer, for code that does not use openapi-fetch, and ApiError, which it throws for non-2xx
 * answers, and verifyResponse, for answers fetched any other way. Its own entry point, so the
 * main entry (with the middleware) stays small.
 */
import { ApiError } from "./api-error.js";
import { type FetchLike, type ResponseLike, receiveResponse } from "./body.js";
import {
  createMerchantCredentials,
  isMerchantCredentials,
  type MerchantCredentials,
  type SignerOptions,
  type Verification,
  type VerificationOptions,
  verification,
} from "./credentials.js";
import { type BodyInit, type HeadersLike, toBytes } from "./encoding.js";
import { BodyTooLargeError, check, transportError } from "./errors.js";
import { signRequest } from "./middleware.js";
import { requestEnded, requestStarted, verifyWechatpayHeaders } from "./signing.js";

export type { ApiErrorDetail } from "./api-error.js";
export { TransportError } from "./errors.js";
// Thrown here for non-2xx answers; also the way middleware users turn openapi-fetch's `error`
// into an exception: ApiError.from(response, error).
export { ApiError };

export type SignedFetchOptions = (SignerOptions | MerchantCredentials) & {
  /**
   * The fetch that sends (default: the global fetch): npm undici's, node-fetch's or any other.
   * It gets a URL and init when the call had them and its body is a string or absent, else a
   * Request; what it resolves to is verified whatever its class.
   */
  fetch?: FetchLike | undefined;
  /** Throw ApiError for non-2xx answers (default true); false returns them unverified. */
  throwOnError?: boolean;
};

/**
 * A fetch that signs every request and verifies every 2xx answer. It resolves to a Response
 * (of this realm) holding exactly the verified bytes. Non-2xx answers reject with ApiError
 * (status, code, message, detail, requestId) unless `throwOnError: false`; a fetch that throws
 * rejects with TransportError (its code or name only: never the Request it may carry).
 */
export function createSignedFetch(options: SignedFetchOptions): typeof fetch {
  const credentials = createMerchantCredentials(options);
  // Called as fetch is called; what it resolves to is checked at run time (see body.ts).
  const { fetch: send = globalThis.fetch, throwOnError = true } = options as unknown as {
    fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
    throwOnError?: boolean;
  };
  check(typeof send === "function", "fetch", "must be a function");
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    let response: Response;
    requestStarted();
    try {
      // A URL (not a Request) with no body or a string one: the fetch gets the caller's own
      // arguments with the signed headers, the form every fetch takes (node-fetch@2 cannot
      // read a Request of this realm), and one Request (fetch's) is made instead of two.
      // A stream or FormData goes in our Request, whose body was read to sign it.
      const direct =
        !(input instanceof Request) && (init?.body == null || typeof init.body === "string");
      const bodyless = direct && init?.body == null && /^https?:/i.test(`${input}`);
      const request = await signRequest(
        credentials,
        bodyless
          ? // Without a body, signRequest reads only method, url and headers: no Request at all.
            ({
              method: init?.method ?? "GET",
              url: `${input}`,
              headers: new Headers(init?.headers),
              body: null,
            } as Request)
          : new Request(input, init),
      );
      try {
        response = (await (direct
          ? send(input, { ...init, headers: request.headers })
          : send(request))) as Response;
      } catch (error) {
        throw transportError(error);
      }
    } finally {
      requestEnded();
    }
    response = await receiveResponse(credentials, response);
    if (!response.ok && throwOnError) throw await ApiError.from(response);
    return response;
  }) as typeof fetch;
}

const checksOf = (options: VerificationOptions | MerchantCredentials): Verification =>
  isMerchantCredentials(options) ? options : verification(options);

/**
 * Verifies a 2xx answer's Wechatpay-* signature over its raw body (a 204's is empty); non-2xx
 * answers are not verified (they are errors). A Response, of any fetch's class, is consumed:
 * read the one this resolves to, which holds exactly the verified bytes. Throws
 * SignatureVerificationError, BodyTooLargeError past maxBodyBytes, TransportError when the
 * body cannot be read.
 */
export function verifyResponse(
  options: VerificationOptions | MerchantCredentials,
  response: ResponseLike,
): Promise<Response>;
/** The same check over headers and body bytes you already hold. */
export function verifyResponse(
  options: VerificationOptions | MerchantCredentials,
  response: { status?: number; headers: HeadersLike; body: BodyInit },
): Promise<undefined>;
export async function verifyResponse(
  options: VerificationOptions | MerchantCredentials,
  response: ResponseLike | { status?: number; headers: HeadersLike; body: BodyInit },
): Promise<Response | undefined> {
  const checks = checksOf(options);
  if (typeof response !== "object" || !response || "arrayBuffer" in response) {
    return receiveResponse(checks, response as Response);
  }
  const status = response.status ?? 200;
  if (status < 200 || status > 299) return;
  const body = toBytes(response.body);
  if (body.length > checks.maxBodyBytes) throw new BodyTooLargeError(checks.maxBodyBytes);
  await verifyWechatpayHeaders(response.headers, body, checks);
}
