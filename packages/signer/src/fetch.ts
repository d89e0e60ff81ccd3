/**
 * `@wechatpay-marketing/signer/fetch`: a fetch that signs every request and verifies every
 * answer, for code that does not use openapi-fetch. Its own entry point, so the main entry
 * (with the middleware) stays small.
 */
import {
  createMerchantCredentials,
  type MerchantCredentials,
  type SignerOptions,
} from "./credentials.js";
import { ApiError } from "./errors.js";
import { signRequest, verifyResponse } from "./http.js";
import { requestEnded, requestStarted } from "./signing.js";

export type SignedFetchOptions = (SignerOptions | MerchantCredentials) & {
  fetch?: typeof fetch;
  /** Throw ApiError for non-2xx answers (default true); false returns them unverified. */
  throwOnError?: boolean;
};

/**
 * A fetch that signs every request and verifies every 2xx answer. Non-2xx answers reject with
 * ApiError (status, code, message, detail, requestId) unless `throwOnError: false`.
 */
export function createSignedFetch(options: SignedFetchOptions): typeof fetch {
  const credentials = createMerchantCredentials(options);
  const { fetch: inner = globalThis.fetch, throwOnError = true } = options as {
    fetch?: typeof fetch;
    throwOnError?: boolean;
  };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    let response: Response;
    requestStarted();
    try {
      response = await inner(await signRequest(credentials, new Request(input, init)));
    } finally {
      requestEnded();
    }
    if (response.ok) await verifyResponse(credentials, response);
    else if (throwOnError) throw await ApiError.from(response);
    return response;
  }) as typeof fetch;
}
