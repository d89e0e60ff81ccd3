// Bundles the hand-authored spec (the @wechatpay-marketing/specs dependency) into one document, as
// JSON, YAML and an ES module.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkgDir, "dist");
const require = createRequire(import.meta.url);
const redocly = join(dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
// The one redocly.yaml of the spec: its `marketing` api is the document bundled here.
const redoclyConfig = require.resolve("@wechatpay-marketing/specs/redocly.yaml");
const specsDir = dirname(redoclyConfig);

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

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const jsonPath = bundle("json");
bundle("yaml");

// The module form lets bundlers and Node import the document without JSON import attributes.
const json = readFileSync(jsonPath, "utf8");
const version = JSON.parse(json).info.version;
writeFileSync(
  join(dist, "index.js"),
  `/* generated from specs/marketing by scripts/bundle.mjs, do not edit */\nexport const document = ${json.trim()};\nexport const version = ${JSON.stringify(version)};\nexport default document;\n`,
);
writeFileSync(
  join(dist, "index.d.ts"),
  `/* generated from specs/marketing by scripts/bundle.mjs, do not edit */\n/** The bundled OpenAPI 3.1 document. */\nexport declare const document: {\n  readonly openapi: string;\n  readonly info: { readonly title: string; readonly version: string; readonly [key: string]: unknown };\n  readonly paths: Readonly<Record<string, Record<string, unknown>>>;\n  readonly webhooks?: Readonly<Record<string, Record<string, unknown>>>;\n  readonly components?: Readonly<Record<string, Record<string, unknown>>>;\n  readonly [key: string]: unknown;\n};\n/** \`info.version\` of the document (kept equal to this package's version). */\nexport declare const version: string;\nexport default document;\n`,
);
