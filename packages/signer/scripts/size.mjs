// Browser bundle size of the main entry (credentials and request signing, notification
// verification and decryption, errors; public-key mode), as a browser bundler builds it: the
// web #platform, so no node:crypto and no certificate mode. The middleware and the fetch
// wrapper are sub-entries; @wechatpay-marketing/client's budget covers the middleware. src/size.test.ts holds it to the budget; `pnpm bench` prints it.
import { measureBundle, reportBundle } from "@wechatpay-marketing/tooling/bundle-size";

export const BUDGET_GZIP_BYTES = 4096;
/** ./coupon-delivery (plug-in payload, H5 URL, result parsing): its own entry, its own budget. */
export const COUPON_DELIVERY_BUDGET_GZIP_BYTES = 3584;

// A browser bundler resolves package.json's "imports" #platform under the `browser`
// condition: the web platform. Read from source here, so no build is needed.
const webPlatform = {
  name: "web-platform",
  setup(build) {
    build.onResolve({ filter: /^#platform$/ }, () => ({
      path: new URL("../src/platform.web.ts", import.meta.url).pathname,
    }));
  },
};

export function measureMainEntry() {
  return measureBundle({
    entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
    plugins: [webPlatform],
  });
}

/** ./coupon-delivery uses no #platform: WebCrypto HMAC on every runtime. */
export function measureCouponDeliveryEntry() {
  return measureBundle({
    entryPoints: [new URL("../src/coupon-delivery.ts", import.meta.url).pathname],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!reportBundle("main entry", await measureMainEntry(), BUDGET_GZIP_BYTES))
    process.exitCode = 1;
  const delivery = await measureCouponDeliveryEntry();
  if (!reportBundle("./coupon-delivery", delivery, COUPON_DELIVERY_BUDGET_GZIP_BYTES))
    process.exitCode = 1;
}
