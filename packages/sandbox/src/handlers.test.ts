import { document } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import { sendSigned } from "../test/raw-http.js";
import { validatedHandler } from "./handlers/index.js";
import { handlers, listOperations, operationKey, startSandbox } from "./index.js";

/** The operations of the bundled document with no business handler in `table`. */
const unhandled = (table: object) =>
  listOperations()
    .filter((o) => !Object.hasOwn(table, o.operationId))
    .map((o) => `${o.operationId} (${o.key})`);

describe("business handlers", () => {
  it("every operation of the bundled document has a handler", () => {
    expect(unhandled(handlers)).toEqual([]);
  });

  it("finds a handler by the operation's own id only, never through the object prototype", () => {
    expect(validatedHandler(handlers, "useBusifavorCoupon")).toBeTypeOf("function");
    // A custom document may name any operationId; these are not handlers.
    for (const id of ["toString", "constructor", "__proto__", "hasOwnProperty"])
      expect(validatedHandler(handlers, id), id).toBeUndefined();
    expect(
      validatedHandler({ useBusifavorCoupon: undefined }, "useBusifavorCoupon"),
    ).toBeUndefined();
  });

  it("a deleted handler is named by the check and answers 501 naming its operation", async () => {
    const key = operationKey("POST", "/v3/marketing/busifavor/coupons/use");
    const { useBusifavorCoupon: _deleted, ...rest } = handlers;
    expect(unhandled(rest)).toEqual([`useBusifavorCoupon (${key})`]);
    // The option removes a handler by its operationId (HandlerTable itself cannot miss one).
    const sandbox = await startSandbox({ handlers: { useBusifavorCoupon: undefined } });
    try {
      const answer = await sendSigned(sandbox, "POST", "/v3/marketing/busifavor/coupons/use", {
        coupon_code: "C1",
        stock_id: "1265000000",
        appid: "wx8888888888888888",
        use_time: "2024-05-20T13:29:35+08:00",
        use_request_no: "U1",
      });
      expect(answer.status).toBe(501);
      expect(answer.json.code).toBe("NOT_IMPLEMENTED");
      expect(answer.json.message).toContain("useBusifavorCoupon");
    } finally {
      await sandbox.close();
    }
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
      const answer = await sendSigned(
        sandbox,
        "POST",
        "/v3/marketing/busifavor/coupons/C123/lock",
        {},
      );
      expect(answer.status).toBe(501);
      expect(answer.json.code).toBe("NOT_IMPLEMENTED");
      expect(answer.json.message).toContain("lockBusifavorCoupon");
    } finally {
      await sandbox.close();
    }
  });
});
