// A man in the middle on 127.0.0.1, as an on-path attacker without the platform key would be:
// it forwards every request to the real server, receives the genuine answer and hands the
// client whatever `tamper` makes of it (another status, changed headers or bytes, a body of
// its own). It records every Authorization it sees, so tests can check none leaks.
import { createServer, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the proxy sends back: an answer, or a function that writes the response itself. */
export type Tampering = (genuine: Answer) => Answer | ((res: ServerResponse) => void);

export interface ManInTheMiddle {
  origin: string;
  /** The tampering for the next requests (default: pass the genuine answer on). */
  tamper: Tampering;
  /** Every Authorization header that went through. */
  authorizations: string[];
  close(): Promise<void>;
}

function forward(
  upstream: URL,
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, upstream),
      { method, headers: { ...headers, host: upstream.host } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => {
          const answerHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === "string") answerHeaders[name] = value;
          }
          resolve({
            status: incoming.statusCode ?? 502,
            headers: answerHeaders,
            body: Buffer.concat(chunks),
          });
        });
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

export async function startManInTheMiddle(upstreamOrigin: string): Promise<ManInTheMiddle> {
  const upstream = new URL(upstreamOrigin);
  const authorizations: string[] = [];
  const proxy: ManInTheMiddle = {
    origin: "",
    tamper: (genuine) => genuine,
    authorizations,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    try {
      const genuine = await forward(
        upstream,
        req.method ?? "GET",
        req.url ?? "/",
        req.headers,
        Buffer.concat(chunks),
      );
      const forged = proxy.tamper(genuine);
      if (typeof forged === "function") return forged(res);
      // The forged body decides the framing: a stale Content-Length would be a protocol error.
      const { "content-length": _, "transfer-encoding": __, ...headers } = forged.headers;
      res.writeHead(forged.status, { ...headers, "content-length": forged.body.length });
      res.end(forged.body);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return proxy;
}

/**
 * A writer that streams `total` bytes of `{…}` JSON-ish filler in 64 KiB chunks, chunked (no
 * Content-Length) unless `declare`, stopping when the client goes away; `sent()` tells how far
 * it got.
 */
export function streamHugeBody(
  genuine: Answer,
  total: number,
  declare = false,
): { write: (res: ServerResponse) => void; sent: () => number } {
  let sent = 0;
  const write = (res: ServerResponse) => {
    const { "content-length": _, "transfer-encoding": __, ...headers } = genuine.headers;
    res.writeHead(200, declare ? { ...headers, "content-length": total } : headers);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    const pump = () => {
      while (!closed && sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!closed) res.end();
    };
    pump();
  };
  return { write, sent: () => sent };
}
