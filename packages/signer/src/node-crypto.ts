/**
 * The Node fast path (measured in bench/run.mjs): RSASSA-PKCS1-v1_5 SHA-256 with cached
 * node:crypto KeyObjects. Kept out of the main entry: signing.ts loads it by dynamic import on
 * Node only (Deno, Bun and browsers run the WebCrypto path and never fetch this module).
 */
import type { Bytes } from "./encoding.js";
import { importFailed } from "./keys.js";

type NodeCrypto = {
  createPrivateKey(input: { key: Uint8Array; format: "der"; type: "pkcs8" }): unknown;
  sign(algorithm: string, data: Uint8Array, key: unknown): Base64Buffer;
  sign(
    algorithm: string,
    data: Uint8Array,
    key: unknown,
    callback: (error: Error | null, signature: Base64Buffer) => void,
  ): void;
  verify(algorithm: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
  KeyObject: { from(key: CryptoKey): unknown };
};
// Node's Buffer encodes base64 natively, faster than btoa.
type Base64Buffer = { toString(encoding: "base64"): string };
const NODE_CRYPTO = "node:crypto";

export interface NodeBackend {
  /** A signer over a cached KeyObject; ConfigError (`option`) when the key does not import. */
  signer(
    pkcs8: Bytes,
    option: string,
    busy: () => boolean,
  ): (message: Bytes) => string | Promise<string>;
  /** A synchronous check with a KeyObject cached per (extractable) CryptoKey. */
  verify(key: CryptoKey, signature: Bytes, message: Bytes): boolean;
}

export async function loadNodeBackend(): Promise<NodeBackend> {
  const node = (await import(/* @vite-ignore */ NODE_CRYPTO)) as NodeCrypto;
  const keyObjects = new WeakMap<CryptoKey, unknown>();
  return {
    signer(pkcs8, option, busy) {
      let key: unknown;
      try {
        key = node.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
      } catch {
        importFailed(option);
      }
      // With one request in flight, sign synchronously (no thread hop); with more, on libuv's
      // thread pool, so concurrent requests use every core.
      return (message) =>
        busy()
          ? new Promise<string>((resolve, reject) =>
              node.sign("sha256", message, key, (error, signature) =>
                error ? reject(error) : resolve(signature.toString("base64")),
              ),
            )
          : node.sign("sha256", message, key).toString("base64");
    },
    verify(key, signature, message) {
      let keyObject = keyObjects.get(key);
      if (!keyObject) {
        keyObject = node.KeyObject.from(key);
        keyObjects.set(key, keyObject);
      }
      return node.verify("sha256", message, keyObject, signature);
    },
  };
}
