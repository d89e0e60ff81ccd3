// The three fetch implementations the signer must verify alike, as real dependencies: the
// platform's global fetch, npm undici 7's and node-fetch 2's (whose Response classes are not the
// global one: the cause of a forged-answer bypass once).

import type { SignedFetchOptions } from "@wechatpay-marketing/signer/fetch";
import nodeFetchModule from "node-fetch";
import { fetch as undiciFetch } from "undici";

// node-fetch 2 is CommonJS: its module is the fetch function, whose `default` is itself (and
// what its types call the default export).
const nodeFetch = nodeFetchModule.default;

/** A fetch as createSignedFetch takes it: (url or Request, init). */
export type AnyFetch = NonNullable<SignedFetchOptions["fetch"]>;

/** A fetch as openapi-fetch calls it: with a Request of this realm. */
export type RequestFetch = (request: Request) => Promise<unknown>;

/**
 * Neither npm undici nor node-fetch can read a Request of this realm (it is not their class):
 * this is the one-line adapter a user writes to hand them openapi-fetch's Request.
 */
function fromRequest(
  send: (
    url: string,
    init: { method: string; headers: [string, string][]; body?: ArrayBuffer },
  ) => Promise<unknown>,
): RequestFetch {
  return async (request) =>
    send(request.url, {
      method: request.method,
      headers: [...request.headers],
      ...(request.body ? { body: await request.arrayBuffer() } : {}),
    });
}

// Each real fetch as a user passes it: no cast, so their own types are checked against the
// option's.
export const FETCHES: { name: string; fetch: AnyFetch; fromRequest: RequestFetch }[] = [
  { name: "global fetch", fetch: globalThis.fetch, fromRequest: globalThis.fetch },
  { name: "undici 7 fetch", fetch: undiciFetch, fromRequest: fromRequest(undiciFetch as never) },
  { name: "node-fetch 2", fetch: nodeFetch, fromRequest: fromRequest(nodeFetch as never) },
];
