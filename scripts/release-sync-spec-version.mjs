// Keeps `info.version` of the hand-authored spec (specs/marketing/openapi.yaml) equal to the
// version of @wechatpay-marketing/openapi. Run by `pnpm version-packages` right after
// `changeset version`; specs/test/version.test.ts fails whenever the two differ.
// Edits only that one line, so the file's formatting and comments stay as written.
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SPEC_ROOT = "specs/marketing/openapi.yaml";
export const OPENAPI_PACKAGE = "packages/openapi/package.json";

/**
 * Returns the YAML text with the `version` key of its top-level `info` mapping set to `version`.
 * @param {string} text
 * @param {string} version
 */
export function setInfoVersion(text, version) {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new Error(`"${version}" is not a semver version`);
  }
  const lines = text.split("\n");
  const info = lines.findIndex((line) => /^info:\s*(#.*)?$/.test(line));
  if (info < 0) throw new Error("no top-level `info:` mapping");
  for (let i = info + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line)) break; // the next top-level key: `info` has no version
    const match = /^(\s+)version:\s*(?:"[^"]*"|'[^']*'|[^\s#]+)(\s*#.*)?(\r?)$/.exec(line);
    if (match) {
      lines[i] = `${match[1]}version: ${version}${match[2] ?? ""}${match[3] ?? ""}`;
      return lines.join("\n");
    }
  }
  throw new Error("`info` has no `version` line");
}

/** Reads `info.version` the same narrow way (the root document keeps it a plain scalar). */
export function readInfoVersion(text) {
  const lines = text.split("\n");
  const info = lines.findIndex((line) => /^info:\s*(#.*)?$/.test(line));
  for (let i = info + 1; info >= 0 && i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line)) break;
    const match = /^\s+version:\s*["']?([^"'\s#]+)/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function main() {
  const root = new URL("..", import.meta.url);
  const specFile = fileURLToPath(new URL(SPEC_ROOT, root));
  const { version } = JSON.parse(readFileSync(new URL(OPENAPI_PACKAGE, root), "utf8"));
  const before = readFileSync(specFile, "utf8");
  const after = setInfoVersion(before, version);
  if (after === before) {
    console.log(`${SPEC_ROOT}: info.version already ${version}`);
  } else {
    writeFileSync(specFile, after);
    console.log(`${SPEC_ROOT}: info.version ${readInfoVersion(before)} -> ${version}`);
  }
}

const invoked = process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href;
if (invoked === import.meta.url) main();
