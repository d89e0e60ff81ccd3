// Requests the typed client would never send, written byte by byte with node:http on 127.0.0.1:
// unsigned or hand-signed, with any headers, and bodies streamed from one reused chunk, so a
// 256 MB attack costs the test almost no memory.
import { request as httpRequest } from "node:http";
import { buildAuthorization } from "@wechatpay-marketing/signer";
import { createSignedFetch } from "@wechatpay-marketing/signer/fetch";
import { buildImageUpload, IMAGE_UPLOAD_PATH } from "@wechatpay-marketing/signer/media";
import { pngImage } from "@wechatpay-marketing/test-fixtures";
import type { Sandbox } from "../src/index.js";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies of many shapes
  json: any;
  /** Body bytes the client handed to the socket before the answer (or the end). */
  written: number;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Stream this many bytes of filler instead of `body`. */
  streamBytes?: number;
  /** With streamBytes: announce the length up front instead of sending chunked. */
  declareLength?: boolean;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x5b); // "[[[[…": valid-looking, never-ending JSON

export function sendRaw(sandbox: Sandbox, input: RawRequest): Promise<RawAnswer> {
  const { port } = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    let written = 0;
    let settled = false;
    const headers: Record<string, string> = { ...input.headers };
    if (input.streamBytes !== undefined && input.declareLength) {
      headers["Content-Length"] = String(input.streamBytes);
    }
    const req = httpRequest({
      host: "127.0.0.1",
      port: Number(port),
      method: input.method,
      path: input.path,
      headers,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        settled = true;
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, written });
      });
    });
    // Once the server has answered and closed, the rest of a streamed body fails to send.
    req.on("error", (error) => {
      if (!settled) setTimeout(() => settled || reject(error), 1000);
    });
    if (input.streamBytes === undefined) {
      if (input.body !== undefined) written = Buffer.byteLength(input.body);
      req.end(input.body);
      return;
    }
    const total = input.streamBytes;
    const pump = () => {
      while (written < total && !req.destroyed) {
        const chunk = total - written >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - written);
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** The headers of a request signed with the sandbox's merchant key, as the client signs it. */
export async function signedHeaders(
  sandbox: Sandbox,
  input: { method: string; path: string; body?: string; timestamp?: number },
): Promise<Record<string, string>> {
  const authorization = await buildAuthorization(sandbox.clientOptions, {
    method: input.method,
    url: input.path,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
  });
  return {
    Authorization: authorization,
    Accept: "application/json",
    "User-Agent": "attack-suite",
    ...(input.body !== undefined ? { "Content-Type": "application/json" } : {}),
  };
}

/** A signed JSON request sent raw. */
export async function sendSigned(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<RawAnswer> {
  const text =
    body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const headers = await signedHeaders(sandbox, { method, path, ...(text ? { body: text } : {}) });
  return sendRaw(sandbox, {
    method,
    path,
    headers: { ...headers, ...extraHeaders },
    ...(text ? { body: text } : {}),
  });
}

/**
 * Uploads an image with 图片上传(营销专用), signed over its `meta` part by the signer's fetch
 * wrapper (which also verifies the answer), and answers its media_url.
 */
export async function uploadLogo(
  sandbox: Sandbox,
  bytes: Uint8Array = pngImage(),
  filename = "logo.png",
): Promise<string> {
  const upload = await buildImageUpload(bytes, filename);
  const response = await createSignedFetch(sandbox.clientOptions)(
    new URL(IMAGE_UPLOAD_PATH, sandbox.url),
    { method: "POST", body: upload.body },
  );
  const { media_url } = (await response.json()) as { media_url: string };
  return media_url;
}
