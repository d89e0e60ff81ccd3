#!/usr/bin/env node
// The tooling runs compiled (dist/, `turbo run compile`): Node 20 runs no TypeScript, and a
// compiled build is what turbo caches and what every task that runs the tooling waits for.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error(
    "wechatpay-marketing-tooling is not compiled: run `pnpm turbo run compile --filter=@wechatpay-marketing/tooling`",
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
