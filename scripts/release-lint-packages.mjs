// `pnpm lint:packages`: checks what each publishable package would publish, on the tarball
// `pnpm pack` makes (workspace:^ ranges rewritten, the `files` allowlist applied):
//   - publint --strict (warnings fail too);
//   - attw --profile esm-only on that tarball (same as `attw --pack`, without writing a .tgz
//     into the package folder);
//   - the package conventions of DESIGN.md (type module, exports with `types` first and
//     ./package.json, files, sideEffects false, engines, license, repository, README), every
//     export and bin target present, no tests or tarballs shipped, no workspace: range left;
//   - for the two packages that are not only JS: openapi's JSON, YAML and module all say
//     `info.version` = the package version and describe the same operations; docs is a static
//     site, so attw must find no JS entry point and every asset index.html loads must be shipped.
// Builds first (a turbo cache hit when nothing changed); `--no-build` skips that.
// Usage: node scripts/release-lint-packages.mjs [--no-build] [package name or folder …]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readInfoVersion } from "./release-sync-spec-version.mjs";
import {
  pnpmCommand,
  publishablePackages,
  repoRoot,
  run,
  seconds,
  step,
} from "./release-tools.mjs";

const bin = (name) => join(repoRoot, "node_modules/.bin", name);

/** Package-specific checks; every package also gets the common ones. */
const PROFILES = {
  "@wechatpay-marketing/openapi": {
    // The YAML export is not a module: attw cannot resolve it, checkOpenapiDocument reads it.
    attwArgs: ["--exclude-entrypoints", "./openapi.yaml"],
    extra: checkOpenapiDocument,
  },
  "@wechatpay-marketing/docs": { attw: "no-js", extra: checkStaticSite },
};

/**
 * Lints one package directory; returns a row for the summary.
 * @param {{ name: string, version: string, dir: string }} pkg
 * @param {string} workDir scratch space, removed by the caller
 */
export async function lintPackage(pkg, workDir) {
  const profile = PROFILES[pkg.name] ?? {};
  const row = { name: pkg.name, publint: "", attw: "", content: "", tarball: "" };
  const problems = [];

  // 1. The tarball, exactly as `pnpm publish` would upload it.
  const [pnpm, pnpmArgs] = pnpmCommand();
  const packDir = join(workDir, basename(pkg.dir));
  await run(pnpm, [...pnpmArgs, "pack", "--pack-destination", packDir], { cwd: pkg.dir });
  const tgz = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`${pkg.name}: pnpm pack made no tarball`);
  const tarball = join(packDir, tgz);
  await run("tar", ["xzf", tarball, "-C", packDir]);
  const contents = join(packDir, "package");
  const files = listFiles(contents);
  row.tarball = `${files.length} files, ${(statSync(tarball).size / 1024).toFixed(1)} kB`;

  // 2. publint, strict.
  const publint = await run(bin("publint"), ["--strict", "--pack", "pnpm"], {
    cwd: pkg.dir,
    allowFailure: true,
  });
  const publintMessages = publint.output
    .split("\n")
    .filter((line) => line.trim() && !/^(Running publint|Packing files|Linting)/.test(line));
  row.publint = publint.code === 0 ? publintMessages.join(" ").trim() || "ok" : "FAILED";
  if (publint.code !== 0) problems.push(`publint:\n${publint.output.trim()}`);

  // 3. attw on the same tarball.
  if (profile.attw === "no-js") {
    const attw = await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "json"], {
      allowFailure: true,
    });
    const analysis = parseJson(attw.stdout)?.analysis;
    if (attw.code === 0 && analysis?.types === false) {
      row.attw = "ok: no JS entry point (static files only)";
    } else {
      row.attw = "FAILED";
      problems.push(
        `attw: a static-files package now has JS entry points or types:\n${attw.output}`,
      );
    }
  } else {
    const args = [tarball, "--profile", "esm-only", ...(profile.attwArgs ?? [])];
    const attw = await run(bin("attw"), [...args, "--format", "json"], { allowFailure: true });
    const entrypoints = Object.keys(parseJson(attw.stdout)?.analysis?.entrypoints ?? {});
    if (attw.code === 0 && entrypoints.length > 0) {
      row.attw = `ok: ${entrypoints.join(" ")}${profile.attwArgs ? ` (${profile.attwArgs.join(" ")})` : ""}`;
    } else {
      row.attw = "FAILED";
      // The readable report for the log.
      const readable = await run(bin("attw"), args, { allowFailure: true });
      problems.push(`attw:\n${readable.output.trim()}`);
    }
  }

  // 4. Conventions and contents.
  const manifest = JSON.parse(readFileSync(join(contents, "package.json"), "utf8"));
  const contentProblems = [
    ...checkConventions(manifest, files),
    ...(profile.extra ? await profile.extra({ pkg, manifest, contents, files }) : []),
  ];
  row.content = contentProblems.length === 0 ? "ok" : "FAILED";
  problems.push(...contentProblems);
  return { row, problems };
}

/** DESIGN.md's package conventions, checked on the packed manifest and file list. */
export function checkConventions(manifest, files) {
  const problems = [];
  const need = (ok, message) => {
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
  need(manifest.exports && typeof manifest.exports === "object", '"exports" is missing');
  const exportsMap = manifest.exports ?? {};
  need(exportsMap["./package.json"] === "./package.json", '"exports" lacks "./package.json"');

  for (const [subpath, target] of Object.entries(exportsMap)) {
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
  for (const [name, file] of Object.entries(
    typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}),
  )) {
    need(files.includes(normalize(file)), `bin ${name} → ${file} is not in the tarball`);
  }
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      need(!String(range).startsWith("workspace:"), `${field}.${dep} is still "${range}"`);
    }
  }
  const stray = files.filter(
    (f) =>
      /\.test(-d)?\.[cm]?[jt]sx?$|\.test\.d\.ts$|\.tgz$|(^|\/)\.env/.test(f) ||
      f.startsWith("src/generated/"),
  );
  need(stray.length === 0, `ships files it should not: ${stray.slice(0, 5).join(", ")}`);
  return problems;
}

/** openapi: the JSON, YAML and module forms are one document at the package's version. */
async function checkOpenapiDocument({ pkg, contents, files }) {
  const problems = [];
  for (const file of [
    "dist/openapi.json",
    "dist/openapi.yaml",
    "dist/index.js",
    "dist/index.d.ts",
  ]) {
    if (!files.includes(file)) problems.push(`${file} is not in the tarball`);
  }
  if (problems.length) return problems;
  const json = JSON.parse(readFileSync(join(contents, "dist/openapi.json"), "utf8"));
  const yamlVersion = readInfoVersion(readFileSync(join(contents, "dist/openapi.yaml"), "utf8"));
  const module = await import(pathToFileURL(join(contents, "dist/index.js")).href);
  const versions = {
    "openapi.json info.version": json.info?.version,
    "openapi.yaml info.version": yamlVersion,
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
  const operations = (doc) =>
    Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => ["get", "put", "post", "delete", "patch"].includes(k))
        .map((m) => `${m} ${path}`),
    );
  const jsonOps = operations(json);
  if (jsonOps.length === 0) problems.push("openapi.json has no operations");
  if (operations(module.document).join() !== jsonOps.join()) {
    problems.push("the module's document and openapi.json list different operations");
  }
  // The YAML lists the same path items (top-level keys under `paths:`, two-space indent).
  const yamlPaths = readFileSync(join(contents, "dist/openapi.yaml"), "utf8")
    .split(/^paths:\s*$/m)[1]
    ?.split(/^\S/m)[0]
    ?.match(/^ {2}(?:'|")?(\/[^:'"]*)(?:'|")?:\s*$/gm)?.length;
  if (yamlPaths !== Object.keys(json.paths ?? {}).length) {
    problems.push(
      `openapi.yaml has ${yamlPaths} path items, openapi.json ${Object.keys(json.paths ?? {}).length}`,
    );
  }
  return problems;
}

/** docs: a static site: index.html and everything it loads are shipped, and it shows the current spec. */
async function checkStaticSite({ contents, files }) {
  const problems = [];
  if (!files.includes("dist/index.html")) return ["dist/index.html is not in the tarball"];
  const html = readFileSync(join(contents, "dist/index.html"), "utf8");
  const references = new Set(
    [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)]
      .map((m) => (m[1] ?? "").split(/[?#]/)[0] ?? "")
      .filter((ref) => ref && !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(ref)),
  );
  if (references.size === 0)
    problems.push("index.html loads no local asset (expected the Redoc script)");
  for (const ref of references) {
    const file = posix.normalize(posix.join("dist", decodeURI(ref.replace(/^\//, ""))));
    if (!files.includes(file)) problems.push(`index.html loads ${ref}, which is not shipped`);
  }
  const openapi = publishablePackages().find((p) => p.name === "@wechatpay-marketing/openapi");
  if (files.includes("dist/openapi.json") && openapi) {
    const shown = JSON.parse(readFileSync(join(contents, "dist/openapi.json"), "utf8")).info
      ?.version;
    if (shown !== openapi.version) {
      problems.push(
        `the site shows document version ${shown}, @wechatpay-marketing/openapi is ${openapi.version}`,
      );
    }
  }
  return problems;
}

function exportTargets(target) {
  if (typeof target === "string") return [target];
  if (target && typeof target === "object") return Object.values(target).flatMap(exportTargets);
  return [];
}

const normalize = (file) => posix.normalize(file).replace(/^\.\//, "");
const escapeRegExp = (text) => text.replace(/[.+?^${}()|[\]\\*]/g, "\\$&");

function listFiles(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const build = !args.includes("--no-build");
  const wanted = args.filter((a) => !a.startsWith("--"));
  const packages = publishablePackages().filter(
    (pkg) =>
      wanted.length === 0 ||
      wanted.some(
        (w) => w === pkg.name || resolve(w) === pkg.dir || resolve(repoRoot, w) === pkg.dir,
      ),
  );
  if (packages.length === 0) throw new Error(`no publishable package matches ${wanted.join(" ")}`);

  if (build) {
    await step("build (turbo)", () =>
      run(bin("turbo"), [
        "run",
        "build",
        "--output-logs=errors-only",
        ...packages.map((p) => `--filter=${p.name}`),
      ]),
    );
  }
  const workDir = mkdtempSync(join(tmpdir(), "lint-packages-"));
  const rows = [];
  let failed = false;
  try {
    for (const pkg of packages) {
      const started = performance.now();
      const { row, problems } = await lintPackage(pkg, workDir);
      rows.push({ ...row, time: seconds(performance.now() - started) });
      const where = relative(repoRoot, pkg.dir);
      if (problems.length) {
        failed = true;
        console.error(`✘ ${pkg.name} (${where}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
      } else {
        console.log(
          `✔ ${pkg.name} (${where}): publint ${row.publint}; attw ${row.attw}; ${row.tarball}`,
        );
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.table(rows);
  if (failed) process.exit(1);
}

if (
  process.argv[1] &&
  existsSync(process.argv[1]) &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  await main();
}
