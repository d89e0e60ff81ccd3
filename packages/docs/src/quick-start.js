// @ts-check
// The Quick start's `client.ts` (in the document's description, specs/marketing/descriptions/
// introduction.md): the one place a reader sets up the client. Every sample imports `client` or
// `notificationOptions` from it, and the samples are type-checked against this very block, so the
// set-up a reader copies and the samples that use it cannot drift apart.

/** @typedef {import("./code-samples.js").Json} Json */

export const CLIENT_MODULE_FILE = "client.ts";

/** A ```ts block whose first line is `// client.ts…`. */
const CLIENT_BLOCK = /^```ts\n(\/\/ client\.ts\b[^\n]*\n[\s\S]*?)^```$/gm;

/**
 * The source of the Quick start's `client.ts` block.
 * @param {Json} document the bundled document
 * @returns {string}
 */
export function quickStartClientModule(document) {
  const description = String(document.info?.description ?? "");
  const blocks = [...description.matchAll(CLIENT_BLOCK)];
  if (blocks.length !== 1) {
    throw new Error(
      `info.description must hold exactly one \`\`\`ts block starting with "// ${CLIENT_MODULE_FILE}" (the Quick start's client set-up that every sample imports), found ${blocks.length}`,
    );
  }
  const source = /** @type {string} */ (blocks[0]?.[1]);
  for (const name of ["client", "notificationOptions"]) {
    if (!new RegExp(`^export const ${name}\\b`, "m").test(source)) {
      throw new Error(`the Quick start's ${CLIENT_MODULE_FILE} must export \`${name}\``);
    }
  }
  return source;
}

/** Every other ```ts block of the description that uses the Quick start's client. */
const CLIENT_USE_BLOCK = /^```ts\n((?:(?!^```$)[\s\S])*?from "\.\/client\.js";[\s\S]*?)^```$/gm;

/**
 * The description's TypeScript blocks that import from `./client.js` (the Quick start's first
 * call), in the shape of the generated samples, so that they are type-checked with them.
 * @param {Json} document the bundled document
 * @returns {import("./code-samples.js").GeneratedSample[]}
 */
export function quickStartSamples(document) {
  const description = String(document.info?.description ?? "");
  return [...description.matchAll(CLIENT_USE_BLOCK)].map((m, i) => ({
    key: `Quick start TypeScript block ${i + 1}`,
    kind: "operation",
    method: "",
    path: "info.description",
    operationId: `quick-start-${i + 1}`,
    source: /** @type {string} */ (m[1]),
  }));
}

/**
 * The modules the samples import, by file name, for typecheckSamples: the Quick start's client.ts.
 * @param {Json} document the bundled document
 * @returns {Record<string, string>}
 */
export function sampleModules(document) {
  return { [CLIENT_MODULE_FILE]: quickStartClientModule(document) };
}
