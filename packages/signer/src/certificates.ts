/**
 * Platform certificate support (the older WeChat Pay scheme). Kept out of the main entry: it
 * needs node:crypto's X509Certificate (present on Node, Deno and Bun) and is loaded by
 * dynamic import only when `platformCertificates` is configured.
 */
import { ConfigError } from "./errors.js";
import { importRsaKey } from "./keys.js";

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
    export(options: { type: "spki"; format: "der" }): Uint8Array;
  };
};
type NodeCrypto = { X509Certificate: new (pem: string) => X509 };
const NODE_CRYPTO = "node:crypto";

/**
 * Parses an X.509 PEM certificate. Throws ConfigError (option `option`) when it is not a
 * certificate, not RSA, or not valid at `now` (ms).
 */
export async function parsePlatformCertificate(
  pem: string,
  now: number = Date.now(),
  option = "platformCertificates",
): Promise<PlatformCertificate> {
  const { X509Certificate } = (await import(/* @vite-ignore */ NODE_CRYPTO)) as NodeCrypto;
  let cert: X509;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new ConfigError(option, "is not an X.509 certificate");
  }
  if (cert.publicKey.asymmetricKeyType !== "rsa") {
    throw new ConfigError(option, "is not an RSA certificate");
  }
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (!(now >= notBefore.getTime() && now <= notAfter.getTime())) {
    throw new ConfigError(
      option,
      `certificate ${cert.serialNumber.toUpperCase()} is expired or not yet valid (${cert.validFrom} to ${cert.validTo})`,
    );
  }
  return {
    serial: cert.serialNumber.toUpperCase(),
    spki: new Uint8Array(cert.publicKey.export({ type: "spki", format: "der" })),
    notBefore,
    notAfter,
  };
}

export interface PlatformCertificateKeys {
  /** The verification key of the certificate with this serial (any case), if configured. */
  resolve(serial: string): CryptoKey | undefined;
  /** Serial of the certificate that expires last: the one to name in Wechatpay-Serial. */
  newest: string;
}

/**
 * The certificate mode of createPlatformKeys: parses every certificate (ConfigError naming
 * `platformCertificates[i]`), imports its key and picks the one that expires last.
 */
export async function loadPlatformCertificates(
  pems: readonly string[],
  now: number,
): Promise<PlatformCertificateKeys> {
  const certificates = await Promise.all(
    pems.map((pem, i) => parsePlatformCertificate(pem, now, `platformCertificates[${i}]`)),
  );
  const keys = new Map<string, CryptoKey>();
  for (const [i, cert] of certificates.entries()) {
    keys.set(cert.serial, await importRsaKey(cert.spki, "verify", `platformCertificates[${i}]`));
  }
  const newest = certificates.reduce((a, b) => (b.notAfter > a.notAfter ? b : a));
  return { resolve: (serial) => keys.get(serial.toUpperCase()), newest: newest.serial };
}
