import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateTestKeys,
  startWechatpayServer,
  type WechatpayTestServer,
} from "../test/wechatpay-server.js";
import {
  ApiError,
  ConfigError,
  createMarketingClient,
  type MarketingClient,
  SignatureVerificationError,
} from "./index.js";

const STOCK = { params: { path: { stock_id: "1212000000000000000" } } } as const;

describe("errors through createMarketingClient, on a real signing server", () => {
  const keys = generateTestKeys();
  let server: WechatpayTestServer;
  let client: MarketingClient;

  beforeAll(async () => {
    server = await startWechatpayServer(keys);
    client = createMarketingClient({ ...server.clientOptions, baseUrl: `${server.url}/` });
  });
  afterAll(() => server.close());

  it("returns the typed error body of a non-2xx answer, with its Request-ID", async () => {
    server.reply({
      status: 404,
      body: { code: "RESOURCE_NOT_EXISTS", message: "资源不存在或无可用" },
    });
    const { data, error, response } = await client.GET(
      "/v3/marketing/busifavor/stocks/{stock_id}",
      STOCK,
    );
    expect(data).toBeUndefined();
    expect(error?.code).toBe("RESOURCE_NOT_EXISTS");
    const apiError = await ApiError.from(response, error);
    expect(apiError).toMatchObject({
      status: 404,
      code: "RESOURCE_NOT_EXISTS",
      requestId: expect.stringMatching(/^test-/),
    });
  });

  it("surfaces sign_information of a 401 SIGN_ERROR", async () => {
    const signInformation = {
      method: "GET",
      url: "/v3/marketing/busifavor/stocks/1",
      truncated_sign_message: "GET\n/v3/…\n",
      sign_message_length: 90,
    };
    server.reply({
      status: 401,
      body: {
        code: "SIGN_ERROR",
        message: "签名错误",
        detail: { sign_information: signInformation },
      },
    });
    const { error } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK);
    expect(error?.detail?.sign_information).toEqual(signInformation);
  });

  it("passes 429 and 500 through as typed errors", async () => {
    for (const [status, code] of [
      [429, "FREQUENCY_LIMITED"],
      [500, "SYSTEM_ERROR"],
    ] as const) {
      server.reply({ status, body: { code, message: code } });
      const { error, response } = await client.GET(
        "/v3/marketing/busifavor/stocks/{stock_id}",
        STOCK,
      );
      expect(response.status).toBe(status);
      expect(error?.code).toBe(code);
    }
  });

  it("rejects a 2xx answer whose signature does not match its body", async () => {
    server.reply({
      status: 200,
      body: { stock_id: "1" },
      headers: { "Wechatpay-Signature": "AAAA" },
    });
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK),
    ).rejects.toMatchObject({
      name: "SignatureVerificationError",
      reason: "bad-signature",
    });
  });

  it("rejects a WECHATPAY/SIGNTEST/ probe signature", async () => {
    server.reply({
      status: 200,
      body: { stock_id: "1" },
      headers: { "Wechatpay-Signature": "WECHATPAY/SIGNTEST/abc" },
    });
    const error = await client
      .GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureVerificationError);
    expect((error as SignatureVerificationError).reason).toBe("probe-signature");
  });

  it("rejects an answer signed by a key it does not know", async () => {
    server.reply({
      status: 200,
      body: { stock_id: "1" },
      headers: { "Wechatpay-Serial": "PUB_KEY_ID_0000000000000000000000000000" },
    });
    await expect(
      client.GET("/v3/marketing/busifavor/stocks/{stock_id}", STOCK),
    ).rejects.toMatchObject({ reason: "unknown-serial" });
  });

  it("fails at construction, naming the option, for bad configuration", () => {
    const good = server.clientOptions;
    const cases: [Record<string, unknown>, string][] = [
      [{ mchid: "" }, "mchid"],
      [{ mchid: "19000x" }, "mchid"],
      [{ serialNo: "not hex!" }, "serialNo"],
      [
        { privateKey: "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----" },
        "privateKey",
      ],
      [{ privateKey: keys.platformPublicKey }, "privateKey"],
      [
        { wechatpayPublicKey: { id: "WRONG", key: keys.platformPublicKey } },
        "wechatpayPublicKey.id",
      ],
    ];
    for (const [override, option] of cases) {
      const attempt = () =>
        createMarketingClient({ ...good, ...override } as Parameters<
          typeof createMarketingClient
        >[0]);
      expect(attempt).toThrow(ConfigError);
      try {
        attempt();
      } catch (error) {
        expect((error as ConfigError).option).toBe(option);
        // The message names the option, never the key material it was given.
        expect(String(error)).not.toContain(keys.platformPublicKey.split("\n")[1]);
      }
    }
  });
});
