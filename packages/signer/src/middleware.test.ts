import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MERCHANT_SERIAL, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import type { paths } from "../test/paths.js";
import { startTestServer, type TestServer } from "../test/server.js";
import { ApiError } from "./fetch.js";
import { SignatureVerificationError, type SignerOptions, VERSION } from "./index.js";
import { buildImageUpload } from "./media.js";
import { createSignerMiddleware } from "./middleware.js";

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
      message: "HTTP 400 PARAM_ERROR: 参数错误",
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
