// The wechatpay-marketing-sandbox bin, run for real: the built dist/cli.js in a child process on
// port 0 of 127.0.0.1, answered over HTTP, then stopped. (Its coverage is not counted: v8 coverage
// of the test workers does not reach a child process; vitest.config.ts leaves it out for that.)
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSignedFetch } from "@wechatpay-marketing/signer/fetch";
import { afterEach, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "./index.js";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function cli(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits until the sandbox says where it listens; returns the client options it printed. */
async function listening(run: Run) {
  for (let i = 0; i < 600 && !/listening on (\S+)/.test(run.stderr()); i++) {
    if (run.child.exitCode !== null) throw new Error(`the CLI exited: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening on (\S+)/.exec(run.stderr())?.[1];
  if (!url) throw new Error(`the CLI never listened: ${run.stderr()}`);
  return {
    url,
    options: JSON.parse(run.stdout()) as Record<string, unknown> & { baseUrl: string },
  };
}

describe("wechatpay-marketing-sandbox", () => {
  it("prints its help and exits 0", async () => {
    const run = cli(["--help"]);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain("Usage: wechatpay-marketing-sandbox [options]");
    expect(run.stdout()).toContain("--port <n>");
    expect(run.stdout()).toContain("--ignore-unknown-fields");
  });

  it.each([
    [["--platform-mode", "rsa"], "--platform-mode must be public-key, certificate or both"],
    [["--port", "http"], "--port must be an integer from 0 to 65535"],
    [["--port", "70000"], "--port must be an integer from 0 to 65535"],
  ])("refuses %j with exit 2 and says why", async (args, message) => {
    const run = cli(args);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(`${message}\n`);
  });

  it("refuses an unknown option", async () => {
    const run = cli(["--colour"]);
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toContain("--colour");
  });

  it("serves on a free port of 127.0.0.1, answers signed calls, logs them, and stops on SIGTERM", async () => {
    const run = cli(["--port", "0", "--mchid", "1900000099", "--appid", "wx1111111111111111"]);
    const { url, options } = await listening(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(options).toMatchObject({
      mchid: "1900000099",
      baseUrl: url,
      apiV3Key: expect.any(String),
    });
    expect(options.apiV3Key).toHaveLength(32);

    // The control API answers with the token the CLI printed, and only with it.
    expect(options.controlToken).toEqual(expect.any(String));
    const token = { "X-Sandbox-Token": options.controlToken as string };
    expect((await fetch(new URL("/sandbox", url))).status).toBe(401);
    const control = await fetch(new URL("/sandbox", url), { headers: token });
    expect(await control.json()).toMatchObject({ mchid: "1900000099" });

    // A call with the options it printed: signed here, verified there, answered signed.
    const signedFetch = createSignedFetch(
      options as unknown as Parameters<typeof createSignedFetch>[0],
    );
    // No such stock: the sandbox's signed 404, verified here, is the fetch wrapper's ApiError.
    await expect(
      signedFetch(new URL("/v3/marketing/busifavor/stocks/1212000000000000000", url)),
    ).rejects.toMatchObject({ name: "ApiError", status: 404 });
    // By default a query parameter the document does not declare is refused by name.
    await expect(
      signedFetch(new URL("/v3/marketing/busifavor/stocks/1212000000000000000?mchd=1", url)),
    ).rejects.toMatchObject({ name: "ApiError", status: 400, detail: { field: "mchd" } });
    await expect
      .poll(run.stderr)
      .toMatch(/GET \/v3\/marketing\/busifavor\/stocks\/1212000000000000000 -> 404/);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    await expect(fetch(new URL("/sandbox", url))).rejects.toThrow();
  });

  it("signs with the keys it is given, in certificate mode, quietly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-cli-"));
    try {
      const merchant = generateRsaKeyPair();
      writeFileSync(join(dir, "merchant.pem"), merchant.privateKey);
      writeFileSync(join(dir, "platform.pem"), generateRsaKeyPair().privateKey);
      const run = cli([
        "--merchant-key",
        join(dir, "merchant.pem"),
        "--platform-key",
        join(dir, "platform.pem"),
        "--platform-mode",
        "certificate",
        "--serial-no",
        "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        "--api-v3-key",
        "0123456789abcdef0123456789abcdef",
        "--notify-retry",
        "10,20",
        "--strict",
        "--ignore-unknown-fields",
        "--quiet",
      ]);
      const { url, options } = await listening(run);
      expect(options).toMatchObject({
        serialNo: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        privateKey: merchant.privateKey,
        apiV3Key: "0123456789abcdef0123456789abcdef",
        platformCertificates: [expect.stringContaining("BEGIN CERTIFICATE")],
      });
      expect(options).not.toHaveProperty("wechatpayPublicKey");
      await fetch(new URL("/sandbox", url));
      // --ignore-unknown-fields: the stray parameter is dropped, the call answered (no such stock).
      const signedFetch = createSignedFetch(
        options as unknown as Parameters<typeof createSignedFetch>[0],
      );
      await expect(
        signedFetch(new URL("/v3/marketing/busifavor/stocks/1212000000000000000?mchd=1", url)),
      ).rejects.toMatchObject({ name: "ApiError", status: 404 });
      expect(run.stderr()).toBe(`sandbox listening on ${url} (Ctrl+C to stop)\n`);
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
