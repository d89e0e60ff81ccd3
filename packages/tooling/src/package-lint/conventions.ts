// DESIGN.md's package conventions, checked on the packed manifest and the tarball's file list.
import { posix } from "node:path";

export interface PackedManifest {
  name?: string;
  type?: unknown;
  sideEffects?: unknown;
  engines?: { node?: unknown };
  license?: unknown;
  repository?: { url?: unknown; directory?: unknown };
  files?: unknown;
  exports?: unknown;
  bin?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** Files a package must never ship: tests, tarballs, env files, generated sources. */
const STRAY = /\.test(-d)?\.[cm]?[jt]sx?$|\.test\.d\.ts$|\.test-d\.d\.ts$|\.tgz$|(^|\/)\.env/;

/** Every problem with the packed package, as a sentence naming the field or file. */
export function checkConventions(manifest: PackedManifest, files: string[]): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, message: string) => {
    if (!ok) problems.push(message);
  };
  need(manifest.type === "module", '"type" must be "module" (ESM only)');
  need(manifest.sideEffects === false, '"sideEffects" must be false');
  need(typeof manifest.engines?.node === "string", '"engines.node" is missing');
  need(typeof manifest.license === "string" && manifest.license, '"license" is missing');
  need(
    manifest.repository?.url && manifest.repository?.directory,
    '"repository" needs url and directory',
  );
  need(Array.isArray(manifest.files) && manifest.files.length > 0, '"files" allowlist is missing');
  need(files.includes("README.md"), "README.md is not in the tarball");
  const exportsMap =
    manifest.exports && typeof manifest.exports === "object"
      ? (manifest.exports as Record<string, unknown>)
      : undefined;
  need(exportsMap, '"exports" is missing');
  need(exportsMap?.["./package.json"] === "./package.json", '"exports" lacks "./package.json"');

  for (const [subpath, target] of Object.entries(exportsMap ?? {})) {
    if (target && typeof target === "object") {
      const conditions = Object.keys(target);
      need(
        !conditions.includes("types") || conditions[0] === "types",
        `exports["${subpath}"]: "types" must be the first condition`,
      );
    }
    for (const file of exportTargets(target)) {
      if (file.includes("*")) {
        const pattern = new RegExp(`^${escapeRegExp(normalize(file)).replace("\\*", ".+")}$`);
        need(
          files.some((f) => pattern.test(f)),
          `exports["${subpath}"] → ${file} matches no file`,
        );
      } else {
        need(
          files.includes(normalize(file)),
          `exports["${subpath}"] → ${file} is not in the tarball`,
        );
      }
    }
  }
  for (const [name, file] of Object.entries(binEntries(manifest))) {
    need(files.includes(normalize(file)), `bin ${name} → ${file} is not in the tarball`);
  }
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      need(!String(range).startsWith("workspace:"), `${field}.${dep} is still "${range}"`);
    }
  }
  const stray = files.filter((f) => STRAY.test(f) || f.startsWith("src/generated/"));
  need(stray.length === 0, `ships files it should not: ${stray.slice(0, 5).join(", ")}`);
  return problems;
}

function binEntries(manifest: PackedManifest): Record<string, string> {
  if (typeof manifest.bin === "string") return { [manifest.name ?? "bin"]: manifest.bin };
  if (manifest.bin && typeof manifest.bin === "object") {
    return Object.fromEntries(
      Object.entries(manifest.bin).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  }
  return {};
}

function exportTargets(target: unknown): string[] {
  if (typeof target === "string") return [target];
  if (target && typeof target === "object") return Object.values(target).flatMap(exportTargets);
  return [];
}

const normalize = (file: string) => posix.normalize(file).replace(/^\.\//, "");
const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\*]/g, "\\$&");
