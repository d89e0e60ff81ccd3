// The e2e tests' harness: a sandbox started as the sandbox's own tests start it, a typed client
// wired to it, and a record, per operation, of whether it has answered a success and an error.
// The request bodies they send are the shared ones of @wechatpay-marketing/test-fixtures.
import { createMarketingClient, type MarketingClient } from "@wechatpay-marketing/client";
import { type Sandbox, type SandboxOptions, startSandbox } from "@wechatpay-marketing/sandbox";
import { pngImage, testKeys } from "@wechatpay-marketing/test-fixtures";

/** Cash coupon (代金券) operations: favor.integration.test.ts covers them with its own sandbox. */
export const isCashCouponPath = (path: string) =>
  path.startsWith("/v3/marketing/favor/") && !path.startsWith("/v3/marketing/favor/media/");

/** Uploads an image with 图片上传(营销专用) and answers its media_url. */
export async function uploadLogo(
  client: MarketingClient,
  bytes: Uint8Array = pngImage(),
  filename = "logo.png",
): Promise<string> {
  const { data, error } = await client.uploadImage(bytes, filename);
  if (!data) throw new Error(`image upload failed: ${JSON.stringify(error)}`);
  return data.media_url;
}

export interface Harness {
  sandbox: Sandbox;
  client: MarketingClient;
  /** operationId -> the kinds of answers seen ("success" for 2xx, "error" for 4xx/5xx). */
  outcomes: Map<string, Set<"success" | "error">>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const outcomes = new Map<string, Set<"success" | "error">>();
  const sandbox = await startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [10, 20, 40],
    ...testKeys(),
    ...options,
    onRequest(entry) {
      options.onRequest?.(entry);
      if (!entry.operationId) return;
      const seen = outcomes.get(entry.operationId) ?? new Set();
      seen.add(entry.status < 300 ? "success" : "error");
      outcomes.set(entry.operationId, seen);
    },
  });
  return { sandbox, client: createMarketingClient(sandbox.clientOptions), outcomes };
}
