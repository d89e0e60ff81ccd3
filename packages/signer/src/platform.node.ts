/**
 * `#platform` for Node, Deno and Bun (the `node` condition). On Node itself node:crypto's
 * KeyObjects sign and verify, faster than WebCrypto there (bench/run.mjs measures it); Deno
 * and Bun, which also match `node`, use WebCrypto. All three parse platform certificates with
 * node:crypto's X509Certificate.
 */
import type { PlatformCertificates } from "./certificates.js";
import type { Bytes } from "./encoding.js";
import { check, matches } from "./errors.js";
import { loadNodeBackend, type NodeBackend } from "./node-crypto.js";
import { loadWebSigner, webVerify } from "./webcrypto.js";

const { Deno, Bun, process } = globalThis as {
  Deno?: { version: { deno: string } };
  Bun?: { version: string };
  process?: { versions?: { node?: string } };
};
const node = process?.versions?.node;

/** `Deno/…`, `Bun/…` or `Node.js/…`: named in the default User-Agent. */
export const RUNTIME = Deno
  ? `Deno/${Deno.version.deno}`
  : Bun
    ? `Bun/${Bun.version}`
    : `Node.js/${node}`;

/** Node itself (Deno and Bun also define process.versions.node). */
const IS_NODE = !Deno && !Bun && !!node;

let backend: Promise<NodeBackend> | undefined;
const nodeBackend = () => (backend ??= loadNodeBackend());

/**
 * The signer of a PKCS#8 key: a cached KeyObject on Node (synchronous with one request in
 * flight, on the thread pool when `busy`), WebCrypto elsewhere.
 */
export async function loadSigner(
  pkcs8: Bytes,
  option: string,
  busy: () => boolean,
): Promise<(message: Bytes) => string | Promise<string>> {
  return IS_NODE ? (await nodeBackend()).signer(pkcs8, option, busy) : loadWebSigner(pkcs8, option);
}

/** On Node a synchronous check with a KeyObject cached per key (public keys are extractable). */
export async function verifyRsa(
  key: CryptoKey,
  signature: Bytes,
  message: Bytes,
): Promise<boolean> {
  return IS_NODE && key.extractable
    ? (await nodeBackend()).verify(key, signature, message)
    : webVerify(key, signature, message);
}

/**
 * Certificate mode: the PEMs are checked here, synchronously; parsing and key import run in
 * ./certificates.js, loaded only when certificates are configured.
 */
export function loadCertificates(
  pems: readonly string[],
  configuredAt?: number,
): Promise<PlatformCertificates> {
  check(
    Array.isArray(pems) && pems.every((pem) => matches(pem, /-----BEGIN CERTIFICATE-----/)),
    "platformCertificates",
    "must be X.509 PEM strings",
  );
  return import("./certificates.js").then((m) => m.loadPlatformCertificates(pems, configuredAt));
}
