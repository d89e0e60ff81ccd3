// @ts-check
// The client's table of paged lists, from each operation's `x-pagination` (read by the document
// model's readPagination), so a list added to the spec pages with no hand edit.
import { operations, readPagination } from "@wechatpay-marketing/openapi";
import { literal } from "./literal.mjs";

/**
 * @param {Record<string, any>} bundled
 * @param {string} header
 */
export function paginationSources(bundled, header) {
  /** @type {Record<string, unknown>} */
  const table = {};
  for (const operation of operations(/** @type {any} */ (bundled))) {
    const facts = readPagination(operation);
    if (!facts) continue;
    // client.paginate reads pages with GET; a paged list under another verb would need its own call.
    if (operation.method !== "GET") {
      throw new Error(
        `${operation.key} (${operation.operationId}): x-pagination is only read on GET`,
      );
    }
    table[operation.path] = facts;
  }
  return `${header}
/** Every list the document pages with offset/limit, by path: its GET's \`x-pagination\`. */
export const PAGINATION = ${literal(table)} as const;

/** The paths \`client.paginate\` accepts. */
export type PaginatedPath = keyof typeof PAGINATION;
`;
}
