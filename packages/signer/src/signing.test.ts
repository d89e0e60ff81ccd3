import { createPrivateKey } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hasSharedVectors,
  loadTestVectors,
  MERCHANT_SERIAL,
  PUB_KEY_ID,
  testKeyPair,
} from "../test/helpers.js";
import { createMerchantCredentials } from "./credentials.js";
import { SignatureVerificationError } from "./errors.js";
import { buildAuthorization, buildSignMessage, generateNonce } from "./index.js";
import {
  parseAuthorization,
  signResponse,
  verifyAuthorization,
  verifySignature,
} from "./server.js";
import { createMessageSigner, verifyWechatpayHeaders } from "./signing.js";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.skipIf(!hasSharedVectors)("conformance with ../shared/reference/test-vectors.json", () => {
  const vectors = hasSharedVectors ? loadTestVectors() : undefined;

  it("reproduces sign('source') byte for byte, from the PEM and from a CryptoKey", async () => {
    const { rsa } = vectors as NonNullable<typeof vectors>;
    const source = new TextEncoder().encode(rsa.sign.message);
    expect(await createMessageSigner(rsa.privateKeyPkcs8Pem, "privateKey")(source)).toBe(
      rsa.sign.signatureBase64,
    );
    const der = createPrivateKey(rsa.privateKeyPkcs8Pem).export({ type: "pkcs8", format: "der" });
    const key = await crypto.subtle.importKey(
      "pkcs8",
      der,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
    expect(await createMessageSigner(key, "privateKey")(source)).toBe(rsa.sign.signatureBase64);
    expect(await verifySignature(source, rsa.sign.signatureBase64, rsa.publicKeySpkiPem)).toBe(
      true,
    );
  });

  it("reproduces every requestSignatures[i] message and signature", async () => {
    const { rsa, requestSignatures } = vectors as NonNullable<typeof vectors>;
    const options = {
      mchid: rsa.mchid,
      serialNo: rsa.serial,
      privateKey: rsa.privateKeyPkcs8Pem,
      wechatpayPublicKey: { id: PUB_KEY_ID, key: rsa.publicKeySpkiPem },
    };
    for (const v of requestSignatures) {
      const message = buildSignMessage([v.method, v.url, v.timestamp, v.nonce, v.body]);
      expect(decode(message)).toBe(v.message);
      const header = await buildAuthorization(options, {
        method: v.method,
        url: `https://api.mch.weixin.qq.com${v.url}`,
        body: v.body,
        timestamp: Number(v.timestamp),
        nonce: v.nonce,
      });
      expect(header).toBe(
        `WECHATPAY2-SHA256-RSA2048 mchid="${rsa.mchid}",nonce_str="${v.nonce}",timestamp="${v.timestamp}",serial_no="${rsa.serial}",signature="${v.signature}"`,
      );
      await expect(
        verifyAuthorization(
          { method: v.method, url: v.url, body: v.body, authorization: header },
          rsa.publicKeySpkiPem,
          { now: () => Number(v.timestamp) * 1000 },
        ),
      ).resolves.toMatchObject({ mchid: rsa.mchid, serialNo: rsa.serial });
    }
  });

  it("signs with a PKCS#1 PEM of the vector key exactly as with its PKCS#8 PEM", async () => {
    const { rsa, requestSignatures } = vectors as NonNullable<typeof vectors>;
    const pkcs1 = createPrivateKey(rsa.privateKeyPkcs8Pem).export({
      type: "pkcs1",
      format: "pem",
    }) as string;
    const v = requestSignatures[1] as (typeof requestSignatures)[number];
    const header = await buildAuthorization(
      {
        mchid: rsa.mchid,
        serialNo: rsa.serial,
        privateKey: pkcs1,
        wechatpayPublicKey: { id: PUB_KEY_ID, key: rsa.publicKeySpkiPem },
      },
      { method: v.method, url: v.url, body: v.body, timestamp: 1624523846, nonce: v.nonce },
    );
    expect(parseAuthorization(header).signature).toBe(v.signature);
  });
});

describe("generateNonce", () => {
  it("is 32 characters of [0-9A-Za-z] and differs every call", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const nonce = generateNonce();
      expect(nonce).toMatch(/^[0-9A-Za-z]{32}$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(200);
  });

  it("takes any length, also more than one draw of random bytes", () => {
    expect(generateNonce(12)).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(generateNonce(3000)).toMatch(/^[0-9A-Za-z]{3000}$/);
    expect(generateNonce(0)).toBe("");
  });

  it("uses every character about equally (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const c of generateNonce()) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2000 * 32) / 62;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.2);
  });
});

describe("buildSignMessage", () => {
  it("ends every line in \\n, an empty body too", () => {
    expect(decode(buildSignMessage(["GET", "/v3/x?a=1&b=%20", 1, "N", ""]))).toBe(
      "GET\n/v3/x?a=1&b=%20\n1\nN\n\n",
    );
    expect(decode(buildSignMessage(["1", "N", new Uint8Array([0x7b, 0x7d])]))).toBe("1\nN\n{}\n");
  });
});

describe("parseAuthorization", () => {
  it("rejects a missing or malformed header with a typed reason", () => {
    expect(() => parseAuthorization(undefined)).toThrow(
      expect.objectContaining({ reason: "missing-header", header: "Authorization" }),
    );
    for (const bad of [
      "Bearer x",
      'WECHATPAY2-SHA256-RSA2048 mchid="1"',
      "WECHATPAY2-SHA256-RSA2048",
    ]) {
      expect(() => parseAuthorization(bad)).toThrow(SignatureVerificationError);
    }
  });
});

describe("sign → verify (property, 1,000 runs each)", () => {
  const merchant = testKeyPair("merchant");
  const platform = testKeyPair("platform");
  const credentials = createMerchantCredentials({
    mchid: "1900000001",
    serialNo: MERCHANT_SERIAL,
    privateKey: merchant.pkcs8Pem,
    wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.spkiPem },
  });
  const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE");
  const segment = fc.stringMatching(/^[A-Za-z0-9_.~%-]{1,12}$/);
  const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/v3/${s.join("/")}`);
  const query = fc.option(
    fc
      .array(fc.tuple(segment, fc.string({ unit: "grapheme", maxLength: 8 })), { maxLength: 4 })
      .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
    { nil: "" },
  );
  const body = fc.string({ unit: "grapheme", maxLength: 200 });

  it("verifyAuthorization accepts what buildAuthorization signed, over any request", async () => {
    await fc.assert(
      fc.asyncProperty(method, path, query, body, async (m, p, q, b) => {
        const url = `https://api.mch.weixin.qq.com${p}${q}`;
        const authorization = await credentials.authorize({ method: m, url, body: b });
        const wire = new URL(url);
        const parts = await verifyAuthorization(
          { method: m, url: wire.pathname + wire.search, body: b, authorization },
          merchant.spkiPem,
        );
        expect(parts.mchid).toBe("1900000001");
      }),
      { numRuns: 1000 },
    );
  });

  it("any single change to body, timestamp, nonce, signature or serial fails", async () => {
    const now = Date.now();
    const window = { ...credentials, now: () => now };
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom("body", "timestamp", "nonce", "signature", "serial"),
        fc.nat(),
        async (b, field, at) => {
          const headers = await signResponse({
            body: b,
            privateKey: platform.pkcs8Pem,
            serial: PUB_KEY_ID,
            timestamp: Math.floor(now / 1000),
          });
          await verifyWechatpayHeaders(headers, b, window);
          const tampered = { ...headers };
          let tamperedBody = b;
          const flip = (s: string) => {
            const i = at % Math.max(s.length, 1);
            const c = s[i] ?? "";
            const swap = c === "A" ? "B" : "A";
            return s.length === 0 ? "x" : s.slice(0, i) + swap + s.slice(i + 1);
          };
          if (field === "body") tamperedBody = flip(b);
          if (field === "timestamp")
            tampered["Wechatpay-Timestamp"] = String(
              Number(headers["Wechatpay-Timestamp"]) - 1 - (at % 299),
            );
          if (field === "nonce")
            tampered["Wechatpay-Nonce"] = flip(headers["Wechatpay-Nonce"] as string);
          if (field === "signature")
            tampered["Wechatpay-Signature"] =
              flip((headers["Wechatpay-Signature"] as string).slice(0, -4)) +
              (headers["Wechatpay-Signature"] as string).slice(-4);
          if (field === "serial") tampered["Wechatpay-Serial"] = `${PUB_KEY_ID}1`;
          await expect(verifyWechatpayHeaders(tampered, tamperedBody, window)).rejects.toThrow(
            SignatureVerificationError,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
