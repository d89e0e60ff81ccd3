import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pkcs8Pem: string;
  pkcs1Pem: string;
  spkiPem: string;
}

const pairs = new Map<string, TestKeyPair>();

/** RSA-2048 pairs generated at test time (never committed), one per name, cached per worker. */
export function testKeyPair(name: string): TestKeyPair {
  let pair = pairs.get(name);
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    pair = {
      privateKey,
      publicKey,
      pkcs8Pem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      pkcs1Pem: privateKey.export({ type: "pkcs1", format: "pem" }) as string,
      spkiPem: publicKey.export({ type: "spki", format: "pem" }) as string,
    };
    pairs.set(name, pair);
  }
  return pair;
}

/** ../shared beside the repository: /work/shared when the repo is /work/main. */
export const SHARED_DIR = fileURLToPath(new URL("../../../../shared/", import.meta.url));
export const TEST_VECTORS_PATH = `${SHARED_DIR}reference/test-vectors.json`;
export const hasSharedVectors = existsSync(TEST_VECTORS_PATH);
/** The send-coupon plug-in and H5发券 vectors (APIv2 HMAC-SHA256). */
export const COUPON_VECTORS_PATH = `${SHARED_DIR}reference/coupon-distribution-vectors.json`;
if (!hasSharedVectors) {
  console.warn(
    `skipping conformance tests: ${TEST_VECTORS_PATH} is absent (../shared is not beside this clone)`,
  );
}

export interface TestVectors {
  rsa: {
    privateKeyPkcs8Pem: string;
    publicKeySpkiPem: string;
    serial: string;
    mchid: string;
    sign: { message: string; signatureBase64: string };
  };
  requestSignatures: {
    method: string;
    url: string;
    timestamp: string;
    nonce: string;
    body: string;
    message: string;
    signature: string;
  }[];
  aes256gcm: {
    apiV3Key: string;
    nonce: string;
    associatedData: string;
    ciphertextBase64: string;
    plaintext: string;
  };
}

export function loadTestVectors(): TestVectors {
  return JSON.parse(readFileSync(TEST_VECTORS_PATH, "utf8")) as TestVectors;
}

// A tiny DER *encoder* (never a parser) to make self-signed test certificates.
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>>= 8) bytes.unshift(v & 0xff);
  return Buffer.of(0x80 | bytes.length, ...bytes);
}
function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.of(tag), derLength(body.length), body]);
}
const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const oid = (hex: string) => der(0x06, Buffer.from(hex, "hex"));
const SHA256_WITH_RSA = seq(oid("2a864886f70d01010b"), Buffer.of(0x05, 0x00));
function time(date: Date): Buffer {
  const s = date.toISOString().replace(/[-:T]/g, "").slice(2, 14);
  return der(0x17, Buffer.from(`${s}Z`));
}
function name(cn: string): Buffer {
  return seq(der(0x31, seq(oid("550403"), der(0x0c, Buffer.from(cn)))));
}

/** A self-signed X.509 PEM for `pair` with the given serial (hex) and validity. */
export function makeCertificate(
  pair: TestKeyPair,
  options: { serial: string; notBefore?: Date; notAfter?: Date },
): string {
  const day = 86_400_000;
  const serial = Buffer.from(
    options.serial.length % 2 ? `0${options.serial}` : options.serial,
    "hex",
  );
  const serialDer = der(
    0x02,
    serial[0] !== undefined && serial[0] & 0x80 ? Buffer.concat([Buffer.of(0), serial]) : serial,
  );
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.of(2))),
    serialDer,
    SHA256_WITH_RSA,
    name("Tenpay.com Root CA"),
    seq(
      time(options.notBefore ?? new Date(Date.now() - day)),
      time(options.notAfter ?? new Date(Date.now() + 365 * day)),
    ),
    name("test platform certificate"),
    pair.publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = createSign("sha256").update(tbs).sign(pair.privateKey);
  const cert = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.of(0), signature));
  const b64 = cert.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export const PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000000000";
export const MERCHANT_SERIAL = "3775B6A45ACD588826D15E583A95F5DD0A3D8D4F";
export const API_V3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
