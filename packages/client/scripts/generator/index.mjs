// @ts-check
// Generates the client's sources from a bundled document (the published one, or a changed copy in a
// test): the openapi-typescript types, one alias per schema, the notification map, the table of
// paged lists, the retry table, and the type tests of every operation and webhook.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString, oapiRef } from "openapi-typescript";
import ts from "typescript";
import { idempotencySource } from "./idempotency.mjs";
import { notificationSources } from "./notifications.mjs";
import { paginationSources } from "./pagination.mjs";
import { FORBIDDEN, prepareForTypes } from "./prepare.mjs";
import { operationTypeTests, webhookTypeTests } from "./type-tests.mjs";

export const HEADER =
  "/* Generated from @wechatpay-marketing/openapi by scripts/generate.mjs. Do not edit. */\n";

/** Schema names that would shadow a global or read badly as a type name. */
const RENAMES = /** @type {Record<string, string>} */ ({ Error: "ErrorBody" });

/**
 * openapi-typescript always declares the document's root `$defs` (none here): not a type users need.
 * @param {readonly ts.Node[]} nodes
 */
const withoutRootDefs = (nodes) =>
  nodes.filter((node) => !(ts.isTypeAliasDeclaration(node) && node.name.text === "$defs"));

/** Arrays bounded to at most this many items are typed as the tuples they may be. */
const MAX_TUPLE = 5;

/**
 * An array of a referenced item with both bounds, at most `MAX_TUPLE`, becomes the union of the
 * tuples it may be, so a count the document refuses does not compile (one award for `SINGLE_COUPON`,
 * 3 to 5 for `GIFT_PACKAGE`). Longer or open-ended arrays stay `T[]`: their tuple union would grow
 * with the square of the bound.
 * @param {Record<string, any>} schema
 */
function boundedTuples(schema) {
  const { type, items, minItems: min, maxItems: max } = schema;
  if (type !== "array" || typeof items?.$ref !== "string") return undefined;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max || max > MAX_TUPLE)
    return undefined;
  const tuples = [];
  for (let length = min; length <= max; length++)
    tuples.push(ts.factory.createTupleTypeNode(Array.from({ length }, () => oapiRef(items.$ref))));
  return tuples.length === 1 ? tuples[0] : ts.factory.createUnionTypeNode(tuples);
}

/**
 * @param {Record<string, any>} bundled
 * @returns {Promise<Record<string, string>>} file name -> source
 */
export async function generateSources(bundled) {
  const prepared = prepareForTypes(bundled);
  const ast = await openapiTS(/** @type {any} */ (prepared), {
    alphabetize: false,
    exportType: false,
    // A binary form part (the image of the marketing upload) is a Blob in Web APIs, not a string.
    transform(schema) {
      if (schema.format === "binary") return ts.factory.createTypeReferenceNode("Blob");
      if (schema[FORBIDDEN] === true)
        return ts.factory.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword);
      return boundedTuples(schema);
    },
  });
  const aliases = Object.keys(bundled.components?.schemas ?? {})
    .filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name))
    .map((name) => `export type ${RENAMES[name] ?? name} = components["schemas"]["${name}"];`);
  return {
    "marketing.gen.ts": `${HEADER}${astToString(withoutRootDefs(ast))}`,
    "schemas.gen.ts": `${HEADER}import type { components } from "./marketing.gen.js";\n\n${aliases.join("\n")}\n`,
    "notifications.gen.ts": notificationSources(bundled, HEADER),
    "idempotency.gen.ts": idempotencySource(bundled, HEADER),
    "pagination.gen.ts": paginationSources(bundled, HEADER),
    "operations.gen.test-d.ts": operationTypeTests(bundled, prepared, HEADER),
    "webhooks.gen.test-d.ts": webhookTypeTests(bundled, prepared, HEADER),
  };
}

/**
 * Generates into `outDir`; returns the paths written.
 * @param {Record<string, any>} bundled
 * @param {string} outDir
 */
export async function generate(bundled, outDir) {
  const sources = await generateSources(bundled);
  mkdirSync(outDir, { recursive: true });
  return Object.entries(sources).map(([name, source]) => {
    const path = join(outDir, name);
    writeFileSync(path, source);
    return path;
  });
}
