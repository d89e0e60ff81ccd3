// Bundles the hand-authored spec (the @wechatpay-marketing/specs dependency) into one document, as JSON and YAML, and writes
// src/generated/document.gen.ts: the document as a module plus the literal operation and webhook
// tables that type the package's operation model. Runs after `tsc -p tsconfig.model.json`, so that
// the tables come from the very model (dist/model.js) the package exports.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listOperations, listWebhooks } from "../dist/model.js";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkgDir, "dist");
const generated = join(pkgDir, "src/generated");
const require = createRequire(import.meta.url);
const redocly = join(dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
// The one redocly.yaml of the spec: its `marketing` api is the document bundled here.
const redoclyConfig = require.resolve("@wechatpay-marketing/specs/redocly.yaml");
const specsDir = dirname(redoclyConfig);
const HEADER = "/* Generated from specs/marketing by scripts/bundle.mjs. Do not edit. */\n";

function bundle(ext) {
  const out = join(dist, `openapi.${ext}`);
  // Quiet unless it fails: redocly prints a Node 20 deprecation banner on every run.
  execFileSync(
    process.execPath,
    [redocly, "bundle", "marketing", "--config", redoclyConfig, "--ext", ext, "-o", out],
    {
      cwd: specsDir,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  return out;
}

const property = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const literal = (value) => JSON.stringify(value);

/** `interface Name { readonly key: { readonly field: "literal"; … }; … }` */
function table(name, doc, rows) {
  const lines = rows.map(
    ([key, fields]) =>
      `  readonly ${property(key)}: { ${Object.entries(fields)
        .map(([field, value]) => `readonly ${field}: ${value}`)
        .join("; ")} };`,
  );
  return `/** ${doc} */\nexport interface ${name} {\n${lines.join("\n")}\n}\n`;
}

rmSync(join(dist, "openapi.json"), { force: true });
rmSync(join(dist, "openapi.yaml"), { force: true });
mkdirSync(dist, { recursive: true });
const jsonPath = bundle("json");
bundle("yaml");
const document = JSON.parse(readFileSync(jsonPath, "utf8"));

const operationTable = table(
  "OperationTable",
  "Method, path and tags of every operation, by operationId.",
  listOperations(document).map((o) => [
    o.operationId,
    {
      method: literal(o.method),
      path: literal(o.path),
      tags: `readonly [${o.tags.map(literal).join(", ")}]`,
    },
  ]),
);
const eventTable = table(
  "EventTable",
  "The operation and decrypted resource schema of every webhook, by event type.",
  listWebhooks(document).map((w) => [
    w.eventType,
    {
      method: literal(w.method),
      operationId: literal(w.operationId),
      resourceSchema: literal(w.notification.resourceSchema),
    },
  ]),
);

mkdirSync(generated, { recursive: true });
writeFileSync(
  join(generated, "document.gen.ts"),
  `${HEADER}import type { OpenApiDocument } from "../model.js";

/** The bundled OpenAPI 3.1 document. */
export const document: OpenApiDocument = ${JSON.stringify(document)};

/** \`info.version\` of the document (kept equal to this package's version). */
export const version: string = ${literal(document.info.version)};

${operationTable}
${eventTable}`,
);
