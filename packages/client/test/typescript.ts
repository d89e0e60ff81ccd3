// The TypeScript compiler over the client's own sources, for tests that inspect the generated types
// the way an editor does: one program (and language service) per call, strict like the build.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const clientDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const generatedDir = join(clientDir, "src/generated");

function compilerOptions(): ts.CompilerOptions {
  const path = join(clientDir, "tsconfig.json");
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, clientDir).options;
}

/**
 * A language service over one extra in-memory file `src/__probe__.ts` (importing from `./index.js`)
 * and the files it reaches.
 */
export function probe(source: string) {
  const file = join(clientDir, "src/__probe__.ts");
  const options = compilerOptions();
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const text = name === file ? source : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => clientDir,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? source : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const program = service.getProgram();
  if (!program) throw new Error("no program");
  const diagnostics = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  return {
    file,
    program,
    checker: program.getTypeChecker(),
    sourceFile: program.getSourceFile(file) as ts.SourceFile,
    diagnostics,
    /** What an editor shows on hover over the first occurrence of `marker` in the probe. */
    hover(marker: string) {
      const at = source.indexOf(marker);
      if (at < 0) throw new Error(`${marker} is not in the probe`);
      const info = service.getQuickInfoAtPosition(file, at);
      return {
        display: ts.displayPartsToString(info?.displayParts),
        documentation: ts.displayPartsToString(info?.documentation),
        tags: (info?.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`),
      };
    },
  };
}

/** The generated file, parsed (no type checking). */
export function parseGenerated(name: string): ts.SourceFile {
  const path = join(generatedDir, name);
  return ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
}
