// turbo is correct in both directions: for a table of single edits, exactly the tasks that read
// the edited file re-hash (so they rerun), and no other task does (so it replays from cache).
// Each edit is made in a throw-away copy of the working tree, never in the workspace itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolBin } from "./bins.js";
import { run } from "./process.js";
import { findWorkspaceRoot, snapshotWorkingTree } from "./workspace.js";

const TASKS = ["build", "test", "lint", "typecheck"];

const SIGNER = "@wechatpay-marketing/signer";
const CLIENT = "@wechatpay-marketing/client";
const SANDBOX = "@wechatpay-marketing/sandbox";
const DOCS = "@wechatpay-marketing/docs";
const OPENAPI = "@wechatpay-marketing/openapi";
const SPECS = "@wechatpay-marketing/specs";
const TOOLING = "@wechatpay-marketing/tooling";
const CONSUMER = "@wechatpay-marketing/release-consumer";
const E2E = "@wechatpay-marketing/e2e";
const TEST_FIXTURES = "@wechatpay-marketing/test-fixtures";

const tasks = (pkg: string, ...names: string[]) => names.map((name) => `${pkg}#${name}`);
/** Every task of the packages built on the signer's build (theirs and what builds on them). */
const builtOnSigner = [
  ...tasks(SIGNER, "build", "lint", "test", "typecheck"),
  ...tasks(CLIENT, "build", "lint", "test", "typecheck"),
  ...tasks(SANDBOX, "build", "lint", "test", "typecheck"),
  ...tasks(DOCS, "build", "lint", "test", "typecheck"),
  ...tasks(CONSUMER, "typecheck"),
  ...tasks(E2E, "test", "typecheck"),
];
const builtOnSpec = [
  ...tasks(OPENAPI, "build", "lint", "test", "typecheck"),
  ...tasks(CLIENT, "build", "lint", "test", "typecheck"),
  ...tasks(SANDBOX, "build", "lint", "test", "typecheck"),
  ...tasks(DOCS, "build", "lint", "test", "typecheck"),
  ...tasks(CONSUMER, "typecheck"),
  ...tasks(E2E, "test", "typecheck"),
];

/**
 * Every task of the packages built on the client's build. Not the sandbox: the client-against-
 * sandbox tests are e2e's, so a client edit neither rebuilds nor retests the simulator.
 */
const builtOnClient = [
  ...tasks(CLIENT, "build", "lint", "test", "typecheck"),
  ...tasks(DOCS, "build", "lint", "test", "typecheck"),
  ...tasks(CONSUMER, "typecheck"),
  ...tasks(E2E, "test", "typecheck"),
];
/** What an edit of the simulator's build input re-hashes: it and what builds or tests on it. */
const builtOnSandbox = [
  ...tasks(SANDBOX, "build", "lint", "test", "typecheck"),
  ...tasks(DOCS, "build", "lint", "test", "typecheck"),
  ...tasks(CONSUMER, "typecheck"),
  ...tasks(E2E, "test", "typecheck"),
];

interface Edit {
  what: string;
  file: string;
  change: (text: string) => string;
  /** The tasks whose hash must change; every other task must keep its hash. */
  rehashes: string[];
}

const appendLine = (line: string) => (text: string) => `${text.trimEnd()}\n${line}\n`;

const EDITS: Edit[] = [
  {
    what: "tsconfig.base.json (target ES2022 -> ES2020)",
    file: "tsconfig.base.json",
    change: (text) => text.replace('"target": "ES2022"', '"target": "ES2020"'),
    // Everything that runs tsc or Vitest, and what builds on it (the openapi build compiles its
    // operation model with tsc before it bundles); not the spec's lint.
    rehashes: [
      ...builtOnSigner,
      ...tasks(OPENAPI, "build", "test", "typecheck"),
      ...tasks(SPECS, "test", "typecheck"),
      ...tasks(TEST_FIXTURES, "typecheck"),
      // The tooling is compiled with it, and every package lint runs the compiled tooling.
      ...tasks(TOOLING, "compile", "test", "typecheck"),
      ...tasks(OPENAPI, "lint"),
    ],
  },
  {
    what: "biome.json (line width)",
    file: "biome.json",
    change: (text) => text.replace('"lineWidth": 100', '"lineWidth": 101'),
    // Biome runs outside turbo, uncached, on every `pnpm lint`: no task reads biome.json.
    rehashes: [],
  },
  {
    what: "a signer source",
    file: "packages/signer/src/signing.ts",
    change: appendLine("// edited"),
    rehashes: builtOnSigner,
  },
  {
    what: "a signer test",
    file: "packages/signer/src/signing.test.ts",
    change: appendLine("// edited"),
    rehashes: tasks(SIGNER, "test", "typecheck"),
  },
  {
    what: "a signer bench",
    file: "packages/signer/bench/run.mjs",
    change: appendLine("// edited"),
    rehashes: [],
  },
  {
    what: "the signer's Vitest config",
    file: "packages/signer/vitest.config.ts",
    change: appendLine("// edited"),
    rehashes: tasks(SIGNER, "test"),
  },
  {
    what: "a sandbox source",
    file: "packages/sandbox/src/limits.ts",
    change: appendLine("// edited"),
    // The simulator and what is built or tested on it; the client does not depend on it.
    rehashes: builtOnSandbox,
  },
  {
    what: "a sandbox test",
    file: "packages/sandbox/src/attacks.test.ts",
    change: appendLine("// edited"),
    rehashes: tasks(SANDBOX, "test", "typecheck"),
  },
  {
    what: "the shared test fixtures (request bodies of the sandbox's and e2e's tests)",
    file: "packages/test-fixtures/src/requests.ts",
    change: appendLine("// edited"),
    // Their tests and their own typecheck; no build: the simulator is not rebuilt.
    rehashes: [
      ...tasks(TEST_FIXTURES, "typecheck"),
      ...tasks(SANDBOX, "test", "typecheck"),
      ...tasks(E2E, "test", "typecheck"),
    ],
  },
  {
    what: "an e2e test",
    file: "packages/e2e/src/smoke.test.ts",
    change: appendLine("// edited"),
    rehashes: tasks(E2E, "test", "typecheck"),
  },
  {
    what: "the e2e load runner (bench/, used by its load test)",
    file: "packages/e2e/bench/load-run.mjs",
    change: appendLine("// edited"),
    rehashes: tasks(E2E, "test", "typecheck"),
  },
  {
    what: "the e2e load bench's entry (read by no test)",
    file: "packages/e2e/bench/load.mjs",
    change: appendLine("// edited"),
    rehashes: [],
  },
  {
    what: "the docs page template",
    file: "packages/docs/site/template.hbs",
    change: appendLine("<!-- edited -->"),
    rehashes: tasks(DOCS, "build", "lint", "test", "typecheck"),
  },
  {
    what: "the client's code generator",
    file: "packages/client/scripts/generate.mjs",
    change: appendLine("// edited"),
    rehashes: builtOnClient,
  },
  {
    what: "a module of the client's code generator (scripts/generator/)",
    file: "packages/client/scripts/generator/index.mjs",
    change: appendLine("// edited"),
    rehashes: builtOnClient,
  },
  {
    what: "the sandbox's type generator",
    file: "packages/sandbox/scripts/generate-types.mjs",
    change: appendLine("// edited"),
    // Its output (src/generated) is the build's; what builds on the sandbox re-hashes with it.
    rehashes: builtOnSandbox,
  },
  {
    what: "a spec file",
    file: "specs/marketing/paths/busifavor/stocks.yaml",
    change: appendLine("# edited"),
    rehashes: [...builtOnSpec, ...tasks(SPECS, "lint", "test", "typecheck")],
  },
  {
    what: "a spec test",
    file: "specs/test/conventions.test.ts",
    change: appendLine("// edited"),
    rehashes: tasks(SPECS, "test", "typecheck"),
  },
  {
    what: "the tooling (package lint)",
    file: "packages/tooling/src/package-lint/conventions.ts",
    change: appendLine("// edited"),
    // Every package lint runs it, the size tests measure with it; no build reads it.
    rehashes: [
      ...tasks(TOOLING, "compile", "test", "typecheck"),
      ...tasks(SIGNER, "lint", "test"),
      ...tasks(CLIENT, "lint", "test"),
      ...tasks(SANDBOX, "lint"),
      ...tasks(DOCS, "lint"),
      ...tasks(OPENAPI, "lint"),
    ],
  },
  {
    what: "a package README",
    file: "packages/client/README.md",
    change: appendLine("Edited."),
    rehashes: tasks(CLIENT, "lint"),
  },
];

/** Our environment without the variables of the turbo run we may be part of. */
function withoutTurboEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("TURBO_")),
  );
  return { ...env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
}

/**
 * taskId -> hash of `turbo run build test lint typecheck --dry=json` in `cwd`, for the tasks that
 * run something: a package without the script still gets a (no-op) task in the graph, and its
 * hash carries its inputs to its dependents (the spec package's build does that), but it never
 * runs or caches anything.
 */
async function taskHashes(cwd: string): Promise<Map<string, string>> {
  const { stdout } = await run(toolBin("turbo"), ["run", ...TASKS, "--dry=json"], {
    cwd,
    env: withoutTurboEnv(),
    timeoutMs: 120_000,
  });
  const dry = JSON.parse(stdout) as { tasks: { taskId: string; hash: string; command: string }[] };
  return new Map(
    dry.tasks
      .filter((task) => task.command !== "<NONEXISTENT>")
      .map((task) => [task.taskId, task.hash]),
  );
}

function rehashed(before: Map<string, string>, after: Map<string, string>): string[] {
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids].filter((id) => before.get(id) !== after.get(id)).sort();
}

describe("task inputs", () => {
  it("hash no build output and no installed package (their hashes come through the tasks that make them)", async () => {
    // In the workspace itself (a dry run only reads): the copy below has no node_modules or dist.
    const { stdout } = await run(toolBin("turbo"), ["run", ...TASKS, "--dry=json"], {
      cwd: findWorkspaceRoot(),
      env: withoutTurboEnv(),
      timeoutMs: 120_000,
    });
    const dry = JSON.parse(stdout) as {
      tasks: { taskId: string; inputs: Record<string, string> }[];
    };
    const outputs = dry.tasks.flatMap(({ taskId, inputs }) =>
      Object.keys(inputs)
        .filter((file) =>
          /(^|\/)(node_modules|dist|coverage|\.turbo)\/|src\/generated\//.test(file),
        )
        .map((file) => `${taskId}: ${file}`),
    );
    expect(outputs).toEqual([]);
  });
});

describe("turbo re-hashes exactly the tasks that read an edited file", () => {
  let copy: string;
  let baseline: Map<string, string>;

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), "turbo-graph-"));
    snapshotWorkingTree(findWorkspaceRoot(), copy);
    baseline = await taskHashes(copy);
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("runs every package's tasks from the table's command", () => {
    for (const id of [...builtOnSigner, ...builtOnSpec]) expect(baseline.has(id), id).toBe(true);
  });

  it("gives a second dry run with no change the same hashes", async () => {
    expect(rehashed(baseline, await taskHashes(copy))).toEqual([]);
  });

  it.each(EDITS)("$what", async ({ file, change, rehashes }) => {
    const path = join(copy, file);
    const original = readFileSync(path, "utf8");
    const edited = change(original);
    expect(edited, `the edit changes ${file}`).not.toBe(original);
    writeFileSync(path, edited);
    try {
      expect(rehashed(baseline, await taskHashes(copy))).toEqual([...new Set(rehashes)].sort());
    } finally {
      writeFileSync(path, original);
    }
  });
});
