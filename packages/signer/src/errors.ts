/**
 * Every error this package throws. `code` is stable; messages name options and headers but
 * never carry a key, an APIv3 key or a signature, so errors are safe to log.
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

/** A string that matches `pattern` (RegExp.test alone would accept numbers). */
export const matches = (value: unknown, pattern: RegExp): value is string =>
  typeof value === "string" && pattern.test(value);

export type SignatureVerificationReason =
  | "missing-header"
  | "malformed-header"
  | "unknown-serial"
  | "probe-signature"
  | "stale-timestamp"
  | "malformed-timestamp"
  | "bad-signature";

/** A response, notification or Authorization header whose signature cannot be trusted. */
export class SignatureVerificationError extends WechatpayError {
  declare readonly reason: SignatureVerificationReason;
  /** The header at fault. */
  declare readonly header: string;

  constructor(reason: SignatureVerificationReason, header: string) {
    super("SIGNATURE_INVALID", `${header}: ${reason}`, {
      name: "SignatureVerificationError",
      reason,
      header,
    });
  }
}

export type DecryptionReason =
  | "unsupported-algorithm"
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
