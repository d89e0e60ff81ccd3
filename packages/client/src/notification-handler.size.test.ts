// The handler is tree-shaken away for users of parseNotification alone, and createMarketingClient
// pays nothing for it: measured as a browser bundler bundles the main entry.
import { measureBundle } from "@wechatpay-marketing/tooling/bundle-size";
import { describe, expect, it } from "vitest";

const bundle = async (names: string) => {
  const result = await measureBundle({
    stdin: {
      contents: `export { ${names} } from "./dist/index.js";`,
      resolveDir: new URL("..", import.meta.url).pathname,
    },
  });
  return result.gzip;
};

describe("createNotificationHandler's bundle cost", () => {
  it("is not paid by parseNotification-only users", async () => {
    const parseOnly = await bundle("parseNotification");
    const withHandler = await bundle("parseNotification, createNotificationHandler");
    console.log(
      `parseNotification: ${parseOnly} B gzip; with createNotificationHandler: ${withHandler} B gzip`,
    );
    // The handler's protocol code (store, answers, log) is several hundred bytes gzip.
    expect(withHandler - parseOnly).toBeGreaterThan(300);
  });
});
