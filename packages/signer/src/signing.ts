import {
  type BodyInit,
  type Bytes,
  base64Decode,
  base64Encode,
  concatBytes,
  type HeadersLike,
  headerValue,
  toBytes,
} from "./encoding.js";
import { SignatureVerificationError } from "./errors.js";
import {
  checkCryptoKey,
  importFailed,
  importSigningKey,
  importVerificationKey,
  isCryptoKey,
  type KeyInput,
  memoize,
  privateKeyPkcs8,
  publicKeySpki,
  SIGN,
} from "./keys.js";

export const AUTHORIZATION_SCHEME = "WECHATPAY2-SHA256-RSA2048";
const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const NEWLINE = Uint8Array.of(0x0a);

/** 32 characters of [0-9A-Za-z] from crypto.getRandomValues, by rejection sampling (no bias). */
export function generateNonce(length = 32): string {
  let nonce = "";
  const bytes = new Uint8Array(length + 16);
  while (nonce.length < length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      // 248 = 4 * 62: bytes at or above it would favour the first characters
      if (byte < 248 && nonce.length < length) nonce += NONCE_ALPHABET[byte % 62];
    }
  }
  return nonce;
}

/**
 * The bytes WeChat Pay signs: every line followed by `\n`. Requests sign
 * [METHOD, PATH_WITH_QUERY, TIMESTAMP, NONCE, BODY]; responses and notifications sign
 * [TIMESTAMP, NONCE, BODY]. An empty body is an empty line.
 */
export function buildSignMessage(lines: readonly (BodyInit | number)[]): Bytes {
  if (lines.every((line) => typeof line !== "object")) return toBytes(`${lines.join("\n")}\n`);
  return concatBytes(
    lines.flatMap((line) => [toBytes(typeof line === "number" ? String(line) : line), NEWLINE]),
  );
}

/** Path and query exactly as they go on the wire: taken from the URL, never re-encoded. */
export function pathWithQuery(url: string): string {
  if (url.startsWith("/")) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

export type MessageSigner = (message: Bytes) => Promise<string>;

type NodeCrypto = {
  createPrivateKey(input: { key: Uint8Array; format: "der"; type: "pkcs8" }): unknown;
  sign(algorithm: string, data: Uint8Array, key: unknown): Uint8Array;
  sign(
    algorithm: string,
    data: Uint8Array,
    key: unknown,
    callback: (error: Error | null, signature: Uint8Array) => void,
  ): void;
  verify(algorithm: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
  KeyObject: { from(key: CryptoKey): unknown };
};
const NODE_CRYPTO = "node:crypto";

let nodeCrypto: Promise<NodeCrypto | undefined> | undefined;
/** node:crypto on Node only (Deno and Bun run the WebCrypto path), loaded once on demand. */
function loadNodeCrypto(): Promise<NodeCrypto | undefined> {
  const g = globalThis as { process?: { versions?: Record<string, string> }; Deno?: unknown };
  const versions = g.process?.versions;
  nodeCrypto ??=
    versions?.node && !versions.bun && !g.Deno
      ? (import(/* @vite-ignore */ NODE_CRYPTO) as Promise<NodeCrypto>)
      : Promise.resolve(undefined);
  return nodeCrypto;
}

// Requests signed and not yet answered, across all credentials in this realm.
let inFlight = 0;
export const requestStarted = (): number => ++inFlight;
export const requestEnded = (): number => --inFlight;

async function loadSigner(pkcs8: Bytes, option: string) {
  const node = await loadNodeCrypto();
  if (node) {
    // Node fast path (measured in bench/run.mjs): a cached KeyObject. With one request in
    // flight it signs synchronously (no thread hop); with more, on libuv's thread pool, so
    // concurrent requests use every core.
    let key: unknown;
    try {
      key = node.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    } catch {
      importFailed(option);
    }
    // Node's Buffer encodes base64 natively, faster than btoa.
    const encode = (signature: Uint8Array) =>
      (signature as unknown as Base64Buffer).toString("base64");
    return async (message: Bytes) =>
      inFlight < 2
        ? encode(node.sign("sha256", message, key))
        : new Promise<string>((resolve, reject) =>
            node.sign("sha256", message, key, (error, signature) =>
              error ? reject(error) : resolve(encode(signature)),
            ),
          );
  }
  const key = await importSigningKey(pkcs8, option);
  return async (message: Bytes) =>
    base64Encode(new Uint8Array(await crypto.subtle.sign(SIGN, key, message)));
}
type Base64Buffer = { toString(encoding: "base64"): string };

const nodeKeys = new WeakMap<CryptoKey, unknown>();
/** RSASSA-PKCS1-v1_5 SHA-256; on Node a synchronous check with a cached KeyObject. */
async function verifyBytes(key: CryptoKey, signature: Bytes, message: Bytes): Promise<boolean> {
  const node = await loadNodeCrypto();
  if (node && key.extractable) {
    let keyObject = nodeKeys.get(key);
    if (!keyObject) {
      keyObject = node.KeyObject.from(key);
      nodeKeys.set(key, keyObject);
    }
    return node.verify("sha256", message, keyObject, signature);
  }
  return crypto.subtle.verify(SIGN, key, signature, message);
}

/**
 * Validates the key synchronously and returns a signer that imports it once, on first use.
 * A CryptoKey is used as given, with WebCrypto.
 */
export function createMessageSigner(privateKey: KeyInput, option: string): MessageSigner {
  if (isCryptoKey(privateKey)) {
    const key = checkCryptoKey(privateKey, "private", SIGN.name, "sign", option);
    return async (message) =>
      base64Encode(new Uint8Array(await crypto.subtle.sign(SIGN, key, message)));
  }
  const pkcs8 = privateKeyPkcs8(privateKey, option);
  let backend: ReturnType<typeof loadSigner> | undefined;
  return async (message) => {
    backend ??= loadSigner(pkcs8, option);
    return (await backend)(message);
  };
}

const signerCache = memoize<MessageSigner>();
const verifierCache = memoize<Promise<CryptoKey>>(64);

export function cachedSigner(privateKey: KeyInput, option: string): MessageSigner {
  return typeof privateKey === "string"
    ? signerCache(privateKey, () => createMessageSigner(privateKey, option))
    : createMessageSigner(privateKey, option);
}

export function cachedVerificationKey(publicKey: KeyInput, option: string): Promise<CryptoKey> {
  if (isCryptoKey(publicKey)) {
    return Promise.resolve(checkCryptoKey(publicKey, "public", SIGN.name, "verify", option));
  }
  const spki = publicKeySpki(publicKey, option);
  return verifierCache(publicKey, () => importVerificationKey(spki, option));
}

/** RSASSA-PKCS1-v1_5 SHA-256 check of a base64 signature; false (never a throw) on garbage. */
export async function verifySignature(
  message: BodyInit,
  signature: string,
  publicKey: KeyInput,
): Promise<boolean> {
  const key = await cachedVerificationKey(publicKey, "publicKey");
  const bytes = base64Decode(signature);
  if (!bytes || bytes.length === 0) return false;
  return verifyBytes(key, bytes, toBytes(message));
}

export interface TimeWindow {
  maxSkewSeconds: number;
  now: () => number;
}

export function checkTimestamp(value: string, header: string, window: TimeWindow): void {
  if (!/^\d{1,15}$/.test(value)) {
    throw new SignatureVerificationError("malformed-timestamp", header);
  }
  if (Math.abs(window.now() / 1000 - Number(value)) >= window.maxSkewSeconds) {
    throw new SignatureVerificationError("stale-timestamp", header);
  }
}

/** Looks up the platform key named by `Wechatpay-Serial`; undefined when it is not known. */
export type PlatformKeyResolver = (serial: string) => Promise<CryptoKey | undefined>;

/**
 * Shared by responses and notifications: checks the four Wechatpay-* headers, the time
 * window and the signature over TIMESTAMP\nNONCE\nBODY\n.
 */
export async function verifyWechatpayHeaders(
  headers: HeadersLike,
  body: BodyInit,
  resolveKey: PlatformKeyResolver,
  window: TimeWindow,
): Promise<void> {
  const read = (name: string) => {
    const value = headerValue(headers, name);
    if (!value) {
      throw new SignatureVerificationError("missing-header", name);
    }
    return value;
  };
  const timestamp = read("Wechatpay-Timestamp");
  const nonce = read("Wechatpay-Nonce");
  const signature = read("Wechatpay-Signature");
  const serial = read("Wechatpay-Serial");
  if (signature.startsWith("WECHATPAY/SIGNTEST/")) {
    throw new SignatureVerificationError("probe-signature", "Wechatpay-Signature");
  }
  checkTimestamp(timestamp, "Wechatpay-Timestamp", window);
  const key = await resolveKey(serial);
  if (!key) {
    throw new SignatureVerificationError("unknown-serial", "Wechatpay-Serial");
  }
  const bytes = base64Decode(signature);
  const valid =
    !!bytes &&
    bytes.length > 0 &&
    (await verifyBytes(key, bytes, buildSignMessage([timestamp, nonce, body])));
  if (!valid) {
    throw new SignatureVerificationError("bad-signature", "Wechatpay-Signature");
  }
}

export interface AuthorizationParts {
  mchid: string;
  nonce: string;
  timestamp: string;
  serialNo: string;
  signature: string;
}

export interface SignRequestInput {
  method: string;
  /** Absolute URL or path with query, exactly as sent. */
  url: string;
  body?: BodyInit | undefined;
  timestamp?: number | undefined;
  nonce?: string | undefined;
}

/** Signs METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n and formats the header. */
export async function formatAuthorization(
  sign: MessageSigner,
  identity: { mchid: string; serialNo: string; now: () => number },
  input: SignRequestInput,
): Promise<string> {
  const timestamp = String(input.timestamp ?? Math.floor(identity.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  const signature = await sign(
    buildSignMessage([
      input.method.toUpperCase(),
      pathWithQuery(input.url),
      timestamp,
      nonce,
      input.body ?? "",
    ]),
  );
  return `${AUTHORIZATION_SCHEME} mchid="${identity.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${identity.serialNo}",signature="${signature}"`;
}

/** Splits an Authorization header; throws SignatureVerificationError when it is malformed. */
export function parseAuthorization(header: string | null | undefined): AuthorizationParts {
  if (!header) {
    throw new SignatureVerificationError("missing-header", "Authorization");
  }
  const fields: Record<string, string> = {};
  const [scheme, rest = ""] = header.split(/ (.*)/s);
  for (const match of rest.matchAll(/\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/g)) {
    fields[match[1] as string] = match[2] as string;
  }
  const { mchid, nonce_str, timestamp, serial_no, signature } = fields;
  if (
    scheme !== AUTHORIZATION_SCHEME ||
    !mchid ||
    !nonce_str ||
    !timestamp ||
    !serial_no ||
    !signature
  ) {
    throw new SignatureVerificationError("malformed-header", "Authorization");
  }
  return { mchid, nonce: nonce_str, timestamp, serialNo: serial_no, signature };
}

/**
 * Server side (the sandbox): checks a merchant's Authorization header against the request
 * actually received and the merchant's public key. Resolves to the parsed header.
 */
export async function verifyAuthorization(
  request: {
    method: string;
    url: string;
    body?: BodyInit | undefined;
    authorization: string | null | undefined;
  },
  merchantPublicKey: KeyInput,
  options: { maxSkewSeconds?: number; now?: () => number } = {},
): Promise<AuthorizationParts> {
  const parts = parseAuthorization(request.authorization);
  checkTimestamp(parts.timestamp, "Authorization timestamp", {
    maxSkewSeconds: options.maxSkewSeconds ?? 300,
    now: options.now ?? Date.now,
  });
  const message = buildSignMessage([
    request.method.toUpperCase(),
    pathWithQuery(request.url),
    parts.timestamp,
    parts.nonce,
    request.body ?? "",
  ]);
  if (!(await verifySignature(message, parts.signature, merchantPublicKey))) {
    throw new SignatureVerificationError("bad-signature", "Authorization");
  }
  return parts;
}

/**
 * Server side (the sandbox): the Wechatpay-* headers for a response or notification body,
 * signed with a platform private key.
 */
export async function signResponse(input: {
  body: BodyInit;
  privateKey: KeyInput;
  serial: string;
  timestamp?: number;
  nonce?: string;
}): Promise<Record<string, string>> {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  const signature = await cachedSigner(
    input.privateKey,
    "privateKey",
  )(buildSignMessage([timestamp, nonce, input.body]));
  return {
    "Wechatpay-Timestamp": timestamp,
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": signature,
    "Wechatpay-Serial": input.serial,
    "Wechatpay-Signature-Type": AUTHORIZATION_SCHEME,
  };
}
