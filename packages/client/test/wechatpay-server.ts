// A real HTTP server on 127.0.0.1 that plays WeChat Pay for the client's integration tests: it
// checks each request's Authorization with the merchant public key and signs every answer with a
// platform key, so the client's signing and verification both run for real.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signResponse, verifyAuthorization } from "@wechatpay-marketing/signer/server";

export interface TestKeys {
  mchid: string;
  serialNo: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  platformPrivateKey: string;
  platformPublicKey: string;
  platformKeyId: string;
}

const pem = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });

/** Fresh merchant and platform key pairs: no key is ever committed. */
export function generateTestKeys(): TestKeys {
  const merchant = pem();
  const platform = pem();
  return {
    mchid: "1900000001",
    serialNo: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    platformPrivateKey: platform.privateKey,
    platformPublicKey: platform.publicKey,
    platformKeyId: "PUB_KEY_ID_0119000000012025012000000000",
  };
}

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as received on the wire. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
  /** What the signature covers: the body, or the `meta` part of a multipart image upload. */
  signedBody: string;
  /** The merchant signature verified against the bytes received. */
  signatureValid: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering (a slow server, for timeouts). */
  delayMs?: number;
  /** Closes the connection instead of answering (the request was received). */
  drop?: boolean;
}

export interface WechatpayTestServer {
  url: string;
  /** What a client needs to talk to this server: the merchant's side of the test keys. */
  clientOptions: {
    mchid: string;
    serialNo: string;
    privateKey: string;
    wechatpayPublicKey: { id: string; key: string };
    baseUrl: string;
  };
  received: ReceivedRequest[];
  /** The answer to the next request(s); a function sees the request. */
  reply(next: Reply | ((request: ReceivedRequest) => Reply)): void;
  close(): Promise<void>;
}

/** WeChat Pay signs an image upload over its `meta` part only; everything else over the body. */
async function signedPart(contentType: string | undefined, body: string): Promise<string> {
  if (!contentType?.startsWith("multipart/form-data")) return body;
  const form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  const meta = form.get("meta");
  return typeof meta === "string" ? meta : "";
}

export async function startWechatpayServer(keys: TestKeys): Promise<WechatpayTestServer> {
  const received: ReceivedRequest[] = [];
  let next: Reply | ((request: ReceivedRequest) => Reply) = { status: 204 };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = req.url ?? "/";
    const parsed = new URL(url, "http://127.0.0.1");
    const signedBody = await signedPart(req.headers["content-type"], body);
    const signatureValid = await verifyAuthorization(
      {
        method: req.method ?? "GET",
        url,
        body: signedBody,
        authorization: req.headers.authorization,
      },
      keys.merchantPublicKey,
    ).then(
      () => true,
      () => false,
    );
    const request: ReceivedRequest = {
      method: req.method ?? "GET",
      url,
      pathname: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
      body,
      signedBody,
      signatureValid,
    };
    received.push(request);
    const answer = signatureValid
      ? typeof next === "function"
        ? next(request)
        : next
      : { status: 401, body: { code: "SIGN_ERROR", message: "签名错误" } };
    if (answer.drop) {
      req.socket.destroy();
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    const signed = await signResponse({
      body: text,
      privateKey: keys.platformPrivateKey,
      serial: keys.platformKeyId,
    });
    res.writeHead(answer.status, {
      ...(text ? { "Content-Type": "application/json" } : {}),
      "Request-ID": `test-${received.length}`,
      ...signed,
      ...answer.headers,
    });
    res.end(text);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    clientOptions: {
      mchid: keys.mchid,
      serialNo: keys.serialNo,
      privateKey: keys.merchantPrivateKey,
      wechatpayPublicKey: { id: keys.platformKeyId, key: keys.platformPublicKey },
      baseUrl: url,
    },
    received,
    reply(value) {
      next = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
