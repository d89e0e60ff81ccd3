/**
 * Every error this package throws. `code` is stable; messages name options and headers but
 * never carry a key, an APIv3 key, a signature or a request header, so errors are safe to log.
 */
export class WechatpayError extends Error {
  override name = "WechatpayError";
  declare readonly code: string;

  /** `fields` (the subclasses' `name`, `option`, `reason`, …) become own properties. */
  constructor(code: string, message: string, fields?: object) {
    super(message);
    Object.assign(this, fields, { code });
  }

  // `name`, `code` and the subclasses' fields are own enumerable properties; `message` is not.
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

/** Bad configuration, thrown synchronously at construction. `option` names the option. */
export class ConfigError extends WechatpayError {
  declare readonly option: string;

  constructor(option: string, message: string) {
    super("CONFIG_INVALID", `${option}: ${message}`, { name: "ConfigError", option });
  }
}

/** Throws ConfigError(option, message) unless `ok`. */
export function check(ok: unknown, option: string, message: string): asserts ok {
  if (!ok) throw new ConfigError(option, message);
}

/** Throws ConfigError(option) unless `value` is a positive integer (no coercion). */
export const positiveInteger = (value: unknown, option: string): void =>
  check(Number.isSafeInteger(value) && (value as number) > 0, option, "must be a positive integer");

/** A string that matches `pattern` (RegExp.test alone would accept numbers). */
export const matches = (value: unknown, pattern: RegExp): value is string =>
  typeof value === "string" && pattern.test(value);

/**
 * What fetch accepts in a header value without a TypeError (which would echo the value):
 * printable ASCII, no leading or trailing space.
 */
export const HEADER_VALUE = /^[!-~]([ -~]*[!-~])?$/;

export type SignatureVerificationReason =
  | "missing-header"
  | "malformed-header"
  | "unknown-serial"
  | "expired-certificate"
  | "probe-signature"
  | "stale-timestamp"
  | "malformed-timestamp"
  | "bad-signature";

/** A response, notification or Authorization header whose signature cannot be trusted. */
export class SignatureVerificationError extends WechatpayError {
  declare readonly reason: SignatureVerificationReason;
  /** The header at fault (`headers` when there are none at all). */
  declare readonly header: string;

  constructor(reason: SignatureVerificationReason, header: string) {
    super("SIGNATURE_INVALID", `${header}: ${reason}`, {
      name: "SignatureVerificationError",
      reason,
      header,
    });
  }
}

/** An answer or notification body longer than `maxBodyBytes`: refused before it is verified. */
export class BodyTooLargeError extends WechatpayError {
  declare readonly limit: number;

  constructor(limit: number) {
    super("BODY_TOO_LARGE", `body: larger than maxBodyBytes (${limit})`, {
      name: "BodyTooLargeError",
      limit,
    });
  }
}

/**
 * The answer never arrived whole: the fetch threw (`reason` is its error's code or name, e.g.
 * `ECONNREFUSED`, `AbortError`), returned no Response (`invalid-response`), or its body could
 * not be read as bytes (`unreadable-body`). Nothing of the failed call is kept: no message, no
 * cause (a fetch may put the signed Request, Authorization and all, into its error).
 */
export class TransportError extends WechatpayError {
  declare readonly reason: string;

  constructor(reason: string) {
    super("TRANSPORT_FAILED", `fetch: ${reason}`, { name: "TransportError", reason });
  }
}

/**
 * A TransportError for what a fetch threw: its error's code (ECONNRESET) or name (AbortError),
 * only when it looks like one. This package's own errors pass as they are.
 */
export function transportError(cause: unknown): WechatpayError {
  if (cause instanceof WechatpayError) return cause;
  const { code, name, cause: inner } = (cause ?? {}) as Record<string, unknown>;
  const reason = [(inner as Record<string, unknown> | undefined)?.code, code, name].find((v) =>
    matches(v, /^([A-Z][A-Z\d_]{1,40}|[A-Za-z]{1,40}Error)$/),
  );
  return new TransportError((reason as string | undefined) ?? "failed");
}

export type DecryptionReason =
  | "unsupported-algorithm"
  | "unsupported-resource-type"
  | "authentication-failed"
  | "malformed-resource"
  | "malformed-body";

/** An encrypted resource, notification or sensitive field that cannot be decrypted or parsed. */
export class DecryptionError extends WechatpayError {
  declare readonly reason: DecryptionReason;
  /** The field at fault, e.g. `resource.ciphertext`. */
  declare readonly field: string;

  constructor(reason: DecryptionReason, field: string) {
    super("DECRYPTION_FAILED", `${field}: ${reason}`, { name: "DecryptionError", reason, field });
  }
}
