// Bundles specs/marketing with the same redocly config the packages use, once per test file.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type OpenApiDocument, operations } from "@wechatpay-marketing/openapi";

export const specsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Operation {
  method: string;
  path: string;
  operation: JsonObject;
}

export function bundleDocument(): JsonObject {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
  const dir = mkdtempSync(join(tmpdir(), "specs-bundle-"));
  try {
    const out = join(dir, "openapi.json");
    execFileSync(
      process.execPath,
      [cli, "bundle", "marketing", "--config", "redocly.yaml", "-o", out],
      {
        cwd: specsDir,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    return JSON.parse(readFileSync(out, "utf8")) as JsonObject;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The operations of a freshly bundled document, by the model every package reads. */
export function listOperations(doc: JsonObject): Operation[] {
  return operations(doc as unknown as OpenApiDocument).map((o) => ({
    method: o.method,
    path: o.path,
    operation: o.definition as JsonObject,
  }));
}

/** Follows a local `#/…` reference inside the bundled document. */
export function resolveRef<T = Json>(doc: JsonObject, node: Json | undefined): T {
  let current = node;
  for (let hops = 0; hops < 20; hops++) {
    if (
      current &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      typeof current.$ref === "string"
    ) {
      const pointer = current.$ref.replace(/^#\//, "").split("/");
      current = pointer.reduce<Json | undefined>((acc, key) => {
        const k = key.replace(/~1/g, "/").replace(/~0/g, "~");
        return acc && typeof acc === "object" && !Array.isArray(acc) ? acc[k] : undefined;
      }, doc);
    } else {
      return current as T;
    }
  }
  throw new Error(`reference loop at ${JSON.stringify(node)}`);
}

/** ../shared sits beside the clone in CI; a contributor's clone may not have it. */
export const sharedReferenceFile = (name: string) =>
  resolve(specsDir, "../../shared/reference", name);
export const sharedReferencePath = sharedReferenceFile("marketing-operations.json");
export const hasSharedReference = existsSync(sharedReferencePath);
