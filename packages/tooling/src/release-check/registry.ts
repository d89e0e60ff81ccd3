// A Verdaccio registry on 127.0.0.1 for the rehearsal: @wechatpay-marketing/* local only (anyone
// may publish with the fake token), everything else proxied from the npm registry.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { toolBin } from "../bins.js";
import { start, tail } from "../process.js";
import type { Cleanup } from "./environment.js";

export const SCOPE = "@wechatpay-marketing";
const UPSTREAM = "https://registry.npmjs.org/";

export interface Registry {
  url: string;
  pid: number | undefined;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function registryConfig(dir: string) {
  return {
    storage: join(dir, "storage"),
    auth: { htpasswd: { file: join(dir, "htpasswd"), max_users: -1 } },
    uplinks: { npmjs: { url: UPSTREAM, timeout: "60s" } },
    packages: {
      [`${SCOPE}/*`]: { access: "$all", publish: "$all", unpublish: "$all" },
      "**": { access: "$all", publish: "$authenticated", proxy: "npmjs" },
    },
    web: { enable: false },
    log: { type: "stdout", format: "pretty", level: "warn" },
  };
}

/** Starts Verdaccio with its storage under `dir`; `cleanup` stops it. */
export async function startRegistry(
  dir: string,
  env: NodeJS.ProcessEnv,
  cleanup: Cleanup,
): Promise<Registry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  mkdirSync(join(dir, "storage"), { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(config, stringify(registryConfig(dir)));
  const child = start(toolBin("verdaccio"), ["--config", config, "--listen", `127.0.0.1:${port}`], {
    cwd: dir,
    env,
  });
  let log = "";
  void (async () => {
    for await (const line of child) log += `${line}\n`;
  })().catch(() => {});
  const exited = new Promise((resolve) => child.process?.once("exit", resolve));
  cleanup.add(async () => {
    const { pid } = child;
    if (child.exitCode !== undefined || child.signalCode !== null || pid === undefined) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    console.log(`  registry (pid ${child.pid}) stopped`);
  });

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== undefined) {
      throw new Error(`verdaccio exited ${child.exitCode}:\n${tail(log, 20)}`);
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return { url, pid: child.pid };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${tail(log, 20)}`);
}

export interface PublishedVersion {
  dependencies?: Record<string, string>;
  dist: { integrity: string };
}

/** The registry's manifest of `name@version`, if it has one. */
export async function publishedVersion(
  registry: Registry,
  name: string,
  version: string,
): Promise<PublishedVersion | undefined> {
  const response = await fetch(`${registry.url}${name.replace("/", "%2f")}`);
  if (!response.ok) return undefined;
  const packument = (await response.json()) as { versions?: Record<string, PublishedVersion> };
  return packument.versions?.[version];
}
