/**
 * Every error this package throws. `code` is stable; messages name options and headers but
 * never carry a key, an APIv3 key or a signature, so errors are safe to log.
 */
export class WechatpayError extends Error {
  override name = "WechatpayError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** Bad configuration, thrown synchronously at construction. `option` names the option. */
export class ConfigError extends WechatpayError {
  override name = "ConfigError";
  readonly option: string;

  constructor(option: string, message: string) {
    super("CONFIG_INVALID", `${option}: ${message}`);
    this.option = option;
  }
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
  override name = "SignatureVerificationError";
  readonly reason: SignatureVerificationReason;
  /** The header at fault. */
  readonly header: string;

  constructor(reason: SignatureVerificationReason, header: string) {
    super("SIGNATURE_INVALID", `${header}: ${reason}`);
    this.reason = reason;
    this.header = header;
  }
}

export type DecryptionReason =
  | "unsupported-algorithm"
  | "authentication-failed"
  | "malformed-resource"
  | "malformed-body";

/** An encrypted resource, notification or sensitive field that cannot be decrypted or parsed. */
export class DecryptionError extends WechatpayError {
  override name = "DecryptionError";
  readonly reason: DecryptionReason;
  /** The field at fault, e.g. `resource.ciphertext`. */
  readonly field: string;

  constructor(reason: DecryptionReason, field: string) {
    super("DECRYPTION_FAILED", `${field}: ${reason}`);
    this.reason = reason;
    this.field = field;
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
  override name = "ApiError";
  readonly status: number;
  readonly detail: ApiErrorDetail | undefined;
  /** The `Request-ID` response header: quote it to WeChat Pay support. */
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code?: string | undefined;
    message?: string | undefined;
    detail?: ApiErrorDetail | undefined;
    requestId?: string | undefined;
  }) {
    super(init.code ?? `HTTP_${init.status}`, init.message ?? `HTTP ${init.status}`);
    this.status = init.status;
    this.detail = init.detail;
    this.requestId = init.requestId;
  }

  /**
   * Builds an ApiError from a response and its error body: the parsed `error` openapi-fetch
   * returns, a string, or nothing (then the body is read from a clone of the response).
   */
  static async from(response: Response, body?: unknown): Promise<ApiError> {
    let parsed = body;
    if (parsed === undefined) parsed = await response.clone().text();
    if (typeof parsed === "string") {
      try {
        parsed = JSON.parse(parsed);
      } catch {
        parsed = undefined;
      }
    }
    const fields = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    return new ApiError({
      status: response.status,
      code: text(fields.code),
      message: text(fields.message),
      detail:
        fields.detail && typeof fields.detail === "object"
          ? (fields.detail as ApiErrorDetail)
          : undefined,
      requestId: response.headers.get("Request-ID") ?? undefined,
    });
  }
}
