// The consumer project: the fixture package fixtures/release-consumer (type-checked in the
// workspace too), copied outside the workspace and installed from the rehearsal's registry.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toolBin } from "../bins.js";
import { run } from "../process.js";
import { workspacePackage } from "../workspace.js";
import { assert } from "./environment.js";

export const CONSUMER_PACKAGE = "@wechatpay-marketing/release-consumer";

/** An error a fixture line must raise: `// @ts-expect-error TS2322 "HALF_PRICE": why`. */
export interface ExpectedError {
  file: string;
  /** 1-based line of the code the directive stands above. */
  line: number;
  code: string;
  /** Text the message must contain. */
  includes: string;
}

export interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

const DIRECTIVE = /^\s*\/\/ @ts-expect-error (TS\d+) "([^"]+)"/;

/** The expected errors a fixture declares; a bare `@ts-expect-error` is refused. */
export function expectedErrors(file: string, source: string): ExpectedError[] {
  return source.split("\n").flatMap((text, index) => {
    if (!/^\s*\/\/ @ts-expect-error\b/.test(text)) return [];
    const match = DIRECTIVE.exec(text);
    if (!match?.[1] || !match[2]) {
      throw new Error(
        `${file}:${index + 1}: write @ts-expect-error as \`// @ts-expect-error TS1234 "text in the message": why\``,
      );
    }
    return [{ file, line: index + 2, code: match[1], includes: match[2] }];
  });
}

/** The source with each directive turned into a plain comment, lines kept where they were. */
export function withoutDirectives(source: string): string {
  return source.replace(/^(\s*)\/\/ @ts-expect-error /gm, "$1// expected: ");
}

/** tsc's `--pretty false` diagnostics. */
export function parseDiagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/^(\S+?)\((\d+),\d+\): error (TS\d+): (.*(?:\n {2}.*)*)/gm)].map(
    (m) => ({ file: m[1] ?? "", line: Number(m[2]), code: m[3] ?? "", message: m[4] ?? "" }),
  );
}

/** Problems when the diagnostics are not exactly the expected errors. */
export function compareErrors(expected: ExpectedError[], found: Diagnostic[]): string[] {
  const problems: string[] = [];
  for (const want of expected) {
    const hit = found.some(
      (d) =>
        d.file === want.file &&
        d.line === want.line &&
        d.code === want.code &&
        d.message.includes(want.includes),
    );
    if (!hit) {
      problems.push(`${want.file}:${want.line}: expected ${want.code} mentioning ${want.includes}`);
    }
  }
  for (const d of found) {
    if (
      !expected.some((want) => want.file === d.file && want.line === d.line && want.code === d.code)
    ) {
      problems.push(`${d.file}:${d.line}: unexpected ${d.code} ${d.message.split("\n")[0]}`);
    }
  }
  return problems;
}

/** Copies the fixture's sources and tsconfig.json from the copy's workspace into `dir`. */
export function writeConsumer(copy: string, dir: string): string[] {
  const fixture = workspacePackage(copy, CONSUMER_PACKAGE).dir;
  mkdirSync(dir, { recursive: true });
  cpSync(join(fixture, "src"), join(dir, "src"), { recursive: true });
  cpSync(join(fixture, "tsconfig.json"), join(dir, "tsconfig.json"));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "release-check-consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  return readdirSync(join(dir, "src")).filter((f) => f.endsWith(".ts"));
}

const tsc = (cwd: string, env: NodeJS.ProcessEnv, args: string[], allowFailure = false) =>
  run(toolBin("tsc"), ["-p", "tsconfig.json", "--pretty", "false", ...args], {
    cwd,
    env,
    allowFailure,
  });

/** Type-checks the consumer as it is: the typed calls compile, every expected error occurs. */
export async function typecheckConsumer(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await tsc(dir, env, []);
}

/**
 * Compiles the sources with their directives removed: tsc must report exactly the errors the
 * directives name, on the lines they stand above.
 */
export async function checkExpectedErrors(dir: string, env: NodeJS.ProcessEnv, files: string[]) {
  const expected: ExpectedError[] = [];
  for (const name of files) {
    const file = join(dir, "src", name);
    const source = readFileSync(file, "utf8");
    expected.push(...expectedErrors(`src/${name}`, source));
    writeFileSync(file, withoutDirectives(source));
  }
  assert(expected.length > 0, "the consumer fixture declares no expected error");
  const result = await tsc(dir, env, [], true);
  const found = parseDiagnostics(result.stdout);
  const problems = compareErrors(expected, found);
  assert(
    result.exitCode !== 0 && problems.length === 0,
    `tsc without the directives:\n${problems.join("\n")}\n${result.stdout}`,
  );
  return found;
}

/** Builds the consumer and runs it against the published sandbox; returns what it printed. */
export async function runConsumer(dir: string, env: NodeJS.ProcessEnv) {
  await tsc(dir, env, ["--noEmit", "false"]);
  const { stdout } = await run(process.execPath, ["out/consumer.js"], {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  const printed = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    stockId?: string;
    stockState?: string;
    url?: string;
  };
  assert(printed.stockId, `the consumer printed no stock: ${stdout}`);
  return printed;
}
