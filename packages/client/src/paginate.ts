// `client.paginate(path, { params })`: the items of every page of a list, one GET per page, as the
// list's `x-pagination` (the generated PAGINATION table) says it pages. The loop users would write
// by hand, once: the page size within the documented maximum, offset advanced by page or by item,
// a stop at the total (or an empty page), every error answer thrown as an ApiError.
import { ConfigError, WechatpayError } from "@wechatpay-marketing/signer";
import { ApiError } from "@wechatpay-marketing/signer/fetch";
import type {
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { paths } from "./generated/marketing.gen.js";
import { PAGINATION, type PaginatedPath } from "./generated/pagination.gen.js";

export type { PaginatedPath };

/** How a list pages: one entry of the generated table (the operation's `x-pagination`). */
export interface PageRule {
  readonly items: string;
  readonly total: string;
  readonly offset: string;
  readonly limit: string;
  /** `page`: offset counts pages from 0; `item`: it is the position of the first item. */
  readonly mode: "page" | "item";
  readonly maxLimit?: number;
}

type Rule<P extends PaginatedPath> = (typeof PAGINATION)[P];
type ListParameters<P extends PaginatedPath> = paths[P]["get"]["parameters"];
type ListAnswer<P extends PaginatedPath> = SuccessResponse<
  ResponseObjectMap<paths[P]["get"]>,
  "application/json"
>;

/** The type of one item of the list at `P`: the element of its answer's items array. */
export type PaginatedItem<P extends PaginatedPath> =
  NonNullable<ListAnswer<P>[Rule<P>["items"] & keyof ListAnswer<P>]> extends readonly (infer Item)[]
    ? Item
    : never;

/** The list's query without the parameters paginate sets itself (offset and limit). */
export type PaginatedQuery<P extends PaginatedPath> = Omit<
  NonNullable<ListParameters<P>["query"]>,
  Rule<P>["offset"] | Rule<P>["limit"]
>;

// `path?: never` in the generated types when the path has no parameters.
type PathOption<P extends PaginatedPath> = [NonNullable<ListParameters<P>["path"]>] extends [never]
  ? { path?: never }
  : { path: NonNullable<ListParameters<P>["path"]> };

type QueryOption<P extends PaginatedPath> =
  RequiredKeysOf<PaginatedQuery<P>> extends never
    ? { query?: PaginatedQuery<P> }
    : { query: PaginatedQuery<P> };

/** `params` of the list's GET, without offset and limit. */
export type PaginatedParams<P extends PaginatedPath> = PathOption<P> & QueryOption<P>;

/** The second argument of `client.paginate`. */
export type PaginateOptions<P extends PaginatedPath> = (RequiredKeysOf<
  PaginatedParams<P>
> extends never
  ? { params?: PaginatedParams<P> }
  : { params: PaginatedParams<P> }) & {
  /**
   * Items asked for per page (`limit`), at most the list's documented maximum. Default: that
   * maximum (fewest calls), or the server's own default where the document gives none.
   */
  pageSize?: number;
  /** Aborts the page being fetched; no later page is asked for. */
  signal?: AbortSignal;
};

type OptionsArgument<P extends PaginatedPath> =
  RequiredKeysOf<PaginateOptions<P>> extends never
    ? [options?: PaginateOptions<P>]
    : [options: PaginateOptions<P>];

/** `client.paginate(path, options)`: only the paths of the PAGINATION table compile. */
export type MarketingPaginate = <P extends PaginatedPath>(
  path: P,
  ...options: OptionsArgument<P>
) => AsyncIterable<PaginatedItem<P>>;

/** What paginate needs of the client: its GET, untyped (the typed surface is MarketingPaginate). */
export type PageGetter = (
  path: string,
  init: { params: { path?: unknown; query: Record<string, unknown> }; signal?: AbortSignal },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

interface PageRequest {
  params?: { path?: unknown; query?: Record<string, unknown> } | undefined;
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The `limit` to send: the caller's pageSize checked against the maximum, else the maximum. */
function pageSizeOf(path: string, rule: PageRule, pageSize: unknown): number | undefined {
  if (pageSize === undefined) return rule.maxLimit;
  const max = rule.maxLimit;
  const fits = Number.isInteger(pageSize) && (pageSize as number) >= 1;
  if (!fits || (max !== undefined && (pageSize as number) > max)) {
    throw new ConfigError(
      "pageSize",
      max === undefined
        ? `must be a positive integer for ${path}`
        : `must be an integer from 1 to ${max}: ${path} returns at most ${max} items a page`,
    );
  }
  return pageSize as number;
}

const numberIn = (page: Record<string, unknown>, field: string) => {
  const value = page[field];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
};

/**
 * The items of every page, in order. Validates `pageSize` now (a ConfigError at the call); the
 * first GET is sent when iteration starts.
 */
export function paginateList(
  get: PageGetter,
  path: string,
  rule: PageRule,
  request: PageRequest = {},
): AsyncIterable<unknown> {
  const limit = pageSizeOf(path, rule, request.pageSize);
  const { params = {}, signal } = request;
  return {
    async *[Symbol.asyncIterator]() {
      let offset = 0;
      let total: number | undefined;
      for (;;) {
        signal?.throwIfAborted();
        const query = {
          ...params.query,
          [rule.offset]: offset,
          ...(limit === undefined ? {} : { [rule.limit]: limit }),
        };
        const init = { params: { ...params, query }, ...(signal ? { signal } : {}) };
        const { data, error, response } = await get(path, init);
        if (error !== undefined || !response.ok) throw await ApiError.from(response, error);
        const page = (data ?? {}) as Record<string, unknown>;
        // An empty list may leave the items out (查询预存code列表: "empty or absent when none match").
        const items = page[rule.items] ?? [];
        if (!Array.isArray(items)) {
          throw new WechatpayError(
            "PAGE_INVALID",
            `${path}: the answer's ${rule.items} is not an array (offset ${offset})`,
          );
        }
        // Some lists count the total on the first page only (查询合作关系列表): keep the last one seen.
        total = numberIn(page, rule.total) ?? total;
        yield* items;
        if (items.length === 0) return;
        const size = numberIn(page, rule.limit) ?? limit ?? items.length;
        const seen = rule.mode === "page" ? offset * size + items.length : offset + items.length;
        if (total !== undefined && seen >= total) return;
        offset = rule.mode === "page" ? offset + 1 : offset + items.length;
      }
    },
  };
}

/** `client.paginate` over the generated table; `get` is the client's own GET. */
export function createPaginate(get: PageGetter): MarketingPaginate {
  return ((path: PaginatedPath, options?: PageRequest) => {
    // Own keys only: a string from untyped code must not find Object.prototype's members.
    const rule: PageRule | undefined = Object.hasOwn(PAGINATION, path)
      ? PAGINATION[path]
      : undefined;
    if (!rule) {
      throw new ConfigError("path", `${String(path)} is not a paged list of the document`);
    }
    return paginateList(get, path, rule, options);
  }) as MarketingPaginate;
}
