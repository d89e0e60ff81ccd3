import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * What the sandbox accepts before it looks at a signature, so that an unsigned request costs
 * it a bounded amount of memory and CPU whatever its size or shape.
 */
export const LIMITS = {
  /**
   * JSON bodies. The largest body the document allows (上传预存code, 删除活动发券商户号 with 500
   * merchant ids, a stock with every optional field) is a few tens of KB; 1 MiB leaves room.
   */
  jsonBodyBytes: 1024 * 1024,
  /** 图片上传(营销专用): the 2 MB image plus the `meta` part and the multipart framing. */
  uploadBodyBytes: 2 * 1024 * 1024 + 64 * 1024,
  /**
   * An APIv3 Authorization header is about 520 characters with an RSA-2048 signature and
   * under 1,600 with RSA-8192; anything longer is refused before it is parsed.
   */
  authorizationChars: 2048,
  /** Every request header together (Node answers 431 past it). */
  headerBytes: 16 * 1024,
  /** Nesting of JSON arrays and objects; the document's deepest body has fewer than 10 levels. */
  jsonDepth: 64,
  /** After an early answer: how long, and how much, of the rest of a body is discarded before closing. */
  lingerMs: 2000,
  lingerBytes: 8 * 1024 * 1024,
  /** A request must arrive in full within this time (slow-loris guard). */
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 20_000,
} as const;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/** The declared Content-Length when there is one and it is a plain decimal number. */
function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  return header !== undefined && /^\d{1,16}$/.test(header) ? Number(header) : undefined;
}

/** Whether the request carries a body at all (a length above 0 or a chunked body). */
export function hasBody(request: IncomingMessage): boolean {
  const length = declaredLength(request);
  if (length !== undefined) return length > 0;
  return request.headers["transfer-encoding"] !== undefined;
}

/**
 * Reads the body while counting: a declared length past the limit is refused before a byte is
 * read, a streamed one as soon as it passes the limit. Nothing past the limit is kept.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  if ((declaredLength(request) ?? 0) > limit) {
    return Promise.resolve({ ok: false, reason: "too-large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAbort);
      request.off("close", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        finish({ ok: false, reason: "too-large" });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, reason: "aborted" });
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onAbort);
    request.on("close", onAbort);
  });
}

/**
 * An answer sent before the body was read in full (413, or a refusal before authentication)
 * says `Connection: close`, and the rest of the body is never read. Node ends such an answer
 * with `socket.destroySoon()`: the socket goes as soon as the answer is flushed, with body
 * bytes still unread, which resets the connection, and a client still sending may lose the
 * answer with it. So this socket lingers instead: it stops writing, discards what is already
 * on its way (at most `lingerBytes`, for at most `lingerMs`), then closes.
 */
export function closeAfterAnswer(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  response.setHeader("Connection", "close");
  const socket = request.socket;
  const linger = () => {
    socket.end();
    let discarded = 0;
    const close = () => socket.destroy();
    const timer = setTimeout(close, LIMITS.lingerMs);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    request.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > LIMITS.lingerBytes) close();
    });
    request.resume();
  };
  Object.defineProperty(socket, "destroySoon", { value: linger, configurable: true });
}

/** Media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

/**
 * Whether a JSON text nests arrays and objects deeper than `max`, found in one pass without
 * parsing (so 10,000 levels never reach a recursive walk). Brackets inside strings do not count.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export class JsonInputError extends Error {
  override name = "JsonInputError";
  constructor(readonly problem: "malformed" | "too-deep") {
    super(
      problem === "too-deep" ? `JSON nests deeper than ${LIMITS.jsonDepth} levels` : "not JSON",
    );
  }
}

/** JSON.parse for request input: refuses deep nesting first, then malformed text. */
export function parseRequestJson(text: string): unknown {
  if (nestsDeeperThan(text, LIMITS.jsonDepth)) throw new JsonInputError("too-deep");
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonInputError("malformed");
  }
}
