/**
 * Platform certificate support (the older WeChat Pay scheme). Kept out of the main entry: it
 * needs node:crypto's X509Certificate (present on Node, Deno and Bun) and is loaded by
 * dynamic import only when `platformCertificates` is configured.
 */
import { ConfigError, SignatureVerificationError } from "./errors.js";
import { importRsaKey, MAX_PEM_LENGTH, MIN_MODULUS_BITS, memoize } from "./keys.js";

export interface PlatformCertificate {
  /** Serial number in upper-case hex, as WeChat Pay prints it in Wechatpay-Serial. */
  serial: string;
  /** SubjectPublicKeyInfo DER of the certificate's RSA key. */
  spki: Uint8Array<ArrayBuffer>;
  notBefore: Date;
  notAfter: Date;
}

type X509 = {
  serialNumber: string;
  validFrom: string;
  validTo: string;
  publicKey: {
    asymmetricKeyType?: string;
    asymmetricKeyDetails?: { modulusLength?: number };
    export(options: { type: "spki"; format: "der" }): Uint8Array;
  };
};
type NodeCrypto = { X509Certificate: new (pem: string) => X509 };
const NODE_CRYPTO = "node:crypto";

const isValidAt = (cert: PlatformCertificate, now: number) =>
  now >= cert.notBefore.getTime() && now <= cert.notAfter.getTime();

/** Parses an X.509 PEM certificate of an RSA key of 2048 bits or more, whatever its dates. */
async function readCertificate(pem: string, option: string): Promise<PlatformCertificate> {
  const { X509Certificate } = (await import(/* @vite-ignore */ NODE_CRYPTO)) as NodeCrypto;
  let cert: X509;
  try {
    if (pem.length > MAX_PEM_LENGTH) throw new RangeError();
    cert = new X509Certificate(pem);
  } catch {
    throw new ConfigError(option, "is not an X.509 certificate");
  }
  const { asymmetricKeyType, asymmetricKeyDetails } = cert.publicKey;
  if (asymmetricKeyType !== "rsa") {
    throw new ConfigError(option, "is not an RSA certificate");
  }
  if (!((asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_MODULUS_BITS)) {
    throw new ConfigError(option, `must be an RSA key of ${MIN_MODULUS_BITS} bits or more`);
  }
  return {
    serial: cert.serialNumber.toUpperCase(),
    spki: new Uint8Array(cert.publicKey.export({ type: "spki", format: "der" })),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

function notValidAt(cert: PlatformCertificate, option: string): ConfigError {
  return new ConfigError(
    option,
    `certificate ${cert.serial} is expired or not yet valid (${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`,
  );
}

/**
 * Parses an X.509 PEM certificate. Throws ConfigError (option `option`) when it is not a
 * certificate, not RSA of 2048 bits or more, or not valid at `now` (ms).
 */
export async function parsePlatformCertificate(
  pem: string,
  now: number = Date.now(),
  option = "platformCertificates",
): Promise<PlatformCertificate> {
  const cert = await readCertificate(pem, option);
  if (!isValidAt(cert, now)) throw notValidAt(cert, option);
  return cert;
}

export interface PlatformCertificates {
  /**
   * The verification key of the certificate with this serial (any case), if configured;
   * SignatureVerificationError `expired-certificate` when it is not valid at `now` (ms).
   */
  resolve(serial: string, now: number): CryptoKey | undefined;
  /** Serial of the certificate valid at `now` that expires last: the one to name in Wechatpay-Serial. */
  newest(now: number): string;
}

type TrustedCertificate = PlatformCertificate & { key: CryptoKey };

// Parsed and imported once per PEM (and option, which its errors name): key sets are rebuilt
// on every update and, from plain options, on every parseNotification call. Every outcome is
// deterministic, so a failure is kept too.
const certificateCache = /* @__PURE__ */ memoize<Promise<TrustedCertificate>>(64);

function trustedCertificate(pem: string, option: string): Promise<TrustedCertificate> {
  return certificateCache(`${option}\n${pem}`, async () => {
    const cert = await readCertificate(pem, option);
    return { ...cert, key: await importRsaKey(cert.spki, "verify", option) };
  });
}

/**
 * Certificate mode: parses every certificate (ConfigError naming `platformCertificates[i]`)
 * and imports its key; with `configuredAt` (ms), one not valid then is a ConfigError too.
 * Validity is checked again at every verification: a certificate that expires while the
 * process runs is refused from then on.
 */
export async function loadPlatformCertificates(
  pems: readonly string[],
  configuredAt?: number,
): Promise<PlatformCertificates> {
  const certificates = await Promise.all(
    pems.map(async (pem, i) => {
      const option = `platformCertificates[${i}]`;
      const cert = await trustedCertificate(pem, option);
      if (configuredAt !== undefined && !isValidAt(cert, configuredAt)) {
        throw notValidAt(cert, option);
      }
      return cert;
    }),
  );
  const bySerial = new Map(certificates.map((cert) => [cert.serial, cert]));
  return {
    resolve(serial, at) {
      const cert = bySerial.get(serial.toUpperCase());
      if (cert && !isValidAt(cert, at)) {
        throw new SignatureVerificationError("expired-certificate", "Wechatpay-Serial");
      }
      return cert?.key;
    },
    newest(at) {
      const valid = certificates.filter((cert) => isValidAt(cert, at));
      return (valid.length ? valid : certificates).reduce((a, b) =>
        b.notAfter > a.notAfter ? b : a,
      ).serial;
    },
  };
}
