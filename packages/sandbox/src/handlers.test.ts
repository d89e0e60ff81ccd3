import { document } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import { handlers, listOperations, operationKey, startSandbox } from "./index.js";

describe("business handlers", () => {
  it("every operation of the bundled document has a handler", () => {
    const missing = listOperations().filter((o) => !(o.key in handlers));
    expect(missing.map((o) => o.operationId)).toEqual([]);
  });

  it("routes by the document: a new operation without a handler answers 501 naming it", async () => {
    const extended = structuredClone(document) as typeof document & {
      paths: Record<string, Record<string, unknown>>;
    };
    const responses = document.paths["/v3/marketing/busifavor/coupons/use"]?.post as {
      responses: unknown;
    };
    extended.paths["/v3/marketing/busifavor/coupons/{coupon_code}/lock"] = {
      post: { operationId: "lockBusifavorCoupon", responses: responses.responses },
    };
    const sandbox = await startSandbox({ document: extended });
    try {
      expect(sandbox.operations.find((o) => o.operationId === "lockBusifavorCoupon")).toMatchObject(
        {
          handled: false,
          key: operationKey("POST", "/v3/marketing/busifavor/coupons/{coupon_code}/lock"),
        },
      );
      const { createMarketingClient } = await import("@wechatpay-marketing/client");
      const client = createMarketingClient(sandbox.clientOptions);
      // biome-ignore lint/suspicious/noExplicitAny: the path is not in the generated types
      const result = await (client as any).POST(
        "/v3/marketing/busifavor/coupons/{coupon_code}/lock",
        {
          params: { path: { coupon_code: "C123" } },
          body: {},
        },
      );
      expect(result.response.status).toBe(501);
      expect(result.error.code).toBe("NOT_IMPLEMENTED");
      expect(result.error.message).toContain("lockBusifavorCoupon");
    } finally {
      await sandbox.close();
    }
  });
});
