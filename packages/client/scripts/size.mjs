// Browser bundle size of createMarketingClient: openapi-fetch + signer + glue, bundled and minified.
// The generated types must add nothing at run time. esbuild resolves the signer as a browser
// bundler does: its `browser` build (WebCrypto only, no node:crypto, no certificate mode).
import { measureBundle, reportBundle } from "@wechatpay-marketing/tooling/bundle-size";

// 8 KiB until client.paginate, whose code and table of ten lists add about 680 B gzip; retries,
// timeouts, failover, the log hook and the generated retry table (issue 17 §1) about 2.2 KiB.
export const BUDGET_GZIP_BYTES = 11_776;

export function measureClient() {
  return measureBundle({
    stdin: {
      contents: 'export { createMarketingClient } from "./dist/index.js";',
      resolveDir: new URL("..", import.meta.url).pathname,
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!reportBundle("createMarketingClient", await measureClient(), BUDGET_GZIP_BYTES)) {
    process.exitCode = 1;
  }
}
