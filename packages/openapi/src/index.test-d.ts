import { describe, expectTypeOf, it } from "vitest";
import {
  type EventType,
  type MarketingOperation,
  type OpenApiDocument,
  type OperationId,
  operation,
  operations,
  type SpecOperation,
  webhook,
} from "./index.js";

describe("the model's types", () => {
  it("knows every operationId and narrows method and path by it", () => {
    expectTypeOf<"createBusifavorStock">().toExtend<OperationId>();
    expectTypeOf<"onBusifavorCouponSend">().not.toExtend<OperationId>();
    const stock = operation("getBusifavorStock");
    expectTypeOf(stock.method).toEqualTypeOf<"GET">();
    expectTypeOf(stock.path).toEqualTypeOf<"/v3/marketing/busifavor/stocks/{stock_id}">();
    expectTypeOf(stock.key).toEqualTypeOf<"GET /v3/marketing/busifavor/stocks/{stock_id}">();
    // @ts-expect-error not an operation of the document
    operation("getBusifavorStocks");
  });

  it("lists the bundled operations as a union discriminated by operationId", () => {
    expectTypeOf(operations()).toEqualTypeOf<readonly MarketingOperation[]>();
    expectTypeOf(operations({} as OpenApiDocument)).toEqualTypeOf<readonly SpecOperation[]>();
    for (const op of operations()) {
      if (op.operationId === "createBusifavorStock")
        expectTypeOf(op.method).toEqualTypeOf<"POST">();
    }
  });

  it("knows every event type and its decrypted resource schema", () => {
    expectTypeOf<EventType>().toEqualTypeOf<"COUPON.SEND" | "COUPON.USE">();
    expectTypeOf(
      webhook("COUPON.SEND").notification.resourceSchema,
    ).toEqualTypeOf<"BusifavorCouponSendResource">();
    expectTypeOf(
      webhook("COUPON.USE").notification.resourceSchema,
    ).toEqualTypeOf<"FavorCouponUseResource">();
  });
});
