/**
 * The per-attempt deadline. The official SDKs bound every request: wechatpay-java through OkHttp's
 * 10 s connect and read timeouts, wechatpay-go with a 30 s `DefaultTimeout`. Here 10 s per attempt
 * by default; the caller's own `signal` still cancels the whole call.
 */
import { WechatpayError } from "@wechatpay-marketing/signer";

/** The default per-attempt timeout in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * No answer within the timeout (the attempt was aborted). Distinct from the caller's own abort,
 * which rejects with `TransportError` reason `AbortError` and is never retried.
 */
export class TimeoutError extends WechatpayError {
  declare readonly timeoutMs: number;
  /** Attempts made, this one included. */
  declare readonly attempts: number;

  constructor(timeoutMs: number, attempts: number) {
    super(
      "TIMEOUT",
      `no answer within ${timeoutMs} ms (attempt ${attempts}); raise \`timeout\` or retry later`,
      {
        name: "TimeoutError",
        timeoutMs,
        attempts,
      },
    );
  }
}

/** One attempt's deadline: the signal to send with, and whether the timer fired. */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  /** Rejects when the timer fires, for a fetch that does not watch its signal. */
  readonly expired: Promise<never>;
  readonly timedOut: boolean;
  /** Stops the timer and lets go of the caller's signal. */
  dispose(): void;
}

/** Starts a deadline of `ms` that also follows the caller's `signal`. */
export function startDeadline(ms: number, caller: AbortSignal | undefined): AttemptDeadline {
  const controller = new AbortController();
  let timedOut = false;
  let expire: (reason: unknown) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError"));
    expire(controller.signal.reason);
  }, ms);
  const follow = () => controller.abort(caller?.reason);
  if (caller?.aborted) follow();
  else caller?.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    expired,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", follow);
    },
  };
}
