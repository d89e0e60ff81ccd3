/**
 * Which calls may be sent again: a read, or a write whose business number (商户请求单号) or
 * Idempotency-Key this very call carries. The table comes from the document's `x-idempotency`
 * (scripts/generator/idempotency.mjs); the client never makes a number up.
 */
import { IDEMPOTENT_WRITES } from "./generated/idempotency.gen.js";

/** Where a write's business number sits: `field` is the path to it (`activity_base_info.out_request_no`). */
export interface IdempotencyRule {
  readonly in: "body" | "query" | "header";
  readonly field: readonly string[];
}

/** The parts of a call's options the business number can be in. */
export interface CallContent {
  body?: unknown;
  params?: { query?: unknown; header?: unknown } | undefined;
  headers?: unknown;
}

const READS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** The value of header `name` (any case) in a Headers or a record of them. */
function headerValue(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== "object") return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** The business number a call carries under `rule`, or undefined. */
function businessNumber(rule: IdempotencyRule, content: CallContent): unknown {
  if (rule.in === "header") {
    const name = rule.field[0] as string;
    return headerValue(content.params?.header, name) ?? headerValue(content.headers, name);
  }
  let at: unknown = rule.in === "body" ? content.body : content.params?.query;
  for (const key of rule.field) at = (at as Record<string, unknown> | undefined)?.[key];
  return at;
}

/** The rule of a write the document says may be repeated, by method and path template. */
export const idempotencyRule = (method: string, path: string): IdempotencyRule | undefined =>
  IDEMPOTENT_WRITES[path]?.[method];

/** Whether sending this call twice has the effect of sending it once. */
export function mayRepeat(method: string, path: string, content: CallContent): boolean {
  if (READS.has(method)) return true;
  const rule = idempotencyRule(method, path);
  if (!rule) return false;
  const number = businessNumber(rule, content);
  return typeof number === "string" && number !== "";
}
