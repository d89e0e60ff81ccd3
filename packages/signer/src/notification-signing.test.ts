// signNotification (the server side, for the sandbox): what it fills in when the caller does not
// say, and that parseNotification reads back exactly that.
import { describe, expect, it } from "vitest";
import { API_V3_KEY, PUB_KEY_ID, testKeyPair } from "../test/helpers.js";
import { parseNotification } from "./index.js";
import { signNotification } from "./server.js";

const platform = testKeyPair("platform");
const options = {
  apiV3Key: API_V3_KEY,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
};

describe("signNotification", () => {
  it("defaults the create time to now, an empty summary and no associated data", async () => {
    const before = Math.floor(Date.now() / 1000);
    const signed = await signNotification({
      id: "EV-1",
      eventType: "COUPON.SEND",
      resource: { coupon_code: "c1" },
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    const envelope = JSON.parse(signed.body) as {
      create_time: string;
      summary: string;
      resource: { associated_data: string; original_type?: string };
    };
    expect(envelope.summary).toBe("");
    expect(envelope.resource.associated_data).toBe("");
    expect(envelope.resource).not.toHaveProperty("original_type");
    expect(envelope.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(Date.parse(envelope.create_time) / 1000).toBeGreaterThanOrEqual(before - 1);
    expect(signed.headers["Content-Type"]).toBe("application/json");

    const notification = await parseNotification(signed, options);
    expect(notification).toMatchObject({
      id: "EV-1",
      summary: "",
      resource: { coupon_code: "c1" },
    });
  });

  it("reads an envelope without a summary as an empty one", async () => {
    const signed = await signNotification({
      id: "EV-2",
      eventType: "COUPON.SEND",
      createTime: "2030-01-01T00:00:00+08:00",
      resource: {},
      apiV3Key: API_V3_KEY,
      privateKey: platform.pkcs8Pem,
      serial: PUB_KEY_ID,
    });
    const { summary: _, ...envelope } = JSON.parse(signed.body) as Record<string, unknown>;
    const body = JSON.stringify(envelope);
    const { signResponse } = await import("./server.js");
    const headers = await signResponse({ body, privateKey: platform.pkcs8Pem, serial: PUB_KEY_ID });
    expect(await parseNotification({ headers, body }, options)).toMatchObject({
      createTime: "2030-01-01T00:00:00+08:00",
      summary: "",
    });
  });

  it("refuses options without an APIv3 key before reading the request", async () => {
    await expect(
      parseNotification({ headers: {}, body: "{}" }, undefined as unknown as typeof options),
    ).rejects.toMatchObject({ name: "ConfigError" });
  });
});
