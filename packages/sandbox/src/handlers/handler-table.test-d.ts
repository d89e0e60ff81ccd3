// The handler table is typed by the document: each check below pairs what compiles with the
// mistake that must not (a table missing an operation, a wrong answer field or error code, a
// misspelt request field), so a type that let everything through would fail here.
import type { OperationId } from "@wechatpay-marketing/openapi";
import { describe, expectTypeOf, it } from "vitest";
import { type SandboxOptions, startSandbox } from "../index.js";
import type { HandlerTable, OperationHandler } from "./context.js";
import { type HandlerOverrides, handlers } from "./index.js";
import type { OperationReply, RequestBody, Schema, SuccessBody } from "./operation-types.js";

describe("the handler table", () => {
  it("is keyed by exactly the operationIds of the document's operation model", () => {
    expectTypeOf<keyof HandlerTable>().toEqualTypeOf<OperationId>();
    expectTypeOf(handlers).toEqualTypeOf<HandlerTable>();
  });

  it("does not compile when an operation has no handler", () => {
    const { useBusifavorCoupon, ...rest } = handlers;
    const complete: HandlerTable = { ...rest, useBusifavorCoupon };
    // @ts-expect-error Property 'useBusifavorCoupon' is missing
    const missing: HandlerTable = rest;
    expectTypeOf(complete).toEqualTypeOf<HandlerTable>();
    expectTypeOf(missing).toEqualTypeOf<HandlerTable>();
  });

  it("refuses a handler under another operation's id, or an id the document lacks", () => {
    const getStock: OperationHandler<"getBusifavorStock"> = handlers.getBusifavorStock;
    const overrides: HandlerOverrides = { getBusifavorStock: getStock };
    // @ts-expect-error getBusifavorStock's handler answers another schema than useBusifavorCoupon's
    const swapped: HandlerOverrides = { useBusifavorCoupon: getStock };
    // @ts-expect-error lockBusifavorCoupon is not an operation of the document
    const unknown: HandlerOverrides = { lockBusifavorCoupon: getStock };
    expectTypeOf(overrides).toEqualTypeOf<HandlerOverrides>();
    expectTypeOf([swapped, unknown]).toEqualTypeOf<HandlerOverrides[]>();
  });
});

describe("the handlers option", () => {
  it("takes the README's replacement handler", () => {
    const getStock: OperationHandler<"getBusifavorStock"> = (context) => {
      const stock = context.store.stock(context.params.stock_id);
      return context.reply(200, context.store.stockView(stock));
    };
    const options: SandboxOptions = { handlers: { getBusifavorStock: getStock } };
    expectTypeOf(startSandbox).toBeCallableWith(options);
  });
});

describe("a handler's answer", () => {
  it("is a status the document declares, with that status's body schema", () => {
    const handler: OperationHandler<"useBusifavorCoupon"> = (context) => {
      const time = "2024-05-20T13:29:35+08:00";
      if (context.body.openid === undefined)
        return context.reply(400, { code: "INVALID_REQUEST", message: "券不属于该用户" });
      return context.reply(200, { stock_id: "1", openid: "o", wechatpay_use_time: time });
    };
    expectTypeOf(handler).returns.toEqualTypeOf<OperationReply<"useBusifavorCoupon">>();
    expectTypeOf<SuccessBody<"useBusifavorCoupon">>().toHaveProperty("wechatpay_use_time");
  });

  it("does not compile with a field the response schema does not name", () => {
    const handler: OperationHandler<"useBusifavorCoupon"> = (context) =>
      context.reply(200, {
        stock_id: "1",
        openid: "o",
        // @ts-expect-error 'wechatpay_use_tme' does not exist in the answer of useBusifavorCoupon
        wechatpay_use_tme: "2024-05-20T13:29:35+08:00",
      });
    expectTypeOf(handler).toBeFunction();
  });

  it("does not compile without a required field, or with a field of the wrong type", () => {
    const handler: OperationHandler<"createBusifavorStock"> = (context) =>
      // @ts-expect-error Property 'create_time' is missing
      context.reply(200, { stock_id: "1265000000" });
    const typed: OperationHandler<"createBusifavorStock"> = (context) =>
      // @ts-expect-error Type 'number' is not assignable to type 'string'
      context.reply(200, { stock_id: 1265000000, create_time: "2024-05-20T13:29:35+08:00" });
    expectTypeOf([handler, typed]).items.toBeFunction();
  });

  it("names only the error codes the operation documents, and no body on a 204", () => {
    const handler: OperationHandler<"updateBusifavorStock"> = (context) => {
      if (context.body.stock_name === "")
        // @ts-expect-error '"COUPON_EXPIRED"' is not a code updateBusifavorStock documents for 400
        return context.reply(400, { code: "COUPON_EXPIRED", message: "x" });
      // @ts-expect-error Expected 1 arguments, but got 2: a 204 has no body
      if (context.body.comment === "") return context.reply(204, {});
      // @ts-expect-error 201 is not a status the operation declares
      if (context.body.goods_name === "") return context.reply(201);
      return context.reply(204);
    };
    expectTypeOf(handler).toBeFunction();
  });
});

describe("a handler's request", () => {
  it("types the body by the request schema: a misspelt field read does not compile", () => {
    const handler: OperationHandler<"useBusifavorCoupon"> = (context) => {
      expectTypeOf(context.body).toEqualTypeOf<RequestBody<"useBusifavorCoupon">>();
      expectTypeOf(context.body.coupon_code).toEqualTypeOf<string>();
      // @ts-expect-error Property 'coupon_cod' does not exist
      expectTypeOf(context.body.coupon_cod).toBeUnknown();
      return context.reply(200, { stock_id: "1", openid: "o", wechatpay_use_time: "t" });
    };
    expectTypeOf(handler).toBeFunction();
  });

  it("types path, query and header parameters, and a location the operation lacks has no field", () => {
    const getStock: OperationHandler<"getBusifavorStock"> = (context) => {
      expectTypeOf(context.params.stock_id).toEqualTypeOf<string>();
      // @ts-expect-error Property 'stock_idd' does not exist
      expectTypeOf(context.params.stock_idd).toBeUnknown();
      // @ts-expect-error getBusifavorStock has no query parameters
      expectTypeOf(context.query.stock_id).toBeUnknown();
      // @ts-expect-error getBusifavorStock has no body
      expectTypeOf(context.body.stock_id).toBeUnknown();
      throw new Error("not run");
    };
    const listCoupons: OperationHandler<"listBusifavorUserCoupons"> = (context) => {
      // Query integers arrive as numbers (the validator coerces them).
      expectTypeOf(context.query.offset).toEqualTypeOf<number | undefined>();
      // @ts-expect-error Property 'opnid' does not exist
      expectTypeOf(context.query.opnid).toBeUnknown();
      throw new Error("not run");
    };
    const build: OperationHandler<"buildPartnership"> = (context) => {
      // Node lowercases header names; the document's Idempotency-Key is read as such.
      expectTypeOf(context.headers["idempotency-key"]).toEqualTypeOf<string>();
      // @ts-expect-error only the lowercase name exists
      expectTypeOf(context.headers["Idempotency-Key"]).toBeUnknown();
      throw new Error("not run");
    };
    const list: OperationHandler<"listPartnerships"> = (context) => {
      // A JSON query parameter (content: application/json) arrives parsed, as its schema.
      expectTypeOf(context.query.partner).toEqualTypeOf<
        Schema<"PartnershipPartnerFilter"> | undefined
      >();
      throw new Error("not run");
    };
    expectTypeOf([getStock, listCoupons, build, list]).items.toBeFunction();
  });
});

describe("the generated types (scripts/generate-types.mjs)", () => {
  it("type a oneOf variant's tag by its own values, not by the variant's schema name", () => {
    // openapi-typescript 7 writes `use_method: "BusifavorNormalCouponUseRule"` when the
    // discriminator is left in; the generator drops it, as the variants type their tags.
    type Rule = RequestBody<"createBusifavorStock">["coupon_use_rule"];
    expectTypeOf<Rule["use_method"]>().toEqualTypeOf<Schema<"BusifavorUseMethod">>();
    expectTypeOf<
      Schema<"BusifavorMiniProgramsUseRule">["use_method"]
    >().toEqualTypeOf<"MINI_PROGRAMS">();
  });
});
