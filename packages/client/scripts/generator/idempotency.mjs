// @ts-check
// The client's retry table, from each write's `x-idempotency`: which request field or header holds
// the business number that makes sending the call again harmless. A write without the extension
// fails the build naming it, so a new operation is never retried (or never left out) by accident.
import { listOperations } from "@wechatpay-marketing/openapi";

const LOCATIONS = ["body", "query", "header"];

/**
 * @param {Record<string, any>} bundled
 * @returns {Record<string, Record<string, { in: string, field: string[] }>>} path -> METHOD -> rule
 */
export function idempotencyTable(bundled) {
  /** @type {Record<string, Record<string, { in: string, field: string[] }>>} */
  const table = {};
  for (const { method, path, operationId, definition } of listOperations(
    /** @type {any} */ (bundled),
  )) {
    if (method === "GET") continue;
    const rule = /** @type {any} */ (definition["x-idempotency"]);
    if (rule === false) continue;
    if (
      !rule ||
      typeof rule !== "object" ||
      !LOCATIONS.includes(rule.in) ||
      typeof rule.field !== "string"
    ) {
      throw new Error(
        `${method} ${path} (${operationId}) has no x-idempotency: name the field that makes it idempotent ({ in, field }) or say false`,
      );
    }
    // Headers are read from a Headers-like record whose names the caller spells: keep the spelling.
    const field = rule.in === "body" ? rule.field.split(".") : [rule.field];
    table[path] ??= {};
    table[path][method] = { in: rule.in, field };
  }
  return table;
}

/**
 * @param {Record<string, any>} bundled
 * @param {string} header
 */
export function idempotencySource(bundled, header) {
  return `${header}import type { IdempotencyRule } from "../idempotency.js";

/**
 * Every write the document says may be sent again, by path template and method: where its business
 * number (商户请求单号) or Idempotency-Key sits. Reads (GET) are always safe; a write not listed
 * (\`x-idempotency: false\`) is never retried.
 */
export const IDEMPOTENT_WRITES: {
  readonly [path: string]: { readonly [method: string]: IdempotencyRule };
} = {
${Object.entries(idempotencyTable(bundled))
  .map(([path, methods]) => {
    const rules = Object.entries(methods).map(
      ([method, rule]) => `${method}: ${JSON.stringify(rule)}`,
    );
    return `  ${JSON.stringify(path)}: { ${rules.join(", ")} },`;
  })
  .join("\n")}
};
`;
}
