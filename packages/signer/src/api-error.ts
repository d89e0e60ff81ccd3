/**
 * ApiError: a non-2xx answer from WeChat Pay. Exported by ./fetch (which throws it) and by the
 * client, not by the main entry: the middleware leaves non-2xx answers to openapi-fetch.
 */
import { WechatpayError } from "./errors.js";

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

/**
 * What a person reads first: the status, WeChat Pay's code and its message, e.g.
 * `HTTP 400 PARAM_ERROR: 批次号不存在` (only what the answer has; a bare 502 is `HTTP 502`).
 */
function describeAnswer(status: number, code?: string, message?: string): string {
  const head = code === undefined ? `HTTP ${status}` : `HTTP ${status} ${code}`;
  return message === undefined ? head : `${head}: ${message}`;
}

/**
 * A non-2xx answer from WeChat Pay: `code` and `detail` come from its error body, and `message`
 * carries the status, the code and the body's message.
 */
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
    const { status, code, message, detail, requestId } = init;
    super(code ?? `HTTP_${status}`, describeAnswer(status, code, message), {
      name: "ApiError",
      status,
      detail,
      requestId,
    });
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
