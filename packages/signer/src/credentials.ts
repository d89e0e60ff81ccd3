import { RUNTIME } from "#platform";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { check, HEADER_VALUE, matches, positiveInteger } from "./errors.js";
import {
  type PlatformKeyOptions,
  type PlatformKeySource,
  type TrustedKeys,
  trustedKeys,
} from "./platform-keys.js";
import { cachedSigner, formatAuthorization, type SignRequestInput } from "./signing.js";
import { VERSION } from "./version.js";
import { type TimeWindow, timeWindow } from "./window.js";

/** Verification keys, time window and body limit, shared by responses and notifications. */
export interface VerificationOptions extends PlatformKeyOptions {
  /**
   * Instead of `wechatpayPublicKey` and `platformCertificates`: a function that returns them,
   * asked at every verification, so that keys rotate while the process runs.
   */
  platformKeys?: PlatformKeySource | undefined;
  /** Reject signatures whose timestamp is this many whole seconds (or more) from now. Default 300. */
  maxSkewSeconds?: number | undefined;
  /** Refuse answer and notification bodies longer than this many bytes. Default 2 MiB. */
  maxBodyBytes?: number | undefined;
  /** Clock in milliseconds, for tests. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface SignerOptions extends VerificationOptions {
  /** Merchant id: digits only. */
  mchid: string;
  /** Merchant API certificate serial number (hex). */
  serialNo: string;
  /** Merchant RSA private key (2048 bits or more): PKCS#8 or PKCS#1 PEM, or a CryptoKey (RSASSA-PKCS1-v1_5, sign). */
  privateKey: string | CryptoKey;
  /** Printable ASCII. Default `@wechatpay-marketing/signer/<version> (<runtime>)`. */
  userAgent?: string | undefined;
}

/** Validated verification options: what every check of an answer or notification reads. */
export interface Verification extends TimeWindow {
  /** The keys trusted now. */
  readonly trustedKeys: () => Promise<TrustedKeys>;
  readonly maxBodyBytes: number;
}

/** Validated, cached merchant key material, shared by the middleware, fetch wrapper and sandbox. */
export interface MerchantCredentials extends Verification {
  readonly mchid: string;
  readonly serialNo: string;
  readonly userAgent: string;
  /** Signs METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nBODY\n and returns the Authorization header. */
  authorize(input: SignRequestInput): Promise<string>;
  /** Resolves when every key is imported; rejects with the ConfigError a bad one causes. */
  ready(): Promise<void>;
}

const CREDENTIALS = Symbol.for("@wechatpay-marketing/signer/credentials");

export const DEFAULT_USER_AGENT = `@wechatpay-marketing/signer/${VERSION} (${RUNTIME})`;

/**
 * Validates verification options synchronously (ConfigError naming the option). Options are
 * read once: for keys that change later, pass a `platformKeys` function.
 */
export function verification(options: VerificationOptions): Verification {
  check(typeof options === "object" && options, "options", "must be an object");
  const window = timeWindow(options);
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  positiveInteger(maxBodyBytes, "maxBodyBytes");
  return { ...window, maxBodyBytes, trustedKeys: trustedKeys(options, window.now) };
}

export function isMerchantCredentials(value: unknown): value is MerchantCredentials {
  return (value as Record<symbol, unknown> | undefined)?.[CREDENTIALS] === true;
}

/**
 * Validates every option synchronously (ConfigError naming the option, never its value) and
 * returns credentials to share between the middleware, the fetch wrapper and your own calls.
 * Keys given as PEM strings are imported once per process, whichever credentials use them.
 */
export function createMerchantCredentials(
  options: SignerOptions | MerchantCredentials,
): MerchantCredentials {
  if (isMerchantCredentials(options)) return options;
  check(typeof options === "object" && options, "options", "must be an object");
  const { mchid, serialNo, privateKey, userAgent = DEFAULT_USER_AGENT } = options;
  check(matches(mchid, /^\d{1,32}$/), "mchid", "must be digits");
  check(matches(serialNo, /^[0-9A-Fa-f]{8,40}$/), "serialNo", "must be 8 to 40 hex digits");
  check(matches(userAgent, HEADER_VALUE), "userAgent", "must be printable ASCII");
  const sign = cachedSigner(privateKey, "privateKey");
  const checked = verification(options);
  const credentials: MerchantCredentials = Object.freeze({
    ...checked,
    [CREDENTIALS]: true,
    mchid,
    serialNo,
    userAgent,
    authorize: (input: SignRequestInput) => formatAuthorization(sign, credentials, input),
    async ready() {
      await Promise.all([checked.trustedKeys(), sign(new Uint8Array(0))]);
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
