// Runs the built package under any runtime (node, deno, bun): test vectors, a sign/verify round
// trip with a key generated here, the AES-256-GCM case and the build's certificate mode.
// Prints "conformance ok" on success. It imports the package by name, so it runs from a
// directory where the package is installed (src/runtimes.test.ts stages one).
// With a second path, also every coupon-delivery vector (plug-in payload, H5 URL, APIv2 sign).
// Usage: <runtime> [--conditions=browser] conformance.mjs <test-vectors.json> [coupon-distribution-vectors.json]
import {
  buildAuthorization,
  buildSignMessage,
  ConfigError,
  createMerchantCredentials,
  decryptResource,
  parseNotification,
  VERSION,
} from "@wechatpay-marketing/signer";
import {
  buildH5CouponUrl,
  buildSendCouponPayload,
  signApiV2,
} from "@wechatpay-marketing/signer/coupon-delivery";
import { verifyResponse } from "@wechatpay-marketing/signer/fetch";
import {
  encryptResource,
  signNotification,
  signResponse,
  verifyAuthorization,
} from "@wechatpay-marketing/signer/server";

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const readText = async (path) =>
  globalThis.Deno
    ? await Deno.readTextFile(path)
    : await (await import("node:fs/promises")).readFile(path, "utf8");
const vectors = JSON.parse(await readText(args[0]));
const check = (ok, what) => {
  if (!ok) throw new Error(`conformance failed: ${what}`);
};
const PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000000000";
const { rsa } = vectors;

// 1. Request signature vectors, byte for byte.
const options = {
  mchid: rsa.mchid,
  serialNo: rsa.serial,
  privateKey: rsa.privateKeyPkcs8Pem,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: rsa.publicKeySpkiPem },
};
for (const v of vectors.requestSignatures) {
  check(
    new TextDecoder().decode(buildSignMessage([v.method, v.url, v.timestamp, v.nonce, v.body])) ===
      v.message,
    `message ${v.method} ${v.url}`,
  );
  const header = await buildAuthorization(options, {
    method: v.method,
    url: v.url,
    body: v.body,
    timestamp: Number(v.timestamp),
    nonce: v.nonce,
  });
  check(header.endsWith(`signature="${v.signature}"`), `signature ${v.method} ${v.url}`);
}

// 2. Round trip with keys generated at run time (merchant signs, "platform" answers).
const algorithm = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};
const merchant = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
const platform = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
const credentials = createMerchantCredentials({
  mchid: "1900000001",
  serialNo: "3775B6A45ACD588826D15E583A95F5DD0A3D8D4F",
  privateKey: merchant.privateKey,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.publicKey },
});
const body = JSON.stringify({ stock_name: "8月1日活动券" });
const authorization = await credentials.authorize({
  method: "POST",
  url: "https://api.mch.weixin.qq.com/v3/marketing/busifavor/stocks?x=1",
  body,
});
await verifyAuthorization(
  { method: "POST", url: "/v3/marketing/busifavor/stocks?x=1", body, authorization },
  merchant.publicKey,
);
const headers = new Headers(
  await signResponse({ body, privateKey: platform.privateKey, serial: PUB_KEY_ID }),
);
const verified = await verifyResponse(credentials, new Response(body, { status: 200, headers }));
check((await verified.text()) === body, "verified response holds the verified bytes");
let rejected = false;
await verifyResponse(credentials, new Response(`${body} `, { status: 200, headers })).catch((e) => {
  rejected = e.reason === "bad-signature";
});
check(rejected, "tampered response rejected");

// 3. AES-256-GCM vector, both ways, and a notification.
const { aes256gcm: a } = vectors;
const resource = {
  algorithm: "AEAD_AES_256_GCM",
  ciphertext: a.ciphertextBase64,
  nonce: a.nonce,
  associated_data: a.associatedData,
};
check((await decryptResource(resource, a.apiV3Key)) === a.plaintext, "AES decrypt");
check(
  (await encryptResource(a.plaintext, a.apiV3Key, a.associatedData, a.nonce)).ciphertext ===
    a.ciphertextBase64,
  "AES encrypt",
);
const n = await signNotification({
  id: "EV-1",
  eventType: "COUPON.SEND",
  resource: { ok: 1 },
  apiV3Key: a.apiV3Key,
  privateKey: platform.privateKey,
  serial: PUB_KEY_ID,
});
const parsed = await parseNotification(n, {
  apiV3Key: a.apiV3Key,
  wechatpayPublicKey: { id: PUB_KEY_ID, key: platform.publicKey },
});
check(parsed.resource.ok === 1, "notification");

// 4. Certificate mode: the web build (`--conditions=browser`) refuses it at construction; the
// node build (every runtime's default) accepts the option and parses the PEM lazily.
const web = credentials.userAgent.endsWith("(web)");
let refused;
try {
  createMerchantCredentials({ ...options, platformCertificates: ["-----BEGIN CERTIFICATE-----"] });
} catch (error) {
  refused = error;
}
check(
  web
    ? refused instanceof ConfigError && refused.option === "platformCertificates"
    : refused === undefined,
  `certificate mode ${web ? "refused" : "accepted"} by the ${web ? "web" : "node"} build`,
);

// 5. Coupon delivery (APIv2 HMAC-SHA256): every vector's sign, plug-in attributes and H5 URL.
let couponVectors = 0;
if (args[1]) {
  for (const v of JSON.parse(await readText(args[1])).vectors) {
    if (v.kind === "plugin") {
      const payload = await buildSendCouponPayload(v.inputs, v.key);
      check(JSON.stringify(payload) === JSON.stringify(v.pluginAttributes), `${v.id} payload`);
    } else if (v.kind === "h5") {
      check((await buildH5CouponUrl(v.inputs, v.key)) === v.url, `${v.id} url`);
    }
    check((await signApiV2(v.signedParams, v.key)) === v.sign, `${v.id} sign`);
    couponVectors += 1;
  }
}

console.log(
  `conformance ok (${VERSION}, ${credentials.userAgent}; ${couponVectors} coupon-delivery vectors)`,
);
