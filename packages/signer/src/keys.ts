import { type Bytes, base64Decode, concatBytes } from "./encoding.js";
import { check } from "./errors.js";

// AlgorithmIdentifier { rsaEncryption, NULL }
const RSA_ALGORITHM_ID = [48, 13, 6, 9, 42, 134, 72, 134, 247, 13, 1, 1, 1, 5, 0];
export const SIGN = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
export const OAEP = { name: "RSA-OAEP", hash: "SHA-1" } as const;

export type KeyInput = string | CryptoKey;
/** What a key is for; it decides private or public, PKCS#8 or SPKI. */
export type KeyUse = "sign" | "verify" | "encrypt" | "decrypt";
/** RSASSA-PKCS1-v1_5 SHA-256 for sign and verify; ./sensitive passes OAEP for the others. */
type RsaAlgorithm = typeof SIGN | typeof OAEP;

export function isCryptoKey(value: unknown): value is CryptoKey {
  return value instanceof CryptoKey;
}

/** Reads the single PEM block; the label says what the key is before WebCrypto ever sees it. */
export function decodePem(pem: unknown, option: string): { label: string; der: Bytes } {
  const match =
    typeof pem === "string" && /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  const der = match ? base64Decode((match[2] as string).replace(/\s/g, "")) : undefined;
  check(der?.length, option, "is not a PEM block");
  return { label: (match as RegExpExecArray)[1] as string, der: der as Bytes };
}

/**
 * A DER element: tag, definite length (short or long form), content. What it wraps here
 * (PKCS#1 RSA keys) is less than 64 KiB long.
 */
function der(tag: number, ...content: ArrayLike<number>[]): Bytes {
  const body = concatBytes(content);
  const n = body.length;
  return concatBytes([[tag, ...(n < 128 ? [] : n < 256 ? [129] : [130, n >> 8]), n & 255], body]);
}

/** Whether DER `bytes` is a SEQUENCE whose content starts with `prefix`. */
function sequenceStartsWith(bytes: Uint8Array, prefix: number[]): boolean {
  const first = bytes[1] as number;
  const at = 2 + (first & 128 ? first & 127 : 0);
  return bytes[0] === 48 && prefix.every((b, i) => bytes[at + i] === b);
}

/**
 * A key for `use`, validated synchronously (ConfigError naming `option`, never its value):
 * a CryptoKey as given, after checking its type, algorithm and usages; a PEM as the DER
 * WebCrypto imports: PKCS#8 for a private key, SPKI for a public one, PKCS#1
 * (`RSA PRIVATE KEY`, `RSA PUBLIC KEY`) wrapped into them.
 */
export function rsaKey(
  input: unknown,
  use: KeyUse,
  option: string,
  { name }: RsaAlgorithm = SIGN,
): CryptoKey | Bytes {
  const priv = use === "sign" || use === "decrypt";
  const type = priv ? "private" : "public";
  if (isCryptoKey(input)) {
    check(
      input.type === type && input.algorithm.name === name && input.usages.includes(use),
      option,
      `is not an RSA ${type} key for ${use}`,
    );
    return input;
  }
  const { label, der: bytes } = decodePem(input, option);
  const kind = `${type.toUpperCase()} KEY`;
  const pkcs1 = label === `RSA ${kind}`;
  // not EC PRIVATE KEY, CERTIFICATE, ENCRYPTED PRIVATE KEY, ...
  check(pkcs1 || label === kind, option, `is a ${label}, not an RSA ${type} key`);
  // PKCS#1 RSAPrivateKey: SEQUENCE { INTEGER 0, INTEGER modulus, ... }; PKCS#8 PrivateKeyInfo:
  // SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, ... }; SPKI: SEQUENCE
  // { AlgorithmIdentifier rsaEncryption, ... }. A PKCS#1 RSAPublicKey is left to WebCrypto.
  check(
    (pkcs1 && !priv) ||
      sequenceStartsWith(
        bytes,
        pkcs1 ? [2, 1, 0, 2] : priv ? [2, 1, 0, ...RSA_ALGORITHM_ID] : RSA_ALGORITHM_ID,
      ),
    option,
    `is not an RSA ${type} key`,
  );
  if (!pkcs1) return bytes;
  return priv
    ? der(48, [2, 1, 0], RSA_ALGORITHM_ID, der(4, bytes))
    : der(48, RSA_ALGORITHM_ID, der(3, [0], bytes));
}

export function importFailed(option: string): never {
  return check(false, option, "is not an RSA key") as never;
}

/**
 * Imports what rsaKey returned for `use`: PKCS#8 private keys are never extractable, SPKI
 * public keys are (so Node can verify with a KeyObject). A key WebCrypto rejects is a
 * ConfigError naming `option`.
 */
export async function importRsaKey(
  key: CryptoKey | Bytes,
  use: KeyUse,
  option: string,
  algorithm: RsaAlgorithm = SIGN,
): Promise<CryptoKey> {
  if (isCryptoKey(key)) return key;
  const spki = use === "verify" || use === "encrypt";
  try {
    return await crypto.subtle.importKey(spki ? "spki" : "pkcs8", key, algorithm, spki, [use]);
  } catch {
    return importFailed(option);
  }
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
