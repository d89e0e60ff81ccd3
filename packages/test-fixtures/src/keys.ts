// Keys are made at test time, never committed (DESIGN.md).
import { generateKeyPairSync } from "node:crypto";

const rsaPrivateKey = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;

let keys: { merchantPrivateKey: string; platformPrivateKey: string } | undefined;

/**
 * One merchant and one platform key pair per test file, made on first use: the sandboxes of a
 * file share them (startSandbox takes them as options), so a test can afford a sandbox of its own.
 */
export function testKeys() {
  keys ??= { merchantPrivateKey: rsaPrivateKey(), platformPrivateKey: rsaPrivateKey() };
  return keys;
}
