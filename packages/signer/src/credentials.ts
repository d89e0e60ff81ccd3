import type { PlatformCertificateKeys } from "./certificates.js";
import { ConfigError } from "./errors.js";
import {
  cachedVerificationKey,
  createMessageSigner,
  formatAuthorization,
  type MessageSigner,
  type PlatformKeyResolver,
  type SignRequestInput,
  type TimeWindow,
} from "./signing.js";
import { VERSION } from "./version.js";

/** The current scheme: a WeChat Pay public key (SPKI PEM) and its `PUB_KEY_ID_…` id. */
export interface WechatpayPublicKey {
  id: string;
  key: string | CryptoKey;
}

/** Verification keys and time window, shared by responses and notifications. */
export interface VerificationOptions {
  wechatpayPublicKey?: WechatpayPublicKey | undefined;
  /** X.509 PEM platform certificates (the older scheme); both schemes may be set at once. */
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

function runtime(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: { node?: string } };
  };
  if (g.Deno) return `Deno/${g.Deno.version.deno}`;
  if (g.Bun) return `Bun/${g.Bun.version}`;
  if (g.process?.versions?.node) return `Node.js/${g.process.versions.node}`;
  return "web";
}

export const DEFAULT_USER_AGENT = `@wechatpay-marketing/signer/${VERSION} (${runtime()})`;

export function timeWindow(options: VerificationOptions): TimeWindow {
  const { maxSkewSeconds = 300, now = Date.now } = options;
  if (
    typeof maxSkewSeconds !== "number" ||
    !Number.isFinite(maxSkewSeconds) ||
    maxSkewSeconds <= 0
  ) {
    throw new ConfigError("maxSkewSeconds", "must be a positive finite number");
  }
  if (typeof now !== "function") throw new ConfigError("now", "must be a function");
  return { maxSkewSeconds, now };
}

/** Validates verification options synchronously; keys are imported once, on first use. */
export function createPlatformKeys(options: VerificationOptions): PlatformKeys {
  const window = timeWindow(options);
  const { wechatpayPublicKey, platformCertificates } = options;
  if (!wechatpayPublicKey && !platformCertificates?.length) {
    throw new ConfigError("wechatpayPublicKey", "or platformCertificates is required");
  }
  let publicKey: (() => Promise<CryptoKey>) | undefined;
  if (wechatpayPublicKey) {
    const { id, key } = wechatpayPublicKey;
    if (typeof id !== "string" || !/^PUB_KEY_ID_\w+$/.test(id)) {
      throw new ConfigError("wechatpayPublicKey.id", `must start with ${PUB_KEY_PREFIX}`);
    }
    // Validate now (throws synchronously), import on first use.
    cachedVerificationKey(key, "wechatpayPublicKey.key").catch(() => {});
    publicKey = () => cachedVerificationKey(key, "wechatpayPublicKey.key");
  }
  let certificates: Promise<PlatformCertificateKeys> | undefined;
  if (platformCertificates?.length) {
    if (
      !Array.isArray(platformCertificates) ||
      !platformCertificates.every((pem) => /-----BEGIN CERTIFICATE-----/.test(pem))
    ) {
      throw new ConfigError("platformCertificates", "must be X.509 PEM strings");
    }
    // Parsed at construction so an expired certificate is reported by ready() and every use.
    certificates = import("./certificates.js").then((m) =>
      m.loadPlatformCertificates(platformCertificates, window.now()),
    );
    certificates.catch(() => {});
  }
  return {
    ...window,
    async resolve(serial) {
      if (serial.startsWith(PUB_KEY_PREFIX)) {
        return serial === wechatpayPublicKey?.id && publicKey ? publicKey() : undefined;
      }
      return (await certificates)?.keys.get(serial.toUpperCase());
    },
    preferredSerial: async () =>
      wechatpayPublicKey?.id ?? ((await certificates) as PlatformCertificateKeys).newest,
    async ready() {
      await Promise.all([publicKey?.(), certificates]);
    },
  };
}

export function isMerchantCredentials(value: unknown): value is MerchantCredentials {
  return typeof value === "object" && value !== null && CREDENTIALS in value;
}

/**
 * Validates every option synchronously (ConfigError naming the option, never its value) and
 * returns credentials whose keys are imported once and reused by every request.
 */
export function createMerchantCredentials(
  options: SignerOptions | MerchantCredentials,
): MerchantCredentials {
  if (isMerchantCredentials(options)) return options;
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("options", "must be an object");
  }
  let credentials = byOptions.get(options);
  if (!credentials) {
    credentials = validateCredentials(options);
    byOptions.set(options, credentials);
  }
  return credentials;
}

// The same options object always yields the same credentials, so keys are imported once.
const byOptions = new WeakMap<object, MerchantCredentials>();

function validateCredentials(options: SignerOptions): MerchantCredentials {
  const { mchid, serialNo, privateKey, userAgent = DEFAULT_USER_AGENT } = options;
  if (typeof mchid !== "string" || !/^\d+$/.test(mchid)) {
    throw new ConfigError("mchid", "must be digits");
  }
  if (typeof serialNo !== "string" || !/^[0-9A-Fa-f]{8,40}$/.test(serialNo)) {
    throw new ConfigError("serialNo", "must be 8 to 40 hex digits");
  }
  if (typeof userAgent !== "string" || !userAgent) {
    throw new ConfigError("userAgent", "must be a string");
  }
  const sign: MessageSigner = createMessageSigner(privateKey, "privateKey");
  const keys = createPlatformKeys(options);
  const identity = { mchid, serialNo, now: keys.now };
  return Object.freeze({
    ...keys,
    [CREDENTIALS]: true,
    mchid,
    serialNo,
    userAgent,
    authorize: (input: SignRequestInput) => formatAuthorization(sign, identity, input),
    async ready() {
      await Promise.all([keys.ready(), sign(new Uint8Array(0))]);
    },
  });
}

/** The Authorization header for one request (see createMerchantCredentials). */
export function buildAuthorization(
  credentials: SignerOptions | MerchantCredentials,
  request: SignRequestInput,
): Promise<string> {
  return createMerchantCredentials(credentials).authorize(request);
}
