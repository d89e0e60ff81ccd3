/**
 * Reading an answer: from whatever class of Response the fetch returned (the global one, npm
 * undici's, node-fetch's), the exact bytes, within a limit, into a Response of this realm that
 * holds them. The caller then reads exactly what was verified.
 */
import type { Verification } from "./credentials.js";
import { type Bytes, concatBytes } from "./encoding.js";
import { BodyTooLargeError, TransportError, transportError } from "./errors.js";
import { verifyWechatpayHeaders } from "./signing.js";

/**
 * What a fetch resolves to, whatever its class (the global Response, npm undici's,
 * node-fetch's): the part of it an answer is read and verified through.
 */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Any fetch: the global one, npm undici's, node-fetch's. Typed loosely on purpose: each types
 * its own Request and RequestInit, which no single signature accepts; it is called as fetch is
 * called, with (url, init) or with a Request, and what it resolves to is checked at run time.
 */
export type FetchLike = (...args: never[]) => Promise<ResponseLike>;

/** 2 MiB: far above any marketing answer or notification, far below what hurts a process. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The chunks of a body of this realm, let go past `limit` bytes. */
async function readChunks(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Bytes> {
  const reader = body?.getReader();
  const chunks: Uint8Array[] = [];
  for (let size = 0; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
  }
  return concatBytes(chunks);
}

/** Lets go of a body that will not be read (a connection waits for it otherwise). */
function discard(response: Response): void {
  const body = response.body as { cancel?: () => Promise<void>; destroy?: () => void } | null;
  Promise.resolve()
    .then(() => (body?.cancel ? body.cancel() : body?.destroy?.()))
    .catch(() => {});
}

/**
 * The body's bytes, refused past `limit` (BodyTooLargeError). A Response of this realm is read
 * chunk by chunk and let go at the limit. Any other class is read through its own
 * arrayBuffer() (its body may be a Node stream or another realm's: converting it would be
 * wrong), after its Content-Length; one without that header is buffered whole before the limit
 * applies, the one case the limit cannot prevent. TransportError when the fetch returned no
 * Response (`invalid-response`) or its body cannot be read (`unreadable-body`, or the code of
 * the error reading it).
 */
export async function readBody(response: Response, limit: number): Promise<Bytes> {
  const status = response?.status;
  if (!(status >= 200 && status < 600) || typeof response.headers?.get !== "function") {
    throw new TransportError("invalid-response");
  }
  if (response.bodyUsed || typeof response.arrayBuffer !== "function") {
    throw new TransportError("unreadable-body");
  }
  if (Number(response.headers.get("Content-Length")) > limit) {
    discard(response);
    throw new BodyTooLargeError(limit);
  }
  let body: unknown;
  try {
    body =
      response instanceof Response
        ? await readChunks(response.body, limit)
        : await (response as Response).arrayBuffer();
  } catch (error) {
    throw transportError(error);
  }
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  if (!(bytes instanceof Uint8Array)) throw new TransportError("unreadable-body");
  if (bytes.length > limit) throw new BodyTooLargeError(limit);
  return bytes as Bytes;
}

/** A Response of this realm with `response`'s status, headers and url, holding `bytes`. */
export function responseOf(response: Response, bytes: Bytes): Response {
  const { status, statusText, headers, url, redirected, type } = response;
  // 204, 205 and 304 come without a body (the Response constructor refuses one for them).
  const empty = !bytes.length || status === 204 || status === 205 || status === 304;
  let copy: Response;
  try {
    copy = new Response(empty ? null : bytes, { status, statusText, headers: headers as Headers });
  } catch {
    // headers a Headers of this realm refuses: its TypeError would echo them
    throw new TransportError("invalid-response");
  }
  return Object.defineProperties(copy, {
    url: { value: url },
    redirected: { value: redirected },
    type: { value: type },
  });
}

/**
 * What the middleware and the fetch wrapper hand on, for a Response of any class: its body read
 * within maxBodyBytes and, for a 2xx answer, its signature verified over those bytes. Resolves
 * to a Response of this realm holding exactly them, so what the caller reads is what was
 * verified.
 */
export async function receiveResponse(checks: Verification, response: Response): Promise<Response> {
  const bytes = await readBody(response, checks.maxBodyBytes);
  if (response.status < 300) await verifyWechatpayHeaders(response.headers, bytes, checks);
  return responseOf(response, bytes);
}
