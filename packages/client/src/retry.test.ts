import { describe, expect, it } from "vitest";
import {
  answerDelayMs,
  backoffMs,
  DEFAULT_RETRY,
  isRetryableStatus,
  pause,
  retryAfterMs,
  retryPolicy,
} from "./retry.js";

describe("the retry policy", () => {
  it("takes the call's fields over the client's, and false as no retry", () => {
    expect(retryPolicy(undefined, DEFAULT_RETRY, "retry")).toBe(DEFAULT_RETRY);
    expect(retryPolicy(false, DEFAULT_RETRY, "retry").retries).toBe(0);
    expect(retryPolicy({ retries: 5 }, DEFAULT_RETRY, "retry")).toEqual({
      retries: 5,
      baseDelayMs: 200,
      maxDelayMs: 5000,
    });
  });

  it("names the field that is wrong", () => {
    expect(() => retryPolicy({ retries: 11 }, DEFAULT_RETRY, "retry")).toThrow(
      "retry.retries: must be an integer from 0 to 10",
    );
    expect(() => retryPolicy({ baseDelayMs: -1 }, DEFAULT_RETRY, "retry")).toThrow(
      /^retry\.baseDelayMs:/,
    );
    expect(() => retryPolicy(3 as never, DEFAULT_RETRY, "retry")).toThrow(/^retry: must be false/);
  });
});

describe("what is retried", () => {
  it("429, 500 and a gateway's 502, 503 and 504, not the other answers", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 204, 400, 401, 403, 404, 409, 501, 505, 599].some(isRetryableStatus)).toBe(false);
  });
});

describe("how long to wait", () => {
  const headers = (value?: string) => new Headers(value ? { "Retry-After": value } : {});

  it("reads Retry-After as seconds or as an HTTP date, and ignores anything else", () => {
    const now = Date.parse("2026-12-02T08:00:00Z");
    expect(retryAfterMs(headers("3"), now)).toBe(3000);
    expect(retryAfterMs(headers("Wed, 02 Dec 2026 08:00:02 GMT"), now)).toBe(2000);
    expect(retryAfterMs(headers("Wed, 02 Dec 2026 07:00:00 GMT"), now)).toBe(0);
    expect(retryAfterMs(headers("soon"), now)).toBeUndefined();
    expect(retryAfterMs(headers(), now)).toBeUndefined();
  });

  it("backs off exponentially with full jitter, capped at maxDelayMs", () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => backoffMs(DEFAULT_RETRY, retry, top))).toEqual([
      199, 399, 799, 1599,
    ]);
    expect(backoffMs(DEFAULT_RETRY, 10, top)).toBe(4999);
    expect(backoffMs(DEFAULT_RETRY, 3, () => 0)).toBe(0);
  });

  it("honours Retry-After up to maxDelayMs and gives up past it", () => {
    expect(answerDelayMs(DEFAULT_RETRY, 1, headers("2"))).toBe(2000);
    expect(answerDelayMs(DEFAULT_RETRY, 1, headers("6"))).toBeUndefined();
    expect(answerDelayMs(DEFAULT_RETRY, 1, headers())).toBeLessThan(200);
  });

  it("pauses until the time is up or the caller aborts", async () => {
    await expect(pause(1, undefined)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = pause(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "TransportError", reason: "AbortError" });
    await expect(pause(1, controller.signal)).rejects.toMatchObject({ reason: "AbortError" });
  });
});
