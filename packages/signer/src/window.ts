import { check, positiveInteger, SignatureVerificationError } from "./errors.js";

/** How far a signed timestamp may be from now: refused at `maxSkewSeconds` or more, either way. */
export interface TimeWindow {
  maxSkewSeconds: number;
  /** Clock in milliseconds. */
  now: () => number;
}

/** Validates the window options (ConfigError naming the option); default 300 s and Date.now. */
export function timeWindow(options: {
  maxSkewSeconds?: number | undefined;
  now?: (() => number) | undefined;
}): TimeWindow {
  const { maxSkewSeconds = 300, now = Date.now } = options;
  positiveInteger(maxSkewSeconds, "maxSkewSeconds");
  check(typeof now === "function", "now", "must be a function");
  return { maxSkewSeconds, now };
}

/**
 * The one time-window check, for responses, notifications and (server side) Authorization:
 * whole seconds both ways, so +300 s is refused as -300 s is (a fractional now against a
 * whole-second timestamp let +300 s through). A clock that gives NaN refuses everything.
 */
export function checkTimestamp(value: string, header: string, window: TimeWindow): void {
  if (!/^\d{1,15}$/.test(value)) {
    throw new SignatureVerificationError("malformed-timestamp", header);
  }
  const skew = Math.abs(Math.floor(window.now() / 1000) - Number(value));
  if (!(skew < window.maxSkewSeconds)) {
    throw new SignatureVerificationError("stale-timestamp", header);
  }
}
