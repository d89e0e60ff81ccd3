/**
 * One client call, attempt after attempt: each attempt is a whole openapi-fetch call, so the signer
 * middleware signs it anew (fresh nonce and timestamp) and verifies its answer, while the body and
 * its business number stay what the caller passed. Retries only what `mayRepeat` allows; fails over
 * to the backup host only when the primary could not be reached.
 */
import { ConfigError } from "@wechatpay-marketing/signer";
import { isUnreachable } from "./failover.js";
import { type CallContent, mayRepeat } from "./idempotency.js";
import { type CallLogger, errorBodyCode, report, thrownFacts } from "./logging.js";
import {
  answerDelayMs,
  backoffMs,
  isRetryableError,
  isRetryableStatus,
  pause,
  type RetryOptions,
  type RetryPolicy,
  retryPolicy,
} from "./retry.js";
import { startDeadline, TimeoutError } from "./timeout.js";

/** What the caller may add to any call's options. */
export interface CallOptions {
  /** This call's retries: `false` sends once; `{ retries }` overrides the client's budget. */
  retry?: RetryOptions | false | undefined;
  /** This attempt's timeout in ms, or `false` for none; default the client's `timeout`. */
  timeout?: number | false | undefined;
}

/** The client-wide settings of every call. */
export interface CallSettings {
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  baseUrl: string;
  backupBaseUrl: string | undefined;
  onLog: CallLogger | undefined;
}

type Init = CallContent & CallOptions & { signal?: AbortSignal | null; baseUrl?: string };
type Result = { error?: unknown; response: Response; attempts?: number };
/** openapi-fetch's `request(method, url, init)`: one signed, verified attempt. */
type Attempt = (method: string, path: string, init: Init) => Promise<Result>;

/** A per-call timeout: a positive number of ms, or false. */
export function timeoutOf(value: unknown, option: string): number | undefined {
  if (value === false) return undefined;
  if (!(Number.isSafeInteger(value) && (value as number) > 0)) {
    throw new ConfigError(option, "must be a positive integer number of ms, or false");
  }
  return value as number;
}

/** Makes the function every verb of the client calls. */
export function createCall(attempt: Attempt, settings: CallSettings) {
  return async function call(method: string, path: string, init?: Init): Promise<Result> {
    const { retry, timeout, ...rest }: Init = init ?? {};
    const policy =
      retry === undefined ? settings.retry : retryPolicy(retry, settings.retry, "retry");
    const timeoutMs = timeout === undefined ? settings.timeoutMs : timeoutOf(timeout, "timeout");
    const retries = policy.retries > 0 && mayRepeat(method, path, rest) ? policy.retries : 0;
    const caller = rest.signal ?? undefined;
    // A call that names its own baseUrl goes there and nowhere else.
    const backup = rest.baseUrl === undefined ? settings.backupBaseUrl : undefined;
    let baseUrl = rest.baseUrl ?? settings.baseUrl;
    for (let attempts = 1; ; attempts++) {
      const started = performance.now();
      const deadline = timeoutMs === undefined ? undefined : startDeadline(timeoutMs, caller);
      if (deadline) rest.signal = deadline.signal;
      if (baseUrl !== settings.baseUrl) rest.baseUrl = baseUrl;
      let wait: number | undefined;
      try {
        const pending = attempt(method, path, rest);
        const result = await (deadline ? Promise.race([pending, deadline.expired]) : pending);
        const { status, headers } = result.response;
        if (attempts <= retries && isRetryableStatus(status)) {
          wait = answerDelayMs(policy, attempts, headers);
        }
        // Built only when there is a hook: the common call pays for no log entry.
        if (settings.onLog) {
          report(settings.onLog, {
            method,
            path,
            baseUrl,
            attempt: attempts,
            status,
            latencyMs: elapsed(started),
            requestId: headers.get("Request-ID") ?? undefined,
            errorCode: result.response.ok ? undefined : errorBodyCode(result.error),
            next: wait === undefined ? undefined : "retry",
          });
        }
        if (wait === undefined) {
          result.attempts = attempts;
          return result;
        }
      } catch (thrown) {
        const error = deadline?.timedOut ? new TimeoutError(timeoutMs as number, attempts) : thrown;
        const again = attempts <= retries && !caller?.aborted && isRetryableError(error);
        const failover =
          again && backup !== undefined && baseUrl !== backup && isUnreachable(error);
        if (settings.onLog) {
          report(settings.onLog, {
            method,
            path,
            baseUrl,
            attempt: attempts,
            latencyMs: elapsed(started),
            ...thrownFacts(error),
            next: failover ? "failover" : again ? "retry" : undefined,
          });
        }
        if (!again) throw error;
        // The backup is another site: try it at once rather than wait for the primary.
        if (failover) baseUrl = backup;
        wait = failover ? 0 : backoffMs(policy, attempts);
      } finally {
        deadline?.dispose();
      }
      if (wait) await pause(wait, caller);
    }
  };
}

const elapsed = (since: number): number => Math.round((performance.now() - since) * 10) / 10;
