import { type Bytes, base64Decode, concatBytes } from "./encoding.js";
import { ConfigError } from "./errors.js";

const RSA_ALGORITHM_ID = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);
const SIGN_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const OAEP_ALGORITHM = { name: "RSA-OAEP", hash: "SHA-1" } as const;

export type KeyInput = string | CryptoKey;

export function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof value === "object" && value !== null && "algorithm" in value && "usages" in value;
}

/** Reads the single PEM block; the label says what the key is before WebCrypto ever sees it. */
export function decodePem(pem: unknown, option: string): { label: string; der: Bytes } {
  if (typeof pem !== "string") throw new ConfigError(option, "must be a PEM string");
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  const der = match && base64Decode((match[2] ?? "").replace(/[\s]/g, ""));
  if (!match || !der || der.length === 0) throw new ConfigError(option, "is not a PEM block");
  return { label: match[1] ?? "", der };
}

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>>= 8) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function der(tag: number, ...content: Uint8Array[]): Bytes {
  const body = concatBytes(content);
  return concatBytes([Uint8Array.of(tag), derLength(body.length), body]);
}

/** Offset of the content of the DER element that starts at `offset` (tag + length skipped). */
function contentStart(bytes: Uint8Array, offset: number): number {
  const first = bytes[offset + 1] ?? 0;
  return offset + 2 + (first & 0x80 ? first & 0x7f : 0);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array, at: number): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

/** PKCS#8 DER of an RSA private key PEM (PKCS#8 as is, PKCS#1 wrapped). */
export function privateKeyPkcs8(pem: unknown, option: string): Bytes {
  const { label, der: bytes } = decodePem(pem, option);
  if (label === "RSA PRIVATE KEY") {
    // PKCS#1 RSAPrivateKey starts SEQUENCE { INTEGER 0, INTEGER modulus, ... }
    if (
      bytes[0] !== 0x30 ||
      !startsWith(bytes, Uint8Array.of(2, 1, 0, 2), contentStart(bytes, 0))
    ) {
      throw new ConfigError(option, "is not an RSA private key");
    }
    return der(0x30, Uint8Array.of(2, 1, 0), RSA_ALGORITHM_ID, der(0x04, bytes));
  }
  if (label === "PRIVATE KEY") {
    // PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, ... }
    const start = contentStart(bytes, 0);
    if (bytes[0] !== 0x30 || !startsWith(bytes, Uint8Array.of(2, 1, 0), start)) {
      throw new ConfigError(option, "is not an RSA private key");
    }
    if (!startsWith(bytes, RSA_ALGORITHM_ID, start + 3)) {
      throw new ConfigError(option, "is not an RSA private key");
    }
    return bytes;
  }
  // EC PRIVATE KEY, PUBLIC KEY, CERTIFICATE, ENCRYPTED PRIVATE KEY, ...
  throw new ConfigError(option, `is a ${label}, not an RSA private key`);
}

/** SPKI DER of an RSA public key PEM (SPKI as is, PKCS#1 `RSA PUBLIC KEY` wrapped). */
export function publicKeySpki(pem: unknown, option: string): Bytes {
  const { label, der: bytes } = decodePem(pem, option);
  if (label === "RSA PUBLIC KEY") {
    return der(0x30, RSA_ALGORITHM_ID, der(0x03, Uint8Array.of(0), bytes));
  }
  if (label !== "PUBLIC KEY") {
    throw new ConfigError(option, `is a ${label}, not an RSA public key`);
  }
  if (bytes[0] !== 0x30 || !startsWith(bytes, RSA_ALGORITHM_ID, contentStart(bytes, 0))) {
    throw new ConfigError(option, "is not an RSA public key");
  }
  return bytes;
}

export function checkCryptoKey(
  key: CryptoKey,
  type: KeyType,
  algorithm: string,
  usage: KeyUsage,
  option: string,
): CryptoKey {
  if (key.type !== type || key.algorithm.name !== algorithm || !key.usages.includes(usage)) {
    throw new ConfigError(option, `must be a ${type} ${algorithm} key for ${usage}`);
  }
  return key;
}

export function importFailed(option: string): never {
  throw new ConfigError(option, "is not an RSA key");
}

export function importSigningKey(pkcs8: Bytes, option: string): Promise<CryptoKey> {
  return crypto.subtle
    .importKey("pkcs8", pkcs8, SIGN_ALGORITHM, false, ["sign"])
    .catch(() => importFailed(option));
}

export function importDecryptionKey(pkcs8: Bytes, option: string): Promise<CryptoKey> {
  return crypto.subtle
    .importKey("pkcs8", pkcs8, OAEP_ALGORITHM, false, ["decrypt"])
    .catch(() => importFailed(option));
}

export function importVerificationKey(
  spki: Bytes,
  option: string,
  algorithm: "verify" | "encrypt" = "verify",
): Promise<CryptoKey> {
  return crypto.subtle
    .importKey("spki", spki, algorithm === "verify" ? SIGN_ALGORITHM : OAEP_ALGORITHM, true, [
      algorithm,
    ])
    .catch(() => importFailed(option));
}

/** A small cache so that functions taking PEM strings import each key once, not per call. */
export function memoize<V>(limit = 16): (key: string, make: () => V) => V {
  const entries = new Map<string, V>();
  return (key, make) => {
    let value = entries.get(key);
    if (value === undefined) {
      value = make();
      if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
    }
    return value;
  };
}

export const SIGN = SIGN_ALGORITHM;
export const OAEP = OAEP_ALGORITHM;
