import { loadSigner, verifyRsa } from "#platform";
import type { Verification } from "./credentials.js";
import {
  type BodyInit,
  type Bytes,
  base64Decode,
  concatBytes,
  type HeadersLike,
  headerValue,
  toBytes,
} from "./encoding.js";
import { SignatureVerificationError, type SignatureVerificationReason } from "./errors.js";
import { importRsaKey, isCryptoKey, type KeyInput, memoize, rsaKey } from "./keys.js";
import { type MessageSigner, webSigner } from "./webcrypto.js";
import { checkTimestamp, timeWindow } from "./window.js";

export const AUTHORIZATION_SCHEME = "WECHATPAY2-SHA256-RSA2048";
const NEWLINE = Uint8Array.of(0x0a);

// Base64 of uniform random bytes (a multiple of 3 of them) is uniform and independent over 64
// characters per place; dropping + and / leaves [0-9A-Za-z], uniform: rejection sampling,
// no bias. Drawn 768 bytes at a time (one getRandomValues call per ~30 nonces, 3x faster
// than one per nonce); every character is used once.
let pool = "";

/** 32 characters of [0-9A-Za-z] from crypto.getRandomValues, by rejection sampling (no bias). */
export function generateNonce(length = 32): string {
  while (pool.length < length) {
    pool += btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(768)))).replace(
      /[+/]/g,
      "",
    );
  }
  const nonce = pool.slice(0, length);
  pool = pool.slice(length);
  return nonce;
}

/**
 * The bytes WeChat Pay signs: every line followed by `\n`. Requests sign
 * [METHOD, PATH_WITH_QUERY, TIMESTAMP, NONCE, BODY]; responses and notifications sign
 * [TIMESTAMP, NONCE, BODY]. An empty body is an empty line.
 */
export function buildSignMessage(lines: readonly (BodyInit | number)[]): Bytes {
  // One UTF-8 encode of the joined lines when there are no bytes among them (6x faster).
  return lines.every((line) => typeof line !== "object")
    ? toBytes(`${lines.join("\n")}\n`)
    : concatBytes(lines.flatMap((line) => [toBytes(line), NEWLINE]));
}

/** Path and query exactly as they go on the wire: taken from the URL, never re-encoded. */
export function pathWithQuery(url: string): string {
  if (url.startsWith("/")) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

// Requests signed and not yet answered, across all credentials in this realm: the Node
// platform signs on the thread pool only when more than one is in flight.
let inFlight = 0;
export const requestStarted = (): number => ++inFlight;
export const requestEnded = (): number => --inFlight;
const busy = () => inFlight > 1;

/** RSASSA-PKCS1-v1_5 SHA-256 check of a base64 signature, false for one that is not base64. */
async function verifyBase64(key: CryptoKey, signature: string, message: Bytes): Promise<boolean> {
  const bytes = base64Decode(signature);
  return !!bytes?.length && verifyRsa(key, bytes, message);
}

/**
 * Validates the key synchronously and returns a signer that imports it once, on first use.
 * A CryptoKey is used as given, with WebCrypto.
 */
export function createMessageSigner(privateKey: KeyInput, option: string): MessageSigner {
  const key = rsaKey(privateKey, "sign", option);
  if (isCryptoKey(key)) return webSigner(key);
  let pending: ReturnType<typeof loadSigner> | undefined;
  // Once loaded, each call is one direct call (no await of the loader).
  let signer: ((message: Bytes) => string | Promise<string>) | undefined;
  return async (message) => {
    if (!signer) {
      pending ??= loadSigner(key, option, busy);
      signer = await pending;
    }
    return signer(message);
  };
}

const signerCache = /* @__PURE__ */ memoize<MessageSigner>();
const verifierCache = /* @__PURE__ */ memoize<Promise<CryptoKey>>(64);

export function cachedSigner(privateKey: KeyInput, option: string): MessageSigner {
  return typeof privateKey === "string"
    ? signerCache(privateKey, () => createMessageSigner(privateKey, option))
    : createMessageSigner(privateKey, option);
}

/** Validates synchronously (a PEM once: later calls hit the cache); a PEM is imported once. */
export function cachedVerificationKey(publicKey: KeyInput, option: string): Promise<CryptoKey> {
  const load = () => importRsaKey(rsaKey(publicKey, "verify", option), "verify", option);
  return typeof publicKey === "string" ? verifierCache(publicKey, load) : load();
}

/** RSASSA-PKCS1-v1_5 SHA-256 check of a base64 signature; false (never a throw) on garbage. */
export async function verifySignature(
  message: BodyInit,
  signature: string,
  publicKey: KeyInput,
): Promise<boolean> {
  return verifyBase64(
    await cachedVerificationKey(publicKey, "publicKey"),
    signature,
    toBytes(message),
  );
}

/**
 * Shared by responses and notifications: checks the four Wechatpay-* headers, the time window,
 * the key and the signature over TIMESTAMP\nNONCE\nBODY\n.
 */
export async function verifyWechatpayHeaders(
  headers: HeadersLike,
  body: BodyInit,
  verification: Pick<Verification, "trustedKeys" | "maxSkewSeconds" | "now">,
): Promise<void> {
  const fail = (reason: SignatureVerificationReason, header = "Wechatpay-Signature") => {
    throw new SignatureVerificationError(reason, header);
  };
  if (typeof headers !== "object" || !headers) fail("missing-header", "headers");
  const [timestamp, nonce, signature, serial] = ["Timestamp", "Nonce", "Signature", "Serial"].map(
    (name) =>
      headerValue(headers, `Wechatpay-${name}`) || fail("missing-header", `Wechatpay-${name}`),
  ) as [string, string, string, string];
  if (signature.startsWith("WECHATPAY/SIGNTEST/")) fail("probe-signature");
  checkTimestamp(timestamp, "Wechatpay-Timestamp", verification);
  const key = (await verification.trustedKeys()).resolve(serial, verification.now());
  if (!key) return fail("unknown-serial", "Wechatpay-Serial");
  if (!(await verifyBase64(key, signature, buildSignMessage([timestamp, nonce, body])))) {
    fail("bad-signature");
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

/** Longer than any genuine header (a 4096-bit key's signature is 684 characters). */
export const MAX_AUTHORIZATION_LENGTH = 4096;

/**
 * Splits an Authorization header; throws SignatureVerificationError when it is malformed,
 * longer than MAX_AUTHORIZATION_LENGTH or names a field twice. One split and an anchored match
 * per field: linear in the header's length, whatever it holds.
 */
export function parseAuthorization(header: string | null | undefined): AuthorizationParts {
  if (!header) {
    throw new SignatureVerificationError("missing-header", "Authorization");
  }
  const malformed = () => new SignatureVerificationError("malformed-header", "Authorization");
  const scheme = `${AUTHORIZATION_SCHEME} `;
  if (
    typeof header !== "string" ||
    header.length > MAX_AUTHORIZATION_LENGTH ||
    !header.startsWith(scheme)
  ) {
    throw malformed();
  }
  const fields = new Map<string, string>();
  for (const field of header.slice(scheme.length).split(",")) {
    const match = /^\s*([a-z_]{1,16})="([^"]*)"\s*$/.exec(field);
    if (!match || fields.has(match[1] as string)) throw malformed();
    fields.set(match[1] as string, match[2] as string);
  }
  const [mchid, nonce, timestamp, serialNo, signature] = [
    "mchid",
    "nonce_str",
    "timestamp",
    "serial_no",
    "signature",
  ].map((name) => fields.get(name));
  if (!mchid || !nonce || !timestamp || !serialNo || !signature) throw malformed();
  return { mchid, nonce, timestamp, serialNo, signature };
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
  const window = timeWindow(options);
  const parts = parseAuthorization(request.authorization);
  checkTimestamp(parts.timestamp, "Authorization timestamp", window);
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
