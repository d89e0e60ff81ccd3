import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MERCHANT_SERIAL, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import { startTestServer, type TestServer } from "../test/server.js";
import { ApiError, createSignedFetch } from "./fetch.js";
import { createMerchantCredentials, type SignerOptions } from "./index.js";
import { buildImageUpload } from "./media.js";

const merchant = testKeyPair("merchant");
const platform = testKeyPair("platform");
const stranger = testKeyPair("stranger");
let server: TestServer;
let options: SignerOptions;

beforeAll(async () => {
  server = await startTestServer({
    merchantPublicKey: merchant.spkiPem,
    platformPrivateKey: platform.pkcs8Pem,
    platformSerial: PUB_KEY_ID,
  });
  options = {
    mchid: "1900000001",
    serialNo: MERCHANT_SERIAL,
    privateKey: merchant.pkcs8Pem,
    wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
  };
});
afterAll(() => server.close());

const last = () => {
  const request = server.requests.at(-1);
  if (!request) throw new Error("the test server saw no request");
  return request;
};
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 250]);

describe("createSignedFetch against the same server", () => {
  const signedFetch = () => createSignedFetch(options);

  it("GET with query, POST JSON, 204 and image upload", async () => {
    const f = signedFetch();
    const get = await f(
      `${server.origin}/v3/marketing/busifavor/stocks/123?stock_creator_mchid=1900000001&x=%E4%B8%AD`,
    );
    expect(await get.json()).toMatchObject({ query: { x: "中" } });
    expect(last().url).toBe(
      "/v3/marketing/busifavor/stocks/123?stock_creator_mchid=1900000001&x=%E4%B8%AD",
    );

    const post = await f(`${server.origin}/v3/marketing/busifavor/stocks`, {
      method: "POST",
      body: JSON.stringify({ stock_name: "券", belong_merchant: "1" }),
    });
    expect(post.status).toBe(200);
    expect(last().headers["content-type"]).toBe("application/json");

    const empty = await f(`${server.origin}/v3/marketing/busifavor/stocks/123/pause`, {
      method: "POST",
    });
    expect(empty.status).toBe(204);

    const upload = await buildImageUpload(new Blob([png]), "logo.jpg");
    const uploaded = await f(`${server.origin}/v3/marketing/favor/media/image-upload`, {
      method: "POST",
      body: upload.body,
    });
    expect(await uploaded.json()).toMatchObject({ type: "image/jpeg" });
  });

  it("rejects tampered, probe, unknown-serial and stale answers", async () => {
    const f = signedFetch();
    for (const [path, reason] of [
      ["tampered", "bad-signature"],
      ["probe", "probe-signature"],
      ["unknown-serial", "unknown-serial"],
      ["stale", "stale-timestamp"],
    ]) {
      await expect(f(`${server.origin}/v3/test/${path}`)).rejects.toMatchObject({
        name: "SignatureVerificationError",
        reason,
      });
    }
  });

  it("throws ApiError for non-2xx with code, message, detail and requestId", async () => {
    const error = await signedFetch()(`${server.origin}/v3/test/error`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "PARAM_ERROR",
      detail: { field: "/stock_name" },
      requestId: "08F78BB5AF0610D302A4C1A0C1F3E3B6",
    });
  });

  it("surfaces 401 SIGN_ERROR sign_information", async () => {
    const f = createSignedFetch({ ...options, privateKey: stranger.pkcs1Pem });
    const error = (await f(`${server.origin}/v3/marketing/busifavor/stocks`, {
      method: "POST",
      body: "{}",
    }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(error.code).toBe("SIGN_ERROR");
    expect(error.detail?.sign_information?.url).toBe("/v3/marketing/busifavor/stocks");
  });

  it("answers with the verified bytes, keeping status, headers and url", async () => {
    const url = `${server.origin}/v3/marketing/busifavor/stocks/123?stock_creator_mchid=1900000001`;
    const response = await signedFetch()(url, { headers: { "X-Extra": "1" } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.url).toBe(url);
    expect(response.redirected).toBe(false);
    expect(response.headers.get("Wechatpay-Serial")).toBe(PUB_KEY_ID);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toMatchObject({ stock_id: "123" });
    expect(last().headers["x-extra"]).toBe("1");
    expect(last().headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
    const viaUrl = await signedFetch()(new URL(url), { method: "get" });
    expect(await viaUrl.json()).toMatchObject({ stock_id: "123" });
    expect(last().url).toBe(new URL(url).pathname + new URL(url).search);
  });

  it("returns non-2xx responses unverified with throwOnError: false", async () => {
    const f = createSignedFetch({ ...options, throwOnError: false });
    expect((await f(`${server.origin}/v3/test/error`)).status).toBe(400);
  });

  it("shares one credentials object between middleware and fetch wrapper", async () => {
    const credentials = createMerchantCredentials(options);
    const f = createSignedFetch({ ...credentials, fetch } as never);
    expect(
      (await f(`${server.origin}/v3/marketing/busifavor/stocks/123/pause`, { method: "POST" }))
        .status,
    ).toBe(204);
  });
});
