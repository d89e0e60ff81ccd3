/**
 * When to send a call again and how long to wait: network failures, 429 and 500/502/503/504, with exponential
 * backoff and full jitter (a random wait up to the exponential bound, so that many clients hit by
 * the same outage do not come back in step), or the server's `Retry-After` when it sends one.
 */
import { ConfigError } from "@wechatpay-marketing/signer";
import { TransportError } from "@wechatpay-marketing/signer/fetch";
import { TimeoutError } from "./timeout.js";

export interface RetryOptions {
  /** Attempts after the first (default 2; 0 sends once). */
  retries?: number | undefined;
  /** The backoff bound of the first retry in ms, doubled on each retry (default 200). */
  baseDelayMs?: number | undefined;
  /** The longest wait in ms (default 5000); a longer `Retry-After` returns the answer instead. */
  maxDelayMs?: number | undefined;
}

export type RetryPolicy = Required<{ [K in keyof RetryOptions]: number }>;

/** The client's default: two retries, waits below 200 ms, 400 ms, never above 5 s. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5000,
});
const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, retries: 0 };

const count = (value: unknown, option: string, max: number): number => {
  if (!(Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max)) {
    throw new ConfigError(option, `must be an integer from 0 to ${max}`);
  }
  return value as number;
};

/** The policy `option` asks for over `base`; ConfigError naming `option` for a bad value. */
export function retryPolicy(
  option: RetryOptions | false | undefined,
  base: RetryPolicy,
  name: string,
): RetryPolicy {
  if (option === undefined) return base;
  if (option === false) return NO_RETRY;
  if (typeof option !== "object" || option === null) {
    throw new ConfigError(name, "must be false or { retries?, baseDelayMs?, maxDelayMs? }");
  }
  const {
    retries = base.retries,
    baseDelayMs = base.baseDelayMs,
    maxDelayMs = base.maxDelayMs,
  } = option;
  return {
    retries: count(retries, `${name}.retries`, 10),
    baseDelayMs: count(baseDelayMs, `${name}.baseDelayMs`, 60_000),
    maxDelayMs: count(maxDelayMs, `${name}.maxDelayMs`, 300_000),
  };
}

/**
 * Answers that may pass: 429 FREQUENCY_LIMITED, 500 SYSTEM_ERROR and a gateway's 502, 503 and 504.
 * Other 5xx (501 Not Implemented, 505, …) say the request itself cannot be served.
 */
const PASSING: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
export const isRetryableStatus = (status: number): boolean => PASSING.has(status);

/** The answer never arrived whole (not a bad signature, a bad Response or a bad option). */
export const isRetryableError = (error: unknown): boolean =>
  error instanceof TimeoutError ||
  (error instanceof TransportError && error.reason !== "invalid-response");

/** `Retry-After` as ms from now (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("Retry-After")?.trim();
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter: a random wait below min(maxDelayMs, baseDelayMs × 2^(retry − 1)). */
export const backoffMs = (policy: RetryPolicy, retry: number, random = Math.random): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));

/**
 * The wait before retry number `retry` after an answer: its `Retry-After` or the backoff; undefined
 * when the server asks for longer than `maxDelayMs` (the caller gets the answer now).
 */
export function answerDelayMs(
  policy: RetryPolicy,
  retry: number,
  headers: Headers,
): number | undefined {
  const asked = retryAfterMs(headers);
  if (asked === undefined) return backoffMs(policy, retry);
  return asked <= policy.maxDelayMs ? asked : undefined;
}

/** Waits `ms`; rejects with TransportError `AbortError` as soon as the caller's signal aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new TransportError("AbortError"));
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(new TransportError("AbortError"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
