import { describe, expect, it } from "vitest";
import {
  DocumentModelError,
  document,
  type OpenApiDocument,
  operation,
  operations,
  webhook,
  webhooks,
} from "./index.js";

// biome-ignore lint/suspicious/noExplicitAny: a copy of the document, edited in place by the test
type Json = Record<string, any>;
const copy = () => structuredClone(document) as Json;

describe("the operation model of the bundled document", () => {
  it("lists every operation of paths once, in document order, with what consumers route by", () => {
    const list = operations();
    const fromPaths = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) =>
          ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(k),
        )
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(list.map((o) => o.key)).toEqual(fromPaths);
    expect(list).toHaveLength(56); // 38 + the 18 of 代金券
    expect(new Set(list.map((o) => o.operationId)).size).toBe(list.length);
    expect(operation("getBusifavorStock")).toMatchObject({
      method: "GET",
      path: "/v3/marketing/busifavor/stocks/{stock_id}",
      key: "GET /v3/marketing/busifavor/stocks/{stock_id}",
      tags: ["Merchant coupons"],
      pathParams: ["stock_id"],
    });
    expect(operation("getBusifavorStock").definition).toBe(
      document.paths["/v3/marketing/busifavor/stocks/{stock_id}"]?.get,
    );
  });

  it("lists every webhook with the schema its resource decrypts to (a component)", () => {
    expect(webhooks().map((w) => w.eventType)).toEqual(Object.keys(document.webhooks ?? {}));
    const send = webhook("COUPON.SEND");
    expect(send).toMatchObject({
      method: "POST",
      operationId: "onBusifavorCouponSend",
      notification: {
        resourceSchema: "BusifavorCouponSendResource",
        envelopeSchema: "BusifavorNotification",
        originalType: "coupon",
        summary: "商家券领券通知",
      },
    });
    expect(document.components?.schemas?.[send.notification.resourceSchema]).toBeDefined();
    const use = webhook("COUPON.USE");
    expect(use).toMatchObject({
      method: "POST",
      operationId: "onFavorCouponUse",
      notification: {
        resourceSchema: "FavorCouponUseResource",
        envelopeSchema: "FavorNotification",
        originalType: "coupon",
        summary: "用券成功",
      },
    });
    expect(document.components?.schemas?.[use.notification.resourceSchema]).toBeDefined();
  });

  it("throws naming an operation or webhook it does not know", () => {
    expect(() => operation("getNothing" as never)).toThrow(/no operation getNothing/);
    expect(() => webhook("COUPON.NONE" as never)).toThrow(/no webhook COUPON\.NONE/);
  });

  it("reads any document given to it (a changed copy), without caching it as the bundled one", () => {
    const doc = copy();
    doc.paths["/v3/marketing/busifavor/stocks/{stock_id}/summary"] = {
      get: {
        ...doc.paths["/v3/marketing/busifavor/stocks/{stock_id}"].get,
        operationId: "getSummary",
      },
    };
    expect(operations(doc as OpenApiDocument).at(-1)).toMatchObject({
      operationId: "getSummary",
      pathParams: ["stock_id"],
    });
    expect(operations()).toHaveLength(56);
  });

  it("refuses what consumers cannot do without, naming the operation or webhook", () => {
    const noId = copy();
    delete noId.paths["/v3/marketing/busifavor/callbacks"].post.operationId;
    expect(() => operations(noId as OpenApiDocument)).toThrow(
      new DocumentModelError("POST /v3/marketing/busifavor/callbacks has no operationId"),
    );

    const twice = copy();
    twice.paths["/v3/marketing/busifavor/callbacks"].post.operationId = "getBusifavorCallback";
    expect(() => operations(twice as OpenApiDocument)).toThrow(
      /two operations share the operationId getBusifavorCallback/,
    );

    const noNotification = copy();
    delete noNotification.webhooks["COUPON.SEND"].post["x-notification"];
    expect(() => webhooks(noNotification as OpenApiDocument)).toThrow(
      /webhook COUPON\.SEND \(onBusifavorCouponSend\) has no x-notification/,
    );

    const noSummary = copy();
    delete noSummary.webhooks["COUPON.SEND"].post["x-notification"].summary;
    expect(() => webhooks(noSummary as OpenApiDocument)).toThrow(
      /webhook COUPON\.SEND \(onBusifavorCouponSend\): x-notification\.summary must be a string/,
    );
  });
});
