/**
 * RSASSA-PKCS1-v1_5 SHA-256 with WebCrypto: the signer and verifier every runtime has. Both
 * `#platform` variants use it; the Node one only where node:crypto is not faster.
 */
import type { Bytes } from "./encoding.js";
import { importRsaKey, SIGN } from "./keys.js";

/** Signs the bytes of a sign message; resolves to the base64 signature. */
export type MessageSigner = (message: Bytes) => Promise<string>;

// A signature is at most 512 bytes: one fromCharCode call encodes it.
export const webSigner =
  (key: CryptoKey): MessageSigner =>
  async (message) =>
    btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign(SIGN, key, message))));

/** Imports a PKCS#8 private key once; a key WebCrypto rejects is a ConfigError naming `option`. */
export async function loadWebSigner(pkcs8: Bytes, option: string): Promise<MessageSigner> {
  return webSigner(await importRsaKey(pkcs8, "sign", option));
}

export function webVerify(key: CryptoKey, signature: Bytes, message: Bytes): Promise<boolean> {
  return crypto.subtle.verify(SIGN, key, signature, message);
}
