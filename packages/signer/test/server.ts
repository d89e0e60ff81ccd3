import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signResponse, verifyAuthorization } from "../src/server.js";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface TestServer {
  origin: string;
  requests: RecordedRequest[];
  /** How far the server's signing clock is from now (ms): answers signed in the past or future. */
  signingSkewMs: number;
  close(): Promise<void>;
}

/**
 * A local WeChat Pay stand-in on 127.0.0.1: checks the merchant's Authorization with
 * verifyAuthorization and signs every answer with the platform key.
 */
export async function startTestServer(options: {
  merchantPublicKey: string;
  platformPrivateKey: string;
  platformSerial: string;
}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const testServer = { signingSkewMs: 0 } as TestServer;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? "/";
    const method = req.method ?? "GET";
    requests.push({ method, url, headers: req.headers, body });
    const send = async (
      status: number,
      payload: unknown,
      change: (headers: Record<string, string>) => { body?: string } | undefined = () => undefined,
    ) => {
      const text = payload === undefined ? "" : JSON.stringify(payload);
      const headers = await signResponse({
        body: text,
        privateKey: options.platformPrivateKey,
        serial: options.platformSerial,
        timestamp: Math.floor((Date.now() + testServer.signingSkewMs) / 1000),
      });
      const altered = change(headers);
      res.writeHead(status, {
        ...headers,
        "Request-ID": "08F78BB5AF0610D302A4C1A0C1F3E3B6",
        ...(text ? { "Content-Type": "application/json" } : {}),
      });
      res.end(altered?.body ?? text);
    };

    let signedBody: string | Buffer = body;
    const contentType = req.headers["content-type"] ?? "";
    let form: FormData | undefined;
    if (contentType.startsWith("multipart/form-data")) {
      form = await new Request("http://x/", {
        method: "POST",
        body,
        headers: { "content-type": contentType },
      }).formData();
      signedBody = String(form.get("meta"));
    }
    try {
      await verifyAuthorization(
        { method, url, body: signedBody, authorization: req.headers.authorization },
        options.merchantPublicKey,
      );
    } catch (error) {
      const path = url.split("?")[0];
      return send(401, {
        code: "SIGN_ERROR",
        message: "签名错误",
        detail: {
          detail: { issue: (error as Error).message },
          sign_information: {
            method,
            url: path,
            sign_message_length: 100,
            truncated_sign_message: `${method}\n${path}\n`,
          },
        },
      });
    }

    const path = new URL(url, "http://x").pathname;
    const query = Object.fromEntries(new URL(url, "http://x").searchParams);
    const now = Math.floor(Date.now() / 1000);
    switch (path) {
      case "/v3/marketing/busifavor/stocks/123":
        return send(200, { stock_id: "123", query });
      case "/v3/marketing/busifavor/stocks":
        return send(200, { created: JSON.parse(body.toString("utf8")) });
      case "/v3/marketing/busifavor/stocks/123/pause":
        return send(204, undefined);
      case "/v3/marketing/favor/media/image-upload": {
        const meta = JSON.parse(String(form?.get("meta")));
        const file = form?.get("file") as File;
        const sha256 = createHash("sha256")
          .update(Buffer.from(await file.arrayBuffer()))
          .digest("hex");
        if (sha256 !== meta.sha256) return send(400, { code: "PARAM_ERROR", message: "sha256" });
        return send(200, {
          media_url: `https://wxpaylogo.qpic.cn/${sha256}`,
          type: file.type,
          name: file.name,
        });
      }
      case "/v3/test/tampered":
        return send(200, { amount: 1 }, () => ({ body: JSON.stringify({ amount: 1000 }) }));
      case "/v3/test/probe":
        return send(200, { ok: true }, (h) => {
          h["Wechatpay-Signature"] = `WECHATPAY/SIGNTEST/${h["Wechatpay-Signature"]}`;
          return undefined;
        });
      case "/v3/test/unknown-serial":
        return send(200, { ok: true }, (h) => {
          h["Wechatpay-Serial"] = "PUB_KEY_ID_0000000000000000000000000000000999";
          return undefined;
        });
      case "/v3/test/stale": {
        const text = JSON.stringify({ ok: true });
        const headers = await signResponse({
          body: text,
          privateKey: options.platformPrivateKey,
          serial: options.platformSerial,
          timestamp: now - 301,
        });
        res.writeHead(200, { ...headers, "Content-Type": "application/json" });
        return res.end(text);
      }
      case "/v3/test/error":
        return send(400, {
          code: "PARAM_ERROR",
          message: "参数错误",
          detail: {
            field: "/stock_name",
            value: "",
            issue: "stock_name is required",
            location: "body",
          },
        });
      default:
        return send(404, { code: "RESOURCE_NOT_EXISTS", message: "not found" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  testServer.origin = `http://127.0.0.1:${port}`;
  testServer.requests = requests;
  testServer.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return testServer;
}
