// @ts-check
// Prints JSON values as TypeScript source in the repo's style, for generated code.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as TypeScript source: bare when it can be. */
export const propertyName = (/** @type {string} */ name) =>
  IDENTIFIER.test(name) ? name : JSON.stringify(name);

/** Stands in a value for source code written as is (e.g. `new Blob([])`). */
export class Source {
  /** @param {string} code */
  constructor(code) {
    this.code = code;
  }
}

/**
 * A deep copy that keeps `Source` values (structuredClone would turn them into plain objects).
 * @template T
 * @param {T} value
 * @returns {T}
 */
export function copy(value) {
  if (value instanceof Source || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return /** @type {T} */ (value.map(copy));
  return /** @type {T} */ (Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])));
}

/**
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
export function literal(value, indent = "") {
  if (value instanceof Source) return value.code;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v]) => `${inner}${propertyName(k)}: ${literal(v, inner)},`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** A union of string literals, `never` when empty. */
export const union = (/** @type {readonly string[]} */ values) =>
  values.length === 0
    ? "never"
    : [...values]
        .sort()
        .map((v) => JSON.stringify(v))
        .join(" | ");
