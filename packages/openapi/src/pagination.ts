// The `x-pagination` extension of a list operation: which answer field holds the items and the
// total, which query parameters page, whether `offset` counts pages or items, and the largest
// `limit` the operation accepts. One reader for the client's generator, the sandbox and the spec's
// own checks, so the three cannot read the extension differently.
import { DocumentModelError, type JsonObject, type SpecOperation } from "./model.js";

/** `page`: `offset` is a page number from 0 (分页页码); `item`: the position of the first item. */
export type PaginationMode = "page" | "item";

export const PAGINATION_MODES: readonly PaginationMode[] = ["page", "item"];

/** What `x-pagination` says about one list operation. */
export interface PaginationFacts {
  /** The array of the 2xx answer holding the page's items, e.g. `data`. */
  readonly items: string;
  /** The integer of the 2xx answer counting every matching item, e.g. `total_count`. */
  readonly total: string;
  /** The query parameter that chooses the page (or the first item), e.g. `offset`. */
  readonly offset: string;
  /** The query parameter that sizes a page, e.g. `limit`. */
  readonly limit: string;
  readonly mode: PaginationMode;
  /** The `maximum` of the limit parameter, where the official documents give one. */
  readonly maxLimit?: number | undefined;
}

const NAMES = ["items", "total", "offset", "limit"] as const;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The operation's `x-pagination`, or `undefined` when it has none. Throws DocumentModelError naming
 * the operation and the field when the extension is malformed.
 */
export function readPagination(operation: SpecOperation): PaginationFacts | undefined {
  const extension = operation.definition["x-pagination"];
  if (extension === undefined) return undefined;
  const where = `${operation.key} (${operation.operationId}): x-pagination`;
  if (!isObject(extension)) throw new DocumentModelError(`${where} must be an object`);
  for (const name of NAMES) {
    const value = extension[name];
    if (typeof value !== "string" || value === "") {
      throw new DocumentModelError(`${where}.${name} must name a field`);
    }
  }
  const { mode, maxLimit } = extension;
  if (!PAGINATION_MODES.includes(mode as PaginationMode)) {
    throw new DocumentModelError(`${where}.mode must be one of ${PAGINATION_MODES.join(", ")}`);
  }
  if (maxLimit !== undefined && !(Number.isInteger(maxLimit) && (maxLimit as number) >= 1)) {
    throw new DocumentModelError(`${where}.maxLimit must be a positive integer`);
  }
  const names = extension as Record<(typeof NAMES)[number], string>;
  return {
    items: names.items,
    total: names.total,
    offset: names.offset,
    limit: names.limit,
    mode: mode as PaginationMode,
    ...(maxLimit === undefined ? {} : { maxLimit: maxLimit as number }),
  };
}
