// @ts-check
// Generates the client's sources from a bundled document (the published one, or a changed copy in a
// test): the openapi-typescript types, one alias per schema, the notification map, and the type
// tests of every operation and webhook.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { notificationSources } from "./notifications.mjs";
import { prepareForTypes } from "./prepare.mjs";
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
      return undefined;
    },
  });
  const aliases = Object.keys(bundled.components?.schemas ?? {})
    .filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name))
    .map((name) => `export type ${RENAMES[name] ?? name} = components["schemas"]["${name}"];`);
  return {
    "marketing.gen.ts": `${HEADER}${astToString(withoutRootDefs(ast))}`,
    "schemas.gen.ts": `${HEADER}import type { components } from "./marketing.gen.js";\n\n${aliases.join("\n")}\n`,
    "notifications.gen.ts": notificationSources(bundled, HEADER),
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
