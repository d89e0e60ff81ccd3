// Generates the client's types from the bundled document: `paths`/`components`/`operations`/`webhooks`
// (openapi-typescript) and one readable alias per component schema.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(pkgDir, "src/generated");
const require = createRequire(import.meta.url);
const documentPath = require.resolve("@wechatpay-marketing/openapi/openapi.json");
const HEADER =
  "/* Generated from @wechatpay-marketing/openapi by scripts/generate.mjs. Do not edit. */\n";

// Schema names that would shadow a global or read badly as a type name.
const RENAMES = { Error: "ErrorBody" };

const document = JSON.parse(readFileSync(documentPath, "utf8"));

/**
 * Parameters sent as JSON text (`content: application/json`, e.g. `authorized_data` of
 * GET /v3/marketing/partnerships) are typed as the object they carry: the client's query
 * serializer writes objects as JSON, so callers pass the object and never hand-encode it.
 */
function typeJsonParametersAsObjects(doc) {
  const visit = (parameters = []) => {
    for (const parameter of parameters) {
      const schema = parameter.content?.["application/json"]?.schema;
      if (!schema) continue;
      parameter.schema = schema;
      delete parameter.content;
    }
  };
  for (const item of Object.values(doc.paths ?? {})) {
    visit(item.parameters);
    for (const operation of Object.values(item))
      if (operation && typeof operation === "object") visit(operation.parameters);
  }
  visit(Object.values(doc.components?.parameters ?? {}));
  return doc;
}

const ast = await openapiTS(typeJsonParametersAsObjects(structuredClone(document)), {
  alphabetize: false,
  exportType: false,
  // A binary form part (the image of the marketing upload) is a Blob in Web APIs, not a string.
  transform(schema) {
    if (schema.format === "binary") return ts.factory.createTypeReferenceNode("Blob");
  },
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "marketing.gen.ts"), `${HEADER}${astToString(ast)}`);

const aliases = Object.keys(document.components?.schemas ?? {})
  .filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name))
  .map((name) => `export type ${RENAMES[name] ?? name} = components["schemas"]["${name}"];`);
writeFileSync(
  join(outDir, "schemas.gen.ts"),
  `${HEADER}import type { components } from "./marketing.gen.js";\n\n${aliases.join("\n")}\n`,
);
