/**
 * WeChat Pay's notification protocol, whatever the server: verify and decrypt the raw body, hand
 * each notification id to `onEvent` once, and answer what makes WeChat Pay stop (204) or send it
 * again (4xx/5xx with `{ code, message }`). The Web handler and the Node adapters only carry the
 * request in and the answer out.
 */
import {
  BodyTooLargeError,
  ConfigError,
  DecryptionError,
  type HeadersLike,
  type NotificationOptions,
  SignatureVerificationError,
  WechatpayError,
} from "@wechatpay-marketing/signer";
import { APIV3_KEY_ADVICE, RAW_BODY_ADVICE } from "./notification-advice.js";
import {
  createMemoryNotificationStore,
  DEFAULT_NOTIFICATION_TTL_MS,
  type NotificationStore,
} from "./notification-store.js";
import {
  type MarketingNotification,
  parseNotification,
  UnsupportedEventError,
} from "./notifications.js";

/** Called once per notification id, with the verified, decrypted notification. */
export type NotificationEventHandler = (notification: MarketingNotification) => unknown;

export interface NotificationHandlerOptions extends NotificationOptions {
  /** Where handled ids are kept (default: this process's memory). Share one across processes. */
  store?: NotificationStore | undefined;
  /** How long an id is remembered, in ms (default `DEFAULT_NOTIFICATION_TTL_MS`, one hour). */
  ttlMs?: number | undefined;
  /** Sees every delivery's outcome; never a key, a header value or the body. */
  log?: ((entry: NotificationLogEntry) => void) | undefined;
}

export type NotificationOutcome =
  /** `onEvent` ran and returned: 204. */
  | "handled"
  /** This id was handled before (a retry or a replay): 204, `onEvent` not called. */
  | "duplicate"
  /** Another delivery of this id is in `onEvent` right now: 503, WeChat Pay sends it again. */
  | "in-progress"
  /** Verified and decrypted, but an event the spec does not describe: 204, `onEvent` not called. */
  | "unsupported-event"
  /** Not a notification that verifies, decrypts or fits the limits: 4xx/500. */
  | "rejected"
  /** `onEvent` threw: 500, the id is released for WeChat Pay's retry. */
  | "handler-failed"
  /** The store failed: 500. */
  | "store-failed";

export interface NotificationLogEntry {
  level: "info" | "warn" | "error";
  outcome: NotificationOutcome;
  /** The HTTP status answered to WeChat Pay. */
  status: number;
  /** What happened and, for a failure, what to check. */
  message: string;
  id?: string;
  eventType?: string;
  /** The error behind a failure (the signer's errors carry no secret). */
  error?: unknown;
}

/** The failure body WeChat Pay's notification docs ask for (通知应答: `code` other than SUCCESS). */
export interface NotificationFailureBody {
  code: "FAIL";
  message: string;
}

/** What to answer: 204 without a body, or a failure status with its body. */
export type NotificationAnswer =
  | { status: 204; body?: undefined }
  | { status: 400 | 401 | 405 | 413 | 500 | 503; body: NotificationFailureBody };

/**
 * A request as any server has it: its method, headers and a reader of the body exactly as
 * received, called once the method is right and given the byte limit to read within.
 */
export interface ReceivedNotification {
  method: string;
  headers: HeadersLike;
  readBody: (limit: number) => Promise<string | Uint8Array> | string | Uint8Array;
}

/**
 * The server handed over a body already parsed (a JSON body parser ran first) and its raw bytes
 * are gone: the signature covers those bytes exactly, so nothing can be verified.
 */
export class RawBodyUnavailableError extends WechatpayError {
  constructor(fix: string) {
    super(
      "RAW_BODY_UNAVAILABLE",
      `the notification's raw body is gone (a body parser already parsed it), so its signature cannot be verified: ${fix}`,
      { name: "RawBodyUnavailableError" },
    );
  }
}

/** `@wechatpay-marketing/signer`'s default `maxBodyBytes`, 2 MiB. */
const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The largest body a receiver reads for these options. */
export const bodyLimit = (options: NotificationOptions): number =>
  options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

/**
 * UTF-8 text of the raw bytes, kept as they are: a byte-order mark stays (the signature covers
 * it) and a bad sequence fails verification instead of being guessed at.
 */
export function bodyText(body: string | Uint8Array): string {
  return typeof body === "string"
    ? body
    : new TextDecoder("utf-8", { ignoreBOM: true }).decode(body);
}

const failure = (
  status: Exclude<NotificationAnswer["status"], 204>,
  message: string,
): NotificationAnswer => ({ status, body: { code: "FAIL", message } });

/** A verification or decryption failure: the answer, and what to tell the log. */
function rejection(error: unknown): { answer: NotificationAnswer; hint: string } {
  if (error instanceof BodyTooLargeError) {
    return {
      answer: failure(413, "body too large"),
      hint: "the body is longer than maxBodyBytes",
    };
  }
  if (error instanceof RawBodyUnavailableError) {
    return { answer: failure(500, "raw body unavailable"), hint: error.message };
  }
  if (error instanceof SignatureVerificationError) {
    return {
      answer: failure(401, "signature verification failed"),
      hint: `the signature did not verify (${error.reason}): ${RAW_BODY_ADVICE}`,
    };
  }
  if (error instanceof DecryptionError) {
    const badBody = error.reason === "malformed-body";
    return {
      answer: failure(
        badBody ? 400 : 500,
        badBody ? "malformed notification" : "decryption failed",
      ),
      hint:
        error.reason === "authentication-failed"
          ? APIV3_KEY_ADVICE
          : `the resource could not be decrypted (${error.reason} at ${error.field})`,
    };
  }
  if (error instanceof ConfigError) {
    return { answer: failure(500, "notification options invalid"), hint: error.message };
  }
  return {
    answer: failure(400, "body could not be read"),
    hint: "reading or verifying the notification failed (the connection may have closed)",
  };
}

/** Throws ConfigError naming the first bad handler option. */
function checkOptions(options: NotificationHandlerOptions, onEvent: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new ConfigError("options", "must be the notification options object");
  }
  if (typeof onEvent !== "function") {
    throw new ConfigError("onEvent", "must be a function called with each notification");
  }
  const { store, ttlMs, log, maxBodyBytes } = options;
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw new ConfigError("maxBodyBytes", "must be a positive integer");
  }
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
    throw new ConfigError("ttlMs", "must be a positive integer number of milliseconds");
  }
  if (
    store !== undefined &&
    !(["claim", "complete", "release"] as const).every((m) => typeof store?.[m] === "function")
  ) {
    throw new ConfigError("store", "must have claim, complete and release methods");
  }
  if (log !== undefined && typeof log !== "function") {
    throw new ConfigError("log", "must be a function");
  }
}

/**
 * The protocol itself, shared by `createNotificationHandler` and the Node adapters. Verifies
 * before it claims, so a forged request never reaches the store.
 */
export function createNotificationReceiver(
  options: NotificationHandlerOptions,
  onEvent: NotificationEventHandler,
): (request: ReceivedNotification) => Promise<NotificationAnswer> {
  checkOptions(options, onEvent);
  const store = options.store ?? createMemoryNotificationStore();
  const ttlMs = options.ttlMs ?? DEFAULT_NOTIFICATION_TTL_MS;
  const report = (entry: NotificationLogEntry, answer: NotificationAnswer) => {
    try {
      options.log?.(entry);
    } catch {
      // A failing log hook must not change what WeChat Pay is answered.
    }
    return answer;
  };

  const limit = bodyLimit(options);
  return async function receive({ method, headers, readBody }) {
    if (method.toUpperCase() !== "POST") {
      const answer = failure(405, "notifications are POSTed");
      return report(
        { level: "warn", outcome: "rejected", status: 405, message: `${method} is not POST` },
        answer,
      );
    }
    let notification: MarketingNotification;
    try {
      const body = bodyText(await readBody(limit));
      notification = await parseNotification({ headers, body }, options);
    } catch (error) {
      if (error instanceof UnsupportedEventError) {
        const { id, eventType } = error;
        return report(
          {
            level: "warn",
            outcome: "unsupported-event",
            status: 204,
            message: `acknowledged ${eventType}, an event the marketing spec does not describe; onEvent was not called`,
            id,
            eventType,
          },
          { status: 204 },
        );
      }
      const { answer, hint } = rejection(error);
      return report(
        { level: "error", outcome: "rejected", status: answer.status, message: hint, error },
        answer,
      );
    }
    const { id, eventType } = notification;
    const about = { id, eventType };
    let claim: Awaited<ReturnType<NotificationStore["claim"]>>;
    try {
      claim = await store.claim(id, ttlMs);
    } catch (error) {
      const answer = failure(500, "notification store unavailable");
      const message = "the store's claim failed; WeChat Pay will send it again";
      return report(
        { level: "error", outcome: "store-failed", status: 500, message, error, ...about },
        answer,
      );
    }
    if (claim === "done") {
      const message = "already handled; acknowledged without calling onEvent";
      return report(
        { level: "info", outcome: "duplicate", status: 204, message, ...about },
        { status: 204 },
      );
    }
    if (claim !== "claimed") {
      const answer = failure(503, "notification is being handled");
      const message =
        "another delivery of this notification is in onEvent; answered a failure so that WeChat Pay sends it again";
      return report(
        { level: "warn", outcome: "in-progress", status: 503, message, ...about },
        answer,
      );
    }
    try {
      await onEvent(notification);
    } catch (error) {
      const released = await Promise.resolve()
        .then(() => store.release(id))
        .then(
          () => "the id was released",
          () => "the store could not release the id (retries answer 503 until its claim lapses)",
        );
      const answer = failure(500, "notification handler failed");
      const message = `onEvent threw; ${released}; WeChat Pay will send it again`;
      return report(
        { level: "error", outcome: "handler-failed", status: 500, message, error, ...about },
        answer,
      );
    }
    try {
      await store.complete(id, ttlMs);
    } catch (error) {
      // onEvent has run: answering a failure would run it again on the retry.
      const message =
        "handled, but the store could not mark it done; a later retry may call onEvent again";
      return report(
        { level: "error", outcome: "store-failed", status: 204, message, error, ...about },
        { status: 204 },
      );
    }
    return report(
      { level: "info", outcome: "handled", status: 204, message: "handled", ...about },
      { status: 204 },
    );
  };
}
