// What a package that is not only JS must hold, beyond the common conventions.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import type { WorkspacePackage } from "../workspace.js";

export interface ProfileInput {
  pkg: WorkspacePackage;
  /** The unpacked tarball. */
  contents: string;
  files: string[];
}

export interface Profile {
  /** attw arguments after the tarball; "no-js": the package must have no JS entry point at all. */
  attw?: string[] | "no-js";
  extra?: (input: ProfileInput) => Promise<string[]>;
}

interface OpenapiDocument {
  info?: { version?: unknown };
  paths?: Record<string, Record<string, unknown>>;
}

/** The package's own operation model, as packed (the tooling cannot depend on openapi: a cycle). */
type OperationModel = (document: OpenapiDocument) => readonly { key: string }[];

/** openapi: the JSON, YAML and module forms are one document at the package's version. */
async function checkOpenapiDocument({ pkg, contents, files }: ProfileInput): Promise<string[]> {
  const forms = ["dist/openapi.json", "dist/openapi.yaml", "dist/index.js", "dist/index.d.ts"];
  const missing = forms.filter((file) => !files.includes(file));
  if (missing.length > 0) return missing.map((file) => `${file} is not in the tarball`);

  const read = (file: string) => readFileSync(join(contents, file), "utf8");
  const json = JSON.parse(read("dist/openapi.json")) as OpenapiDocument;
  const yaml = parse(read("dist/openapi.yaml")) as OpenapiDocument;
  const module = (await import(pathToFileURL(join(contents, "dist/index.js")).href)) as {
    document?: OpenapiDocument;
    version?: unknown;
    operations?: OperationModel;
  };
  const model = module.operations;
  if (typeof model !== "function") return ["dist/index.js does not export operations()"];
  const operations = (doc: OpenapiDocument | undefined) =>
    doc ? model(doc).map((operation) => operation.key) : [];
  const problems: string[] = [];
  const versions = {
    "openapi.json info.version": json.info?.version,
    "openapi.yaml info.version": yaml.info?.version,
    "module `version`": module.version,
    "module document.info.version": module.document?.info?.version,
  };
  for (const [where, version] of Object.entries(versions)) {
    if (version !== pkg.version) {
      problems.push(
        `${where} is ${version}, package version ${pkg.version} (pnpm version-packages syncs them)`,
      );
    }
  }
  const jsonOperations = operations(json).join();
  if (jsonOperations === "") problems.push("openapi.json has no operations");
  if (operations(module.document).join() !== jsonOperations) {
    problems.push("the module's document and openapi.json list different operations");
  }
  if (operations(yaml).join() !== jsonOperations) {
    problems.push("openapi.yaml and openapi.json list different operations");
  }
  return problems;
}

/** docs: index.html and everything it loads are shipped, and it shows the openapi it depends on. */
async function checkStaticSite({ pkg, contents, files }: ProfileInput): Promise<string[]> {
  if (!files.includes("dist/index.html")) return ["dist/index.html is not in the tarball"];
  const problems: string[] = [];
  const html = readFileSync(join(contents, "dist/index.html"), "utf8");
  const references = new Set(
    [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)]
      .map((m) => (m[1] ?? "").split(/[?#]/)[0] ?? "")
      .filter((ref) => ref && !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(ref)),
  );
  if (references.size === 0) {
    problems.push("index.html loads no local asset (expected the Redoc script)");
  }
  for (const ref of references) {
    const file = posix.normalize(posix.join("dist", decodeURI(ref.replace(/^\//, ""))));
    if (!files.includes(file)) problems.push(`index.html loads ${ref}, which is not shipped`);
  }
  if (files.includes("dist/openapi.json")) {
    // The openapi the site was built from: the docs package's own dependency.
    const openapiManifest = createRequire(join(pkg.dir, "package.json")).resolve(
      "@wechatpay-marketing/openapi/package.json",
    );
    const { version } = JSON.parse(readFileSync(openapiManifest, "utf8")) as { version: string };
    const shown = (
      JSON.parse(readFileSync(join(contents, "dist/openapi.json"), "utf8")) as OpenapiDocument
    ).info?.version;
    if (shown !== version) {
      problems.push(
        `the site shows document version ${shown}, @wechatpay-marketing/openapi is ${version}`,
      );
    }
  }
  return problems;
}

/** Package-specific checks; every package also gets the common ones. */
export const PROFILES: Record<string, Profile> = {
  "@wechatpay-marketing/openapi": {
    // The YAML export is not a module: attw cannot resolve it; checkOpenapiDocument reads it.
    attw: ["--exclude-entrypoints", "./openapi.yaml"],
    extra: checkOpenapiDocument,
  },
  "@wechatpay-marketing/docs": { attw: "no-js", extra: checkStaticSite },
};
