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

export interface ApiErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: string;
  sign_information?: {
    method?: string;
    url?: string;
    truncated_sign_message?: string;
    sign_message_length?: number;
  };
  [key: string]: unknown;
}

/** A non-2xx answer from WeChat Pay: `code`, `message` and `detail` come from its error body. */
export class ApiError extends WechatpayError {
  declare readonly status: number;
  declare readonly detail: ApiErrorDetail | undefined;
  /** The `Request-ID` response header: quote it to WeChat Pay support. */
  declare readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code?: string | undefined;
    message?: string | undefined;
    detail?: ApiErrorDetail | undefined;
    requestId?: string | undefined;
  }) {
    const { status, code = `HTTP_${status}`, message = `HTTP ${status}`, detail, requestId } = init;
    super(code, message, { name: "ApiError", status, detail, requestId });
  }

  /**
   * Builds an ApiError from a response and its error body: the parsed `error` openapi-fetch
   * returns, a string, or nothing (then the body is read from a clone of the response).
   */
  static async from(response: Response, body?: unknown): Promise<ApiError> {
    let parsed = body === undefined ? await response.clone().text() : body;
    try {
      if (typeof parsed === "string") parsed = JSON.parse(parsed);
    } catch {
      // not JSON: no code, message or detail
    }
    const { code, message, detail } = (parsed ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    return new ApiError({
      status: response.status,
      code: text(code),
      message: text(message),
      detail: typeof detail === "object" && detail ? (detail as ApiErrorDetail) : undefined,
      requestId: response.headers.get("Request-ID") ?? undefined,
    });
  }
}
