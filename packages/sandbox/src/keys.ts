import { createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";

export interface KeyPairPem {
  privateKey: string;
  publicKey: string;
}

/** A fresh RSA-2048 pair as PEM (PKCS#8 private, SPKI public). */
export function generateRsaKeyPair(): KeyPairPem {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** The SPKI PEM of a private key PEM (PKCS#8 or PKCS#1). */
export function publicKeyOf(privateKey: string): string {
  return createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
}

/** A random 40-hex-digit certificate serial, like a merchant API certificate's. */
export function randomSerial(): string {
  return randomBytes(20).toString("hex").toUpperCase().replace(/^0/, "1");
}

function pemBody(pem: string): ArrayBuffer {
  const base64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const bytes = Buffer.from(base64, "base64");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A self-signed X.509 platform certificate (the older WeChat Pay scheme) over an existing key
 * pair, built with @peculiar/x509. Resolves to the PEM and its serial in upper-case hex.
 */
export async function createPlatformCertificate(
  keys: KeyPairPem,
  options: { mchid: string; validDays?: number } = { mchid: "1900000001" },
): Promise<{ pem: string; serial: string }> {
  // Loaded on demand: only the certificate mode needs it (and its reflect-metadata polyfill).
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey("pkcs8", pemBody(keys.privateKey), algorithm, true, [
    "sign",
  ]);
  const publicKey = await subtle.importKey("spki", pemBody(keys.publicKey), algorithm, true, [
    "verify",
  ]);
  const serial = randomBytes(20)
    .toString("hex")
    .toUpperCase()
    .replace(/^[0-7]/, "1");
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: `CN=Tenpay.com Root CA sandbox, O=WeChat Pay sandbox, OU=${options.mchid}, C=CN`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + (options.validDays ?? 365) * 86_400_000),
    signingAlgorithm: algorithm,
    keys: { privateKey, publicKey } as CryptoKeyPair,
  });
  return { pem: certificate.toString("pem"), serial: certificate.serialNumber.toUpperCase() };
}
