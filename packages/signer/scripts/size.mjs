// Browser bundle size of the main entry. External: the certificates module and the Node fast
// path (node-crypto.js), both loaded by dynamic import only on runtimes with node:crypto.
import { measureBundle, reportBundle } from "../../../scripts/bundle-size.mjs";

// The target is 4 KB gzip. The main entry does not meet it yet (4,414 B, from 5.4 KB); the
// test enforces CEILING_GZIP_BYTES (the size rounded up to 64 B) so it cannot grow while it
// is being trimmed, and the bench reports PASS/FAIL against the 4 KB target.
export const BUDGET_GZIP_BYTES = 4096;
export const CEILING_GZIP_BYTES = 4416;

export function measureMainEntry() {
  return measureBundle({
    entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
    external: ["./certificates.js", "./node-crypto.js", "node:crypto"],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!reportBundle("main entry", await measureMainEntry(), BUDGET_GZIP_BYTES))
    process.exitCode = 1;
}
