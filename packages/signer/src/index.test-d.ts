import nodeFetch from "node-fetch";
import type { Middleware } from "openapi-fetch";
import { fetch as undiciFetch } from "undici";
import { describe, expectTypeOf, it } from "vitest";
import { type ApiError, createSignedFetch, type SignedFetchOptions } from "./fetch.js";
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

  it("the wrapper takes npm undici's and node-fetch's fetch as they are typed", () => {
    expectTypeOf({ fetch: undiciFetch }).toExtend<Pick<SignedFetchOptions, "fetch">>();
    expectTypeOf({ fetch: nodeFetch.default }).toExtend<Pick<SignedFetchOptions, "fetch">>();
    expectTypeOf({ fetch: globalThis.fetch }).toExtend<Pick<SignedFetchOptions, "fetch">>();
  });
});
