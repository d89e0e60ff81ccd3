import { type Bytes, base64Decode, concatBytes } from "./encoding.js";
import { check } from "./errors.js";

// AlgorithmIdentifier { rsaEncryption, NULL }
const RSA_ALGORITHM_ID = [48, 13, 6, 9, 42, 134, 72, 134, 247, 13, 1, 1, 1, 5, 0];
export const SIGN = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
export const OAEP = { name: "RSA-OAEP", hash: "SHA-1" } as const;

export type KeyInput = string | CryptoKey;
/** WECHATPAY2-SHA256-RSA2048: shorter RSA keys are refused wherever a key is read. */
export const MIN_MODULUS_BITS = 2048;
/** What a key is for; it decides private or public, PKCS#8 or SPKI. */
export type KeyUse = "sign" | "verify" | "encrypt" | "decrypt";
/** RSASSA-PKCS1-v1_5 SHA-256 for sign and verify; ./sensitive passes OAEP for the others. */
type RsaAlgorithm = typeof SIGN | typeof OAEP;

export function isCryptoKey(value: unknown): value is CryptoKey {
  return value instanceof CryptoKey;
}

/** Longer than any RSA key or certificate PEM (a 4096-bit PKCS#8 key is about 3.3 KB). */
export const MAX_PEM_LENGTH = 16384;

/**
 * Reads the first PEM block; the label says what the key is before WebCrypto ever sees it.
 * indexOf scans, on a bounded length: linear on any input (a regex here backtracked).
 */
export function decodePem(pem: unknown, option: string): { label: string; der: Bytes } {
  const text = typeof pem === "string" && pem.length <= MAX_PEM_LENGTH ? pem : "";
  const begin = text.indexOf("-----BEGIN ") + 11;
  const labelEnd = text.indexOf("-----", begin);
  const label = text.slice(begin, labelEnd);
  const end =
    begin > 10 && /^[A-Z0-9 ]{1,40}$/.test(label)
      ? text.indexOf(`-----END ${label}-----`, labelEnd)
      : -1;
  const der =
    end > labelEnd ? base64Decode(text.slice(labelEnd + 5, end).replace(/\s/g, "")) : undefined;
  check(der?.length, option, `is not a PEM block (${MAX_PEM_LENGTH} characters at most)`);
  return { label, der: der as Bytes };
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

/** [content start, content end) of the DER element at `at` (NaN past the input). */
function element(der: Uint8Array, at: number): [number, number] {
  const first = der[at + 1] as number;
  let start = at + 2;
  let length = first & 128 ? 0 : first;
  for (let n = first & 128 ? first & 127 : 0; n--; )
    length = length * 256 + (der[start++] as number);
  return [start, start + length];
}

/**
 * Bits of the modulus of a PKCS#8 private (`priv`) or SPKI public RSA key; 0 when the DER is
 * not one (another algorithm, say). Both hold the AlgorithmIdentifier, then an OCTET or BIT
 * STRING (with a pad byte) around a SEQUENCE whose first INTEGER (after a version 0 in a
 * private key) is the modulus.
 */
function modulusBits(der: Uint8Array, priv: boolean): number {
  const enter = (at: number) => element(der, at)[0];
  const version = priv ? 3 : 0; // INTEGER 0: 02 01 00
  const algorithm = enter(0) + version;
  if (RSA_ALGORITHM_ID.some((b, i) => der[algorithm + i] !== b)) return 0;
  let [start, end] = element(der, enter(enter(algorithm + 15) + (priv ? 0 : 1)) + version);
  while (der[start] === 0) start++;
  return end <= der.length ? (end - start) * 8 - Math.clz32(der[start] as number) + 24 : 0;
}

/**
 * A key for `use`, validated synchronously (ConfigError naming `option`, never its value):
 * a CryptoKey as given, after checking its type, algorithm, usages and size; a PEM as the DER
 * WebCrypto imports: PKCS#8 for a private key, SPKI for a public one, PKCS#1
 * (`RSA PRIVATE KEY`, `RSA PUBLIC KEY`) wrapped into them; an RSA key of 2048 bits or more.
 */
export function rsaKey(
  input: unknown,
  use: KeyUse,
  option: string,
  { name }: RsaAlgorithm = SIGN,
): CryptoKey | Bytes {
  const priv = use === "sign" || use === "decrypt";
  const type = priv ? "private" : "public";
  const wanted = `must be an RSA ${type} key of ${MIN_MODULUS_BITS} bits or more`;
  if (isCryptoKey(input)) {
    check(
      input.type === type &&
        input.algorithm.name === name &&
        input.usages.includes(use) &&
        (input.algorithm as RsaKeyAlgorithm).modulusLength >= MIN_MODULUS_BITS,
      option,
      wanted,
    );
    return input;
  }
  const { label, der: bytes } = decodePem(input, option);
  const kind = `${type.toUpperCase()} KEY`;
  // not EC PRIVATE KEY, CERTIFICATE, ENCRYPTED PRIVATE KEY, ...
  check(label === kind || label === `RSA ${kind}`, option, `is a ${label}: ${wanted}`);
  // PKCS#1 (`RSA … KEY`) is wrapped into PKCS#8 or SPKI, whose modulus is then found.
  const key =
    label === kind
      ? bytes
      : priv
        ? der(48, [2, 1, 0], RSA_ALGORITHM_ID, der(4, bytes))
        : der(48, RSA_ALGORITHM_ID, der(3, [0], bytes));
  check(modulusBits(key, priv) >= MIN_MODULUS_BITS, option, wanted);
  return key;
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
