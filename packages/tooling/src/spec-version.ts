// Keeps `info.version` of the hand-authored spec (specs/marketing/openapi.yaml) equal to the
// version of @wechatpay-marketing/openapi. Run by `pnpm version-packages` right after
// `changeset version`; packages/openapi's version test fails whenever the two differ.
// Edits the YAML document (the `yaml` Document API), so comments and formatting stay as written.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, parse, parseDocument } from "yaml";
import { workspacePackage } from "./workspace.js";

export const SPECS_PACKAGE = "@wechatpay-marketing/specs";
export const OPENAPI_PACKAGE = "@wechatpay-marketing/openapi";
/** The root document, inside the specs package. */
export const SPEC_ROOT = "marketing/openapi.yaml";

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
// Writing back keeps long lines as they are (no folding) and flow collections as written.
const WRITE_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** Returns the YAML text with `info.version` set to `version`; nothing else changes. */
export function setInfoVersion(text: string, version: string): string {
  if (!SEMVER.test(version)) throw new Error(`"${version}" is not a semver version`);
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new Error(`the document is not valid YAML: ${document.errors[0]?.message}`);
  }
  const info = document.get("info", true);
  if (!isMap(info)) throw new Error("the document has no top-level `info` mapping");
  const current = info.get("version", true);
  if (!isScalar(current)) throw new Error("`info` has no `version`");
  if (current.value === version) return text;
  current.value = version;
  return document.toString(WRITE_OPTIONS);
}

/** `info.version` of a YAML or JSON OpenAPI document, if it has one. */
export function readInfoVersion(text: string): string | undefined {
  const document = parse(text) as { info?: { version?: unknown } } | null;
  const version = document?.info?.version;
  return typeof version === "string" ? version : undefined;
}

/** Sets the spec's `info.version` to the openapi package's version, in the workspace at `root`. */
export function syncSpecVersion(root: string): void {
  const specFile = join(workspacePackage(root, SPECS_PACKAGE).dir, SPEC_ROOT);
  const { version } = workspacePackage(root, OPENAPI_PACKAGE);
  const before = readFileSync(specFile, "utf8");
  const after = setInfoVersion(before, version);
  if (after === before) {
    console.log(`${SPEC_ROOT}: info.version already ${version}`);
  } else {
    writeFileSync(specFile, after);
    console.log(`${SPEC_ROOT}: info.version ${readInfoVersion(before)} -> ${version}`);
  }
}
