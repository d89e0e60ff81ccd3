// Browser bundle size of createMarketingClient: openapi-fetch + signer + glue, bundled and minified.
// The generated types must add nothing at run time; certificate parsing stays behind its lazy entry.
import { measureBundle, reportBundle } from "../../../scripts/bundle-size.mjs";

export const BUDGET_GZIP_BYTES = 8192;

export function measureClient() {
  return measureBundle({
    stdin: {
      contents: 'export { createMarketingClient } from "./dist/index.js";',
      resolveDir: new URL("..", import.meta.url).pathname,
    },
    external: ["./certificates.js", "./node-crypto.js", "node:crypto"],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!reportBundle("createMarketingClient", await measureClient(), BUDGET_GZIP_BYTES)) {
    process.exitCode = 1;
  }
}
