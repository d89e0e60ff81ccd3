/**
 * `@wechatpay-marketing/signer/sensitive`: RSA-OAEP encryption of sensitive request fields
 * and decryption of those WeChat Pay encrypts for the merchant. Its own entry point, so the
 * main entry stays small.
 */
import { base64Decode, base64Encode, toBytes } from "./encoding.js";
import { DecryptionError } from "./errors.js";
import { decodePem, importRsaKey, type KeyInput, memoize, OAEP, rsaKey } from "./keys.js";

/** A platform key that sensitive fields are encrypted for; `id` goes in Wechatpay-Serial. */
export interface PlatformPublicKey {
  /** `PUB_KEY_ID_…` or the platform certificate serial. */
  id: string;
  /** SPKI PEM, X.509 certificate PEM, or a CryptoKey (RSA-OAEP SHA-1, encrypt). */
  key: KeyInput;
}

const encryptionKeys = memoize<Promise<CryptoKey>>();
const decryptionKeys = memoize<Promise<CryptoKey>>();

async function encryptionKey(key: KeyInput): Promise<CryptoKey> {
  if (typeof key === "string" && decodePem(key, "key").label === "CERTIFICATE") {
    return encryptionKeys(key, async () => {
      const { parsePlatformCertificate } = await import("./certificates.js");
      return importRsaKey(
        (await parsePlatformCertificate(key, Date.now(), "key")).spki,
        "encrypt",
        "key",
        OAEP,
      );
    });
  }
  const spki = rsaKey(key, "encrypt", "key", OAEP);
  const load = () => importRsaKey(spki, "encrypt", "key", OAEP);
  return typeof key === "string" ? encryptionKeys(key, load) : load();
}

/**
 * RSA-OAEP (SHA-1, MGF1-SHA-1) with the platform public key, base64. Send the returned
 * `serial` as the request's Wechatpay-Serial header.
 */
export async function encryptSensitiveField(
  plaintext: string,
  platformPublicKey: PlatformPublicKey,
): Promise<{ ciphertext: string; serial: string }> {
  const key = await encryptionKey(platformPublicKey.key);
  const sealed = await crypto.subtle.encrypt(OAEP, key, toBytes(plaintext));
  return { ciphertext: base64Encode(new Uint8Array(sealed)), serial: platformPublicKey.id };
}

/**
 * Decrypts a sensitive field WeChat Pay encrypted for the merchant. A PEM is imported once
 * for RSA-OAEP decrypt (WebCrypto keys have one algorithm, so not the signing key).
 */
export async function decryptSensitiveField(
  ciphertext: string,
  merchantPrivateKey: KeyInput,
): Promise<string> {
  const option = "merchantPrivateKey";
  const load = () =>
    importRsaKey(rsaKey(merchantPrivateKey, "decrypt", option, OAEP), "decrypt", option, OAEP);
  const key = await (typeof merchantPrivateKey === "string"
    ? decryptionKeys(merchantPrivateKey, load)
    : load());
  const bytes = base64Decode(ciphertext);
  if (!bytes) throw new DecryptionError("malformed-resource", "ciphertext");
  try {
    return new TextDecoder().decode(await crypto.subtle.decrypt(OAEP, key, bytes));
  } catch {
    throw new DecryptionError("authentication-failed", "ciphertext");
  }
}
