// @ts-check
// Type-checks generated code samples against the published types of @wechatpay-marketing/client
// with the TypeScript compiler API: one program for all samples, strict like the rest of the repo.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** @typedef {import("./code-samples.js").GeneratedSample} GeneratedSample */
/** @typedef {{ key: string, operationId: string, file: string, messages: string[] }} SampleProblem */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Inside the package, so that Node resolution finds its own node_modules (git-ignored). */
export const DEFAULT_SAMPLES_DIR = join(packageDir, ".samples");

/** This package's compiler options (its tsconfig.json, which extends the repo's), checking only. */
function compilerOptions() {
  const config = join(packageDir, "tsconfig.json");
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(
    { ...read.config, files: [], include: [] },
    ts.sys,
    dirname(config),
    {
      noEmit: true,
      types: ["node"],
      allowJs: false,
      checkJs: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
    },
  );
  return parsed.options;
}

/**
 * Writes each sample to `<dir>/<operationId>.ts`, and each of `modules` (file name -> source, such
 * as the Quick start's `client.ts` that the samples import) beside them, and type-checks them all.
 * @param {GeneratedSample[]} samples
 * @param {{ dir?: string, modules?: Record<string, string> }} [options]
 * @returns {{ files: string[], problems: SampleProblem[] }}
 */
export function typecheckSamples(samples, { dir = DEFAULT_SAMPLES_DIR, modules = {} } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The folder's own package.json makes every sample an ES module (top-level await).
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  /** @type {Map<string, GeneratedSample>} */
  const byFile = new Map();
  for (const sample of samples) {
    const name = sample.operationId.replace(/[^A-Za-z0-9_-]/g, "_");
    const file = join(dir, `${name}.ts`);
    if (byFile.has(file)) throw new Error(`two samples share the file name ${name}.ts`);
    writeFileSync(file, `// ${sample.key}\n${sample.source}`);
    byFile.set(file, sample);
  }
  /** @type {Map<string, string>} */
  const moduleKeys = new Map();
  for (const [name, source] of Object.entries(modules)) {
    const file = join(dir, name);
    if (byFile.has(file)) throw new Error(`the module ${name} has the file name of a sample`);
    writeFileSync(file, source);
    moduleKeys.set(file, `${name} (imported by the samples)`);
  }
  const files = [...byFile.keys()];
  const program = ts.createProgram([...files, ...moduleKeys.keys()], compilerOptions());
  /** @type {Map<string, SampleProblem>} */
  const problems = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName;
    const sample = file ? byFile.get(file) : undefined;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? (() => {
            const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(
              diagnostic.start,
            );
            return `${relative(dir, diagnostic.file.fileName)}:${line + 1}:${character + 1}`;
          })()
        : "(global)";
    const key = sample?.key ?? (file && moduleKeys.get(file)) ?? "(outside the samples)";
    const problem = problems.get(key) ?? {
      key,
      operationId: sample?.operationId ?? "",
      file: file ?? "",
      messages: [],
    };
    problem.messages.push(`${where} TS${diagnostic.code}: ${text}`);
    problems.set(key, problem);
  }
  return { files, problems: [...problems.values()] };
}

/**
 * @param {SampleProblem[]} problems
 */
export function formatProblems(problems) {
  return problems.map((p) => `${p.key}\n  ${p.messages.join("\n  ")}`).join("\n");
}
