/**
 * `@wechatpay-marketing/signer/fetch`: a fetch that signs every request and verifies every
 * answer, for code that does not use openapi-fetch, and ApiError, which it throws for non-2xx
 * answers. Its own entry point, so the main entry (with the middleware) stays small.
 */
import { ApiError } from "./api-error.js";
import {
  createMerchantCredentials,
  type MerchantCredentials,
  type SignerOptions,
} from "./credentials.js";
import { signRequest, verifyResponse } from "./http.js";
import { requestEnded, requestStarted } from "./signing.js";

export type { ApiErrorDetail } from "./api-error.js";
// Thrown here for non-2xx answers; also the way middleware users turn openapi-fetch's `error`
// into an exception: ApiError.from(response, error).
export { ApiError };

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
  const { fetch: custom, throwOnError = true } = options as {
    fetch?: typeof fetch;
    throwOnError?: boolean;
  };
  const inner = custom ?? globalThis.fetch;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    let response: Response;
    requestStarted();
    try {
      // With the platform fetch and a URL (not a Request), fetch gets the caller's own
      // arguments with the signed headers: one Request (fetch's) instead of ours and fetch's
      // copy of it. Only when the body can be given twice (none, or a string); a stream or
      // FormData goes in our Request. A custom fetch always gets the signed Request.
      const direct = !custom && !(input instanceof Request);
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
      response = await (direct && (bodyless || typeof init?.body === "string")
        ? inner(input, { ...init, headers: request.headers })
        : inner(request));
    } finally {
      requestEnded();
    }
    if (!response.ok) {
      if (throwOnError) throw await ApiError.from(response);
    } else if (response instanceof Response) {
      // Read once and answer with a copy of the verified bytes: cheaper than clone()'s tee.
      const empty = response.body === null;
      const body = new Uint8Array(await response.arrayBuffer());
      await verifyResponse(credentials, {
        status: response.status,
        headers: response.headers,
        body,
      });
      const { url, redirected, type } = response;
      response = Object.defineProperties(new Response(empty ? null : body, response), {
        url: { value: url },
        redirected: { value: redirected },
        type: { value: type },
      });
    } else {
      await verifyResponse(credentials, response);
    }
    return response;
  }) as typeof fetch;
}
