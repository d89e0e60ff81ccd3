// Generates src/generated/marketing.gen.ts: openapi-typescript's `operations` of the bundled document
// of @wechatpay-marketing/openapi, which type the sandbox's handler table (src/handlers/typed.ts).
// The sandbox reads the published document itself, never the client's types, so a client edit does
// not rebuild the simulator.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const HEADER =
  "/* Generated from @wechatpay-marketing/openapi by scripts/generate-types.mjs. Do not edit. */\n";

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A parameter sent as JSON text (`content: application/json`, e.g. `partner` of
 * GET /v3/marketing/partnerships) reaches a handler parsed (validation.ts), so it is typed as the
 * schema it carries; openapi-typescript 7 reads only `schema` and would type it as text.
 */
function typeJsonParametersAsParsed(node) {
  if (Array.isArray(node)) return node.forEach(typeJsonParametersAsParsed);
  if (!isObject(node)) return;
  const schema = node.content?.["application/json"]?.schema;
  if (typeof node.in === "string" && typeof node.name === "string" && schema) {
    node.schema = schema;
    delete node.content;
  }
  for (const value of Object.values(node)) typeJsonParametersAsParsed(value);
}

/**
 * Each `oneOf` variant types its own tag (`const`, or `enum`), so a `discriminator` adds nothing;
 * left in, openapi-typescript 7 rewrites the tag of a variant built with `allOf` to the variant's
 * schema name (`use_method: "BusifavorNormalCouponUseRule"`), a value no request has.
 */
function dropDiscriminators(node) {
  if (Array.isArray(node)) return node.forEach(dropDiscriminators);
  if (!isObject(node)) return;
  if (isObject(node.discriminator) && Array.isArray(node.oneOf)) delete node.discriminator;
  for (const value of Object.values(node)) dropDiscriminators(value);
}

const require = createRequire(import.meta.url);
const document = JSON.parse(
  readFileSync(require.resolve("@wechatpay-marketing/openapi/openapi.json"), "utf8"),
);
typeJsonParametersAsParsed(document);
dropDiscriminators(document);
const ast = await openapiTS(document, { alphabetize: false, exportType: false });
const outDir = join(dirname(fileURLToPath(import.meta.url)), "../src/generated");
const out = join(outDir, "marketing.gen.ts");
const source = `${HEADER}${astToString(ast)}`;
// build, typecheck and test each generate (so each runs alone in a fresh clone), and turbo may
// run typecheck and test at once: an unchanged file is left alone, a changed one replaced whole
// (rename), so a concurrent tsc never reads half a file.
if (!existsSync(out) || readFileSync(out, "utf8") !== source) {
  mkdirSync(outDir, { recursive: true });
  const partial = `${out}.${process.pid}.tmp`;
  writeFileSync(partial, source);
  renameSync(partial, out);
}
