import { loadCertificates, RUNTIME } from "#platform";
import type { PlatformCertificateKeys } from "./certificates.js";
import { check, matches } from "./errors.js";
import {
  cachedVerificationKey,
  createMessageSigner,
  formatAuthorization,
  type PlatformKeyResolver,
  type SignRequestInput,
  type TimeWindow,
} from "./signing.js";
import { VERSION } from "./version.js";
import type { MessageSigner } from "./webcrypto.js";

/** The current scheme: a WeChat Pay public key (SPKI PEM) and its `PUB_KEY_ID_…` id. */
export interface WechatpayPublicKey {
  id: string;
  key: string | CryptoKey;
}

/** Verification keys and time window, shared by responses and notifications. */
export interface VerificationOptions {
  wechatpayPublicKey?: WechatpayPublicKey | undefined;
  /**
   * X.509 PEM platform certificates (the older scheme); both schemes may be set at once.
   * Needs node:crypto: Node, Deno and Bun only (the `browser` build refuses it).
   */
  platformCertificates?: readonly string[] | undefined;
  /** Reject signatures whose timestamp is this far (or further) from now. Default 300. */
  maxSkewSeconds?: number | undefined;
  /** Clock in milliseconds, for tests. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface SignerOptions extends VerificationOptions {
  /** Merchant id: digits only. */
  mchid: string;
  /** Merchant API certificate serial number (hex). */
  serialNo: string;
  /** Merchant RSA private key: PKCS#8 or PKCS#1 PEM, or a CryptoKey (RSASSA-PKCS1-v1_5, sign). */
  privateKey: string | CryptoKey;
  userAgent?: string | undefined;
}

export interface PlatformKeys extends TimeWindow {
  resolve: PlatformKeyResolver;
  /** The serial or PUB_KEY_ID_ to send in Wechatpay-Serial (WeChat Pay signs its answer with it). */
  preferredSerial(): Promise<string>;
  /** Resolves when every key is imported; rejects with the ConfigError a bad one causes. */
  ready(): Promise<void>;
}

/** Validated, cached merchant key material, shared by the middleware, fetch wrapper and sandbox. */
export interface MerchantCredentials extends PlatformKeys {
  readonly mchid: string;
  readonly serialNo: string;
  readonly userAgent: string;
  /** Signs METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n and returns the Authorization header. */
  authorize(input: SignRequestInput): Promise<string>;
}

const CREDENTIALS = Symbol.for("@wechatpay-marketing/signer/credentials");
const PUB_KEY_PREFIX = "PUB_KEY_ID_";

export const DEFAULT_USER_AGENT = `@wechatpay-marketing/signer/${VERSION} (${RUNTIME})`;

export function timeWindow(options: VerificationOptions): TimeWindow {
  const { maxSkewSeconds = 300, now = Date.now } = options;
  check(
    // Number.isFinite is false for anything that is not a number (no coercion)
    Number.isFinite(maxSkewSeconds) && maxSkewSeconds > 0,
    "maxSkewSeconds",
    "must be a positive finite number",
  );
  check(typeof now === "function", "now", "must be a function");
  return { maxSkewSeconds, now };
}

/** Validates verification options synchronously; keys are imported once, at construction. */
export function createPlatformKeys(options: VerificationOptions): PlatformKeys {
  const window = timeWindow(options);
  const { wechatpayPublicKey, platformCertificates: pems } = options;
  const id = wechatpayPublicKey?.id;
  check(
    wechatpayPublicKey || pems?.length,
    "wechatpayPublicKey",
    "or platformCertificates is required",
  );
  let publicKey: Promise<CryptoKey> | undefined;
  if (wechatpayPublicKey) {
    check(
      matches(id, /^PUB_KEY_ID_\w+$/),
      "wechatpayPublicKey.id",
      `must start with ${PUB_KEY_PREFIX}`,
    );
    publicKey = cachedVerificationKey(wechatpayPublicKey.key, "wechatpayPublicKey.key");
  }
  // Parsed at construction so an expired certificate is reported by ready() and every use.
  const certificates = pems?.length ? loadCertificates(pems, window.now()) : undefined;
  // A key that fails to import is reported by ready() and every use, never as unhandled.
  for (const pending of [publicKey, certificates]) pending?.catch(() => {});
  return {
    ...window,
    // A PUB_KEY_ID_ other than ours is no certificate serial either: both find nothing.
    resolve: async (serial) => (serial === id ? publicKey : (await certificates)?.resolve(serial)),
    preferredSerial: async () => id ?? ((await certificates) as PlatformCertificateKeys).newest,
    async ready() {
      await Promise.all([publicKey, certificates]);
    },
  };
}

export function isMerchantCredentials(value: unknown): value is MerchantCredentials {
  return (value as Record<symbol, unknown> | undefined)?.[CREDENTIALS] === true;
}

/** Memoizes `make` per object: the same options object yields the same keys, imported once. */
export function perObject<O extends object, T>(make: (options: O) => T): (options: O) => T {
  const cache = new WeakMap<O, T>();
  return (options) => {
    let value = cache.get(options);
    if (!value) {
      value = make(options);
      cache.set(options, value);
    }
    return value;
  };
}

const credentialsByOptions = /* @__PURE__ */ perObject(validateCredentials);

/**
 * Validates every option synchronously (ConfigError naming the option, never its value) and
 * returns credentials whose keys are imported once and reused by every request.
 */
export function createMerchantCredentials(
  options: SignerOptions | MerchantCredentials,
): MerchantCredentials {
  if (isMerchantCredentials(options)) return options;
  check(typeof options === "object" && options, "options", "must be an object");
  return credentialsByOptions(options);
}

function validateCredentials(options: SignerOptions): MerchantCredentials {
  const { mchid, serialNo, privateKey, userAgent = DEFAULT_USER_AGENT } = options;
  check(matches(mchid, /^\d+$/), "mchid", "must be digits");
  check(matches(serialNo, /^[0-9A-Fa-f]{8,40}$/), "serialNo", "must be 8 to 40 hex digits");
  check(matches(userAgent, /./s), "userAgent", "must be a string");
  const sign: MessageSigner = createMessageSigner(privateKey, "privateKey");
  const keys = createPlatformKeys(options);
  const credentials: MerchantCredentials = Object.freeze({
    ...keys,
    [CREDENTIALS]: true,
    mchid,
    serialNo,
    userAgent,
    authorize: (input: SignRequestInput) => formatAuthorization(sign, credentials, input),
    async ready() {
      await Promise.all([keys.ready(), sign(new Uint8Array(0))]);
    },
  });
  return credentials;
}

/** The Authorization header for one request (see createMerchantCredentials). */
export function buildAuthorization(
  credentials: SignerOptions | MerchantCredentials,
  request: SignRequestInput,
): Promise<string> {
  return createMerchantCredentials(credentials).authorize(request);
}
