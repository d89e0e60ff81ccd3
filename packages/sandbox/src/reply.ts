import { readPagination, type SpecOperation } from "@wechatpay-marketing/openapi";

/** What a handler answers: a status and a JSON body (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
}

export interface ErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: string;
  sign_information?: {
    method: string;
    url: string;
    truncated_sign_message: string;
    sign_message_length: number;
  };
}

/**
 * An error answer with WeChat Pay's body `{ code, message, detail }`. Handlers throw it; the
 * server turns it into a signed answer.
 */
export class BusinessError extends Error {
  override name = "BusinessError";
  readonly status: number;
  readonly code: string;
  readonly detail: ErrorDetail | undefined;

  constructor(status: number, code: string, message: string, detail?: ErrorDetail) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  toReply(): Reply {
    return {
      status: this.status,
      body: {
        code: this.code,
        message: this.message,
        ...(this.detail ? { detail: this.detail } : {}),
      },
    };
  }
}

export const invalidRequest = (message: string, detail?: ErrorDetail) =>
  new BusinessError(400, "INVALID_REQUEST", message, detail);
export const paramError = (message: string, detail?: ErrorDetail) =>
  new BusinessError(400, "PARAM_ERROR", message, detail);
export const notFound = (message: string) => new BusinessError(404, "RESOURCE_NOT_EXISTS", message);
export const noAuth = (message: string) => new BusinessError(403, "NO_AUTH", message);

/** RFC 3339 in Beijing time, as WeChat Pay writes every time (`2024-05-20T13:29:35+08:00`). */
export function formatTime(ms: number): string {
  const shifted = new Date(ms + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

export function parseTime(text: string): number {
  return Date.parse(text);
}

/** The Beijing calendar day of a time, for per-day budgets. */
export function businessDay(ms: number): string {
  return formatTime(ms).slice(0, 10);
}

/** Stable JSON (sorted keys): two requests are "the same" when this text is equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The page size of a list whose request names none: WeChat Pay's documented default where it
 * names one (查询合作关系列表 "不传默认为20", 根据商户号查用户的券 "默认20"). */
export const DEFAULT_PAGE_SIZE = 20;

/** What paginate reads of a list request: the operation (its x-pagination) and the query. */
export interface PagedRequest {
  operation: SpecOperation;
  query: Record<string, unknown>;
}

const integerOr = (value: unknown, fallback: number) =>
  typeof value === "number" && Number.isInteger(value) ? value : fallback;

/**
 * One page of `items`, as the operation's `x-pagination` says it pages (the client reads the same
 * extension): `offset` a page number from 0 (`mode: page`) or the first item's position (`item`),
 * and the answer's paging fields under the names it gives. `view` turns a record into its answer.
 */
export function paginate<T>(
  request: PagedRequest,
  items: readonly T[],
  view: (item: T) => unknown = (item) => item,
): Record<string, unknown> {
  const rule = readPagination(request.operation);
  if (!rule)
    throw new Error(`${request.operation.key} has no x-pagination: it is not a paged list`);
  const offset = integerOr(request.query[rule.offset], 0);
  const limit = integerOr(request.query[rule.limit], DEFAULT_PAGE_SIZE);
  const start = rule.mode === "page" ? offset * limit : offset;
  return {
    [rule.total]: items.length,
    [rule.offset]: offset,
    [rule.limit]: limit,
    [rule.items]: items.slice(start, start + limit).map(view),
  };
}
