/**
 * `#platform` for browsers, workers and any runtime resolved without the `node` condition:
 * Web APIs only. WebCrypto signs and verifies; certificate mode is refused when the options
 * are validated, because parsing X.509 needs node:crypto's X509Certificate.
 */
import { ConfigError } from "./errors.js";

export { loadWebSigner as loadSigner, webVerify as verifyRsa } from "./webcrypto.js";

/** Named in the default User-Agent. */
export const RUNTIME = "web";

export function loadCertificates(): never {
  throw new ConfigError("platformCertificates", "needs node:crypto (Node, Deno, Bun)");
}
