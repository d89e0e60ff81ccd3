import type { Middleware } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import { type ApiError, createSignedFetch } from "./fetch.js";
import {
  type Notification,
  parseNotification,
  type SignatureVerificationReason,
  type SignerOptions,
} from "./index.js";
import { createSignerMiddleware } from "./middleware.js";

describe("public types", () => {
  it("the middleware is an openapi-fetch Middleware and the wrapper a fetch", () => {
    expectTypeOf(createSignerMiddleware).returns.toExtend<Middleware>();
    expectTypeOf(createSignedFetch).returns.toEqualTypeOf<typeof fetch>();
  });

  it("parseNotification carries its resource type", () => {
    expectTypeOf(parseNotification<{ coupon_code: string }>).returns.resolves.toEqualTypeOf<
      Notification<{ coupon_code: string }>
    >();
    expectTypeOf(parseNotification).returns.resolves.toEqualTypeOf<Notification<unknown>>();
  });

  it("options and errors have the contract's shape", () => {
    expectTypeOf<SignerOptions["privateKey"]>().toEqualTypeOf<string | CryptoKey>();
    expectTypeOf<SignerOptions>().toHaveProperty("platformCertificates");
    expectTypeOf<ApiError["requestId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<"stale-timestamp">().toExtend<SignatureVerificationReason>();
  });
});
