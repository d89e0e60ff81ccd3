import { SignatureVerificationError } from "@wechatpay-marketing/signer";
import { verifyResponse } from "@wechatpay-marketing/signer/fetch";
import { beforeAll, describe, expect, it } from "vitest";
import { type PlatformKeys, platformSigningSerial, signAnswer } from "./answer-signing.js";
import { generateRsaKeyPair, publicKeyOf } from "./keys.js";

const KEY_ID = "PUB_KEY_ID_0119000000012026120200000000";
let keys: PlatformKeys;
let publicKey: string;

beforeAll(() => {
  const { privateKey } = generateRsaKeyPair();
  publicKey = publicKeyOf(privateKey);
  keys = { privateKey, signingSerial: platformSigningSerial("public-key", KEY_ID, undefined) };
});

const verify = (answer: Awaited<ReturnType<typeof signAnswer>>) =>
  verifyResponse(
    { wechatpayPublicKey: { id: KEY_ID, key: publicKey } },
    { status: answer.status, headers: answer.headers, body: answer.text },
  );

describe("signAnswer", () => {
  const reply = { status: 200, body: { stock_id: "1265000000000001" } };

  it("signs the exact body text with the platform key, with a Request-ID", async () => {
    const answer = await signAnswer(keys, reply, {});
    expect(answer.text).toBe('{"stock_id":"1265000000000001"}');
    expect(answer.headers).toMatchObject({
      "Content-Type": "application/json; charset=utf-8",
      "Wechatpay-Serial": KEY_ID,
      "Request-ID": expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    await expect(verify(answer)).resolves.toBeUndefined();
  });

  it("a 204 has no body and no Content-Type, and is still signed", async () => {
    const answer = await signAnswer(keys, { status: 204 }, {});
    expect(answer.text).toBe("");
    expect(answer.headers["Content-Type"]).toBeUndefined();
    expect(answer.headers["Wechatpay-Signature"]).toBeTruthy();
  });

  it("a tampered signature fails verification; a probe carries WECHATPAY/SIGNTEST/", async () => {
    const tampered = await signAnswer(keys, reply, { fault: "tampered-signature" });
    await expect(verify(tampered)).rejects.toMatchObject({
      name: SignatureVerificationError.name,
      reason: "bad-signature",
    });
    const probe = await signAnswer(keys, reply, { fault: "probe-signature" });
    expect(probe.headers["Wechatpay-Signature"]).toMatch(/^WECHATPAY\/SIGNTEST\//);
  });
});

describe("platformSigningSerial", () => {
  it("picks the public key, the certificate, or in both mode the key the request names", () => {
    expect(platformSigningSerial("public-key", KEY_ID, undefined)("CERT1")).toBe(KEY_ID);
    expect(platformSigningSerial("certificate", KEY_ID, "CERT1")()).toBe("CERT1");
    const both = platformSigningSerial("both", KEY_ID, "CERT1");
    expect([both(), both("cert1"), both("OTHER")]).toEqual([KEY_ID, "CERT1", KEY_ID]);
  });
});
