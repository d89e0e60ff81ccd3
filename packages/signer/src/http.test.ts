import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MERCHANT_SERIAL, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import { startTestServer, type TestServer } from "../test/server.js";
import { ApiError, createSignedFetch } from "./fetch.js";
import {
  createMerchantCredentials,
  createSignerMiddleware,
  SignatureVerificationError,
  type SignerOptions,
  VERSION,
} from "./index.js";
import { buildImageUpload } from "./media.js";

// A tiny hand-written openapi-typescript `paths` type for the endpoints the test server has.
type Json<T> = { content: { "application/json": T } };
type ErrorBody = Json<{ code: string; message: string; detail?: Record<string, unknown> }>;
type Get<Q, R> = {
  parameters: { query?: Q; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: Json<R>; 400: ErrorBody; 401: ErrorBody };
};
interface paths {
  "/v3/marketing/busifavor/stocks/123": {
    get: Get<
      { stock_creator_mchid: string; filter?: string },
      { stock_id: string; query: Record<string, string> }
    >;
  };
  "/v3/marketing/busifavor/stocks": {
    post: {
      parameters: { query?: never };
      requestBody: Json<{ stock_name: string; belong_merchant: string }>;
      responses: {
        200: Json<{ created: Record<string, unknown> }>;
        400: ErrorBody;
        401: ErrorBody;
      };
    };
  };
  "/v3/marketing/busifavor/stocks/123/pause": {
    post: {
      parameters: { query?: never };
      requestBody?: never;
      responses: { 204: { content?: never }; 400: ErrorBody };
    };
  };
  "/v3/marketing/favor/media/image-upload": {
    post: {
      parameters: { query?: never };
      requestBody: { content: { "multipart/form-data": { meta: string; file: string } } };
      responses: {
        200: Json<{ media_url: string; type: string; name: string }>;
        400: ErrorBody;
        401: ErrorBody;
      };
    };
  };
  "/v3/test/tampered": { get: Get<never, { amount: number }> };
  "/v3/test/probe": { get: Get<never, { ok: boolean }> };
  "/v3/test/unknown-serial": { get: Get<never, { ok: boolean }> };
  "/v3/test/stale": { get: Get<never, { ok: boolean }> };
  "/v3/test/error": { get: Get<never, { ok: boolean }> };
}

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

describe("createSignerMiddleware on a real openapi-fetch client and node:http server", () => {
  const client = () => {
    const c = createClient<paths>({ baseUrl: server.origin });
    c.use(createSignerMiddleware(options));
    return c;
  };

  it("signs a GET with its query string exactly as sent and verifies the answer", async () => {
    const { data, error, response } = await client().GET("/v3/marketing/busifavor/stocks/123", {
      params: { query: { stock_creator_mchid: "1900000001", filter: '{"a":"b c"}' } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.query).toEqual({ stock_creator_mchid: "1900000001", filter: '{"a":"b c"}' });
    expect(last().url).toContain("?stock_creator_mchid=1900000001&filter=");
    expect(last().headers.accept).toBe("application/json");
    expect(last().headers["user-agent"]).toMatch(`@wechatpay-marketing/signer/${VERSION}`);
    expect(last().headers["wechatpay-serial"]).toBe(PUB_KEY_ID);
    expect(last().headers.authorization).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="[0-9A-Za-z]{32}",timestamp="\d+",serial_no="3775B6A45ACD588826D15E583A95F5DD0A3D8D4F",signature="[A-Za-z0-9+/=]+"$/,
    );
  });

  it("signs a POST JSON body (Unicode) byte for byte", async () => {
    const body = { stock_name: "8月1日活动券 🎉", belong_merchant: "1900008361" };
    const { data, error } = await client().POST("/v3/marketing/busifavor/stocks", { body });
    expect(error).toBeUndefined();
    expect(data?.created).toEqual(body);
    expect(last().headers["content-type"]).toBe("application/json");
  });

  it("verifies a 204 with an empty body", async () => {
    const { error, response } = await client().POST("/v3/marketing/busifavor/stocks/123/pause");
    expect(error).toBeUndefined();
    expect(response.status).toBe(204);
  });

  it("uploads an image as multipart, signed over the meta part", async () => {
    const upload = await buildImageUpload(png, "logo.png");
    const { data, error } = await client().POST("/v3/marketing/favor/media/image-upload", {
      body: upload.body as unknown as { meta: string; file: string },
      bodySerializer: (b) => b as unknown as FormData,
    });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      media_url: `https://wxpaylogo.qpic.cn/${upload.sha256}`,
      type: "image/png",
      name: "logo.png",
    });
    expect(last().headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(last().body.toString("latin1")).toContain(upload.meta);
  });

  for (const [path, reason] of [
    ["/v3/test/tampered", "bad-signature"],
    ["/v3/test/probe", "probe-signature"],
    ["/v3/test/unknown-serial", "unknown-serial"],
    ["/v3/test/stale", "stale-timestamp"],
  ] as const) {
    it(`rejects ${path.slice(9)} answers with SignatureVerificationError(${reason})`, async () => {
      const error = await client()
        .GET(path)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(SignatureVerificationError);
      expect(error).toMatchObject({ reason });
    });
  }

  it("leaves non-2xx to openapi-fetch's error; ApiError.from adds status and requestId", async () => {
    const { data, error, response } = await client().GET("/v3/test/error");
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ code: "PARAM_ERROR", message: "参数错误" });
    const apiError = await ApiError.from(response, error);
    expect(apiError).toMatchObject({
      name: "ApiError",
      status: 400,
      code: "PARAM_ERROR",
      message: "参数错误",
      detail: { field: "/stock_name", issue: "stock_name is required", location: "body" },
      requestId: "08F78BB5AF0610D302A4C1A0C1F3E3B6",
    });
  });

  it("surfaces 401 SIGN_ERROR sign_information when the server rejects our signature", async () => {
    const c = createClient<paths>({ baseUrl: server.origin });
    c.use(createSignerMiddleware({ ...options, privateKey: stranger.pkcs8Pem }));
    const { error, response } = await c.GET("/v3/marketing/busifavor/stocks/123", {
      params: { query: { stock_creator_mchid: "1900000001" } },
    });
    expect(response.status).toBe(401);
    const apiError = await ApiError.from(response, error);
    expect(apiError.code).toBe("SIGN_ERROR");
    expect(apiError.detail?.sign_information).toMatchObject({
      method: "GET",
      url: "/v3/marketing/busifavor/stocks/123",
    });
  });
});

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
