/**
 * The WeChat Pay keys answers and notifications are verified with: given once, or supplied by
 * a function asked at every verification, so keys can rotate while the process runs (a new
 * public key, the move from platform certificates to the public key).
 */
import { loadCertificates } from "#platform";
import type { PlatformCertificates } from "./certificates.js";
import { check, matches } from "./errors.js";
import { cachedVerificationKey } from "./signing.js";

/** The current scheme: a WeChat Pay public key (SPKI PEM) and its `PUB_KEY_ID_…` id. */
export interface WechatpayPublicKey {
  id: string;
  key: string | CryptoKey;
}

/** The keys to trust: the public key and/or platform certificates (both while migrating). */
export interface PlatformKeyOptions {
  wechatpayPublicKey?: WechatpayPublicKey | undefined;
  /**
   * X.509 PEM platform certificates (the older scheme); both schemes may be set at once.
   * Needs node:crypto: Node, Deno and Bun only (the `browser` build refuses it).
   */
  platformCertificates?: readonly string[] | undefined;
}

/**
 * Supplies the keys to trust now; asked at every verification and for every request's
 * Wechatpay-Serial. Keep what it returns in memory (PEM strings are imported once per process).
 */
export type PlatformKeySource = () => PlatformKeyOptions | Promise<PlatformKeyOptions>;

/** Keys validated and imported; a certificate is trusted only between its dates. */
export interface TrustedKeys {
  /**
   * The key that `Wechatpay-Serial` names, undefined when none does; SignatureVerificationError
   * `expired-certificate` for a certificate not valid at `now` (ms).
   */
  resolve(serial: string, now: number): CryptoKey | undefined;
  /** What to send in Wechatpay-Serial: the public key's id, else the newest valid certificate. */
  preferredSerial(now: number): string;
}

/**
 * Validates `keys` synchronously (ConfigError naming the option) and imports them. With
 * `configuredAt` (ms), a certificate not valid then is a ConfigError too.
 */
function trust(keys: PlatformKeyOptions, configuredAt?: number): Promise<TrustedKeys> {
  const { wechatpayPublicKey, platformCertificates: pems } = keys ?? {};
  const id = wechatpayPublicKey?.id;
  check(
    wechatpayPublicKey || pems?.length,
    "wechatpayPublicKey",
    "or platformCertificates is required",
  );
  let publicKey: Promise<CryptoKey> | undefined;
  if (wechatpayPublicKey) {
    check(
      matches(id, /^PUB_KEY_ID_\w{1,64}$/),
      "wechatpayPublicKey.id",
      "must be PUB_KEY_ID_ and 1 to 64 letters or digits",
    );
    publicKey = cachedVerificationKey(wechatpayPublicKey.key, "wechatpayPublicKey.key");
  }
  const certificates = pems?.length ? loadCertificates(pems, configuredAt) : undefined;
  return Promise.all([publicKey, certificates]).then(([key, certs]) => ({
    // A PUB_KEY_ID_ other than ours is no certificate serial either: both find nothing.
    resolve: (serial, now) => (serial === id ? key : certs?.resolve(serial, now)),
    preferredSerial: (now) => id ?? (certs as PlatformCertificates).newest(now),
  }));
}

/**
 * The trusted keys of verification options. Keys given as options are validated here, once (a
 * certificate already expired is a ConfigError); a `platformKeys` function is asked at every
 * use, and what it returns validated then (a certificate past its dates is just not trusted).
 */
export function trustedKeys(
  options: PlatformKeyOptions & { platformKeys?: PlatformKeySource | undefined },
  now: () => number,
): () => Promise<TrustedKeys> {
  const { platformKeys: source } = options;
  if (source === undefined) {
    const fixed = trust(options, now());
    // A key that fails to import is reported by ready() and every use, never as unhandled.
    fixed.catch(() => {});
    return () => fixed;
  }
  check(
    typeof source === "function" && !options.wechatpayPublicKey && !options.platformCertificates,
    "platformKeys",
    "must be a function, instead of wechatpayPublicKey",
  );
  return async () => trust(await source());
}
