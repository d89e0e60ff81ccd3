/**
 * `@wechatpay-marketing/client/node`: the notify URL for node:http and Express (one handler for
 * both) and Fastify (a plugin), each keeping the raw body the signature covers. Typed by the parts
 * of those servers' objects it uses, so it needs neither their types nor node:http's.
 */
import { BodyTooLargeError, type HeadersLike } from "@wechatpay-marketing/signer";
import {
  createNotificationReceiver,
  type NotificationAnswer,
  type NotificationEventHandler,
  type NotificationHandlerOptions,
  RawBodyUnavailableError,
} from "./notification-receiver.js";

/** The parts of node:http's IncomingMessage (and Express's request) this reads. */
export interface NodeNotificationRequest {
  method?: string | undefined;
  headers: HeadersLike;
  readableEnded?: boolean;
  on(event: "data", listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeAllListeners(event: "data" | "end" | "error"): unknown;
  /** Set by Express's body parsers (`express.raw()` leaves a Buffer, `express.json()` an object). */
  body?: unknown;
  /** Kept by `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })` and others. */
  rawBody?: unknown;
}

/** The parts of node:http's ServerResponse (and Express's response) this writes. */
export interface NodeNotificationResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

const EXPRESS_FIX =
  'route the notify URL before express.json() (or any body parser), or give it express.raw({ type: "*/*" })';

/** The raw body, from the stream or from what a body parser kept of it. */
function readNodeBody(
  request: NodeNotificationRequest,
  limit: number,
): Promise<string | Uint8Array> {
  for (const kept of [request.rawBody, request.body]) {
    if (typeof kept === "string" || kept instanceof Uint8Array) return Promise.resolve(kept);
  }
  if (request.readableEnded || (request.body !== undefined && request.body !== null)) {
    return Promise.reject(new RawBodyUnavailableError(EXPRESS_FIX));
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => {
      request.removeAllListeners("data");
      request.removeAllListeners("end");
    };
    request.on("data", (chunk) => {
      const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.length;
      // Past the limit, stop keeping it; node:http discards the rest once the answer is sent.
      if (size > limit) {
        stop();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(bytes);
    });
    request.on("end", () => {
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(bytes);
    });
    request.on("error", reject);
  });
}

function writeAnswer(response: NodeNotificationResponse, answer: NotificationAnswer): void {
  if (answer.status === 204) {
    response.writeHead(204, {});
    response.end();
    return;
  }
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (answer.status === 405) headers.Allow = "POST";
  response.writeHead(answer.status, headers);
  response.end(JSON.stringify(answer.body));
}

/**
 * The notify URL for node:http (`createServer(handler)`) and Express (`app.post(path, handler)`):
 * the same protocol as `createNotificationHandler`. Under Express it uses the raw bytes when
 * `express.raw()` or a `verify` hook kept them; after `express.json()` they are gone, and it
 * answers 500 and logs a `RawBodyUnavailableError` saying how to route it.
 */
export function createNodeNotificationHandler(
  options: NotificationHandlerOptions,
  onEvent: NotificationEventHandler,
): (request: NodeNotificationRequest, response: NodeNotificationResponse) => Promise<void> {
  const receive = createNotificationReceiver(options, onEvent);
  return async (request, response) => {
    const answer = await receive({
      method: request.method ?? "",
      headers: request.headers,
      readBody: (limit) => readNodeBody(request, limit),
    });
    writeAnswer(response, answer);
  };
}

/** The parts of a Fastify reply this writes. */
export interface FastifyNotificationReply {
  code(status: number): FastifyNotificationReply;
  header(name: string, value: string): FastifyNotificationReply;
  send(body?: string): unknown;
}

/** The parts of a Fastify instance (the plugin's own scope) this uses. */
export interface FastifyNotificationScope {
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: "buffer" },
    parser: (
      request: unknown,
      body: Uint8Array,
      done: (error: null, body: Uint8Array) => void,
    ) => void,
  ): unknown;
  post(
    path: string,
    handler: (
      request: { method: string; headers: HeadersLike; body?: unknown },
      reply: FastifyNotificationReply,
    ) => Promise<unknown>,
  ): unknown;
}

/**
 * A Fastify plugin serving the notify URL at its prefix:
 * `app.register(createFastifyNotificationPlugin(options, onEvent), { prefix: "/wechatpay/notify" })`.
 * Inside its own scope only, every content type is kept as the raw Buffer (Fastify's JSON parser
 * would drop the bytes the signature covers); the rest of the app parses bodies as before.
 */
export function createFastifyNotificationPlugin(
  options: NotificationHandlerOptions,
  onEvent: NotificationEventHandler,
): (scope: FastifyNotificationScope, pluginOptions: unknown, done: () => void) => void {
  const receive = createNotificationReceiver(options, onEvent);
  return (scope, _pluginOptions, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, next) =>
      next(null, body),
    );
    scope.post("/", async (request, reply) => {
      const answer = await receive({
        method: request.method,
        headers: request.headers,
        readBody: () => {
          const { body } = request;
          return body instanceof Uint8Array || typeof body === "string" ? body : "";
        },
      });
      if (answer.status === 204) return reply.code(204).send();
      if (answer.status === 405) reply.header("Allow", "POST");
      return reply
        .code(answer.status)
        .header("Content-Type", "application/json")
        .send(JSON.stringify(answer.body));
    });
    done();
  };
}
