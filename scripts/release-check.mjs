// `pnpm release:check`: a release rehearsal, end to end, on a real registry, never touching the
// workspace or the public registry's @wechatpay-marketing scope.
//
//  1. copies the working tree (tracked and untracked, not ignored: no node_modules, no dist) to a
//     throw-away folder, adds a sample changeset and runs `pnpm version-packages` there
//     (changeset version + spec info.version sync + lockfile), and checks versions, the fixed
//     openapi+client group, the spec's info.version and the generated CHANGELOG.md files;
//  2. installs, builds, and lints the packed packages (publint, attw) at their new versions;
//  3. starts Verdaccio on 127.0.0.1 (storage and config in a temp folder; @wechatpay-marketing/*
//     local only, anything else proxied from the npm registry) and `pnpm publish -r` there with a
//     fake token;
//  4. a consumer project outside the workspace installs @wechatpay-marketing/client and
//     @wechatpay-marketing/sandbox from that registry only, type-checks a file of typed calls
//     (strict, NodeNext), checks that files with type errors fail with the expected errors, and runs
//     the calls against startSandbox();
//  5. measures the install footprint of a consumer of @wechatpay-marketing/client alone.
// Stops everything it started and removes its temp folders, also on failure or Ctrl-C, and fails
// if `git status --porcelain` of the workspace differs afterwards.
import { execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readInfoVersion } from "./release-sync-spec-version.mjs";
import {
  pnpmCommand,
  publishablePackages,
  repoRoot,
  run,
  seconds,
  step,
  stopRunningCommands,
  tail,
} from "./release-tools.mjs";

const SCOPE = "@wechatpay-marketing";
const UPSTREAM = "https://registry.npmjs.org/";
const FAKE_TOKEN = "release-check-fake-token";
/** Other WeChat Pay SDKs' install footprint (a consumer installing only that package). */
const OTHER_SDKS = [
  { name: "wechatpay-axios-plugin", packages: 56, megabytes: 6.4 },
  { name: "wechatpay-node-v3", packages: 50, megabytes: 4.5 },
];

const began = performance.now();
const timings = [];
const cleanups = [];
let cleaningUp;

/** Runs registered cleanups once, newest first; never throws. */
function cleanUp() {
  cleaningUp ??= (async () => {
    stopRunningCommands();
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`  cleanup: ${error instanceof Error ? error.message : error}`);
      }
    }
  })();
  return cleaningUp;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping what the release check started`);
    cleanUp().finally(() => process.exit(130));
  });
}

async function timed(title, action) {
  const started = performance.now();
  try {
    return await step(title, action);
  } finally {
    timings.push([title, performance.now() - started]);
  }
}

/** The environment for tools run in the copy or the consumer: none of our pnpm's npm_* settings. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_|^PNPM_|^pnpm_/i.test(key) && !key.startsWith("TURBO_")) env[key] = value;
  }
  // The copy's own binaries, not the workspace's: pnpm adds them when it runs a script there.
  env.PATH = (env.PATH ?? "")
    .split(":")
    .filter((dir) => !dir.startsWith(join(repoRoot, "node_modules")))
    .join(":");
  return {
    ...env,
    CI: "true",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    REDOCLY_TELEMETRY: "off",
    REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
    ...extra,
  };
}

function gitStatus() {
  return execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// 1. The throw-away copy.

/** Copies what git would see (tracked and untracked, not ignored) into `target`. */
function copyWorkingTree(target) {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  )
    .split("\0")
    .filter(Boolean);
  let copied = 0;
  for (const file of new Set(files)) {
    const from = join(repoRoot, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue; // deleted, or a submodule
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(from, join(target, file));
    copied++;
  }
  return copied;
}

const SAMPLE_CHANGESET = (names) =>
  `---\n${names.map((name) => `"${name}": patch`).join("\n")}\n---\n\n` +
  "Release rehearsal (scripts/release-check.mjs): a sample change so that every package gets a new version and a CHANGELOG entry.\n";

// ---------------------------------------------------------------------------------------------
// 3. The registry.

async function startRegistry(dir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  mkdirSync(join(dir, "storage"), { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, "storage"))}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
      "    max_users: -1",
      "uplinks:",
      "  npmjs:",
      `    url: ${UPSTREAM}`,
      "    timeout: 60s",
      "packages:",
      // Ours come from here only: no proxy, anyone may publish (the token is fake).
      `  "${SCOPE}/*":`,
      "    access: $all",
      "    publish: $all",
      "    unpublish: $all",
      '  "**":',
      "    access: $all",
      "    publish: $authenticated",
      "    proxy: npmjs",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const verdaccio = join(repoRoot, "node_modules/verdaccio/bin/verdaccio");
  const child = spawn(
    process.execPath,
    [verdaccio, "--config", config, "--listen", `127.0.0.1:${port}`],
    {
      cwd: dir,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (log += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    console.log(`  registry (pid ${child.pid}) stopped`);
  });

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`verdaccio exited ${child.exitCode}:\n${tail(log, 20)}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return { url, port, pid: child.pid, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${tail(log, 20)}`);
}

async function packument(registry, name) {
  const response = await fetch(`${registry}${name.replace("/", "%2f")}`);
  return response.ok ? response.json() : undefined;
}

// ---------------------------------------------------------------------------------------------
// 4. The consumer.

const at = `(days: number): string =>
  \`\${new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00\``;

const CONSUMER_SOURCES = {
  "src/consumer.ts": `// Typed calls through the published packages, run against the published sandbox.
import { randomUUID } from "node:crypto";
import { strict as assert } from "node:assert";
import {
  type components,
  createMarketingClient,
  type MarketingClient,
} from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";

type Stock = components["schemas"]["BusifavorStockType"];
const at = ${at};

async function createAndReadBack(client: MarketingClient, mchid: string) {
  const stockType: Stock = "NORMAL";
  const created = await client.POST("/v3/marketing/busifavor/stocks", {
    body: {
      stock_name: "release rehearsal",
      belong_merchant: mchid,
      goods_name: "all goods",
      stock_type: stockType,
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
        fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 10000 },
        use_method: "OFF_LINE",
      },
      stock_send_rule: { max_coupons: 100, max_coupons_per_user: 1 },
      out_request_no: \`release-check-\${randomUUID()}\`,
      coupon_code_mode: "WECHATPAY_MODE",
    },
  });
  if (created.error) throw new Error(\`create: HTTP \${created.response.status} \${JSON.stringify(created.error)}\`);
  const stockId: string = created.data.stock_id;

  const read = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
    params: { path: { stock_id: stockId } },
  });
  if (read.error) throw new Error(\`read: HTTP \${read.response.status} \${JSON.stringify(read.error)}\`);
  return { stockId, stock: read.data };
}

const sandbox = await startSandbox({ strictResponses: true });
try {
  const client = createMarketingClient(sandbox.clientOptions);
  const { stockId, stock } = await createAndReadBack(client, sandbox.mchid);
  assert.equal(stock.stock_id, stockId);
  assert.equal(stock.stock_name, "release rehearsal");
  assert.equal(stock.stock_type, "NORMAL");
  assert.equal(stock.belong_merchant, sandbox.mchid);
  assert.equal(stock.stock_send_rule.max_coupons, 100);
  assert.deepEqual(sandbox.violations, []);
  console.log(JSON.stringify({ stockId, stockState: stock.stock_state, url: sandbox.url }));
} finally {
  await sandbox.close();
}
`,
  // Must not compile: a value outside the spec's enum.
  "src/wrong-enum.ts": `import type { MarketingClient } from "@wechatpay-marketing/client";

declare const client: MarketingClient;
await client.POST("/v3/marketing/busifavor/stocks", {
  body: {
    stock_name: "x",
    belong_merchant: "1900000001",
    goods_name: "x",
    stock_type: "HALF_PRICE",
    coupon_use_rule: {
      coupon_available_time: {
        available_begin_time: "2030-01-01T00:00:00+08:00",
        available_end_time: "2030-02-01T00:00:00+08:00",
      },
      fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 10000 },
      use_method: "OFF_LINE",
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 1 },
    out_request_no: "x",
    coupon_code_mode: "WECHATPAY_MODE",
  },
});
`,
  // Must not compile: a path the spec does not have, and a path parameter left out.
  "src/wrong-call.ts": `import type { MarketingClient } from "@wechatpay-marketing/client";

declare const client: MarketingClient;
await client.GET("/v3/marketing/busifavor/stock/{stock_id}", {
  params: { path: { stock_id: "1" } },
});
await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", { params: { path: {} } });
`,
};

/** What the files that must not compile must fail with (and nothing else). */
const EXPECTED_ERRORS = {
  "src/wrong-enum.ts": [{ code: "TS2322", includes: '"HALF_PRICE"' }],
  "src/wrong-call.ts": [
    { code: "TS2345", includes: '"/v3/marketing/busifavor/stock/{stock_id}"' },
    { code: "TS2741", includes: "stock_id" },
  ],
};

function consumerTsconfig(files) {
  return {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      types: ["node"],
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      // Check the published .d.ts files too, as a consumer's stricter project would.
      skipLibCheck: false,
      noEmit: true,
      outDir: "out",
      rootDir: "src",
    },
    files,
  };
}

/** tsc's diagnostics as { file, code, message }. */
function diagnostics(output) {
  return [...output.matchAll(/^(\S+?)\(\d+,\d+\): error (TS\d+): (.*(?:\n {2}.*)*)/gm)].map(
    (m) => ({
      file: m[1],
      code: m[2],
      message: m[3],
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// 5. The footprint.

/**
 * Installed packages under node_modules, the way npm ls counts them: one per distinct
 * name@version, however many folders hold it; plus the number of package folders.
 */
function countInstalledPackages(nodeModules) {
  const distinct = new Set();
  let folders = 0;
  const visit = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        visit(join(dir, entry.name));
        continue;
      }
      const pkgDir = join(dir, entry.name);
      const manifest = join(pkgDir, "package.json");
      if (existsSync(manifest)) {
        const { name, version } = readJson(manifest);
        distinct.add(`${name}@${version}`);
        folders++;
      }
      visit(join(pkgDir, "node_modules"));
    }
  };
  visit(nodeModules);
  return { packages: distinct.size, folders, names: [...distinct].sort() };
}

function diskUsage(dir) {
  const bytes = Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
  const kib = Number(execFileSync("du", ["-sk", dir], { encoding: "utf8" }).split("\t")[0]);
  return { bytes, onDisk: kib * 1024 };
}

const mb = (bytes) => `${(bytes / 1_000_000).toFixed(2)} MB`;

// ---------------------------------------------------------------------------------------------

async function main() {
  const temp = mkdtempSync(join(tmpdir(), "wechatpay-marketing-release-check-"));
  cleanups.push(() => {
    rmSync(temp, { recursive: true, force: true });
    console.log(`  removed ${temp}`);
  });
  const copy = join(temp, "repo");
  const [pnpm, pnpmArgs] = pnpmCommand();
  const inCopy = (args, options = {}) =>
    run(pnpm, [...pnpmArgs, ...args], {
      cwd: copy,
      env: cleanEnv(),
      timeoutMs: 600_000,
      ...options,
    });
  console.log(`release check: workspace ${repoRoot}, scratch ${temp}\n`);

  // 1. Copy, version.
  await timed("copy the working tree to a throw-away folder", async () => {
    const count = copyWorkingTree(copy);
    const git = (...args) => execFileSync("git", args, { cwd: copy, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git(
      "-c",
      "user.name=release-check",
      "-c",
      "user.email=release-check@localhost",
      "commit",
      "-q",
      "-m",
      "snapshot",
    );
    console.log(`  ${count} files`);
  });
  const before = publishablePackages(copy);
  const names = before.map((p) => p.name);

  await timed("install (frozen lockfile)", () =>
    inCopy(["install", "--frozen-lockfile", "--prefer-offline"]),
  );

  const plan = await timed("changeset status with a sample changeset", async () => {
    writeFileSync(join(copy, ".changeset/release-check-sample.md"), SAMPLE_CHANGESET(names));
    const out = join(temp, "status.json");
    await inCopy(["exec", "changeset", "status", `--output=${out}`]);
    const status = readJson(out);
    const planned = Object.fromEntries(status.releases.map((r) => [r.name, r]));
    for (const pkg of before) {
      const release = planned[pkg.name];
      assert(release, `changeset status plans no release of ${pkg.name}`);
      console.log(`  ${pkg.name}: ${pkg.version} -> ${release.newVersion} (${release.type})`);
    }
    return planned;
  });

  const after = await timed(
    "pnpm version-packages (changeset version, spec version sync, lockfile)",
    async () => {
      await inCopy(["run", "version-packages"]);
      const packages = publishablePackages(copy);
      const versions = Object.fromEntries(packages.map((p) => [p.name, p.version]));
      for (const pkg of packages) {
        assert(
          pkg.version === plan[pkg.name]?.newVersion,
          `${pkg.name} is ${pkg.version}, changeset status planned ${plan[pkg.name]?.newVersion}`,
        );
        const changelog = join(pkg.dir, "CHANGELOG.md");
        assert(existsSync(changelog), `${pkg.name}: changeset version wrote no CHANGELOG.md`);
        const text = readFileSync(changelog, "utf8");
        assert(
          text.includes(`## ${pkg.version}`),
          `${pkg.name}: CHANGELOG.md has no "## ${pkg.version}"`,
        );
        assert(
          text.includes("Release rehearsal"),
          `${pkg.name}: CHANGELOG.md lacks the sample changeset`,
        );
        for (const [field, deps] of Object.entries({
          dependencies: pkg.manifest.dependencies,
          devDependencies: pkg.manifest.devDependencies,
        })) {
          for (const [dep, range] of Object.entries(deps ?? {})) {
            if (dep.startsWith(`${SCOPE}/`)) {
              assert(range === "workspace:^", `${pkg.name} ${field}.${dep} became "${range}"`);
            }
          }
        }
      }
      const openapi = versions[`${SCOPE}/openapi`];
      assert(
        openapi === versions[`${SCOPE}/client`],
        `fixed group broken: openapi ${openapi}, client ${versions[`${SCOPE}/client`]}`,
      );
      const infoVersion = readInfoVersion(
        readFileSync(join(copy, "specs/marketing/openapi.yaml"), "utf8"),
      );
      assert(infoVersion === openapi, `spec info.version ${infoVersion}, openapi ${openapi}`);
      const pending = readdirSync(join(copy, ".changeset")).filter(
        (f) => f.endsWith(".md") && f !== "README.md",
      );
      assert(pending.length === 0, `changesets left after versioning: ${pending.join(", ")}`);
      const changed = execFileSync("git", ["status", "--porcelain"], {
        cwd: copy,
        encoding: "utf8",
      });
      console.log(`  changed:\n${changed.trimEnd().replace(/^/gm, "    ")}`);
      console.log(`  specs/marketing/openapi.yaml info.version = ${infoVersion}`);
      const sample = readFileSync(join(copy, "packages/client/CHANGELOG.md"), "utf8");
      console.log(
        `  packages/client/CHANGELOG.md:\n${tail(sample.split("\n").slice(0, 12).join("\n"), 12).replace(/^/gm, "    ")}`,
      );
      // The release commit must pass the repo's lint: Biome over every file versioning touched.
      const touched = changed
        .split("\n")
        .map((line) => line.slice(3).trim())
        .filter(
          (f) =>
            f &&
            !f.endsWith("CHANGELOG.md") &&
            !f.startsWith(".changeset/") &&
            existsSync(join(copy, f)),
        );
      await run(join(copy, "node_modules/.bin/biome"), ["check", ...touched], {
        cwd: copy,
        env: cleanEnv(),
      });
      console.log(`  biome check: ${touched.length} touched file(s) clean`);
      return packages;
    },
  );

  await timed("install after versioning (frozen lockfile)", () =>
    inCopy(["install", "--frozen-lockfile", "--prefer-offline"]),
  );
  await timed("build the packages (turbo)", () =>
    inCopy([
      "exec",
      "turbo",
      "run",
      "build",
      "--output-logs=errors-only",
      ...names.map((n) => `--filter=${n}`),
    ]),
  );
  await timed("lint the packed packages (publint, attw, contents)", async () => {
    const { output } = await run(
      process.execPath,
      [join(copy, "scripts/release-lint-packages.mjs"), "--no-build"],
      {
        cwd: copy,
        env: cleanEnv(),
      },
    );
    for (const line of output.split("\n").filter((l) => /^[✔✘]/.test(l))) console.log(`  ${line}`);
  });

  // 3. Registry, publish.
  const registry = await timed("start Verdaccio on 127.0.0.1", async () => {
    const started = await startRegistry(join(temp, "registry"));
    console.log(`  ${started.url} (pid ${started.pid}), ${SCOPE}/* local only, the rest proxied`);
    return started;
  });

  await timed("pnpm publish -r to the local registry", async () => {
    const host = registry.url.replace(/^http:/, "");
    writeFileSync(
      join(copy, ".npmrc"),
      `${host}:_authToken=${FAKE_TOKEN}\n${SCOPE}:registry=${registry.url}\n`,
    );
    const { output } = await inCopy([
      "publish",
      "-r",
      "--registry",
      registry.url,
      "--no-git-checks",
      "--report-summary",
    ]);
    const summary = readJson(join(copy, "pnpm-publish-summary.json"));
    const published = summary.publishedPackages.map((p) => `${p.name}@${p.version}`).sort();
    const expected = after.map((p) => `${p.name}@${p.version}`).sort();
    assert(
      published.join() === expected.join(),
      `published ${published.join(", ")}; expected ${expected.join(", ")}\n${tail(output, 20)}`,
    );
    for (const pkg of after) {
      const doc = await packument(registry.url, pkg.name);
      const manifest = doc?.versions?.[pkg.version];
      assert(manifest, `${pkg.name}@${pkg.version} is not in the registry`);
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        assert(
          !String(range).startsWith("workspace:"),
          `${pkg.name} was published with ${dep}@${range}`,
        );
      }
      console.log(`  ${pkg.name}@${pkg.version} (${manifest.dist.integrity.slice(0, 22)}…)`);
    }
  });

  // 4. Consumer.
  const version = (name) => after.find((p) => p.name === name)?.version;
  const npmCache = join(temp, "npm-cache");
  const npmInstall = (cwd, specs) =>
    run(
      "npm",
      [
        "install",
        "--registry",
        registry.url,
        "--cache",
        npmCache,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        ...specs,
      ],
      { cwd, env: cleanEnv(), timeoutMs: 600_000 },
    );
  const consumer = join(temp, "consumer");
  await timed("consumer: npm install client + sandbox from the local registry only", async () => {
    mkdirSync(join(consumer, "src"), { recursive: true });
    writeFileSync(
      join(consumer, "package.json"),
      `${JSON.stringify({ name: "release-check-consumer", private: true, type: "module" }, null, 2)}\n`,
    );
    await npmInstall(consumer, [
      `${SCOPE}/client@${version(`${SCOPE}/client`)}`,
      `${SCOPE}/sandbox@${version(`${SCOPE}/sandbox`)}`,
      "@types/node@20",
    ]);
    // Ours must be the tarballs just published here, not anything from the public registry.
    const lock = readJson(join(consumer, "package-lock.json"));
    const ours = Object.entries(lock.packages).filter(([path]) =>
      path.includes(`node_modules/${SCOPE}/`),
    );
    assert(
      ours.length >= 3,
      `expected client, signer, sandbox (and openapi) installed, got ${ours.map(([p]) => p)}`,
    );
    for (const [path, entry] of ours) {
      const name = path.slice(path.lastIndexOf(`${SCOPE}/`));
      const published = (await packument(registry.url, name))?.versions?.[entry.version];
      assert(
        published && published.dist.integrity === entry.integrity,
        `${path}@${entry.version} is not the tarball published to the local registry`,
      );
      console.log(`  ${name}@${entry.version} from the local registry`);
    }
  });

  const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
  await timed("consumer: tsc --noEmit (strict, NodeNext) on typed calls", async () => {
    for (const [file, text] of Object.entries(CONSUMER_SOURCES))
      writeFileSync(join(consumer, file), text);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify(consumerTsconfig(["src/consumer.ts"]), null, 2),
    );
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: consumer, env: cleanEnv() });
    console.log("  src/consumer.ts: no errors");
  });

  await timed("consumer: files with type errors fail to compile as expected", async () => {
    for (const [file, expected] of Object.entries(EXPECTED_ERRORS)) {
      const config = `tsconfig.${file.replace(/\W/g, "-")}.json`;
      writeFileSync(join(consumer, config), JSON.stringify(consumerTsconfig([file]), null, 2));
      const result = await run(process.execPath, [tsc, "-p", config], {
        cwd: consumer,
        env: cleanEnv(),
        allowFailure: true,
      });
      const found = diagnostics(result.stdout);
      assert(result.code !== 0, `${file} compiled, but must not`);
      for (const want of expected) {
        assert(
          found.some(
            (d) => d.file === file && d.code === want.code && d.message.includes(want.includes),
          ),
          `${file}: expected error ${want.code} mentioning ${want.includes}; tsc said:\n${result.stdout}`,
        );
      }
      assert(
        found.length === expected.length,
        `${file}: expected ${expected.length} error(s), tsc reported ${found.length}:\n${result.stdout}`,
      );
      for (const d of found)
        console.log(`  ${d.file}: ${d.code} ${d.message.split("\n")[0]?.slice(0, 110)}`);
    }
  });

  await timed("consumer: run against startSandbox() (create a stock, read it back)", async () => {
    await run(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit", "false"], {
      cwd: consumer,
      env: cleanEnv(),
    });
    const { stdout } = await run(process.execPath, ["out/consumer.js"], {
      cwd: consumer,
      env: cleanEnv(),
      timeoutMs: 60_000,
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    assert(result.stockId, `the consumer printed no stock: ${stdout}`);
    console.log(
      `  stock ${result.stockId} (${result.stockState}) created and read back on ${result.url}`,
    );
  });

  // 5. Footprint.
  const footprint = await timed(`footprint: a consumer of ${SCOPE}/client alone`, async () => {
    const dir = join(temp, "footprint");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify({ name: "footprint", private: true }, null, 2)}\n`,
    );
    await npmInstall(dir, [`${SCOPE}/client@${version(`${SCOPE}/client`)}`]);
    const counted = countInstalledPackages(join(dir, "node_modules"));
    const usage = diskUsage(join(dir, "node_modules"));
    const ls = await run("npm", ["ls", "--all", "--parseable"], {
      cwd: dir,
      env: cleanEnv(),
      allowFailure: true,
    });
    const npmLs = new Set(ls.stdout.split("\n").filter((l) => l.includes("node_modules"))).size;
    return { ...counted, ...usage, npmLs };
  });

  const total = performance.now() - began;
  console.log(`\nInstall footprint (npm install ${SCOPE}/client, nothing else):`);
  console.table([
    {
      package: `${SCOPE}/client@${version(`${SCOPE}/client`)}`,
      packages: footprint.packages,
      "node_modules (du -sb)": mb(footprint.bytes),
      "on disk (du -sk)": mb(footprint.onDisk),
    },
    ...OTHER_SDKS.map((sdk) => ({
      package: `${sdk.name} (reference)`,
      packages: sdk.packages,
      "node_modules (du -sb)": `${sdk.megabytes.toFixed(2)} MB`,
      "on disk (du -sk)": "",
    })),
  ]);
  console.log(`  ${footprint.names.join(", ")}`);
  console.log(
    `  ${footprint.packages} packages (${footprint.folders} folders, npm ls: ${footprint.npmLs}); ` +
      OTHER_SDKS.map(
        (sdk) =>
          `${(footprint.packages / sdk.packages).toFixed(2)}x the packages and ${(footprint.bytes / 1_000_000 / sdk.megabytes).toFixed(2)}x the bytes of ${sdk.name}`,
      ).join("; "),
  );
  console.log("\nTimings:");
  for (const [title, ms] of timings) console.log(`  ${seconds(ms).padStart(8)}  ${title}`);
  console.log(`  ${seconds(total).padStart(8)}  total`);
}

const statusBefore = gitStatus();
let failure;
try {
  await main();
} catch (error) {
  failure = error;
} finally {
  await cleanUp();
}
const statusAfter = gitStatus();
if (statusAfter !== statusBefore) {
  failure ??= new Error(
    `the workspace changed during the release check:\nbefore:\n${statusBefore}\nafter:\n${statusAfter}`,
  );
} else {
  console.log("workspace unchanged (git status --porcelain identical before and after)");
}
if (failure) {
  console.error(`\nrelease check FAILED: ${failure instanceof Error ? failure.message : failure}`);
  process.exit(1);
}
console.log(`\nrelease check passed in ${seconds(performance.now() - began)}`);
