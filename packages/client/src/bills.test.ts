// client.downloadBill against a real bill server on 127.0.0.1: the GET is signed, the unsigned
// answer is accepted only when its SHA-1 is the link's, with the global fetch, npm undici and
// node-fetch as the user's fetch.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyAuthorization } from "@wechatpay-marketing/signer/server";
import nodeFetchModule from "node-fetch";
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestKeys, type TestKeys } from "../test/wechatpay-server.js";
import {
  ApiError,
  BillDownloadError,
  createMarketingClient,
  type MarketingClientOptions,
} from "./index.js";

const FILE = Buffer.from(
  "批次id,优惠id,优惠类型,优惠金额(元)\n2433405,9856888,全场券,10.00\n",
  "utf8",
);
const SHA1 = createHash("sha1").update(FILE).digest("hex");
const TOKEN = "favor-use-2433405";

let keys: TestKeys;
let server: Server;
let base: string;
const received: { url: string; authorized: boolean; body: string }[] = [];

beforeAll(async () => {
  keys = generateTestKeys();
  server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = req.url ?? "/";
    const authorized = await verifyAuthorization(
      { method: req.method ?? "GET", url, body, authorization: req.headers.authorization },
      keys.merchantPublicKey,
    ).then(
      () => true,
      () => false,
    );
    received.push({ url, authorized, body });
    const token = new URL(url, "http://x").searchParams.get("token");
    if (!authorized) {
      res.writeHead(401, { "Content-Type": "application/json", "Request-ID": "bill-401" });
      res.end(JSON.stringify({ code: "SIGN_ERROR", message: "签名错误" }));
    } else if (token !== TOKEN) {
      res.writeHead(400, { "Content-Type": "application/json", "Request-ID": "bill-400" });
      res.end(JSON.stringify({ code: "INVALID_REQUEST", message: "下载链接已过期" }));
    } else {
      // Like WeChat Pay's bill download: the file itself, with no Wechatpay-Signature.
      res.writeHead(200, { "Content-Type": "text/csv; charset=utf-8" });
      res.end(FILE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const link = (token = TOKEN) => `${base}/v3/billdownload/file?token=${token}`;

function client(fetch?: MarketingClientOptions["fetch"]) {
  return createMarketingClient({
    mchid: keys.mchid,
    serialNo: keys.serialNo,
    privateKey: keys.merchantPrivateKey,
    wechatpayPublicKey: { id: keys.platformKeyId, key: keys.platformPublicKey },
    baseUrl: base,
    ...(fetch ? { fetch } : {}),
  });
}

// node-fetch 2 is CommonJS: its module is the fetch function, `default` itself (as its types say).
const nodeFetch = nodeFetchModule.default;

// node-fetch 2 takes a URL and init, not a WHATWG Request: the adapter a user writes for it.
const viaNodeFetch = (async (request: Request) =>
  nodeFetch(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
  })) as unknown as MarketingClientOptions["fetch"];
const viaUndici = ((request: Request) =>
  undiciFetch(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
  })) as unknown as MarketingClientOptions["fetch"];

describe.each([
  ["the global fetch", undefined],
  ["npm undici", viaUndici],
  ["node-fetch", viaNodeFetch],
] as const)("downloadBill with %s", (_name, fetch) => {
  it("signs the GET, accepts the unsigned file whose SHA-1 is the link's", async () => {
    const before = received.length;
    const file = await client(fetch).downloadBill({
      url: link(),
      hash_value: SHA1.toUpperCase(),
      hash_type: "SHA1",
    });
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(file.sha1).toBe(SHA1);
    expect(file.text()).toContain("2433405,9856888");
    expect(received.slice(before)).toEqual([
      { url: `/v3/billdownload/file?token=${TOKEN}`, authorized: true, body: "" },
    ]);
  });

  it("refuses a file whose SHA-1 differs, naming both hashes", async () => {
    const wrong = "0".repeat(40);
    const error = await client(fetch)
      .downloadBill({ url: link(), stock_useflow_hash: wrong, stock_useflow_count: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillDownloadError);
    expect(error).toMatchObject({
      code: "BILL_DOWNLOAD_REFUSED",
      reason: "hash-mismatch",
      expected: wrong,
      actual: SHA1,
    });
  });
});

describe("downloadBill", () => {
  it("takes the by-day links too (stock_refundflow_hash)", async () => {
    const file = await client().downloadBill({
      url: link(),
      stock_refundflow_hash: SHA1,
      stock_refundflow_count: "1",
    });
    expect(file.sha1).toBe(SHA1);
  });

  it("answers a non-2xx as ApiError with its code and Request-ID", async () => {
    const error = await client()
      .downloadBill({ url: link("expired"), hash_value: SHA1, hash_type: "SHA1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "INVALID_REQUEST", requestId: "bill-400" });
  });

  it("sends nothing for a hash that is not SHA-1, or a link that is neither WeChat Pay's nor the base URL's", async () => {
    const before = received.length;
    const sha256 = await client()
      .downloadBill({ url: link(), hash_value: SHA1, hash_type: "SHA256" as "SHA1" })
      .catch((e: unknown) => e);
    expect(sha256).toMatchObject({ reason: "unsupported-hash" });
    const elsewhere = await client()
      .downloadBill({
        url: `https://bills.example/v3/billdownload/file?token=${TOKEN}`,
        hash_value: SHA1,
        hash_type: "SHA1",
      })
      .catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ reason: "untrusted-url" });
    expect((elsewhere as Error).message).toContain("https://bills.example");
    expect((elsewhere as Error).message).not.toContain(TOKEN);
    expect(received.length).toBe(before);
  });
});
