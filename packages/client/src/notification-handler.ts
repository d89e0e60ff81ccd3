/**
 * The notify URL as a Web-standard handler, `(request: Request) => Promise<Response>`: Hono,
 * Next.js route handlers, Bun.serve, Deno.serve and edge workers take it as it is.
 */
import { BodyTooLargeError } from "@wechatpay-marketing/signer";
import {
  createNotificationReceiver,
  type NotificationAnswer,
  type NotificationEventHandler,
  type NotificationHandlerOptions,
} from "./notification-receiver.js";

export type NotificationHandler = (request: Request) => Promise<Response>;

/** The body's bytes, let go of past `limit` (a notification is a few KB). */
async function readRequestBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length"));
  if (declared > limit) throw new BodyTooLargeError(limit);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The Response for an answer: 204 without a body, a failure with its JSON body. */
export function answerResponse(answer: NotificationAnswer): Response {
  if (answer.status === 204) return new Response(null, { status: 204 });
  return Response.json(answer.body, {
    status: answer.status,
    headers: answer.status === 405 ? { Allow: "POST" } : {},
  });
}

/**
 * Verifies the signature over the raw body as received, decrypts the resource, calls `onEvent`
 * once per notification id with the event typed from the spec's webhooks, and answers WeChat
 * Pay's protocol: 204 when handled (or already handled, or an event the spec does not describe),
 * 4xx/5xx with `{ code: "FAIL", message }` otherwise, which makes WeChat Pay send it again.
 * `onEvent` throwing answers 500 and leaves the id unhandled. Bad options throw `ConfigError`.
 */
export function createNotificationHandler(
  options: NotificationHandlerOptions,
  onEvent: NotificationEventHandler,
): NotificationHandler {
  const receive = createNotificationReceiver(options, onEvent);
  return async (request) =>
    answerResponse(
      await receive({
        method: request.method,
        headers: request.headers,
        readBody: (limit) => readRequestBody(request, limit),
      }),
    );
}
